"""Parse what people type: time zones, times of day, numbers of days."""

from __future__ import annotations

import re
import unicodedata
from datetime import time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_WIB, _WITA, _WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
# Indonesian zone names and cities people are likely to type (domain.md section 6.1).
SHORTCUTS = {
    "wib": _WIB, "wita": _WITA, "wit": _WIT, "pontianak": "Asia/Pontianak",
    **dict.fromkeys((
        "jakarta", "bandung", "bekasi", "bogor", "depok", "tangerang", "serang", "semarang",
        "surabaya", "malang", "solo", "surakarta", "yogyakarta", "jogja", "jogjakarta",
        "medan", "padang", "pekanbaru", "batam", "palembang", "jambi", "bengkulu",
        "lampung", "bandar lampung", "banda aceh", "aceh", "pangkal pinang",
        "palangkaraya", "palangka raya",
    ), _WIB),
    **dict.fromkeys((
        "makassar", "bali", "denpasar", "mataram", "lombok", "kupang", "manado", "palu",
        "kendari", "gorontalo", "balikpapan", "samarinda", "banjarmasin", "tarakan",
    ), _WITA),
    **dict.fromkeys((
        "jayapura", "papua", "ambon", "ternate", "sorong", "merauke", "manokwari", "timika",
    ), _WIT),
}
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?00)?$")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})$")
_TIME_WORDS = re.compile(r"^(?:jam|pukul|pkl\.?|at)\s+|\s*(?:wib|wita|wit|h)$")
_DAY_WORDS = re.compile(r"\s*(?:hari|days?|d)$")


@cache
def _zones_by_folded_name() -> dict[str, str]:
    names = {name for name in available_timezones() if "/" in name or name == "UTC"}
    by_name = {name.casefold(): name for name in names}
    # "berlin" -> Europe/Berlin, but only where the last part names one zone
    by_city: dict[str, list[str]] = {}
    for name in names:
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/")):
            by_city.setdefault(name.rsplit("/", 1)[1].casefold(), []).append(name)
    for city, found in by_city.items():
        if len(found) == 1:
            by_name.setdefault(city, found[0])
    return by_name


def parse_timezone(text: str) -> str | None:
    """Return the IANA name for WIB/WITA/WIT, a city, a whole UTC offset or a zone; else None."""
    cleaned = " ".join(unicodedata.normalize("NFKC", text).split())
    if not cleaned or len(cleaned) > 64:
        return None
    folded = cleaned.casefold()
    if folded in SHORTCUTS:
        return SHORTCUTS[folded]
    offset = _OFFSET.match(folded)
    if offset is not None:
        hours = int(offset.group(2))
        if hours == 0:
            return "UTC"
        # IANA's Etc/GMT signs are inverted: UTC+7 is Etc/GMT-7.
        sign = "-" if offset.group(1) == "+" else "+"
        name = f"Etc/GMT{sign}{hours}"
    else:
        key = re.sub(r"\s*/\s*", "/", folded).replace(" ", "_")
        found = _zones_by_folded_name().get(key)
        if found is None:
            return None
        name = found
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def parse_time(text: str) -> time | None:
    """Read "20:00", "20.00", "8:05", "0800", "20", "jam 20.00 WIB"; None for anything else."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    cleaned = _TIME_WORDS.sub("", folded).strip()
    match = _TIME.match(cleaned) or _COMPACT.match(cleaned)
    if match is None or not cleaned.isascii():
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_days(text: str, low: int = 1, high: int = 60) -> int | None:
    """Read a whole number of days within [low, high] ("7", "7 hari", "7 days")."""
    cleaned = _DAY_WORDS.sub("", unicodedata.normalize("NFKC", text).strip().casefold())
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > 3:
        return None
    days = int(cleaned)
    return days if low <= days <= high else None


def parse_whole(text: str) -> int | None:
    """Read a typed whole number of up to three digits ("3", " 10 ", "-1"); else None."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    digits = cleaned.removeprefix("-")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 3:
        return None
    return int(cleaned)
