"""The product's rules in the database: CHECK constraints on every enum-like column, planned dip
samples linked to their session (each planned item started once), and the content of each form
version as first used.

The CHECK constraints need the tables rebuilt (SQLite cannot add a constraint in place). db.migrate
runs the migrations with foreign keys switched off, as SQLite's procedure for changing a table
requires: dropping the old ``audit`` table with foreign keys on would delete every response, answer
and history row with it. It checks the foreign keys again before committing.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen here: a migration must keep doing what it did when it was released.
ACTIVITY_KINDS = (
    "case_file_audit",
    "thematic_audit",
    "self_evaluation_audit",
    "observation",
    "dip_sample",
)
AUDIT_STATES = (
    "self_review",
    "first_audit",
    "second_audit",
    "reconciliation",
    "in_progress",
    "closed",
    "cancelled",
)
PARTS = ("self_review", "family_feedback", "first_audit", "second_audit", "record")
RESPONSE_STATUSES = ("draft", "submitted")
GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
WEEK_STATUSES = ("planned", "running", "closed")
FINDING_KINDS = ("strength", "development")

#: table -> (constraint name, column, allowed values, nullable)
CHECKS = {
    "audit": [
        ("ck_audit_kind", "kind", ACTIVITY_KINDS, False),
        ("ck_audit_state", "state", AUDIT_STATES, False),
        ("ck_audit_final_grade", "final_grade", GRADES, True),
    ],
    "response": [
        ("ck_response_part", "part", PARTS, False),
        ("ck_response_status", "status", RESPONSE_STATUSES, False),
        ("ck_response_overall_grade", "overall_grade", GRADES, True),
    ],
    "domain_grade": [("ck_domain_grade_grade", "grade", GRADES, False)],
    "allocation": [("ck_allocation_kind", "kind", ACTIVITY_KINDS, False)],
    "practice_week": [("ck_week_status", "status", WEEK_STATUSES, False)],
    "finding": [("ck_finding_kind", "kind", FINDING_KINDS, False)],
}


def _condition(column: str, values: tuple[str, ...], nullable: bool) -> str:
    allowed = f"{column} IN ({', '.join(repr(v) for v in values)})"
    return f"{column} IS NULL OR {allowed}" if nullable else allowed


def upgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, recreate="always") as batch:
            for name, column, values, nullable in checks:
                batch.create_check_constraint(name, _condition(column, values, nullable))
            if table == "allocation":
                batch.add_column(
                    sa.Column(
                        "dip_session_id",
                        sa.Integer(),
                        sa.ForeignKey(
                            "dip_session.id", name="fk_allocation_dip_session", ondelete="SET NULL"
                        ),
                        nullable=True,
                    )
                )
    op.create_index("ux_allocation_audit", "allocation", ["audit_id"], unique=True)
    op.create_index("ux_allocation_dip_session", "allocation", ["dip_session_id"], unique=True)
    op.create_table(
        "form_release",
        sa.Column("form_id", sa.String(length=60), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("first_used_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("Auditor upgrades only; restore the backup made before the upgrade.")
