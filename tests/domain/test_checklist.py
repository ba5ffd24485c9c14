"""The coverage checklist ships complete: every SECURe item and model provision of the domain
brief has an id, a text, why it matters, keywords for suggestions and a slot for Spanish."""
from __future__ import annotations

import json

from collab.demo import content
from collab.domain.checklist import CHECKLIST_PATH, checklist, find_item, suggest_items

SECURE_IDS = ["S1.1", "S1.2", "S1.3", "S1.4", "S1.5", "S1.6", "S1.7", "S1.8", "S1.9",
              "S2.1", "S2.2", "S2.3", "S2.4", "S3.1", "S4.1", "S5.1", "S5.2"]
# "What model MOUs contain" in the domain brief, one id each.
PROVISION_IDS = ["P.parties", "P.purpose", "P.scope", "P.roles", "P.discipline", "P.arrests", "P.questioning",
                 "P.searches", "P.force", "P.disability", "P.information", "P.cameras", "P.immigration",
                 "P.selection", "P.training", "P.supervision", "P.data", "P.review", "P.complaints",
                 "P.engagement", "P.funding", "P.emergencies", "P.nondiscrimination", "P.termination"]


def test_the_checklist_loads_and_holds_every_item_and_provision_once():
    items = checklist()
    assert [i.id for i in items] == SECURE_IDS + PROVISION_IDS
    assert {i.kind for i in items if i.id in SECURE_IDS} == {"secure"}
    assert {i.kind for i in items if i.id in PROVISION_IDS} == {"provision"}


def test_every_item_has_text_why_keywords_and_a_spanish_slot():
    raw = json.loads(CHECKLIST_PATH.read_text(encoding="utf-8"))["items"]
    for entry in raw:
        assert set(entry["text"]) == {"en", "es"} and set(entry["why"]) == {"en", "es"}, entry["id"]
    for item in checklist():
        assert item.text_in("en").strip() and item.why_in("en").strip(), item.id
        assert item.text_in("es") == item.text["es"] or item.text_in("es") == item.text["en"]
        assert item.keywords and all(k == k.lower() and k.strip() for k in item.keywords), item.id


def test_unknown_ids_are_not_items():
    assert find_item("S9.9") is None and find_item(None) is None and find_item(3) is None
    assert find_item("S1.3").text_in().startswith("Follows the state's model")


def test_the_demo_model_tags_every_item_and_only_known_ones():
    content.check()
    tagged = {item_id for tags in content.COVERAGE.values() for item_id in tags}
    assert tagged == set(SECURE_IDS + PROVISION_IDS)
    assert all(strength in ("addresses", "partly") for tags in content.COVERAGE.values() for strength in tags.values())


def test_suggestions_come_from_the_words_of_the_clause_best_first():
    suggested = suggest_items("Arrests, Citations and Court Referrals",
                              "Arrests shall be a last resort, after diversion is considered.")
    assert [s["id"] for s in suggested[:2]] == ["S2.2", "P.arrests"]
    assert "diversion" in suggested[0]["matched"]
    assert suggest_items("", "The weather is fine.") == []
    # A keyword matches where a word starts, never inside a word.
    assert "P.funding" not in [s["id"] for s in suggest_items("", "They repay it.")]
