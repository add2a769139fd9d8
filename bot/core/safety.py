"""Match free text against the safety lists; the text itself is never logged or stored.

A message is turned into words, then checked category by category. Everything the matcher
knows comes from ``MatchRules`` (built from content/safety.yaml by bot.contentschema.safety);
the stemmer is injected (``stem``), so this module stays pure.

How a message becomes words (normalisation, spelling, roots) is ``bot.core.words``.

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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.core.words import (
    MAX_TEXT,
    MIN_JOINED,
    Normaliser,
    Phrase,
    Stem,
    Words,
    clauses,
    normalise,
)

__all__ = ["MAX_TEXT", "CategoryRules", "MatchRules", "Rule", "SafetyMatcher", "normalise",
           "phrase_reader"]

Span = tuple[int, int]  # first and last word index, inclusive

MAX_GAP = 1
THING_REACH = 4  # words a thing may stand before a rule's second part and still cancel it
MIN_TAIL = 3  # roots of 4+ letters are looked for in words (see _could_reduce)



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
    normaliser: Normaliser

    @classmethod
    def build(cls, rules: MatchRules, stem: Stem | None = None) -> SafetyMatcher:
        """Normalise every list; ``stem`` reduces an Indonesian word to its root."""
        spelling = _spelling(rules.spelling)
        keep = frozenset(w for entry in rules.keep for w in normalise(entry))
        plain = Normaliser(spelling, keep, frozenset(), None, None)

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
        normaliser = Normaliser(spelling, keep, vocabulary, pattern, stem)
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

    def _about_a_thing(self, words: Words, index: Mapping[str, set[int]], at: int) -> bool:
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
        words = tuple(w for clause in clauses(value) for w in clause)
        found = normalise(key)
        if len(found) == 1 and words:
            out[found[0]] = words
    return out


def phrase_reader(spelling: Mapping[str, str]) -> Callable[[str], Phrase]:
    """How list entries read once ``spelling`` is applied (for checking the lists)."""
    return Normaliser(_spelling(spelling), frozenset(), frozenset(), None, None).phrase
