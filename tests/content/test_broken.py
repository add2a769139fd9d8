"""A corpus of broken content: each case names the file, line and message it must produce.

Each case changes one thing in the small valid folder of conftest.py; the loader must raise
ContentError (never anything else) with a problem at that file and line whose text contains
the expected message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.content import ContentError, load_content
from tests.content.conftest import BASE, MODULE, SAFETY, write_content


def swap(rel: str, old: str, new: str) -> dict[str, str]:
    text = BASE[rel]
    assert old in text, (rel, old)
    return {rel: text.replace(old, new, 1)}


def with_matching(body: str, near: str = "") -> dict[str, str]:
    """The base safety file with a ``matching:`` section (line 19 on) and a category rule."""
    text = SAFETY + "matching:\n" + body
    if near:
        text = text.replace("      en: [kill myself]\n", "      en: [kill myself]\n" + near, 1)
    return {"safety.yaml": text}


CONCEPTS = "  concepts:\n    wish: {id: [ingin]}\n    die: {id: [mati]}\n"


def extra_exercise(body: str) -> dict[str, str]:
    """The base module plus one more exercise (``body`` indented as a list item)."""
    return {"modules/m.yaml": MODULE + body}


@dataclass(frozen=True)
class Case:
    name: str
    changes: dict[str, str | bytes | None]
    file: str
    line: int | None
    message: str  # a substring of "path: message"


CASES = [
    Case("yaml syntax error", {"modules/m.yaml": "id: m\ntitle: [unclosed\n"},
         "modules/m.yaml", 3, "YAML syntax error"),
    Case("missing translation",
         swap("modules/m.yaml", "{id: Tarik napas, en: Breathe in}", "{id: Tarik napas}"),
         "modules/m.yaml", 14, "exercises[0].steps[0].text.en: missing"),
    Case("plain string where both languages are needed",
         swap("modules/m.yaml", "title: {id: Napas, en: Breath}", "title: Napas"),
         "modules/m.yaml", 8, "exercises[0].title: needs both languages"),
    Case("unknown key",
         swap("modules/m.yaml", "    duration_minutes: 2\n",
              "    duration_minutes: 2\n    colour: red\n"),
         "modules/m.yaml", 11, "exercises[0].colour: unknown key"),
    Case("wrong type",
         swap("modules/m.yaml", "duration_minutes: 2", "duration_minutes: two"),
         "modules/m.yaml", 10, "exercises[0].duration_minutes: expected a whole number"),
    Case("yes/no read as true/false",
         swap("modules/m.yaml", "rate_before_after: true", "rate_before_after: ya"),
         "modules/m.yaml", 12, "exercises[0].rate_before_after: expected true or false"),
    Case("session out of 1..4",
         swap("modules/m.yaml", "session: 1", "session: 5"),
         "modules/m.yaml", 2, "session: 5 is out of range"),
    Case("module id differs from file name",
         swap("modules/m.yaml", "id: m\n", "id: other\n"),
         "modules/m.yaml", 1, "id: 'other' must match the file name"),
    Case("duplicate exercise id in one file",
         extra_exercise(MODULE[MODULE.index("  - id: breathe"):]),
         "modules/m.yaml", 16, "exercises[1].id: duplicate exercise id 'breathe'"),
    Case("duplicate exercise id across files",
         {"modules/n.yaml": MODULE.replace("id: m\n", "id: n\n", 1)},
         "modules/n.yaml", None, "exercise id 'breathe' is also used in modules/m.yaml"),
    Case("dangling builds_on",
         swap("modules/m.yaml", "    rate_before_after: true\n",
              "    rate_before_after: true\n    builds_on: [pmr-long]\n"),
         "modules/m.yaml", None, "builds_on 'pmr-long', which is not an exercise id"),
    Case("timed steps longer than the duration",
         swap("modules/m.yaml", "seconds: 10", "seconds: 300"),
         "modules/m.yaml", 10, "exercises[0].duration_minutes: the timed parts take 5 min"),
    Case("quiz answer that is not an option", extra_exercise("""\
  - id: quiz
    kind: quiz
    title: {id: Kuis, en: Quiz}
    summary: {id: Kuis, en: Quiz}
    duration_minutes: 3
    frequency: {times_per_week: 1}
    rate_before_after: false
    question: {id: Gaya apa?, en: Which style?}
    options:
      - {id: passive, text: {id: Pasif, en: Passive}}
      - {id: assertive, text: {id: Asertif, en: Assertive}}
    items:
      - id: one
        scene: {id: Adegan, en: Scene}
        answer: agressive
        explanation: {id: Karena, en: Because}
"""), "modules/m.yaml", 30, "exercises[1].items[0].answer: 'agressive' is not one of"),
    Case("builder template with an unknown placeholder", extra_exercise("""\
  - id: desc
    kind: builder
    title: {id: DESC, en: DESC}
    summary: {id: DESC, en: DESC}
    duration_minutes: 5
    frequency: {times_per_week: 2}
    rate_before_after: false
    fields:
      - {id: describe, input: text, prompt: {id: Apa?, en: What?}}
    template:
      - {id: "{describe} {express}", en: "{describe} {express}"}
"""), "modules/m.yaml", 26, "exercises[1].template[0].id: unknown placeholder {express}"),
    Case("languages with different placeholders", extra_exercise("""\
  - id: desc
    kind: builder
    title: {id: DESC, en: DESC}
    summary: {id: DESC, en: DESC}
    duration_minutes: 5
    frequency: {times_per_week: 2}
    rate_before_after: false
    fields:
      - {id: describe, input: text, prompt: {id: Apa?, en: What?}}
    template:
      - {id: "{describe}", en: "Described."}
"""), "modules/m.yaml", 26, "exercises[1].template[0]: the two languages use different"),
    Case("re-rating of an unknown field", extra_exercise("""\
  - id: record
    kind: thought_record
    title: {id: Catatan, en: Record}
    summary: {id: Catatan, en: Record}
    duration_minutes: 5
    frequency: {as_needed: true}
    rate_before_after: false
    fields:
      - {id: anxiety, input: scale_0_10, prompt: {id: Cemas?, en: Anxious?}}
      - {id: after, input: scale_0_10, rerate_of: anxeity, prompt: {id: Lagi?, en: Again?}}
"""), "modules/m.yaml", 25, "exercises[1].fields[1].rerate_of: 'anxeity' is not an earlier"),
    Case("reminder scheduled by a field that is not a time", extra_exercise("""\
  - id: worry
    kind: reminder
    title: {id: Khawatir, en: Worry}
    summary: {id: Khawatir, en: Worry}
    duration_minutes: 30
    frequency: {times_per_day: 1}
    rate_before_after: false
    fields:
      - {id: place, input: text, prompt: {id: Di mana?, en: Where?}}
    message: {id: "Di {place}", en: "At {place}"}
    schedule: {time_field: place}
"""), "modules/m.yaml", 26, "exercises[1].schedule.time_field: 'place' is not a field"),
    Case("paced breathing with a hold but no hold cue", extra_exercise("""\
  - id: paced
    kind: paced_breathing
    title: {id: Napas, en: Breath}
    summary: {id: Napas, en: Breath}
    duration_minutes: 3
    frequency: {times_per_day: 2}
    rate_before_after: true
    timings: {inhale_seconds: 4, hold_seconds: 2, exhale_seconds: 6, cycles: 10}
    cues:
      inhale: {id: Tarik, en: In}
      exhale: {id: Embuskan, en: Out}
"""), "modules/m.yaml", 24, "exercises[1].cues.hold: missing (hold_seconds is 2)"),
    Case("HTML markup in a text",
         swap("modules/m.yaml", "{id: Tarik napas, en: Breathe in}",
              "{id: Tarik napas, en: <b>Breathe</b> in}"),
         "modules/m.yaml", 14, "exercises[0].steps[0].text.en: '<' is not allowed"),
    Case("unknown exercise kind",
         swap("modules/m.yaml", "kind: steps", "kind: video"),
         "modules/m.yaml", 7, "exercises[0].kind: 'video' is not one of"),
    Case("top level is a list", {"modules/m.yaml": "- id: m\n- session: 1\n"},
         "modules/m.yaml", 1, "expected a mapping"),
    Case("duplicate key", swap("modules/m.yaml", "session: 1\n", "session: 1\nsession: 2\n"),
         "modules/m.yaml", 3, "session: duplicate key (also on line 2)"),
    Case("alias", swap("modules/m.yaml", "title: {id: Modul, en: Module}",
                       "title: &t {id: Modul, en: Module}\nextra: *t"),
         "modules/m.yaml", 4, "aliases (*t) are not allowed"),
    Case("empty file", {"modules/m.yaml": ""}, "modules/m.yaml", 1, "expected a mapping"),
    Case(".yml instead of .yaml", {"modules/x.yml": MODULE}, "modules/x.yml", None,
         "rename to .yaml"),
    Case("missing safety file", {"safety.yaml": None}, "safety.yaml", None, "missing"),
    Case("safety resource that does not exist",
         swap("safety.yaml", "    resources: [hotline]", "    resources: [hotlien]"),
         "safety.yaml", 5, "categories[0].resources[0]: 'hotlien' is not a resource id"),
    Case("safety phrase that is one common word",
         swap("safety.yaml", "id: [bunuh diri]", "id: [bunuh diri, capek]"),
         "safety.yaml", 7, "categories[0].terms.id[1]: 'capek' alone would match"),
    Case("safety phrase listed twice",
         swap("safety.yaml", "en: [kill myself]", "en: [kill myself, Kill-myself]"),
         "safety.yaml", 8, "categories[0].terms.en[1]: 'Kill-myself' is listed twice"),
    Case("matching key that does not exist",
         with_matching("  colours: [red]\n"),
         "safety.yaml", 20, "matching.colours: unknown key"),
    Case("spelling replaced by a word that is itself replaced",
         with_matching("  spelling:\n    id: {gk: tidak, tdk: gk}\n"),
         "safety.yaml", 21, "matching.spelling.id.tdk: 'gk' contains 'gk', which is itself"),
    Case("spelling of two words",
         with_matching("  spelling:\n    id: {gak banget: sangat}\n"),
         "safety.yaml", 21, "'gak banget' must be one lower-case word"),
    Case("spelling key that YAML reads as a number",
         with_matching("  spelling:\n    id: {7: tujuh}\n"),
         "safety.yaml", 21, "the key '7' is read as int, not text"),
    Case("spelling listed twice once repeated letters count once",
         with_matching("  spelling:\n    id: {gak: tidak}\n    en: {gaak: not}\n"),
         "safety.yaml", 22, "matching.spelling.en.gaak: 'gaak' is listed twice"),
    Case("spelling replaced by itself",
         with_matching("  spelling:\n    id: {mati: matii}\n"),
         "safety.yaml", 21, "'mati' is replaced by itself"),
    Case("word kept whole that is two words",
         with_matching("  keep: [mati lampu]\n"),
         "safety.yaml", 20, "matching.keep[0]: 'mati lampu' must be one word"),
    Case("ordinary use of one word (would blank it everywhere)",
         with_matching("  ordinary: [mati]\n"),
         "safety.yaml", 20, "matching.ordinary[0]: 'mati' must have at least 2 words"),
    Case("thing of two words",
         with_matching("  things: [mesin cuci]\n"),
         "safety.yaml", 20, "matching.things[0]: 'mesin cuci' must be one word"),
    Case("concept name that is not an id",
         with_matching("  concepts:\n    Wish: {id: [ingin]}\n"),
         "safety.yaml", 21, "'Wish' is not a valid concept name"),
    Case("concept without words",
         with_matching("  concepts:\n    wish: {}\n"),
         "safety.yaml", 21, "matching.concepts.wish: needs a list for at least one language"),
    Case("concept word listed twice once spelling is applied",
         with_matching("  spelling:\n    id: {pengen: ingin}\n"
                       "  concepts:\n    wish: {id: [ingin, pengen]}\n"),
         "safety.yaml", 23, "'pengen' is listed twice (read as 'ingin')"),
    Case("safety phrase listed twice once spelling is applied",
         with_matching("  spelling:\n    id: {bundir: bunuh diri}\n").copy() | {
             "safety.yaml": with_matching("  spelling:\n    id: {bundir: bunuh diri}\n")[
                 "safety.yaml"].replace("id: [bunuh diri]", "id: [bunuh diri, bundir]")},
         "safety.yaml", 7, "terms.id[1]: 'bundir' is listed twice (read as 'bunuh diri')"),
    Case("rule naming a concept that does not exist",
         with_matching(CONCEPTS, "    near: [{first: wish, then: dying, within: 2}]\n"),
         "safety.yaml", 9, "categories[0].near[0].then: 'dying' is not a concept (die, wish)"),
    Case("rule without concepts declared",
         {"safety.yaml": SAFETY.replace("      en: [kill myself]\n", "      en: [kill myself]\n"
                                        "    near: [{first: wish, then: die, within: 2}]\n")},
         "safety.yaml", 9, "none are declared under matching.concepts"),
    Case("rule allowing too many words between",
         with_matching(CONCEPTS, "    near: [{first: wish, then: die, within: 9}]\n"),
         "safety.yaml", 9, "near[0].within: 9 is out of range; expected 0 to 6"),
    Case("rule without within",
         with_matching(CONCEPTS, "    near: [{first: wish, then: die}]\n"),
         "safety.yaml", 9, "near[0].within: missing"),
    Case("rule with an unknown key",
         with_matching(CONCEPTS, "    near: [{first: wish, then: die, within: 2, gap: 1}]\n"),
         "safety.yaml", 9, "near[0].gap: unknown key"),
    Case("rule whose concepts are not names",
         with_matching(CONCEPTS, "    near: [{first: [], then: die, within: 2}]\n"),
         "safety.yaml", 9, "near[0].first: expected a concept name or a list of them"),
    Case("verified that is not a date",
         swap("safety.yaml", "verified: 2025-08-07", "verified: August 2025"),
         "safety.yaml", 17, "resources[0].verified: expected a date"),
    Case("questionnaire range that does not match the items",
         swap("questionnaires/q.yaml", "range: [0, 2]", "range: [0, 4]"),
         "questionnaires/q.yaml", 13, "scoring.range: [0, 4] does not match the items"),
    Case("questionnaire text filled in one language only",
         swap("questionnaires/q.yaml", "{id: Satu, en: One}", "{id: Satu, en: ''}"),
         "questionnaires/q.yaml", 11, "items[0].text.en: empty while the other language"),
    Case("questionnaire phase that does not exist",
         swap("questionnaires/q.yaml", "administer_at: [weekly]", "administer_at: [daily]"),
         "questionnaires/q.yaml", 6, "administer_at[0]: 'daily' is not one of"),
    Case("locale key missing in one language",
         {"locales/en.yaml": 'hello: "Hello {name}"\n'},
         "locales/id.yaml", 3, "rate.saved: missing in locales/en.yaml"),
    Case("locale placeholders differ",
         {"locales/en.yaml": 'hello: "Hello {nama}"\nrate:\n  saved: Saved\n'},
         "locales/en.yaml", 1, "hello: placeholders differ"),
    Case("locale value that is not text",
         {"locales/id.yaml": 'hello: "Halo {name}"\nrate:\n  saved: [a, b]\n'},
         "locales/id.yaml", 3, "rate.saved: expected text, got a list"),
    Case("locale key read as a boolean",
         {"locales/id.yaml": 'hello: "Halo {name}"\nrate:\n  saved: Tersimpan\non: aktif\n'},
         "locales/id.yaml", 4, "the key 'on' is read as bool"),
    Case("locale language we do not speak", {"locales/jv.yaml": "hello: Sugeng\n"},
         "locales/jv.yaml", None, "unknown language"),
]


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 15
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_content_names_file_line_and_field(tmp_path: Path, case: Case) -> None:
    root = write_content(tmp_path / "content", case.changes)
    with pytest.raises(ContentError) as caught:
        load_content(root)
    problems = caught.value.problems
    matching = [p for p in problems if p.file == case.file and case.message in
                (f"{p.path}: {p.message}" if p.path else p.message)]
    assert matching, "\n".join(str(p) for p in problems)
    assert matching[0].line == case.line, str(matching[0])
    # and the readable form carries all of it
    where = case.file if case.line is None else f"{case.file}:{case.line}"
    assert f"{where}: " in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    changes: dict[str, str | bytes | None] = {}
    for case_name in ("missing translation", "safety resource that does not exist",
                      "questionnaire phase that does not exist", "locale value that is not text"):
        case = next(c for c in CASES if c.name == case_name)
        changes.update(case.changes)
    root = write_content(tmp_path / "content", changes)
    with pytest.raises(ContentError) as caught:
        load_content(root)
    files = {p.file for p in caught.value.problems}
    assert {"modules/m.yaml", "safety.yaml", "questionnaires/q.yaml",
            "locales/id.yaml"} <= files
    lines = str(caught.value).splitlines()
    assert len(lines) == len(caught.value.problems) >= 4


def test_missing_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path / "nowhere")
    assert "content folder not found" in str(caught.value)


def test_problem_str_format() -> None:
    from bot.content import Problem

    problem = Problem("modules/relaxation.yaml", 12, "exercises[2].steps[0].text.en", "missing")
    assert str(problem) == "modules/relaxation.yaml:12: exercises[2].steps[0].text.en: missing"
    assert str(Problem("safety.yaml", None, "", "missing")) == "safety.yaml: missing"
