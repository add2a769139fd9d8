"""The callback-data codec: round trips, 64-byte limit, anchored patterns."""

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.chat import callbacks as kb
from bot.chat import keyboards
from bot.chat import questionnaires as qb
from bot.core import questionnaires as rules
from bot.core.models import RatingKind


@given(st.sampled_from(RatingKind), st.dates(min_value=date(2000, 1, 1),
                                             max_value=date(9999, 12, 31)), st.integers(0, 10))
def test_rating_round_trips_within_64_bytes(kind: RatingKind, day: date, value: int) -> None:
    button = kb.RateStress(kind, day, value)
    data = button.encode()
    assert len(data.encode()) <= kb.MAX_CALLBACK_BYTES
    assert kb.RateStress.decode(data) == button


@pytest.mark.parametrize("button", [
    kb.ChooseLanguage("id"), kb.ChooseLanguage("en"), kb.AnswerConsent(True),
    kb.AnswerConsent(False), kb.ChooseZone("wita"), kb.ChooseTime(time(19, 30)),
    kb.PickAction(kb.Menu.SETTINGS, "reminder"), kb.PickAction(kb.Menu.DELETE, "ask2"),
])
def test_other_buttons_round_trip(button: object) -> None:
    data = button.encode()  # type: ignore[attr-defined]
    assert len(data.encode()) <= kb.MAX_CALLBACK_BYTES
    assert type(button).decode(data) == button  # type: ignore[attr-defined]


@pytest.mark.parametrize("forged", [
    "rate:p:20261128:11", "rate:p:20261128:-1", "rate:x:20261128:5", "rate:p:20261399:5",
    "rate:p:20261128:5:extra", " rate:p:20261128:5", "rate:p:2026112:5", "",
])
def test_forged_rating_payloads_decode_to_nothing(forged: str) -> None:
    assert kb.RateStress.decode(forged) is None


@pytest.mark.parametrize("forged", ["pt:2460", "pt:0960", "pt:930", "tz:utc", "lang:fr",
                                    "consent:maybe", "sup:x", "set:"])
def test_forged_setting_payloads_decode_to_nothing(forged: str) -> None:
    assert all(kind.decode(forged) is None for kind in kb.ALL_KINDS)


def test_rating_keyboard_has_eleven_buttons_labelled_0_to_10() -> None:
    markup = keyboards.rating_keyboard(RatingKind.PROMPTED, date(2026, 11, 28))
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert labels == [str(v) for v in range(11)]


def test_markup_refuses_oversized_data() -> None:
    with pytest.raises(ValueError):
        keyboards.markup([[("x", "a" * 65)]])


@pytest.mark.parametrize("menu", list(kb.Menu))
def test_each_menu_pattern_takes_its_own_choices_only(menu: kb.Menu) -> None:
    import re

    pattern = re.compile(kb.PickAction.pattern_for(menu))
    assert pattern.match(kb.PickAction(menu, "x1").encode())
    others = [m for m in kb.Menu if m is not menu]
    assert not any(pattern.match(kb.PickAction(m, "x1").encode()) for m in others)


TOKEN = rules.token("a" * 41 + "@2026-W49")


@pytest.mark.parametrize("button", [
    qb.StartQuestionnaire("pss10@pre"), qb.StartQuestionnaire("weekly-check@2026-W49"),
    qb.StartQuestionnaire("a" * 41 + "@post"), qb.QuestionnaireAnswer(TOKEN, 59, "-100"),
    qb.QuestionnaireAnswer(TOKEN, 0, "skip"), qb.QuestionnaireAnswer(TOKEN, 99, "later"),
])
def test_questionnaire_buttons_round_trip_within_64_bytes(button: object) -> None:
    data = button.encode()  # type: ignore[attr-defined]
    assert len(data.encode()) <= kb.MAX_CALLBACK_BYTES
    assert type(button).decode(data) == button  # type: ignore[attr-defined]


def test_an_answer_button_names_its_occasion() -> None:
    pre, post = rules.token("pss10@pre"), rules.token("pss10@post")
    assert len(pre) == 6 and pre != post and pre == rules.token("pss10@pre")
    assert qb.QuestionnaireAnswer(pre, 2, "3").encode() == f"qa:{pre}:2:3"
    assert qb.QuestionnaireAnswer.decode("qa:2:3") is None  # the old form: no occasion


@pytest.mark.parametrize("forged", [
    "qs:pss10", "qs:pss10@yesterday", "qs:@pre", "qa:1:x", "qa:100:1", "qa:1:1000",
    "qa:1:skip ", "qs:PSS10@pre", "qa:1:1", "qa:abcdef:1:x", "qa:ABCDEF:1:1",
    "qa:abcde:1:1", "qa:abcdef0:1:1", "qa:abcdef:100:1", "qa:abcdef:1:skip "])
def test_forged_questionnaire_payloads_decode_to_nothing(forged: str) -> None:
    assert qb.StartQuestionnaire.decode(forged) is None
    assert qb.QuestionnaireAnswer.decode(forged) is None
