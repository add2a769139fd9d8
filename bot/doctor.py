"""``jeda doctor``: what an operator would otherwise find out the hard way, one line per
check, each problem with its fix. Reads only: it changes nothing (not even the modes it
finds wrong) and never prints the token.

Checks: the configuration, the token's shape and ``getMe`` (so the Bot API is reachable
and the token is the bot's), the data folder (exists, owned by whoever runs the bot,
0700 folders and 0600 files), free disk, the content, groups without a facilitator, and
participants whose files are quarantined.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.config import TOKEN_PATTERN, ConfigError, Settings
from bot.content import ContentError, default_content_dir, load_content

MIN_FREE_BYTES = 500 * 1024 * 1024  # a year of a group is tens of MB; backups more
TIMEOUT_S = 10


@dataclass(frozen=True, slots=True)
class Check:
    status: str  # "ok", "warn", "FAIL"
    name: str
    says: str
    fix: str = ""

    def line(self) -> str:
        return f"{self.status:<4}  {self.name:<13} {self.says}" + (
            f"\n      {'':<13} fix: {self.fix}" if self.fix else "")


def _token(settings: Settings, get: Callable[[str], Mapping[str, object]]) -> Iterator[Check]:
    token = settings.token
    if token is None:
        yield Check("FAIL", "token", "TELEGRAM_BOT_TOKEN is not set",
                    "get a token from @BotFather and put it in the environment file")
        return
    if not TOKEN_PATTERN.match(token):
        yield Check("FAIL", "token", "TELEGRAM_BOT_TOKEN does not look like a bot token",
                    "copy it again from @BotFather: digits, a colon, then letters")
        return
    yield Check("ok", "token", "looks like a bot token")
    try:
        answer = get(f"{settings.api_url}/bot{token}/getMe")
    except urllib.error.HTTPError as exc:
        what = "rejected the token (401)" if exc.code == 401 else f"answered {exc.code}"
        yield Check("FAIL", "bot api", f"{settings.api_url} {what}",
                    "check the token with @BotFather (/mybots -> API token)")
        return
    except (OSError, ValueError) as exc:
        yield Check("FAIL", "bot api", f"{settings.api_url} cannot be reached "
                    f"({type(exc).__name__})", "check the network, a proxy, or TELEGRAM_API_URL")
        return
    result = answer.get("result")
    name = result.get("username") if isinstance(result, dict) else None
    if answer.get("ok") is not True or not name:
        yield Check("FAIL", "bot api", "getMe did not answer as Telegram does",
                    "check TELEGRAM_API_URL")
        return
    yield Check("ok", "bot api", f"reachable; the token is @{name}'s")


def _get_json(url: str) -> Mapping[str, object]:
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as answer:  # noqa: S310 (http/s)
        data = json.loads(answer.read())
    return data if isinstance(data, dict) else {}


def _folder(root: Path) -> Iterator[Check]:
    if not root.is_dir():
        yield Check("warn", "data folder", f"{root} does not exist yet",
                    "it is made when the bot first starts; or set JEDA_DATA_DIR")
        return
    info = root.stat()
    if info.st_uid != os.getuid():
        yield Check("FAIL", "data folder", f"{root} belongs to uid {info.st_uid}, not to "
                    f"uid {os.getuid()} who runs this", f"sudo chown -R {os.getuid()} {root}")
    loose = [p for p in (root, *root.rglob("*"))
             if stat.S_IMODE(p.stat().st_mode) & 0o077]
    if loose:
        yield Check("FAIL", "data modes", f"{len(loose)} paths readable by others (e.g. "
                    f"{loose[0].relative_to(root) if loose[0] != root else root})",
                    f"chmod -R go= {root}")
    else:
        yield Check("ok", "data modes", "folders 0700, files 0600: the owner only")
    free = shutil.disk_usage(root).free
    status = "ok" if free >= MIN_FREE_BYTES else "FAIL"
    yield Check(status, "disk", f"{free / 1e9:.1f} GB free", "" if status == "ok" else
                "free some space: a full disk stops every write (old backups in backups/)")


def _content(settings: Settings) -> Iterator[Check]:
    folder = settings.content_dir or default_content_dir()
    try:
        content = load_content(folder)
    except ContentError as exc:
        yield Check("FAIL", "content", f"{folder} has problems: {str(exc).splitlines()[0]}",
                    f"jeda validate {folder} lists them all")
        return
    yield Check("ok", "content", f"valid, version {content.version}")


def _store(root: Path) -> Iterator[Check]:
    if not (root / "registry.json").exists():
        return
    from storage.tinydb_store import TinyDBStore

    store = TinyDBStore(root, fsync=False, prepare=False)  # no folder made, no mode changed
    lonely = [g.name for g in store.list_groups() if not g.facilitator_ids]
    yield Check("warn" if lonely else "ok", "facilitators",
                f"groups without a facilitator: {', '.join(lonely)} (their alerts go to "
                f"the admins)" if lonely else "every group has one",
                "jeda group set NAME --facilitator ID" if lonely else "")
    quarantined = store.quarantined_files()
    yield Check("FAIL" if quarantined else "ok", "quarantine",
                f"{len(quarantined)} unreadable files set aside: "
                f"{', '.join(q for _, q in quarantined[:3])}" if quarantined else
                "no file in quarantine",
                "README, 'Restoring': restore the file from a backup" if quarantined else "")


def checks(environ: Mapping[str, str],
           get: Callable[[str], Mapping[str, object]] = _get_json) -> list[Check]:
    try:
        settings = Settings.from_env(environ, require_token=False)
    except ConfigError as exc:
        return [Check("FAIL", "config", p, "fix the environment file") for p in exc.problems]
    return [*_token(settings, get), *_folder(settings.data_dir), *_content(settings),
            *_store(settings.data_dir)]


def doctor(environ: Mapping[str, str]) -> int:
    found = checks(environ)
    for check in found:
        print(check.line())
    failed = sum(c.status == "FAIL" for c in found)
    print(f"\n{failed} problem(s) to fix." if failed else "\nAll good.")
    return 1 if failed else 0
