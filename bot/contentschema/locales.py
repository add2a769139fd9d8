"""UI strings (``locales/<lang>.yaml``): nested mappings flattened to dotted keys.

Checked together: every key in every language, the same ``{placeholder}`` names in each,
every value a non-empty string.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from types import MappingProxyType
from typing import Any

from bot.contentschema.problems import Doc, FieldPath, Problem, describe
from bot.contentschema.texts import LANGUAGES, placeholders

MAX_DEPTH = 6


def flatten(doc: Doc, value: object) -> dict[str, str]:
    """Dotted key -> string; report values that are not non-empty strings."""
    out: dict[str, str] = {}
    if not isinstance(value, dict):
        doc.error((), f"expected a mapping of keys to texts, got {describe(value)}")
        return out
    stack: list[tuple[FieldPath, dict[str, Any]]] = [((), value)]
    while stack:
        path, mapping = stack.pop()
        for key, item in mapping.items():
            here = path + (key,)
            if "." in key:
                doc.error(here, "a key cannot contain a dot; nest it instead")
            elif isinstance(item, dict):
                if len(here) >= MAX_DEPTH:
                    doc.error(here, f"nested too deeply (at most {MAX_DEPTH} levels)")
                else:
                    stack.append((here, item))
            elif not isinstance(item, str):
                doc.error(here, f"expected text, got {describe(item)}")
            elif not item.strip():
                doc.error(here, "empty")
            else:
                out[".".join(str(p) for p in here)] = item.strip()
    return out


def check_locales(docs: Mapping[str, Doc], tables: Mapping[str, dict[str, str]],
                  sink: list[Problem], unreadable: Collection[str] = ()
                  ) -> Mapping[str, Mapping[str, str]]:
    """Compare the languages' tables; return them read-only.

    A language whose file could not be read (already reported) is left out of the comparison.
    """
    for lang in LANGUAGES:
        if lang not in tables and lang not in unreadable:
            sink.append(Problem(f"locales/{lang}.yaml", None, "", "missing"))
    present = [lang for lang in LANGUAGES if lang in tables]
    for lang in present:
        doc, table = docs[lang], tables[lang]
        for key, value in table.items():
            names = placeholders(value)
            path = tuple(key.split("."))
            if names is None:
                doc.error(path, "odd braces: use {name} for a placeholder, {{ and }} for a brace")
                continue
            for other in present:
                if other == lang:
                    continue
                if key not in tables[other]:
                    doc.error(path, f"missing in locales/{other}.yaml")
                    continue
                other_names = placeholders(tables[other][key])
                if other_names is not None and other_names != names and lang < other:
                    doc.error(path, f"placeholders differ: {lang} {sorted(names)}, "
                                    f"{other} {sorted(other_names)}")
    return MappingProxyType({lang: MappingProxyType(dict(tables[lang])) for lang in present})
