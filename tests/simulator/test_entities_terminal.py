"""Entity parsing (HTML, MarkdownV2) and the terminal renderer."""

from __future__ import annotations

import pytest

from bot.simulator.entities import auto_entities, parse, utf16_len
from bot.simulator.errors import ApiError
from bot.simulator.models import ChatMessage
from bot.simulator.terminal import button_label, button_number, render_message


def test_html_entities_use_utf16_offsets() -> None:
    text, entities = parse('😀 <b>tenang</b> &amp; <a href="https://x.org/?a=1&amp;b=2">link</a>',
                           "HTML")
    assert text == "😀 tenang & link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 6},
        {"type": "text_link", "url": "https://x.org/?a=1&b=2", "offset": 12, "length": 4},
    ]


def test_html_pre_with_language_and_spoiler_span() -> None:
    text, entities = parse('<pre><code class="language-python">x = 1</code></pre>'
                           '<span class="tg-spoiler">s</span>', "HTML")
    assert text == "x = 1s"
    assert entities == [{"type": "pre", "language": "python", "offset": 0, "length": 5},
                        {"type": "spoiler", "offset": 5, "length": 1}]


@pytest.mark.parametrize("tag", ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
                                 "code", "pre", "tg-spoiler", "blockquote"])
def test_every_allowed_html_tag(tag: str) -> None:
    assert parse(f"<{tag}>x</{tag}>", "HTML")[0] == "x"


def test_markdown_v2() -> None:
    text, entities = parse(r"*Skor* _kamu_: 7\. [lihat](https://x.org) `code`", "MarkdownV2")
    assert text == "Skor kamu: 7. lihat code"
    assert [e["type"] for e in entities] == ["bold", "italic", "text_link", "code"]


@pytest.mark.parametrize(("text", "reason"), [
    ("Skor: 7.", "Character '.' is reserved and must be escaped with the preceding '\\'"),
    ("*bold", "Can't find end of Bold entity at byte offset 0"),
])
def test_markdown_v2_errors(text: str, reason: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse(text, "MarkdownV2")
    assert caught.value.description == f"Bad Request: can't parse entities: {reason}"


def test_auto_entities_and_length() -> None:
    assert auto_entities("try /rate or https://t.me/x") == [
        {"type": "bot_command", "offset": 4, "length": 5},
        {"type": "url", "offset": 13, "length": 14},
    ]
    assert utf16_len("😀a") == 3


def test_render_message_numbers_buttons_in_reading_order() -> None:
    markup = {"inline_keyboard": [
        [{"text": "0", "callback_data": "rate:0"}, {"text": "1", "callback_data": "rate:1"}],
        [{"text": "Info", "url": "https://x.org"}],
    ]}
    msg = ChatMessage(1, from_bot=True, text="How stressed?", date=0, reply_markup=markup)
    assert render_message(msg) == "How stressed?\n[1] 0  [2] 1\n[3] Info -> https://x.org"
    assert button_number(" #2 ") == 2 and button_number("2") is None
    assert button_label(msg, 3) == "Info" and button_label(msg, 4) is None


def test_render_files_and_deleted() -> None:
    doc = ChatMessage(2, from_bot=True, text="export", date=0, kind="document",
                      filename="log.csv")
    assert render_message(doc) == "[document: log.csv]\nexport"
    doc.deleted = True
    assert render_message(doc) == "(message deleted)"
