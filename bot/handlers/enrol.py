"""Enrolment: invite code, language, consent, time zone, daily time, confirmation."""

from __future__ import annotations

import logging
from datetime import time
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards
from bot.core.models import Language, OnboardingStep, Participant, ParticipantStatus
from bot.handlers.common import CustomContext, edit, expired_button, pressed, reply, user_language
from bot.i18n import format_date, zone_label
from bot.service import EnrolOutcome

logger = logging.getLogger(__name__)

REFUSALS = {
    EnrolOutcome.INVALID: "enrol.code_invalid",
    EnrolOutcome.EXPIRED: "enrol.code_expired",
    EnrolOutcome.USED: "enrol.code_used",
    EnrolOutcome.THROTTLED: "enrol.throttled",
    EnrolOutcome.NO_CODE: "enrol.no_code",
}


def step_question(
    context: CustomContext, participant: Participant
) -> tuple[str, InlineKeyboardMarkup | None, dict[str, object]]:
    """The message (key, buttons, values) that asks for the participant's current step."""
    step = participant.onboarding_step
    if step is OnboardingStep.LANGUAGE:
        return "enrol.choose_language", keyboards.language_keyboard(), {}
    if step is OnboardingStep.CONSENT:
        lang = participant.language
        buttons = keyboards.markup(
            [[(context.t(lang, "enrol.consent_yes"), keyboards.AnswerConsent(True).encode())],
             [(context.t(lang, "enrol.consent_no"), keyboards.AnswerConsent(False).encode())]]
        )
        return "enrol.consent", buttons, {}
    if step is OnboardingStep.TIMEZONE:
        return "enrol.timezone", keyboards.zone_keyboard(), {}
    return "enrol.prompt_time", keyboards.time_keyboard(), {}


async def ask_step(update: Update, context: CustomContext, participant: Participant) -> None:
    """Send the question for the participant's current onboarding step."""
    key, markup, values = step_question(context, participant)
    await reply(update, context, participant.language, key, markup, **values)


async def start(update: Update, context: CustomContext) -> None:
    """Enrol with the code from /start CODE or a deep link, or greet an enrolled user."""
    await enrol_with_code(update, context, " ".join(context.args or []) or None)


async def enrol_with_code(update: Update, context: CustomContext, code: str | None) -> None:
    """Check a code and start, resume or refuse enrolment."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    result = await context.jeda.enrol(user.id, chat.id, code, user.language_code)
    lang = user_language(update, result.participant)
    if result.outcome in REFUSALS:
        await reply(update, context, lang, REFUSALS[result.outcome])
        return
    participant = result.participant
    assert participant is not None
    if result.outcome is EnrolOutcome.ALREADY_ENROLLED:
        key = "enrol.withdrawn" if participant.status is ParticipantStatus.WITHDRAWN else (
            "enrol.already"
        )
        await reply(update, context, lang, key)
        return
    if result.outcome is EnrolOutcome.STARTED:
        await reply(update, context, lang, "enrol.welcome")
    elif result.outcome is EnrolOutcome.REJOINED:
        await reply(update, context, lang, "enrol.rejoin")
    await ask_step(update, context, participant)


async def finish(update: Update, context: CustomContext, participant: Participant,
                 prompt_time: time) -> None:
    """Activate the participant and say what happens next."""
    done = await context.jeda.finish_enrolment(participant, prompt_time)
    first = await context.jeda.next_prompt_at(done)
    lang = done.language
    when = ""
    if first is not None:
        local = first.astimezone(ZoneInfo(done.timezone))
        when = context.t(lang, "common.date_time", date=format_date(lang, local.date(), True),
                         time=local.strftime("%H:%M"))
    await reply(update, context, lang, "enrol.done", time=prompt_time.strftime("%H:%M"),
                zone=zone_label(done.timezone), first=when)


async def choose_language(update: Update, context: CustomContext) -> None:
    """Set the language during enrolment or from /settings."""
    found = await pressed(update, context, keyboards.ChooseLanguage)
    if found is None:
        return
    query, choice, participant = found
    lang = Language(choice.code)
    if participant.status is ParticipantStatus.ONBOARDING:
        if participant.onboarding_step is not OnboardingStep.LANGUAGE:
            participant = await context.jeda.update(participant, language=lang)
        else:
            participant = await context.jeda.update(
                participant, language=lang, onboarding_step=OnboardingStep.CONSENT
            )
        key, markup, values = step_question(context, participant)
        await edit(query, context, lang, key, markup, **values)
        return
    if context.jeda.flow_of(participant) != "settings:lang":
        await query.edit_message_reply_markup(None)  # an old keyboard: change nothing
        return
    await context.jeda.update(participant, language=lang, flow=None, flow_data={})
    await edit(query, context, lang, "settings.language_saved")


async def answer_consent(update: Update, context: CustomContext) -> None:
    """Record the answer to the consent question."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = keyboards.AnswerConsent.decode(query.data)
    participant = await context.jeda.participant(query.from_user.id)
    if (
        choice is None
        or participant is None
        or participant.status is not ParticipantStatus.ONBOARDING
        or participant.onboarding_step is not OnboardingStep.CONSENT
    ):
        await expired_button(update, context)
        return
    await query.answer()
    lang = participant.language
    updated = await context.jeda.answer_consent(participant, choice.agree)
    if updated is None:
        await edit(query, context, lang, "enrol.declined")
        return
    await edit(query, context, lang, "enrol.consent_thanks")
    await ask_step(update, context, updated)


async def choose_zone(update: Update, context: CustomContext) -> None:
    """Set the time zone from a WIB/WITA/WIT button."""
    found = await pressed(update, context, keyboards.ChooseZone)
    if found is not None and _button_still_applies(context, found[2], "settings:tz"):
        await save_zone(update, context, found[2], found[1].zone)
    elif found is not None:
        await found[0].edit_message_reply_markup(None)


async def save_zone(update: Update, context: CustomContext, participant: Participant,
                    zone: str) -> None:
    """Store a time zone and continue enrolment or confirm the setting."""
    lang = participant.language
    if participant.status is ParticipantStatus.ONBOARDING:
        if participant.onboarding_step is not OnboardingStep.TIMEZONE:
            await ask_step(update, context, participant)
            return
        updated = await context.jeda.update(
            participant, timezone=zone, onboarding_step=OnboardingStep.PROMPT_TIME
        )
        await reply(update, context, lang, "enrol.timezone_saved", zone=zone_label(zone))
        await ask_step(update, context, updated)
        return
    await context.jeda.update(participant, timezone=zone, flow=None, flow_data={})
    await reply(update, context, lang, "settings.timezone_saved", zone=zone_label(zone))


async def choose_time(update: Update, context: CustomContext) -> None:
    """Set the daily prompt time from a button."""
    found = await pressed(update, context, keyboards.ChooseTime)
    if found is not None and _button_still_applies(context, found[2], "settings:time"):
        await save_time(update, context, found[2], found[1].at)
    elif found is not None:
        await found[0].edit_message_reply_markup(None)


def _button_still_applies(context: CustomContext, participant: Participant, flow: str) -> bool:
    """An enrolment keyboard applies while enrolling; later only inside its settings flow."""
    return (participant.status is ParticipantStatus.ONBOARDING
            or context.jeda.flow_of(participant) == flow)


async def save_time(update: Update, context: CustomContext, participant: Participant,
                    at: time) -> None:
    """Store the prompt time and finish enrolment or confirm the setting."""
    if participant.status is ParticipantStatus.ONBOARDING:
        if participant.onboarding_step is not OnboardingStep.PROMPT_TIME:
            await ask_step(update, context, participant)
            return
        await finish(update, context, participant, at)
        return
    await context.jeda.update(participant, prompt_time=at, flow=None, flow_data={})
    await reply(update, context, participant.language, "settings.time_saved",
                time=at.strftime("%H:%M"))
