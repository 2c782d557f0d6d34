"""Practice weeks (teams, participants' days, allocations), dip sessions, findings, case theme tags
and case samples.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_tag",
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("case_file.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tag", sa.String(length=60), primary_key=True),
    )
    op.create_table(
        "practice_week_team",
        sa.Column(
            "week_id",
            sa.Integer(),
            sa.ForeignKey("practice_week.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id"), primary_key=True),
    )
    op.create_table(
        "practice_week_day",
        sa.Column(
            "week_id",
            sa.Integer(),
            sa.ForeignKey("practice_week.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
    )
    op.create_table(
        "allocation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "week_id",
            sa.Integer(),
            sa.ForeignKey("practice_week.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_file.id"), nullable=True),
        sa.Column("practitioner_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("detail", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "audit_id", sa.Integer(), sa.ForeignKey("audit.id", ondelete="SET NULL"), nullable=True
        ),
    )
    op.create_index("ix_allocation_week", "allocation", ["week_id", "day"])
    op.create_table(
        "dip_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("form_id", sa.String(length=60), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("auditor_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column(
            "practice_week_id", sa.Integer(), sa.ForeignKey("practice_week.id"), nullable=True
        ),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "audit_id", sa.Integer(), sa.ForeignKey("audit.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("domain_id", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_finding_audit_id", "finding", ["audit_id"])
    op.create_table(
        "sample",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "sample_case",
        sa.Column(
            "sample_id",
            sa.Integer(),
            sa.ForeignKey("sample.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case_file.id"), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stratum", sa.String(length=200), nullable=False),
        sa.Column("swapped_out_reason", sa.Text(), nullable=False),
    )
    # A plain ADD COLUMN: rebuilding the audit table (Alembic's batch mode) would drop the old table,
    # and with foreign keys on, SQLite would cascade that drop to every response.
    op.execute("ALTER TABLE audit ADD COLUMN dip_session_id INTEGER REFERENCES dip_session (id)")
    op.create_index("ix_audit_week", "audit", ["practice_week_id"])
    op.create_index("ix_audit_dip_session", "audit", ["dip_session_id"])


def downgrade() -> None:
    raise NotImplementedError("Auditor upgrades only; restore the backup made before the upgrade.")
