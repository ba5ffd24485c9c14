from collab.drafts.exporting import to_docx, to_markdown
from collab.drafts.importing import parse_docx, parse_text

CLAUSES = [
    {"number": "1", "heading": "Purpose", "body": "The program keeps students safe.\n\nIt supports learning."},
    {"number": "2.1", "heading": "Arrests", "body": "Arrest is a last resort:\nafter diversion,\nafter a call home."},
    {"number": "A", "heading": "", "body": "# not a heading, a line that starts with a hash"},
    {"number": "3", "heading": "10 training topics", "body": "De-escalation -- and more."},
]


def test_markdown_export_reads_back_as_the_same_clauses():
    text = to_markdown("SRO agreement -- draft", 2, "2026-11-27T10:00:00Z", CLAUSES)
    draft = parse_text(text)
    assert draft.title == "SRO agreement -- draft"
    assert draft.clauses == CLAUSES
    assert draft.warnings == []


def test_word_export_reads_back_as_the_same_clauses():
    data = to_docx("SRO agreement", 2, "2026-11-27T10:00:00Z", CLAUSES)
    draft = parse_docx(data)
    assert draft.title == "SRO agreement"
    assert draft.clauses == CLAUSES


def test_item16_the_word_export_names_the_version_inside_the_document():
    import io

    import docx

    data = to_docx("SRO agreement", 3, "2026-11-27T10:00:00Z", CLAUSES)
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert [(p.style.name, p.text) for p in paragraphs[:2]] == [
        ("Title", "SRO agreement"), ("Subtitle", "Version 3, published 2026-11-27")]
    assert parse_docx(data).clauses == CLAUSES  # and it still reads back as the same clauses
