"""User-facing strings: ``t(lang, key, **values)`` over content/locales/*.yaml."""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from datetime import date

from bot.core.models import Language

logger = logging.getLogger(__name__)

FALLBACK = Language.ID


class _Values(dict[str, object]):
    """Format values that leave an unknown placeholder visible instead of raising."""

    def __missing__(self, key: str) -> str:
        logger.error("missing value for placeholder %s", key)
        return "{" + key + "}"


class Translator:
    """Look up a string by language and dotted key and fill in its placeholders."""

    def __init__(self, locales: Mapping[str, Mapping[str, str]]) -> None:
        self._locales = locales

    def __call__(self, lang: Language | str | None, key: str, **values: object) -> str:
        code = str(lang) if lang else FALLBACK.value
        table = self._locales.get(code) or self._locales.get(FALLBACK.value, {})
        template = table.get(key)
        if template is None:
            template = self._locales.get(FALLBACK.value, {}).get(key)
        if template is None:
            logger.error("missing locale key %s", key)
            return key
        return string.Formatter().vformat(template, (), _Values(values))

    def plural(self, lang: Language | str | None, key: str, n: int, **values: object) -> str:
        """Translate ``key.one`` when ``n`` is 1, else ``key.other``; ``{n}`` is filled in."""
        form = f"{key}.one" if n == 1 and self.has(f"{key}.one") else f"{key}.other"
        return self(lang, form, n=n, **values)

    def both(self, key: str, **values: object) -> str:
        """The text in every language, Indonesian first (when we cannot know who reads it)."""
        return "\n\n".join(self(code, key, **values) for code in (Language.ID, Language.EN))

    def templates(self, lang: Language | str, prefix: str) -> dict[str, str]:
        """Every template under ``prefix`` in ``lang`` (Indonesian where one is missing),
        unfilled, by key without the prefix: for a document made of many of them."""
        fallback = self._locales.get(FALLBACK.value, {})
        table = self._locales.get(str(lang)) or fallback
        return {k.removeprefix(prefix): table.get(k, v) for k, v in fallback.items()
                if k.startswith(prefix)}

    def has(self, key: str) -> bool:
        return key in self._locales.get(FALLBACK.value, {})

    def languages(self) -> list[str]:
        return sorted(self._locales)


ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
ZONE_ALIASES = {"Asia/Pontianak": "WIB"}


def zone_label(zone: str) -> str:
    """Show a zone the way people say it: WIB/WITA/WIT, "UTC+7", or the IANA name."""
    if zone in ZONE_NAMES:
        return ZONE_NAMES[zone]
    if zone in ZONE_ALIASES:
        return f"{ZONE_ALIASES[zone]} ({zone})"
    if zone.startswith("Etc/GMT") and zone[7:8] in "+-" and zone[8:].isdigit():
        # IANA's Etc/GMT-7 is UTC+7: the sign is inverted
        return f"UTC{'+' if zone[7] == '-' else '-'}{zone[8:]}"
    return zone


MONTHS = {
    Language.ID: ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                  "September", "Oktober", "November", "Desember"),
    Language.EN: ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"),
}
WEEKDAYS = {
    Language.ID: ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    Language.EN: ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def format_date(lang: Language | str, day: date, weekday: bool = False) -> str:
    """A date the way readers write it: "2 Desember 2026", "Rabu, 2 Desember 2026"."""
    language = Language(str(lang)) if str(lang) in ("id", "en") else FALLBACK
    text = f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"
    return f"{WEEKDAYS[language][day.weekday()]}, {text}" if weekday else text


def format_number(lang: Language | str, value: float, digits: int = 1) -> str:
    """A decimal with a comma in Indonesian ("5,3") and a point in English ("5.3")."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if str(lang) == Language.ID.value else text


def language_of(code: str | None) -> Language:
    """Map a Telegram language_code to the closest language we speak."""
    if code and code.lower().startswith("en"):
        return Language.EN
    return Language.ID
