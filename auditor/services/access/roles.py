"""How far each role reads: the council's own settings over the defaults of ``READ_SCOPE``."""

from __future__ import annotations

from sqlalchemy import delete

from auditor.domain.permissions import READ_SCOPE, Action, Principal, Scope
from auditor.domain.reference import Role
from auditor.services.access.guard import check, scope_overrides
from db.engine import Database
from db.models import RoleScope


class RoleScopeService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def read_scopes(self, *, who: Principal) -> dict[Role, Scope]:
        """Every role's reach as it counts now (the council's setting, else the default), in
        the order of ``Role``. Anyone signed in may ask (the matrix is no secret)."""
        with self.db.reading() as s:
            check(s, who)
            table = {**READ_SCOPE, **scope_overrides(s)}
            return {role: table[role] for role in Role}

    def set_read_scope(self, role: Role, scope: Scope, *, who: Principal) -> None:
        """Set how far ``role`` reads; the default (``READ_SCOPE``) is stored as no setting. It
        counts from each person's next call (the guard reads it afresh every time)."""
        with self.db.transaction() as s:
            check(s, who, Action.SET_READ_SCOPE)
            role, scope = Role(role), Scope(scope)
            s.execute(delete(RoleScope).where(RoleScope.role == role))
            if scope is not READ_SCOPE[role]:
                s.add(RoleScope(role=role, scope=scope))
