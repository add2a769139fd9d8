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

    def score(self, answers: Sequence[int | None], item_ids: Sequence[str] = ()) -> float | None:
        """Total (or subscale, given ``item_ids``) score; None if any needed answer is missing.

        ``answers`` are in item order, as in ``QuestionnaireResponse.answers``.
        """
        if self.scoring is None or len(answers) != len(self.items):
            return None
        wanted = set(item_ids) or {item.id for item in self.items}
        values = []
        for item, answer in zip(self.items, answers, strict=True):
            if item.id not in wanted:
                continue
            if answer is None:
                return None
            values.append(item.scored(answer))
        if not values:
            return None
        raw = sum(values) if self.scoring.method == "sum" else sum(values) / len(values)
        return raw * self.scoring.multiplier

    def subscale_score(self, ident: str, answers: Sequence[int | None]) -> float | None:
        subscale = next((s for s in self.subscales if s.id == ident), None)
        return None if subscale is None else self.score(answers, subscale.items)

