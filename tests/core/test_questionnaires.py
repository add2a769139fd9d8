"""Questionnaire occasions on the group's calendar, when they are asked, and scoring."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.content import default_content_dir, load_content
from bot.core import questionnaires as rules
from bot.core.content.questionnaires import Instrument
from bot.core.invitations import Plan
from bot.core.models import (
    DeliveryStatus,
    Group,
    Language,
    Prompt,
    PromptKind,
    QuestionnairePhase,
    QuestionnaireResponse,
)
from tests.core.test_invitations import jakarta, new, person

GROUP = Group("Harapan", "Asia/Jakarta", datetime(2026, 11, 1, tzinfo=UTC),
              pre_date=date(2026, 11, 20),
              session_dates=(date(2026, 11, 27), date(2026, 12, 4), date(2026, 12, 11),
                             date(2026, 12, 18)),
              post_date=date(2026, 12, 25))


@pytest.fixture(scope="module")
def shipped() -> dict[str, Instrument]:
    return {i.id: i for i in load_content(default_content_dir()).instruments}


def filled(instrument: Instrument) -> Instrument:
    """The PSS-10 key as if a researcher had filled in the texts (for the tests only)."""
    return replace(instrument, administrable=True, not_administrable_reason="")


def test_pre_post_and_weekly_occasions_follow_the_calendar(shipped: dict[str, Instrument]
                                                           ) -> None:
    pss = rules.occasions(GROUP, shipped["pss10"])
    assert [(o.key, o.opens, o.closes) for o in pss] == [
        ("pre", date(2026, 11, 20), date(2026, 11, 26)),  # until the day before session 1
        ("post", date(2026, 12, 25), date(2027, 1, 7)),  # two weeks
    ]
    weekly = rules.occasions(GROUP, shipped["weekly-check"])
    # sessions are on Fridays: the check comes on Thursdays, session 1 to the post date
    assert [(o.key, o.opens, o.closes) for o in weekly] == [
        ("2026-W49", date(2026, 12, 3), date(2026, 12, 5)),
        ("2026-W50", date(2026, 12, 10), date(2026, 12, 12)),
        ("2026-W51", date(2026, 12, 17), date(2026, 12, 19)),
        ("2026-W52", date(2026, 12, 24), date(2026, 12, 24)),  # the post date closes it
    ]
    assert {o.phase for o in weekly} == {QuestionnairePhase.WEEKLY}
    assert weekly[0].ref == "weekly-check@2026-W49"
    assert rules.parse_ref("weekly-check@2026-W49#2") == ("weekly-check", "2026-W49")
    assert rules.parse_ref("nonsense") is None


def test_a_set_weekly_day_and_missing_dates(shipped: dict[str, Instrument]) -> None:
    monday = replace(shipped["weekly-check"], weekly_day=0)
    assert rules.occasions(GROUP, monday)[0].opens == date(2026, 11, 30)
    undated = replace(GROUP, pre_date=None, session_dates=(), post_date=None)
    assert rules.occasions(undated, shipped["pss10"]) == []
    assert rules.occasions(undated, shipped["weekly-check"]) == []
    no_sessions = replace(GROUP, session_dates=())
    assert rules.occasions(no_sessions, shipped["pss10"])[0].closes == date(2026, 11, 26)


def test_open_on_leaves_out_finished_and_text_free_instruments(
        shipped: dict[str, Instrument]) -> None:
    everything = list(shipped.values())
    assert rules.open_on(GROUP, everything, date(2026, 11, 21)) == []  # PSS-10: no texts
    pss = filled(shipped["pss10"])
    assert [o.key for o in rules.open_on(GROUP, [pss], date(2026, 11, 21))] == ["pre"]
    assert rules.open_on(GROUP, [pss], date(2026, 11, 21), {("pss10", "pre")}) == []
    assert rules.open_on(GROUP, [pss], date(2026, 11, 27)) == []  # session 1: closed
    done = QuestionnaireResponse("P", "pss10", QuestionnairePhase.PRE, (1,), None, "v",
                                 occasion="pre")
    assert rules.submitted([done]) == set()  # still being filled in
    assert rules.submitted([replace(done, submitted_at=GROUP.created_at)]) == {("pss10", "pre")}


def test_pss10_scores_by_hand_with_its_reverse_items(shipped: dict[str, Instrument]) -> None:
    pss = shipped["pss10"]
    answers = (2, 3, 1, 3, 2, 1, 4, 0, 2, 3)
    # items 4, 5, 7, 8 are reversed (0<->4, 1<->3): 3->1, 2->2, 4->0, 0->4
    # total 2+3+1+1+2+1+0+4+2+3 = 19; helplessness (1,2,3,6,9,10) = 12; self-efficacy = 7
    got = rules.scores(pss, answers)
    assert got.total == 19
    assert dict(got.subscales) == {"helplessness": 12, "self_efficacy": 7}
    assert got.missing == 0


def test_missing_items_follow_the_instruments_rule(shipped: dict[str, Instrument]) -> None:
    pss = shipped["pss10"]
    one_gone = (2, 3, 1, 3, 2, None, 4, 0, 2, 3)
    assert rules.scores(pss, one_gone).total is None  # max_missing 0: every item needed
    assert rules.scores(pss, one_gone).missing == 1
    assert rules.scores(pss, (2, 3)).total is None  # stopped early: padded, not scored
    lenient = replace(pss, scoring=replace(pss.scoring, max_missing=1))
    # prorated: the nine answered (reversed) items sum to 18, mean 2, x 10 items = 20
    assert rules.scores(lenient, one_gone).total == pytest.approx(20.0)
    helpless = dict(rules.scores(lenient, one_gone).subscales)["helplessness"]
    assert helpless == pytest.approx(11 / 5 * 6)  # 2+3+1+2+3 = 11 of five, six items
    assert rules.scores(lenient, (None, None) + one_gone[2:]).total is None  # two: too many
    assert rules.scores(shipped["weekly-check"], (3, 1, 7, 2)).total is None  # not scored


def test_reliable_change_of_the_pss10_key(shipped: dict[str, Instrument]) -> None:
    change = shipped["pss10"].reliable_change
    assert change is not None
    assert round(change.threshold, 2) == 8.06


REF = "pss10@pre"
ASKING = Plan(questionnaires=(REF,))


def asked(day: date, ref: str, delivery: DeliveryStatus = DeliveryStatus.SENT) -> Prompt:
    return Prompt("P1", PromptKind.QUESTIONNAIRE, day, jakarta(day, 19, 30), "v",
                  delivery=delivery, ref=ref)


def test_asked_at_the_daily_time_on_its_day_and_reminded_once_the_next() -> None:
    p = person(prompt_time=time(19, 30))
    day = date(2026, 12, 1)
    assert new(p, [], jakarta(day, 19, 29), ASKING) == []
    first = new(p, [], jakarta(day, 19, 30), ASKING)
    assert [(x.kind, x.ref, x.scheduled_at) for x in first] == [
        (PromptKind.QUESTIONNAIRE, REF, jakarta(day, 19, 30))]
    assert new(p, [asked(day, REF)], jakarta(day, 21), ASKING) == []  # once a day
    nxt = day + timedelta(days=1)
    again = new(p, [asked(day, REF)], jakarta(nxt, 19, 45), ASKING)
    assert [x.ref for x in again] == [REF + "#2"]
    both = [asked(day, REF), asked(nxt, REF + "#2")]
    assert new(p, both, jakarta(nxt, 22), ASKING) == []
    assert new(p, both, jakarta(day + timedelta(days=2), 19, 45), ASKING) == []  # only twice
    assert new(p, [asked(day, REF)], jakarta(day + timedelta(days=2), 19, 45), ASKING) == []
    assert new(p, [], jakarta(day, 19, 45), Plan()) == []  # finished: not in the plan


def test_the_first_message_is_the_invitation_whatever_day_it_comes() -> None:
    """Someone who joins while the occasion is open, or a day the bot was down: the first
    message is the invitation (not the reminder), and the reminder follows the day after."""
    p = person(prompt_time=time(19, 30))
    day = date(2026, 12, 4)  # the occasion opened days ago; nothing was ever sent
    assert [x.ref for x in new(p, [], jakarta(day, 19, 30), ASKING)] == [REF]
    nxt = day + timedelta(days=1)
    assert [x.ref for x in new(p, [asked(day, REF)], jakarta(nxt, 19, 30), ASKING)] == [
        REF + "#2"]
    # an invitation that failed for good is sent again the next day, as the invitation
    failed = asked(day, REF, DeliveryStatus.FAILED)
    assert [x.ref for x in new(p, [failed], jakarta(nxt, 19, 30), ASKING)] == [REF]
    assert new(p, [failed], jakarta(day, 21), ASKING) == []  # today's is retried, not new
    # one whose outcome is unknown may have arrived: the reminder, not a second invitation
    pending = asked(day, REF, DeliveryStatus.PENDING)
    assert [x.ref for x in new(p, [pending], jakarta(nxt, 19, 30), ASKING)] == [REF + "#2"]
    # nothing before the participant finished enrolment (the prompt time came earlier)
    late = person(prompt_time=time(19, 30), active_since=jakarta(day, 20))
    assert new(late, [], jakarta(day, 21), ASKING) == []
    assert [x.ref for x in new(late, [], jakarta(nxt, 19, 30), ASKING)] == [REF]


def test_only_those_whose_message_may_be_due_now_are_read() -> None:
    from bot.core.invitations import questionnaires_wanted

    p = person(prompt_time=time(19, 30))
    day = date(2026, 12, 1)
    assert questionnaires_wanted(p, [], jakarta(day, 12), [REF]) == ()  # not time yet
    assert questionnaires_wanted(p, [], jakarta(day, 19, 30), [REF]) == (REF,)
    assert questionnaires_wanted(p, [asked(day, REF)], jakarta(day, 19, 31), [REF]) == ()
    nxt = day + timedelta(days=1)
    assert questionnaires_wanted(p, [asked(day, REF)], jakarta(nxt, 19, 31), [REF]) == (REF,)
    done = [asked(day, REF), asked(nxt, REF + "#2")]
    assert questionnaires_wanted(p, done, jakarta(nxt + timedelta(days=1), 20), [REF]) == ()
    joined = person(prompt_time=time(19, 30), active_since=jakarta(day, 20))
    assert questionnaires_wanted(joined, [], jakarta(day, 21), [REF]) == ()


def test_each_occasion_has_its_own_short_token() -> None:
    refs = [o.ref for o in rules.occasions(GROUP, load_content(
        default_content_dir()).instrument("weekly-check"))] + ["pss10@pre", "pss10@post"]
    tokens = [rules.token(r) for r in refs]
    assert len(set(tokens)) == len(refs)
    assert all(len(t) == 6 and set(t) <= set("0123456789abcdef") for t in tokens)
    assert rules.token("pss10@pre") == rules.token("pss10@pre")


def test_a_typed_number_is_a_value_only_where_labels_are_the_values(
        shipped: dict[str, Instrument]) -> None:
    weekly = shipped["weekly-check"]
    days, hardest = weekly.items[0], weekly.items[1]
    assert rules.typed_by_value(days, Language.ID) and rules.typed_by_value(days, Language.EN)
    assert rules.typed_value(days, Language.ID, 0) == 0
    assert rules.typed_value(days, Language.ID, 7) == 7
    assert rules.typed_value(days, Language.ID, 8) is None
    assert not rules.typed_by_value(hardest, Language.ID)
    assert rules.typed_value(hardest, Language.ID, 1) == 1
    assert rules.typed_value(hardest, Language.ID, 0) is None
    worded = replace(hardest, options=tuple(
        replace(o, value=o.value * 10) for o in hardest.options))  # values 10..70
    assert rules.typed_value(worded, Language.EN, 2) == 20  # its place, not its value
    assert rules.typed_value(worded, Language.EN, 10) is None
    assert rules.typed_value(worded, Language.EN, 8) is None


def test_an_item_past_the_last_is_none(shipped: dict[str, Instrument]) -> None:
    weekly = shipped["weekly-check"]
    assert rules.item_at(weekly, 3) == weekly.items[3]
    assert rules.item_at(weekly, 4) is None and rules.item_at(weekly, -1) is None
