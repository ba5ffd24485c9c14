"""Everything people read is marked for translation and the Spanish catalogue translates it
all: a visible text left out of `_()` in a template, a string for people in a browser module
outside `_()`/`ngettext()`, or a msgid the catalogue lacks (or has empty or fuzzy) fails here."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from collab.i18n import LANGUAGES, TRANSLATIONS
from tests.i18n.js_strings import candidate_strings
from tests.i18n.template_text import unmarked_text

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html")) + sorted((ROOT / "templates").rglob("*.txt"))
MODULES = sorted((ROOT / "static" / "js").glob("*.js"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_every_visible_text_of_a_template_is_marked_for_translation(template):
    assert unmarked_text(template.read_text(encoding="utf-8"), html=template.suffix == ".html") == []


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_every_string_for_people_in_a_browser_module_comes_from_the_catalogue(module):
    assert candidate_strings(module.read_text(encoding="utf-8")) == []


def test_the_scanners_catch_what_is_left_unmarked():
    assert sorted(unmarked_text('<p title="Read me">Hello {{ name }}</p>{{ _("Done") }}')) == ["Hello", "Read me"]
    assert unmarked_text("{% if x %}<b>{{ _('Fine') }}</b>{% endif %}<script>const a = 'Not text';</script>") == []
    found = [text for _line, text in candidate_strings('say("Posted."); say(_("Kept.")); el.className = "note done";')]
    assert found == ["Posted."]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list:
    """The msgids in the code now, extracted as `make messages` does."""
    pot = tmp_path_factory.mktemp("messages") / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "--no-location", "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as source:
        return [message for message in read_po(source) if message.id]


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_the_catalogue_translates_every_msgid_extracted_now(extracted, language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = read_po(source)
    problems = []
    for message in extracted:
        entry = catalogue.get(message.id)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else (
            (entry.string,) if entry is not None else ())
        if entry is None:
            problems.append(f"missing: {message.id!r}")
        elif entry.fuzzy or not strings or not all(strings):
            problems.append(f"{'fuzzy' if entry.fuzzy else 'empty'}: {message.id!r}")
        else:
            source_ids = message.id if isinstance(message.id, tuple) else (message.id,)
            wanted = set(PLACEHOLDER.findall(" ".join(source_ids)))
            if any(set(PLACEHOLDER.findall(text)) - wanted for text in strings) or \
                    set(PLACEHOLDER.findall(" ".join(strings))) != wanted:
                problems.append(f"placeholders differ: {message.id!r}")
    assert problems == [], f"{len(problems)} msgids need translating (make messages, then translate):\n" + \
        "\n".join(problems[:40])


def test_the_languages_are_english_and_every_catalogue():
    catalogues = {path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    assert LANGUAGES[0] == "en" and set(LANGUAGES) == {"en"} | catalogues and "es" in LANGUAGES
