"""Settings from the environment: the only module that reads it."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core import parsing

DEFAULT_API_URL = "https://api.telegram.org"
TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """One or more settings are missing or invalid; ``problems`` lists them all."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "Jeda cannot start; please fix the configuration:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot needs to know about its installation."""

    token: str | None
    api_url: str = DEFAULT_API_URL
    data_dir: Path = Path("data")
    content_dir: Path | None = None
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    timezone: str = "Asia/Jakarta"
    log_level: str = "INFO"
    backup_keep: int = 14
    reminder_minutes: int = 120
    grace_minutes: int = 0
    start_retries: int = 10

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, require_token: bool = True) -> Settings:
        """Read and validate every variable; raise ConfigError listing all problems."""
        problems: list[str] = []

        token = environ.get("TELEGRAM_BOT_TOKEN", "").strip() or None
        if token is None:
            if require_token:
                problems.append(
                    "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it"
                )
        elif not TOKEN_PATTERN.match(token):
            problems.append(
                "TELEGRAM_BOT_TOKEN does not look like a bot token (expected 123456:ABC...)"
            )

        api_url = environ.get("TELEGRAM_API_URL", "").strip().rstrip("/") or DEFAULT_API_URL
        parsed = urlparse(api_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            problems.append(f"TELEGRAM_API_URL must be an http(s) URL, got {api_url!r}")

        data_dir = Path(environ.get("JEDA_DATA_DIR", "").strip() or "data")
        if data_dir.exists() and not data_dir.is_dir():
            problems.append(f"JEDA_DATA_DIR {str(data_dir)!r} exists but is not a folder")

        content_raw = environ.get("JEDA_CONTENT_DIR", "").strip()
        content_dir = Path(content_raw) if content_raw else None
        if content_dir is not None and not content_dir.is_dir():
            problems.append(f"JEDA_CONTENT_DIR {content_raw!r} is not a folder")

        admin_ids: set[int] = set()
        for part in environ.get("JEDA_ADMIN_IDS", "").split(","):
            part = part.strip()
            if not part:
                continue
            if part.lstrip("-").isdigit():
                admin_ids.add(int(part))
            else:
                problems.append(
                    f"JEDA_ADMIN_IDS must be comma-separated Telegram user ids; {part!r} is not"
                )

        zone_raw = environ.get("JEDA_TIMEZONE", "").strip() or "Asia/Jakarta"
        timezone = parsing.parse_timezone(zone_raw) or zone_raw  # WITA as the CLI takes it
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                f"JEDA_TIMEZONE {zone_raw!r} is not a time zone (try WIB, WITA, WIT or an "
                "IANA name such as Asia/Jakarta)"
            )

        log_level = (environ.get("JEDA_LOG_LEVEL", "").strip() or "INFO").upper()
        if log_level not in LOG_LEVELS:
            problems.append(f"JEDA_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")

        keep_raw = environ.get("JEDA_BACKUP_KEEP", "").strip() or "14"
        backup_keep = int(keep_raw) if keep_raw.isdigit() else -1
        if backup_keep < 0:
            problems.append("JEDA_BACKUP_KEEP must be a whole number of daily backups to keep")

        reminder_minutes = _whole(environ, "JEDA_REMINDER_MINUTES", 120, 5, 12 * 60, problems)
        grace_minutes = _whole(environ, "JEDA_EXPIRY_GRACE_MINUTES", 0, 0, 6 * 60, problems)
        start_retries = _whole(environ, "JEDA_START_RETRIES", 10, 1, 1000, problems,
                               unit="tries")

        if problems:
            raise ConfigError(problems)
        return cls(
            token=token,
            api_url=api_url,
            data_dir=data_dir,
            content_dir=content_dir,
            admin_ids=frozenset(admin_ids),
            timezone=timezone,
            log_level=log_level,
            backup_keep=backup_keep,
            reminder_minutes=reminder_minutes,
            grace_minutes=grace_minutes,
            start_retries=start_retries,
        )


def _whole(environ: Mapping[str, str], name: str, default: int, low: int, high: int,
           problems: list[str], unit: str = "minutes") -> int:
    """Read a whole number within [low, high], or note a problem."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if raw.isdigit() and low <= int(raw) <= high:
        return int(raw)
    problems.append(f"{name} must be a whole number of {unit} from {low} to {high}")
    return default


def configure_logging(level: str) -> None:
    """Set up logging once; keep the token (in httpx URLs) and scheduler chatter out."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger().setLevel(getattr(logging, level, logging.INFO))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # At DEBUG, PTB logs every request and response: message texts, scores, Telegram ids.
    # Those never belong in a log, whatever JEDA_LOG_LEVEL says.
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLogger().level))
