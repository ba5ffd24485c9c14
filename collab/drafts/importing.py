"""Turn a draft written elsewhere into clauses: pasted text, Markdown, or a Word file.

A clause starts at a heading: a numbered one ("1. Purpose", "1) Purpose", "A. Purpose",
"## 2. Scope", "Section 3 — Arrests", "ARTICLE IV - TRAINING", "Article 2. Duties"), a Word
heading (whose automatic number Word keeps out of the text and which is rebuilt here from
the numbering definitions), or, in a draft with no numbered headings at all, an unnumbered
heading line: short, no final period, Title Case or ALL CAPS, on its own and followed by
body text. Clauses without a number are numbered here. What follows a heading, up to the
next, is the clause's text; text before the first heading is a preamble clause. Nothing is
stored: the result is shown for review first.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from ..errors import Invalid, TooLarge
from .exporting import unescape_markdown
from flask_babel import lazy_gettext as _l

TEXT_MAX = 2_000_000
DOCX_UNPACKED_MAX = 40 * 1024 * 1024
NUMBER_MAX = 20
HEADING_MAX = 300

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_DASHES = r"\-\u2013\u2014"
_SEPARATOR = rf"\s*(?:[.):]|[{_DASHES}])?\s*(?:[{_DASHES}]\s*)?"
# "Section 3: Arrests", "Section 3 — Arrests", "ARTICLE I - PURPOSE", "Article 2. Duties", "§ 4 Searches"
_WORD_NUMBER = re.compile(
    rf"^(?:section|article|clause|part|§)\s*(?P<num>\d+(?:\.\d+)*|[IVXLCDM]+|[A-Z])(?=[\s.):{_DASHES}]|$)"
    rf"{_SEPARATOR}(?P<text>.*)$", re.IGNORECASE)
# "1. Purpose", "1) Purpose", "2.1 Scope", "IV. Training", "IV - Training", "B) Searches", "A. Purpose":
# without a word before it, a Roman number or a letter needs a stop, parenthesis or dash after it.
_BARE_NUMBER = re.compile(
    rf"^(?P<num>\d+(?:\.\d+)*(?=[.):\s{_DASHES}]|$)|[IVXLCDM]+(?=\s*[.):{_DASHES}])|[A-Za-z](?=[.)]))"
    rf"{_SEPARATOR}(?P<text>.*)$", re.IGNORECASE)
_MD_NUMBER = re.compile(r"^(?P<num>[^\s.]{1,20})\.(?:\s+(?P<text>.*)|$)")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")


@dataclass
class Block:
    kind: str  # title | heading | para
    text: str
    number: str | None = None
    level: int = 1


@dataclass
class ParsedDraft:
    title: str | None
    clauses: list[dict]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"title": self.title, "clauses": self.clauses, "warnings": self.warnings}


def split_number(text: str, markdown: bool = False) -> tuple[str | None, str]:
    """("1", "Purpose") from "1. Purpose"; (None, text) when it starts with no number."""
    text = text.strip()
    match = _WORD_NUMBER.match(text) or _BARE_NUMBER.match(text)
    if match and not _is_roman_case(match.group("num")):
        match = None  # "Mix. the flour" is not clause MIX
    if match and (match.group("text") or markdown or match.group("num")[0].isdigit()):
        number = match.group("num").rstrip(".")
        return number, match.group("text").strip()
    if markdown:
        match = _MD_NUMBER.match(text)
        if match:
            return match.group("num"), (match.group("text") or "").strip()
    return None, text


def _is_roman_case(number: str) -> bool:
    """A Roman number is written in one case: "IV" or "iv", never "Mix"."""
    return len(number) == 1 or not number.isalpha() or number.isupper() or number.islower()


def _looks_like_heading(line: str) -> bool:
    number, text = split_number(line)
    if number is None or len(line) > 150:
        return False
    return not text or (not text.rstrip().endswith((".", ";", ",", ":")) and len(text.split()) <= 14)


_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "vs", "per"}
_TITLE_WORDS = re.compile(r"\b(agreement|memorandum|understanding|mou|contract|policy)\b", re.IGNORECASE)


def heading_shaped(line: str) -> bool:
    """Short, no final period, Title Case or ALL CAPS: "Hours and Special Events", "TERM"."""
    words = line.split()
    if not words or len(words) > 12 or len(line) > 100 or not line[0].isalpha():
        return False
    if line.rstrip(":").endswith((".", ";", ",", "?", "!", ":")) or line.endswith(".:"):
        return False
    letters = [ch for ch in line if ch.isalpha()]
    if all(ch.isupper() for ch in letters):
        return True
    return words[0][0].isupper() and all(
        w[0].isupper() or not w[0].isalpha() or w.lower() in _SMALL_WORDS for w in words)


def _unnumbered_headings(lines: list[str]) -> tuple[int | None, set[int]]:
    """For a draft without numbered headings: the index of a title line, if any, and of the
    heading lines — heading-shaped lines that stand on their own and have body text after them."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    headings: set[int] = set()
    for position, i in enumerate(filled):
        line = lines[i].strip()
        if not heading_shaped(line) or (i > 0 and lines[i - 1].strip()):
            continue
        following = filled[position + 1] if position + 1 < len(filled) else None
        if following is not None and not heading_shaped(lines[following].strip()):
            headings.add(i)
    title = None
    if filled and heading_shaped(lines[filled[0]].strip()):
        first, following = filled[0], filled[1] if len(filled) > 1 else None
        if _TITLE_WORDS.search(lines[first]) or (following is not None and following in headings):
            title = first
            headings.discard(first)
    return title, headings


def parse_text(text: object) -> ParsedDraft:
    """Clauses from pasted plain text or Markdown with numbered headings."""
    if not isinstance(text, str) or not text.strip():
        raise Invalid(_l("Paste the draft's text first."), "empty_import")
    if len(text) > TEXT_MAX:
        raise TooLarge(_l("The text is longer than %(text_max)s characters.", text_max=format(TEXT_MAX, ',')), "import_too_large")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    markdown = any(_MD_HEADING.match(line) for line in lines)
    title_line, plain_headings = None, set()
    if not markdown and not any(_looks_like_heading(line.strip()) for line in lines):
        title_line, plain_headings = _unnumbered_headings(lines)
    blocks: list[Block] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(Block("para", "\n".join(paragraph).strip()))
            paragraph.clear()

    for index, raw in enumerate(lines):
        line = raw.rstrip()
        if _COMMENT.match(line):
            continue
        heading = _MD_HEADING.match(line) if markdown else None
        if index == title_line:
            blocks.append(Block("title", line.strip()))
        elif index in plain_headings:
            end_paragraph()
            blocks.append(Block("heading", line.strip().rstrip(":").strip(), None, 1))
        elif heading:
            end_paragraph()
            number, title = split_number(heading.group(2), markdown=True)
            blocks.append(Block("heading", unescape_markdown(title), number and unescape_markdown(number),
                                len(heading.group(1))))
        elif not markdown and _looks_like_heading(line.strip()):
            end_paragraph()
            number, title = split_number(line.strip())
            blocks.append(Block("heading", title, number, 1))
        elif not line.strip():
            end_paragraph()
        else:
            paragraph.append(unescape_markdown(line) if markdown else line)
    end_paragraph()
    return assemble(blocks, "Markdown" if markdown else "text")


def assemble(blocks: list[Block], source: str) -> ParsedDraft:
    """Headings start clauses; paragraphs are their text."""
    title = next((b.text for b in blocks if b.kind == "title"), None)
    blocks = [b for b in blocks if b.kind != "title"]
    headings = [b for b in blocks if b.kind == "heading"]
    if not headings:
        raise Invalid(_l("No headings were found in this %(source)s. Start each clause with a heading line such as “1. Purpose”, “Article I - Purpose” or a short “Purpose” line on its own (or “## Purpose” in Markdown).", source=source), "no_clauses_found")
    first = headings[0]
    if title is None and first.number is None and len(headings) > 1 and (
            first.level < headings[1].level or all(h.number for h in headings[1:])):
        title = first.text
        blocks.remove(first)
    warnings: list[str] = []
    clauses: list[dict] = []
    preamble: list[str] = []
    for block in blocks:
        if block.kind == "heading":
            clauses.append({"number": block.number, "heading": block.text, "body": []})
        elif clauses:
            clauses[-1]["body"].append(block.text)
        else:
            preamble.append(block.text)
    none_numbered = not any(c["number"] for c in clauses)
    if preamble:
        if title is None and len(preamble) == 1 and len(preamble[0]) <= HEADING_MAX and "\n" not in preamble[0]:
            title = preamble[0]
        else:
            clauses.insert(0, {"number": "0", "heading": "Preamble", "body": preamble})
            warnings.append("The text before the first heading became a clause “Preamble”.")
    used = {c["number"] for c in clauses if c["number"]}
    counter = 0
    for index, clause in enumerate(clauses, start=1):
        if not clause["number"]:
            counter += 1
            while str(counter) in used:
                counter += 1
            clause["number"] = str(counter)
            used.add(clause["number"])
            if not none_numbered:
                warnings.append(f"The heading “{clause['heading']}” had no number; it was given {counter}.")
        label = f"{clause['number']} “{clause['heading']}”" if clause["heading"] else clause["number"]
        if len(clause["number"]) > NUMBER_MAX:
            raise Invalid(_l("Clause %(label)s: a clause number has at most %(number_max)s characters.", label=label, number_max=NUMBER_MAX),
                          "invalid_import")
        if len(clause["heading"]) > HEADING_MAX:
            raise Invalid(_l("Clause %(label)s: the heading is longer than %(heading_max)s characters. Is a paragraph of text styled as a heading?", label=label, heading_max=HEADING_MAX), "invalid_import")
        clause["body"] = "\n\n".join(p for p in clause["body"] if p.strip()).strip()
        if not clause["body"]:
            raise Invalid(_l("Clause %(label)s has no text under its heading.", label=label), "empty_clause")
    if none_numbered:
        warnings.append(f"No heading had a number: the clauses were numbered {clauses[0]['number']} to "
                        f"{clauses[-1]['number']}. Check where each clause starts; merge or split clauses "
                        "below if needed.")
    seen: set[str] = set()
    for clause in clauses:
        if clause["number"] in seen:
            raise Invalid(_l("Clause number %(clause)s is used twice in this %(source)s.", clause=clause['number'], source=source),
                          "duplicate_clause_number")
        seen.add(clause["number"])
    return ParsedDraft(title, clauses, warnings)


# --- Word ------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(number: int) -> str:
    pairs = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
             (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in pairs:
        while number >= value:
            out += letters
            number -= value
    return out


def _letters(number: int) -> str:
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


def _format(value: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(value)
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperLetter":
        return _letters(value)
    if fmt == "lowerLetter":
        return _letters(value).lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


class _Numbering:
    """Word's automatic numbers, rebuilt from numbering.xml (per list, per level)."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):  # python-docx: the file has no numbering part
            return
        abstract = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{_W}lvl"):
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    int(start.get(f"{_W}val")) if start is not None else 1,
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else f"%{int(lvl.get(f'{_W}ilvl', '0')) + 1}.")
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None and ref.get(f"{_W}val") in abstract:
                self.levels[num.get(f"{_W}numId")] = abstract[ref.get(f"{_W}val")]

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """The next label of list `num_id` at level `ilvl`, and its level's format."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return "", "none"
        counters = self.counters.setdefault(num_id, {})
        start, fmt, pattern = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def value(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            if level not in levels:
                return ""
            current = counters.get(level, levels[level][0])
            return _format(current, levels[level][1])

        return re.sub(r"%(\d)", value, pattern).strip(), fmt


def _num_pr(paragraph) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph, else from its style and the styles it is based on."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    num_id = ilvl = None
    for ppr in candidates:
        if ppr is None or ppr.numPr is None:
            continue
        if num_id is None and ppr.numPr.numId is not None:
            num_id = str(ppr.numPr.numId.val)
        if ilvl is None and ppr.numPr.ilvl is not None:
            ilvl = int(ppr.numPr.ilvl.val)
    if num_id is None or num_id == "0":
        return None
    return num_id, ilvl or 0


def _heading_level(style_name: str) -> int | None:
    match = re.match(r"^heading\s*(\d)$", style_name.strip().lower())
    return int(match.group(1)) if match else None


def _open_docx(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    not_word = Invalid(_l("This file is not a Word document (.docx). If it is an older .doc file or a PDF, open it in Word and save it as .docx, or paste its text instead."), "not_a_docx")
    if not data:
        raise Invalid(_l("The file is empty."), "empty_import")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names:
                raise not_word
            if sum(info.file_size for info in archive.infolist()) > DOCX_UNPACKED_MAX:
                raise TooLarge(_l("This Word file unpacks to more than 40 MB; it is too large to import."),
                               "import_too_large")
    except zipfile.BadZipFile:
        raise not_word
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError) as error:
        raise Invalid(_l("This Word file could not be read (%(name__)s). Open it in Word, save it again as .docx and retry.", name__=error.__class__.__name__), "unreadable_docx")


def parse_docx(data: bytes) -> ParsedDraft:
    """Clauses from a Word file: its headings (numbered by hand or by Word) and the text under them."""
    document = _open_docx(data)
    numbering = _Numbering(document)
    blocks: list[Block] = []
    lines: list[str] = []  # for documents that use no heading styles at all
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        style_name = paragraph.style.name if paragraph.style is not None else ""
        numbered = _num_pr(paragraph)
        label, fmt = numbering.label(*numbered) if numbered else ("", "none")
        if not text:
            continue
        level = _heading_level(style_name)
        if style_name.lower() == "title":
            blocks.append(Block("title", text))
            lines.append(text)
        elif style_name.lower() == "subtitle":
            continue  # "Version 2, published …" under an exported title: not part of any clause
        elif level is not None:
            if label:
                number, heading = label.rstrip(".):"), text
            else:
                number, heading = split_number(text, markdown=True)
            blocks.append(Block("heading", heading, number, level))
            lines.append(f"{number}. {heading}" if number else text)
        else:
            prefix = "- " if fmt == "bullet" else (f"{label} " if label else "")
            blocks.append(Block("para", prefix + text))
            lines.append(prefix + text)
        lines.append("")
    if not any(b.kind == "heading" for b in blocks):
        if not any(lines):
            raise Invalid(_l("This Word file has no text."), "empty_import")
        return parse_text("\n".join(lines))
    return assemble(blocks, "Word file")


def match_clauses(existing: list[dict], imported: list[dict]) -> list[dict]:
    """Give imported clauses the ids of the current clauses they revise: same heading first,
    then same number. The rest are new clauses."""
    free = {c["id"]: c for c in existing}
    by_heading: dict[str, int] = {}
    for clause in existing:
        key = " ".join(clause["heading"].lower().split())
        if key:
            by_heading.setdefault(key, clause["id"])
    result = [dict(c, id=None) for c in imported]
    for clause in result:
        key = " ".join(clause["heading"].lower().split())
        if key and by_heading.get(key) in free:
            clause["id"] = by_heading[key]
            free.pop(clause["id"])
    for clause in result:
        if clause["id"] is None:
            same = next((c for c in free.values() if c["number"] == clause["number"]), None)
            if same is not None:
                clause["id"] = same["id"]
                free.pop(same["id"])
    return result
