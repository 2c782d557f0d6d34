"""Rules the database holds as well as the services: one audit under way per case, and a case
graded once in a dip-sample session.

Two writers racing could break both rules before the services took the write lock first, so a
database may already hold duplicates. They are not refused (the file could then not be opened by
this version at all) but settled: of each set, the audit furthest along is kept and the others are
cancelled, with the reason and an entry in their history. Cancelling keeps every answer written.

Revision ID: 0006
Revises: 0005
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Frozen here: what the application meant by these words when this revision was written.
OPEN_THREE_TIER = (
    "state NOT IN ('closed', 'cancelled') "
    "AND kind IN ('case_file_audit', 'thematic_audit', 'self_evaluation_audit')"
)
IN_DIP = "dip_session_id IS NOT NULL AND state != 'cancelled'"
FURTHEST_FIRST = """CASE state WHEN 'closed' THEN 0 WHEN 'reconciliation' THEN 1
    WHEN 'second_audit' THEN 2 WHEN 'first_audit' THEN 3 ELSE 4 END, a.id"""

DUPLICATES = """
SELECT id, state, created_by_id, kept, reference FROM (
    SELECT a.id, a.state, a.created_by_id, c.reference,
           first_value(a.id) OVER w AS kept, row_number() OVER w AS n
    FROM audit a JOIN case_file c ON c.id = a.case_id
    WHERE {where}
    WINDOW w AS (PARTITION BY {key} ORDER BY {order})
) WHERE n > 1
"""
WHY = {
    "open": (
        "Cancelled when Auditor was upgraded: case {ref} had two audits under way at once, "
        "and a case may have only one. Audit {kept} carries on; everything written in this one "
        "is kept and can still be read."
    ),
    "dip": (
        "Cancelled when Auditor was upgraded: case {ref} was in this dip-sample session twice. "
        "Activity {kept} is kept; everything written in this one can still be read."
    ),
}


def _settle(bind: sa.Connection, what: str, where: str, key: str) -> None:
    query = DUPLICATES.format(where=where, key=key, order=FURTHEST_FIRST)
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S.%f")
    for audit_id, state, actor_id, kept, ref in bind.execute(sa.text(query)).all():
        reason = WHY[what].format(ref=ref, kept=kept)
        bind.execute(
            sa.text(
                "UPDATE audit SET state = 'cancelled', cancelled_reason = :reason WHERE id = :id"
            ),
            {"reason": reason, "id": audit_id},
        )
        bind.execute(
            sa.text(
                "INSERT INTO audit_event (audit_id, at, actor_id, event, from_state, to_state, "
                "detail) VALUES (:id, :at, :actor, 'cancelled', :before, 'cancelled', :reason)"
            ),
            {"id": audit_id, "at": now, "actor": actor_id, "before": state, "reason": reason},
        )


def upgrade() -> None:
    bind = op.get_bind()
    _settle(bind, "open", f"a.case_id IS NOT NULL AND {OPEN_THREE_TIER}", "a.case_id")
    _settle(bind, "dip", IN_DIP, "a.dip_session_id, a.case_id")
    # Plain CREATE INDEX: no table is rebuilt, so no row can be lost to a cascading drop.
    op.create_index(
        "ux_audit_open_case",
        "audit",
        ["case_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_THREE_TIER),
    )
    op.create_index(
        "ux_audit_dip_case",
        "audit",
        ["dip_session_id", "case_id"],
        unique=True,
        sqlite_where=sa.text(IN_DIP),
    )


def downgrade() -> None:
    raise NotImplementedError("Auditor upgrades only; restore the backup made before the upgrade.")
