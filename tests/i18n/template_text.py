"""Finds the visible text of a Jinja template: text between HTML tags and the values of
attributes people read (title, alt, placeholder, aria-label, a button's value), with Jinja
statements and comments removed and `{{ expressions }}` kept as placeholders. A run whose
literal parts contain a letter is text someone reads, so it must be inside `_()`.

Used by the catalogue test (tests/i18n/test_translation_coverage.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

JINJA = re.compile(r"\{\{-?.*?-?\}\}|\{%-?.*?-?%\}|\{#.*?#\}", re.S)
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-roledescription", "label", "data-required"}
LETTER = re.compile(r"[^\W\d_]")
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")


@dataclass
class Run:
    """A stretch of text: literal strings and `{{ }}` expressions in order, with offsets."""
    kind: str  # "text" or "attribute"
    start: int
    end: int = -1
    parts: list = field(default_factory=list)  # ("text", s) | ("expr", source)

    def literal(self) -> str:
        return "".join(part for kind, part in self.parts if kind == "text")

    def is_visible(self) -> bool:
        return bool(LETTER.search(ENTITY.sub(" ", self.literal())))


def _tokens(source: str):
    """(kind, text, offset): kind is "html" for raw text, else "expr", "stmt", "comment"."""
    position = 0
    for match in JINJA.finditer(source):
        if match.start() > position:
            yield "html", source[position:match.start()], position
        token = match.group(0)
        kind = {"{{": "expr", "{%": "stmt", "{#": "comment"}[token[:2]]
        yield kind, token, match.start()
        position = match.end()
    if position < len(source):
        yield "html", source[position:], position


def visible_runs(source: str, html: bool = True) -> list[Run]:
    """Every text run and read attribute value, visible or not (callers filter)."""
    runs: list[Run] = []
    state = "text"  # text | tag | value | raw (script/style) | comment
    quote = ""
    tag_text = ""  # the current tag's source so far (to know the attribute name)
    raw_end = ""
    value_start = 0
    branches: list[bool] = []  # for each open {% if %}: was it inside an attribute value?
    run: Run | None = None
    attribute_run: Run | None = None

    def close_run(at: int):
        nonlocal run
        if run is not None and run.parts:
            run.end = at
            runs.append(run)
        run = None

    for kind, text, offset in _tokens(source):
        if kind == "comment":
            continue
        if kind == "stmt":
            word = re.match(r"\{%-?\s*(\w+)", text)
            word = word.group(1) if word else ""
            if word == "if":
                branches.append(state == "value")
            elif word in ("elif", "else", "endif") and branches:
                if branches[-1] != (state == "value"):  # a quote opened in one branch, closed in another
                    runs.append(Run("unbalanced", offset, offset, [("text", "quotes split across Jinja branches: "
                                                                     + source[max(0, offset - 80):offset + 40])]))
                if word == "endif":
                    branches.pop()
            if state == "text":
                close_run(offset)
            elif state == "value" and attribute_run is not None:
                attribute_run.parts.append(("stmt", text))
            continue
        if kind == "expr":
            if state == "text":
                if run is None:
                    run = Run("text", offset)
                run.parts.append(("expr", text))
            elif state == "value" and attribute_run is not None:
                attribute_run.parts.append(("expr", text))
            elif state == "tag":
                tag_text += "X"
            continue
        if not html:
            for index, line in enumerate(re.split(r"(\n)", text)):
                pass
            # plain-text templates: every line is its own run
            position = offset
            for piece in re.split(r"(\n)", text):
                if piece == "\n":
                    close_run(position)
                elif piece:
                    if run is None:
                        run = Run("text", position)
                    run.parts.append(("text", piece))
                position += len(piece)
            continue
        index = 0
        while index < len(text):
            char = text[index]
            here = offset + index
            if state == "text":
                if text.startswith("<!--", index):
                    close_run(here)
                    state = "comment"
                    index += 4
                    continue
                if char == "<" and index + 1 < len(text) and (text[index + 1].isalpha() or text[index + 1] in "/!"):
                    close_run(here)
                    state = "tag"
                    tag_text = ""
                    index += 1
                    continue
                if run is None:
                    run = Run("text", here)
                if run.parts and run.parts[-1][0] == "text":
                    run.parts[-1] = ("text", run.parts[-1][1] + char)
                else:
                    run.parts.append(("text", char))
            elif state == "comment":
                if text.startswith("-->", index):
                    state = "text"
                    index += 3
                    continue
            elif state == "raw":
                if text[index:index + len(raw_end)].lower() == raw_end:
                    state = "tag"
                    tag_text = ""
                    index += 1
                    continue
            elif state == "tag":
                if char in "\"'":
                    state, quote, value_start = "value", char, here
                    name = re.search(r"([\w:-]+)\s*=\s*$", tag_text)
                    attribute = name.group(1).lower() if name else ""
                    is_button_value = attribute == "value" and re.search(
                        r"type\s*=\s*[\"']?(submit|button|reset)", tag_text, re.I)
                    attribute_run = Run("attribute", here + 1) if (
                        attribute in READ_ATTRIBUTES or is_button_value) else None
                elif char == ">":
                    tag_name = re.match(r"\s*([\w-]+)", tag_text)
                    state = "text"
                    if tag_name and tag_name.group(1).lower() in ("script", "style"):
                        state, raw_end = "raw", "</" + tag_name.group(1).lower()
                else:
                    tag_text += char
            elif state == "value":
                if char == quote:
                    if attribute_run is not None and attribute_run.parts:
                        attribute_run.end = here
                        runs.append(attribute_run)
                    attribute_run = None
                    state = "tag"
                    tag_text += "X"
                elif attribute_run is not None:
                    if attribute_run.parts and attribute_run.parts[-1][0] == "text":
                        attribute_run.parts[-1] = ("text", attribute_run.parts[-1][1] + char)
                    else:
                        attribute_run.parts.append(("text", char))
            index += 1
    close_run(len(source))
    return runs


def unmarked_text(source: str, html: bool = True) -> list[str]:
    """The visible runs left outside `_()`: what a reader would see untranslated."""
    return [" ".join(run.literal().split()) for run in visible_runs(source, html) if run.is_visible()]
