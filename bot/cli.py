"""The ``jeda`` command line: run, demo, validate, group, invite, backup."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.config import ConfigError, Settings, configure_logging
from bot.content import load_content_or_report

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_INVALID, EXIT_CONFIG = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="jeda",
        description="Jeda: daily practice and stress check-ins between group sessions.",
        epilog="Example:\n  jeda demo\n  jeda run",
        formatter_class=fmt,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    sub.add_parser("run", help="run the bot on Telegram (long polling) until stopped",
                   epilog="Example:\n  TELEGRAM_BOT_TOKEN=123:ABC... jeda run",
                   formatter_class=fmt)

    demo = sub.add_parser("demo", help="talk to the bot in this terminal through the simulator",
                          epilog="Example:\n  jeda demo\n  jeda demo --data-dir /tmp/jeda-demo",
                          formatter_class=fmt)
    demo.add_argument("--data-dir", type=Path, help="keep the demo data here (default: temporary)")

    validate = sub.add_parser("validate", help="check the content folder and list every problem",
                              epilog="Example:\n  jeda validate\n  jeda validate ./my-content",
                              formatter_class=fmt)
    validate.add_argument("dir", nargs="?", type=Path, help="content folder (default: shipped)")

    group = sub.add_parser("group", help="create or list groups",
                           epilog="Example:\n  jeda group create Sejahtera --timezone Asia/Makassar"
                                  " --pre 2026-12-01 --sessions 2026-12-08,2026-12-15,"
                                  "2026-12-22,2026-12-29 --post 2027-01-05\n  jeda group list",
                           formatter_class=fmt)
    gsub = group.add_subparsers(dest="group_command", metavar="ACTION")
    gsub.required = True
    create = gsub.add_parser("create", help="create a group",
                             epilog="Example:\n  jeda group create Sejahtera --timezone WITA",
                             formatter_class=fmt)
    create.add_argument("name")
    create.add_argument("--timezone", help="IANA zone or WIB/WITA/WIT (default: JEDA_TIMEZONE)")
    create.add_argument("--pre", help="pre-assessment date, YYYY-MM-DD")
    create.add_argument("--sessions", help="the 4 session dates, comma-separated")
    create.add_argument("--post", help="post-assessment date, YYYY-MM-DD")
    create.add_argument("--facilitator", action="append", type=int, default=[],
                        help="Telegram user id of a facilitator (repeatable)")
    gsub.add_parser("list", help="list groups", epilog="Example:\n  jeda group list",
                    formatter_class=fmt)
    change = gsub.add_parser("set", help="change a group's dates, facilitators or summary time",
                             epilog="Example:\n  jeda group set Sejahtera --summary-day mon "
                                    "--summary-time 07:30\n  jeda group set Sejahtera "
                                    "--sessions 2026-12-08,2026-12-15,2026-12-22,2027-01-05",
                             formatter_class=fmt)
    change.add_argument("name")
    change.add_argument("--pre", help="pre-assessment date, YYYY-MM-DD")
    change.add_argument("--sessions", help="the 4 session dates, comma-separated")
    change.add_argument("--post", help="post-assessment date, YYYY-MM-DD")
    change.add_argument("--facilitator", action="append", type=int,
                        help="Telegram user id of a facilitator (repeatable; replaces the list)")
    change.add_argument("--summary-day", help="the weekly summary's day: mon ... sun")
    change.add_argument("--summary-time", help="the weekly summary's time, HH:MM")

    invite = sub.add_parser("invite", help="print single-use invite codes, one per line; "
                                            "list or revoke unused ones",
                            epilog="Example:\n  jeda invite --group Sejahtera --count 8\n"
                                   "  jeda invite --list --group Sejahtera\n"
                                   "  jeda invite --revoke K7QM-2XPA",
                            formatter_class=fmt)
    invite.add_argument("--group", help="the group (required to make codes)")
    invite.add_argument("--list", action="store_true", help="list the unused codes")
    invite.add_argument("--revoke", metavar="CODE", help="make an unused code unusable")
    invite.add_argument("--count", type=int, default=1)
    invite.add_argument("--expires-days", type=int, default=14)

    role = sub.add_parser("role", help="give, take back or list staff roles",
                          epilog="Example:\n  jeda role grant facilitator 22222222 --group "
                                 "Sejahtera\n  jeda role grant researcher 33333333\n"
                                 "  jeda role revoke researcher 33333333\n  jeda role list",
                          formatter_class=fmt)
    rsub = role.add_subparsers(dest="role_command", metavar="ACTION")
    rsub.required = True
    for action, what in (("grant", "give a role"), ("revoke", "take a role back")):
        change = rsub.add_parser(action, help=what, formatter_class=fmt,
                                 epilog=f"Example:\n  jeda role {action} facilitator 22222222 "
                                        "--group Sejahtera")
        change.add_argument("role", choices=["facilitator", "researcher", "admin"])
        change.add_argument("user_id", type=int, help="the person's Telegram user id")
        change.add_argument("--group", help="facilitator of this group only (default: all)")
    rsub.add_parser("list", help="list who holds which role", formatter_class=fmt,
                    epilog="Example:\n  jeda role list")

    weekly = sub.add_parser("summary", help="print a group's weekly summary (as facilitators "
                                            "get it in the chat)",
                            epilog="Example:\n  jeda summary --group Sejahtera\n"
                                   "  jeda summary --group Sejahtera --week 2026-W49 --lang en",
                            formatter_class=fmt)
    weekly.add_argument("--group", required=True)
    weekly.add_argument("--week", help="ISO week, e.g. 2026-W49 (default: this week)")
    weekly.add_argument("--lang", choices=["id", "en"], default="id")

    export = sub.add_parser(
        "export", help="write the pseudonymous research export (CSVs, codebook, datapackage)",
        epilog="Example:\n  jeda export --out export/\n  jeda export --out export/ --group "
               "Sejahtera --from 2026-11-20 --to 2026-12-31", formatter_class=fmt)
    export.add_argument("--out", type=Path, required=True, help="folder to write the files in")
    export.add_argument("--group", help="only this group (default: every group)")
    export.add_argument("--from", dest="start", help="first local day, YYYY-MM-DD")
    export.add_argument("--to", dest="end", help="last local day, YYYY-MM-DD")
    export.add_argument("--include-text", action="store_true",
                        help="include typed answers (free text may identify people)")

    report = sub.add_parser(
        "report", help="write a group's research report: one HTML file, charts inside",
        epilog="Example:\n  jeda report --group Sejahtera --out sejahtera.html\n"
               "  jeda report --group Sejahtera --out sejahtera.html --lang en",
        formatter_class=fmt)
    report.add_argument("--group", required=True)
    report.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    report.add_argument("--from", dest="start", help="first local day, YYYY-MM-DD")
    report.add_argument("--to", dest="end", help="last local day, YYYY-MM-DD")
    report.add_argument("--lang", choices=["id", "en"], default="id")

    shown = sub.add_parser(
        "preview", help="print what the bot will send for a group, day by day (sends nothing)",
        epilog="Example:\n  jeda preview --group Sejahtera\n  jeda preview --group Sejahtera "
               "--lang en | less", formatter_class=fmt)
    shown.add_argument("--group", required=True)
    shown.add_argument("--lang", choices=["id", "en"], default="id")

    sub.add_parser("doctor", help="check the installation: token, Bot API, data folder, "
                                  "disk, content, groups, quarantined files",
                   epilog="Example:\n  jeda doctor\n  systemd-run --uid=jeda -p "
                          "EnvironmentFile=/etc/jeda/env --pty --wait /opt/jeda/.venv/bin/jeda "
                          "doctor", formatter_class=fmt)

    backup = sub.add_parser("backup", help="write a consistent snapshot (tar.gz) of the data",
                            epilog="Example:\n  jeda backup --out /backups/jeda.tar.gz",
                            formatter_class=fmt)
    backup.add_argument("--out", type=Path, help="file to write (default: DATA/backups/...)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except BrokenPipeError:
        # The reader stopped early (``jeda invite ... | head -1``): what it read is out and
        # the command has done its work. Point stdout at /dev/null so exit stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    return code


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command
    if command == "doctor":  # reports a broken configuration instead of refusing it
        from bot.doctor import doctor

        return doctor(os.environ)
    try:
        settings = Settings.from_env(os.environ, require_token=command == "run")
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONFIG
    quiet = {"run": settings.log_level, "demo": "ERROR"}  # the demo's terminal is a chat
    configure_logging(quiet.get(command, "WARNING"))
    if command == "validate":
        return validate(args.dir or settings.content_dir)
    if command == "run":
        return run(settings)
    if command == "demo":
        from bot.demo import demo

        return demo(settings, args.data_dir)
    from bot import admin_cli

    return admin_cli.dispatch(args, settings)


def validate(content_dir: Path | None) -> int:
    """Check content; 0 when valid, 1 with every problem listed."""
    content = load_content_or_report(content_dir)
    if content is None:
        return EXIT_INVALID
    exercises = sum(len(m.exercises) for m in content.modules)
    print(f"Content is valid: {len(content.modules)} modules, {exercises} exercises, "
          f"{len(content.instruments)} questionnaires, version {content.version}.")
    for instrument in content.instruments:
        when = ", ".join(p.value for p in instrument.administer_at)
        if instrument.administrable:
            print(f"  questionnaire {instrument.id}: given at {when}")
        else:
            print(f"  questionnaire {instrument.id}: NOT given to participants: "
                  f"{instrument.not_administrable_reason}")
    return EXIT_OK


def run(settings: Settings) -> int:
    """Long-poll until SIGTERM or SIGINT, then stop cleanly."""
    content = load_content_or_report(settings.content_dir)
    if content is None:
        return EXIT_CONFIG
    return asyncio.run(_run(settings, content))


async def _run(settings: Settings, content: object) -> int:
    from bot.chat.app import StartError, build_application, serve
    from storage.aio import AsyncStore
    from storage.tinydb_store import TinyDBStore

    store = TinyDBStore(settings.data_dir)
    try:
        app = build_application(settings, content, AsyncStore(store))  # type: ignore[arg-type]
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        try:
            await serve(app, stop, start_tries=settings.start_retries)
        except StartError as exc:
            print(f"jeda: cannot start: {exc}", file=sys.stderr)
            return EXIT_CONFIG
    finally:
        store.close()
    logger.info("Jeda stopped at %s", datetime.now(UTC).isoformat(timespec="seconds"))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
