"""core.errors: user-safe errors carry a locale key and read-only values, never user text.

(Issue 9.6 decides whether core/errors.py stays; until then its behaviour is tested here.)
"""

from __future__ import annotations

import pytest

from bot.core import errors


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
