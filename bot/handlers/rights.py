"""The participant's rights: /withdraw, /delete, /privacy, plus /help and /cancel."""

from __future__ import annotations

import contextlib

from telegram import CallbackQuery, Update
from telegram.error import BadRequest

from bot import keyboards
from bot.core.models import ParticipantStatus, Role
from bot.handlers.common import (
    CustomContext,
    active_participant,
    ask_in_flow,
    edit,
    expired_button,
    reply,
    user_language,
)


async def help_command(update: Update, context: CustomContext) -> None:
    """List what the user can do, by role."""
    user = update.effective_user
    if user is None:
        return
    participant = await context.jeda.participant(user.id)
    lang = user_language(update, participant)
    roles = await context.jeda.roles_of(user.id)
    staff = bool(roles & {Role.FACILITATOR, Role.ADMIN})
    parts: list[str] = []
    if Role.PARTICIPANT in roles:
        parts.append(context.t(lang, "help.participant"))
    elif participant is not None and participant.status is ParticipantStatus.WITHDRAWN:
        parts.append(context.t(lang, "help.withdrawn"))
    elif not staff:  # a facilitator is not asked to join with a code
        parts.append(context.t(lang, "help.guest"))
    if staff:
        parts.append(context.t(lang, "help.facilitator"))
    await context.bot.send_message(user.id, "\n\n".join(parts), parse_mode="HTML")


async def privacy_command(update: Update, context: CustomContext) -> None:
    """Explain what is stored, who sees it and how to leave."""
    user = update.effective_user
    if user is None:
        return
    participant = await context.jeda.participant(user.id)
    await reply(update, context, user_language(update, participant), "privacy.text")


async def cancel_command(update: Update, context: CustomContext) -> None:
    """Drop whatever the bot was waiting for."""
    user = update.effective_user
    if user is None:
        return
    participant = await context.jeda.participant(user.id)
    lang = user_language(update, participant)
    if participant is None or participant.flow is None:
        await reply(update, context, lang, "cancel.nothing")
        return
    message_id = await context.jeda.end_flow(participant)
    if message_id is not None:
        with contextlib.suppress(BadRequest):  # its buttons may already be gone
            await context.bot.edit_message_reply_markup(participant.chat_id, message_id,
                                                        reply_markup=None)
    await reply(update, context, lang, "cancel.done")


async def withdraw_command(update: Update, context: CustomContext) -> None:
    """Ask whether to keep or erase the data, then stop all messages."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    options = [("keep", context.t(lang, "withdraw.keep_button")),
               ("erase", context.t(lang, "withdraw.erase_button")),
               ("cancel", context.t(lang, "common.cancel_button"))]
    await ask_in_flow(update, context, participant, "withdraw", "withdraw.ask",
                      keyboards.choice_keyboard("wd", options, 1))


async def withdraw_choice(update: Update, context: CustomContext) -> None:
    """Carry out the withdrawal choice."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = keyboards.PickAction.decode(query.data)
    participant = await active_participant(update, context)
    if participant is None:
        return
    if choice is None or choice.choice not in ("keep", "erase", "cancel") or (
        context.jeda.flow_of(participant) != "withdraw"
    ):
        await expired_button(update, context)
        return
    await query.answer()
    lang = participant.language
    if choice.choice == "cancel":
        await context.jeda.update(participant, flow=None, flow_data={})
        await edit(query, context, lang, "withdraw.cancelled")
        return
    await context.jeda.withdraw(participant, keep_data=choice.choice == "keep")
    await edit(query, context, lang,
               "withdraw.done_kept" if choice.choice == "keep" else "withdraw.done_erased",
               backup_days=backup_days(context))


async def delete_command(update: Update, context: CustomContext) -> None:
    """Ask twice before erasing everything personal."""
    user = update.effective_user
    if user is None:
        return
    participant = await context.jeda.participant(user.id)
    lang = user_language(update, participant)
    if participant is None or participant.status is ParticipantStatus.DECLINED:
        await reply(update, context, lang, "delete.nothing")
        return
    options = [("ask2", context.t(lang, "delete.yes_button")),
               ("no", context.t(lang, "common.cancel_button"))]
    await ask_in_flow(update, context, participant, "delete:ask", "delete.ask",
                      keyboards.choice_keyboard("del", options, 1))


async def delete_choice(update: Update, context: CustomContext) -> None:
    """Second confirmation, then erase."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = keyboards.PickAction.decode(query.data)
    participant = await context.jeda.participant(query.from_user.id)
    # each step is only valid right after the previous one: a forged "yes" erases nothing
    expected = {"ask2": "delete:ask", "yes": "delete:confirm"}
    if (
        choice is None
        or participant is None
        or choice.choice not in ("ask2", "yes", "no")
        or (choice.choice in expected
            and context.jeda.flow_of(participant) != expected[choice.choice])
    ):
        await expired_button(update, context)
        return
    await query.answer()
    lang = participant.language
    if choice.choice == "no":
        await context.jeda.update(participant, flow=None, flow_data={})
        await edit(query, context, lang, "delete.cancelled")
    elif choice.choice == "ask2":
        await context.jeda.start_flow(participant, "delete:confirm", _message_id(query))
        options = [("yes", context.t(lang, "delete.really_button")),
                   ("no", context.t(lang, "common.cancel_button"))]
        await edit(query, context, lang, "delete.ask_again",
                   keyboards.choice_keyboard("del", options, 1))
    else:
        await context.jeda.delete(participant)
        await edit(query, context, lang, "delete.done", backup_days=backup_days(context))


def _message_id(query: CallbackQuery) -> int | None:
    return query.message.message_id if query.message is not None else None


def backup_days(context: CustomContext) -> int:
    """How long automatic backups keep erased data: one daily backup per kept copy."""
    return int(context.application.bot_data["settings"].backup_keep)
