"""Free text: a typed invite code, a typed setting, or anything else (checked for safety)."""

from __future__ import annotations

from telegram import Update

from bot.core import parsing
from bot.core.models import OnboardingStep, Participant, ParticipantStatus
from bot.handlers.common import CustomContext, reply, user_language
from bot.handlers.enrol import ask_step, enrol_with_code, save_time, save_zone
from bot.handlers.safety import offer_support
from bot.handlers.settings import pause_for

MAX_CODE_LENGTH = 40


async def free_text(update: Update, context: CustomContext) -> None:
    """Route a plain message: safety first, then whatever the bot is waiting for."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    text = message.text.strip()
    participant = await context.jeda.participant(user.id)
    if participant is None or participant.status is ParticipantStatus.DECLINED:
        if len(text) <= MAX_CODE_LENGTH and " " not in text.strip():
            await enrol_with_code(update, context, text)
        else:
            await reply(update, context, user_language(update, None), "enrol.no_code")
        return
    categories = await context.jeda.check_text(participant, text)
    if categories:
        await offer_support(context, participant, reason="text", categories=categories)
        return
    if participant.status is ParticipantStatus.ONBOARDING:
        await onboarding_text(update, context, participant, text)
        return
    if participant.status is ParticipantStatus.WITHDRAWN:
        await reply(update, context, participant.language, "error.withdrawn")
        return
    await flow_text(update, context, participant, text)


async def onboarding_text(update: Update, context: CustomContext, participant: Participant,
                          text: str) -> None:
    """Accept a typed time zone or time during enrolment; otherwise repeat the question."""
    lang = participant.language
    if participant.onboarding_step is OnboardingStep.TIMEZONE:
        zone = parsing.parse_timezone(text)
        if zone is None:
            await reply(update, context, lang, "enrol.timezone_unknown", text=_quote(text))
            return
        await save_zone(update, context, participant, zone)
        return
    if participant.onboarding_step is OnboardingStep.PROMPT_TIME:
        at = parsing.parse_time(text)
        if at is None:
            await reply(update, context, lang, "enrol.time_unknown", text=_quote(text))
            return
        await save_time(update, context, participant, at)
        return
    await ask_step(update, context, participant)


async def flow_text(update: Update, context: CustomContext, participant: Participant,
                    text: str) -> None:
    """Complete a setting the participant is typing, or explain what the bot understands."""
    lang = participant.language
    if participant.flow == "settings:time":
        at = parsing.parse_time(text)
        if at is None:
            await reply(update, context, lang, "enrol.time_unknown", text=_quote(text))
            return
        await save_time(update, context, participant, at)
    elif participant.flow == "settings:tz":
        zone = parsing.parse_timezone(text)
        if zone is None:
            await reply(update, context, lang, "enrol.timezone_unknown", text=_quote(text))
            return
        await save_zone(update, context, participant, zone)
    elif participant.flow == "pause:days":
        days = parsing.parse_days(text)
        if days is None:
            await reply(update, context, lang, "pause.days_unknown")
            return
        await pause_for(update, context, participant, days)
    else:
        await reply(update, context, lang, "text.fallback")


def _quote(text: str) -> str:
    import html

    return html.escape(text[:40])
