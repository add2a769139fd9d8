"""The safety matcher with the lists we actually ship (content/safety.yaml), built the way
the bot builds it (bot.stemmer.safety_matcher: spelling table, Sastrawi roots, rules).

Positive cases are realistic chat spellings; negatives are everyday messages of child-care
staff. Known gaps of the shipped lists are pinned as such (``KNOWN_MISSES``,
``KNOWN_FALSE_ALARMS``): when the clinical reviewer changes the lists, move them. The larger
corpus is in tests/core/test_safety_corpus.py.
"""

from __future__ import annotations

import time as perf
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import default_content_dir, load_content
from bot.core.safety import MAX_TEXT, SafetyMatcher, normalise
from bot.stemmer import safety_matcher

SUICIDE, CHILD, DISTRESS = "suicide_self_harm", "child_protection", "acute_distress"


@pytest.fixture(scope="module")
def terms() -> Mapping[str, list[str]]:
    content = load_content(default_content_dir())
    return {k: list(v) for k, v in content.safety.terms.items()}


@pytest.fixture(scope="module")
def matcher() -> SafetyMatcher:
    return safety_matcher(load_content(default_content_dir()).safety)


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
    # what the shipped phrase list used to miss (issue 8)
    ("pgn mati", SUICIDE),                   # chat abbreviation of "pengen"
    ("pngn mati", SUICIDE),
    ("pen mati", SUICIDE),                   # Jakarta slang for "pengen"
    ("mati aja lah aku", SUICIDE),           # no "want" word: "just die"
    ("aku mau akhiri hidupku", SUICIDE),     # root of "hidupku"
    ("pengen bunuh diriku", SUICIDE),
    ("gk kuat hidup", SUICIDE),              # gk = tidak
    ("cpk hidup", SUICIDE),
    ("I cant breathe", DISTRESS),            # apostrophe dropped
    ("cant cope anymore", DISTRESS),
    ("i cant go on", DISTRESS),
    ("kms", SUICIDE),
    ("i overdosed", SUICIDE),
    ("pengen nyerah aja", SUICIDE),
    ("aku capek banget, pengen menghilang aja dari dunia ini", SUICIDE),
    ("i dont want to be here anymore", SUICIDE),
    ("thinking about ending it all", SUICIDE),
    ("i keep killin myself in my head", SUICIDE),   # dropped g
    ("mengakhiri hidupnya sendiri", SUICIDE),        # affixes reduced to the root
    ("kepikiran ngakhirin hidup", SUICIDE),          # Jakarta form of "mengakhiri"
    ("aku nyakitin diri lagi", SUICIDE),
    ("ingin menghilang sebentar dari keramaian", SUICIDE),  # borderline: alarm by choice
    ("hp rusak, aku pengen mati", SUICIDE),  # a thing, then the person: still alarms
    ("hp aku baik, tapi aku pengen mati", SUICIDE),
    ("aku pengen mati, hp ku juga mau mati", SUICIDE),
    ("ada pengasuh yang mukulin anak", CHILD),
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
    "m4ti",                               # "mati" alone is (rightly) no alarm
    # everyday uses of the same words (issue 8)
    "mati lampu", "hp mau mati", "hp ku mau mati aja", "deadline bikin mati gaya",
    "this report is killing me", "mati-matian", "mati matian", "matikan lampu",
    "mau matikan lampu dulu", "capek banget hari ini", "anak itu bikin aku pengen teriak",
    "hp ku mau mati aja nih, baterai habis", "laptopku mau mati aja",
    "lebih baik mati lampu daripada panas", "overdosis kafein hari ini",
    "nonton suicide squad sama anak-anak", "in the end it all worked out",
    "I would kill myself laughing", "lampu di kamar anak mau mati", "hp aku mau mati",
    "tanaman di depan mau mati", "my phone is about to die", "aku mau melayat, ada yg meninggal",
    "mau ngilangin stres dulu", "aku gk mau nyerah sama anak2 ini", "jangan menyerah ya",
    "mau menyerahkan laporan", "akhiri hari dengan doa", "lampunya mati aja terus",
])
def test_negative(matcher: SafetyMatcher, text: str) -> None:
    assert matcher.match(text) == ()


# Pinned gaps of the SHIPPED lists (not of the matcher): for the clinical reviewer.
KNOWN_MISSES = [
    "hp rusak pengen mati aja",      # a thing just before, no "aku": read as the phone
    "laptop mati pengen mati aja",   # no comma between the two clauses
    "tidur panjang",                 # a euphemism, also literal: listed only with "saja"
]
KNOWN_FALSE_ALARMS = [
    ("aku capek hidup di kota", SUICIDE),
    ("aku gak mau hidup susah", SUICIDE),
    ("tidak mau bunuh diri", SUICIDE),           # negation: documented choice
    ("pengen nyerah sama laporan ini", SUICIDE),  # "pengen nyerah aja" must alarm
    ("hidungku mampet gak bisa napas", DISTRESS),
    ("hp ku hancur banget", DISTRESS),            # things only cancel rules, not phrases
    ("panik banget ketinggalan bus", DISTRESS),
    ("anak memukul anak lain waktu main", CHILD),
    ("materi pelatihan tentang kekerasan seksual", CHILD),
]


@pytest.mark.parametrize("text", KNOWN_MISSES)
def test_known_misses_of_the_shipped_lists(matcher: SafetyMatcher, text: str) -> None:
    assert matcher.match(text) == ()


@pytest.mark.parametrize(("text", "category"), KNOWN_FALSE_ALARMS)
def test_known_false_alarms_of_the_shipped_lists(matcher: SafetyMatcher, text: str,
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
