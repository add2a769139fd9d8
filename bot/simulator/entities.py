"""Parse formatted text the way Telegram does: plain text plus MessageEntity dicts."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.simulator.errors import ApiError, bad_request

Entity = dict[str, Any]

HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "a": "text_link", "code": "code", "pre": "pre",
    "tg-spoiler": "spoiler", "span": "spoiler", "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^>]*)?)\s*>")
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_MD_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MD_MARKERS = (("||", "spoiler"), ("__", "underline"), ("*", "bold"), ("_", "italic"),
               ("~", "strikethrough"))
_COMMAND = re.compile(r"(?<![\w/])/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?\b")
_URL = re.compile(r"\bhttps?://[^\s<>\"]+")


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, as Telegram counts offsets."""
    return len(text.encode("utf-16-le")) // 2


def _fail(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def parse(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Return the plain text and entities for ``text`` sent with ``parse_mode``."""
    if not parse_mode:
        return text, []
    mode = parse_mode.lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return text.replace("*", "").replace("_", "").replace("`", ""), []
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def parse_html(text: str) -> tuple[str, list[Entity]]:
    """Parse Telegram's HTML subset; raise ApiError on malformed or unsupported markup."""
    out: list[str] = []
    stack: list[tuple[str, int, Entity | None]] = []
    entities: list[Entity] = []
    pos = 0
    length = 0
    while pos < len(text):
        lt = text.find("<", pos)
        chunk = html.unescape(text[pos:] if lt < 0 else text[pos:lt])
        out.append(chunk)
        length += utf16_len(chunk)
        if lt < 0:
            break
        byte_offset = len(text[:lt].encode("utf-8"))
        match = _TAG.match(text, lt)
        if match is None:
            raise _fail(f"Unclosed start tag at byte offset {byte_offset}")
        closing, name, attrs = match.group(1) == "/", match.group(2).lower(), match.group(3)
        pos = match.end()
        if closing:
            if not stack:
                raise _fail(f"Unexpected end tag at byte offset {byte_offset}")
            open_name, start, opened = stack.pop()
            if open_name != name:
                raise _fail(
                    f'Unmatched end tag at byte offset {byte_offset}, expected "</{open_name}>", '
                    f'found "</{name}>"'
                )
            if opened is not None and length > start:
                opened.update(offset=start, length=length - start)
                entities.append(opened)
            continue
        kind = HTML_TAGS.get(name)
        values = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
                  for m in _ATTR.finditer(attrs)}
        if kind is None or (name == "span" and values.get("class") != "tg-spoiler"):
            raise _fail(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
        entity: Entity = {"type": kind}
        if name == "a":
            entity["url"] = html.unescape(values.get("href", ""))
        if name == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        if name == "tg-emoji":
            entity["custom_emoji_id"] = values.get("emoji-id", "")
        parent = stack[-1][2] if stack and stack[-1][0] == "pre" else None
        if name == "code" and parent is not None and "class" in values:
            parent["language"] = values["class"].removeprefix("language-")
            stack.append((name, length, None))  # <pre><code class=...> is one pre entity
        else:
            stack.append((name, length, entity))
    if stack:
        raise _fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    """Parse the common MarkdownV2 subset; raise ApiError on unescaped reserved characters."""
    out: list[str] = []
    length = 0
    open_at: dict[str, tuple[int, int]] = {}
    entities: list[Entity] = []
    i = 0
    while i < len(text):
        ch = text[i]
        byte_offset = len(text[:i].encode("utf-8"))
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            length += utf16_len(text[i + 1])
            i += 2
            continue
        if ch == "`":
            fence = "```" if text.startswith("```", i) else "`"
            end = text.find(fence, i + len(fence))
            if end < 0:
                kind = "Pre" if fence == "```" else "Code"
                raise _fail(f"Can't find end of {kind} entity at byte offset {byte_offset}")
            body = text[i + len(fence):end].replace("\\`", "`").replace("\\\\", "\\")
            entity: Entity = {"type": "pre" if fence == "```" else "code"}
            if fence == "```" and "\n" in body:
                language, body = body.split("\n", 1)
                if language:
                    entity["language"] = language
            entity.update(offset=length, length=utf16_len(body))
            out.append(body)
            length += utf16_len(body)
            entities.append(entity)
            i = end + len(fence)
            continue
        if ch == "[":
            link = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(((?:[^)\\]|\\.)*)\)").match(text, i)
            if link is None:
                raise _fail(f"Can't find end of TextUrl entity at byte offset {byte_offset}")
            label, _ = parse_markdown_v2(link.group(1))
            entities.append({"type": "text_link", "offset": length,
                             "length": utf16_len(label), "url": link.group(2).replace("\\", "")})
            out.append(label)
            length += utf16_len(label)
            i = link.end()
            continue
        marker = next((m for m in _MD_MARKERS if text.startswith(m[0], i)), None)
        if marker is not None:
            token, kind = marker
            if token in open_at:
                start, _ = open_at.pop(token)
                if length > start:
                    entities.append({"type": kind, "offset": start, "length": length - start})
            else:
                open_at[token] = (length, byte_offset)
            i += len(token)
            continue
        if ch in _MD_RESERVED:
            raise _fail(
                f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        out.append(ch)
        length += utf16_len(ch)
        i += 1
    if open_at:
        token, (_, byte_offset) = min(open_at.items(), key=lambda item: item[1][1])
        kind = dict(_MD_MARKERS)[token].capitalize()
        raise _fail(f"Can't find end of {kind} entity at byte offset {byte_offset}")
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def auto_entities(text: str) -> list[Entity]:
    """Return the bot_command and url entities Telegram detects in plain text."""
    found: list[Entity] = []
    for kind, pattern in (("bot_command", _COMMAND), ("url", _URL)):
        for match in pattern.finditer(text):
            found.append({"type": kind, "offset": utf16_len(text[: match.start()]),
                          "length": utf16_len(match.group())})
    return sorted(found, key=lambda e: e["offset"])
