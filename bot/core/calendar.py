"""Where a group is in its programme on a given local date."""

from __future__ import annotations

import enum
from datetime import date

from bot.core.models import Group


class Phase(enum.StrEnum):
    BEFORE = "before_pre"
    BASELINE = "baseline"
    MODULE_1 = "module_1"
    MODULE_2 = "module_2"
    MODULE_3 = "module_3"
    MODULE_4 = "module_4"
    POST = "post"


_MODULES = (Phase.MODULE_1, Phase.MODULE_2, Phase.MODULE_3, Phase.MODULE_4)


def open_sessions(group: Group, day: date) -> int:
    """How many of the four group sessions have taken place by ``day`` (0-4)."""
    return sum(1 for session in group.session_dates if session <= day)


def phase(group: Group, day: date) -> Phase:
    """The study phase on ``day``: before, baseline, module 1-4, or post."""
    if group.post_date is not None and day >= group.post_date:
        return Phase.POST
    held = open_sessions(group, day)
    if held:
        return _MODULES[held - 1]
    if group.pre_date is not None and day < group.pre_date:
        return Phase.BEFORE
    return Phase.BASELINE
