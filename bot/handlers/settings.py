"""/settings (time, time zone, language, reminder), /pause and /resume."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot import keyboards
from bot.core.models import Participant, ParticipantStatus
from bot.handlers.common import (
    CustomContext,
    active_participant,
    ask_in_flow,
    edit,
    expired_button,
    reply,
)
from bot.i18n import format_date, zone_label

PAUSE_CHOICES = ("1", "3", "7", "14")


def settings_menu(
    context: CustomContext, participant: Participant
) -> keyboards.InlineKeyboardMarkup:
    lang = participant.language
    reminder = "settings.reminder_off" if participant.reminder_enabled else "settings.reminder_on"
    return keyboards.choice_keyboard(
        "set",
        [("time", context.t(lang, "settings.time_button")),
         ("tz", context.t(lang, "settings.timezone_button")),
         ("lang", context.t(lang, "settings.language_button")),
         ("reminder", context.t(lang, reminder))],
    )


async def settings_command(update: Update, context: CustomContext) -> None:
    """Show the current settings with buttons to change them."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    await ask_in_flow(
        update, context, participant, "settings", "settings.overview",
        settings_menu(context, participant),
        time=participant.prompt_time.strftime("%H:%M"), zone=zone_label(participant.timezone),
        language=context.t(lang, f"language.{participant.language.value}"),
        reminder=context.t(lang, "common.on" if participant.reminder_enabled else "common.off"),
    )


async def settings_choice(update: Update, context: CustomContext) -> None:
    """Open the chosen setting."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = keyboards.PickAction.decode(query.data)
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    if choice is None or choice.choice not in ("time", "tz", "lang", "reminder"):
        await expired_button(update, context)
        return
    await query.answer()
    message_id = query.message.message_id if query.message is not None else None
    if choice.choice == "time":
        await context.jeda.start_flow(participant, "settings:time", message_id)
        await edit(query, context, lang, "settings.ask_time", keyboards.time_keyboard())
    elif choice.choice == "tz":
        await context.jeda.start_flow(participant, "settings:tz", message_id)
        await edit(query, context, lang, "settings.ask_timezone", keyboards.zone_keyboard())
    elif choice.choice == "lang":
        await context.jeda.start_flow(participant, "settings:lang", message_id)
        await edit(query, context, lang, "enrol.choose_language", keyboards.language_keyboard())
    else:
        enabled = not participant.reminder_enabled
        await context.jeda.update(participant, reminder_enabled=enabled, flow=None, flow_data={})
        await edit(query, context, lang,
                   "settings.reminder_now_on" if enabled else "settings.reminder_now_off")


async def pause_command(update: Update, context: CustomContext) -> None:
    """Ask for how many days to pause the daily messages."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    options = [(d, context.t.plural(lang, "pause.days_button", int(d))) for d in PAUSE_CHOICES]
    await ask_in_flow(update, context, participant, "pause:days", "pause.ask",
                      keyboards.choice_keyboard("pause", options, 4))


async def pause_choice(update: Update, context: CustomContext) -> None:
    """Pause for the chosen number of days."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = keyboards.PickAction.decode(query.data)
    participant = await active_participant(update, context)
    if participant is None:
        return
    if (choice is None or choice.choice not in PAUSE_CHOICES
            or context.jeda.flow_of(participant) != "pause:days"):
        await expired_button(update, context)
        return
    await query.answer()
    await pause_for(update, context, participant, int(choice.choice))


async def pause_for(update: Update, context: CustomContext, participant: Participant,
                    days: int) -> None:
    """Pause and confirm until when."""
    paused = await context.jeda.pause(participant, days)
    await context.jeda.update(paused, flow=None, flow_data={})
    assert paused.paused_until is not None
    lang = participant.language
    back = format_date(lang, paused.paused_until + timedelta(days=1), weekday=True)
    await context.bot.send_message(participant.chat_id,
                                   context.t.plural(lang, "pause.done", days, back=back),
                                   parse_mode="HTML")


async def resume_command(update: Update, context: CustomContext) -> None:
    """Resume daily messages after a pause."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    if participant.status is ParticipantStatus.ACTIVE:
        await reply(update, context, participant.language, "resume.not_paused")
        return
    await context.jeda.resume(participant)
    await reply(update, context, participant.language, "resume.done",
                time=participant.prompt_time.strftime("%H:%M"))
