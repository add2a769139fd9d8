"""The admin subcommands: ``group create|list``, ``invite``, ``role``, ``summary``,
``export`` and ``backup``.

They open the store directly (the registry is locked across processes, so they are
safe while the bot runs) and work through the same services as the chat. Output
contract: **data on stdout** (invite codes, the group and role tables, the backup's
path), **messages on stderr** ("Created group ...", errors), so
``jeda invite ... > codes.txt`` holds only codes.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from bot import research_cli
from bot.config import Settings
from bot.core import parsing
from bot.core.groups import GroupError, Problem, parse_dates
from bot.core.models import Language, Role
from bot.i18n import Translator
from bot.services.access import Access, RoleError
from bot.services.base import Base
from bot.services.groups import Groups

EXIT_OK, EXIT_ERROR = 0, 1


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run one admin subcommand; print a clean error instead of a traceback."""
    from storage import StorageError
    from storage.aio import AsyncStore
    from storage.tinydb_store import TinyDBStore

    if args.command == "backup":
        return backup(settings, args)
    store = TinyDBStore(settings.data_dir)
    try:
        base = Base(AsyncStore(store), store.secret_key(), lambda: datetime.now(UTC))
        return asyncio.run(_dispatch(args, settings, base))
    except GroupError as exc:
        print(f"jeda: {exc.render(_english(settings), Language.EN)}", file=sys.stderr)
        return EXIT_ERROR
    except (RoleError, StorageError) as exc:
        print(f"jeda: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        store.close()


async def _dispatch(args: argparse.Namespace, settings: Settings, base: Base) -> int:
    groups, access = Groups(base), Access(base, settings.admin_ids)
    if args.command == "group" and args.group_command == "create":
        return await group_create(groups, settings, args)
    if args.command == "group" and args.group_command == "set":
        return await group_set(groups, args)
    if args.command == "group":
        return await group_list(groups)
    if args.command == "role":
        return await role(access, args)
    if args.command == "summary":
        return await weekly_summary(base, groups, settings, args)
    if args.command == "export":
        return await research_cli.export(base, groups, settings, args)
    if args.command == "report":
        return await research_cli.report(base, groups, settings, args)
    if args.command == "preview":
        return await research_cli.preview(base, groups, settings, args)
    return await invite(groups, args)


async def weekly_summary(base: Base, groups: Groups, settings: Settings,
                         args: argparse.Namespace) -> int:
    """The text a facilitator gets in the chat, on stdout."""
    from bot.content import default_content_dir, load_content
    from bot.core.summary import Week
    from bot.services.summaries import Summaries
    from bot.weekly import render

    week = Week.parse(args.week) if args.week else None
    if args.week and week is None:
        print(f"jeda: the week {args.week!r} cannot be read; write it like 2026-W49",
              file=sys.stderr)
        return EXIT_ERROR
    group = await research_cli.named(groups, args.group)
    if group is None:
        return EXIT_ERROR
    content = load_content(settings.content_dir or default_content_dir())
    found = await Summaries(base).of(group, week)
    print(render(Translator(content.locales), Language(args.lang), content, group.name,
                 found.figures))
    return EXIT_OK


def _english(settings: Settings) -> Translator:
    from bot.content import default_content_dir, load_locales

    return Translator(load_locales(settings.content_dir or default_content_dir()))


async def group_create(groups: Groups, settings: Settings, args: argparse.Namespace) -> int:
    zone = settings.timezone
    if args.timezone:
        parsed = parsing.parse_timezone(args.timezone)
        if parsed is None:
            raise GroupError(Problem("zone", {"zone": args.timezone}))
        zone = parsed
    pre = parse_dates(args.pre)[0] if args.pre else None
    post = parse_dates(args.post)[0] if args.post else None
    sessions = parse_dates(args.sessions) if args.sessions else []
    group = await groups.create(args.name, zone, pre=pre, sessions=sessions, post=post,
                                facilitator_ids=args.facilitator)
    print(f"Created group {group.name!r} ({group.timezone}).", file=sys.stderr)
    return EXIT_OK


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def group_set(groups: Groups, args: argparse.Namespace) -> int:
    day = None
    if args.summary_day is not None:
        if args.summary_day.lower()[:3] not in DAYS:
            raise GroupError(Problem("summary_day"))
        day = DAYS.index(args.summary_day.lower()[:3])
    at = parsing.parse_time(args.summary_time) if args.summary_time else None
    if args.summary_time and at is None:
        raise GroupError(Problem("time", {"text": args.summary_time}))
    group = await groups.change(
        args.name, pre=parse_dates(args.pre)[0] if args.pre else None,
        sessions=parse_dates(args.sessions) if args.sessions else None,
        post=parse_dates(args.post)[0] if args.post else None,
        facilitator_ids=args.facilitator, summary_day=day, summary_time=at)
    print(f"Changed group {group.name!r}: summary {DAYS[group.summary_day]} "
          f"{group.summary_time:%H:%M}.", file=sys.stderr)
    return EXIT_OK


async def group_list(groups: Groups) -> int:
    found = await groups.all()
    if not found:
        print("No groups yet. Create one with: jeda group create NAME", file=sys.stderr)
        return EXIT_OK
    for g in found:
        members = await groups.count_members(g.name)
        sessions = ",".join(d.isoformat() for d in g.session_dates) or "-"
        print(f"{g.name}\t{g.timezone}\tpre={g.pre_date or '-'}\tsessions={sessions}\t"
              f"post={g.post_date or '-'}\tparticipants={members}")
    return EXIT_OK


async def invite(groups: Groups, args: argparse.Namespace) -> int:
    if args.revoke:
        revoked = await groups.revoke_invite(args.revoke)
        if revoked is None:
            print("jeda: no unused code like that (used, expired, revoked or mistyped)",
                  file=sys.stderr)
            return EXIT_ERROR
        print(f"Revoked one code of {revoked.group!r}.", file=sys.stderr)
        return EXIT_OK
    if args.list:
        found = await groups.open_invites(args.group)
        for i in found:  # only hashes are stored: a code is named by its hash's start
            print(f"{i.group}\t{i.code_hash[:8]}\tcreated {i.created_at:%Y-%m-%d}"
                  f"\texpires {i.expires_at:%Y-%m-%d}")
        print(f"{len(found)} unused code(s).", file=sys.stderr)
        return EXIT_OK
    if not args.group:
        print("jeda: invite needs --group NAME (or --list, or --revoke CODE)", file=sys.stderr)
        return EXIT_ERROR
    group, codes = await groups.invite(args.group, args.count, args.expires_days)
    for code in codes:
        print(code)
    print(f"{len(codes)} single-use code(s) for {group.name!r}, valid {args.expires_days} "
          "days. A participant sends /start CODE to the bot.", file=sys.stderr)
    return EXIT_OK


async def role(access: Access, args: argparse.Namespace) -> int:
    """``jeda role grant|revoke ROLE USER_ID [--group G]`` and ``jeda role list``."""
    if args.role_command == "list":
        assignments = await access.assignments()
        if not assignments and not access.admin_ids:
            print("No roles yet. Give one with: jeda role grant facilitator ID --group G",
                  file=sys.stderr)
        for admin_id in sorted(access.admin_ids):
            print(f"admin\t{admin_id}\t-\tJEDA_ADMIN_IDS")
        for a in assignments:
            print(f"{a.role.value}\t{a.telegram_id}\t{a.group or '-'}\t"
                  f"{a.assigned_at.date().isoformat()}")
        return EXIT_OK
    wanted = Role(args.role)
    if args.role_command == "grant":
        await access.grant(args.user_id, wanted, args.group, by="cli")
        scope = f" for {args.group!r}" if args.group else ""
        print(f"{args.user_id} is now {wanted.value}{scope}.", file=sys.stderr)
        return EXIT_OK
    if not await access.revoke(args.user_id, wanted, args.group, by="cli"):
        print(f"jeda: {args.user_id} does not hold that role", file=sys.stderr)
        return EXIT_ERROR
    print(f"{args.user_id} is no longer {wanted.value}.", file=sys.stderr)
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
