"""``jeda demo``: the simulator, the real bot and a chat in this terminal; no token needed.

The bot runs exactly as ``jeda run`` does (``app.serve``), only pointed at the local
simulator and a throw-away data folder. The demo clock can jump ahead (``:next``) so a
newcomer sees the daily question arrive without waiting for the evening.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.chat import jobs
from bot.chat.app import build_application, serve
from bot.chat.context import CustomContext
from bot.config import Settings
from bot.content import Content, load_content_or_report
from bot.services import Jeda
from bot.simulator.server import BotAPISimulator, Limits
from bot.simulator.terminal import render_message
from storage.aio import AsyncStore
from storage.tinydb_store import TinyDBStore

DEMO_TOKEN = "123456:DEMO-token-for-the-local-simulator"
DEMO_USER = 7000001
DEMO_FACILITATOR = 7000002
HELP = """\
Demo commands:
  #N       press button N of the last message with buttons (or type the button's label)
  :next    jump the clock to your next daily question and let the bot send it
  :later H jump the clock H hours ahead (e.g. ':later 2' to see the reminder)
  :day N   jump N days ahead (same time of day), e.g. ':day 6' to the next group session
  :session K  jump to 09:00 on the day of group session K (1-4): module K opens
  :time    show the demo clock
  :quit    leave (Ctrl+D works too)
Anything else is sent to the bot as your message."""


class DemoClock:
    """Real time plus an offset that the demo can move forward."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def jump_to(self, when: datetime) -> None:
        self.offset += max(timedelta(0), when - self())


def demo(settings: Settings, data_dir: Path | None, stdin: TextIO | None = None,
         stdout: TextIO | None = None) -> int:
    """Run the demo until :quit or end of input."""
    content = load_content_or_report(settings.content_dir)
    if content is None:
        return 2
    with contextlib.ExitStack() as stack:
        folder = data_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jeda-")))
        return asyncio.run(_demo(settings, content, folder, stdin or sys.stdin,
                                 stdout or sys.stdout))


async def _prepare(jeda: Jeda, settings: Settings) -> str:
    """Create a demo group whose second session was yesterday, and one invite code."""
    if await jeda.groups.get("Demo") is None:
        today = jeda.clock().date()
        sessions = [today - timedelta(days=8), today - timedelta(days=1),
                    today + timedelta(days=6), today + timedelta(days=13)]
        await jeda.groups.create("Demo", settings.timezone, pre=today - timedelta(days=15),
                                 sessions=sessions, post=today + timedelta(days=20),
                                 facilitator_ids=[DEMO_FACILITATOR], by="demo")
    return (await jeda.groups.invite("Demo", by="demo"))[1][0]


class DemoSession:
    """The simulator, the real bot and two simulated people (you and your facilitator).

    ``handle(line)`` does what one typed line asks; everything the bot shows either of
    them (messages, edits, pop-ups, links) goes to ``say``. Use it as an async context
    manager: the bot runs inside it.
    """

    def __init__(self, settings: Settings, content: Content, folder: Path,
                 say: Callable[[str], None], chat_pacing: tuple[float, int] = (1.0, 3)) -> None:
        self.settings, self.content, self.folder, self.say = settings, content, folder, say
        self.chat_pacing = chat_pacing  # Telegram's pace in one chat; tests go faster
        self.clock = DemoClock()
        self.sim = BotAPISimulator(limits=Limits.unlimited())
        self.code = ""

    async def __aenter__(self) -> DemoSession:
        await self.sim.start()
        self.store = TinyDBStore(self.folder)
        demo_settings = dataclasses.replace(self.settings, token=DEMO_TOKEN,
                                            api_url=self.sim.url, data_dir=self.folder)
        self.app = build_application(demo_settings, self.content, AsyncStore(self.store),
                                     self.clock, chat_pacing=self.chat_pacing)
        self.code = await _prepare(self.app.bot_data["jeda"], self.settings)
        self._stop = asyncio.Event()
        self._server = asyncio.create_task(serve(self.app, self._stop, poll_timeout=1))
        self.user = self.sim.user(user_id=DEMO_USER, first_name="Anda", language_code="id")
        self.facilitator = self.sim.user(user_id=DEMO_FACILITATOR, first_name="Fasilitator",
                                         language_code="id")
        self._printer = asyncio.create_task(_print_chats(self.user, self.facilitator,
                                                         self.say))
        await self.sim.wait_for(lambda: self.sim.open_polls > 0, 10, "the bot to start")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._stop.set()
        await self._server
        await asyncio.sleep(0.3)  # let the last replies print
        self._printer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._printer
        await self.sim.stop()
        self.store.close()

    async def handle(self, line: str) -> None:
        """Carry out one typed line: a demo command, a button press, or a message."""
        user, say, clock = self.user, self.say, self.clock
        context = CustomContext(self.app)
        if line.startswith("#") and line[1:].isdigit():
            await _press_number(user, int(line[1:]), say)
        elif line == ":help":
            say(HELP)
        elif line == ":time":
            say(f"  demo clock: {clock().isoformat(timespec='minutes')}")
        elif line == ":next":
            participant = await context.jeda.participant(DEMO_USER)
            when = (await context.jeda.enrolment.next_prompt_at(participant)
                    if participant else None)
            if when is None or participant is None:
                say("  (finish enrolment first: /start CODE)")
                return
            clock.jump_to(when + timedelta(seconds=1))
            local = when.astimezone(ZoneInfo(participant.timezone))
            say(f"  demo clock jumped to {local.strftime('%a %d %b %Y %H:%M')} "
                f"({participant.timezone})")
            await jobs.reconcile(context)
        elif line.startswith((":day", ":session")):
            await self._jump(line)
        elif line.startswith(":later"):
            parts = line.split()
            hours = float(parts[1]) if len(parts) > 1 and _is_number(parts[1]) else 1.0
            clock.offset += timedelta(hours=hours)
            say(f"  demo clock moved {hours:g} h ahead")
            await jobs.reconcile(context)
        elif _latest_label(user, line):
            await user.press(line, message_id=_latest_label(user, line))
        else:
            await user.send(line)


    async def _jump(self, line: str) -> None:
        """``:day N`` (N days ahead) or ``:session K`` (09:00 on session K's date)."""
        parts = line.split()
        number = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        context = CustomContext(self.app)
        group = await context.jeda.groups.get("Demo")
        if number is None or group is None:
            self.say("  (give a number: ':day 6' or ':session 3')")
            return
        zone = ZoneInfo(group.timezone)
        if parts[0] == ":day":
            self.clock.offset += timedelta(days=number)
        elif 1 <= number <= len(group.session_dates):
            day = group.session_dates[number - 1]
            self.clock.jump_to(datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone))
        else:
            self.say(f"  (the demo group has sessions 1 to {len(group.session_dates)})")
            return
        local = self.clock().astimezone(zone)
        self.say(f"  demo clock jumped to {local.strftime('%a %d %b %Y %H:%M')} "
                 f"({group.timezone}); /practice shows what is open")
        await jobs.reconcile(context)


async def _demo(settings: Settings, content: Content, folder: Path, stdin: TextIO,
                stdout: TextIO) -> int:
    def say(text: str) -> None:
        stdout.write(text + "\n")
        stdout.flush()

    async with DemoSession(settings, content, folder, say) as session:
        say("Jeda demo: the real bot, talking to a local Telegram simulator "
            "(no token, temporary data).")
        say(f"Your invite code is {session.code}. Type:  /start {session.code}")
        say(HELP)
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            if line in (":quit", ":q", ":exit"):
                break
            await session.handle(line)
    say("Bye! Nothing from this demo was kept." if folder.name.startswith("jeda-") else "Bye!")
    return 0


async def _press_number(user, number: int, say) -> None:  # noqa: ANN001
    """Press button ``number`` of the newest message that has buttons (as the help says)."""
    with_buttons = [m for m in user.bot_messages if m.flat_buttons]
    if not with_buttons:
        say("  (no message has buttons yet)")
        return
    latest = with_buttons[-1]
    count = len(latest.flat_buttons)
    if not 1 <= number <= count:
        say(f"  (the last message with buttons has {count}: type #1 to #{count})")
        return
    await user.press(index=number, message_id=latest.message_id)


def _latest_label(user, text: str) -> int | None:  # noqa: ANN001
    """The newest bot message with buttons, if one of its buttons is labelled ``text``."""
    with_buttons = [m for m in user.bot_messages if m.flat_buttons and not m.deleted]
    if with_buttons and any(b["text"] == text for b in with_buttons[-1].flat_buttons):
        return int(with_buttons[-1].message_id)
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


async def _print_chats(user, facilitator, say) -> None:  # noqa: ANN001
    """Print every new or changed bot message, numbering its buttons."""
    seen: dict[tuple[str, int], str] = {}
    answered = {"": 0, "[to the facilitator] ": 0}
    while True:
        for who, person in (("", user), ("[to the facilitator] ", facilitator)):
            answers = [a for a in person.answers if a]
            for text in answers[answered[who]:]:
                say(f"  {who}[pop-up] {text}")
            answered[who] = len(answers)
            for message in person.messages:
                if not message.from_bot:
                    continue
                shown = render_message(message)
                key = (who, message.message_id)
                if seen.get(key) != shown:
                    label = "Jeda (edited)" if key in seen else "Jeda"
                    seen[key] = shown
                    say(f"\n{who}{label}:\n{_indent(shown)}\n")
        await asyncio.sleep(0.1)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())

