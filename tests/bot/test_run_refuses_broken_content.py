"""`jeda run` refuses to start on every case of the broken-content corpus, listing the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import cli
from tests.content.conftest import write_content
from tests.content.test_broken import CASES, Case

TOKEN = "123456:" + "A" * 35


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_run_refuses_broken_content(case: Case, tmp_path: Path, monkeypatch, capsys) -> None:
    folder = write_content(tmp_path / "content", case.changes)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("JEDA_CONTENT_DIR", str(folder))
    monkeypatch.setenv("JEDA_DATA_DIR", str(tmp_path / "data"))
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert case.file in err and "Traceback" not in err
    assert not (tmp_path / "data" / "registry.json").exists()
