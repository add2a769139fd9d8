"""core.parsing: what people type for a time zone, a time and a number of days.

Decisions documented here:
- "UTC"/"utc"/"UTC+0"/"GMT-0" -> "UTC".
- "UTC+7", "GMT+7", "+7", "UTC+07:00" mean seven hours *ahead* of UTC (as people write
  it) and are stored as IANA's "Etc/GMT-7" (whose sign is inverted).
- An IANA name typed literally keeps its IANA meaning: "Etc/GMT+7" is UTC-7. This keeps
  parse_timezone idempotent (a stored name parses back to itself), at the cost that
  "GMT+7" and "Etc/GMT+7" differ; the bot shows the zone back at enrolment.
- Half-hour offsets ("UTC+5:30") are not offsets we read: name the zone instead.
"""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.parsing import SHORTCUTS, parse_days, parse_time, parse_timezone


@pytest.mark.parametrize(("text", "zone"), [
    ("WIB", "Asia/Jakarta"), ("wib", "Asia/Jakarta"), ("Wib ", "Asia/Jakarta"),
    ("WITA", "Asia/Makassar"), ("wita", "Asia/Makassar"), ("WiTa", "Asia/Makassar"),
    ("WIT", "Asia/Jayapura"), ("wit", "Asia/Jayapura"),
    ("Asia/Jakarta", "Asia/Jakarta"), ("asia/jakarta", "Asia/Jakarta"),
    ("ASIA/MAKASSAR", "Asia/Makassar"), (" asia / jayapura ", "Asia/Jayapura"),
    ("europe/berlin", "Europe/Berlin"), ("America/new_york", "America/New_York"),
    ("asia/kathmandu", "Asia/Kathmandu"), ("Australia/lord_howe", "Australia/Lord_Howe"),
    ("jakarta", "Asia/Jakarta"), ("Surabaya", "Asia/Jakarta"), ("bali", "Asia/Makassar"),
    ("Makassar", "Asia/Makassar"), ("ambon", "Asia/Jayapura"), ("pontianak", "Asia/Pontianak"),
    ("bandar   lampung", "Asia/Jakarta"), ("berlin", "Europe/Berlin"),
    ("new york", "America/New_York"), ("america/st johns", "America/St_Johns"),
    ("UTC", "UTC"), ("utc", "UTC"), ("UTC+0", "UTC"), ("GMT-0", "UTC"),
    ("UTC+7", "Etc/GMT-7"), ("utc +7", "Etc/GMT-7"), ("GMT+7", "Etc/GMT-7"),
    ("+7", "Etc/GMT-7"), ("UTC+07:00", "Etc/GMT-7"), ("UTC+0700", "Etc/GMT-7"),
    ("UTC-5", "Etc/GMT+5"), ("UTC+14", "Etc/GMT-14"), ("UTC-12", "Etc/GMT+12"),
    ("Etc/GMT+7", "Etc/GMT+7"), ("etc/gmt-7", "Etc/GMT-7"), ("Etc/UTC", "Etc/UTC"),
])
def test_parse_timezone(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone
    ZoneInfo(zone)


def test_etc_names_keep_iana_meaning() -> None:
    from datetime import UTC, datetime
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    assert now.astimezone(ZoneInfo(parse_timezone("GMT+7") or "")).hour == 19
    assert now.astimezone(ZoneInfo(parse_timezone("Etc/GMT+7") or "")).hour == 5


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "WIBB", "Jakarta Selatan", "Asia/Jakarta/", "Mars/Olympus",
    "UTC+15", "UTC-13", "UTC+5:30", "UTC+7:15", "GMT", "EST", "Z", "localtime", "Factory",
    "posix/Asia/Jakarta", "right/UTC", "../../etc/passwd", "x" * 65, "Asia/" + "a" * 100,
    "١٢", "+", "UTC+", "7",
    "buenos aires",  # two zones end in Buenos_Aires: ambiguous, so not guessed
])
def test_parse_timezone_junk(text: str) -> None:
    assert parse_timezone(text) is None


def test_every_shortcut_is_a_real_zone() -> None:
    for name in set(SHORTCUTS.values()):
        ZoneInfo(name)


@given(st.text(max_size=80))
def test_parse_timezone_total_and_idempotent(text: str) -> None:
    zone = parse_timezone(text)
    if zone is not None:
        ZoneInfo(zone)
        assert parse_timezone(zone) == zone


@pytest.mark.parametrize(("text", "expected"), [
    ("20:00", time(20)), ("20.00", time(20)), ("8:05", time(8, 5)), ("08:05", time(8, 5)),
    ("0800", time(8)), ("1930", time(19, 30)), ("20", time(20)), ("8", time(8)),
    ("0", time(0)), ("00:00", time(0)), ("23:59", time(23, 59)), (" 7:30 ", time(7, 30)),
    ("jam 20.00", time(20)), ("pukul 19.30 WIB", time(19, 30)), ("pkl. 7.15 wita", time(7, 15)),
    ("20h", time(20)), ("19.30 wita", time(19, 30)), ("２０：００", time(20)),
])
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", [
    "24:00", "2400", "12:60", "25", "-1", "abc", "20:0", "20:000", "930", "19:30:00",
    "20:00pm", "8 malam", "", " ", ":", "20:", ":30", "٢٠:٠٠", "20,00", "1e3", "+8",
])
def test_parse_time_rejects(text: str) -> None:
    assert parse_time(text) is None


@given(st.integers(0, 23), st.integers(0, 59))
def test_parse_time_round_trip(h: int, m: int) -> None:
    assert parse_time(f"{h}:{m:02d}") == time(h, m)
    assert parse_time(f"{h:02d}{m:02d}") == time(h, m)
    assert parse_time(f"{h}.{m:02d}") == time(h, m)


@pytest.mark.parametrize(("text", "expected"), [
    ("1", 1), ("7", 7), ("60", 60), ("007", 7), (" 14 ", 14), ("7 hari", 7), ("7 HARI", 7),
    ("7 days", 7), ("1 day", 1), ("7d", 7), ("７", 7),
])
def test_parse_days(text: str, expected: int) -> None:
    assert parse_days(text) == expected


@pytest.mark.parametrize("text", [
    "0", "61", "100", "1000", "0007", "-3", "", "x", "7.5", "٧", "tiga", "seminggu",
])
def test_parse_days_rejects(text: str) -> None:
    assert parse_days(text) is None


def test_parse_days_custom_bounds() -> None:
    assert parse_days("3", low=5, high=10) is None
    assert parse_days("5", low=5, high=10) == 5
    assert parse_days("10", low=5, high=10) == 10
