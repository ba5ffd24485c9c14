"""A version of a document as Markdown or as a Word file, in a form the importer reads back."""
from __future__ import annotations

import io
import re


def _comment_safe(text: str) -> str:
    return text.replace("--", "—")


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
             "", f"# {title}", ""]
    if adoption:
        lines += [f"*{adoption_line(adoption)}*", ""]
    for clause in clauses:
        heading = f"## {clause['number']}." + (f" {clause['heading']}" if clause["heading"] else "")
        lines += [heading, ""]
        body = re.sub(r"(?m)^#", r"\\#", clause["body"].strip())
        lines += [body, ""]
    return "\n".join(lines)


def to_docx(title: str, version: int, published_at: str | None, clauses: list[dict],
            adoption: dict | None = None) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.subject = f"Version {version}"
    document.core_properties.comments = f"Exported from Common Ground: version {version}, published {published_at}."
    document.add_paragraph(title, style="Title")
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
