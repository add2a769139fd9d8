"""User-facing strings: ``t(lang, key, **values)`` over content/locales/*.yaml."""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping

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


def language_of(code: str | None) -> Language:
    """Map a Telegram language_code to the closest language we speak."""
    if code and code.lower().startswith("en"):
        return Language.EN
    return Language.ID
