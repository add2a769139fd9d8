"""Plain data the simulator records: limits, calls, statistics and chat messages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Limits:
    """Flood limits: a token bucket per chat and one across all chats.

    Only methods that put a message into a chat (``send*`` except ``sendChatAction``, and
    ``edit*``) spend tokens. ``retry_after`` fixes the value sent with 429 answers; ``None``
    sends the time until a token is free, rounded up to whole seconds as Telegram does.
    """

    per_chat_rate: float = 1.0
    per_chat_burst: int = 3
    global_rate: float = 30.0
    global_burst: int = 30
    retry_after: int | None = None
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.retry_after is not None and self.retry_after < 1:
            raise ValueError("retry_after must be >= 1: PTB treats 0 as a network error")

    @classmethod
    def unlimited(cls) -> Limits:
        """Return limits that never answer 429 (for ``jeda demo``)."""
        return cls(enabled=False)


@dataclass(frozen=True, slots=True)
class Call:
    """One recorded Bot API request with its decoded parameters and answer."""

    method: str
    params: dict[str, Any]
    status: int
    at: float
    response: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        """Return True when Telegram would have answered ``ok: true``."""
        return self.status == 200


@dataclass(slots=True)
class Stats:
    """Counters across the simulator's lifetime."""

    calls: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    rate_limited_per_chat: Counter[int] = field(default_factory=Counter)
    rate_limited_global: int = 0
    max_rate_global: int = 0
    max_rate_per_chat: dict[int, int] = field(default_factory=dict)

    @property
    def rate_limited(self) -> int:
        """Return the number of 429 answers of both kinds."""
        return self.rate_limited_global + sum(self.rate_limited_per_chat.values())


@dataclass(slots=True)
class ChatMessage:
    """A message as the user sees it; edits and deletions update it in place."""

    message_id: int
    from_bot: bool
    text: str
    date: int
    kind: Literal["text", "photo", "document"] = "text"
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    file_id: str | None = None
    filename: str | None = None
    edited: bool = False
    deleted: bool = False
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        """Return the inline keyboard's button dicts, row by row (empty when there is none)."""
        if not self.reply_markup:
            return []
        return list(self.reply_markup.get("inline_keyboard", []))

    @property
    def buttons(self) -> list[list[str]]:
        """Return the inline keyboard's labels, row by row."""
        return [[button["text"] for button in row] for row in self.keyboard]

    @property
    def flat_buttons(self) -> list[dict[str, Any]]:
        """Return the inline buttons in reading order (left to right, top to bottom)."""
        return [button for row in self.keyboard for button in row]


@dataclass(frozen=True, slots=True)
class ChatEvent:
    """Something the bot did in a chat, for listeners such as the terminal demo."""

    kind: Literal["sent", "edited", "deleted", "answer"]
    chat_id: int
    message: ChatMessage | None = None
    text: str | None = None
