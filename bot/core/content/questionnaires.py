"""Questionnaire instruments: items, response options, scoring and reliable change."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.content.texts import Text
from bot.core.models import QuestionnairePhase

Z_95 = 1.96


@dataclass(frozen=True, slots=True)
class ResponseOption:
    value: int
    label: Text


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    text: Text
    options: tuple[ResponseOption, ...]  # the item's own, or the instrument's response_options
    reverse: bool = False
    skippable: bool = False  # a "skip" button (the item's own setting, or the instrument's)

    def scored(self, value: int) -> int:
        """The value after reversal (for reverse items: lowest <-> highest)."""
        if not self.reverse:
            return value
        values = [o.value for o in self.options]
        return min(values) + max(values) - value


@dataclass(frozen=True, slots=True)
class Subscale:
    id: str
    title: Text
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Scoring:
    method: str  # "sum" or "mean" of the (reversed where marked) item values
    multiplier: float
    minimum: float
    maximum: float
    # missing answers: with up to ``max_missing`` of a scale's items unanswered, the score
    # is prorated (the mean of the answered items stands in for each missing one); with
    # more, there is no score. 0: every item is needed.
    max_missing: int = 0


@dataclass(frozen=True, slots=True)
class ReliableChange:
    """Jacobson & Truax: S_diff = sqrt(2) * SD * sqrt(1 - r); reliable if |change| > 1.96 S_diff."""

    norm_sd: float
    reliability: float
    sd_source: str
    reliability_source: str

    @property
    def s_diff(self) -> float:
        return math.sqrt(2.0) * self.norm_sd * math.sqrt(1.0 - self.reliability)

    @property
    def threshold(self) -> float:
        return Z_95 * self.s_diff

    def index(self, before: float, after: float) -> float:
        return (after - before) / self.s_diff


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    name: str  # short, as cited: "PSS-10"
    title: Text
    instructions: Text
    time_frame: Text
    administer_at: tuple[QuestionnairePhase, ...]
    items: tuple[Item, ...]
    subscales: tuple[Subscale, ...]
    scoring: Scoring | None
    reliable_change: ReliableChange | None
    citation: str
    licence: str
    administrable: bool
    not_administrable_reason: str  # empty when administrable
    file: str
    # a weekly instrument's day (0 = Monday); None: the day before the group's session day
    weekly_day: int | None = None

    def score(self, answers: Sequence[int | None], item_ids: Sequence[str] = ()) -> float | None:
        """Total (or subscale, given ``item_ids``) score; None when more answers are missing
        than ``scoring.max_missing`` allows. With some missing but allowed, the sum is
        prorated: mean of the answered (reversed) items x the scale's number of items.

        ``answers`` are in item order, as in ``QuestionnaireResponse.answers``.
        """
        if self.scoring is None or len(answers) != len(self.items):
            return None
        wanted = set(item_ids) or {item.id for item in self.items}
        values, needed = [], 0
        for item, answer in zip(self.items, answers, strict=True):
            if item.id not in wanted:
                continue
            needed += 1
            if answer is not None:
                values.append(item.scored(answer))
        if not values or needed - len(values) > self.scoring.max_missing:
            return None
        mean = sum(values) / len(values)
        raw = mean * needed if self.scoring.method == "sum" else mean
        return raw * self.scoring.multiplier

    def missing(self, answers: Sequence[int | None]) -> int:
        """How many items were not answered (skipped, or never reached)."""
        return len(self.items) - sum(a is not None for a in answers[:len(self.items)])

    def subscale_score(self, ident: str, answers: Sequence[int | None]) -> float | None:
        subscale = next((s for s in self.subscales if s.id == ident), None)
        return None if subscale is None else self.score(answers, subscale.items)

