"""How far each role reads: the council's own settings over the defaults of ``READ_SCOPE``."""

from __future__ import annotations

from sqlalchemy import delete

from auditor.domain.clock import Clock, SystemClock
from auditor.domain.permissions import READ_SCOPE, AccessEventKind, Action, Principal, Scope
from auditor.domain.reference import Role
from auditor.services.access.guard import check, scope_overrides
from auditor.services.access.log import record
from db.engine import Database
from db.models import RoleScope


class RoleScopeService:
    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()

    def read_scopes(self, *, who: Principal) -> dict[Role, Scope]:
        """Every role's reach as it counts now (the council's setting, else the default), in
        the order of ``Role``. Anyone signed in may ask (the matrix is no secret)."""
        with self.db.reading() as s:
            check(s, who)
            table = {**READ_SCOPE, **scope_overrides(s)}
            return {role: table[role] for role in Role}

    def set_read_scope(self, role: Role, scope: Scope, *, who: Principal) -> None:
        """Set how far ``role`` reads; the default (``READ_SCOPE``) is stored as no setting. It
        counts from each person's next call (the guard reads it afresh every time), and a change
        is recorded in the access log."""
        with self.db.transaction() as s:
            me, _ = check(s, who, Action.SET_READ_SCOPE)
            role, scope = Role(role), Scope(scope)
            was = {**READ_SCOPE, **scope_overrides(s)}[role]
            s.execute(delete(RoleScope).where(RoleScope.role == role))
            if scope is not READ_SCOPE[role]:
                s.add(RoleScope(role=role, scope=scope))
            if scope is not was:  # who widened or narrowed whose reading: in the access log
                record(
                    s,
                    AccessEventKind.READ_SCOPE_CHANGED,
                    self.clock.now(),
                    person_id=me.id,
                    detail=f"{role.label}: from {was.label} to {scope.label}",
                )
