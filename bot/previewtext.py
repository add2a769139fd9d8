"""The text of ``jeda preview``: the programme's messages day by day, in the reader's
language; messages of the same kind at the same minute on one line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby

from bot.core.models import Group
from bot.i18n import Translator, format_date
from bot.services.preview import Event

DAY_KINDS = ("pre", "session", "post")  # the calendar's own days, shown as headings


def render(t: Translator, lang: str, group: Group, events: Sequence[Event],
           labels: Mapping[str, str], modules: Mapping[int, str], example: bool,
           names: Mapping[str, str]) -> str:
    """``labels``: label -> pid; ``modules``: session -> the titles of what opens;
    ``names``: an exercise's or questionnaire's id -> its name."""
    if not events:
        return t(lang, "preview.nothing")
    first, last = events[0].at.date(), events[-1].at.date()
    lines = [t(lang, "preview.header", group=group.name, zone=group.timezone,
               start=first.isoformat(), end=last.isoformat(), n=len(labels),
               labels=", ".join(labels)),
             t(lang, "preview.example") if example else t(lang, "preview.assumption"), ""]
    for day, today in groupby(events, key=lambda e: e.at.date()):
        found = list(today)
        marks = [_heading(t, lang, e, modules) for e in found if e.kind in DAY_KINDS]
        lines.append(format_date(lang, day, weekday=True) + "".join(f"  ── {m}" for m in marks))
        messages = [e for e in found if e.kind not in DAY_KINDS]
        for (minute, kind, ref), same in groupby(messages, key=lambda e: (
                e.at.strftime("%H:%M"), e.kind, e.ref)):
            who = ", ".join(sorted({t(lang, "preview.facilitators") if e.who == "facilitators"
                                    else e.who for e in same}, key=_order))
            plain = ref.split("#")[0]
            what = t(lang, f"preview.kind.{kind}", ref=names.get(plain.split("@")[0], plain))
            again = t(lang, "preview.again") if ref.endswith("#2") else ""
            lines.append(f"  {minute}  {what}{again}  → {who}")
    return "\n".join(lines) + "\n"


def _heading(t: Translator, lang: str, event: Event, modules: Mapping[int, str]) -> str:
    if event.kind == "session":
        return t(lang, "preview.kind.session", ref=event.ref,
                 modules=modules.get(int(event.ref), "-"))
    return t(lang, f"preview.kind.{event.kind}")


def _order(label: str) -> tuple[int, str]:
    return (int(label[1:]) if label[1:].isdigit() else 0, label)
