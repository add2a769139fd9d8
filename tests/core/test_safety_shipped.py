"""The safety matcher with the phrases we actually ship (content/safety.yaml).

Positive cases are realistic chat spellings; negatives are everyday messages of child-care
staff. Known gaps of the shipped list are pinned as such (``KNOWN_MISSES``,
``KNOWN_FALSE_ALARMS``): when the clinical reviewer changes the list, move them.
"""

from __future__ import annotations

import time as perf
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import default_content_dir, load_content
from bot.core.safety import MAX_TEXT, SafetyMatcher, normalise

SUICIDE, CHILD, DISTRESS = "suicide_self_harm", "child_protection", "acute_distress"


@pytest.fixture(scope="module")
def terms() -> Mapping[str, list[str]]:
    content = load_content(default_content_dir())
    return {k: list(v) for k, v in content.safety.terms.items()}


@pytest.fixture(scope="module")
def matcher(terms: Mapping[str, list[str]]) -> SafetyMatcher:
    return SafetyMatcher.from_terms(terms)


def test_shipped_categories_in_priority_order(terms: Mapping[str, list[str]]) -> None:
    assert list(terms) == [SUICIDE, CHILD, DISTRESS]
    assert all(len(v) >= 10 for v in terms.values())


def test_every_shipped_phrase_matches_itself(matcher: SafetyMatcher,
                                             terms: Mapping[str, list[str]]) -> None:
    for category, phrases in terms.items():
        for phrase in phrases:
            assert category in matcher.match(phrase), phrase
            assert category in matcher.match(f"Jujur... {phrase.upper()}!!"), phrase


@pytest.mark.parametrize(("text", "category"), [
    ("aku pengen mati aja", SUICIDE),
    ("Aku pengen mati ajaaa 😭", SUICIDE),
    ("bundir", SUICIDE),
    ("kepikiran bundir terus", SUICIDE),
    ("rasanya ga kuat hidup lagi", SUICIDE),
    ("rasanya udah gak kuat lagi hidup kayak gini", SUICIDE),
    ("capek hidup", SUICIDE),
    ("capek bgt hidup", SUICIDE),          # one word between phrase words
    ("capekhidup", SUICIDE),               # joined, >= 8 letters
    ("bunuhdiri", SUICIDE),
    ("Bunuh-diri", SUICIDE),
    ("pengen m4ti", SUICIDE),              # digits for letters
    ("aku pengen matiii", SUICIDE),        # repeated letters
    ("pengennn bangettt matiiii", SUICIDE),
    ("pengin2 mati", SUICIDE),             # reduplication with a 2
    ("PENGEN MATI", SUICIDE),
    ("péngén mátí", SUICIDE),              # accents
    ("ｐｅｎｇｅｎ　ｍａｔｉ", SUICIDE),      # full width
    ("pengen\u00admati", SUICIDE),          # soft hyphen = nothing: joined phrase
    ("pe\u00adngen mati", SUICIDE),         # invisible characters inside a word
    ("pen\u200dgen mati", SUICIDE),
    ("bunuh\u200bdiri", SUICIDE),           # zero-width space separates words
    ("mau mati aja rasanya", SUICIDE),
    ("lebih baik mati", SUICIDE),
    ("I want to kill myself", SUICIDE),
    ("i wanna die", SUICIDE),
    ("I don't want to live anymore", SUICIDE),
    ("I don’t want to live", SUICIDE),      # typographic apostrophe
    ("i dont want to live", SUICIDE),
    ("kiiill myself", SUICIDE),
    ("thinking about self-harm", SUICIDE),
    ("minum baygon", SUICIDE),
    ("ada anak dipukuli pengasuh", CHILD),
    ("anak-anak dipukul", CHILD),
    ("saya lihat ada kekerasan terhadap anak", CHILD),
    ("dia dicabuli", CHILD),
    ("child abuse", CHILD),
    ("serangan panik lagi", DISTRESS),
    ("aku putus asa", DISTRESS),
    ("can't breathe", DISTRESS),
    ("I can't take it anymore", DISTRESS),
])
def test_positive(matcher: SafetyMatcher, text: str, category: str) -> None:
    assert category in matcher.match(text)


def test_several_categories_in_declaration_order(matcher: SafetyMatcher) -> None:
    text = "aku putus asa, anak dipukul, pengen mati"
    assert matcher.match(text) == (SUICIDE, CHILD, DISTRESS)


@pytest.mark.parametrize("text", [
    "matikan lampunya",
    "mati lampu di asrama",
    "tolong matiin kipasnya ya",
    "berjuang mati-matian buat anak-anak",
    "hpku mati",
    "lampu kamar anak mati lagi",
    "capek banget hari ini",
    "anak-anak susah tidur",
    "hari ini hidup terasa lebih ringan",
    "aku pengen pulang",
    "I'm dying to see the kids perform",
    "I almost killed myself laughing",
    "mau makan siang",
    "pukul 20.00",
    "8",
    "",
    "   ",
    "!!!???",
    "😭😭😭",
])
def test_negative(matcher: SafetyMatcher, text: str) -> None:
    assert matcher.match(text) == ()


# Pinned gaps of the SHIPPED list (not of the matcher): for the clinical reviewer.
KNOWN_MISSES = [
    "pgn mati",                  # chat abbreviation of "pengen"
    "pngn mati",
    "pen mati",                  # Jakarta slang for "pengen"
    "mati aja lah aku",          # no "want" word
    "aku mau akhiri hidupku",    # only "mengakhiri hidupku" is listed
    "pengen bunuh diriku",       # "diriku" is another word than "diri"
    "gk kuat hidup",             # "gk" not listed
    "cpk hidup",
    "I cant breathe",            # listed only with an apostrophe
    "cant cope anymore",
    "i cant go on",
    "kms",
    "i overdosed",
    "pengen nyerah aja",
    "m4ti",                      # "mati" alone is (rightly) not a phrase
]
KNOWN_FALSE_ALARMS = [
    ("hp ku mau mati aja nih, baterai habis", SUICIDE),
    ("laptopku mau mati aja", SUICIDE),
    ("lebih baik mati lampu daripada panas", SUICIDE),
    ("overdosis kafein hari ini", SUICIDE),
    ("nonton suicide squad sama anak-anak", SUICIDE),
    ("in the end it all worked out", SUICIDE),
    ("I would kill myself laughing", SUICIDE),
    ("aku capek hidup di kota", SUICIDE),
    ("tidak mau bunuh diri", SUICIDE),           # negation: documented choice
    ("hidungku mampet gak bisa napas", DISTRESS),
    ("hp ku hancur banget", DISTRESS),
    ("panik banget ketinggalan bus", DISTRESS),
    ("anak memukul anak lain waktu main", CHILD),
    ("materi pelatihan tentang kekerasan seksual", CHILD),
]


@pytest.mark.parametrize("text", KNOWN_MISSES)
def test_known_misses_of_the_shipped_list(matcher: SafetyMatcher, text: str) -> None:
    assert matcher.match(text) == ()


@pytest.mark.parametrize(("text", "category"), KNOWN_FALSE_ALARMS)
def test_known_false_alarms_of_the_shipped_list(matcher: SafetyMatcher, text: str,
                                                category: str) -> None:
    assert category in matcher.match(text)


# --- normalisation -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "words"), [
    ("Mátí!", ["mati"]),
    ("PENGEN...mati???", ["pengen", "mati"]),
    ("snake_case", ["snake", "case"]),
    ("anak-anak anak2", ["anak", "anak"]),
    ("mati-matian", ["matimatian"]),
    ("matiii", ["mati"]),
    ("m4t1", ["mati"]),
    ("2026 jam 20", ["2026", "jam", "20"]),   # digits alone stay digits
    ("b2", ["b2"]),
    ("hai\u00adhai", ["haihai"]),
    ("a\u200bb", ["a", "b"]),
    ("", []),
])
def test_normalise(text: str, words: list[str]) -> None:
    assert normalise(text) == words


def test_phrase_and_message_normalise_the_same(matcher: SafetyMatcher) -> None:
    # "kill myself" is stored as ("kil", "myself"); a message spelt "kill" still matches
    assert ("kil", "myself") in matcher.phrases[SUICIDE]
    assert matcher.match("KILL MYSELF")


def test_gap_of_one_word_only() -> None:
    m = SafetyMatcher.from_terms({"c": ["pengen mati"]})
    assert m.match("pengen banget mati") == ("c",)
    assert m.match("pengen banget2 mati") == ("c",)  # "banget2" -> "banget": one word
    assert m.match("pengen banget banget mati") == ()  # two words in between
    assert m.match("pengen makan siang dulu biar ga mati gaya") == ()
    assert m.match("mati pengen") == ()


def test_backtracking_over_repeated_first_word() -> None:
    m = SafetyMatcher.from_terms({"c": ["ingin mati"]})
    assert m.match("ingin ingin x mati") == ("c",)


def test_joined_phrase_needs_eight_letters() -> None:
    m = SafetyMatcher.from_terms({"c": ["mau od", "bunuh diri"]})
    assert m.match("bunuhdiri") == ("c",)
    assert m.match("mauod") == ()


def test_from_terms_drops_empty_and_duplicate_phrases() -> None:
    m = SafetyMatcher.from_terms({"c": ["", "!!!", "Bunuh Diri", "bunuh diri"]})
    assert m.phrases == {"c": (("bunuh", "diri"),)}
    assert m.match("apa") == ()


def test_empty_matcher_and_empty_text() -> None:
    assert SafetyMatcher.from_terms({}).match("bunuh diri") == ()
    assert SafetyMatcher.from_terms({"c": ["bunuh diri"]}).match("") == ()


# --- very long input -------------------------------------------------------------------------

def test_very_long_message_is_fast_and_still_matched(matcher: SafetyMatcher) -> None:
    filler = "hari ini anak-anak main di halaman lalu makan siang bersama " * 60
    text = (filler + "aku pengen mati aja")[-MAX_TEXT:]
    started = perf.perf_counter()
    assert matcher.match(text) == (SUICIDE,)
    assert matcher.match(filler * 20) == ()       # beyond MAX_TEXT: cut, not slow
    assert perf.perf_counter() - started < 2.0


def test_pathological_repetition_is_fast(matcher: SafetyMatcher) -> None:
    started = perf.perf_counter()
    assert matcher.match("pengen " * 1000) == ()
    assert matcher.match("a" * 100_000) == ()
    assert perf.perf_counter() - started < 2.0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_handled(text: str) -> None:
    m = SafetyMatcher.from_terms({"c": ["bunuh diri"]})
    result = m.match(text)
    assert result in ((), ("c",))
    words = normalise(text)
    assert all(w and not any(ch.isspace() for ch in w) for w in words)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["hari", "ini", "anak", "lelah", "banget", "ok", "mati",
                                 "lampu", "pengen", "makan"]), max_size=12))
def test_phrase_inserted_anywhere_is_found(words: list[str]) -> None:
    m = SafetyMatcher.from_terms({"c": ["bunuh diri"]})
    for i in range(len(words) + 1):
        assert m.match(" ".join([*words[:i], "bunuh", "diri", *words[i:]])) == ("c",)
