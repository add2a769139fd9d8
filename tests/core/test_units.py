"""Small pure pieces: parsing, identity, ratings, safety matching, calendar."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content import default_content_dir, load_content
from bot.core import calendar, identity, parsing, ratings
from bot.core.models import Group, Rating, RatingKind
from bot.core.safety import SafetyMatcher, normalise
from bot.stemmer import safety_matcher


@pytest.mark.parametrize("text, zone", [
    ("WIB", "Asia/Jakarta"), ("wita", "Asia/Makassar"), (" Wit ", "Asia/Jayapura"),
    ("europe/berlin", "Europe/Berlin"), ("Asia/Pontianak", "Asia/Pontianak"),
    ("bali", "Asia/Makassar"), ("america/st johns", "America/St_Johns"),
    ("Mars/Base", None), ("", None), ("UTC", "UTC"), ("x" * 100, None),
])
def test_parse_timezone(text: str, zone: str | None) -> None:
    assert parsing.parse_timezone(text) == zone


@pytest.mark.parametrize("text, at", [
    ("20:00", time(20, 0)), ("20.00", time(20, 0)), ("8:05", time(8, 5)), ("0800", time(8, 0)),
    ("20", time(20, 0)), (" 07.15 ", time(7, 15)), ("24:00", None), ("12:60", None),
    ("-1", None), ("abc", None), ("20:0", None), ("", None), ("8 pm", None),
])
def test_parse_time(text: str, at: time | None) -> None:
    assert parsing.parse_time(text) == at


@pytest.mark.parametrize("text, days", [("1", 1), ("60", 60), ("0", None), ("61", None),
                                        ("tiga", None), ("3.5", None)])
def test_parse_days(text: str, days: int | None) -> None:
    assert parsing.parse_days(text) == days


def test_pseudonym_is_stable_keyed_and_reveals_nothing() -> None:
    a, b = b"a" * 32, b"b" * 32
    assert identity.pseudonym(a, 123456789) == identity.pseudonym(a, 123456789)
    assert identity.pseudonym(a, 123456789) != identity.pseudonym(b, 123456789)
    assert identity.pseudonym(a, 1) != identity.pseudonym(a, 2)
    assert "123456789" not in identity.pseudonym(a, 123456789)


def test_invite_codes_are_unique_readable_and_strong() -> None:
    codes = {identity.new_invite_code(secrets.token_bytes) for _ in range(5000)}
    assert len(codes) == 5000
    for code in list(codes)[:200]:
        assert set(code.replace("-", "")) <= set(identity.ALPHABET)
        assert not set("01OIL") & set(code)
    bits = sum(identity.CODE_GROUPS) * __import__("math").log2(len(identity.ALPHABET))
    assert bits >= 50


@given(st.sampled_from(["/start ", "", "  "]), st.booleans(), st.booleans())
def test_normalise_code_tolerates_how_people_type(prefix: str, lower: bool, spaces: bool) -> None:
    code = "JD7K-M3QX-P9A"
    typed = code.lower() if lower else code
    typed = typed.replace("-", " ") if spaces else typed
    assert identity.normalise_code(prefix + typed) == "JD7KM3QXP9A"


def test_hash_code_depends_on_the_secret() -> None:
    assert identity.hash_code(b"a", "X") != identity.hash_code(b"b", "X")


def r(day: int, value: int, minute: int = 0) -> Rating:
    return Rating("P", date(2026, 11, day), value, RatingKind.PROMPTED,
                  datetime(2026, 11, day, 12, minute, tzinfo=UTC), "v")


def test_daily_values_take_the_latest_of_a_day() -> None:
    assert ratings.daily_values([r(1, 3, 0), r(1, 7, 5), r(2, 4)]) == {
        date(2026, 11, 1): 7, date(2026, 11, 2): 4}


@pytest.mark.parametrize("history, today_value, trend", [
    ([], 5, "first"), ([5, 5, 5], 2, "lower"), ([5, 5, 5], 6, "similar"),
    ([5, 5, 5], 8, "higher"),
])
def test_reflect(history: list[int], today_value: int, trend: str) -> None:
    rs = [r(17 + i, v) for i, v in enumerate(history)] + [r(20, today_value)]
    result = ratings.reflect(rs, date(2026, 11, 20))
    assert result is not None and result.trend.value == trend
    if history:
        assert result.n == len(history) and result.mean == 5.0


def test_reflect_uses_only_the_last_seven_days() -> None:
    result = ratings.reflect([r(1, 10), r(19, 2), r(20, 2)], date(2026, 11, 20))
    assert result is not None and result.n == 1
    # older ratings only: not "the first", and nothing recent to compare with
    assert ratings.reflect([r(1, 10), r(20, 2)], date(2026, 11, 20)) is None


@pytest.mark.parametrize("values, expected", [
    ({20: 10}, True), ({18: 8, 19: 9, 20: 8}, True), ({18: 8, 20: 9}, False),
    ({18: 8, 19: 7, 20: 9}, False), ({19: 9, 20: 9}, False), ({18: 9, 19: 9}, False),
])
def test_needs_support(values: dict[int, int], expected: bool) -> None:
    assert ratings.needs_support([r(d, v) for d, v in values.items()],
                                 date(2026, 11, 20)) is expected


def test_backfill_only_yesterday_and_only_once() -> None:
    today = date(2026, 11, 20)
    assert ratings.can_backfill([], today) == date(2026, 11, 19)
    assert ratings.can_backfill([r(19, 3)], today) is None


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


def test_calendar_phases() -> None:
    g = Group("G", "Asia/Jakarta", datetime(2026, 1, 1, tzinfo=UTC), pre_date=date(2026, 1, 5),
              session_dates=tuple(date(2026, 1, 12) + timedelta(weeks=i) for i in range(4)),
              post_date=date(2026, 2, 16))
    cases = {date(2026, 1, 1): "before_pre", date(2026, 1, 5): "baseline",
             date(2026, 1, 12): "module_1", date(2026, 1, 25): "module_2",
             date(2026, 2, 2): "module_4", date(2026, 2, 16): "post"}
    for day, expected in cases.items():
        assert calendar.phase(g, day).value == expected
    assert calendar.open_sessions(g, date(2026, 1, 20)) == 2
    empty = Group("E", "Asia/Jakarta", datetime(2026, 1, 1, tzinfo=UTC))
    assert calendar.phase(empty, date(2026, 1, 1)).value == "baseline"
