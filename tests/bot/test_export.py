"""The research export through ``jeda export``: files that open as they are (pandas with the
codebook's types, Frictionless validation), pseudonymous, stable, and figures that match
the core's statistics."""

from __future__ import annotations

import csv
import io
import json
import stat
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
import pytest

from bot import cli, research
from bot.core import casestats
from bot.core.dataset import DESCRIBING, TABLES
from bot.core.identity import pseudonym
from bot.core.models import (
    Consent,
    DeliveryStatus,
    ExerciseRun,
    Group,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
    QuestionnairePhase,
    QuestionnaireResponse,
    Rating,
    RatingKind,
)
from storage.tinydb_store import TinyDBStore

SESSIONS = (date(2026, 11, 27), date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 18))
GROUP = Group("Harapan", "Asia/Jakarta", datetime(2026, 11, 1, tzinfo=UTC),
              pre_date=date(2026, 11, 20), session_dates=SESSIONS, post_date=date(2026, 12, 25))
TELEGRAM_IDS = (735_194_201, 735_194_202, 735_194_203, 735_194_204)
BASELINE = [6, 7, 6, 8, 7, 6, 7]  # 20-26 Nov
MODULE_1 = [6, 5, 5, 4, 5, 4, 3]  # 27 Nov - 3 Dec
PSS_PRE = (3, 3, 3, 1, 1, 3, 1, 1, 3, 3)  # 18 + reversed 4,5,7,8 (1 -> 3): total 30
PSS_POST = (1, 1, 1, 3, 3, 1, 3, 3, 1, 1)  # total 6+4 = 10 -> RC (10-30)/S_diff


def at(day: date, hour: int = 20) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=7)


def person(secret: bytes, n: int, **kw: object) -> Participant:
    base = dict(pid=pseudonym(secret, TELEGRAM_IDS[n]), telegram_id=TELEGRAM_IDS[n],
                chat_id=TELEGRAM_IDS[n], group="Harapan", created_at=at(date(2026, 11, 19)),
                prompt_time=time(19, 30), status=ParticipantStatus.ACTIVE,
                onboarding_step=OnboardingStep.DONE,
                consent=Consent(True, at(date(2026, 11, 19)), "cv1"),
                active_since=at(date(2026, 11, 19)), share_flags=True)
    base.update(kw)
    return Participant(**base)  # type: ignore[arg-type]


def seed(data: Path) -> TinyDBStore:
    store = TinyDBStore(data)
    secret = store.secret_key()
    store.add_group(GROUP)
    sari = person(secret, 0)
    store.save_participant(sari)
    store.save_participant(person(secret, 1, status=ParticipantStatus.DECLINED,
                                  consent=Consent(False, at(date(2026, 11, 19)), "cv1")))
    store.save_participant(person(secret, 2, status=ParticipantStatus.ONBOARDING,
                                  consent=None))
    gone = person(secret, 3, status=ParticipantStatus.WITHDRAWN, consent=Consent(
        True, at(date(2026, 11, 19)), "cv1", withdrawn_at=at(date(2026, 12, 1)),
        keep_data=True))
    store.save_participant(gone)
    start = date(2026, 11, 20)
    for k, value in enumerate(BASELINE + MODULE_1):
        day = start + timedelta(days=k)
        prompt = Prompt(sari.pid, PromptKind.DAILY_RATING, day, at(day, 19), "cv1",
                        sent_at=at(day, 19), answered_at=at(day, 20),
                        delivery=DeliveryStatus.SENT, attempts=1)
        store.add_rating(Rating(sari.pid, day, value, RatingKind.PROMPTED, at(day, 20), "cv1"),
                         prompt)
    missed = date(2026, 12, 4)  # module 2: asked, never answered
    store.save_prompt(Prompt(sari.pid, PromptKind.DAILY_RATING, missed, at(missed, 19), "cv1",
                             sent_at=at(missed, 19), delivery=DeliveryStatus.SENT,
                             expired_at=at(missed + timedelta(days=1), 12)))
    failed = date(2026, 12, 5)  # module 2: never reached Telegram, so not asked
    store.save_prompt(Prompt(sari.pid, PromptKind.DAILY_RATING, failed, at(failed, 19), "cv1",
                             delivery=DeliveryStatus.FAILED, attempts=5))
    store.save_exercise_run(ExerciseRun(
        sari.pid, "ab12cd34", "thought-record", "anxious-thoughts", at(date(2026, 11, 28)),
        "cv1", completed_at=at(date(2026, 11, 28), 21), before=7, after=4,
        data={"situation": "Sari dimarahi kepala panti", "belief": 80}, kind="thought_record"))
    for phase, answers, day in ((QuestionnairePhase.PRE, PSS_PRE, date(2026, 11, 20)),
                                (QuestionnairePhase.POST, PSS_POST, date(2026, 12, 25))):
        store.save_questionnaire_response(QuestionnaireResponse(
            sari.pid, "pss10", phase, answers, at(day, 21), "cv1", occasion=phase.value,
            started_at=at(day, 20), position=10))
    store.add_rating(Rating(gone.pid, start, 5, RatingKind.SELF_INITIATED, at(start), "cv1"))
    return store


@pytest.fixture
def exported(tmp_path: Path, monkeypatch) -> Path:  # noqa: ANN001
    data = tmp_path / "data"
    seed(data).close()
    monkeypatch.setenv("JEDA_DATA_DIR", str(data))
    monkeypatch.delenv("JEDA_CONTENT_DIR", raising=False)
    out = tmp_path / "export"
    assert cli.main(["export", "--out", str(out)]) == 0
    return out


def read(out: Path, table: str) -> list[dict[str, str]]:
    with (out / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_file_is_there_with_its_header_and_0600(exported: Path) -> None:
    names = {p.name for p in exported.iterdir()}
    assert names == {t.file for t in TABLES} | {"codebook.csv", "items.csv", "codebook.md",
                                                "datapackage.json", "README.txt"}
    for path in exported.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for table in TABLES:
        with (exported / table.file).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == table.header
        assert all(len(row) == len(table.header) for row in rows[1:]), table.name


def test_only_consenting_participants_under_a_keyed_pseudonym(exported: Path) -> None:
    people = read(exported, "participants")
    assert sorted(p["status"] for p in people) == ["active", "withdrawn"]
    everything = b"".join(p.read_bytes() for p in exported.iterdir())
    for ident in TELEGRAM_IDS:
        assert str(ident).encode() not in everything
    store = TinyDBStore(exported.parent / "data")
    for participant in store.list_participants():
        assert participant.pid.encode() not in everything  # not even the bot's pseudonym
    assert b"Sari" not in everything  # the typed answer: not without --include-text
    answers = read(exported, "exercise_answers")
    assert [(a["field"], a["value_number"], a["value_text"]) for a in answers] == [
        ("belief", "80.0", "")]


def test_it_loads_in_pandas_with_the_codebooks_types(exported: Path) -> None:
    book = pd.read_csv(exported / "codebook.csv", keep_default_na=False)
    kinds = {"integer": "Int64", "number": "float64", "string": "string",
             "boolean": "boolean", "date": "string", "datetime": "string"}
    for table in (*TABLES, *DESCRIBING):
        columns = book[book["file"] == table.file]
        assert list(columns["column"]) == list(table.header)
        dtypes = dict(zip(columns["column"], (kinds[t] for t in columns["type"]), strict=True))
        frame = pd.read_csv(exported / table.file, dtype=dtypes, keep_default_na=False,
                            na_values=[""], true_values=["true"], false_values=["false"])
        for name, kind in zip(columns["column"], columns["type"], strict=True):
            if kind in ("date", "datetime"):
                pd.to_datetime(frame[name].dropna(), format="ISO8601")
    assert set(book["file"]) == {t.file for t in (*TABLES, *DESCRIBING)}  # nothing else
    items = pd.read_csv(exported / "items.csv", keep_default_na=False)
    assert len(items) == 14 and bool(items.iloc[3]["reverse"])  # PSS-10 and weekly 4
    ratings = pd.read_csv(exported / "ratings.csv")
    assert ratings["value"].between(0, 10).all()


def test_it_validates_as_a_frictionless_package(exported: Path) -> None:
    from frictionless import Package

    package = json.loads((exported / "datapackage.json").read_text())
    assert [r["path"] for r in package["resources"]] == [
        t.file for t in (*TABLES, *DESCRIBING)]
    report = Package(str(exported / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_analysis_equals_the_core_statistics(exported: Path) -> None:
    rows = [r for r in read(exported, "analysis") if r["row_type"] == "phase"
            and r["group"] == "Harapan"]
    sari = {r["phase"]: r for r in rows if r["n"] and int(r["n"]) > 1}
    base, one = sari["baseline"], sari["module_1"]
    assert (base["n"], one["n"]) == ("7", "7")
    assert float(one["mean"]) == pytest.approx(sum(MODULE_1) / 7)
    assert float(one["nap"]) == pytest.approx(casestats.nap(BASELINE, MODULE_1))
    assert float(one["tau_u"]) == pytest.approx(casestats.tau_u(BASELINE, MODULE_1))
    fit = casestats.trend(list(range(7)), MODULE_1)
    assert fit is not None and float(one["slope"]) == pytest.approx(fit.slope)
    assert base["nap"] == "" and one["adherence"] == "1.0"
    assert (one["practice_runs"], one["practice_days"], base["practice_runs"]) == ("1", "1", "0")
    two = next(r for r in rows if r["phase"] == "module_2")
    assert (two["days_due"], two["days_rated"], two["adherence"]) == ("1", "0", "0.0")
    (rci,) = [r for r in read(exported, "analysis") if r["row_type"] == "rci"]
    change = casestats.reliable_change(30, 10, 6.2, 0.78)
    assert (rci["pre"], rci["post"]) == ("30.0", "10.0")
    assert float(rci["rci"]) == pytest.approx(change.rc)
    assert rci["rci_class"] == "improved"
    scores = {(s["phase"], s["scale"]): s["score"] for s in read(exported, "scores")}
    assert scores[("pre", "total")] == "30.0" and scores[("post", "self_efficacy")] == "4.0"
    items = read(exported, "questionnaires")
    assert len(items) == 20 and items[3]["value"] == "1" and items[3]["scored"] == "3"


def test_the_same_data_gives_the_same_bytes_and_filters_work(exported: Path,
                                                             tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert cli.main(["export", "--out", str(again)]) == 0
    for path in exported.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
    window = tmp_path / "window"
    assert cli.main(["export", "--out", str(window), "--group", "Harapan", "--from",
                     "2026-11-27", "--to", "2026-11-30", "--include-text"]) == 0
    days = {r["local_date"] for r in read(window, "ratings")}
    assert days == {"2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"}
    texts = [a["value_text"] for a in read(window, "exercise_answers")]
    assert "Sari dimarahi kepala panti" in texts
    lower = tmp_path / "lower"  # the group as typed in another case: the same group
    assert cli.main(["export", "--out", str(lower), "--group", "harapan"]) == 0
    assert (lower / "ratings.csv").read_bytes() == (exported / "ratings.csv").read_bytes()
    store = TinyDBStore(tmp_path / "data")
    audit = [e for e in store.read_audit() if e.kind == "export"]
    assert len(audit) == 4 and audit[-2].actor.startswith("cli:")
    assert audit[-1].data["group"] == "Harapan" and audit[-1].data["participants"] == 2
    assert audit[-2].data["include_text"] is True and audit[-2].data["rows"] > 0


def test_worker_processes_give_the_same_bytes(exported: Path, tmp_path: Path,
                                             monkeypatch) -> None:  # noqa: ANN001
    """A large export reads and formats in worker processes, a chunk each: forced here
    for two people, one per chunk, the files are byte for byte the ones made here."""
    from bot.services import fanout

    monkeypatch.setattr(fanout, "PARALLEL_FROM", 1)
    monkeypatch.setattr(fanout, "CHUNK", 1)
    spread = tmp_path / "spread"
    assert cli.main(["export", "--out", str(spread)]) == 0
    for path in exported.iterdir():
        assert (spread / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize(("argv", "message"), [
    (["--from", "soon"], "like 2026-11-20"), (["--group", "Nope"], "no group 'Nope'")])
def test_bad_export_arguments_get_a_clean_message(exported: Path, tmp_path: Path, capsys,
                                                  argv: list[str], message: str) -> None:
    capsys.readouterr()
    assert cli.main(["export", "--out", str(tmp_path / "x"), *argv]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_a_cli_user_without_a_login_name_is_audited_by_uid(monkeypatch) -> None:  # noqa: ANN001
    import getpass
    import os

    from bot import research_cli

    def nameless() -> str:
        raise KeyError("getpwuid(): uid not found")

    monkeypatch.setattr(getpass, "getuser", nameless)
    assert research_cli.cli_user() == f"cli:uid{os.getuid()}"


def test_the_zip_holds_the_same_files(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n")
    (tmp_path / "b.md").write_text("# b\n")
    data = research.zipped(tmp_path)
    assert data == research.zipped(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["jeda-export/a.csv", "jeda-export/b.md"]
        assert archive.read("jeda-export/a.csv") == b"x\n1\n"
