"""SafetyMatcher on its own phrase list: realistic chat spellings, both languages, and
ordinary messages that must stay quiet."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.safety import SafetyMatcher, normalise

TERMS = {
    "suicide": ["bunuh diri", "bundir", "ingin mati", "pengen mati", "mau mati aja",
                "capek hidup", "tidak ingin hidup lagi", "kill myself", "want to die"],
    "self_harm": ["menyakiti diri", "melukai diri", "self harm", "sayat tangan"],
    "child_abuse": ["dipukuli pengasuh", "anak dipukul", "kekerasan seksual"],
}
M = SafetyMatcher.from_terms(TERMS)


@pytest.mark.parametrize("text, category", [
    ("aku pengen mati aja", "suicide"),
    ("Pengen... MATI!!", "suicide"),
    ("pengen matiii", "suicide"),
    ("pngen mati", None),  # an unlisted abbreviation: variants belong in the list
    ("p3ng3n m4ti", "suicide"),
    ("ingin banget mati", "suicide"),  # one filler word
    ("ingin sekali rasanya mati", None),  # two filler words: too far apart
    ("rasanya mau bunuh diri", "suicide"),
    ("mau bunuh-diri", "suicide"),
    ("kepikiran bunuhdiri terus", "suicide"),  # written together
    ("BUNDIR aja lah", "suicide"),
    ("bundirr", "suicide"),
    ("capek hidup kayak gini", "suicide"),
    ("capeeek bgt hidup", "suicide"),
    ("saya tidak ingin hidup lagi", "suicide"),
    ("I want to kill myself", "suicide"),
    ("i want to kiiill myself", "suicide"),
    ("i just want to die", "suicide"),
    ("Kadang aku menyakiti diri sendiri", "self_harm"),
    ("aku sayat tangan lagi", "self_harm"),
    ("self-harm again", "self_harm"),
    ("ada anak dipukul pengasuh tadi", "child_abuse"),
    ("anak2 dipukul", "child_abuse"),  # "anak2" is "anak"
    ("mati² rasanya", None),
])
def test_realistic_messages(text: str, category: str | None) -> None:
    found = M.match(text)
    assert (category in found) if category else found == ()


def test_reduplication_reaches_the_base_word() -> None:
    assert "child_abuse" in M.match("anak2 dipukuli pengasuh ... anak dipukul")
    assert normalise("anak2") == normalise("anak-anak") == ["anak"]


@pytest.mark.parametrize("text", [
    "tolong matikan lampunya", "lampunya mati lagi", "hp ku mati", "mati lampu di panti",
    "kerja mati-matian hari ini", "hari ini capek banget kerja", "anak-anak sudah tidur",
    "hidup itu indah", "aku ingin hidup sehat", "diri sendiri dulu ya", "rapat jam 3",
    "killing time before the meeting", "", "   ", "!!!", "🙂🙂",
])
def test_ordinary_messages_do_not_match(text: str) -> None:
    assert M.match(text) == ()


def test_several_categories_in_declaration_order() -> None:
    assert M.match("mau bunuh diri, tadi juga melukai diri") == ("suicide", "self_harm")


@pytest.mark.parametrize("text, words", [
    ("Pérgi... m4ti!!! sooo", ["pergi", "mati", "so"]),
    ("ＭＡＴＩ", ["mati"]),
    ("mati_aja", ["mati", "aja"]),
    ("anak-anak", ["anak"]),
    ("mati-matian", ["matimatian"]),
    ("tahun 2024 jam 3", ["tahun", "2024", "jam", "3"]),
    ("kill", ["kil"]),
])
def test_normalise(text: str, words: list[str]) -> None:
    assert normalise(text) == words


def test_long_text_is_cut() -> None:
    assert len(normalise("kata " * 10_000)) <= 1000


def test_phrases_are_deduplicated_and_empty_ones_dropped() -> None:
    m = SafetyMatcher.from_terms({"a": ["Bunuh Diri", "bunuh  diri!", "...", ""]})
    assert m.phrases == {"a": (("bunuh", "diri"),)}


@given(st.text(max_size=300))
def test_never_raises_and_only_known_categories(text: str) -> None:
    assert set(M.match(text)) <= set(TERMS)


@given(st.lists(st.sampled_from(["aku", "kok", "ya", "banget", "sih", "hari", "ini"]),
                max_size=6))
def test_a_phrase_is_found_wherever_it_sits(filler: list[str]) -> None:
    half = len(filler) // 2
    text = " ".join([*filler[:half], "mau", "bunuh", "diri", *filler[half:]])
    assert "suicide" in M.match(text)


# --- rules, spelling, roots, things (a small rule set and a fake stemmer) ------------------

import time as perf  # noqa: E402

from hypothesis import settings  # noqa: E402

from bot.core.safety import (  # noqa: E402
    MAX_TEXT,
    CategoryRules,
    MatchRules,
    Rule,
    phrase_reader,
)

ROOTS = {"mengakhiri": "akhir", "akhiri": "akhir", "hidupku": "hidup", "matikan": "mati",
         "menghilangkan": "hilang", "kepikiran": "pikir"}
STEMMED: list[str] = []


def fake_stem(word: str) -> str:
    STEMMED.append(word)
    return ROOTS.get(word, word)


RULES = MatchRules(
    categories=(
        CategoryRules("crisis", ("bunuh diri", "kms"), (
            Rule(("wish",), ("die", "end"), 3),
            Rule(("die",), ("resign",), 0),
        )),
        CategoryRules("other", ("serangan panik",)),
    ),
    spelling={"pgn": "ingin", "pengen": "ingin", "gk": "tidak", "aja": "saja", "aku": "saya",
              "kms": "kill myself", "idup": "hidup", "dont": "do not"},
    keep=("matikan",),
    ordinary=("mati lampu", "dying to"),
    things=("hp", "lampu", "phone"),
    persons=("saya", "i"),
    concepts={"wish": ("ingin", "mau", "want", "pikir"), "die": ("mati", "die"),
              "end": ("akhir hidup", "tidak bangun lagi", "disappear"), "resign": ("saja",)},
)
R = SafetyMatcher.build(RULES, stem=fake_stem)


@pytest.mark.parametrize("text, expected", [
    ("pgn mati", ("crisis",)),                        # spelling, then wish + die
    ("pengen banget rasanya sekali mati", ("crisis",)),  # three words between: within
    ("pengen banget rasanya sekali lagi mati", ()),   # four: too far
    ("mati pengen", ()),                              # the order counts
    ("mau mengakhiri hidupku", ("crisis",)),          # roots: "akhir hidup"
    ("kepikiran akhiri idupku", ("crisis",)),         # spelling before -ku, root of the rest
    ("semoga gk bangun lagi", ()),                    # "semoga" is not a wish here
    ("mau gk bangun lagi", ("crisis",)),
    ("mati aja", ("crisis",)),                        # die, then resign at once
    ("mati lampu aja", ()),                           # blanked out as ordinary
    ("mau mati lampu", ()),
    ("mau matikan lampu", ()),                        # kept whole: not "mati"
    ("mau bunuhdiri", ("crisis",)),                   # a phrase written together
    ("pengenmati", ("crisis",)),                      # two list words written together
    ("kms", ("crisis",)),                             # spelling to a phrase
    ("i want to disappear", ("crisis",)),
    ("im dying to see you", ()),
    ("serangan panik, pengen mati", ("crisis", "other")),  # declaration order
])
def test_rules(text: str, expected: tuple[str, ...]) -> None:
    assert R.match(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("hp mau mati", ()),                              # the thing dies
    ("hp ku mau mati aja", ()),
    ("hpku mau mati", ()),                            # -ku dropped to find the thing
    ("hp aku mau mati", ()),                          # a person right after: "my phone"
    ("lampu di kamar anak mau mati", ()),             # up to four words before
    ("lampu di kamar anak sebelah mau mati", ("crisis",)),  # five: too far to count
    ("hp rusak, pengen mati", ("crisis",)),           # another clause
    ("hp rusak saya pengen mati", ("crisis",)),       # a person in between
    ("pengen mati, hp juga mau mati", ("crisis",)),   # the first clause alarms
    ("my phone is about to die, i want to die", ("crisis",)),
])
def test_things_cancel_a_rule_only_as_its_subject(text: str, expected: tuple[str, ...]) -> None:
    assert R.match(text) == expected


def test_things_do_not_cancel_phrases() -> None:
    assert R.match("hp bunuh diri") == ("crisis",)


def test_words_show_spelling_and_roots_are_not_words() -> None:
    assert R.words("Aku PGN m4tiii aja!!") == ["saya", "ingin", "mati", "saja"]
    assert R.words("i dont") == ["i", "do", "not"]
    assert R.words("mengakhiri") == ["mengakhiri"]


def test_only_words_that_can_reduce_to_a_list_word_are_stemmed() -> None:
    STEMMED.clear()
    R.match("pagi ini rapat mengakhiri bulan dengan makan")
    assert "mengakhiri" in STEMMED          # contains "khir", the tail of "akhir"
    assert "pagi" in STEMMED                # contains "agi", the tail of "lagi"
    assert "makan" not in STEMMED and "rapat" not in STEMMED  # nothing listed to find
    assert "ini" not in STEMMED                 # too short


def test_a_stem_that_is_no_list_word_is_ignored() -> None:
    m = SafetyMatcher.build(RULES, stem=lambda word: "mati")  # a stemmer gone wrong
    assert m.match("mau makan") == ()        # "makan" cannot reduce to anything listed
    assert m.match("mau semati") == ("crisis",)  # "semati" could: the root counts


def test_without_a_stemmer_only_written_forms_match() -> None:
    m = SafetyMatcher.build(RULES)
    assert m.match("mau mengakhiri hidupku") == ()
    assert m.match("mau akhir hidup") == ("crisis",)


def test_a_rule_naming_an_unknown_concept_is_refused() -> None:
    rules = MatchRules((CategoryRules("c", (), (Rule(("nope",), ("die",), 1),)),),
                       concepts={"die": ("mati",)})
    with pytest.raises(ValueError, match="nope"):
        SafetyMatcher.build(rules)


def test_phrase_reader_applies_spelling_only() -> None:
    read = phrase_reader({"gk": "tidak", "kms": "kill myself"})
    assert read("gk kuat") == ("tidak", "kuat")
    assert read("KMS!") == ("kil", "myself")  # repeated letters once, as in messages
    assert read("mengakhiri hidupku") == ("mengakhiri", "hidupku")


_TEXT = st.text(st.characters(), max_size=MAX_TEXT)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_normalising_any_text_never_crashes_and_yields_words(text: str) -> None:
    for words in (normalise(text), R.words(text)):
        assert all(w and not any(ch.isspace() for ch in w) for w in words)
    assert set(R.match(text)) <= {"crisis", "other"}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["pengen", "mati", "hp", "aja", "mau", "lampu", "saya",
                                 "mengakhiri", "hidupku", "x", ",", "bunuhdiri", "pgn"]),
                min_size=800, max_size=1200))
def test_4096_characters_are_matched_quickly(words: list[str]) -> None:
    text = " ".join(words)[:MAX_TEXT]
    started = perf.perf_counter()
    R.match(text)
    R.match(text + "x" * 10_000)  # beyond MAX_TEXT: cut
    assert perf.perf_counter() - started < 0.5
