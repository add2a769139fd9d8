"""Match free text against the safety lists; the text itself is never logged or stored.

A message is turned into words, then checked category by category. Everything the matcher
knows comes from ``MatchRules`` (built from content/safety.yaml by bot.contentschema.safety);
the stemmer is injected (``stem``), so this module stays pure.

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

**Phrases** (a category's ``phrases``) are enough alone: their words in order, with at most
one extra word between consecutive ones ("pengen banget mati" has "pengen mati"); a phrase
of several words also matches them written together when that is at least 8 letters
("bunuhdiri").

**Rules** (a category's ``near``) need two ideas close together: a phrase of one group of
concepts, then, with at most ``within`` words between, a phrase of another ("ingin" ...
"mati"). A rule does not fire when a word of ``things`` (a phone, a lamp, a plant) comes up
to 4 words before its second part in the same clause (commas and full stops end clauses),
unless a word of ``persons`` stands between them other than right after the thing: "hp ku
mau mati" and "hp aku mau mati" are about the phone; "hp rusak, aku pengen mati" is not.

**Ordinary uses** (``ordinary``) are phrases whose words mean nothing alarming there ("mati
lampu", "dying to"); they are compared word for word (no roots) and blanked out before
anything else is matched.

Negations are not handled ("tidak mau bunuh diri" still matches): a false alarm costs a
private note to a facilitator, a miss costs more, and a human reviews every alert.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

Stem = Callable[[str], str]
Phrase = tuple[str, ...]
Span = tuple[int, int]  # first and last word index, inclusive

MAX_GAP = 1
MAX_TEXT = 4096
MIN_JOINED = 8
THING_REACH = 4  # words a thing may stand before a rule's second part and still cancel it
SUFFIXES = ("nya", "ku", "mu")  # possessives dropped to find the bare word
MIN_TAIL = 3  # roots of 4+ letters are looked for in words (see _could_reduce)

_REDUP = re.compile(r"\b([^\W\d_]+)-(\1[^\W\d_]*)\b")
_APOSTROPHE = re.compile(r"(?<=[^\W_])['\u2019\u02bc`](?=[^\W_])")
_CLAUSE = re.compile(r"[.,;:!?\n\u2026\u3002\uff0c\uff01\uff1f]+")
_PUNCT = re.compile(r"[^\w\s]|_")
_RUNS = re.compile(r"([^\W\d_])\1{2,}")
_REPEATS = re.compile(r"([^\W\d_])\1+")
_STEMMABLE = re.compile(r"[a-z]{4,30}")
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t"})
_ZWSP = "\u200b"  # a format character that separates words; the others are dropped


@dataclass(frozen=True, slots=True)
class Rule:
    """A phrase of a ``first`` concept, then one of a ``then`` concept, ``within`` words."""

    first: tuple[str, ...]  # concept names
    then: tuple[str, ...]
    within: int


@dataclass(frozen=True, slots=True)
class CategoryRules:
    id: str
    phrases: tuple[str, ...] = ()  # enough alone
    near: tuple[Rule, ...] = ()


@dataclass(frozen=True, slots=True)
class MatchRules:
    """Everything the matcher is built from, as written in the content (not normalised)."""

    categories: tuple[CategoryRules, ...]  # in priority order
    spelling: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    keep: tuple[str, ...] = ()
    ordinary: tuple[str, ...] = ()
    things: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    concepts: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


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


def _collapse(word: str) -> str:
    return _REPEATS.sub(r"\1", word)


def _clauses(text: str) -> list[list[str]]:
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
    return [_collapse(word) for clause in _clauses(text) for word in clause]


def _bare(word: str) -> str | None:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return None


@dataclass(frozen=True, slots=True)
class _Words:
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
class _Normaliser:
    spelling: Mapping[str, tuple[str, ...]]  # collapsed chat spelling -> raw standard words
    keep: frozenset[str]
    vocabulary: frozenset[str]  # every list word: the only roots worth having
    tails: re.Pattern[str] | None  # what a word must contain to reduce to a list word
    stem: Stem | None

    def spelled(self, raw: str) -> tuple[str, ...]:
        key = _collapse(raw)
        found = self.spelling.get(key)
        if found is None and (bare := _bare(key)) is not None:
            found = self.spelling.get(bare)  # "idupku" -> "hidup"
        return found if found is not None else (raw,)

    def forms(self, raw: str) -> tuple[str, ...]:
        surface = _collapse(raw)
        out = [surface]
        if surface in self.keep:
            return (surface,)
        if self.stem is not None and self._could_reduce(raw):
            root = _collapse(self.stem(raw))
            if root != surface and root in self.vocabulary:
                out.append(root)
        bare = _bare(surface)
        if bare is not None and bare not in out:
            out.append(bare)
        return tuple(out)

    def _could_reduce(self, raw: str) -> bool:
        """Whether a stemmer could turn ``raw`` into a list word (a prefix may change the
        root's first letter, "menyakiti" -> "sakit", so its other letters must be there)."""
        return (self.tails is not None and _STEMMABLE.fullmatch(raw) is not None
                and self.tails.search(_collapse(raw)) is not None)

    def split(self, raw: str) -> tuple[str, ...]:
        """Two list words written together ("pengenmati", "capekhidup"), else ``raw``."""
        word = _collapse(raw)
        if len(word) < MIN_JOINED or word in self.vocabulary or word in self.spelling:
            return (raw,)
        def known(part: str) -> bool:
            return part in self.vocabulary or part in self.spelling

        for cut in range(3, len(word) - 2):
            if known(word[:cut]) and known(word[cut:]):
                return (word[:cut], word[cut:])
        return (raw,)

    def words(self, text: str) -> _Words:
        forms: list[tuple[str, ...]] = []
        clause: list[int] = []
        for number, raws in enumerate(_clauses(text)):
            for raw in (part for whole in raws for part in self.split(whole)):
                for word in self.spelled(raw):
                    forms.append(self.forms(word))
                    clause.append(number)
        return _Words(forms, clause)

    def phrase(self, text: str) -> Phrase:
        """A list entry as words (spelling applied, no roots: lists say what they mean)."""
        return tuple(_collapse(word) for clause in _clauses(text) for raw in clause
                     for word in self.spelled(raw))


def _spans(index: Mapping[str, set[int]], phrase: Phrase) -> list[Span]:
    """Where ``phrase`` occurs: its words in order, each at most MAX_GAP words after the last."""
    found: list[Span] = []
    if len(phrase) > 1:
        joined = "".join(phrase)
        if len(joined) >= MIN_JOINED:
            found.extend((at, at) for at in index.get(joined, ()))
    for start in index.get(phrase[0], ()):
        ends = {start}
        for word in phrase[1:]:
            hits = index.get(word)
            if not hits:
                return found
            ends = {at for end in ends for at in range(end + 1, end + 2 + MAX_GAP)
                    if at in hits}
            if not ends:
                break
        if ends:
            found.append((start, min(ends)))
    return found


@dataclass(frozen=True, slots=True)
class SafetyMatcher:
    """Phrases and rules by category, pre-normalised; ``match`` is all callers need."""

    phrases: Mapping[str, tuple[Phrase, ...]]
    near: Mapping[str, tuple[Rule, ...]]
    concepts: Mapping[str, tuple[Phrase, ...]]
    ordinary: tuple[Phrase, ...]
    things: frozenset[str]
    persons: frozenset[str]
    normaliser: _Normaliser

    @classmethod
    def build(cls, rules: MatchRules, stem: Stem | None = None) -> SafetyMatcher:
        """Normalise every list; ``stem`` reduces an Indonesian word to its root."""
        spelling = _spelling(rules.spelling)
        keep = frozenset(w for entry in rules.keep for w in normalise(entry))
        plain = _Normaliser(spelling, keep, frozenset(), None, None)

        def phrases(items: Iterable[str]) -> tuple[Phrase, ...]:
            return tuple(dict.fromkeys(p for p in map(plain.phrase, items) if p))

        concepts = {name: phrases(items) for name, items in rules.concepts.items()}
        by_category = {c.id: phrases(c.phrases) for c in rules.categories}
        near = {c.id: c.near for c in rules.categories}
        for rule in (r for c in rules.categories for r in c.near):
            unknown = [n for n in (*rule.first, *rule.then) if n not in concepts]
            if unknown:
                raise ValueError(f"a rule names unknown concepts: {', '.join(unknown)}")
        things = frozenset(w for p in phrases(rules.things) for w in p)
        persons = frozenset(w for p in phrases(rules.persons) for w in p)
        vocabulary = frozenset(
            w for group in (*concepts.values(), *by_category.values()) for p in group
            for w in p) | things
        tails = sorted({w[1:] for w in vocabulary if len(w) > MIN_TAIL}, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, tails))) if tails else None
        normaliser = _Normaliser(spelling, keep, vocabulary, pattern, stem)
        return cls(MappingProxyType(by_category), MappingProxyType(near),
                   MappingProxyType(concepts), phrases(rules.ordinary), things, persons,
                   normaliser)

    @classmethod
    def from_terms(cls, terms: Mapping[str, Iterable[str]],
                   stem: Stem | None = None) -> SafetyMatcher:
        """A matcher of phrases only, by category (no spelling table, no rules)."""
        return cls.build(MatchRules(tuple(CategoryRules(k, tuple(v)) for k, v in terms.items())),
                         stem)

    def words(self, text: str) -> list[str]:
        """The words of ``text`` as the matcher reads them (spelling applied)."""
        return [forms[0] for forms in self.normaliser.words(text).forms]

    def match(self, text: str) -> tuple[str, ...]:
        """Return the categories whose phrases or rules occur in ``text`` (declaration order)."""
        words = self.normaliser.words(text)
        if not words.forms:
            return ()
        if self.ordinary:
            surface = words.index(surface_only=True)
            for phrase in self.ordinary:
                for start, end in _spans(surface, phrase):
                    for at in range(start, end + 1):
                        words.forms[at] = ()
        index = words.index()
        spans: dict[str, list[Span]] = {}

        def concept(name: str) -> list[Span]:
            if name not in spans:
                spans[name] = [s for p in self.concepts[name] for s in _spans(index, p)]
            return spans[name]

        def fires(rule: Rule) -> bool:
            firsts = [s for name in rule.first for s in concept(name)]
            if not firsts:
                return False
            for start, _ in (s for name in rule.then for s in concept(name)):
                if any(end < start and start - end - 1 <= rule.within for _, end in firsts) \
                        and not self._about_a_thing(words, index, start):
                    return True
            return False

        return tuple(
            category for category, phrases in self.phrases.items()
            if any(_spans(index, phrase) for phrase in phrases)
            or any(fires(rule) for rule in self.near.get(category, ()))
        )

    def _about_a_thing(self, words: _Words, index: Mapping[str, set[int]], at: int) -> bool:
        """Whether a thing stands shortly before word ``at``, in its clause, as its subject."""
        things = set().union(*(index.get(w, set()) for w in self.things))
        if not things:
            return False
        persons = set().union(*(index.get(w, set()) for w in self.persons))
        for before in range(at - 1, max(-1, at - THING_REACH - 2), -1):
            if words.clause[before] != words.clause[at]:
                return False
            if before in things and not any(p in persons for p in range(before + 2, at)):
                return True
        return False


def _spelling(table: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Chat spelling (collapsed, as looked up) -> the standard words that replace it."""
    out: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        words = tuple(w for clause in _clauses(value) for w in clause)
        found = normalise(key)
        if len(found) == 1 and words:
            out[found[0]] = words
    return out


def phrase_reader(spelling: Mapping[str, str]) -> Callable[[str], Phrase]:
    """How list entries read once ``spelling`` is applied (for checking the lists)."""
    return _Normaliser(_spelling(spelling), frozenset(), frozenset(), None, None).phrase
