"""Parsing, identity, errors, ratings and the programme calendar: edge cases."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import calendar, errors, identity, parsing, ratings
from bot.core.calendar import Phase
from bot.core.models import DeliveryStatus, Group, Prompt, PromptKind, Rating, RatingKind
from bot.core.ratings import Trend

# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, zone", [
    ("WIB", "Asia/Jakarta"), ("wita", "Asia/Makassar"), ("Wit", "Asia/Jayapura"),
    ("surabaya", "Asia/Jakarta"), ("Denpasar", "Asia/Makassar"), ("AMBON", "Asia/Jayapura"),
    ("pontianak", "Asia/Pontianak"), ("bandar  lampung", "Asia/Jakarta"),
    ("Europe/Berlin", "Europe/Berlin"), ("europe / berlin", "Europe/Berlin"),
    ("berlin", "Europe/Berlin"), ("st johns", "America/St_Johns"),
    ("australia/lord_howe", "Australia/Lord_Howe"), ("UTC", "UTC"),
    ("UTC+7", "Etc/GMT-7"), ("gmt-3", "Etc/GMT+3"), ("+09:00", "Etc/GMT-9"), ("UTC+0", "UTC"),
    ("UTC+15", None), ("UTC+5:30", None), ("EST", None), ("Mars/Base", None),
    ("buenos aires", None),  # two zones end in Buenos_Aires: ambiguous
    ("", None), ("x" * 100, None), ("../../etc/passwd", None),
])
def test_parse_timezone(text: str, zone: str | None) -> None:
    assert parsing.parse_timezone(text) == zone


@given(st.text(max_size=80))
def test_parse_timezone_never_raises(text: str) -> None:
    parsing.parse_timezone(text)


@pytest.mark.parametrize("text, at", [
    ("20:00", time(20)), ("20.00", time(20)), ("8:05", time(8, 5)), ("0800", time(8)),
    ("20", time(20)), ("0", time(0)), ("23:59", time(23, 59)), ("jam 20.00 WIB", time(20)),
    ("pukul 7.30", time(7, 30)), ("19.30 wita", time(19, 30)), ("８:００", time(8)),
    ("24:00", None), ("25:00", None), ("12:60", None), ("-1", None), ("-1:00", None),
    ("20:0", None), ("800", None), ("20:00:00", None), ("8 pm", None), ("", None),
    ("abc", None), ("٢٠", None),
])
def test_parse_time(text: str, at: time | None) -> None:
    assert parsing.parse_time(text) == at


@pytest.mark.parametrize("text, days", [
    ("1", 1), ("60", 60), (" 7 ", 7), ("7 hari", 7), ("3 days", 3), ("1 day", 1),
    ("0", None), ("61", None), ("-3", None), ("tiga", None), ("3.5", None), ("", None),
    ("٧", None), ("0007", None),
])
def test_parse_days(text: str, days: int | None) -> None:
    assert parsing.parse_days(text) == days


# --- identity -------------------------------------------------------------------------------


def test_pseudonym_shape_is_stable() -> None:
    pid = identity.pseudonym(b"k" * 32, 123456789)
    assert len(pid) == 11 and pid[0] == "P" and int(pid[1:], 16) >= 0
    assert pid == identity.pseudonym(b"k" * 32, 123456789)


def test_invite_code_shape_and_strength() -> None:
    stream = iter(range(10_000))
    code = identity.new_invite_code(lambda n: bytes(next(stream) % 256 for _ in range(n)))
    assert [len(part) for part in code.split("-")] == [4, 4, 3]
    assert not set("01OIL") & set(code)
    assert sum(identity.CODE_GROUPS) * math.log2(len(identity.ALPHABET)) >= 50


def test_invite_code_rejects_bytes_that_would_bias_it() -> None:
    chunks = iter([bytes([255] * 22), bytes([0] * 22)])  # 255 >= 240: all thrown away
    assert identity.new_invite_code(lambda n: next(chunks)) == "2222-2222-222"


@pytest.mark.parametrize("typed", [
    "JD7K-M3QX-P9A", "jd7k m3qx p9a", "/start JD7KM3QXP9A", "/START@JedaBot jd7k-m3qx-p9a",
    "  jd7k--m3qx--p9a  ", "ＪＤ７Ｋ-Ｍ３ＱＸ-Ｐ９Ａ",
])
def test_normalise_code(typed: str) -> None:
    assert identity.normalise_code(typed) == "JD7KM3QXP9A"


def test_hash_code_is_keyed_and_matches_after_normalising() -> None:
    a = identity.hash_code(b"s", identity.normalise_code("jd7k m3qx p9a"))
    assert a == identity.hash_code(b"s", "JD7KM3QXP9A") != identity.hash_code(b"t", "JD7KM3QXP9A")
    assert "JD7K" not in a


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cls, key", [
    (errors.NotEnrolled, "error.not_enrolled"), (errors.InvalidCode, "enrol.code_invalid"),
    (errors.CodeExpired, "enrol.code_expired"), (errors.CodeUsed, "enrol.code_used"),
    (errors.RatingOutOfRange, "error.rating_out_of_range"),
    (errors.NotAllowed, "error.not_allowed"), (errors.ButtonExpired, "error.button_expired"),
])
def test_errors_carry_a_locale_key(cls: type[errors.BotError], key: str) -> None:
    err = cls(value=11)
    assert isinstance(err, errors.BotError) and err.key == key and dict(err.values) == {"value": 11}
    assert str(err) == key  # the message is the key, never user text


def test_bot_error_needs_a_key_and_values_are_read_only() -> None:
    with pytest.raises(TypeError):
        errors.BotError()
    err = errors.BotError("rate.expired", day="2026-03-26")
    with pytest.raises(TypeError):
        err.values["day"] = "x"  # type: ignore[index]


# --- ratings --------------------------------------------------------------------------------

TODAY = date(2026, 11, 20)


def r(day: date, value: int, minute: int = 0) -> Rating:
    return Rating("P", day, value, RatingKind.PROMPTED,
                  datetime.combine(day, time(12, minute), tzinfo=UTC), "v")


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_daily_values_latest_wins_whatever_the_order() -> None:
    rs = [r(TODAY, 7, 5), r(TODAY, 3, 0), r(days_ago(1), 4)]
    assert ratings.daily_values(rs) == {days_ago(1): 4, TODAY: 7}
    assert list(ratings.daily_values(reversed(rs))) == [days_ago(1), TODAY]


@pytest.mark.parametrize("earlier, today, trend, n, mean", [
    ({}, 5, Trend.FIRST, 0, None),
    ({1: 5, 2: 5, 3: 5}, 3, Trend.LOWER, 3, 5.0),
    ({1: 5, 2: 5, 3: 5}, 4, Trend.SIMILAR, 3, 5.0),  # exactly 1 below: similar
    ({1: 5, 2: 5, 3: 5}, 6, Trend.SIMILAR, 3, 5.0),
    ({1: 5, 2: 6}, 7, Trend.HIGHER, 2, 5.5),
    ({7: 2, 8: 9}, 9, Trend.HIGHER, 1, 2.0),  # day 8 is outside the 7 days
])
def test_reflect(earlier: dict[int, int], today: int, trend: Trend, n: int,
                 mean: float | None) -> None:
    rs = [r(days_ago(k), v) for k, v in earlier.items()] + [r(TODAY, today)]
    result = ratings.reflect(rs, TODAY)
    assert result == ratings.Reflection(trend, n, mean)


def test_reflect_says_nothing_without_today_or_recent_days() -> None:
    assert ratings.reflect([r(days_ago(1), 5)], TODAY) is None
    assert ratings.reflect([r(days_ago(30), 5), r(TODAY, 5)], TODAY) is None


@pytest.mark.parametrize("rated, expected", [
    ([], days_ago(1)), ([0], days_ago(1)), ([1], None), ([2], days_ago(1)),
])
def test_can_backfill_only_yesterday(rated: list[int], expected: date | None) -> None:
    assert ratings.can_backfill([r(days_ago(k), 5) for k in rated], TODAY) == expected


def prompt(day: date, delivery: DeliveryStatus, **kw: datetime) -> Prompt:
    at = datetime.combine(day, time(12), tzinfo=UTC)
    return Prompt("P", PromptKind.DAILY_RATING, day, at, "v", delivery=delivery, **kw)


def test_adherence() -> None:
    at = datetime(2026, 11, 20, tzinfo=UTC)
    prompts = [
        prompt(days_ago(0), DeliveryStatus.SENT, answered_at=at),
        prompt(days_ago(1), DeliveryStatus.SENT, expired_at=at),
        prompt(days_ago(2), DeliveryStatus.FAILED, expired_at=at),
        prompt(days_ago(3), DeliveryStatus.FAILED, answered_at=at),  # unknown outcome, answered
        prompt(days_ago(4), DeliveryStatus.BLOCKED),
        prompt(days_ago(5), DeliveryStatus.SKIPPED, answered_at=at),
        prompt(days_ago(9), DeliveryStatus.SENT, answered_at=at),  # outside the span
    ]
    rated = [r(days_ago(k), 5) for k in (0, 3, 5, 9)] + [r(days_ago(0), 6, 1)]
    result = ratings.adherence(prompts, rated, days_ago(6), TODAY)
    assert result == ratings.Adherence(days=7, days_rated=3, prompts_sent=3,
                                       prompts_answered=2, prompts_expired=2, prompts_failed=2)
    assert result.fraction == pytest.approx(3 / 7)
    assert ratings.adherence([], [], TODAY, days_ago(1)).fraction == 0.0


# --- calendar -------------------------------------------------------------------------------

CREATED = datetime(2026, 1, 1, tzinfo=UTC)
SESSIONS = tuple(date(2026, 1, 12) + timedelta(weeks=i) for i in range(4))
FULL = Group("G", "Asia/Jakarta", CREATED, pre_date=date(2026, 1, 5), session_dates=SESSIONS,
             post_date=date(2026, 2, 16))


@pytest.mark.parametrize("day, expected, held", [
    (date(2026, 1, 4), Phase.BEFORE, 0), (date(2026, 1, 5), Phase.BASELINE, 0),
    (date(2026, 1, 11), Phase.BASELINE, 0), (date(2026, 1, 12), Phase.MODULE_1, 1),
    (date(2026, 1, 18), Phase.MODULE_1, 1), (date(2026, 1, 19), Phase.MODULE_2, 2),
    (date(2026, 1, 26), Phase.MODULE_3, 3), (date(2026, 2, 2), Phase.MODULE_4, 4),
    (date(2026, 2, 15), Phase.MODULE_4, 4), (date(2026, 2, 16), Phase.POST, 4),
    (date(2027, 1, 1), Phase.POST, 4),
])
def test_phase_boundaries(day: date, expected: Phase, held: int) -> None:
    assert calendar.phase(FULL, day) is expected
    assert calendar.open_sessions(FULL, day) == held


@pytest.mark.parametrize("group, day, expected, held", [
    (Group("E", "Asia/Jakarta", CREATED), date(2026, 1, 1), Phase.BASELINE, 0),
    (Group("S", "Asia/Jakarta", CREATED, session_dates=SESSIONS[:2]), date(2026, 3, 1),
     Phase.MODULE_2, 2),
    (Group("U", "Asia/Jakarta", CREATED, session_dates=tuple(reversed(SESSIONS))),
     date(2026, 1, 20), Phase.MODULE_2, 2),
    (Group("X", "Asia/Jakarta", CREATED, session_dates=(*SESSIONS, date(2026, 2, 9))),
     date(2026, 2, 10), Phase.MODULE_4, 4),
    (Group("N", "Asia/Jakarta", CREATED, pre_date=date(2026, 1, 5)), date(2026, 1, 4),
     Phase.BEFORE, 0),
    (Group("P", "Asia/Jakarta", CREATED, post_date=date(2026, 1, 5)), date(2026, 1, 5),
     Phase.POST, 0),
])
def test_phase_with_missing_or_odd_dates(group: Group, day: date, expected: Phase,
                                         held: int) -> None:
    assert calendar.phase(group, day) is expected
    assert calendar.open_sessions(group, day) == held
