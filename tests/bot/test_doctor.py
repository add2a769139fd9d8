"""``jeda doctor``: one line per check, each problem with its fix; getMe over real HTTP
against the simulator; it changes nothing and never prints the token."""

from __future__ import annotations

import asyncio
import os
import stat
import urllib.error
from collections.abc import Mapping
from pathlib import Path

import pytest

from bot import cli, doctor
from bot.simulator import BotAPISimulator, Limits
from tests.bot.test_export import seed

TOKEN = "123456:" + "A" * 35


def env(data: Path, **extra: str) -> dict[str, str]:
    return {"TELEGRAM_BOT_TOKEN": TOKEN, "JEDA_DATA_DIR": str(data), **extra}


def by_name(found: list[doctor.Check]) -> dict[str, doctor.Check]:
    return {c.name: c for c in found}


def modes(root: Path) -> dict[Path, int]:
    return {p: stat.S_IMODE(p.stat().st_mode) for p in (root, *root.rglob("*"))}


async def test_a_healthy_installation(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed(data).close()
    async with BotAPISimulator(limits=Limits.unlimited()) as sim:
        found = await asyncio.to_thread(doctor.checks, env(data, TELEGRAM_API_URL=sim.url))
    checks = by_name(found)
    assert checks["token"].status == checks["bot api"].status == "ok"
    assert "@JedaBot" in checks["bot api"].says
    assert checks["data modes"].status == checks["disk"].status == "ok"
    assert checks["content"].status == checks["quarantine"].status == "ok"
    # the seeded group has nobody to hear its alerts: said, with the command that fixes it
    assert checks["facilitators"].status == "warn" and "Harapan" in checks["facilitators"].says
    assert "jeda group set" in checks["facilitators"].fix
    assert not any(c.status == "FAIL" for c in found)


def test_every_problem_is_named_with_its_fix_and_nothing_is_changed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed(data).close()
    os.chmod(data, 0o755)
    (data / "participants" / "Pbroken.json.corrupt-20261201T000000000000Z").write_text("{")
    os.chmod(data / "registry.json", 0o644)
    before = modes(data)
    found = doctor.checks(env(data, TELEGRAM_API_URL="http://127.0.0.1:9"))
    assert modes(data) == before  # a check, not a repair
    checks = by_name(found)
    assert checks["bot api"].status == "FAIL" and "cannot be reached" in checks["bot api"].says
    assert checks["data modes"].status == "FAIL" and "chmod -R go=" in checks["data modes"].fix
    assert checks["quarantine"].status == "FAIL" and "Pbroken" in checks["quarantine"].says
    text = "\n".join(c.line() for c in found)
    assert TOKEN not in text and TOKEN.split(":")[1] not in text


def test_a_rejected_token_and_a_broken_configuration(tmp_path: Path) -> None:
    def refuses(url: str) -> Mapping[str, object]:
        raise urllib.error.HTTPError(url, 401, "Unauthorized", {}, None)  # type: ignore[arg-type]

    checks = by_name(doctor.checks(env(tmp_path / "none"), refuses))
    assert checks["bot api"].status == "FAIL" and "401" in checks["bot api"].says
    assert "@BotFather" in checks["bot api"].fix
    assert checks["data folder"].status == "warn"  # not made yet: the first start makes it
    assert not (tmp_path / "none").exists()
    broken = doctor.checks({"TELEGRAM_BOT_TOKEN": "nope", "JEDA_ADMIN_IDS": "abc"})
    assert {c.name for c in broken} == {"config"} and len(broken) == 2
    assert all(c.status == "FAIL" for c in broken)


def test_the_command_exits_1_on_a_problem(tmp_path: Path, monkeypatch,  # noqa: ANN001
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not-a-token")
    monkeypatch.setenv("JEDA_DATA_DIR", str(tmp_path / "data"))
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  config" in out and "problem(s) to fix" in out and "not-a-token" not in out


def test_the_systemd_unit_runs_the_bot_as_the_readme_says() -> None:
    import configparser

    root = Path(__file__).resolve().parents[2]
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(root / "deploy" / "jeda.service")
    service = unit["Service"]
    assert service["ExecStart"].endswith("jeda run")
    assert service["Restart"] == "on-failure" and service["UMask"] == "0077"
    assert service["RestartPreventExitStatus"] == str(cli.EXIT_CONFIG)
    example = dict(line.split("=", 1) for line in (root / "deploy" / "jeda.env.example")
                   .read_text().splitlines() if line and not line.startswith("#"))
    assert service["ReadWritePaths"] == example["JEDA_DATA_DIR"]
    assert service["EnvironmentFile"] == "/etc/jeda/env"
    assert set(example) <= {"TELEGRAM_BOT_TOKEN", "JEDA_ADMIN_IDS", "JEDA_DATA_DIR",
                            "JEDA_TIMEZONE", "JEDA_LOG_LEVEL", "JEDA_BACKUP_KEEP"}
    readme = (root / "README.md").read_text()
    assert "deploy/jeda.service" in readme and "jeda doctor" in readme
