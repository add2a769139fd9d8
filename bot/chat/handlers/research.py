"""/export [GROUP]: the research export as one zip, for researchers and admins only."""

from __future__ import annotations

import asyncio
import html
import tempfile
from pathlib import Path

from telegram import Update

from bot import research
from bot.chat.context import CustomContext, reply, requires, user_language
from bot.core.access import Permission
from bot.core.exportrows import Window
from bot.core.models import same_name
from bot.services.research import Dataset

# Telegram takes documents up to 50 MB from a bot; a bigger export is for the CLI
MAX_DOCUMENT_BYTES = 49 * 1024 * 1024


async def _zip(context: CustomContext, group: str | None) -> tuple[Dataset, bytes]:
    """The export of ``group`` (or all) without typed text, as one zip."""
    jeda = context.jeda
    with tempfile.TemporaryDirectory(prefix="jeda-export-") as folder:
        dataset, _ = await research.export(Path(folder), jeda.research,
                                           jeda.content.instruments, jeda.content.version,
                                           group, Window(), False)
        return dataset, await asyncio.to_thread(research.zipped, Path(folder))


@requires(Permission.EXPORT, "error.researchers_only")
async def export_command(update: Update, context: CustomContext) -> None:
    """Build the export (without typed text: that needs the CLI) and send it as a zip."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    jeda = context.jeda
    lang = user_language(update, await jeda.participant(user.id))
    wanted = " ".join(context.args or [])
    groups = await jeda.groups.all()
    group = next((g.name for g in groups if same_name(g.name, wanted)), None)
    if wanted and group is None:
        await reply(update, context, lang, "export.no_group", name=html.escape(wanted[:40]),
                    groups=html.escape(", ".join(g.name for g in groups) or "-"))
        return
    busy = context.bot_data.setdefault("export_lock", asyncio.Lock())
    if busy.locked():  # one at a time: an export takes the machine's cores for a while
        await reply(update, context, lang, "export.busy")
        return
    async with busy:
        await reply(update, context, lang, "export.working")
        dataset, data = await _zip(context, group)
    if len(data) > MAX_DOCUMENT_BYTES:
        await reply(update, context, lang, "export.too_big")
        return
    day = jeda.clock().date().isoformat()
    await context.outbox.document(chat.id, data, f"jeda-export-{day}.zip",
                                  context.t(lang, "export.caption",
                                            participants=dataset.participants,
                                            rows=dataset.rows))
    await jeda.research.record(jeda.pid_for(user.id), "export", dataset, group=group,
                               include_text=False, via="chat")
