"""Where a group is in its programme on a given local date.

Dates are the group's local calendar days. Missing dates are tolerated: without a
pre date there is no "before" phase; sessions not yet set simply have not happened;
without a post date the last module runs on. More than four session dates count as four.
"""

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
SESSIONS = len(_MODULES)


def open_sessions(group: Group, day: date) -> int:
    """Return how many of the four group sessions have taken place by ``day`` (0-4)."""
    return min(SESSIONS, sum(1 for session in group.session_dates if session <= day))


def phase(group: Group, day: date) -> Phase:
    """Return the study phase on ``day``: before, baseline, module 1-4, or post."""
    if group.post_date is not None and day >= group.post_date:
        return Phase.POST
    held = open_sessions(group, day)
    if held:
        return _MODULES[held - 1]
    if group.pre_date is not None and day < group.pre_date:
        return Phase.BEFORE
    return Phase.BASELINE
