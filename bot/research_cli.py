"""The research commands of the CLI: ``export`` (the CSVs, codebook and datapackage)
and ``report`` (a group's HTML report). Both audited with the CLI user who ran them."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.core.analysis import Window
from bot.core.models import Group
from bot.i18n import Translator
from bot.services.base import Base
from bot.services.groups import Groups

if TYPE_CHECKING:
    from bot.services.research import Dataset

EXIT_OK, EXIT_ERROR = 0, 1  # as the rest of the CLI (bot.admin_cli)


async def export(base: Base, groups: Groups, settings: Settings,
                 args: argparse.Namespace) -> int:
    """The research export into a folder; a progress bar on stderr, the path on stdout."""
    from tqdm import tqdm

    from bot import research
    from bot.content import default_content_dir, load_content
    from bot.services.research import Research

    window = window_of(args)
    if window is None:
        return EXIT_ERROR
    group = None
    if args.group:
        found = await named(groups, args.group)
        if found is None:
            return EXIT_ERROR
        group = found.name  # as stored: the name may have been typed in another case
    content = load_content(settings.content_dir or default_content_dir())
    service = Research(base, content)
    total = len(await base.store.participant_ids())  # each file is read once, in the export
    with tqdm(total=total, unit="participant", desc="export", file=sys.stderr,
              disable=None) as bar:
        dataset, written = await research.export(
            args.out, service, content.instruments, content.version, group, window,
            args.include_text, bar.update)
    await service.record(cli_user(), "export", dataset, group=group,
                         start=args.start, end=args.end, include_text=args.include_text,
                         files=len(written))
    _left_out(dataset)
    print(f"Exported {dataset.participants} participants, {dataset.rows} rows, into "
          f"{len(written)} files.", file=sys.stderr)
    print(args.out)
    return EXIT_OK


def window_of(args: argparse.Namespace) -> Window | None:
    """``--from``/``--to`` as a window of local days; None (and said why) when unreadable."""
    try:
        window = Window(date.fromisoformat(args.start) if args.start else None,
                        date.fromisoformat(args.end) if args.end else None)
    except ValueError:
        print("jeda: write the dates like 2026-11-20", file=sys.stderr)
        return None
    if window.start and window.end and window.start > window.end:
        print(f"jeda: --from {window.start} is after --to {window.end}", file=sys.stderr)
        return None
    return window


async def report(base: Base, groups: Groups, settings: Settings,
                 args: argparse.Namespace) -> int:
    """A group's HTML report; a progress bar on stderr, the path on stdout."""
    from tqdm import tqdm

    from bot import report as html_report
    from bot.content import default_content_dir, load_content
    from bot.services.research import Research

    window = window_of(args)
    group = await named(groups, args.group) if window is not None else None
    if window is None or group is None:
        return EXIT_ERROR
    content = load_content(settings.content_dir or default_content_dir())
    words = html_report.words(Translator(content.locales), args.lang)
    job = html_report.Job(group, content.version, window,
                          {i.id: i for i in content.instruments}, words,
                          {m.id: m.title[args.lang] for m in content.modules})
    service = Research(base, content)
    total = len(await base.store.participant_ids())
    with tqdm(total=total, unit="participant", desc="report", file=sys.stderr,
              disable=None) as bar:
        done = await html_report.write(args.out, service, job, base.clock(), bar.update)
    await service.record(cli_user(), "report", done, group=group.name, start=args.start,
                         end=args.end)
    _left_out(done)
    print(f"Reported {done.participants} participants of {group.name}.", file=sys.stderr)
    print(args.out)
    return EXIT_OK


async def preview(base: Base, groups: Groups, settings: Settings,
                  args: argparse.Namespace) -> int:
    """What the bot will send for a group, day by day, on stdout (nothing is sent)."""
    from datetime import timedelta

    from bot import previewtext
    from bot.content import default_content_dir, load_content
    from bot.core.schedule import ScheduleConfig
    from bot.services import preview as simulated

    group = await named(groups, args.group)
    if group is None:
        return EXIT_ERROR
    content = load_content(settings.content_dir or default_content_dir())
    people = await base.store.list_participants(group.name)
    config = ScheduleConfig(expiry_grace=timedelta(minutes=settings.grace_minutes))
    try:
        events, labels = await simulated.preview(group, people, content, config)
    except ValueError as exc:
        print(f"jeda: {exc}", file=sys.stderr)
        return EXIT_ERROR
    modules = {k: ", ".join(m.title[args.lang] for m in content.modules_for_session(k))
               for k in range(1, len(group.session_dates) + 1)}
    example = simulated.EXAMPLE in labels.values()  # nobody joined: shown for an example
    names = {e.id: e.title[args.lang] for e in content.exercises.values()} | {
        i.id: i.name for i in content.instruments}
    print(previewtext.render(Translator(content.locales), args.lang, group, events, labels,
                             modules, example, names), end="")
    return EXIT_OK


async def named(groups: Groups, name: str) -> Group | None:
    """The group called ``name`` (in any case); None, and said so on stderr, if none is."""
    group = await groups.get(name)
    if group is None:
        print(f"jeda: there is no group {name!r} (jeda group list shows them)",
              file=sys.stderr)
    return group


def _left_out(dataset: Dataset) -> None:
    if dataset.unreadable:
        print(f"jeda: {dataset.unreadable} participant file(s) could not be read and are left "
              "out; jeda doctor names them (restore them from a backup)", file=sys.stderr)


def cli_user() -> str:
    """Who ran a CLI command, for the audit log: the operator's login, else their uid (a
    container's uid may have no name)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return f"cli:uid{os.getuid()}"
