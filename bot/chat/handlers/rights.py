"""The participant's rights: /withdraw, /delete, /privacy, plus /help and /cancel."""

from __future__ import annotations

from telegram import Update

from bot.chat import keyboards
from bot.chat.callbacks import Menu, PickAction
from bot.chat.context import (
    CustomContext,
    active_participant,
    ask_in_flow,
    edit,
    expired_button,
    menu_choice,
    message_id,
    reply,
    user_language,
)
from bot.core.flows import FlowKind, FlowStep
from bot.core.models import ParticipantStatus, Role

# each delete step is only valid right after the previous one: a forged "yes" erases nothing
DELETE_STEPS = {"ask2": FlowStep.ASK, "yes": FlowStep.CONFIRM}


async def help_command(update: Update, context: CustomContext) -> None:
    """List what the user can do, by role."""
    user = update.effective_user
    if user is None:
        return
    participant = await context.jeda.participant(user.id)
    lang = user_language(update, participant)
    roles = await context.jeda.access.roles_of(user.id)
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
    await context.outbox.send(user.id, "\n\n".join(parts))


async def privacy_command(update: Update, context: CustomContext) -> None:
    """Explain what is stored, who sees it and how to leave."""
    user = update.effective_user
    if user is None:
        return
    participant = await context.jeda.participant(user.id)
    await reply(update, context, user_language(update, participant), "privacy.text")


async def cancel_command(update: Update, context: CustomContext) -> None:
    """Drop whatever the bot was waiting for, and take its buttons away."""
    user = update.effective_user
    if user is None:
        return
    participant = await context.jeda.participant(user.id)
    lang = user_language(update, participant)
    if participant is not None and await context.jeda.practice.abandon(participant):
        await reply(update, context, lang, "practice.cancelled")  # what was written is kept
        return
    flow = await context.jeda.flows.close(participant) if participant else None
    if participant is None or flow is None:
        await reply(update, context, lang, "cancel.nothing")
        return
    if flow.message_id is not None:
        await context.outbox.remove_buttons(participant.chat_id, flow.message_id)
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
    await ask_in_flow(update, context, participant, (FlowKind.WITHDRAW, FlowStep.CHOOSE),
                      "withdraw.ask", keyboards.choice_keyboard(Menu.WITHDRAW, options, 1))


async def withdraw_choice(update: Update, context: CustomContext) -> None:
    """Carry out the withdrawal choice."""
    found = await menu_choice(update, context, ("keep", "erase", "cancel"),
                              (FlowKind.WITHDRAW, FlowStep.CHOOSE))
    if found is None:
        return
    query, choice, participant = found
    lang = participant.language
    if choice == "cancel":
        await context.jeda.flows.close(participant)
        await edit(query, context, lang, "withdraw.cancelled")
        return
    keep = choice == "keep"
    await context.jeda.participants.withdraw(participant, keep_data=keep)
    await edit(query, context, lang, "withdraw.done_kept" if keep else "withdraw.done_erased",
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
    await ask_in_flow(update, context, participant, (FlowKind.DELETE, FlowStep.ASK),
                      "delete.ask", keyboards.choice_keyboard(Menu.DELETE, options, 1))


async def delete_choice(update: Update, context: CustomContext) -> None:
    """Second confirmation, then erase."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = PickAction.decode(query.data)
    participant = await context.jeda.participant(query.from_user.id)
    if choice is None or participant is None or choice.choice not in (*DELETE_STEPS, "no") or (
            choice.choice in DELETE_STEPS and not await context.jeda.flows.at(
                participant, FlowKind.DELETE, DELETE_STEPS[choice.choice])):
        await expired_button(update, context)
        return
    await context.outbox.answer(query.id)
    lang = participant.language
    if choice.choice == "no":
        await context.jeda.flows.close(participant)
        await edit(query, context, lang, "delete.cancelled")
    elif choice.choice == "ask2":
        await context.jeda.flows.advance(participant, FlowKind.DELETE, FlowStep.CONFIRM,
                                         message_id(query))
        options = [("yes", context.t(lang, "delete.really_button")),
                   ("no", context.t(lang, "common.cancel_button"))]
        await edit(query, context, lang, "delete.ask_again",
                   keyboards.choice_keyboard(Menu.DELETE, options, 1))
    else:
        await context.jeda.participants.delete(participant)
        await edit(query, context, lang, "delete.done", backup_days=backup_days(context))


def backup_days(context: CustomContext) -> int:
    """How long automatic backups keep erased data: one daily backup per kept copy."""
    return int(context.application.bot_data["settings"].backup_keep)
