"""Build raw Bot API Update payloads (without update_id) the way Telegram shapes them."""

from __future__ import annotations

from typing import Any

from bot.simulator.entities import auto_entities


def user_json(user_id: int, first_name: str, *, last_name: str | None = None,
              username: str | None = None, language_code: str | None = None) -> dict[str, Any]:
    """Return a Bot API User object for a human."""
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    for key, value in (("last_name", last_name), ("username", username),
                       ("language_code", language_code)):
        if value:
            user[key] = value
    return user


def private_chat_json(user: dict[str, Any]) -> dict[str, Any]:
    """Return the private Chat object for a conversation with ``user``."""
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    for key in ("last_name", "username"):
        if key in user:
            chat[key] = user[key]
    return chat


def message_update(user: dict[str, Any], chat: dict[str, Any], message_id: int, text: str,
                   date: int) -> dict[str, Any]:
    """Return a ``message`` update; commands get bot_command entities like in Telegram."""
    message: dict[str, Any] = {"message_id": message_id, "from": user, "chat": chat,
                               "date": date, "text": text}
    entities = auto_entities(text)
    if entities:
        message["entities"] = entities
    return {"message": message}


def edited_message_update(user: dict[str, Any], chat: dict[str, Any], message_id: int,
                          text: str, date: int, edit_date: int) -> dict[str, Any]:
    """Return an ``edited_message`` update: the user changed one of their messages."""
    message = message_update(user, chat, message_id, text, date)["message"]
    return {"edited_message": {**message, "edit_date": edit_date}}


def callback_update(user: dict[str, Any], query_id: str, message: dict[str, Any],
                    data: str) -> dict[str, Any]:
    """Return a ``callback_query`` update for a press on ``message``."""
    return {"callback_query": {
        "id": query_id, "from": user, "message": message,
        "chat_instance": f"ci{message['chat']['id']}", "data": data,
    }}


def my_chat_member_update(user: dict[str, Any], chat: dict[str, Any], bot: dict[str, Any],
                          blocked: bool, date: int) -> dict[str, Any]:
    """Return the ``my_chat_member`` update Telegram sends when a user (un)blocks the bot."""
    member = {"status": "member", "user": bot}
    kicked = {"status": "kicked", "user": bot, "until_date": 0}
    old, new = (member, kicked) if blocked else (kicked, member)
    return {"my_chat_member": {"chat": chat, "from": user, "date": date,
                               "old_chat_member": old, "new_chat_member": new}}
