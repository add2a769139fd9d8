"""Free text: a typed invite code, a typed setting, or anything else (checked for safety)."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot.chat.context import CustomContext, reply, user_language
from bot.chat.handlers import practice, questionnaire
from bot.chat.handlers.enrol import ask_step, enrol_with_code, save_time, save_zone
from bot.chat.handlers.settings import pause_for
from bot.chat.support import offer_support, support_for_stranger
from bot.core import parsing
from bot.core.flows import FlowKind, FlowStep
from bot.core.models import OnboardingStep, Participant, ParticipantStatus

# what a typed invite code looks like ("JD7K-M3QX-P9A", any case, spaces or dashes)
CODE_PATTERN = re.compile(r"^(/start\s+)?[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{3}$")


async def free_text(update: Update, context: CustomContext) -> None:
    """Route a plain message: safety first, then whatever the bot is waiting for."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    text = message.text.strip()
    participant = await context.jeda.participant(user.id)
    if participant is None or participant.status is ParticipantStatus.DECLINED:
        await stranger_text(update, context, user.id, text)
        return
    if participant.consent is None or not participant.consent.agreed:
        categories = context.jeda.safety.match(text)  # before consent: help, record nothing
        if categories:
            await support_for_stranger(context, user.id, participant.language, categories)
            return
    categories = await context.jeda.safety.check(participant, text)
    if categories:
        await offer_support(context, participant, reason="text", categories=categories)
        return
    if participant.status is ParticipantStatus.ONBOARDING:
        await onboarding_text(update, context, participant, text)
        return
    if participant.status is ParticipantStatus.WITHDRAWN:
        if CODE_PATTERN.match(text):  # a new code to come back with
            await enrol_with_code(update, context, text)
        else:
            await reply(update, context, participant.language, "enrol.withdrawn")
        return
    await flow_text(update, context, participant, text)


async def stranger_text(update: Update, context: CustomContext, user_id: int,
                        text: str) -> None:
    """Someone not enrolled: support if it sounds like a crisis, else a code or how to join."""
    categories = context.jeda.safety.match(text)
    if categories:  # checked for everyone, stored for no one who has not enrolled
        await support_for_stranger(context, user_id, user_language(update, None), categories)
    elif CODE_PATTERN.match(text):
        await enrol_with_code(update, context, text)
    else:
        await reply(update, context, user_language(update, None), "enrol.no_code")


async def edited_text(update: Update, context: CustomContext) -> None:
    """An edited message is not a new one: only check it for safety (a risky word may have
    been added); everything else was answered when it was first sent."""
    message, user = update.edited_message, update.effective_user
    if message is None or user is None or not message.text:
        return
    participant = await context.jeda.participant(user.id)
    enrolled = participant is not None and participant.consent is not None and (
        participant.consent.agreed)
    if participant is None or not enrolled:
        categories = context.jeda.safety.match(message.text)
        if categories:
            lang = user_language(update, participant)
            await support_for_stranger(context, user.id, lang, categories)
        return
    categories = await context.jeda.safety.check(participant, message.text)
    if categories:
        await offer_support(context, participant, reason="text", categories=categories)


Saver = Callable[[Update, CustomContext, Participant, Any], Awaitable[None]]
Typed = tuple[Callable[[str], Any], Saver, str]  # parser, saver, key when unreadable
ZONE: Typed = (parsing.parse_timezone, save_zone, "enrol.timezone_unknown")
TIME: Typed = (parsing.parse_time, save_time, "enrol.time_unknown")
# what a typed answer means: by onboarding step, or by the open flow's kind and step
DURING_ONBOARDING: dict[OnboardingStep, Typed] = {
    OnboardingStep.TIMEZONE: ZONE, OnboardingStep.PROMPT_TIME: TIME}
IN_FLOW: dict[tuple[FlowKind, FlowStep], Typed] = {
    (FlowKind.SETTINGS, FlowStep.ZONE): ZONE,
    (FlowKind.SETTINGS, FlowStep.TIME): TIME,
    (FlowKind.PAUSE, FlowStep.DAYS): (parsing.parse_days, pause_for, "pause.days_unknown"),
}


async def onboarding_text(update: Update, context: CustomContext, participant: Participant,
                          text: str) -> None:
    """Accept a typed time zone or time during enrolment; otherwise repeat the question."""
    typed = DURING_ONBOARDING.get(participant.onboarding_step)
    if typed is not None:
        await typed_answer(update, context, participant, typed, text)
    else:
        await ask_step(update, context, participant)


async def flow_text(update: Update, context: CustomContext, participant: Participant,
                    text: str) -> None:
    """Complete a setting the participant is typing, or explain what the bot understands."""
    flow = await context.jeda.flows.current(participant)
    if flow is not None and flow.kind is FlowKind.PRACTICE:
        await practice.typed(update, context, participant, text)
        return
    if flow is not None and flow.kind is FlowKind.QUESTIONNAIRE:
        question = await context.jeda.questionnaires.current(participant)
        if question is not None:
            await questionnaire.typed(update, context, participant, question, text)
            return
    typed = IN_FLOW.get((flow.kind, flow.step)) if flow else None
    if typed is not None:
        await typed_answer(update, context, participant, typed, text)
    else:
        await reply(update, context, participant.language, "text.fallback")


async def typed_answer(update: Update, context: CustomContext, participant: Participant,
                       typed: Typed, text: str) -> None:
    """Parse a typed answer; save it, or explain kindly what we could not read."""
    parse, save, unreadable = typed
    value = parse(text)
    if value is None:
        await reply(update, context, participant.language, unreadable,
                    text=html.escape(text[:40]))
        return
    await save(update, context, participant, value)


async def not_text(update: Update, context: CustomContext) -> None:
    """A sticker, photo, voice message...: nothing is stored; during an exercise the step is
    asked again, otherwise the person hears what Jeda can read."""
    user = update.effective_user
    if user is None:
        return
    participant = await context.jeda.participant(user.id)
    lang = user_language(update, participant)
    if participant is not None and await context.jeda.practice.current(participant):
        await practice.no_text(update, context, participant)
        return
    await reply(update, context, lang, "text.not_text")
