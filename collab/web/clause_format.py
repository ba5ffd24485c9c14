"""The pasted-clauses format of the admin page.

A line that starts with a clause number (`1`, `1.`, `4.2`, `4.2.` — each part one
to three digits) followed by a heading starts a clause; the lines after it, up to
the next such line, are its body. Blank lines inside a body are kept as paragraph
breaks.

    1. Purpose
    The program keeps students safe.

    4.2 Questioning students
    Parents are told before a student is questioned.
"""
from __future__ import annotations

import re

from ..errors import Invalid

CLAUSE_START = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)\.?(?:\s+(.*?))?\s*$")


def parse_clauses(text: object) -> list[dict]:
    """Split pasted text into [{number, heading, body}]; Invalid names the first problem."""
    if not isinstance(text, str) or not text.strip():
        raise Invalid("Paste the clauses: a numbered heading line, then the clause's text.", "empty_clauses")
    clauses: list[dict] = []
    body_lines: list[str] = []

    def finish() -> None:
        if clauses:
            body = "\n".join(body_lines).strip()
            body = re.sub(r"\n{3,}", "\n\n", body)
            if not body:
                raise Invalid(f"Clause {clauses[-1]['number']} has no text under its heading.", "empty_body")
            clauses[-1]["body"] = body

    for line_number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        match = CLAUSE_START.match(raw)
        if match:
            finish()
            body_lines = []
            clauses.append({"number": match.group(1), "heading": (match.group(2) or "").strip(), "body": ""})
        elif raw.strip() and not clauses:
            raise Invalid(f"Line {line_number} comes before the first clause: start with a numbered line "
                          "such as “1. Purpose”.", "text_before_first_clause")
        else:
            body_lines.append(raw.rstrip())
    finish()
    seen = set()
    for clause in clauses:
        if clause["number"] in seen:
            raise Invalid(f"Clause number {clause['number']} is used twice.", "duplicate_clause_number")
        seen.add(clause["number"])
    return clauses
