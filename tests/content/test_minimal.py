"""The small fixture folder itself loads (so every broken case breaks exactly one thing)."""

from __future__ import annotations

from bot.content import load_content
from tests.content.conftest import write_content


def test_minimal_content_loads(tmp_path) -> None:
    content = load_content(write_content(tmp_path))
    assert [m.id for m in content.modules] == ["m"]
    assert content.locales["en"]["rate.saved"] == "Saved"
    assert content.instrument("q").score([1, 1]) == 1  # item b is reversed: 1 -> 0


def test_matching_section_reaches_the_matcher(tmp_path) -> None:
    from bot.stemmer import safety_matcher
    from tests.content.conftest import SAFETY

    safety = SAFETY.replace("      en: [kill myself]\n", "      en: [kill myself]\n"
                            "    near: [{first: wish, then: [die], within: 2}]\n") + (
        "matching:\n"
        "  spelling:\n    id: {pgn: ingin, gk: tidak}\n    en: {kms: kill myself}\n"
        "  keep: [matikan]\n  ordinary: [mati lampu]\n  things: [hp]\n  persons: [saya]\n"
        "  concepts:\n    wish: {id: [ingin, mau]}\n    die: {id: [mati], en: [die]}\n")
    content = load_content(write_content(tmp_path, {"safety.yaml": safety}))
    rules = content.safety.rules
    assert rules.categories[0].near[0].then == ("die",)
    assert rules.spelling["pgn"] == "ingin" and rules.keep == ("matikan",)
    matcher = safety_matcher(content.safety)
    assert matcher.match("pgn banget mati") == ("self_harm",)
    assert matcher.match("kms") == ("self_harm",)
    for ordinary in ("mau matikan hp", "mati lampu", "hp mau mati", "gk mau makan"):
        assert matcher.match(ordinary) == (), ordinary
