"""Settings.from_env: every problem reported at once."""

from pathlib import Path

import pytest

from bot.config import DEFAULT_API_URL, ConfigError, Settings

TOKEN = "123456:" + "A" * 35


def test_defaults_with_only_a_token() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.token == TOKEN
    assert settings.api_url == DEFAULT_API_URL
    assert settings.data_dir == Path("data")
    assert settings.timezone == "Asia/Jakarta"
    assert settings.admin_ids == frozenset()
    assert settings.log_level == "INFO"


def test_every_variable_is_read(tmp_path: Path) -> None:
    settings = Settings.from_env({
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
        "JEDA_DATA_DIR": str(tmp_path / "d"),
        "JEDA_CONTENT_DIR": str(tmp_path),
        "JEDA_ADMIN_IDS": "11, 22",
        "JEDA_TIMEZONE": "Asia/Makassar",
        "JEDA_LOG_LEVEL": "debug",
    })
    assert settings.api_url == "http://127.0.0.1:8081"
    assert settings.admin_ids == frozenset({11, 22})
    assert settings.content_dir == tmp_path
    assert settings.timezone == "Asia/Makassar"
    assert settings.log_level == "DEBUG"


def test_all_problems_are_listed_together(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env({
            "TELEGRAM_API_URL": "ftp://x",
            "JEDA_CONTENT_DIR": str(tmp_path / "missing"),
            "JEDA_ADMIN_IDS": "12,abc",
            "JEDA_TIMEZONE": "Mars/Base",
            "JEDA_LOG_LEVEL": "LOUD",
        })
    problems = err.value.problems
    assert len(problems) == 6
    text = str(err.value)
    for word in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "JEDA_CONTENT_DIR", "JEDA_ADMIN_IDS",
                 "JEDA_TIMEZONE", "JEDA_LOG_LEVEL"):
        assert word in text


def test_malformed_token_is_rejected_without_echoing_it() -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "not-a-token-secret"})
    assert "not-a-token-secret" not in str(err.value)


def test_reminder_and_grace_minutes(tmp_path: Path) -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "JEDA_REMINDER_MINUTES": "90",
                                  "JEDA_EXPIRY_GRACE_MINUTES": "180"})
    assert (settings.reminder_minutes, settings.grace_minutes) == (90, 180)
    with pytest.raises(ConfigError) as err:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "JEDA_REMINDER_MINUTES": "2",
                           "JEDA_EXPIRY_GRACE_MINUTES": "-5"})
    assert len(err.value.problems) == 2


@pytest.mark.parametrize("given, zone", [("WITA", "Asia/Makassar"), ("wit", "Asia/Jayapura"),
                                         ("Asia/Jakarta", "Asia/Jakarta")])
def test_jeda_timezone_takes_what_the_cli_takes(given: str, zone: str) -> None:
    assert Settings.from_env({"JEDA_TIMEZONE": given}, require_token=False).timezone == zone


def test_start_retries() -> None:
    assert Settings.from_env({}, require_token=False).start_retries == 10
    assert Settings.from_env({"JEDA_START_RETRIES": "3"}, require_token=False).start_retries == 3
    for bad in ("0", "many", "-1"):
        with pytest.raises(ConfigError) as err:
            Settings.from_env({"JEDA_START_RETRIES": bad}, require_token=False)
        assert "JEDA_START_RETRIES must be a whole number of tries" in str(err.value)


def test_token_is_optional_when_not_required() -> None:
    assert Settings.from_env({}, require_token=False).token is None


def test_debug_logging_never_lets_ptb_log_messages() -> None:
    import logging

    from bot.config import configure_logging

    configure_logging("DEBUG")
    try:
        assert logging.getLogger().level == logging.DEBUG
        assert logging.getLogger("telegram").getEffectiveLevel() >= logging.INFO
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
    finally:
        logging.getLogger().setLevel(logging.WARNING)
