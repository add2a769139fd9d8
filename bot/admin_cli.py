"""The admin subcommands: ``group create|list``, ``invite`` and ``backup``.

They open the store directly (the registry is locked across processes, so they are
safe while the bot runs). Output contract: **data on stdout** (invite codes, the group
table, the backup's path), **messages on stderr** ("Created group ...", errors), so
``jeda invite ... > codes.txt`` holds only codes.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from bot import groups
from bot.config import Settings
from bot.core import parsing
from bot.core.models import Language
from bot.i18n import Translator

EXIT_OK, EXIT_ERROR = 0, 1


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run one admin subcommand; print a clean error instead of a traceback."""
    from storage import StorageError
    from storage.tinydb_store import TinyDBStore

    if args.command == "backup":
        return backup(settings, args)
    store = TinyDBStore(settings.data_dir)
    try:
        if args.command == "group" and args.group_command == "create":
            return group_create(store, settings, args)
        if args.command == "group":
            return group_list(store)
        return invite(store, args)
    except groups.GroupError as exc:
        print(f"jeda: {exc.render(_english(settings), Language.EN)}", file=sys.stderr)
        return EXIT_ERROR
    except StorageError as exc:
        print(f"jeda: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        store.close()


def group_create(store, settings: Settings, args: argparse.Namespace) -> int:  # noqa: ANN001
    zone = settings.timezone
    if args.timezone:
        parsed = parsing.parse_timezone(args.timezone)
        if parsed is None:
            raise groups.GroupError(groups.Problem("zone", {"zone": args.timezone}))
        zone = parsed
    pre = groups.parse_dates(args.pre)[0] if args.pre else None
    post = groups.parse_dates(args.post)[0] if args.post else None
    sessions = groups.parse_dates(args.sessions) if args.sessions else []
    group = groups.create_group(store, args.name, zone, datetime.now(UTC), pre=pre,
                                sessions=sessions, post=post, facilitator_ids=args.facilitator)
    print(f"Created group {group.name!r} ({group.timezone}).", file=sys.stderr)
    return EXIT_OK


def _english(settings: Settings) -> Translator:
    from bot.content import default_content_dir, load_locales

    return Translator(load_locales(settings.content_dir or default_content_dir()))


def group_list(store) -> int:  # noqa: ANN001
    found = store.list_groups()
    if not found:
        print("No groups yet. Create one with: jeda group create NAME", file=sys.stderr)
        return EXIT_OK
    for g in found:
        members = len(store.list_participants(g.name))
        sessions = ",".join(d.isoformat() for d in g.session_dates) or "-"
        print(f"{g.name}\t{g.timezone}\tpre={g.pre_date or '-'}\tsessions={sessions}\t"
              f"post={g.post_date or '-'}\tparticipants={members}")
    return EXIT_OK


def invite(store, args: argparse.Namespace) -> int:  # noqa: ANN001
    codes = groups.make_invites(store, args.group, datetime.now(UTC), args.count,
                                args.expires_days)
    for code in codes:
        print(code)
    print(f"{len(codes)} single-use code(s) for {args.group!r}, valid {args.expires_days} days. "
          "A participant sends /start CODE to the bot.", file=sys.stderr)
    return EXIT_OK


def backup(settings: Settings, args: argparse.Namespace) -> int:
    from storage.backup import create_backup

    if not settings.data_dir.is_dir():
        print(f"jeda: there is no data folder at {settings.data_dir}", file=sys.stderr)
        return EXIT_ERROR
    out = args.out
    if out is not None and out.is_dir():
        print(f"jeda: {out} is a folder; give a file name, e.g. {out / 'jeda.tar.gz'}",
              file=sys.stderr)
        return EXIT_ERROR
    if out is not None and out.exists():
        print(f"jeda: {out} already exists; Jeda does not overwrite a backup", file=sys.stderr)
        return EXIT_ERROR
    if out is not None and not out.parent.is_dir():
        print(f"jeda: there is no folder {out.parent}; create it first", file=sys.stderr)
        return EXIT_ERROR
    path = create_backup(settings.data_dir, args.out, datetime.now(UTC))
    print(path)
    return EXIT_OK
