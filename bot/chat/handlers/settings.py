"""/settings (time, time zone, language, reminder), /pause and /resume."""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardMarkup, Update

from bot.chat import keyboards
from bot.chat.callbacks import Menu
from bot.chat.context import (
    CustomContext,
    active_participant,
    ask_in_flow,
    edit,
    menu_choice,
    message_id,
    reply,
)
from bot.chat.invites import invite_keyboard, invite_setting
from bot.chat.warnings import share_keyboard
from bot.core.flows import FlowKind, FlowStep
from bot.core.models import Participant, ParticipantStatus
from bot.i18n import format_date, zone_label

PAUSE_CHOICES = ("1", "3", "7", "14")
# a settings button: the step it opens, the question, its keyboard
SETTING_STEPS = {
    "time": (FlowStep.TIME, "settings.ask_time", keyboards.time_keyboard),
    "tz": (FlowStep.ZONE, "settings.ask_timezone", keyboards.zone_keyboard),
    "lang": (FlowStep.LANGUAGE, "enrol.choose_language", keyboards.language_keyboard),
}


def settings_menu(context: CustomContext, participant: Participant) -> InlineKeyboardMarkup:
    lang = participant.language
    reminder = "settings.reminder_off" if participant.reminder_enabled else "settings.reminder_on"
    return keyboards.choice_keyboard(
        Menu.SETTINGS,
        [("time", context.t(lang, "settings.time_button")),
         ("tz", context.t(lang, "settings.timezone_button")),
         ("lang", context.t(lang, "settings.language_button")),
         ("reminder", context.t(lang, reminder)),
         ("invite", context.t(lang, "settings.invite_button")),
         ("share", context.t(lang, "settings.share_button"))],
    )


async def settings_command(update: Update, context: CustomContext) -> None:
    """Show the current settings with buttons to change them."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    await ask_in_flow(
        update, context, participant, (FlowKind.SETTINGS, FlowStep.MENU), "settings.overview",
        settings_menu(context, participant),
        time=participant.prompt_time.strftime("%H:%M"), zone=zone_label(participant.timezone),
        language=context.t(lang, f"language.{participant.language.value}"),
        reminder=context.t(lang, "common.on" if participant.reminder_enabled else "common.off"),
        invite=invite_setting(context, participant),
        share=context.t(lang, "common.on" if participant.share_flags else "common.off"),
    )


async def settings_choice(update: Update, context: CustomContext) -> None:
    """Open the chosen setting (or switch the reminder at once)."""
    found = await menu_choice(update, context, (*SETTING_STEPS, "reminder", "invite", "share"))
    if found is None:
        return
    query, choice, participant = found
    lang = participant.language
    if choice in ("invite", "share"):
        await edit(query, context, lang, f"{choice}.ask", invite_keyboard(context, participant)
                   if choice == "invite" else share_keyboard(context, lang))
        return
    if choice == "reminder":
        updated = await context.jeda.participants.toggle_reminder(participant)
        on = updated.reminder_enabled
        await edit(query, context, lang,
                   "settings.reminder_now_on" if on else "settings.reminder_now_off")
        return
    step, key, keyboard = SETTING_STEPS[choice]
    await context.jeda.flows.advance(participant, FlowKind.SETTINGS, step, message_id(query))
    await edit(query, context, lang, key, keyboard())


async def share_choice(update: Update, context: CustomContext) -> None:
    """Yes or no: may the facilitator be told when stress stays high."""
    found = await menu_choice(update, context, ("yes", "no"))
    if found is None:
        return
    query, choice, participant = found
    updated = await context.jeda.warnings.answer(participant, choice == "yes")
    await edit(query, context, updated.language,
               "share.saved_yes" if updated.share_flags else "share.saved_no")


async def pause_command(update: Update, context: CustomContext) -> None:
    """Ask for how many days to pause the daily messages."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    options = [(d, context.t.plural(lang, "pause.days_button", int(d))) for d in PAUSE_CHOICES]
    await ask_in_flow(update, context, participant, (FlowKind.PAUSE, FlowStep.DAYS),
                      "pause.ask", keyboards.choice_keyboard(Menu.PAUSE, options, 4))


async def pause_choice(update: Update, context: CustomContext) -> None:
    """Pause for the chosen number of days."""
    found = await menu_choice(update, context, PAUSE_CHOICES, (FlowKind.PAUSE, FlowStep.DAYS))
    if found is not None:
        await pause_for(update, context, found[2], int(found[1]))


async def pause_for(update: Update, context: CustomContext, participant: Participant,
                    days: int) -> None:
    """Pause and confirm until when."""
    paused = await context.jeda.participants.pause(participant, days)
    assert paused.paused_until is not None
    lang = participant.language
    back = format_date(lang, paused.paused_until + timedelta(days=1), weekday=True)
    await context.outbox.send(participant.chat_id,
                              context.t.plural(lang, "pause.done", days, back=back))


async def resume_command(update: Update, context: CustomContext) -> None:
    """Resume daily messages after a pause."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    if participant.status is ParticipantStatus.ACTIVE:
        await reply(update, context, participant.language, "resume.not_paused")
        return
    await context.jeda.participants.resume(participant)
    await reply(update, context, participant.language, "resume.done",
                time=participant.prompt_time.strftime("%H:%M"))
