"""The content shipped in content/: valid, complete in both languages, phone-sized, fast."""

from __future__ import annotations

import dataclasses
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.content import (
    Builder,
    Content,
    ExerciseKind,
    InputType,
    PacedBreathing,
    Priority,
    Reminder,
    Text,
    ThoughtRecord,
    default_content_dir,
    load_content,
)
from bot.core.models import Language, QuestionnairePhase
from bot.stemmer import safety_matcher


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(default_content_dir())


def texts(value: object, where: str = "") -> Iterator[tuple[str, Text]]:
    """Every Text inside a dataclass tree, with a readable location."""
    if isinstance(value, Text):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if not f.name.startswith("_"):
                yield from texts(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from texts(item, f"{where}[{index}]")


def test_shipped_content_loads_quickly() -> None:
    started = time.perf_counter()
    content = load_content(default_content_dir())
    assert time.perf_counter() - started < 1.0
    assert re.fullmatch(r"[0-9a-f]{12}", content.version)


def test_one_module_per_session(content: Content) -> None:
    assert [(m.session, m.id) for m in content.modules] == [
        (1, "relaxation"), (2, "assertiveness"), (3, "priorities"), (4, "anxious-thoughts")]
    assert content.modules_for_session(2)[0].id == "assertiveness"
    assert [m.id for m in content.modules_up_to(2)] == ["relaxation", "assertiveness"]


def test_every_text_has_both_languages(content: Content) -> None:
    trees: list[object] = [*content.modules, content.safety]
    trees += [i for i in content.instruments if i.administrable]
    for tree in trees:
        for where, text in texts(tree):
            assert text.id and text.en, f"{getattr(tree, 'id', 'safety')}{where}"
            assert text.get(Language.ID) == text.id and text.get("en") == text.en


def test_every_exercise_text_fits_a_phone_screen(content: Content) -> None:
    for module in content.modules:
        for where, text in texts(module):
            for lang in ("id", "en"):
                assert len(text.get(lang)) < 500, f"{module.id}{where}.{lang}"


def test_every_kind_is_shipped_and_has_its_body(content: Content) -> None:
    kinds = {e.kind for e in content.exercises.values()}
    assert kinds == set(ExerciseKind)
    bodies = {ExerciseKind.PACED_BREATHING: PacedBreathing, ExerciseKind.BUILDER: Builder,
              ExerciseKind.PRIORITY: Priority, ExerciseKind.THOUGHT_RECORD: ThoughtRecord,
              ExerciseKind.REMINDER: Reminder}
    for exercise in content.exercises.values():
        if exercise.kind is ExerciseKind.STEPS:
            assert exercise.body is None and exercise.steps
        elif exercise.kind in bodies:
            assert isinstance(exercise.body, bodies[exercise.kind])
        assert exercise.timed_seconds <= exercise.duration_minutes * 60
        assert exercise.module_id == content.module_of(exercise.id).id


def test_abdominal_breathing_is_paced(content: Content) -> None:
    exercise = content.exercise("abdominal-breathing")
    assert isinstance(exercise.body, PacedBreathing)
    timings = exercise.body.timings
    assert (timings.inhale_seconds, timings.hold_seconds, timings.exhale_seconds) == (4, 2, 6)
    assert timings.cycles == 10 and exercise.body.hold is not None
    assert exercise.frequency.times_per_day == 2 and exercise.rate_before_after


def test_short_pmr_tenses_four_groups_then_releases(content: Content) -> None:
    steps = content.exercise("pmr-short").steps
    tense = [s for s in steps if s.seconds is not None and 5 <= s.seconds <= 7]
    release = [after for before, after in zip(steps, steps[1:], strict=False)
               if before in tense]
    assert len(tense) == 4
    assert all(s.seconds is not None and 20 <= s.seconds <= 30 for s in release)
    groups = [("Lengan", "Arms"), ("Kepala", "Head"), ("Badan", "Trunk"), ("Kaki", "Legs")]
    for step, (indonesian, english) in zip(tense, groups, strict=True):
        assert step.text.id.startswith(indonesian) and step.text.en.startswith(english)


def test_styles_quiz_covers_the_people_staff_deal_with(content: Content) -> None:
    quiz = content.exercise("styles-quiz").body
    answers = [item.answer for item in quiz.items]  # type: ignore[union-attr]
    assert set(answers) == {"passive", "aggressive", "assertive"}
    scenes = " ".join(item.scene.id for item in quiz.items)  # type: ignore[union-attr]
    for who in ("anak", "Kepala panti", "rekan", "wali"):
        assert who in scenes


def test_desc_script_assembles_without_the_optional_c(content: Content) -> None:
    body = content.exercise("desc-script").body
    assert isinstance(body, Builder)
    assert [f.id for f in body.fields] == ["describe", "express", "specify", "consequences"]
    assert [f.optional for f in body.fields] == [False, False, False, True]
    answers = {"describe": "Tiga malam ini lampu menyala lewat jam 10.",
               "express": "Saya khawatir.", "specify": "Mulai malam ini jam 10."}
    script = body.assemble("id", answers)
    assert script.splitlines() == ["Naskah Anda:", *answers.values()]
    assert body.assemble("en", {**answers, "consequences": "Lebih segar."}).count("\n") == 4


def test_thought_record_fields_and_rerating(content: Content) -> None:
    body = content.exercise("thought-record").body
    assert isinstance(body, ThoughtRecord)
    inputs = {f.id: f.input for f in body.fields}
    assert inputs["anxiety"] is InputType.SCALE_0_10 and inputs["belief"] is InputType.PERCENT
    assert {f.id: f.rerate_of for f in body.fields if f.rerate_of} == {
        "anxiety_after": "anxiety", "belief_after": "belief"}


def test_worry_time_is_thirty_minutes_at_a_chosen_time(content: Content) -> None:
    exercise = content.exercise("worry-time")
    assert exercise.duration_minutes == 30 and isinstance(exercise.body, Reminder)
    assert exercise.body.schedule.time_field == "worry_time"


def test_abc_list_is_followed_up_next_day(content: Content) -> None:
    body = content.exercise("abc-today").body
    assert isinstance(body, Priority)
    assert [c.id for c in body.categories] == ["a", "b", "c"]
    assert body.follow_up is not None and body.follow_up.after_days == 1


@pytest.mark.parametrize("exercise_id", [
    "desc-script", "i-statement", "broken-record", "fogging", "abc-today", "urgent-important",
    "thought-record", "decatastrophising"])
def test_free_text_exercises_ask_for_no_names(content: Content, exercise_id: str) -> None:
    every = " ".join(t.id + " " + t.en for _, t in texts(content.exercise(exercise_id))).lower()
    assert "tanpa nama" in every and "name" in every


def test_builds_on_points_backwards(content: Content) -> None:
    order = list(content.exercises)
    for exercise in content.exercises.values():
        for earlier in exercise.builds_on:
            assert order.index(earlier) < order.index(exercise.id)


def matches(content: Content, message: str) -> set[str]:
    """Categories the bot's own matcher finds for ``message`` with the shipped lists."""
    return set(safety_matcher(content.safety).match(message))


@pytest.mark.parametrize(("message", "category"), [
    ("rasanya aku pengen mati aja hari ini", "suicide_self_harm"),
    ("Aku udah gak kuat hidup lagi...", "suicide_self_harm"),
    ("kadang kepikiran BUNDIR", "suicide_self_harm"),
    ("capek hidup kayak gini", "suicide_self_harm"),
    ("pernah nyakitin diri sendiri", "suicide_self_harm"),
    ("I want to die", "suicide_self_harm"),
    ("thinking about self-harm again", "suicide_self_harm"),
    ("ada pengasuh yang memukul anak tadi malam", "child_protection"),
    ("I think a child was sexually abused here", "child_protection"),
    ("lagi serangan panik, gak bisa napas", "acute_distress"),
])
def test_safety_phrases_catch_risky_messages(content: Content, message: str,
                                             category: str) -> None:
    assert category in matches(content, message)


@pytest.mark.parametrize("message", [
    "tolong matikan lampu kamar", "Saya capek sekali hari ini", "mati lampu lagi di asrama",
    "rapat pukul 7 pagi", "HP saya mati", "jangan putus asa ya, semangat", "anak-anak panik "
    "karena hujan", "I'm so tired of this paperwork", "the phone died", "hidup sehat itu penting",
])
def test_safety_phrases_leave_ordinary_messages_alone(content: Content, message: str) -> None:
    assert matches(content, message) == set()


def test_support_message_and_resources(content: Content) -> None:
    safety = content.safety
    for category in safety.categories:
        assert "bukan layanan" in category.message.id and "not a" in category.message.en
        # whether a facilitator was told is added by the bot (support.told / not_told),
        # so the shipped message never claims it on its own
        assert "beri tahu" not in category.message.id
        assert "let your facilitator know" not in category.message.en
    assert "fasilitator Anda sudah" not in safety.default_message.id  # nobody is told then
    assert {r.id for r in safety.resources} == {"healing119", "sejiwa", "emergency_112",
                                                "sapa129"}
    sapa = next(r for r in safety.resources if r.id == "sapa129")
    assert "129" in sapa.contact and "08111-129-129" in sapa.contact
    assert sapa in safety.resources_for(["child_protection"])
    assert [r.id for r in safety.resources_for([])] == ["healing119", "sejiwa", "emergency_112"]
    assert safety.message("en", ["acute_distress", "suicide_self_harm"]) == \
        safety.categories[0].message.en
    assert "5" in safety.grounding_text("id") and "1" in safety.grounding_text("en")


def test_pss10_is_a_scoring_key_without_items(content: Content) -> None:
    pss = content.instrument("pss10")
    assert not pss.administrable
    assert pss.not_administrable_reason.startswith("PSS-10 has no item texts yet")
    assert "items[*].text.id/en" in pss.not_administrable_reason
    assert "licence" in pss.not_administrable_reason
    assert all(item.text.is_empty for item in pss.items)
    assert [i.id for i in pss.items if i.reverse] == ["pss04", "pss05", "pss07", "pss08"]
    assert pss.scoring is not None and (pss.scoring.minimum, pss.scoring.maximum) == (0, 40)
    assert pss.score([0] * 10) == 16  # four reversed items score 4 each
    assert pss.score([4] * 10) == 24
    assert pss.score([0] * 9 + [None]) is None
    assert pss.subscale_score("self_efficacy", [0] * 10) == 16
    change = pss.reliable_change
    assert change is not None and change.threshold == pytest.approx(8.06, abs=0.01)
    assert set(pss.administer_at) == {QuestionnairePhase.PRE, QuestionnairePhase.POST}


def test_weekly_check_is_ours_and_administrable(content: Content) -> None:
    weekly = content.instruments_for(QuestionnairePhase.WEEKLY)
    assert [i.id for i in weekly] == ["weekly-check"]
    assert weekly[0].administrable and 3 <= len(weekly[0].items) <= 5
    assert weekly[0].scoring is None


def test_version_changes_when_a_file_changes(tmp_path: Path, content: Content) -> None:
    copy = tmp_path / "content"
    shutil.copytree(default_content_dir(), copy)
    assert load_content(copy).version == content.version
    path = copy / "modules" / "relaxation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Napas perut\n", "Napas perut pelan\n", 1), encoding="utf-8")
    changed = load_content(copy)
    assert changed.version != content.version
    assert changed.exercise("abdominal-breathing").title.id == "Napas perut pelan"


def test_unknown_lookups_raise_key_error(content: Content) -> None:
    with pytest.raises(KeyError):
        content.exercise("juggling")
    with pytest.raises(KeyError):
        content.instrument("mbi")


def test_the_example_in_the_docs_validates(tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "writing-content.md"
    found = re.search(r"```yaml\n(  - id: relaxing-sigh.*?)```", docs.read_text("utf-8"), re.S)
    assert found, "the full example is missing from docs/writing-content.md"
    copy = tmp_path / "content"
    shutil.copytree(default_content_dir(), copy)
    with (copy / "modules" / "relaxation.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + found.group(1))
    added = load_content(copy).exercise("relaxing-sigh")
    assert added.module_id == "relaxation" and added.title.en == "The relaxing sigh"
