"""Bot API methods that create, change or remove messages in a chat."""

from __future__ import annotations

import struct
from typing import Any

from bot.simulator import errors as e
from bot.simulator.entities import auto_entities, parse, utf16_len
from bot.simulator.models import ChatEvent, ChatMessage
from bot.simulator.params import Upload
from bot.simulator.state import ChatState, SimState

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64


def resolve_chat(sim: SimState, chat_id: Any, *, writing: bool = True) -> ChatState:
    """Return the chat for ``chat_id`` or raise 400 chat not found / 403 blocked."""
    chat: ChatState | None = None
    if isinstance(chat_id, int):
        chat = sim.chats.get(chat_id)
    elif isinstance(chat_id, str) and chat_id.startswith("@"):
        chat = next((c for c in sim.chats.values()
                     if c.chat.get("type") != "private"
                     and c.chat.get("username", "").lower() == chat_id[1:].lower()), None)
    if chat is None:
        raise e.bad_request(e.CHAT_NOT_FOUND)
    if writing and chat.blocked:
        raise e.forbidden(e.BLOCKED)
    if writing and not chat.started:
        raise e.forbidden(e.CANT_INITIATE)
    return chat


def check_markup(markup: Any) -> dict[str, Any] | None:
    """Validate a reply_markup object; return it when it is an inline keyboard."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise e.bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return None
    for row in rows:
        for button in row:
            if not button.get("text"):
                raise e.bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
                raise e.bad_request(e.BUTTON_DATA_INVALID)
            if data is None and not any(k in button for k in (
                    "url", "login_url", "web_app", "switch_inline_query", "pay",
                    "switch_inline_query_current_chat", "copy_text", "callback_game",
                    "switch_inline_query_chosen_chat")):
                raise e.bad_request("text buttons are unallowed in the inline keyboard")
    return markup


def formatted(params: dict[str, Any], key: str, limit: int, too_long: str) -> tuple[str, list]:
    """Return the parsed text or caption with its entities, enforcing Telegram's limits."""
    raw = params.get(key) or ""
    text, entities = parse(str(raw), params.get("parse_mode"))
    explicit = params.get("entities" if key == "text" else "caption_entities")
    if explicit:
        entities = list(explicit)
    elif not params.get("parse_mode"):
        entities = auto_entities(text)
    if key == "text" and not text.strip():
        raise e.bad_request(e.TEXT_EMPTY)
    if utf16_len(text) > limit:
        raise e.bad_request(too_long)
    return text, entities


def message_json(sim: SimState, chat: ChatState, msg: ChatMessage) -> dict[str, Any]:
    """Return the Bot API Message object for ``msg``."""
    data: dict[str, Any] = {
        "message_id": msg.message_id,
        "from": sim.bot_user if msg.from_bot else chat.user,
        "chat": chat.chat,
        "date": msg.date,
    }
    data.update(msg.raw)
    key = "text" if msg.kind == "text" else "caption"
    if msg.text or key == "text":
        data[key] = msg.text
    if msg.entities:
        data["entities" if key == "text" else "caption_entities"] = msg.entities
    if msg.reply_markup:
        data["reply_markup"] = msg.reply_markup
    return data


def _new_message(sim: SimState, chat: ChatState, **fields: Any) -> ChatMessage:
    message_id = chat.next_message_id
    chat.next_message_id += 1
    return ChatMessage(message_id=message_id, from_bot=True, date=int(sim.wall_clock()), **fields)


def _remember_reply_keyboard(chat: ChatState, markup: dict[str, Any] | None) -> None:
    if markup and "keyboard" in markup:
        chat.reply_keyboard = [[b if isinstance(b, str) else b["text"] for b in row]
                               for row in markup["keyboard"]]
    elif markup and markup.get("remove_keyboard"):
        chat.reply_keyboard = None


async def send_message(sim: SimState, params: dict[str, Any]) -> dict[str, Any]:
    """Send a text message."""
    text, entities = formatted(params, "text", MAX_TEXT, e.TEXT_TOO_LONG)
    inline = check_markup(params.get("reply_markup"))
    chat = resolve_chat(sim, params["chat_id"])
    sim.flood.spend(chat.chat["id"])
    msg = _new_message(sim, chat, text=text, entities=entities, reply_markup=inline)
    if params.get("link_preview_options"):
        msg.raw["link_preview_options"] = params["link_preview_options"]
    _remember_reply_keyboard(chat, params.get("reply_markup"))
    sim.add_message(chat, msg)
    return message_json(sim, chat, msg)


def _stored_file(sim: SimState, value: Any, default_name: str) -> tuple[str, str, bytes]:
    """Store an upload (or look up a file_id) and return (file_id, filename, content)."""
    if isinstance(value, Upload):
        file_id = f"F{len(sim.files) + 1:06d}-{default_name}"
        sim.files[file_id] = (value.filename or default_name, value.content)
        return file_id, value.filename or default_name, value.content
    if isinstance(value, str) and value in sim.files:
        return value, *sim.files[value]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        file_id = f"F{len(sim.files) + 1:06d}-url"
        sim.files[file_id] = (value.rsplit("/", 1)[-1] or default_name, b"")
        return file_id, *sim.files[file_id]
    raise e.bad_request("wrong file identifier/HTTP URL specified")


def _image_size(content: bytes) -> tuple[int, int]:
    """Return (width, height) of a PNG, or a plausible default for anything else."""
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return int(width), int(height)
    return 320, 240


async def send_file(sim: SimState, params: dict[str, Any], kind: str) -> dict[str, Any]:
    """Send a photo or document with an optional caption."""
    caption, entities = formatted(params, "caption", MAX_CAPTION, e.CAPTION_TOO_LONG)
    inline = check_markup(params.get("reply_markup"))
    chat = resolve_chat(sim, params["chat_id"])
    sim.flood.spend(chat.chat["id"])
    file_id, filename, content = _stored_file(sim, params[kind], f"{kind}.bin")
    msg = _new_message(sim, chat, text=caption, entities=entities, reply_markup=inline,
                       kind=kind, file_id=file_id, filename=filename)
    unique = {"file_id": file_id, "file_unique_id": f"U{file_id}", "file_size": len(content)}
    if kind == "photo":
        width, height = _image_size(content)
        msg.raw["photo"] = [{**unique, "width": width, "height": height}]
    else:
        msg.raw["document"] = {**unique, "file_name": filename}
    sim.add_message(chat, msg)
    return message_json(sim, chat, msg)


def _editable(sim: SimState, params: dict[str, Any]) -> tuple[ChatState, ChatMessage]:
    if params.get("inline_message_id"):
        raise e.bad_request("MESSAGE_ID_INVALID")
    if params.get("chat_id") in (None, ""):
        raise e.bad_request("chat_id is empty")
    chat = resolve_chat(sim, params["chat_id"])
    msg = chat.find(params["message_id"]) if isinstance(params.get("message_id"), int) else None
    if msg is None or msg.deleted:
        raise e.bad_request(e.EDIT_NOT_FOUND)
    if not msg.from_bot:
        raise e.bad_request(e.CANT_EDIT)
    return chat, msg


async def edit_message_text(sim: SimState, params: dict[str, Any]) -> dict[str, Any]:
    """Edit a bot message's text; without reply_markup the inline keyboard is removed."""
    text, entities = formatted(params, "text", MAX_TEXT, e.TEXT_TOO_LONG)
    inline = check_markup(params.get("reply_markup"))
    chat, msg = _editable(sim, params)
    if msg.kind != "text":
        raise e.bad_request("there is no text in the message to edit")
    if (msg.text, msg.entities, msg.reply_markup) == (text, entities, inline):
        raise e.bad_request(e.NOT_MODIFIED)
    sim.flood.spend(chat.chat["id"])
    msg.text, msg.entities, msg.reply_markup, msg.edited = text, entities, inline, True
    msg.raw["edit_date"] = int(sim.wall_clock())
    sim.emit(ChatEvent("edited", chat.chat["id"], msg))
    return message_json(sim, chat, msg)


async def edit_message_reply_markup(sim: SimState, params: dict[str, Any]) -> dict[str, Any]:
    """Replace or remove a bot message's inline keyboard."""
    inline = check_markup(params.get("reply_markup"))
    chat, msg = _editable(sim, params)
    if msg.reply_markup == inline:
        raise e.bad_request(e.NOT_MODIFIED)
    sim.flood.spend(chat.chat["id"])
    msg.reply_markup, msg.edited = inline, True
    msg.raw["edit_date"] = int(sim.wall_clock())
    sim.emit(ChatEvent("edited", chat.chat["id"], msg))
    return message_json(sim, chat, msg)


async def delete_message(sim: SimState, params: dict[str, Any]) -> bool:
    """Mark a message deleted (bots may delete both sides of a private chat)."""
    chat = resolve_chat(sim, params["chat_id"])
    msg = chat.find(params["message_id"]) if isinstance(params["message_id"], int) else None
    if msg is None or msg.deleted:
        raise e.bad_request(e.DELETE_NOT_FOUND)
    msg.deleted = True
    sim.emit(ChatEvent("deleted", chat.chat["id"], msg))
    return True
