"""How hard a plain-language summary is to read (textstat's Flesch scores) and how long it is."""
from __future__ import annotations

SUMMARY_WORD_LIMIT = 150


def _textstat():
    # Imported on first use: textstat loads pkg_resources, which would slow every server start.
    import textstat

    return textstat


def word_count(text: str) -> int:
    return _textstat().lexicon_count(text or "", removepunct=True)


def readability(text: str) -> dict:
    """Words, Flesch reading ease (higher is easier; 60–70 is plain English) and the US school
    grade a reader needs (Flesch–Kincaid), with a short verdict the writer can act on."""
    text = text or ""
    words = word_count(text)
    if not words:
        return {"words": 0, "limit": SUMMARY_WORD_LIMIT, "over_limit": False, "reading_ease": None,
                "grade_level": None, "verdict": "Nothing to score yet."}
    textstat = _textstat()
    ease = round(float(textstat.flesch_reading_ease(text)), 1)
    grade = round(float(textstat.flesch_kincaid_grade(text)), 1)
    return {"words": words, "limit": SUMMARY_WORD_LIMIT, "over_limit": words > SUMMARY_WORD_LIMIT,
            "reading_ease": ease, "grade_level": grade, "verdict": _verdict(ease)}


def _verdict(ease: float) -> str:
    if ease >= 70:
        return "Easy to read."
    if ease >= 60:
        return "Plain English."
    if ease >= 50:
        return "Fairly hard: try shorter sentences and everyday words."
    return "Hard to read: use shorter sentences and everyday words."
