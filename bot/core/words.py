"""How a message becomes words, the same way for messages and for list entries.

**Words.** Messages and list entries are normalised the same way:
- case-folded, accents stripped (NFKD), invisible in-word format characters (soft hyphen,
  zero-width joiners, word joiner, BOM) dropped; an apostrophe inside a word is dropped
  ("don't" -> "dont"); other punctuation and ``_`` separate words (a zero-width *space* too);
- reduplication written with a hyphen or a 2 becomes the base word ("anak-anak",
  "anak2" -> "anak"); a hyphenated derived form stays one word ("mati-matian" ->
  "matimatian"), so it never looks like "mati";
- in a word with both letters and digits, digits stand for letters (4->a, 3->e, 1->i,
  0->o, 5->s, 7->t: "m4ti" -> "mati"); words of digits alone are left as they are;
- a letter repeated counts once ("matiii", "kiiill" -> "mati", "kil"; "kill" -> "kil" in
  the lists too);
- ``spelling`` replaces chat spellings by a standard word or words ("gk" -> "tidak",
  "pgn" -> "ingin", "kms" -> "kill myself"), also before -ku/-mu/-nya ("idupku" ->
  "hidup").

**Forms.** Each word of a message also has its root (``stem``, for Indonesian affixes:
"mengakhiri" -> "akhir", "diriku" -> "diri") and, when it ends in -ku/-mu/-nya, the word
without it ("hpku" -> "hp"). A list word matches a message word when it equals any of these
forms, so a list written "akhir hidup" catches "mengakhiri hidupku", while "mengakhiri"
in a list only catches that form. Words in ``keep`` are never reduced ("matikan" would
become "mati"). Roots only count when they are list words, so words that cannot reduce to
one are not stemmed at all (this keeps long messages fast).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Stem = Callable[[str], str]
Phrase = tuple[str, ...]

MAX_TEXT = 4096
MIN_JOINED = 8
SUFFIXES = ("nya", "ku", "mu")  # possessives dropped to find the bare word
_REDUP = re.compile(r"\b([^\W\d_]+)-(\1[^\W\d_]*)\b")
_APOSTROPHE = re.compile(r"(?<=[^\W_])['\u2019\u02bc`](?=[^\W_])")
_CLAUSE = re.compile(r"[.,;:!?\n\u2026\u3002\uff0c\uff01\uff1f]+")
_PUNCT = re.compile(r"[^\w\s]|_")
_RUNS = re.compile(r"([^\W\d_])\1{2,}")
_REPEATS = re.compile(r"([^\W\d_])\1+")
_STEMMABLE = re.compile(r"[a-z]{4,30}")
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t"})
_ZWSP = "\u200b"  # a format character that separates words; the others are dropped


def _redup(match: re.Match[str]) -> str:
    base, second = match.group(1), match.group(2)
    return base if second == base else base + second


def _raw_word(word: str) -> str:
    """A word with digits read as letters and long runs cut to two (what a stemmer sees)."""
    if len(word) > 2 and word[-1] == "2" and word[-2].isalpha():
        word = word[:-1]  # "anak2": reduplication
    if any(ch.isalpha() for ch in word) and any(ch.isdigit() for ch in word):
        word = word.translate(_LEET)
    return _RUNS.sub(r"\1\1", word)


def collapse(word: str) -> str:
    return _REPEATS.sub(r"\1", word)


def clauses(text: str) -> list[list[str]]:
    """The raw words of ``text``, clause by clause."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_TEXT].casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)
                    and (ch == _ZWSP or unicodedata.category(ch) != "Cf"))
    plain = _APOSTROPHE.sub("", plain)
    out = []
    for clause in _CLAUSE.split(plain):
        words = [_raw_word(w) for w in _PUNCT.sub(" ", _REDUP.sub(_redup, clause)).split()]
        if words:
            out.append(words)
    return out


def normalise(text: str) -> list[str]:
    """The words of ``text`` before spelling is applied (see the module docstring)."""
    return [collapse(word) for clause in clauses(text) for word in clause]


def bare(word: str) -> str | None:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return None


@dataclass(frozen=True, slots=True)
class Words:
    """A message as words: every form of each word, and the clause each word is in."""

    forms: list[tuple[str, ...]]
    clause: list[int]

    def index(self, surface_only: bool = False) -> dict[str, set[int]]:
        found: dict[str, set[int]] = {}
        for at, forms in enumerate(self.forms):
            for form in forms[:1] if surface_only else forms:
                found.setdefault(form, set()).add(at)
        return found


@dataclass(frozen=True, slots=True)
class Normaliser:
    spelling: Mapping[str, tuple[str, ...]]  # collapsed chat spelling -> raw standard words
    keep: frozenset[str]
    vocabulary: frozenset[str]  # every list word: the only roots worth having
    tails: re.Pattern[str] | None  # what a word must contain to reduce to a list word
    stem: Stem | None

    def spelled(self, raw: str) -> tuple[str, ...]:
        key = collapse(raw)
        found = self.spelling.get(key)
        if found is None and (base := bare(key)) is not None:
            found = self.spelling.get(base)  # "idupku" -> "hidup"
        return found if found is not None else (raw,)

    def forms(self, raw: str) -> tuple[str, ...]:
        surface = collapse(raw)
        out = [surface]
        if surface in self.keep:
            return (surface,)
        if self.stem is not None and self._could_reduce(raw):
            root = collapse(self.stem(raw))
            if root != surface and root in self.vocabulary:
                out.append(root)
        base = bare(surface)
        if base is not None and base not in out:
            out.append(base)
        return tuple(out)

    def _could_reduce(self, raw: str) -> bool:
        """Whether a stemmer could turn ``raw`` into a list word (a prefix may change the
        root's first letter, "menyakiti" -> "sakit", so its other letters must be there)."""
        return (self.tails is not None and _STEMMABLE.fullmatch(raw) is not None
                and self.tails.search(collapse(raw)) is not None)

    def split(self, raw: str) -> tuple[str, ...]:
        """Two list words written together ("pengenmati", "capekhidup"), else ``raw``."""
        word = collapse(raw)
        if len(word) < MIN_JOINED or word in self.vocabulary or word in self.spelling:
            return (raw,)
        def known(part: str) -> bool:
            return part in self.vocabulary or part in self.spelling

        for cut in range(3, len(word) - 2):
            if known(word[:cut]) and known(word[cut:]):
                return (word[:cut], word[cut:])
        return (raw,)

    def words(self, text: str) -> Words:
        forms: list[tuple[str, ...]] = []
        clause: list[int] = []
        for number, raws in enumerate(clauses(text)):
            for raw in (part for whole in raws for part in self.split(whole)):
                for word in self.spelled(raw):
                    forms.append(self.forms(word))
                    clause.append(number)
        return Words(forms, clause)

    def phrase(self, text: str) -> Phrase:
        """A list entry as words (spelling applied, no roots: lists say what they mean)."""
        return tuple(collapse(word) for clause in clauses(text) for raw in clause
                     for word in self.spelled(raw))
