"""What the safety check looks for and offers: categories, messages, resources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType

from bot.core.content.texts import Text
from bot.core.models import Language
from bot.core.safety import CategoryRules, MatchRules, Rule


@dataclass(frozen=True, slots=True)
class Resource:
    """A service to contact: name and contact as written, ``what`` per language."""

    id: str
    name: str
    contact: str
    what: Text
    verified: date  # when the contact details were last checked against a source
    source: str
    url: str | None = None

    def description(self, lang: Language | str) -> str:
        return self.what.get(lang)


@dataclass(frozen=True, slots=True)
class SafetyCategory:
    id: str
    title: Text
    message: Text
    resources: tuple[str, ...]
    terms: tuple[str, ...]  # phrases as the matcher reads them, every language together
    near: tuple[Rule, ...] = ()  # concept rules (names in Safety.matching.concepts)


@dataclass(frozen=True, slots=True)
class Safety:
    categories: tuple[SafetyCategory, ...]  # in priority order
    default_message: Text  # when support is offered without a matched phrase (e.g. ratings)
    default_resources: tuple[str, ...]
    grounding: Text
    resources: tuple[Resource, ...]
    matching: MatchRules = field(default_factory=lambda: MatchRules(()))  # no categories

    @property
    def terms(self) -> Mapping[str, tuple[str, ...]]:
        """Category id -> phrases that are enough alone (as the matcher reads them)."""
        return MappingProxyType({c.id: c.terms for c in self.categories})

    @property
    def rules(self) -> MatchRules:
        """Everything the matcher is built from (bot.stemmer.safety_matcher)."""
        return replace(self.matching, categories=tuple(
            CategoryRules(c.id, c.terms, c.near) for c in self.categories))

    def category(self, ident: str) -> SafetyCategory | None:
        return next((c for c in self.categories if c.id == ident), None)

    def message(self, lang: Language | str, categories: Iterable[str] = ()) -> str:
        """The first matched category's message in file order, or the default message."""
        wanted = set(categories)
        for category in self.categories:
            if category.id in wanted:
                return category.message.get(lang)
        return self.default_message.get(lang)

    def grounding_text(self, lang: Language | str) -> str:
        return self.grounding.get(lang)

    def resources_for(self, categories: Iterable[str] = ()) -> tuple[Resource, ...]:
        """Resources of every matched category (file order, no repeats), else the defaults."""
        wanted = set(categories)
        ids: list[str] = []
        for category in self.categories:
            if category.id in wanted:
                ids.extend(r for r in category.resources if r not in ids)
        by_id = {r.id: r for r in self.resources}
        return tuple(by_id[i] for i in (ids or self.default_resources) if i in by_id)

