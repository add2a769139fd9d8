"""Match free text against the safety phrases; the text itself is never logged or stored.

Normalisation: case-folded, accents stripped, punctuation turned into spaces, letters
repeated three or more times collapsed ("matiii" -> "mati"), and a few digit-for-letter
spellings in otherwise alphabetic words undone ("m4ti" -> "mati"). A phrase matches
whole words in order, with at most one extra word between consecutive phrase words
("pengen banget mati" matches "pengen mati"), so "matikan lampu" does not match "mati".
False positives are preferred to misses; a human reviews every alert.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_PUNCT = re.compile(r"[^\w\s]|_")
_REPEATS = re.compile(r"(\w)\1{2,}")
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t"})
MAX_GAP = 1
MAX_TEXT = 4096


def normalise(text: str) -> list[str]:
    """Return the words of ``text`` in the form phrases are matched against."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_TEXT].casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _PUNCT.sub(" ", plain)
    words = []
    for word in plain.split():
        if any(ch.isalpha() for ch in word) and any(ch.isdigit() for ch in word):
            word = word.translate(_LEET)
        words.append(_REPEATS.sub(r"\1", word))
    return words


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    for start, word in enumerate(words):
        if word != phrase[0]:
            continue
        position, matched = start, 1
        while matched < len(phrase):
            window = words[position + 1 : position + 2 + MAX_GAP]
            if phrase[matched] not in window:
                break
            position += 1 + window.index(phrase[matched])
            matched += 1
        if matched == len(phrase):
            return True
    return False


@dataclass(frozen=True, slots=True)
class SafetyMatcher:
    """Phrases by category, pre-normalised."""

    phrases: Mapping[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def from_terms(cls, terms: Mapping[str, Iterable[str]]) -> SafetyMatcher:
        return cls({
            category: tuple(tuple(normalise(t)) for t in items if normalise(t))
            for category, items in terms.items()
        })

    def match(self, text: str) -> tuple[str, ...]:
        """Return the categories whose phrases occur in ``text`` (in declaration order)."""
        words = normalise(text)
        if not words:
            return ()
        return tuple(
            category for category, phrases in self.phrases.items()
            if any(_contains(words, phrase) for phrase in phrases)
        )
