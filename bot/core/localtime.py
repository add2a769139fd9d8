"""Local time: each participant's own calendar day and clock, in their IANA time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from bot.core.models import Participant


@cache
def zone(name: str) -> ZoneInfo:
    """Return the (cached) ZoneInfo for an IANA name."""
    return ZoneInfo(name)


def local_today(participant: Participant, now: datetime) -> date:
    """Return the participant's calendar date at ``now``."""
    return now.astimezone(zone(participant.timezone)).date()


def local_instant(zone_name: str, day: date, at: time) -> datetime:
    """Return the UTC instant of local ``day`` at ``at`` (gap: forward by the gap; fold: first)."""
    return datetime.combine(day, at.replace(fold=0), tzinfo=zone(zone_name)).astimezone(UTC)


def scheduled_at(participant: Participant, day: date) -> datetime:
    """Return the UTC instant of the participant's daily prompt on local ``day``."""
    return local_instant(participant.timezone, day, participant.prompt_time)


def quiet_at(participant: Participant, local: time) -> bool:
    """Whether local clock time ``local`` is in the participant's quiet hours."""
    start, end = participant.quiet_start, participant.quiet_end
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def is_quiet(participant: Participant, now: datetime) -> bool:
    """Return whether ``now`` falls in the participant's quiet hours (which may wrap midnight)."""
    local = now.astimezone(zone(participant.timezone)).time().replace(tzinfo=None, fold=0)
    return quiet_at(participant, local)
