"""The small fixture folder itself loads (so every broken case breaks exactly one thing)."""

from __future__ import annotations

from bot.content import load_content
from tests.content.conftest import write_content


def test_minimal_content_loads(tmp_path) -> None:
    content = load_content(write_content(tmp_path))
    assert [m.id for m in content.modules] == ["m"]
    assert content.locales["en"]["rate.saved"] == "Saved"
    assert content.instrument("q").score([1, 1]) == 1  # item b is reversed: 1 -> 0
