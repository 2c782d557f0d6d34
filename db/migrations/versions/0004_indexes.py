"""Indexes for sorting and paging All audits (keyset: each index is on one column, which SQLite
extends with the row id, so a page seeks on (value, id)).

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_audit_kind": ["kind"],
    "ix_audit_state": ["state"],
    "ix_audit_final_grade": ["final_grade"],
    "ix_audit_team": ["team_id"],
    "ix_audit_created": ["created_at"],
    "ix_audit_completed": ["completed_on"],
}


def upgrade() -> None:
    # Plain CREATE INDEX: no table is rebuilt, so no row can be lost to a cascading drop.
    for name, columns in INDEXES.items():
        op.create_index(name, "audit", columns)


def downgrade() -> None:
    raise NotImplementedError("Auditor upgrades only; restore the backup made before the upgrade.")
