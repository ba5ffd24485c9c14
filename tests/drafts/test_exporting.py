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


# --- nothing in a title or a clause is read as Markdown structure or HTML (issue 11, item 10) --

HOSTILE_TITLE = "Agreement --> <img src=x onerror=alert(1)> [click](javascript:alert(1)) &amp; C:\\new #1"
HOSTILE_CLAUSES = [
    {"number": "1", "heading": "Scope <b>bold</b> -->", "body": "Text <script>alert(1)</script> &lt;kept&gt;.\n"
                                                             "## 2. A forged clause\n   # indented hash\n"
                                                             "[ref]: javascript:alert(1)\nSee [ref] and \\* and \\\\."},
    {"number": "2", "heading": "Searches [of lockers]", "body": "Officers may not search <students>."},
]


def _render(markdown: str):
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").parse(markdown)


def _text(inline_token) -> str:
    """What a reader sees of an inline token: its text, escapes resolved."""
    return "".join(c.content if c.type == "text" else "\n" for c in inline_token.children
                   if c.type in {"text", "softbreak"})


def test_a_hostile_title_stays_inside_the_header_comment_and_its_heading():
    text = to_markdown(HOSTILE_TITLE, 3, "2026-11-27T10:00:00Z", HOSTILE_CLAUSES)
    comment = text.split("\n", 1)[0]
    assert comment.startswith("<!--") and comment.endswith("-->") and comment.count("--") == 2
    tokens = _render(text)
    assert [t.type for t in tokens if t.type.startswith("html")] == ["html_block"]  # the header comment only
    assert [t.content for t in tokens if t.type == "html_block"] == [comment + "\n"]
    headings = [_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [HOSTILE_TITLE, "1. Scope <b>bold</b> -->", "2. Searches [of lockers]"]
    inline = [child for t in tokens if t.type == "inline" for child in t.children]
    assert not [c for c in inline if c.type in {"html_inline", "link_open", "image"}]


def test_hostile_clause_text_renders_as_text_and_reads_back_unchanged():
    text = to_markdown(HOSTILE_TITLE, 3, "2026-11-27T10:00:00Z", HOSTILE_CLAUSES)
    rendered = "".join(_text(t) for t in _render(text) if t.type == "inline")
    assert "<script>alert(1)</script>" in rendered and "&lt;kept&gt;" in rendered  # as text
    assert "## 2. A forged clause" in rendered and "[ref]: javascript:alert(1)" in rendered
    assert "See [ref] and \\* and \\\\." in rendered
    draft = parse_text(text)
    assert draft.title == HOSTILE_TITLE
    assert draft.clauses == HOSTILE_CLAUSES


def test_a_title_on_several_lines_is_exported_on_one():
    text = to_markdown("Agreement\n# Injected heading", 1, None, CLAUSES[:1])
    assert parse_text(text).title == "Agreement # Injected heading"
