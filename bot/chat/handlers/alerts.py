"""Safety alerts answered by a facilitator, and /alerts: the open and recent ones."""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from telegram import Update

from bot.chat.callbacks import AnswerAlert
from bot.chat.context import CustomContext, expired_button, reply, requires, user_language
from bot.core.access import Permission
from bot.core.models import Language, SafetyEpisode
from bot.i18n import format_date


def _when(lang: Language, zone: str, episode: SafetyEpisode) -> str:
    local = episode.opened_at.astimezone(ZoneInfo(zone))
    return f"{format_date(lang, local.date())} {local:%H:%M}"


@requires(Permission.SEE_PARTICIPANTS)
async def answer_alert(update: Update, context: CustomContext) -> None:
    """"I have reached out" / "Not a concern": recorded with who; the alert says so."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    button = AnswerAlert.decode(query.data)
    staff = update.effective_user.id
    if button is None or query.message is None or await context.jeda.alerts.answer(
            staff, button.episode_id, button.answer) is None:
        await expired_button(update, context)
        return
    lang = user_language(update, await context.jeda.participant(staff))
    await context.outbox.answer(query.id, context.t(lang, "alert.answer_saved"))
    shown = getattr(query.message, "text_html", None) or ""
    await context.outbox.edit(query.message.chat.id, query.message.message_id,
                              f"{shown}\n\n✓ " + context.t(lang, f"alert.{button.answer}"))


@requires(Permission.SEE_PARTICIPANTS)
async def alerts_command(update: Update, context: CustomContext) -> None:
    """The safety alerts of one's groups: open ones first, then those of the last week."""
    user = update.effective_user
    assert user is not None
    lang = user_language(update, await context.jeda.participant(user.id))
    found = await context.jeda.alerts.recent(user.id)
    if not found:
        await reply(update, context, lang, "alert.none")
        return
    lines = [context.t(lang, "alert.list_title")]
    for p in found:
        e = p.safety_episode
        assert e is not None
        state = context.t(lang, f"alert.{e.answer}") if e.answer else context.t(
            lang, "alert.open")
        lines.append(context.t(lang, "alert.list_line", pid=context.jeda.alias_for(p),
                               group=html.escape(p.group), when=_when(lang, p.timezone, e),
                               n=e.messages, state=state))
    await context.outbox.send_long(user.id, "\n".join(lines))
