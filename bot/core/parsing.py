"""Parse what people type: time zones, times of day, numbers of days."""

from __future__ import annotations

import re
from datetime import time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

SHORTCUTS = {
    "wib": "Asia/Jakarta",
    "wita": "Asia/Makassar",
    "wit": "Asia/Jayapura",
    "jakarta": "Asia/Jakarta",
    "pontianak": "Asia/Pontianak",
    "makassar": "Asia/Makassar",
    "bali": "Asia/Makassar",
    "denpasar": "Asia/Makassar",
    "jayapura": "Asia/Jayapura",
}
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})$")


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_timezone(text: str) -> str | None:
    """Return the IANA name for WIB/WITA/WIT, a known city, or any IANA zone; else None."""
    cleaned = text.strip().replace(" ", "_")
    if not cleaned or len(cleaned) > 64:
        return None
    folded = cleaned.casefold()
    if folded in SHORTCUTS:
        return SHORTCUTS[folded]
    name = _zones_by_folded_name().get(folded)
    if name is None or "/" not in name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def parse_time(text: str) -> time | None:
    """Read "20:00", "20.00", "8:05", "0800" or "20"; None for anything else."""
    cleaned = text.strip()
    match = _TIME.match(cleaned) or _COMPACT.match(cleaned)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_days(text: str, low: int = 1, high: int = 60) -> int | None:
    """Read a whole number of days within [low, high]."""
    cleaned = text.strip()
    if not cleaned.isdigit() or len(cleaned) > 3:
        return None
    days = int(cleaned)
    return days if low <= days <= high else None
