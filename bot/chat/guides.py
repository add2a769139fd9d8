""""Guide me" in the chat: the steps of a relaxation shown one by one in one message,
each for its ``seconds``, with a button to go on by hand instead.

Like paced breathing, the timing is a job every second (``tick``) against the injected
clock, not asyncio sleeps; the guided runs are kept in ``bot_data["guides"]`` and rebuilt
from storage at start (``rebuild``), the interrupted step beginning again. Steps last six
seconds or more, so a chat sees far less than one edit a second.
"""

from __future__ import annotations

import html
import logging

from telegram.error import TelegramError

from bot.chat import keyboards
from bot.chat.callbacks import RunAnswer
from bot.chat.context import CustomContext, JedaApp
from bot.chat.runs import after_answer, show
from bot.core import practice
from bot.core.models import Participant
from bot.services.breaths import Guide

logger = logging.getLogger(__name__)

GUIDE_JOB = "guides"


def _guides(context: CustomContext) -> dict[str, Guide]:
    guides: dict[str, Guide] = context.application.bot_data.setdefault("guides", {})
    return guides


async def begin(context: CustomContext, participant: Participant, at: int,
                message_id: int) -> bool:
    """"Guide me" pressed on the first step: time it and the steps after it."""
    guide = await context.jeda.guides.start(participant, at, message_id)
    if guide is None:
        return False
    _guides(context)[participant.pid] = guide
    await _show(context, guide)
    return True


async def stop(context: CustomContext, participant: Participant) -> bool:
    """"Go on by hand" pressed: the timing stops; the current step comes with "next"."""
    guide = _guides(context).pop(participant.pid, None)
    if guide is None:
        return False
    await context.jeda.guides.stop(participant)
    await context.outbox.remove_buttons(participant.chat_id, guide.message_id)
    active = await context.jeda.practice.current(participant)
    if active is not None:
        await show(context, participant, active)
    return True


async def tick(context: CustomContext) -> None:
    """Move every guided run whose step has had its time to the next step."""
    now = context.jeda.clock()
    for pid, guide in list(_guides(context).items()):
        active = await context.jeda.practice.current(guide.participant)
        seconds = practice.step_seconds(active.exercise, active.run) if active else None
        if active is None or seconds is None or active.run.at != guide.at or (
                active.record.run_id != guide.run_id):  # /cancel, a new run, erasure...
            _guides(context).pop(pid, None)
            await context.outbox.remove_buttons(guide.participant.chat_id, guide.message_id)
            continue
        if (now - guide.step_started).total_seconds() < seconds:
            continue
        moved, following = await context.jeda.guides.step_on(guide)
        if _guides(context).get(pid) is not guide:  # "go on by myself" pressed meanwhile
            await context.jeda.guides.stop(guide.participant)
            continue
        if following is not None:
            _guides(context)[pid] = following
            await _show(context, following)
            continue
        _guides(context).pop(pid, None)
        await context.outbox.remove_buttons(guide.participant.chat_id, guide.message_id)
        if moved is not None:
            await after_answer(context, guide.participant, moved)


async def _show(context: CustomContext, guide: Guide) -> None:
    """The guided message: the step, how far along, its seconds, and "go on by hand"."""
    active = await context.jeda.practice.current(guide.participant)
    if active is None:
        return
    lang = guide.participant.language
    slot = practice.slots_of(active.exercise, active.run)[active.run.at]
    steps = len(active.exercise.steps)
    text = context.t(lang, "practice.guided_step", text=html.escape(
        slot.text.get(lang) if slot.text else ""), i=int(slot.ref[4:]), n=steps,
        seconds=practice.step_seconds(active.exercise, active.run))
    markup = keyboards.markup([[(context.t(lang, "practice.unguide_button"),
                                 RunAnswer(guide.at, "unguide").encode())]])
    try:
        await context.outbox.edit(guide.participant.chat_id, guide.message_id, text, markup)
    except TelegramError as exc:  # a deleted message or a blocked bot: the run goes on
        logger.warning("guide edit failed for %s: %s", guide.participant.pid,
                       type(exc).__name__)


async def tick_job(context: CustomContext) -> None:
    """The JobQueue's every-second callback."""
    if _guides(context):
        await tick(context)


async def rebuild(app: JedaApp) -> None:
    """After a start: the guided runs in storage are timed again."""
    guides: dict[str, Guide] = app.bot_data.setdefault("guides", {})
    for guide in await app.bot_data["jeda"].guides.all():
        guides[guide.participant.pid] = guide

