"""The registry's invite codes (only their hashes): TinyDBStore's part for them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from tinydb import TinyDB

from bot.core.models import Invite
from storage.convert import from_doc, to_doc
from storage.files import Files, replace_doc


class _Registry(Protocol):
    """What the invite methods use of the store they are mixed into."""

    files: Files

    @property
    def registry(self) -> Path: ...

    def _registry(self, table: str) -> tuple[Any, ...]: ...


class InviteTables:
    """Invites in ``registry.json``, mixed into TinyDBStore (which has what ``_Registry``
    names)."""

    def add_invites(self: _Registry, invites: Iterable[Invite]) -> None:
        with self.files.write(self.registry) as db:
            db.table("invites").insert_multiple(to_doc(i) for i in invites)

    def get_invite(self: _Registry, code_hash: str) -> Invite | None:
        return next((i for i in self._registry("invites") if i.code_hash == code_hash), None)

    def claim_invite(self: _Registry, code_hash: str, pid: str, now: datetime) -> Invite | None:
        with self.files.write(self.registry) as db:
            found = [from_doc(Invite, dict(d)) for d in db.table("invites").all()
                     if d.get("code_hash") == code_hash]
            if not found:
                return None
            invite = found[0]
            if invite.used_by == pid:
                return invite if invite.spent_at is None else None
            if not invite.is_usable(now):
                return None
            claimed = from_doc(Invite, {**to_doc(invite), "used_by": pid,
                                        "used_at": now.isoformat()})
            replace_doc(db, "invites", to_doc(claimed), {"code_hash": code_hash})
            return claimed

    def spend_invites(self: _Registry, pid: str, now: datetime) -> None:
        with self.files.write(self.registry) as db:
            table = db.table("invites")
            for doc in table.all():
                if doc.get("used_by") == pid and doc.get("spent_at") is None:
                    replace_doc(db, "invites", {**dict(doc), "spent_at": now.isoformat()},
                             {"code_hash": doc.get("code_hash")})

    def list_invites(self: _Registry, group: str | None = None) -> list[Invite]:
        return [i for i in self._registry("invites") if group is None or i.group == group]

    def revoke_invite(self: _Registry, code_hash: str, now: datetime) -> Invite | None:
        """Make an unused invite unusable from ``now``; None when there is no such unused one."""
        with self.files.write(self.registry) as db:
            found = [from_doc(Invite, dict(d)) for d in db.table("invites").all()
                     if d.get("code_hash") == code_hash and d.get("used_by") is None]
            if not found or found[0].expires_at <= now:
                return None
            revoked = from_doc(Invite, {**to_doc(found[0]), "expires_at": now.isoformat()})
            replace_doc(db, "invites", to_doc(revoked), {"code_hash": code_hash})
            return revoked


def forget_invite_user(db: TinyDB, pid: str) -> None:
    """Erasure: a code ``pid`` spent (they agreed) stays spent, used by nobody now; one
    they only claimed (they declined) stays theirs, so they may come back with it."""
    invites = db.table("invites")
    for found in invites.all():
        if found.get("used_by") == pid and found.get("spent_at"):
            invites.update({"used_by": "erased"}, doc_ids=[found.doc_id])
