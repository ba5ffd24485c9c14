import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from collab.drafts.importing import match_clauses, parse_docx, parse_text
from collab.errors import Invalid


def test_markdown_with_numbered_headings_becomes_clauses():
    draft = parse_text("""# Agreement on School Resource Officers

## 1. Purpose

The program keeps students safe.

It supports learning.

## 2. Discipline
Officers do not enforce school rules.

## 2.1 Arrests
Arrest is a last resort.
""")
    assert draft.title == "Agreement on School Resource Officers"
    assert [(c["number"], c["heading"]) for c in draft.clauses] == [
        ("1", "Purpose"), ("2", "Discipline"), ("2.1", "Arrests")]
    assert draft.clauses[0]["body"] == "The program keeps students safe.\n\nIt supports learning."


def test_pasted_plain_text_with_numbered_heading_lines_becomes_clauses():
    draft = parse_text("""Memorandum of Understanding

Section 1: Purpose
The program keeps students safe.
1. Officers support staff.

II. Training
Officers complete de-escalation training
before they are assigned.
""")
    assert draft.title == "Memorandum of Understanding"
    assert [(c["number"], c["heading"]) for c in draft.clauses] == [("1", "Purpose"), ("II", "Training")]
    assert draft.clauses[0]["body"] == "The program keeps students safe.\n1. Officers support staff."


@pytest.mark.parametrize("text, code", [
    ("", "empty_import"),
    ("   \n ", "empty_import"),
    (None, "empty_import"),
    ("Just a paragraph of prose with no headings at all.", "no_clauses_found"),
    ("## 1. Purpose\n\n## 2. Scope\nText.", "empty_clause"),
    ("## 1. Purpose\nText.\n## 1. Scope\nMore.", "duplicate_clause_number"),
])
def test_malformed_text_gets_a_clear_error(text, code):
    with pytest.raises(Invalid) as raised:
        parse_text(text)
    assert raised.value.code == code
    assert raised.value.message.endswith(".")


def test_unnumbered_markdown_headings_are_numbered_with_a_warning():
    draft = parse_text("# Title\n\n## Purpose\nText.\n\n## Scope\nMore.")
    assert [c["number"] for c in draft.clauses] == ["1", "2"]
    assert draft.warnings == ["No heading had a number: the clauses were numbered 1 to 2. Check where each "
                              "clause starts; merge or split clauses below if needed."]


def word_file(paragraphs, numbered_headings=False) -> bytes:
    """A .docx as Word writes it; with `numbered_headings`, Heading 1 carries Word's
    automatic numbering ("1.", "2.", …) which is not part of the paragraph text."""
    document = docx.Document()
    if numbered_headings:
        numbering = document.part.numbering_part.element
        numbering.append(parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
            '</w:abstractNum>'))
        numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
        for level, name in ((0, "Heading 1"), (1, "Heading 2")):
            ppr = document.styles[name].element.get_or_add_pPr()
            ppr.append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_file_with_automatic_heading_numbers_becomes_clauses():
    data = word_file([
        ("Title", "Memorandum of Understanding"),
        ("Heading 1", "Purpose"),
        ("Normal", "The program keeps students safe."),
        ("Heading 1", "Roles"),
        ("Normal", "Officers do not enforce school rules."),
        ("Heading 2", "Arrests"),
        ("Normal", "Arrest is a last resort."),
        ("List Bullet", "after diversion"),
        ("Heading 1", "Training"),
        ("Normal", "Officers are trained."),
    ], numbered_headings=True)
    draft = parse_docx(data)
    assert draft.title == "Memorandum of Understanding"
    assert [(c["number"], c["heading"]) for c in draft.clauses] == [
        ("1", "Purpose"), ("2", "Roles"), ("2.1", "Arrests"), ("3", "Training")]
    assert draft.clauses[2]["body"] == "Arrest is a last resort.\n\n- after diversion"


def test_a_word_file_with_typed_numbers_becomes_clauses():
    draft = parse_docx(word_file([
        ("Heading 1", "1. Purpose"), ("Normal", "Safety."),
        ("Heading 1", "2. Scope"), ("Normal", "Grounds and buses."),
    ]))
    assert [(c["number"], c["heading"], c["body"]) for c in draft.clauses] == [
        ("1", "Purpose", "Safety."), ("2", "Scope", "Grounds and buses.")]


def test_a_word_file_without_heading_styles_falls_back_to_numbered_lines():
    draft = parse_docx(word_file([
        ("Normal", "Agreement"), ("Normal", "1. Purpose"), ("Normal", "Safety first."),
        ("Normal", "2. Scope"), ("Normal", "Grounds and buses."),
    ]))
    assert draft.title == "Agreement"
    assert [c["heading"] for c in draft.clauses] == ["Purpose", "Scope"]


def zipped(files: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("data, code", [
    (b"", "empty_import"),
    (b"%PDF-1.7 not a word file", "not_a_docx"),
    (b"\xd0\xcf\x11\xe0 an old .doc file", "not_a_docx"),
    (zipped({"hello.txt": "not word"}), "not_a_docx"),
    (zipped({"[Content_Types].xml": "<broken", "word/document.xml": "<broken"}), "unreadable_docx"),
])
def test_malformed_word_files_get_a_clear_error(data, code):
    with pytest.raises(Invalid) as raised:
        parse_docx(data)
    assert raised.value.code == code


def test_a_word_file_with_no_headings_or_text_gets_a_clear_error():
    with pytest.raises(Invalid) as raised:
        parse_docx(word_file([("Normal", "Just prose, no clauses.")]))
    assert raised.value.code == "no_clauses_found"
    with pytest.raises(Invalid) as raised:
        parse_docx(word_file([]))
    assert raised.value.code == "empty_import"


def test_imported_clauses_take_the_ids_of_the_clauses_they_revise():
    existing = [{"id": 10, "number": "1", "heading": "Purpose", "body": "a"},
                {"id": 11, "number": "2", "heading": "Discipline", "body": "b"},
                {"id": 12, "number": "3", "heading": "Arrests", "body": "c"}]
    imported = [{"number": "1", "heading": "Arrests", "body": "c2"},
                {"number": "2", "heading": "Discipline and rules", "body": "b2"},
                {"number": "4", "heading": "Data", "body": "d"}]
    assert [c["id"] for c in match_clauses(existing, imported)] == [12, 11, None]


def test_text_over_the_import_limit_is_too_large():
    from collab.drafts.importing import TEXT_MAX
    from collab.errors import TooLarge

    with pytest.raises(TooLarge) as raised:
        parse_text("1. Purpose\n" + "x" * TEXT_MAX)
    assert raised.value.status == 413 and raised.value.code == "import_too_large"


# --- item 17: agreements as districts really write them ------------------------------

SRO_TEMPLATE = [
    ("School Resource Officer Agreement", None),
    (None, "This agreement is made between the Springfield Public Schools and the Springfield "
           "Police Department.\nIt takes effect when both parties have signed it."),
    ("Goals and Objectives", "The program keeps students and staff safe and supports learning."),
    ("Assignment of School Resource Officer", "The Department assigns one officer to each high school. "
                                              "The principal takes part in the selection."),
    ("Hours and Special Events", "The officer works regular school hours.\n\nEvening events are staffed "
                                 "only when the principal asks in writing."),
    ("TERM AND TERMINATION", "Either party may end this agreement with 60 days' notice."),
]
EXPECTED = [
    ("0", "Preamble", "This agreement is made between the Springfield Public Schools and the Springfield "
                      "Police Department.\nIt takes effect when both parties have signed it."),
    ("1", "Goals and Objectives", "The program keeps students and staff safe and supports learning."),
    ("2", "Assignment of School Resource Officer", SRO_TEMPLATE[3][1]),
    ("3", "Hours and Special Events", SRO_TEMPLATE[4][1]),
    ("4", "TERM AND TERMINATION", SRO_TEMPLATE[5][1]),
]


def _shape(draft):
    return [(c["number"], c["heading"], c["body"]) for c in draft.clauses]


def test_item17_an_unnumbered_template_in_plain_text_becomes_clauses_with_its_preamble():
    text = "\r\n\r\n".join(part for heading, body in SRO_TEMPLATE for part in (heading, body) if part)
    draft = parse_text(text)
    assert draft.title == "School Resource Officer Agreement"
    assert _shape(draft) == EXPECTED
    assert any("numbered 0 to 4" in w for w in draft.warnings)


def test_item17_an_unnumbered_template_in_markdown_becomes_clauses():
    lines = ["# School Resource Officer Agreement", "", SRO_TEMPLATE[1][1], ""]
    for heading, body in SRO_TEMPLATE[2:]:
        lines += [f"## {heading}", "", body, ""]
    draft = parse_text("\n".join(lines))
    assert draft.title == "School Resource Officer Agreement"
    assert _shape(draft) == EXPECTED


def test_item17_an_unnumbered_word_template_becomes_clauses_by_style_or_by_shape():
    styled = [("Title", SRO_TEMPLATE[0][0])]
    styled += [("Normal", line) for line in SRO_TEMPLATE[1][1].split("\n")]
    for heading, body in SRO_TEMPLATE[2:]:
        styled += [("Heading 1", heading)] + [("Normal", p) for p in body.split("\n\n")]
    draft = parse_docx(word_file(styled))
    assert draft.title == "School Resource Officer Agreement"
    assert [c[:2] for c in _shape(draft)] == [c[:2] for c in EXPECTED]
    assert draft.clauses[3]["body"] == SRO_TEMPLATE[4][1]
    # The same template typed without any heading styles: headings found by their shape.
    plain = [("Normal", SRO_TEMPLATE[0][0])] + [(s if s != "Heading 1" else "Normal", t) for s, t in styled[1:]]
    draft = parse_docx(word_file(plain))
    assert [c[:2] for c in _shape(draft)] == [c[:2] for c in EXPECTED]


def test_item17_article_section_roman_lettered_and_numbered_headings_are_recognised():
    text = ("MEMORANDUM OF UNDERSTANDING\n\nARTICLE I - PURPOSE\nThe program keeps students safe.\n\n"
            "Article 2. Duties\nThe officer does not enforce school rules.\n\n"
            "Section 3 — Arrests\nArrest is a last resort.\n\nARTICLE IV – TRAINING\nTraining is yearly.")
    draft = parse_text(text)
    assert draft.title == "MEMORANDUM OF UNDERSTANDING"
    assert [(c["number"], c["heading"]) for c in draft.clauses] == [
        ("I", "PURPOSE"), ("2", "Duties"), ("3", "Arrests"), ("IV", "TRAINING")]
    lettered = parse_text("A. Purpose\nKeep students safe.\n\nB. Scope\nSchool grounds and buses.")
    assert [(c["number"], c["heading"]) for c in lettered.clauses] == [("A", "Purpose"), ("B", "Scope")]
    numbered = parse_text("1) Purpose\nKeep students safe.\n\n2) Scope\nSchool grounds and buses.")
    assert [(c["number"], c["heading"]) for c in numbered.clauses] == [("1", "Purpose"), ("2", "Scope")]


def test_item17_prose_lines_are_not_taken_for_headings():
    draft = parse_text("Purpose\nThe officer keeps students safe. Arrest is a last resort.\n\n"
                       "The district reviews the agreement every year.\n\nTraining\nTraining is yearly.")
    assert [c["heading"] for c in draft.clauses] == ["Purpose", "Training"]
    assert "reviews the agreement every year." in draft.clauses[0]["body"]
