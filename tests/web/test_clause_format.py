"""The pasted-clauses format of the administration page."""
import pytest

from collab.errors import Invalid
from collab.web.clause_format import parse_clauses


def test_numbered_lines_start_clauses_and_following_lines_are_the_body():
    text = "1. Purpose\nKeep students safe.\n\n\n\nSupport learning.\r\n4.2 Questioning\nParents first.\n10.1.3. Deep\nx"
    assert parse_clauses(text) == [
        {"number": "1", "heading": "Purpose", "body": "Keep students safe.\n\nSupport learning."},
        {"number": "4.2", "heading": "Questioning", "body": "Parents first."},
        {"number": "10.1.3", "heading": "Deep", "body": "x"},
    ]


def test_a_clause_may_have_no_heading():
    assert parse_clauses("7.\nText only.") == [{"number": "7", "heading": "", "body": "Text only."}]


def test_a_year_at_the_start_of_a_body_line_does_not_start_a_clause():
    assert len(parse_clauses("1. Term\nIt ends on\n2029 June 30.")) == 1


@pytest.mark.parametrize("text, message", [
    ("", "Paste the clauses"),
    ("Intro\n1. Purpose\nx", "Line 1 comes before the first clause"),
    ("1. Purpose\n2. Scope\nx", "Clause 1 has no text"),
    ("1. A\nx\n1. B\ny", "Clause number 1 is used twice"),
])
def test_problems_are_named(text, message):
    with pytest.raises(Invalid) as error:
        parse_clauses(text)
    assert message in error.value.message
