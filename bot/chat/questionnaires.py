"""How a questionnaire looks in the chat: its invitation and one item at a time, with a
button per response option (and "skip" where the instrument allows, and "later"); the
codec of those buttons (as in ``bot.chat.callbacks``). An answer button names its
occasion by ``rules.token``; where a typed number is an option's place, not its value,
the buttons show that number in front of the label ("1 · Tidak pernah")."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import ClassVar, Self

from telegram import InlineKeyboardMarkup

from bot.chat import keyboards
from bot.chat.context import CustomContext
from bot.core import questionnaires as rules
from bot.core.content.questionnaires import Instrument
from bot.core.models import Language, Participant, Prompt
from bot.services.questionnaires import Question

SHORT_LABEL = 3  # labels this short ("0".."10") go six to a row; longer ones one per row
SECONDS_PER_ITEM = 15


@dataclass(frozen=True, slots=True)
class StartQuestionnaire:
    """Begin or resume a questionnaire (from its message or /questionnaire)."""

    ref: str  # "<instrument>@<occasion>"
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"^qs:([a-z0-9][a-z0-9-]{0,40}@(?:pre|post|\d{4}-W\d{2}))$")

    def encode(self) -> str:
        return f"qs:{self.ref}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(m.group(1)) if m else None


@dataclass(frozen=True, slots=True)
class QuestionnaireAnswer:
    """An answer button of item ``at`` of the questionnaire whose occasion has ``token``:
    a value, "skip" or "later". A button of an earlier item, or of another questionnaire,
    does nothing. ``PATTERN`` routes every ``qa:`` button here (older ones too, so they
    hear how to carry on); ``decode`` takes only this form."""

    token: str
    at: int
    value: str
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^qa:")
    DATA: ClassVar[re.Pattern[str]] = re.compile(
        r"^qa:([0-9a-f]{6}):(\d{1,2}):(-?\d{1,3}|skip|later)$")

    def encode(self) -> str:
        return f"qa:{self.token}:{self.at}:{self.value}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.DATA.match(data)
        return cls(m.group(1), int(m.group(2)), m.group(3)) if m else None


def minutes(instrument: Instrument) -> int:
    return max(1, round(len(instrument.items) * SECONDS_PER_ITEM / 60))


def title(instrument: Instrument, lang: Language) -> str:
    return html.escape(instrument.title[lang])


async def invitation(context: CustomContext, participant: Participant,
                     prompt: Prompt) -> tuple[str, InlineKeyboardMarkup] | None:
    """The tick's message of a questionnaire (None: it is finished, closed, or cannot be
    given any more, so nothing is sent)."""
    lang = participant.language
    ref = prompt.ref.removesuffix(rules.REMINDER_SUFFIX)
    found = next((i for o, i in await context.jeda.questionnaires.open_for(participant)
                  if o.ref == ref), None)
    if found is None:
        return None
    key = "questionnaire.reminder" if prompt.ref != ref else "questionnaire.invite"
    text = context.t(lang, key, title=title(found, lang), items=len(found.items),
                     minutes=minutes(found))
    return text, keyboards.markup([[(context.t(lang, "questionnaire.start_button"),
                                     StartQuestionnaire(ref).encode())]])


def item_screen(context: CustomContext, lang: Language,
                question: Question) -> tuple[str, InlineKeyboardMarkup]:
    """Item ``question.position`` as a message: where we are, the item, its buttons
    (the service never hands over a position past the last item)."""
    instrument, at = question.instrument, question.position
    item = instrument.items[min(at, len(instrument.items) - 1)]
    token = rules.token(question.occasion.ref)
    lines = [context.t(lang, "questionnaire.progress", title=title(instrument, lang),
                       n=at + 1, total=len(instrument.items))]
    if at == 0 and not instrument.instructions.is_empty:
        lines.append(html.escape(instrument.instructions[lang]))
    lines += ["", f"<b>{html.escape(item.text[lang])}</b>"]
    by_value = rules.typed_by_value(item, lang)
    buttons = [(o.label[lang] if by_value else f"{n} · {o.label[lang]}",
                QuestionnaireAnswer(token, at, str(o.value)).encode())
               for n, o in enumerate(item.options, 1)]
    if all(len(label) <= SHORT_LABEL for label, _ in buttons):
        rows = [buttons[i:i + 6] for i in range(0, len(buttons), 6)]
    else:
        rows = [[b] for b in buttons]
    last = [(context.t(lang, "questionnaire.later_button"),
             QuestionnaireAnswer(token, at, "later").encode())]
    if item.skippable:
        last.insert(0, (context.t(lang, "questionnaire.skip_button"),
                        QuestionnaireAnswer(token, at, "skip").encode()))
    return "\n".join(lines), keyboards.markup([*rows, last])
