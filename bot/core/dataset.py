"""The research export's tables: every column with its type, unit, allowed values and
meaning. One source for the CSV headers, ``codebook.csv``/``codebook.md`` and the
Frictionless Table Schemas of ``datapackage.json``. Pure.

Conventions (the same in every file): ``participant`` is the export pseudonym (a keyed
hash, never a Telegram id or name); times are ISO 8601, each ``*_utc`` with a ``*_local``
twin in the participant's zone; an empty cell is a missing value (NA in R); booleans are
``true``/``false``; every row has the ``content_version`` it was recorded under.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.calendar import Phase
from bot.core.casestats import Change
from bot.core.models import (
    DeliveryStatus,
    Language,
    ParticipantStatus,
    PromptKind,
    QuestionnairePhase,
    RatingKind,
)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # Frictionless: string, integer, number, boolean, date, datetime
    meaning: str
    unit: str = ""
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # the file is <name>.csv
    title: str
    columns: tuple[Column, ...]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _values(kind: type) -> tuple[str, ...]:
    return tuple(v.value for v in kind)  # type: ignore[attr-defined]


P = Column("participant", "string", "Export pseudonym: a keyed hash, stable across exports "
                                    "of this installation, not the Telegram id")
G = Column("group", "string", "The participant's group")
V = Column("content_version", "string", "Hash of the content files the record was made with")
PHASE = Column("phase", "string", "Study phase of the local day, from the group's dates "
                                  "(before_pre: before the pre-assessment)",
               allowed=_values(Phase))
DAY = Column("day_index", "integer", "Days since session 1 (negative before it)", "days")


def _when(stem: str, what: str) -> tuple[Column, Column]:
    return (Column(f"{stem}_utc", "datetime", f"{what} (UTC)"),
            Column(f"{stem}_local", "datetime", f"{what} (participant's local time)"))


PARTICIPANTS = Table("participants", "One row per participant", (
    P, G,
    Column("status", "string", "Status at export", allowed=_values(ParticipantStatus)),
    *_when("enrolled", "When enrolment finished"),
    *_when("withdrawn", "When the participant withdrew (empty: did not)"),
    Column("timezone", "string", "IANA time zone at export"),
    Column("language", "string", "Language of the chat", allowed=_values(Language)),
    Column("consent_research", "boolean", "Agreed to take part and to the research use"),
    Column("consent_share_flags", "boolean",
           "Agreed that early-warning signs about stress go to the facilitator (empty: not "
           "asked)"),
    Column("keep_data", "boolean", "On withdrawal: keep the data for the study"),
    Column("consent_version", "string", "Content version of the consent text agreed to"),
    V))

PROMPTS = Table("prompts", "One row per message the schedule sent or tried to send", (
    P, Column("kind", "string", "What was sent", allowed=_values(PromptKind)),
    Column("ref", "string", "Which exercise, run, reminder time or questionnaire occasion "
                            "(empty for the daily rating)"),
    Column("local_date", "date", "The participant's local day it belongs to"),
    *_when("scheduled", "When it was due"), *_when("sent", "When Telegram accepted it"),
    *_when("reminded", "When the reminder went"), *_when("answered", "When it was answered"),
    *_when("expired", "When it expired unanswered"),
    Column("status", "string", "Delivery status", allowed=_values(DeliveryStatus)),
    Column("attempts", "integer", "Send attempts"),
    Column("latency_s", "number", "From sent to answered", "seconds"),
    PHASE, DAY, V))

RATINGS = Table("ratings", "One row per stress rating (0-10)", (
    P, Column("local_date", "date", "The local day rated"),
    Column("value", "integer", "Stress, 0 = none at all, 10 = the most", "points (0-10)",
           tuple(str(v) for v in range(11))),
    Column("kind", "string", "How it was given", allowed=_values(RatingKind)),
    *_when("recorded", "When it was stored"), PHASE, DAY, V))

EXERCISES = Table("exercises", "One row per exercise run", (
    P, Column("run", "string", "Run id"), Column("exercise", "string", "Exercise id"),
    Column("module", "string", "Module id"), Column("exercise_kind", "string", "Kind"),
    *_when("started", "Start"), *_when("completed", "Completion (empty: not completed)"),
    *_when("abandoned", "When it was left unfinished"),
    Column("stopped_at", "string", "The step an unfinished run stopped at"),
    Column("before", "integer", "Stress before (0-10)", "points (0-10)"),
    Column("after", "integer", "Stress after (0-10)", "points (0-10)"),
    Column("change", "integer", "after - before (negative: stress went down)", "points"),
    Column("completed", "boolean", "Run completed"), PHASE, DAY, V))

EXERCISE_ANSWERS = Table("exercise_answers", "The structured answers of runs, long format", (
    P, Column("run", "string", "Run id"), Column("exercise", "string", "Exercise id"),
    Column("field", "string", "Answer field (follow_up.* for the next-day check-in)"),
    Column("value_number", "number", "A numeric or yes/no answer (yes = 1)"),
    Column("value_text", "string", "A typed or chosen text answer: only in exports made "
                                   "with --include-text (may identify people)"),
    V))

QUESTIONNAIRES = Table("questionnaires", "Questionnaire answers, one row per item", (
    P, Column("instrument", "string", "Instrument id (see the codebook's items)"),
    Column("phase", "string", "Administration", allowed=_values(QuestionnairePhase)),
    Column("occasion", "string", "pre, post, or the ISO week of a weekly one"),
    Column("item", "string", "Item id"), Column("item_number", "integer", "1-based position"),
    Column("value", "integer", "The answer as given (empty: skipped or not reached)"),
    Column("scored", "integer", "The value after reverse scoring, where the item is reversed"),
    Column("skipped", "boolean", "Skipped (or not reached when not submitted)"),
    *_when("started", "First shown"), *_when("submitted", "Finished (empty: unfinished)"), V))

SCORES = Table("scores", "Scores of submitted questionnaires", (
    P, Column("instrument", "string", "Instrument id"),
    Column("phase", "string", "Administration", allowed=_values(QuestionnairePhase)),
    Column("occasion", "string", "pre, post, or the ISO week of a weekly one"),
    Column("scale", "string", "total, or a subscale id"),
    Column("score", "number", "Score by the instrument's rule (empty: too many missing)"),
    Column("missing_items", "integer", "Items not answered"),
    *_when("submitted", "Finished"), V))

ANALYSIS = Table("analysis", "Single-case figures: per participant and phase (row_type phase),"
                             " and the reliable change of each pre/post instrument (rci)", (
    P, G, Column("row_type", "string", "What the row holds", allowed=("phase", "rci")),
    PHASE, Column("instrument", "string", "rci rows: the instrument"),
    Column("n", "integer", "Days rated in the phase"),
    Column("mean", "number", "Mean daily stress rating", "points (0-10)"),
    Column("nap", "number", "Non-overlap of all pairs, baseline vs this phase; > 0.5: lower "
                            "stress than baseline (Parker & Vannest 2009). Like every figure "
                            "here, counted within the exported days (--from/--to): a window "
                            "without baseline days has no NAP or Tau-U"),
    Column("tau_u", "number", "Tau-U, baseline vs this phase, baseline trend corrected; "
                              "positive: lower stress (Parker et al. 2011)"),
    Column("slope", "number", "Theil-Sen slope of ratings over days in the phase",
           "points per day"),
    Column("slope_p", "number", "Kendall's test of that trend, two-sided p"),
    Column("days_due", "integer", "Days a daily rating was asked (the prompt reached "
                                  "Telegram, or the day was already rated)"),
    Column("days_rated", "integer", "Of those, days rated"),
    Column("adherence", "number", "days_rated / days_due", "proportion"),
    Column("practice_runs", "integer", "Exercise runs completed that were started in the "
                                       "phase"),
    Column("practice_days", "integer", "Days with at least one completed exercise run"),
    Column("pre", "number", "rci rows: pre score"), Column("post", "number", "rci: post score"),
    Column("rci", "number", "Reliable change index (post - pre) / S_diff (Jacobson & Truax "
                            "1991); negative: less stress"),
    Column("rci_class", "string", "Beyond +-1.96: improved (less) / deteriorated (more)",
           allowed=_values(Change)),
    V))

TABLES = (PARTICIPANTS, PROMPTS, RATINGS, EXERCISES, EXERCISE_ANSWERS, QUESTIONNAIRES,
          SCORES, ANALYSIS)

# the files that describe the others (written once per export, not per participant)
CODEBOOK = Table("codebook", "Every column of every table", (
    Column("file", "string", "The file the column is in"),
    Column("column", "string", "The column's name (its header)"),
    Column("type", "string", "Frictionless type", allowed=(
        "string", "integer", "number", "boolean", "date", "datetime")),
    Column("unit", "string", "Unit, where the value has one"),
    Column("allowed", "string", "The values allowed, separated by '; ' (empty: any)"),
    Column("meaning", "string", "What the column holds")))

ITEMS = Table("items", "Every questionnaire item: what questionnaires.csv's item means", (
    Column("instrument", "string", "Instrument id"),
    Column("item", "string", "Item id (questionnaires.csv's item)"),
    Column("number", "integer", "Position in the questionnaire (questionnaires.csv's "
                                "item_number)"),
    Column("reverse", "boolean", "Reverse-scored before summing"),
    Column("answers", "string", "value=label of each answer, separated by '; '"),
    Column("wording", "string", "The item's English wording (empty until the licensed text "
                                "is filled in)")))

DESCRIBING = (CODEBOOK, ITEMS)
