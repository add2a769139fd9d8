"""Match free text against the safety phrases; the text itself is never logged or stored.

Messages and phrases are normalised the same way, then compared word by word:
- case-folded, accents stripped (NFKD), invisible in-word format characters (soft hyphen,
  zero-width joiners, word joiner, BOM) dropped, punctuation and ``_`` turned into spaces
  (a zero-width *space* still separates words);
- reduplication written with a hyphen or a 2 becomes the base word ("anak-anak",
  "anak2" -> "anak"); a hyphenated derived form stays one word ("mati-matian" ->
  "matimatian"), so it never looks like "mati";
- in a word with both letters and digits, digits stand for letters (4->a, 3->e, 1->i,
  0->o, 5->s, 7->t: "m4ti" -> "mati"); words of digits alone are left as they are;
- a letter repeated (2 or more times) counts once ("matiii", "kiiill" -> "mati", "kil";
  "kill" -> "kil" on the phrase side too).

A phrase matches whole words in order, with at most one extra word between consecutive
phrase words ("pengen banget mati" matches "pengen mati"); "matikan lampu" does not match
"mati". A phrase of several words also matches them written together as one word
("bunuhdiri") when that word has at least 8 letters. Negations are not handled ("tidak mau
bunuh diri" still matches): a false alarm costs a private note to a facilitator, a miss
costs more, and a human reviews every alert.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

_REDUP = re.compile(r"\b([^\W\d_]+)-(\1[^\W\d_]*)\b")
_PUNCT = re.compile(r"[^\w\s]|_")
_REPEATS = re.compile(r"([^\W\d_])\1+")
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t"})
MAX_GAP = 1
MAX_TEXT = 4096
MIN_JOINED = 8
_ZWSP = "\u200b"  # a format character that separates words; the others are dropped


def _redup(match: re.Match[str]) -> str:
    base, second = match.group(1), match.group(2)
    return base if second == base else base + second


def _word(word: str) -> str:
    if len(word) > 2 and word[-1] == "2" and word[-2].isalpha():
        word = word[:-1]  # "anak2": reduplication
    if any(ch.isalpha() for ch in word) and any(ch.isdigit() for ch in word):
        word = word.translate(_LEET)
    return _REPEATS.sub(r"\1", word)


def normalise(text: str) -> list[str]:
    """Return the words of ``text`` in the form phrases are matched against."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_TEXT].casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)
                    and (ch == _ZWSP or unicodedata.category(ch) != "Cf"))
    plain = _PUNCT.sub(" ", _REDUP.sub(_redup, plain))
    return [_word(word) for word in plain.split()]


def _follows(words: Sequence[str], phrase: Sequence[str], at: int, matched: int) -> bool:
    """Whether phrase[matched:] follows words[at], each within MAX_GAP extra words."""
    if matched == len(phrase):
        return True
    stop = min(len(words), at + 2 + MAX_GAP)
    return any(words[i] == phrase[matched] and _follows(words, phrase, i, matched + 1)
               for i in range(at + 1, stop))


def _contains(words: Sequence[str], phrase: tuple[str, ...]) -> bool:
    if len(phrase) > 1:
        joined = "".join(phrase)
        if len(joined) >= MIN_JOINED and joined in words:
            return True
    return any(word == phrase[0] and _follows(words, phrase, start, 1)
               for start, word in enumerate(words))


@dataclass(frozen=True, slots=True)
class SafetyMatcher:
    """Phrases by category, pre-normalised."""

    phrases: Mapping[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def from_terms(cls, terms: Mapping[str, Iterable[str]]) -> SafetyMatcher:
        """Build a matcher from phrases by category (normalised here, duplicates dropped)."""
        built: dict[str, tuple[tuple[str, ...], ...]] = {}
        for category, items in terms.items():
            phrases = (tuple(normalise(item)) for item in items)
            built[category] = tuple(dict.fromkeys(p for p in phrases if p))
        return cls(built)

    def match(self, text: str) -> tuple[str, ...]:
        """Return the categories whose phrases occur in ``text`` (in declaration order)."""
        words = normalise(text)
        if not words:
            return ()
        return tuple(
            category for category, phrases in self.phrases.items()
            if any(_contains(words, phrase) for phrase in phrases)
        )
