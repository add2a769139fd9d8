"""Property: whatever a content file holds, loading ends in Content or ContentError."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content import ContentError, load_content
from tests.content.conftest import BASE, write_content

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 100), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["", "{x}", "{", "id", "en", "a"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["id", "en", "text", "seconds", "kind", "fields", "x"]),
                    inner, max_size=4)), max_leaves=12)


def replace_somewhere(tree: Any, choices: list[int], value: Any) -> Any:
    """Walk ``tree`` following ``choices`` and put ``value`` where the walk stops."""
    if not choices or not isinstance(tree, dict | list) or not tree:
        return value
    if isinstance(tree, dict):
        key = list(tree)[choices[0] % len(tree)]
        return {**tree, key: replace_somewhere(tree[key], choices[1:], value)}
    index = choices[0] % len(tree)
    return [*tree[:index], replace_somewhere(tree[index], choices[1:], value), *tree[index + 1:]]


def assert_loads_or_reports(changes: dict[str, str | bytes | None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_content(Path(tmp) / "content", changes)
        try:
            load_content(root)
        except ContentError as exc:
            assert exc.problems and all(p.file for p in exc.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(BASE)), st.lists(st.integers(0, 50), max_size=6), values)
def test_any_value_anywhere_is_reported_not_raised(rel: str, choices: list[int],
                                                   value: Any) -> None:
    tree = replace_somewhere(yaml.safe_load(BASE[rel]), choices, value)
    assert_loads_or_reports({rel: yaml.safe_dump(tree, allow_unicode=True)})


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(BASE)), st.text(max_size=300))
def test_any_text_is_reported_not_raised(rel: str, text: str) -> None:
    assert_loads_or_reports({rel: text})
