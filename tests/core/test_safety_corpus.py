"""The shipped safety lists against our corpus of crisis and ordinary messages.

tests/core/safety_corpus/ holds messages written for Jeda (one per line, ``#`` comments):
``crisis*.txt`` must each raise a category, ``ordinary*.txt`` must raise none. The
``*_heldout*`` files were written in three rounds after the lists were frozen and measured
once before the lists changed again (BENCHMARKS.md, "Safety matcher", gives those figures).
What still fails is pinned below, exactly: a new miss or a new false alarm fails the test, and
so does one that has gone away (move it out of the pin list then).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import default_content_dir, load_content
from bot.core.safety import SafetyMatcher
from bot.stemmer import safety_matcher

CORPUS = Path(__file__).parent / "safety_corpus"

# Crisis messages the shipped lists still miss (need context a single message lacks).
KNOWN_MISSES = {
    "i'm planning how to do it",                         # "it" refers to an earlier message
    "tadi aku berdiri lama di pinggir jembatan",         # a situation, no word of intent
}
# Ordinary messages that alarm. A false alarm costs a private note to a facilitator; these are
# kept because removing them would lose crisis messages worded the same way.
KNOWN_FALSE_ALARMS = {
    "i want to disappear into my bed for an hour",        # "want to disappear"
    "capek hidup di kota, macet terus",                   # "capek hidup"
    "aku gak mau hidup boros lagi",                       # "tidak mau hidup"
    "pengen ngilang sebentar dari keramaian",             # borderline: alarm by choice
    "pengen nyerah sama laporan ini",                     # "pengen nyerah aja" must alarm
    "materi pelatihan tadi tentang pencegahan bunuh diri",  # "bunuh diri" is enough alone
    "hp gw lowbat, mau mati bentar lagi",                 # the phone is in the clause before
    "pengen ngilang ke pantai seminggu",                  # borderline, like the one above
    "mau mati rasanya ketawa terus",                      # hyperbole
    "film tadi sedih, tokohnya bunuh diri",               # "bunuh diri" is enough alone
    "pengen menghilang dari grup wa kantor yg berisik",   # borderline
    "kenapa hidup anak2 ini berat ya, kasian",            # "kenapa ... hidup"
    "anak baru suka menyakiti temannya sendiri",          # "menyakiti ... sendiri"
}
MAX_FALSE_ALARM_RATE = 0.06


def messages(pattern: str) -> list[str]:
    out = []
    for path in sorted(CORPUS.glob(pattern)):
        lines = path.read_text(encoding="utf-8").splitlines()
        out.extend(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    return out


CRISIS = messages("crisis*.txt")
ORDINARY = messages("ordinary*.txt")


@pytest.fixture(scope="module")
def matcher() -> SafetyMatcher:
    return safety_matcher(load_content(default_content_dir()).safety)


def test_the_corpus_is_large_enough_and_has_no_repeats() -> None:
    assert len(CRISIS) >= 200 and len(ORDINARY) >= 200
    assert len(set(CRISIS)) == len(CRISIS) and len(set(ORDINARY)) == len(ORDINARY)
    assert not set(CRISIS) & set(ORDINARY)
    assert KNOWN_MISSES <= set(CRISIS) and KNOWN_FALSE_ALARMS <= set(ORDINARY)


def test_every_crisis_message_is_caught_but_the_pinned_ones(matcher: SafetyMatcher) -> None:
    missed = {text for text in CRISIS if not matcher.match(text)}
    assert missed == KNOWN_MISSES


def test_false_alarms_are_exactly_the_pinned_ones(matcher: SafetyMatcher) -> None:
    alarms = {text for text in ORDINARY if matcher.match(text)}
    assert alarms == KNOWN_FALSE_ALARMS
    assert len(alarms) <= MAX_FALSE_ALARM_RATE * len(ORDINARY)


def test_the_main_corpus_is_caught_in_full(matcher: SafetyMatcher) -> None:
    main = messages("crisis.txt")
    assert len(main) >= 100 and all(matcher.match(text) for text in main)
    assert len(messages("ordinary.txt")) >= 100
