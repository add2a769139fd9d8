"""Practice sent, not only offered: the invitation, the follow-up, reminders. Pure.

Rules (each participant in their own zone). Every message is a ``Prompt`` record, so it
is sent through the daily prompt's exactly-once path (saved PENDING before the send,
retried after a failure, never sent twice):
- the practice invitation (``PRACTICE``, ref: the exercise): at most one per local date,
  from the newest open module (``Plan.candidates``), unless practice is off: right after
  the day's stress rating (``AFTER_RATING``, the default) or from ``practice_time``
  (``AT_TIME``). The exercise is the one after the last invited, so it never repeats
  yesterday's when the module has more than one;
- the follow-up of a priority run (``FOLLOW_UP``, ref: the run): on its day
  (``Plan.follow_ups``) or, when that day passed without it, the day after; at the same
  moment as the invitation (after the rating when practice is off);
- reminders (``REMINDER``, ref: ``<exercise>#<n>``): at each time of each reminder turned
  on; after downtime only the latest time passed is sent, never several at once;
- a questionnaire (``QUESTIONNAIRE``, ref: ``<instrument>@<occasion>``): at the daily
  prompt's time on the participant's first local day while its occasion is open (the day
  it opens; the day someone joins during it; the next day the bot could send, when it was
  down or the send failed for good), and (ref ``...#2``) once more the day after the
  invitation went out, while it is not finished (``Plan.questionnaires`` lists only the
  unfinished occasions open on the participant's local day; ``questionnaire_message``);
- nothing while the participant is inactive (paused, withdrawn, before enrolment), nothing
  in quiet hours except exactly at a time the participant chose; nothing due before the
  participant chose it (a reminder turned on at 20:00 for 16:30 starts tomorrow; so does an
  invitation time changed after it); a message whose local day has passed is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.core.localtime import local_today, quiet_at, scheduled_at
from bot.core.models import DeliveryStatus, Participant, PracticeInvite, Prompt, PromptKind
from bot.core.questionnaires import REMINDER_SUFFIX
from bot.core.timing import ScheduleConfig

Instant = Callable[[date, time], datetime]  # a local day and time -> the instant (UTC-aware)
# a follow-up missed on its day (no rating, quiet hours, a pause) is asked the day after;
# the tick sees the records of the last two days, so it is never asked twice
FOLLOW_UP_GRACE = timedelta(days=1)
# a questionnaire invitation in these states went out (or may have): no second one
GONE_OUT = frozenset({DeliveryStatus.SENT, DeliveryStatus.PENDING})


@dataclass(frozen=True, slots=True)
class Plan:
    """What the content and the calendar allow one participant today."""

    candidates: tuple[str, ...] = ()  # exercises of the newest open module to invite to
    follow_ups: tuple[tuple[str, date], ...] = ()  # (run id, the local day it is due)
    questionnaires: tuple[str, ...] = ()  # refs of the unfinished occasions open today


def next_exercise(candidates: Sequence[str], last: str | None, day: date) -> str:
    """The exercise after ``last`` in the module's order (by the day when none is known)."""
    if last is not None and last in candidates:
        return candidates[(list(candidates).index(last) + 1) % len(candidates)]
    return candidates[day.toordinal() % len(candidates)]


def reminder_ref(exercise_id: str, n: int) -> str:
    return f"{exercise_id}#{n}"


def exercise_of(ref: str) -> str:
    """The exercise of a reminder's ref (the ref itself for an invitation)."""
    return ref.split("#", 1)[0]


def due(participant: Participant, prompts: Sequence[Prompt], local: datetime, plan: Plan,
        instant: Instant, config: ScheduleConfig, activation: datetime | None,
        content_version: str) -> list[Prompt]:
    """The new records to send now (the caller has checked the participant is active;
    ``activation``: when enrolment finished, nothing falls due before it)."""
    today, now = local.date(), local
    quiet = quiet_at(participant, local.time())
    mine = {(p.kind, p.ref) for p in prompts if p.local_date == today}
    out: list[Prompt] = []

    def new(kind: PromptKind, ref: str, at: datetime, chosen: bool) -> None:
        late = now - at > config.late_threshold
        if ((kind, ref) not in mine and now >= at and not (quiet and (late or not chosen))
                and (activation is None or at >= activation)):
            out.append(Prompt(participant.pid, kind, today, at, content_version, ref=ref))

    moment = _practice_moment(participant, prompts, today, instant)
    since = participant.practice_since
    if moment is not None and (since is None or moment[0] >= since):
        at, chosen = moment
        if plan.candidates and participant.practice_invite is not PracticeInvite.OFF and not any(
                kind is PromptKind.PRACTICE for kind, _ in mine):
            new(PromptKind.PRACTICE, next_exercise(plan.candidates, _last(prompts, today),
                                                   today), at, chosen)
        asked = {p.ref for p in prompts if p.kind is PromptKind.FOLLOW_UP}
        for run_id, day in plan.follow_ups:
            if day <= today <= day + FOLLOW_UP_GRACE and run_id not in asked:
                new(PromptKind.FOLLOW_UP, run_id, at, chosen)
    for ref in plan.questionnaires:
        message = questionnaire_message(ref, prompts, today)
        if message is not None:
            new(PromptKind.QUESTIONNAIRE, message, instant(today, participant.prompt_time),
                True)
    for setting in participant.reminders:
        passed = [n for n, t in enumerate(setting.times) if instant(today, t) <= now
                  and (setting.since is None or instant(today, t) >= setting.since)]
        if passed:
            n = passed[-1]
            new(PromptKind.REMINDER, reminder_ref(setting.exercise_id, n),
                instant(today, setting.times[n]), True)
    return out


def questionnaire_message(ref: str, prompts: Sequence[Prompt], today: date) -> str | None:
    """The message of the open, unfinished occasion ``ref`` to send on local ``today``:
    the invitation (``ref``) when none went out on an earlier day, the reminder
    (``ref#2``) the day after the last one did, else None (one of them is today's
    already, the reminder was sent, or its day passed). An invitation counts as gone out
    once sent, or while its outcome is unknown (PENDING); one that failed for good is
    sent again. ``prompts`` must hold the occasion's records (unanswered ones are kept
    by the tick however old: only finishing answers them)."""
    reminder = ref + REMINDER_SUFFIX
    mine = [p for p in prompts if p.kind is PromptKind.QUESTIONNAIRE and p.ref in (ref, reminder)]
    if any(p.local_date == today or p.ref == reminder for p in mine):
        return None
    invited = [p.local_date for p in mine if p.local_date < today and (
        p.sent_at is not None or p.delivery in GONE_OUT)]
    if not invited:
        return ref
    return reminder if max(invited) == today - timedelta(days=1) else None


def questionnaires_wanted(participant: Participant, prompts: Sequence[Prompt], now: datetime,
                          refs: Sequence[str]) -> tuple[str, ...]:
    """Of ``refs`` (occasions open today), those whose message may be due at ``now``: the
    daily time has come (after enrolment) and ``questionnaire_message`` has one. The tick
    reads whether they are finished only for these, so an ordinary tick reads nothing."""
    today = local_today(participant, now)
    at = scheduled_at(participant, today)
    if now < at or (participant.active_since is not None and at < participant.active_since):
        return ()
    return tuple(r for r in refs if questionnaire_message(r, prompts, today) is not None)


def _practice_moment(participant: Participant, prompts: Sequence[Prompt], today: date,
                     instant: Instant) -> tuple[datetime, bool] | None:
    """When today's invitation is due, and whether the participant chose that moment."""
    if participant.practice_invite is PracticeInvite.AT_TIME:
        return instant(today, participant.practice_time), True
    rated = next((p.answered_at for p in prompts if p.kind is PromptKind.DAILY_RATING
                  and p.local_date == today and p.answered_at is not None), None)
    return (rated, False) if rated is not None else None


def _last(prompts: Sequence[Prompt], today: date) -> str | None:
    earlier = [p for p in prompts if p.kind is PromptKind.PRACTICE and p.local_date < today]
    return max(earlier, key=lambda p: p.local_date).ref if earlier else None
