"""Languages of texts: telling English from Spanish, and the seam for machine translation.

Title VI guidance warns against relying on machine translation alone, so none is built: the
district pastes or imports human translations (collab.services.translations). A provider may
be plugged in later by implementing `Translator` and calling `register_translator`; whatever it
produces must be stored with `is_machine_translated=True` so every page labels it as such.
Nothing is registered, so `translator()` is None and no code path translates."""
from __future__ import annotations

import re
from typing import Protocol

LANGUAGES = ("en", "es")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

# Frequent function words that the other language rarely uses; enough to tell a comment's
# language apart without a network call or a model.
_STOP_WORDS = {
    "en": {"the", "and", "of", "to", "is", "in", "that", "it", "for", "on", "with", "this", "are", "be",
           "not", "should", "would", "they", "we", "our", "your", "have", "has", "what", "who", "when",
           "students", "school", "police", "officer", "about", "or", "will", "can", "my", "i"},
    "es": {"el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "es", "por", "para",
           "con", "no", "se", "su", "sus", "al", "lo", "como", "más", "pero", "este", "esta", "debe",
           "deben", "estudiantes", "escuela", "policía", "oficial", "sobre", "o", "mi", "yo", "nuestros",
           "hijos", "padres", "qué", "cuando", "quién"},
}
_WORD = re.compile(r"[a-záéíóúüñ]+", re.IGNORECASE)


def detect_language(text: str | None, default: str = "en") -> str:
    """'es' or 'en' by counting stop words; `default` when the text gives no clear sign.
    Accented letters and ñ, ¿ and ¡ count towards Spanish."""
    if not text:
        return default
    words = [w.lower() for w in _WORD.findall(text)]
    scores = {language: sum(1 for w in words if w in stop) for language, stop in _STOP_WORDS.items()}
    scores["es"] += len(re.findall(r"[ñ¿¡]", text, re.IGNORECASE))
    if scores["es"] == scores["en"]:
        return default
    return "es" if scores["es"] > scores["en"] else "en"


class Translator(Protocol):
    """A machine-translation provider. Not implemented in Common Ground (see module docstring)."""

    name: str

    def translate(self, text: str, *, source: str, target: str) -> str:
        """`text` from language `source` into `target`; raises on failure, never returns a guess."""
        ...


_registered: Translator | None = None


def register_translator(provider: Translator | None) -> None:
    """Plug a provider in (or out). Its output must be stored as machine translated."""
    global _registered
    _registered = provider


def translator() -> Translator | None:
    """The registered provider: None, as none ships with Common Ground."""
    return _registered
