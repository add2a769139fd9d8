"""``safety.yaml``: what the safety matcher looks for, the support message, grounding and
resources.

``matching`` (spelling table, words never stemmed, ordinary uses, things, persons, concepts)
and each category's ``terms`` and ``near`` rules become one ``bot.core.safety.MatchRules``
(``Safety.rules``); ``bot.stemmer.safety_matcher(safety)`` builds the matcher from it. Terms
are stored as the matcher reads them (spelling applied: "gak kuat hidup" -> "tidak kuat
hidup"), so two entries that read the same are refused as duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

from bot.contentschema.problems import MISSING, Doc, FieldPath, describe, sub_id, unique_ids
from bot.contentschema.texts import EMPTY, LANGUAGES, text
from bot.core.content.safety import Resource, Safety, SafetyCategory
from bot.core.safety import MatchRules, Rule, phrase_reader
from bot.core.safety import normalise as read_words

# One word alone is too likely to appear in ordinary messages ("capek", "pukul 7", "panik
# sedikit"): single-word phrases must be at least this long and not in this list.
MIN_SINGLE_WORD = 5
MAX_WITHIN = 6  # words a rule may allow between its two ideas
MAX_PHRASE_WORDS = 6
MATCHING_KEYS = ("spelling", "keep", "ordinary", "things", "persons", "concepts")
TOO_COMMON = frozenset({
    "capek", "cape", "lelah", "sakit", "hidup", "racun", "pukul", "tampar", "marah", "stres",
    "stress", "panik", "panic", "sedih", "takut", "hancur", "putus", "tired", "alone", "sendiri",
    "mati", "matii", "kill", "hurt", "dying", "abuse", "hit", "knife", "pisau", "tali",
})
_NON_WORD = re.compile(r"[^\w]+|_+")
SPELLING_KEY = re.compile(r"[a-z]+")
SUB_NAME = re.compile(r"[a-z][a-z0-9_]{0,23}")


def normalise(phrase: str) -> str:
    """Lower-case, punctuation to spaces, spaces collapsed: how phrases and messages compare."""
    return " ".join(_NON_WORD.sub(" ", phrase.lower()).split())


def _resource_ids(doc: Doc, path: FieldPath, value: object, known: set[str]) -> tuple[str, ...]:
    out = []
    for index, item in enumerate(doc.sequence(path, value, min_len=1, max_len=10)):
        if not isinstance(item, str) or item not in known:
            doc.error(path + (index,), f"{item!r} is not a resource id in this file "
                                       f"({', '.join(sorted(known))})")
        else:
            out.append(item)
    return tuple(out)


Reader = Callable[[str], tuple[str, ...]]


def _phrases(doc: Doc, path: FieldPath, value: object, read: Reader, *, max_len: int = 300,
             seen: dict[str, str] | None = None, one_word: bool = False,
             min_words: int = 1) -> tuple[str, ...]:
    """A list of phrases; each read as the matcher reads it, no two the same."""
    seen = {} if seen is None else seen
    out: list[str] = []
    for index, raw in enumerate(doc.sequence(path, value, min_len=1, max_len=max_len)):
        here = path + (index,)
        phrase = doc.string(here, raw, max_len=80)
        if not phrase:
            continue
        words = read(phrase)
        norm = " ".join(words)
        if not words:
            doc.error(here, "has no letters or digits")
        elif one_word and len(words) > 1:
            doc.error(here, f"{phrase!r} must be one word")
        elif len(words) < min_words:
            doc.error(here, f"{phrase!r} must have at least {min_words} words")
        elif len(words) > MAX_PHRASE_WORDS:
            doc.error(here, f"{phrase!r} has more than {MAX_PHRASE_WORDS} words")
        elif norm in seen:
            shown = "" if norm == " ".join(read_words(phrase)) else f" (read as {norm!r})"
            doc.error(here, f"{phrase!r} is listed twice{shown} (also at {seen[norm]})")
        else:
            seen[norm] = ".".join(str(p) for p in path) + f"[{index}]"
            out.append(norm)
    return tuple(out)


def _by_language(doc: Doc, path: FieldPath, value: object, read: Reader,
                 seen: dict[str, str], *, check_common: bool = False) -> tuple[str, ...]:
    found = doc.mapping(path, value, (), LANGUAGES)
    if found is not None and not any(lang in found for lang in LANGUAGES):
        doc.error(path, f"needs a list for at least one language ({', '.join(LANGUAGES)})")
    out: list[str] = []
    for lang in LANGUAGES:
        if found is None or lang not in found:
            continue
        here = path + (lang,)
        for index, norm in enumerate(_phrases(doc, here, found[lang], read, seen=seen)):
            if check_common and " " not in norm and (len(norm) < MIN_SINGLE_WORD
                                                     or norm in TOO_COMMON):
                doc.error(here + (index,), f"{norm!r} alone would match ordinary messages; "
                                           "use a phrase of two or more words")
            else:
                out.append(norm)
    return tuple(out)


def _terms(doc: Doc, path: FieldPath, value: object, seen: dict[str, str],
           read: Reader) -> tuple[str, ...]:
    return _by_language(doc, path, value, read, seen, check_common=True)


def _spelling(doc: Doc, path: FieldPath, value: object) -> dict[str, str]:
    """Chat spelling -> standard word(s), per language, merged; no chains, no repeats."""
    found = doc.mapping(path, value, (), LANGUAGES)
    table: dict[str, str] = {}
    where: dict[str, FieldPath] = {}
    for lang in LANGUAGES:
        if found is None or lang not in found:
            continue
        entries = doc.mapping(path + (lang,), found[lang], check_unknown=False)
        for key, target in (entries or {}).items():
            here = path + (lang, str(key))
            if not isinstance(key, str):
                doc.error(here, f"{key!r} is not a word (write it in quotes)")
                continue
            words = read_words(key)
            text_value = doc.string(here, target, max_len=60)
            if len(words) != 1 or not SPELLING_KEY.fullmatch(key):
                doc.error(here, f"{key!r} must be one lower-case word of letters")
            elif not text_value:
                continue
            elif not 1 <= len(read_words(text_value)) <= 3:
                doc.error(here, f"{text_value!r} must be one to three words")
            elif words[0] in table:
                doc.error(here, f"{key!r} is listed twice (also at {format_at(where[words[0]])})")
            elif read_words(text_value) == words:
                doc.error(here, f"{key!r} is replaced by itself")
            else:
                table[words[0]] = text_value
                where[words[0]] = here
    for key, target in table.items():
        chained = [w for w in read_words(target) if w in table]
        if chained:
            doc.error(where[key], f"{target!r} contains {chained[0]!r}, which is itself "
                                  f"replaced; write the standard word")
    return table


def format_at(path: FieldPath) -> str:
    return ".".join(str(p) for p in path)


def _concepts(doc: Doc, path: FieldPath, value: object,
              read: Reader) -> dict[str, tuple[str, ...]]:
    found = doc.mapping(path, value, check_unknown=False)
    out: dict[str, tuple[str, ...]] = {}
    for name, items in (found or {}).items():
        here = path + (str(name),)
        if not isinstance(name, str) or not SUB_NAME.fullmatch(name):
            doc.error(here, f"{name!r} is not a valid concept name: use lower-case letters, "
                            "digits and underscores, starting with a letter")
            continue
        out[name] = _by_language(doc, here, items, read, {})
    return out


def _matching(doc: Doc, value: object) -> MatchRules:
    found = doc.mapping(("matching",), value, (), MATCHING_KEYS)
    if found is None:
        return MatchRules(())
    path: FieldPath = ("matching",)
    spelling = _spelling(doc, path + ("spelling",), found.get("spelling", MISSING)) \
        if "spelling" in found else {}
    read = phrase_reader(spelling)

    def listed(key: str, **options: object) -> tuple[str, ...]:
        if key not in found:
            return ()
        return _phrases(doc, path + (key,), found[key], read, **options)  # type: ignore[arg-type]

    return MatchRules(
        categories=(),
        spelling=MappingProxyType(spelling),
        keep=listed("keep", one_word=True),
        ordinary=listed("ordinary", min_words=2),
        things=listed("things", one_word=True),
        persons=listed("persons", one_word=True),
        concepts=MappingProxyType(_concepts(doc, path + ("concepts",),
                                            found.get("concepts", MISSING), read)),
    )


def _names(doc: Doc, path: FieldPath, value: object,
           known: Mapping[str, object]) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        doc.error(path, f"expected a concept name or a list of them, got {describe(value)}")
        return ()
    out = []
    for index, name in enumerate(names):
        here = path if isinstance(value, str) else path + (index,)
        if not isinstance(name, str) or name not in known:
            shown = ", ".join(sorted(known)) or "none are declared under matching.concepts"
            doc.error(here, f"{name!r} is not a concept ({shown})")
        else:
            out.append(name)
    return tuple(out)


def _near(doc: Doc, path: FieldPath, value: object,
          concepts: Mapping[str, object]) -> tuple[Rule, ...]:
    out = []
    for index, raw in enumerate(doc.sequence(path, value, min_len=1, max_len=30)):
        here = path + (index,)
        item = doc.mapping(here, raw, ("first", "then", "within"))
        if item is None or any(k not in item for k in ("first", "then", "within")):
            continue
        first = _names(doc, here + ("first",), item["first"], concepts)
        then = _names(doc, here + ("then",), item["then"], concepts)
        within = doc.integer(here + ("within",), item["within"], 0, MAX_WITHIN)
        if first and then and 0 <= within <= MAX_WITHIN:
            out.append(Rule(first, then, within))
    return tuple(out)


def read_safety(doc: Doc, value: object) -> Safety:
    found = doc.mapping((), value, ("categories", "default_message", "default_resources",
                                    "grounding", "resources"), ("matching",))
    if found is None:
        return Safety((), EMPTY, (), EMPTY, ())
    matching = _matching(doc, found["matching"]) if "matching" in found else MatchRules(())
    read = phrase_reader(matching.spelling)
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
        item = doc.mapping(here, raw, ("id", "title", "message", "resources", "terms"),
                           ("near",))
        if item is None:
            continue
        categories.append(SafetyCategory(
            id=sub_id(doc, here + ("id",), item.get("id")),
            title=text(doc, here + ("title",), item.get("title", MISSING), max_len=80),
            message=text(doc, here + ("message",), item.get("message", MISSING), max_len=800),
            resources=_resource_ids(doc, here + ("resources",), item.get("resources", MISSING),
                                    known),
            terms=_terms(doc, here + ("terms",), item.get("terms", MISSING), seen, read),
            near=_near(doc, here + ("near",), item["near"], matching.concepts)
            if "near" in item else (),
        ))
    return Safety(
        categories=tuple(categories),
        default_message=text(doc, ("default_message",), found.get("default_message", MISSING),
                             max_len=800),
        default_resources=_resource_ids(doc, ("default_resources",),
                                        found.get("default_resources", MISSING), known),
        grounding=text(doc, ("grounding",), found.get("grounding", MISSING), max_len=800),
        resources=tuple(resources),
        matching=matching,
    )
