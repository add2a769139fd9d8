"""/scripts: the scripts a participant built, to read again or delete (after asking)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, Update

from bot.chat import keyboards
from bot.chat.callbacks import ScriptAction, ScriptStep
from bot.chat.context import (
    CustomContext,
    active_participant,
    expired_button,
    participant_button,
    reply,
)
from bot.core.models import Language
from bot.i18n import format_date


def _buttons(context: CustomContext, lang: Language, step: ScriptStep,
             run_id: str) -> InlineKeyboardMarkup:
    if step is ScriptStep.DELETE:
        return keyboards.markup([[
            (context.t(lang, "scripts.yes_button"), ScriptAction(ScriptStep.YES, run_id).encode()),
            (context.t(lang, "scripts.keep_button"),
             ScriptAction(ScriptStep.KEEP, run_id).encode())]])
    return keyboards.markup([[(context.t(lang, "scripts.delete_button"),
                               ScriptAction(ScriptStep.DELETE, run_id).encode())]])


async def scripts_command(update: Update, context: CustomContext) -> None:
    """List the saved scripts, newest first, a button each."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    scripts = await context.jeda.scripts.all(participant)
    if not scripts:
        await reply(update, context, lang, "scripts.none")
        return
    rows = [[(f"{s.exercise.title[lang]} · {format_date(lang, s.saved_at.date())}",
              ScriptAction(ScriptStep.SHOW, s.run_id).encode())] for s in scripts]
    await context.outbox.send(participant.chat_id, context.t.plural(
        lang, "scripts.list", len(scripts)), keyboards.markup(rows))


async def script_action(update: Update, context: CustomContext) -> None:
    """Show a script; ask before deleting it; delete it; or keep it after all."""
    found = await participant_button(update, context, ScriptAction)
    if found is None:
        return
    query, button, participant = found
    lang = participant.language
    script = await context.jeda.scripts.get(participant, button.run_id)
    if script is None or query.message is None:
        await expired_button(update, context)
        return
    await context.outbox.answer(query.id)
    chat, message = participant.chat_id, query.message.message_id
    shown = context.t(lang, "scripts.shown", title=html.escape(script.exercise.title[lang]),
                      text=html.escape(script.text))
    if button.step is ScriptStep.SHOW:
        await context.outbox.send(chat, shown, _buttons(context, lang, button.step, script.run_id))
    elif button.step is ScriptStep.YES:
        await context.jeda.scripts.delete(participant, script.run_id)
        await context.outbox.edit(chat, message, context.t(lang, "scripts.deleted"))
    else:  # ask first, or back to the script
        text = context.t(lang, "scripts.ask_delete") if button.step is ScriptStep.DELETE else shown
        await context.outbox.edit(chat, message, text,
                                  _buttons(context, lang, button.step, script.run_id))
