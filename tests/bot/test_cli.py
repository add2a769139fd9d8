"""The jeda command line: help, README coverage, config errors, groups and invites."""

from __future__ import annotations

import argparse
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def _subcommands() -> list[list[str]]:
    parser = cli.build_parser()
    found: list[list[str]] = []

    def walk(p: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(parser, [])
    return found


@pytest.mark.parametrize("words", _subcommands(), ids=" ".join)
def test_every_subcommand_has_help_with_an_example(words: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main([*words, "--help"])
    assert done.value.code == 0
    assert "Example:" in capsys.readouterr().out


@pytest.mark.parametrize("words", _subcommands(), ids=" ".join)
def test_every_subcommand_is_in_the_readme(words: list[str]) -> None:
    assert f"jeda {' '.join(words)}" in README.read_text(encoding="utf-8")


def test_readme_quick_start_has_exactly_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert [c for c in commands if c] == ["make demo", "make test"]


def test_run_with_bad_configuration_lists_every_problem_and_exits_2(monkeypatch, capsys) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "JEDA_CONTENT_DIR", "JEDA_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JEDA_TIMEZONE", "Nowhere/Land")
    monkeypatch.setenv("JEDA_ADMIN_IDS", "x")
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN" in err and "JEDA_TIMEZONE" in err and "JEDA_ADMIN_IDS" in err
    assert "Traceback" not in err


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("JEDA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("JEDA_CONTENT_DIR", raising=False)
    return tmp_path / "data"


def _calendar(start: date) -> list[str]:
    """--pre, --sessions, --post for a programme starting at ``start``, a week apart."""
    days = [(start + timedelta(weeks=k)).isoformat() for k in range(6)]
    return ["--pre", days[0], "--sessions", ",".join(days[1:5]), "--post", days[5]]


def test_group_create_list_and_invite(data_env: Path, capsys) -> None:
    assert cli.main(["group", "create", "Sejahtera", "--timezone", "WITA",
                     *_calendar(date.today())]) == 0
    assert "Created group" in capsys.readouterr().err  # a message: stderr, not data
    assert cli.main(["group", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Sejahtera" in listed and "Asia/Makassar" in listed
    assert cli.main(["invite", "--group", "Sejahtera", "--count", "3"]) == 0
    out = capsys.readouterr()
    codes = out.out.split()
    assert len(codes) == 3 and len(set(codes)) == 3
    assert all(re.fullmatch(r"[A-Z0-9-]{8,20}", c) for c in codes)
    # only hashes are stored
    registry = (data_env / "registry.json").read_text(encoding="utf-8")
    assert not any(code in registry for code in codes)


@pytest.mark.parametrize("argv, message", [
    (["group", "create", "Bad/Name"], "name"),
    (["group", "create", "G", "--timezone", "Mars"], "time zone"),
    (["group", "create", "G", "--sessions", "2026-12-08,2026-12-01,2026-12-22,2026-12-29"],
     "forward"),
    (["group", "create", "G", "--sessions", "2026-12-08"], "4 session"),
    (["group", "create", "G", "--pre", "tomorrow"], "date"),
    (["invite", "--group", "Nope"], "no group"),
    (["group", "create", "G", "--facilitator", "-5"], "-5 is not a Telegram user id"),
    (["group", "create", "G", "--post", "2020-01-01"], "has passed"),
    (["group", "create", "G", "--pre", "2030-01-08", "--post", "2030-01-01"], "forward"),
    (["invite", "--group", "G0", "--count", "999"], "between 1 and 200"),
])
def test_bad_admin_input_gets_a_clean_message(data_env: Path, capsys, argv, message) -> None:
    assert cli.main(["group", "create", "G0"]) == 0
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert "group_problem" not in err  # rendered, not a bare locale key
    assert cli.main(["group", "list"]) == 0
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["G0"]


def test_duplicate_group_is_refused_whatever_its_case(data_env: Path, capsys) -> None:
    assert cli.main(["group", "create", "Sejahtera"]) == 0
    assert cli.main(["group", "create", "sejahtera"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert cli.main(["invite", "--group", "SEJAHTERA"]) == 0  # found whatever the case
    assert len(capsys.readouterr().out.split()) == 1


def test_jeda_timezone_takes_the_names_people_use(data_env: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("JEDA_TIMEZONE", "WITA")
    assert cli.main(["group", "create", "G"]) == 0
    assert cli.main(["group", "list"]) == 0
    assert "Asia/Makassar" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["invite", "--group", "G", "--count", "200"], ["group", "list"]])
def test_output_into_a_closed_pipe_ends_quietly(data_env: Path, argv: list[str]) -> None:
    """``jeda ... | head -1``: the reader is gone before the output is written."""
    import os
    import subprocess
    import sys

    assert cli.main(["group", "create", "G"]) == 0
    read_end, write_end = os.pipe()
    os.close(read_end)  # like head after its first line: every write now fails with EPIPE
    try:
        done = subprocess.run([sys.executable, "-m", "bot", *argv], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=60,
                              env={**os.environ, "JEDA_DATA_DIR": str(data_env)},
                              cwd=README.parent)
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert done.returncode == 0


def test_backup_refuses_a_missing_folder_and_an_existing_file(
    data_env: Path, tmp_path: Path, capsys,
) -> None:
    assert cli.main(["group", "create", "G"]) == 0
    capsys.readouterr()
    assert cli.main(["backup", "--out", str(tmp_path / "nowhere" / "b.tar.gz")]) == 1
    assert "no folder" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()
    existing = tmp_path / "old.tar.gz"
    existing.write_bytes(b"yesterday's backup")
    assert cli.main(["backup", "--out", str(existing)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert existing.read_bytes() == b"yesterday's backup"


def test_validate_shipped_content(capsys) -> None:
    assert cli.main(["validate"]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_broken_content_exits_1_with_the_list(tmp_path: Path, capsys) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "x.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    assert cli.main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "x.yaml" in err and "Traceback" not in err


def test_backup_writes_a_snapshot_that_restores(data_env: Path, tmp_path: Path, capsys) -> None:
    import tarfile

    assert cli.main(["group", "create", "G"]) == 0
    assert cli.main(["invite", "--group", "G"]) == 0
    capsys.readouterr()
    out = tmp_path / "snap.tar.gz"
    assert cli.main(["backup", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    with tarfile.open(out) as tar:
        names = tar.getnames()
        tar.extractall(tmp_path / "restored", filter="data")
    assert "registry.json" in names and "secret.key" in names
    assert not any(n.endswith(".lock") for n in names)
    from storage.tinydb_store import TinyDBStore

    assert [g.name for g in TinyDBStore(tmp_path / "restored").list_groups()] == ["G"]


def test_backup_without_data_is_a_clean_error(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("JEDA_DATA_DIR", str(tmp_path / "nothing-here"))
    assert cli.main(["backup"]) == 1
    assert "no data folder" in capsys.readouterr().err


def test_roles_are_granted_listed_and_revoked(data_env: Path, capsys) -> None:
    assert cli.main(["group", "create", "Sejahtera"]) == 0
    assert cli.main(["role", "grant", "facilitator", "222", "--group", "sejahtera"]) == 0
    assert cli.main(["role", "grant", "researcher", "987654333"]) == 0
    capsys.readouterr()
    assert cli.main(["role", "list"]) == 0
    rows = [line.split("\t")[:3] for line in capsys.readouterr().out.splitlines()]
    assert rows == [["facilitator", "222", "Sejahtera"], ["researcher", "987654333", "-"]]
    assert cli.main(["role", "revoke", "researcher", "987654333"]) == 0
    assert cli.main(["role", "revoke", "researcher", "987654333"]) == 1
    assert "does not hold" in capsys.readouterr().err
    kinds = [e for e in (data_env / "audit.jsonl").read_text().splitlines() if "role_" in e]
    assert len(kinds) == 3 and "987654333" not in "".join(kinds)  # pseudonymous


@pytest.mark.parametrize("argv, message", [
    (["role", "grant", "facilitator", "222", "--group", "Nope"], "no group called Nope"),
    (["role", "grant", "researcher", "333", "--group", "G"], "for every group"),
    (["role", "grant", "admin", "-4"], "not a Telegram user id"),
])
def test_bad_role_changes_are_refused(data_env: Path, capsys, argv, message) -> None:
    assert cli.main(["group", "create", "G"]) == 0
    assert cli.main(argv) == 1
    assert message in capsys.readouterr().err


def test_summary_prints_what_facilitators_get(data_env: Path, capsys) -> None:
    assert cli.main(["group", "create", "Sejahtera", *_calendar(date.today())]) == 0
    capsys.readouterr()
    assert cli.main(["summary", "--group", "sejahtera", "--week", "2026-W49", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Weekly summary · Sejahtera · 2026-W49 (30 November 2026")
    assert "No participants in this group yet." in out
    assert cli.main(["summary", "--group", "Sejahtera"]) == 0
    assert "Ringkasan mingguan · Sejahtera" in capsys.readouterr().out
    assert cli.main(["summary", "--group", "Sejahtera", "--week", "soon"]) == 1
    assert "like 2026-W49" in capsys.readouterr().err
    assert cli.main(["summary", "--group", "Nope"]) == 1
    assert "no group 'Nope'" in capsys.readouterr().err


def test_group_set_changes_what_is_given_and_checks_it(data_env: Path, capsys) -> None:
    from storage.tinydb_store import TinyDBStore

    assert cli.main(["group", "create", "Sejahtera", *_calendar(date.today())]) == 0
    before = TinyDBStore(data_env).get_group("Sejahtera")
    assert cli.main(["group", "set", "sejahtera", "--summary-day", "wed", "--summary-time",
                     "17.30", "--facilitator", "44"]) == 0
    assert "summary wed 17:30" in capsys.readouterr().err
    after = TinyDBStore(data_env).get_group("Sejahtera")
    assert (after.summary_day, after.summary_time.isoformat(), after.facilitator_ids) == (
        2, "17:30:00", (44,))
    assert after.session_dates == before.session_dates  # not given: unchanged
    assert cli.main(["group", "set", "Sejahtera", "--summary-day", "someday"]) == 1
    assert "mon, tue" in capsys.readouterr().err
    later = (date.today() + timedelta(days=70)).isoformat()
    assert cli.main(["group", "set", "Sejahtera", "--pre", later]) == 1
    assert "forward" in capsys.readouterr().err
    assert cli.main(["group", "set", "Nope", "--summary-time", "08:00"]) == 1
    assert "no group called Nope" in capsys.readouterr().err
    events = [e for e in TinyDBStore(data_env).read_audit() if e.kind == "group_changed"]
    assert [e.data["fields"] for e in events] == [
        ["facilitator_ids", "summary_day", "summary_time"]]


def test_unused_invites_are_listed_and_revoked(data_env: Path, capsys) -> None:
    assert cli.main(["group", "create", "Sejahtera", *_calendar(date.today())]) == 0
    assert cli.main(["invite", "--group", "Sejahtera", "--count", "2"]) == 0
    first, second = capsys.readouterr().out.split()
    assert cli.main(["invite", "--list"]) == 0
    out = capsys.readouterr()
    assert out.out.count("Sejahtera\t") == 2 and first not in out.out  # hashes, not codes
    assert cli.main(["invite", "--revoke", first.lower()]) == 0  # typed as people type it
    assert "Revoked one code" in capsys.readouterr().err
    assert cli.main(["invite", "--list", "--group", "Sejahtera"]) == 0
    assert capsys.readouterr().out.count("Sejahtera\t") == 1
    assert cli.main(["invite", "--revoke", first]) == 1  # not twice
    assert "no unused code" in capsys.readouterr().err
    assert cli.main(["invite"]) == 1
    assert "needs --group" in capsys.readouterr().err
