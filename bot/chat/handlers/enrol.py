"""Enrolment: invite code, language, consent, time zone, daily time, confirmation."""

from __future__ import annotations

import logging
from datetime import time
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update

from bot.chat import callbacks, keyboards
from bot.chat.context import (
    CustomContext,
    edit,
    expired_button,
    pressed,
    remove_buttons,
    reply,
    user_language,
)
from bot.chat.invites import invite_keyboard
from bot.chat.warnings import ask_share
from bot.core.flows import FlowKind, FlowStep
from bot.core.models import Language, OnboardingStep, Participant, ParticipantStatus
from bot.i18n import format_date, zone_label
from bot.services.enrolment import EnrolOutcome

logger = logging.getLogger(__name__)

REFUSALS = {
    EnrolOutcome.INVALID: "enrol.code_invalid",
    EnrolOutcome.EXPIRED: "enrol.code_expired",
    EnrolOutcome.USED: "enrol.code_used",
    EnrolOutcome.THROTTLED: "enrol.throttled",
    EnrolOutcome.NO_CODE: "enrol.no_code",
}
GREETINGS = {EnrolOutcome.STARTED: "enrol.welcome", EnrolOutcome.REJOINED: "enrol.rejoin"}


def step_question(
    context: CustomContext, participant: Participant
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message (key, buttons) that asks for the participant's current step."""
    step = participant.onboarding_step
    if step is OnboardingStep.LANGUAGE:
        return "enrol.choose_language", keyboards.language_keyboard()
    if step is OnboardingStep.CONSENT:
        lang = participant.language
        buttons = keyboards.markup(
            [[(context.t(lang, "enrol.consent_yes"), callbacks.AnswerConsent(True).encode())],
             [(context.t(lang, "enrol.consent_no"), callbacks.AnswerConsent(False).encode())]])
        return "enrol.consent", buttons
    if step is OnboardingStep.TIMEZONE:
        return "enrol.timezone", keyboards.zone_keyboard()
    return "enrol.prompt_time", keyboards.time_keyboard()


async def ask_step(update: Update, context: CustomContext, participant: Participant) -> None:
    """Send the question for the participant's current onboarding step."""
    key, markup = step_question(context, participant)
    await reply(update, context, participant.language, key, markup)


async def start(update: Update, context: CustomContext) -> None:
    """Enrol with the code from /start CODE or a deep link, or greet an enrolled user."""
    await enrol_with_code(update, context, " ".join(context.args or []) or None)


async def enrol_with_code(update: Update, context: CustomContext, code: str | None) -> None:
    """Check a code and start, resume or refuse enrolment."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    result = await context.jeda.enrolment.enrol(user.id, chat.id, code, user.language_code)
    lang = user_language(update, result.participant)
    participant = result.participant
    if result.outcome in REFUSALS or participant is None:
        await reply(update, context, lang, REFUSALS.get(result.outcome, "enrol.no_code"))
    elif result.outcome is EnrolOutcome.ALREADY_ENROLLED:
        withdrawn = participant.status is ParticipantStatus.WITHDRAWN
        await reply(update, context, lang, "enrol.withdrawn" if withdrawn else "enrol.already")
    else:
        if result.outcome in GREETINGS:
            await reply(update, context, lang, GREETINGS[result.outcome])
        await ask_step(update, context, participant)


async def finish(update: Update, context: CustomContext, participant: Participant,
                 prompt_time: time) -> None:
    """Activate the participant and say what happens next."""
    done = await context.jeda.enrolment.finish(participant, prompt_time)
    first = await context.jeda.enrolment.next_prompt_at(done)
    lang = done.language
    when = ""
    if first is not None:
        local = first.astimezone(ZoneInfo(done.timezone))
        when = context.t(lang, "common.date_time", date=format_date(lang, local.date(), True),
                         time=local.strftime("%H:%M"))
    await reply(update, context, lang, "enrol.done", time=prompt_time.strftime("%H:%M"),
                zone=zone_label(done.timezone), first=when)
    await reply(update, context, lang, "invite.ask", invite_keyboard(context, done))
    await ask_share(context, done)


async def choose_language(update: Update, context: CustomContext) -> None:
    """Set the language during enrolment or from /settings."""
    found = await pressed(update, context, callbacks.ChooseLanguage)
    if found is None:
        return
    query, choice, participant = found
    lang = Language(choice.code)
    if participant.status is ParticipantStatus.ONBOARDING:
        participant = await context.jeda.enrolment.choose_language(participant, lang)
        await edit(query, context, lang, *step_question(context, participant))
    elif await context.jeda.flows.at(participant, FlowKind.SETTINGS, FlowStep.LANGUAGE):
        await context.jeda.participants.set_language(participant, lang)
        await edit(query, context, lang, "settings.language_saved")
    else:
        await remove_buttons(query, context)  # an old keyboard: change nothing


async def answer_consent(update: Update, context: CustomContext) -> None:
    """Record the answer to the consent question."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = callbacks.AnswerConsent.decode(query.data)
    participant = await context.jeda.participant(query.from_user.id)
    if (choice is None or participant is None
            or participant.status is not ParticipantStatus.ONBOARDING
            or participant.onboarding_step is not OnboardingStep.CONSENT):
        await expired_button(update, context)
        return
    await context.outbox.answer(query.id)
    updated = await context.jeda.enrolment.answer_consent(participant, choice.agree)
    if updated is None:
        await edit(query, context, participant.language, "enrol.declined")
        return
    await edit(query, context, participant.language, "enrol.consent_thanks")
    await ask_step(update, context, updated)


async def choose_zone(update: Update, context: CustomContext) -> None:
    """Set the time zone from a WIB/WITA/WIT button."""
    found = await pressed(update, context, callbacks.ChooseZone)
    if found is None:
        return
    query, choice, participant = found
    if await _button_still_applies(context, participant, FlowStep.ZONE):
        await save_zone(update, context, participant, choice.zone)
    else:
        await remove_buttons(query, context)


async def save_zone(update: Update, context: CustomContext, participant: Participant,
                    zone: str) -> None:
    """Store a time zone and continue enrolment or confirm the setting."""
    lang = participant.language
    if participant.status is not ParticipantStatus.ONBOARDING:
        await context.jeda.participants.set_zone(participant, zone)
        await reply(update, context, lang, "settings.timezone_saved", zone=zone_label(zone))
    elif participant.onboarding_step is not OnboardingStep.TIMEZONE:
        await ask_step(update, context, participant)
    else:
        updated = await context.jeda.enrolment.set_zone(participant, zone)
        await reply(update, context, lang, "enrol.timezone_saved", zone=zone_label(zone))
        await ask_step(update, context, updated)


async def choose_time(update: Update, context: CustomContext) -> None:
    """Set the daily prompt time from a button."""
    found = await pressed(update, context, callbacks.ChooseTime)
    if found is None:
        return
    query, choice, participant = found
    if await _button_still_applies(context, participant, FlowStep.TIME):
        await save_time(update, context, participant, choice.at)
    else:
        await remove_buttons(query, context)


async def _button_still_applies(context: CustomContext, participant: Participant,
                                step: FlowStep) -> bool:
    """An enrolment keyboard applies while enrolling; later only inside its settings flow."""
    return (participant.status is ParticipantStatus.ONBOARDING
            or await context.jeda.flows.at(participant, FlowKind.SETTINGS, step))


async def save_time(update: Update, context: CustomContext, participant: Participant,
                    at: time) -> None:
    """Store the prompt time and finish enrolment or confirm the setting."""
    if participant.status is not ParticipantStatus.ONBOARDING:
        await context.jeda.participants.set_prompt_time(participant, at)
        await reply(update, context, participant.language, "settings.time_saved",
                    time=at.strftime("%H:%M"))
    elif participant.onboarding_step is not OnboardingStep.PROMPT_TIME:
        await ask_step(update, context, participant)
    else:
        await finish(update, context, participant, at)
