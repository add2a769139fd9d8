"""Practice invitations, follow-ups and reminders through ``schedule.due_actions``."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from bot.core import invitations, schedule
from bot.core.invitations import Plan
from bot.core.models import (
    Consent,
    DeliveryStatus,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    PracticeInvite,
    Prompt,
    PromptKind,
    ReminderSetting,
)

START = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # 07:00 in Jakarta
DAY = date(2026, 12, 1)
MODULE = ("pmr-short", "body-scan", "abdominal-breathing")
OPEN = Plan(MODULE)


def person(**kw: object) -> Participant:
    base = Participant(
        pid="P1", telegram_id=1, chat_id=1, group="G", created_at=START - timedelta(days=9),
        prompt_time=time(19, 30), status=ParticipantStatus.ACTIVE,
        onboarding_step=OnboardingStep.DONE, consent=Consent(True, START, "v"),
        active_since=START - timedelta(days=9))
    return replace(base, **kw)  # type: ignore[arg-type]


def jakarta(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


def rated(day: date, hour: int) -> Prompt:
    """The day's daily prompt, answered at ``hour`` Jakarta time."""
    return Prompt("P1", PromptKind.DAILY_RATING, day, jakarta(day, 19, 30), "v",
                  delivery=DeliveryStatus.SENT, sent_at=jakarta(day, 19, 30),
                  answered_at=jakarta(day, hour))


def invited(day: date, exercise: str) -> Prompt:
    return Prompt("P1", PromptKind.PRACTICE, day, jakarta(day, 20), "v",
                  delivery=DeliveryStatus.SENT, ref=exercise)


def new(p: Participant, records: list[Prompt], now: datetime,
        plan: Plan = OPEN) -> list[Prompt]:
    """The new practice records due (daily prompts left out)."""
    actions = schedule.due_actions([p], lambda pid: records, now, "v2", plans=lambda _: plan)
    return [a.prompt for a in actions if a.kind is schedule.ActionKind.SEND_PROMPT
            and a.prompt.kind is not PromptKind.DAILY_RATING]


def test_by_default_the_invitation_follows_the_days_rating_once() -> None:
    p = person()
    assert new(p, [], jakarta(DAY, 20)) == []  # not rated yet: nothing
    (invite,) = new(p, [rated(DAY, 20)], jakarta(DAY, 20, 1))
    assert (invite.kind, invite.local_date, invite.scheduled_at) == (
        PromptKind.PRACTICE, DAY, jakarta(DAY, 20))
    assert invite.ref in MODULE and invite.content_version == "v2"
    again = replace(invite, delivery=DeliveryStatus.SENT)
    assert new(p, [rated(DAY, 20), again], jakarta(DAY, 20, 2)) == []  # one per day


def test_the_exercise_rotates_and_never_repeats_yesterdays() -> None:
    p = person()
    for yesterday, expected in (("pmr-short", "body-scan"), ("body-scan", "abdominal-breathing"),
                                ("abdominal-breathing", "pmr-short")):
        records = [invited(DAY - timedelta(days=1), yesterday), rated(DAY, 20)]
        (invite,) = new(p, records, jakarta(DAY, 20, 1))
        assert invite.ref == expected
    # nothing known about earlier days: a choice by the date, the same all day
    (first,) = new(p, [rated(DAY, 20)], jakarta(DAY, 20, 1))
    assert first.ref == invitations.next_exercise(MODULE, None, DAY)


def test_at_a_chosen_time_it_comes_then_without_a_rating() -> None:
    p = person(practice_invite=PracticeInvite.AT_TIME, practice_time=time(7, 0))
    assert new(p, [], jakarta(DAY, 6, 59)) == []
    (invite,) = new(p, [], jakarta(DAY, 7, 0))
    assert invite.scheduled_at == jakarta(DAY, 7, 0)


def test_off_before_a_module_paused_or_withdrawn_nothing_comes() -> None:
    records, now = [rated(DAY, 20)], jakarta(DAY, 20, 1)
    assert new(person(practice_invite=PracticeInvite.OFF), records, now) == []
    assert new(person(), records, now, Plan(())) == []  # no module open yet
    assert new(person(status=ParticipantStatus.PAUSED, paused_until=DAY), records, now) == []
    assert new(person(status=ParticipantStatus.WITHDRAWN), records, now) == []


def test_quiet_hours_hold_an_invitation_but_not_a_chosen_time_on_the_minute() -> None:
    p = person()  # quiet from 22:00 to 06:00
    assert new(p, [rated(DAY, 23)], jakarta(DAY, 23, 1)) == []
    early = person(practice_invite=PracticeInvite.AT_TIME, practice_time=time(5, 30))
    assert len(new(early, [], jakarta(DAY, 5, 30))) == 1  # their own choice, on time
    assert new(early, [], jakarta(DAY, 5, 50)) == []  # late (after downtime) in quiet hours
    assert len(new(early, [], jakarta(DAY, 6, 0))) == 1  # caught up when quiet hours end


def test_nothing_from_before_enrolment_finished() -> None:
    p = person(practice_invite=PracticeInvite.AT_TIME, practice_time=time(7, 0),
               active_since=jakarta(DAY, 9))
    assert new(p, [], jakarta(DAY, 10)) == []
    assert len(new(p, [], jakarta(DAY + timedelta(days=1), 7))) == 1


def test_a_follow_up_comes_on_its_day_with_the_invitation() -> None:
    plan = Plan(MODULE, (("abcd1234", DAY + timedelta(days=1)),))
    assert [r.kind for r in new(person(), [rated(DAY, 20)], jakarta(DAY, 20, 1), plan)] == [
        PromptKind.PRACTICE]
    nxt = DAY + timedelta(days=1)
    found = new(person(), [rated(nxt, 8)], jakarta(nxt, 8, 1), plan)
    assert sorted((r.kind.value, r.ref) for r in found) == [
        ("follow_up", "abcd1234"), ("practice", invitations.next_exercise(MODULE, None, nxt))]
    # practice invitations off: the check-in still follows the rating
    off = person(practice_invite=PracticeInvite.OFF)
    assert [r.ref for r in new(off, [rated(nxt, 8)], jakarta(nxt, 8, 1), plan)] == ["abcd1234"]


def test_reminders_come_at_each_time_and_only_the_latest_after_downtime() -> None:
    p = person(reminders=(ReminderSetting("rapid-relaxation", (time(9), time(13), time(17))),
                          ReminderSetting("worry-time", (time(16, 30),))))
    (first,) = new(p, [], jakarta(DAY, 9, 0))
    assert (first.kind, first.ref) == (PromptKind.REMINDER, "rapid-relaxation#0")
    sent = replace(first, delivery=DeliveryStatus.SENT)
    assert new(p, [sent], jakarta(DAY, 12, 0)) == []
    # down from 10:00 to 17:05: one message, the 17:00 one, and the worry time's
    later = new(p, [sent], jakarta(DAY, 17, 5))
    assert sorted(r.ref for r in later) == ["rapid-relaxation#2", "worry-time#0"]


def test_a_failed_practice_message_is_retried_and_yesterdays_is_dropped() -> None:
    p = person()
    failed = replace(invited(DAY, "pmr-short"), delivery=DeliveryStatus.FAILED, attempts=1,
                     last_attempt_at=jakarta(DAY, 20))
    actions = schedule.due_actions([p], lambda pid: [rated(DAY, 20), failed],
                                   jakarta(DAY, 20, 1), "v", plans=lambda _: Plan(MODULE))
    assert [(a.kind, a.prompt.ref) for a in actions] == [
        (schedule.ActionKind.RETRY_PROMPT, "pmr-short")]
    nxt = DAY + timedelta(days=1)
    actions = schedule.due_actions([p], lambda pid: [failed], jakarta(nxt, 12), "v",
                                   plans=lambda _: Plan(MODULE))
    assert all(a.prompt.local_date == nxt for a in actions)


def test_nothing_from_before_it_was_chosen() -> None:
    late = ReminderSetting("worry-time", (time(16, 30),), since=jakarta(DAY, 20))
    p = person(reminders=(late,))
    assert new(p, [], jakarta(DAY, 20, 1)) == []  # turned on at 20:00: today's 16:30 is past
    assert len(new(p, [], jakarta(DAY + timedelta(days=1), 16, 30))) == 1
    changed = person(practice_invite=PracticeInvite.AT_TIME, practice_time=time(7, 0),
                     practice_since=jakarta(DAY, 18))
    assert new(changed, [], jakarta(DAY, 18, 1)) == []  # 07:00 chosen at 18:00: tomorrow
    assert len(new(changed, [], jakarta(DAY + timedelta(days=1), 7))) == 1


def test_a_follow_up_missed_on_its_day_comes_the_day_after_once() -> None:
    plan = Plan((), (("abcd1234", DAY),))
    nxt = DAY + timedelta(days=1)
    assert new(person(), [], jakarta(DAY, 20), plan) == []  # no rating that day
    (asked,) = new(person(), [rated(nxt, 8)], jakarta(nxt, 8, 1), plan)
    assert (asked.kind, asked.ref, asked.local_date) == (PromptKind.FOLLOW_UP, "abcd1234", nxt)
    sent = replace(asked, delivery=DeliveryStatus.SENT)
    later = nxt + timedelta(days=1)
    assert new(person(), [sent, rated(later, 8)], jakarta(later, 8, 1), plan) == []
