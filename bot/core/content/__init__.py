"""The content as values: modules, exercises, instruments and safety texts, frozen and pure.

``bot.contentschema`` reads and checks the YAML into these types; the core, services and
the chat edge use them without knowing any YAML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.core.content.exercises import Exercise, Module
from bot.core.content.questionnaires import Instrument
from bot.core.content.safety import Safety
from bot.core.models import QuestionnairePhase


@dataclass(frozen=True, slots=True)
class Content:
    """Everything in a content folder, validated."""

    version: str  # 12 hex digits of sha256 over every content file (paths and bytes)
    modules: tuple[Module, ...]  # by session, then id
    safety: Safety
    instruments: tuple[Instrument, ...]
    locales: Mapping[str, Mapping[str, str]]  # language -> dotted key -> text
    root: str  # the folder it was read from
    _exercises: Mapping[str, Exercise] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {e.id: e for m in self.modules for e in m.exercises}
        object.__setattr__(self, "_exercises", MappingProxyType(index))

    @property
    def exercises(self) -> Mapping[str, Exercise]:
        """Every exercise by id, in module order."""
        return self._exercises

    def exercise(self, ident: str) -> Exercise:
        """The exercise with this id; KeyError if there is none."""
        try:
            return self._exercises[ident]
        except KeyError:
            raise KeyError(f"unknown exercise {ident!r}") from None

    def module(self, ident: str) -> Module:
        for module in self.modules:
            if module.id == ident:
                return module
        raise KeyError(f"unknown module {ident!r}")

    def module_of(self, exercise_id: str) -> Module:
        return self.module(self.exercise(exercise_id).module_id)

    def modules_for_session(self, session: int) -> tuple[Module, ...]:
        return tuple(m for m in self.modules if m.session == session)

    def modules_up_to(self, session: int) -> tuple[Module, ...]:
        """Modules introduced at or before this session (what a participant has met so far)."""
        return tuple(m for m in self.modules if m.session <= session)

    def instrument(self, ident: str) -> Instrument:
        for instrument in self.instruments:
            if instrument.id == ident:
                return instrument
        raise KeyError(f"unknown questionnaire {ident!r}")

    def instruments_for(self, phase: QuestionnairePhase) -> tuple[Instrument, ...]:
        return tuple(i for i in self.instruments if phase in i.administer_at)
