"""The access policy: every "may X see/do Y" answer."""

from datetime import UTC, datetime

import pytest

from bot.core import access
from bot.core.access import Permission
from bot.core.models import Group, Role, RoleAssignment

AT = datetime(2026, 12, 1, tzinfo=UTC)
GROUPS = [Group("Harapan", "Asia/Jakarta", AT, facilitator_ids=(500,)),
          Group("Melati", "Asia/Makassar", AT)]


def _role(tid: int, role: Role, group: str | None = None) -> RoleAssignment:
    return RoleAssignment(tid, role, group, AT, "cli")


@pytest.mark.parametrize(("roles", "permission", "allowed"), [
    ({Role.PARTICIPANT}, Permission.INVITE, False),
    ({Role.FACILITATOR}, Permission.INVITE, True),
    ({Role.ADMIN}, Permission.SEE_PARTICIPANTS, True),
    ({Role.FACILITATOR}, Permission.EXPORT, False),
    ({Role.RESEARCHER}, Permission.EXPORT, True),
    ({Role.RESEARCHER}, Permission.SEE_PARTICIPANTS, False),
    ({Role.PARTICIPANT}, Permission.PARTICIPATE, True),
    (set(), Permission.PARTICIPATE, False),
])
def test_permissions(roles: set[Role], permission: Permission, allowed: bool) -> None:
    assert access.allows(roles, permission) is allowed


def test_roles_come_from_configuration_assignments_groups_and_enrolment() -> None:
    assert access.roles_of(900, {900}, [], GROUPS, False) == {Role.ADMIN}
    assert access.roles_of(500, set(), [], GROUPS, True) == {Role.FACILITATOR, Role.PARTICIPANT}
    assert access.roles_of(700, set(), [_role(700, Role.RESEARCHER)], GROUPS, False) == {
        Role.RESEARCHER}
    assert access.roles_of(701, set(), [_role(700, Role.RESEARCHER)], GROUPS, False) == set()


def test_visible_groups() -> None:
    names = lambda found: [g.name for g in found]  # noqa: E731
    assert names(access.visible_groups(900, {Role.ADMIN}, [], GROUPS)) == ["Harapan", "Melati"]
    assert names(access.visible_groups(500, {Role.FACILITATOR}, [], GROUPS)) == ["Harapan"]
    melati = [_role(600, Role.FACILITATOR, "melati")]  # a role's group name ignores case
    assert names(access.visible_groups(600, {Role.FACILITATOR}, melati, GROUPS)) == ["Melati"]
    everywhere = [_role(601, Role.FACILITATOR, None)]
    assert len(access.visible_groups(601, {Role.FACILITATOR}, everywhere, GROUPS)) == 2
    assert access.visible_groups(602, {Role.RESEARCHER}, [], GROUPS) == []


def test_who_hears_about_a_group_falls_back_to_the_admins() -> None:
    roles = [_role(600, Role.FACILITATOR, "Harapan"), _role(601, Role.FACILITATOR, None),
             _role(602, Role.RESEARCHER)]
    assert access.facilitators_of(GROUPS[0], "Harapan", roles, {900}) == [500, 600, 601]
    assert access.facilitators_of(GROUPS[1], "Melati", [], {900, 901}) == [900, 901]
    assert access.staff({900}, roles, GROUPS) == {900, 500, 600, 601}
