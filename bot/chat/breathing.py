"""Paced breathing in the chat: one message edited in place, phase by phase.

The timers are not asyncio sleeps: a job ten times a second (``tick``) looks at each breathing
run, asks ``bot.core.breathing`` which phase it is at the injected clock, and edits the
message when the words change (so never more than one edit a second in a chat, and
every edit changes the text). The runs being timed are kept in ``bot_data["breaths"]``
and rebuilt from storage at start (``rebuild``), so a restart resumes the breath that was
interrupted.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import TelegramError

from bot.chat import keyboards
from bot.chat.callbacks import RunAnswer
from bot.chat.context import CustomContext, JedaApp
from bot.chat.ratelimit import Priority
from bot.chat.runs import after_answer
from bot.core import breathing
from bot.core.content.exercises import PacedBreathing
from bot.core.models import Participant
from bot.services.breaths import Breath
from bot.services.practice import Active

logger = logging.getLogger(__name__)

BREATH_JOB = "breathing"
# how often the timed runs are looked at: a phase's edit leaves at most this late (plus
# the wait for its place in the rate limiter's window)
TICK_SECONDS = 0.1


@dataclass
class Timing:
    breath: Breath
    at: int  # the run's breathing slot (for the stop button)
    shown: str = ""


def _timing(context: CustomContext) -> dict[str, Timing]:
    timings: dict[str, Timing] = context.application.bot_data.setdefault("breaths", {})
    return timings


def _body(breath: Breath) -> PacedBreathing:
    assert isinstance(breath.exercise.body, PacedBreathing)
    return breath.exercise.body


async def begin(context: CustomContext, participant: Participant, at: int,
                message_id: int) -> bool:
    """Start the timer of the breathing slot whose start button was pressed."""
    breath = await context.jeda.breathing.start(participant, at, message_id)
    if breath is None:
        return False
    _timing(context)[participant.pid] = Timing(breath, at)
    await tick(context)
    return True


async def stop(context: CustomContext, participant: Participant) -> Active | None:
    """"Stop" pressed: the breaths done so far count, the run moves on."""
    timing = _timing(context).pop(participant.pid, None)
    if timing is None:
        return None
    return await _finish(context, timing, stopped=True)


async def tick(context: CustomContext) -> None:
    """Edit every breathing message whose phase has changed; finish the runs that ended.
    The edits go out as tasks of their own, side by side: one chat waiting for its place
    in the rate limiter's window never holds up another chat's phase, nor the next tick."""
    now = context.jeda.clock()
    work = []
    for pid, timing in list(_timing(context).items()):
        body = _body(timing.breath)
        elapsed = (now - timing.breath.started_at).total_seconds()
        phase = breathing.phase_at(body.timings, elapsed)
        if phase is None:
            _timing(context).pop(pid, None)
            work.append(_ended(context, timing))
            continue
        text = breathing.cue(body, phase, timing.breath.participant.language)
        if text != timing.shown:
            timing.shown = text  # claimed before any wait: a tick running beside it skips it
            work.append(_next_phase(context, pid, timing, text))
    for job in work:  # not awaited here: the next tick comes on time whatever they wait for
        _spawn(context, job)


def _spawn(context: CustomContext, job: Coroutine[Any, Any, None]) -> None:
    tasks: set[asyncio.Task[None]] = context.application.bot_data.setdefault("breath_tasks", set())
    task = asyncio.get_running_loop().create_task(job)
    tasks.add(task)  # kept until done, so it is not collected half-way
    task.add_done_callback(tasks.discard)


async def settle(context: CustomContext) -> None:
    """Wait for the edits a tick started (tests and benchmarks)."""
    tasks = context.application.bot_data.get("breath_tasks", set())
    while tasks:
        await asyncio.gather(*list(tasks), return_exceptions=True)


async def _ended(context: CustomContext, timing: Timing) -> None:
    moved = await _finish(context, timing, stopped=False)
    if moved is not None:
        await after_answer(context, timing.breath.participant, moved)


async def _next_phase(context: CustomContext, pid: str, timing: Timing, text: str) -> None:
    if not await _still_running(context, timing):  # /cancel, /delete, a new run...
        _timing(context).pop(pid, None)
        await context.outbox.remove_buttons(timing.breath.participant.chat_id,
                                            timing.breath.message_id)
        return
    await _edit(context, timing, text, stop_button=True)


async def _still_running(context: CustomContext, timing: Timing) -> bool:
    """Whether the run is still at its breathing slot (checked when the words change, not
    every second)."""
    active = await context.jeda.practice.current(timing.breath.participant)
    return active is not None and active.run.at == timing.at and (
        active.record.run_id == timing.breath.run_id)


async def _finish(context: CustomContext, timing: Timing, stopped: bool) -> Active | None:
    body = _body(timing.breath)
    elapsed = (context.jeda.clock() - timing.breath.started_at).total_seconds()
    done = breathing.cycles_done(body.timings, elapsed)
    lang = timing.breath.participant.language
    key = "practice.breathe_stopped" if stopped else "practice.breathe_done"
    await _edit(context, timing, context.t(lang, key, n=done, total=body.timings.cycles),
                stop_button=False)
    return await context.jeda.breathing.end(timing.breath.participant, done)


async def _edit(context: CustomContext, timing: Timing, text: str, stop_button: bool) -> None:
    lang = timing.breath.participant.language
    markup = keyboards.markup([[(context.t(lang, "practice.stop_button"),
                                 RunAnswer(timing.at, "stop").encode())]]) if stop_button else None
    try:
        await context.outbox.edit(timing.breath.participant.chat_id, timing.breath.message_id,
                                  html.escape(text), markup,
                                  priority=Priority.TIMED if stop_button else Priority.INTERACTIVE)
    except TelegramError as exc:  # a deleted message or a blocked bot: the run goes on
        logger.warning("breathing edit failed for %s: %s", timing.breath.participant.pid,
                       type(exc).__name__)


async def tick_job(context: CustomContext) -> None:
    """The JobQueue's every-second callback."""
    if _timing(context):
        await tick(context)


async def rebuild(app: JedaApp) -> None:
    """After a start: the breathing runs in storage are timed again."""
    jeda = app.bot_data["jeda"]
    timings: dict[str, Timing] = app.bot_data.setdefault("breaths", {})
    for breath in await jeda.breathing.all():
        active = await jeda.practice.current(breath.participant)
        if active is not None:
            timings[breath.participant.pid] = Timing(breath, active.run.at)
