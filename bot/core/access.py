"""Who may do what: every "may X see/do Y" answer of Jeda, decided here and nowhere else.

Pure: the service layer reads who holds which role and which groups exist, and asks
these functions. Handlers and CLI commands only declare the ``Permission`` they need.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

from bot.core.models import Group, Role, RoleAssignment, same_name


class Permission(enum.StrEnum):
    PARTICIPATE = "participate"  # rate, settings, pause... (an enrolled participant)
    MANAGE_GROUPS = "manage_groups"  # /newgroup
    INVITE = "invite"  # /invite for a group one facilitates
    SEE_PARTICIPANTS = "see_participants"  # /participants of one's groups
    EXPORT = "export"  # research exports (pseudonymous)


GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.PARTICIPATE: frozenset({Role.PARTICIPANT}),
    Permission.MANAGE_GROUPS: frozenset({Role.FACILITATOR, Role.ADMIN}),
    Permission.INVITE: frozenset({Role.FACILITATOR, Role.ADMIN}),
    Permission.SEE_PARTICIPANTS: frozenset({Role.FACILITATOR, Role.ADMIN}),
    Permission.EXPORT: frozenset({Role.RESEARCHER, Role.ADMIN}),
}

# the roles one can give with ``jeda role grant`` (a participant enrols with a code)
GRANTABLE = (Role.FACILITATOR, Role.RESEARCHER, Role.ADMIN)


def allows(roles: Iterable[Role], permission: Permission) -> bool:
    """Whether someone holding ``roles`` has ``permission``."""
    return bool(GRANTS[permission].intersection(roles))


def roles_of(
    telegram_id: int,
    admin_ids: Iterable[int],
    assignments: Iterable[RoleAssignment],
    groups: Iterable[Group],
    participates: bool,
) -> set[Role]:
    """Every role ``telegram_id`` holds: admins by configuration, assigned roles, being
    named a group's facilitator, and being an enrolled participant."""
    roles = {a.role for a in assignments if a.telegram_id == telegram_id}
    if telegram_id in set(admin_ids):
        roles.add(Role.ADMIN)
    if any(telegram_id in g.facilitator_ids for g in groups):
        roles.add(Role.FACILITATOR)
    if participates:
        roles.add(Role.PARTICIPANT)
    return roles


def visible_groups(
    telegram_id: int,
    roles: Iterable[Role],
    assignments: Iterable[RoleAssignment],
    groups: Sequence[Group],
) -> list[Group]:
    """The groups whose participants ``telegram_id`` may see: all for an admin; for a
    facilitator the groups that name them, and those of their role (None: every group)."""
    if Role.ADMIN in set(roles):
        return list(groups)
    assigned = [a.group for a in assignments
                if a.telegram_id == telegram_id and a.role is Role.FACILITATOR]
    if None in assigned:
        return list(groups)
    return [g for g in groups
            if telegram_id in g.facilitator_ids
            or any(name is not None and same_name(name, g.name) for name in assigned)]


def facilitators_of(
    group: Group | None, group_name: str, assignments: Iterable[RoleAssignment],
    admin_ids: Iterable[int],
) -> list[int]:
    """Who hears about a group (alerts, unreachable notes): its facilitators, named in the
    group or by role; when it has none, the admins, so that nobody is left unheard."""
    ids = set(group.facilitator_ids if group else ())
    ids.update(a.telegram_id for a in assignments
               if a.role is Role.FACILITATOR
               and (a.group is None or same_name(a.group, group_name)))
    return sorted(ids) or sorted(set(admin_ids))


def staff(admin_ids: Iterable[int], assignments: Iterable[RoleAssignment],
          groups: Iterable[Group]) -> set[int]:
    """Everyone who gets the staff command menu."""
    ids = set(admin_ids)
    ids.update(a.telegram_id for a in assignments
               if a.role in (Role.FACILITATOR, Role.ADMIN))
    for group in groups:
        ids.update(group.facilitator_ids)
    return ids
