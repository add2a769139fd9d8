"""``safety.yaml``: crisis phrases by category, the support message, grounding and resources.

Phrases are stored normalised (lower case, punctuation as spaces, spaces collapsed) and are
matched by ``bot.core.safety.SafetyMatcher.from_terms(safety.terms)``: whole words in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from bot.contentschema.problems import MISSING, Doc, FieldPath, sub_id, unique_ids
from bot.contentschema.texts import EMPTY, LANGUAGES, Text, text
from bot.core.models import Language

# One word alone is too likely to appear in ordinary messages ("capek", "pukul 7", "panik
# sedikit"): single-word phrases must be at least this long and not in this list.
MIN_SINGLE_WORD = 5
TOO_COMMON = frozenset({
    "capek", "cape", "lelah", "sakit", "hidup", "racun", "pukul", "tampar", "marah", "stres",
    "stress", "panik", "panic", "sedih", "takut", "hancur", "putus", "tired", "alone", "sendiri",
    "mati", "matii", "kill", "hurt", "dying", "abuse", "hit", "knife", "pisau", "tali",
})
_NON_WORD = re.compile(r"[^\w]+|_+")


def normalise(phrase: str) -> str:
    """Lower-case, punctuation to spaces, spaces collapsed: how phrases and messages compare."""
    return " ".join(_NON_WORD.sub(" ", phrase.lower()).split())


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
    terms: tuple[str, ...]  # normalised phrases, every language together


@dataclass(frozen=True, slots=True)
class Safety:
    categories: tuple[SafetyCategory, ...]  # in priority order
    default_message: Text  # when support is offered without a matched phrase (e.g. ratings)
    default_resources: tuple[str, ...]
    grounding: Text
    resources: tuple[Resource, ...]

    @property
    def terms(self) -> Mapping[str, tuple[str, ...]]:
        """Category id -> normalised phrases (for the matcher)."""
        return MappingProxyType({c.id: c.terms for c in self.categories})

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


def _resource_ids(doc: Doc, path: FieldPath, value: object, known: set[str]) -> tuple[str, ...]:
    out = []
    for index, item in enumerate(doc.sequence(path, value, min_len=1, max_len=10)):
        if not isinstance(item, str) or item not in known:
            doc.error(path + (index,), f"{item!r} is not a resource id in this file "
                                       f"({', '.join(sorted(known))})")
        else:
            out.append(item)
    return tuple(out)


def _terms(doc: Doc, path: FieldPath, value: object, seen: dict[str, str]) -> tuple[str, ...]:
    found = doc.mapping(path, value, LANGUAGES)
    out: list[str] = []
    for lang in LANGUAGES:
        if found is None or lang not in found:
            continue
        here = path + (lang,)
        for index, raw in enumerate(doc.sequence(here, found[lang], min_len=1, max_len=300)):
            phrase = doc.string(here + (index,), raw, max_len=80)
            norm = normalise(phrase)
            if not phrase:
                continue
            if not norm:
                doc.error(here + (index,), "has no letters or digits")
            elif " " not in norm and (len(norm) < MIN_SINGLE_WORD or norm in TOO_COMMON):
                doc.error(here + (index,), f"{phrase!r} alone would match ordinary messages; "
                                           "use a phrase of two or more words")
            elif norm in seen:
                doc.error(here + (index,), f"{phrase!r} is listed twice (also at {seen[norm]})")
            else:
                seen[norm] = ".".join(str(p) for p in here) + f"[{index}]"
                out.append(norm)
    return tuple(out)


def read_safety(doc: Doc, value: object) -> Safety:
    found = doc.mapping((), value, ("categories", "default_message", "default_resources",
                                    "grounding", "resources"))
    if found is None:
        return Safety((), EMPTY, (), EMPTY, ())
    entries = doc.sequence(("resources",), found.get("resources", MISSING), min_len=1)
    unique_ids(doc, ("resources",), entries, "resource")
    resources = []
    for index, raw in enumerate(entries):
        here: FieldPath = ("resources", index)
        item = doc.mapping(here, raw, ("id", "name", "contact", "what", "verified", "source"),
                           ("url",))
        if item is None:
            continue
        resources.append(Resource(
            id=sub_id(doc, here + ("id",), item.get("id")),
            name=doc.string(here + ("name",), item.get("name"), max_len=80),
            contact=doc.string(here + ("contact",), item.get("contact"), max_len=120),
            what=text(doc, here + ("what",), item.get("what", MISSING)),
            verified=doc.day(here + ("verified",), item.get("verified")),
            source=doc.string(here + ("source",), item.get("source"), max_len=300),
            url=doc.string(here + ("url",), item["url"], max_len=200) if "url" in item else None,
        ))
    known = {r.id for r in resources}
    entries = doc.sequence(("categories",), found.get("categories", MISSING), min_len=1)
    unique_ids(doc, ("categories",), entries, "category")
    seen: dict[str, str] = {}
    categories = []
    for index, raw in enumerate(entries):
        here = ("categories", index)
        item = doc.mapping(here, raw, ("id", "title", "message", "resources", "terms"))
        if item is None:
            continue
        categories.append(SafetyCategory(
            id=sub_id(doc, here + ("id",), item.get("id")),
            title=text(doc, here + ("title",), item.get("title", MISSING), max_len=80),
            message=text(doc, here + ("message",), item.get("message", MISSING), max_len=800),
            resources=_resource_ids(doc, here + ("resources",), item.get("resources", MISSING),
                                    known),
            terms=_terms(doc, here + ("terms",), item.get("terms", MISSING), seen),
        ))
    return Safety(
        categories=tuple(categories),
        default_message=text(doc, ("default_message",), found.get("default_message", MISSING),
                             max_len=800),
        default_resources=_resource_ids(doc, ("default_resources",),
                                        found.get("default_resources", MISSING), known),
        grounding=text(doc, ("grounding",), found.get("grounding", MISSING), max_len=800),
        resources=tuple(resources),
    )
