"""The safety matcher on realistic messages and the normaliser.

(Parsing, identity, ratings and calendar tests live in test_parsing.py, test_identity.py,
test_ratings.py and test_calendar.py; these are left here while the safety matcher is
rewritten, and move with it.)
"""

from __future__ import annotations

import pytest

from bot.content import default_content_dir, load_content
from bot.core.safety import SafetyMatcher, normalise
from bot.stemmer import safety_matcher


@pytest.fixture(scope="module")
def matcher() -> SafetyMatcher:
    return safety_matcher(load_content(default_content_dir()).safety)


@pytest.mark.parametrize("text", [
    "aku pengen mati aja", "rasanya mau bunuh diri", "bundir aja lah", "capek hidup",
    "I want to kill myself", "pengen matiii", "Pengen... MATI!!", "ingin banget mati",
])
def test_shipped_phrases_catch_realistic_messages(matcher: SafetyMatcher, text: str) -> None:
    assert "suicide_self_harm" in matcher.match(text)


@pytest.mark.parametrize("text", [
    "tolong matikan lampunya", "hari ini capek banget kerja", "anak-anak sudah tidur",
    "", "   ", "rapat jam 3",
])
def test_ordinary_messages_do_not_match(matcher: SafetyMatcher, text: str) -> None:
    assert matcher.match(text) == ()


def test_normalise_accents_punctuation_repeats_and_digits() -> None:
    assert normalise("Pérgi... m4ti!!! sooo") == ["pergi", "mati", "so"]
    assert len(normalise("kata " * 10_000)) <= 1000
