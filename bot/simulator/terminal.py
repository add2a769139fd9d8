"""Render simulated chat messages as terminal text and map "#2" to the second button."""

from __future__ import annotations

import re

from bot.simulator.models import ChatMessage

_BUTTON_REF = re.compile(r"^#(\d+)$")


def render_message(msg: ChatMessage) -> str:
    """Return the message text with its inline buttons numbered [1] [2] ... in reading order."""
    if msg.deleted:
        return "(message deleted)"
    lines = []
    if msg.kind != "text":
        lines.append(f"[{msg.kind}: {msg.filename or msg.file_id}]")
    if msg.text:
        lines.append(msg.text)
        lines.extend(f"  (link: {label} -> {url})" for label, url in links(msg))
    number = 0
    for row in msg.keyboard:
        cells = []
        for button in row:
            number += 1
            link = f" -> {button['url']}" if "url" in button else ""
            cells.append(f"[{number}] {button['text']}{link}")
        lines.append("  ".join(cells))
    return "\n".join(lines)


def links(msg: ChatMessage) -> list[tuple[str, str]]:
    """The (text, url) of every hidden link in the message (Telegram's text_link entities)."""
    encoded = msg.text.encode("utf-16-le")  # entity offsets count UTF-16 code units
    found = []
    for entity in msg.entities:
        if entity.get("type") == "text_link" and "url" in entity:
            start, length = 2 * entity["offset"], 2 * entity["length"]
            found.append((encoded[start:start + length].decode("utf-16-le", "replace"),
                          entity["url"]))
    return found


def render_reply_keyboard(rows: list[list[str]] | None) -> str:
    """Return a custom reply keyboard as one line per row, or an empty string."""
    if not rows:
        return ""
    return "\n".join(" | ".join(row) for row in rows)


def button_number(text: str) -> int | None:
    """Return N when ``text`` is a button reference like "#2", else None."""
    match = _BUTTON_REF.match(text.strip())
    return int(match.group(1)) if match else None


def button_label(msg: ChatMessage, number: int) -> str | None:
    """Return the label of button ``number`` (1-based, reading order) or None if absent."""
    buttons = msg.flat_buttons
    return buttons[number - 1]["text"] if 0 < number <= len(buttons) else None
