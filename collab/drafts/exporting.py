"""A version of a document as Markdown or as a Word file, in a form the importer reads back."""
from __future__ import annotations

import io
import re


# Backslash-escaped so that no text of the document is read as HTML, a link, an entity or a
# heading (CommonMark lets any ASCII punctuation be escaped); the importer reverses it.
_INLINE_SPECIAL = re.compile(r"[\\<\[\]]|&(?=#?\w+;)")
_LINE_START_HEADING = re.compile(r"(?m)^( {0,3})#")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    return _LINE_START_HEADING.sub(r"\1\\#", _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(), text))


def unescape_markdown(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _comment_safe(text: str) -> str:
    # An HTML comment may not hold "--" (so neither "-->" nor "--!>" can end it early).
    return _one_line(text).replace("--", "\u2014")


def adoption_line(adoption: dict | None) -> str | None:
    """"Adopted on 2027-01-15, signed by Dana Chief, Superintendent (School district), 2027-01-16. …"
    from {adopted_on, next_review_on, signatures: [{name, title, party_label, signed_on}]}."""
    if not adoption:
        return None
    signed = "; ".join(f"{s['name']}, {s['title']} ({s['party_label']}), {s['signed_on']}"
                       for s in adoption["signatures"])
    line = f"Adopted on {adoption['adopted_on']}"
    line += f", signed by {signed}." if signed else "; no signatures recorded yet."
    return line + f" Next review by {adoption['next_review_on']}."


def to_markdown(title: str, version: int, published_at: str | None, clauses: list[dict],
                adoption: dict | None = None) -> str:
    lines = [f"<!-- Common Ground: {_comment_safe(title)}, version {version}, published {published_at} -->",
             "", f"# {escape_markdown(_one_line(title))}", ""]
    if adoption:
        lines += [f"*{adoption_line(adoption)}*", ""]
    for clause in clauses:
        heading = f"## {escape_markdown(_one_line(clause['number']))}." + (
            f" {escape_markdown(_one_line(clause['heading']))}" if clause["heading"] else "")
        lines += [heading, ""]
        lines += [escape_markdown(clause["body"].strip()), ""]
    return "\n".join(lines)


def to_docx(title: str, version: int, published_at: str | None, clauses: list[dict],
            adoption: dict | None = None) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.subject = f"Version {version}"
    document.core_properties.comments = f"Exported from Common Ground: version {version}, published {published_at}."
    document.add_paragraph(title, style="Title")
    # Printed and passed around, the file must say which draft it is.
    published = f", published {published_at[:10]}" if published_at else ""
    document.add_paragraph(f"Version {version}{published}", style="Subtitle")
    if adoption:
        document.add_paragraph(adoption_line(adoption)).runs[0].italic = True
    for clause in clauses:
        heading = f"{clause['number']}." + (f" {clause['heading']}" if clause["heading"] else "")
        document.add_heading(heading, level=1)
        for block in re.split(r"\n\s*\n", clause["body"].strip()):
            paragraph = document.add_paragraph()
            for index, line in enumerate(block.split("\n")):
                if index:
                    paragraph.add_run().add_break()
                paragraph.add_run(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
