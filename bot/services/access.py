"""The access policy at work: reads who holds which role, asks ``bot.core.access``."""

from __future__ import annotations

from bot.core import access
from bot.core.access import Permission
from bot.core.models import Group, ParticipantStatus, Role, RoleAssignment
from bot.services.base import Base

NOT_PARTICIPATING = (ParticipantStatus.ONBOARDING, ParticipantStatus.DECLINED,
                     ParticipantStatus.WITHDRAWN)


class RoleError(ValueError):
    """A role change that cannot be made; the message says why (for the CLI)."""


class Access:
    def __init__(self, base: Base, admin_ids: frozenset[int]) -> None:
        self._base = base
        self.admin_ids = admin_ids

    async def roles_of(self, telegram_id: int) -> set[Role]:
        roles, _, _ = await self._read(telegram_id)
        return roles

    async def _read(self, telegram_id: int) -> tuple[set[Role], list[RoleAssignment],
                                                     list[Group]]:
        """This person's roles, with the assignments and groups they came from (one read)."""
        store = self._base.store
        participant = await self._base.participant(telegram_id)
        participates = participant is not None and participant.status not in NOT_PARTICIPATING
        assignments = await store.list_roles(telegram_id)
        groups = await store.list_groups()
        return (access.roles_of(telegram_id, self.admin_ids, assignments, groups, participates),
                assignments, groups)

    async def may(self, telegram_id: int, permission: Permission) -> bool:
        return access.allows(await self.roles_of(telegram_id), permission)

    async def groups_of(self, telegram_id: int) -> list[Group]:
        """The groups whose participants this person may see and invite to."""
        roles, assignments, groups = await self._read(telegram_id)
        return access.visible_groups(telegram_id, roles, assignments, groups)

    async def facilitators_of(self, group_name: str) -> list[int]:
        """Who hears about this group: its facilitators, else the admins."""
        store = self._base.store
        return access.facilitators_of(await store.get_group(group_name), group_name,
                                      await store.list_roles(None), self.admin_ids)

    async def staff(self) -> set[int]:
        store = self._base.store
        return access.staff(self.admin_ids, await store.list_roles(None),
                            await store.list_groups())

    # --- role changes (``jeda role``) ------------------------------------------------

    async def grant(self, telegram_id: int, role: Role, group: str | None,
                    by: str) -> RoleAssignment:
        """Give ``role`` (for one group, or all when None); recorded in the audit log."""
        store = self._base.store
        if telegram_id <= 0:
            raise RoleError(f"{telegram_id} is not a Telegram user id (a positive number)")
        if role not in access.GRANTABLE:
            raise RoleError(f"{role.value} cannot be granted; participants join with a code")
        if group is not None:
            found = await store.get_group(group)
            if found is None:
                raise RoleError(f"there is no group called {group}")
            group = found.name
        if role is not Role.FACILITATOR and group is not None:
            raise RoleError(f"the {role.value} role is for every group (leave out --group)")
        held = [a for a in await store.list_roles(telegram_id)
                if a.role is role and a.group == group]
        if held:
            return held[0]
        assignment = RoleAssignment(telegram_id, role, group, self._base.clock(), by)
        await store.assign_role(assignment)
        await self._base.audit("role_granted", by, None, role=role.value, group=group,
                               user=self._base.pid_for(telegram_id))
        return assignment

    async def revoke(self, telegram_id: int, role: Role, group: str | None, by: str) -> bool:
        """Take a granted role back; False when it was not held."""
        store = self._base.store
        found = await store.get_group(group) if group is not None else None
        group = found.name if found is not None else group
        held = [a for a in await store.list_roles(telegram_id)
                if a.role is role and a.group == group]
        if not held:
            return False
        await store.revoke_role(telegram_id, role.value, group)
        await self._base.audit("role_revoked", by, None, role=role.value, group=group,
                               user=self._base.pid_for(telegram_id))
        return True

    async def assignments(self) -> list[RoleAssignment]:
        return sorted(await self._base.store.list_roles(None),
                      key=lambda a: (a.role.value, a.group or "", a.telegram_id))
