"""User-safe errors: a locale key and its values; handlers translate and send them.

Keys name entries of ``content/locales/*.yaml``; ``error.rating_out_of_range`` is not
there yet (a handler refuses out-of-range buttons as expired ones today).

Never put message text, names or Telegram ids in the values: they may be logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class BotError(Exception):
    """A refusal the user may see, as a locale key plus values for the translation."""

    key: str = ""  # subclasses name their default key

    def __init__(self, key: str | None = None, /, **values: object) -> None:
        self.key = key or type(self).key
        if not self.key:
            raise TypeError("BotError needs a locale key")
        self.values: Mapping[str, object] = MappingProxyType(dict(values))
        super().__init__(self.key)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r}, {dict(self.values)!r})"


class NotEnrolled(BotError):
    key = "error.not_enrolled"


class InvalidCode(BotError):
    key = "enrol.code_invalid"


class CodeExpired(BotError):
    key = "enrol.code_expired"


class CodeUsed(BotError):
    key = "enrol.code_used"


class RatingOutOfRange(BotError):
    key = "error.rating_out_of_range"


class NotAllowed(BotError):
    key = "error.not_allowed"


class ButtonExpired(BotError):
    key = "error.button_expired"
