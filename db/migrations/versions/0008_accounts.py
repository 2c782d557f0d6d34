"""Sign-ins and the access log: an account per person who signs in, the access log, the council's
own reach for each role's reading, the history of who held each case, and teams and cases that
can be deactivated (kept, offered for no new work).

Existing cases get one allocation row each (their team and worker now, from the time of the
upgrade: earlier holders were not recorded). No row is rebuilt or removed.

Revision ID: 0008
Revises: 0007
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Frozen here: the values when this revision was written.
ACCESS_KINDS = (
    "signed_in",
    "sign_in_failed",
    "locked_out",
    "signed_out",
    "session_locked",
    "unlocked",
    "password_changed",
    "password_reset",
    "account_created",
    "account_deactivated",
    "account_reactivated",
    "viewed_audit",
    "printed_audit",
    "printed_report",
    "exported",
    "refused",
)
ROLES = (
    "social_worker",
    "team_manager",
    "senior_social_work_manager",
    "service_manager",
    "head_of_service",
    "advanced_practitioner",
    "principal_social_worker",
    "director",
    "iro",
    "administrator",
)
SCOPES = ("own", "team", "all")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("must_change", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
        sa.Column("last_signed_in_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("person_id"),
    )
    op.create_table(
        "access_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("audit_id", sa.Integer(), sa.ForeignKey("audit.id"), nullable=True),
        sa.Column("detail", sa.String(length=400), nullable=False),
        sa.Column("machine", sa.String(length=120), nullable=False),
        sa.CheckConstraint(_in("kind", ACCESS_KINDS), name="ck_access_kind"),
    )
    op.create_index("ix_access_event_at", "access_event", ["at"])
    op.create_index("ix_access_event_audit", "access_event", ["audit_id"])
    op.create_index("ix_access_event_person", "access_event", ["person_id"])
    op.create_table(
        "role_scope",
        sa.Column("role", sa.String(length=40), primary_key=True),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.CheckConstraint(_in("role", ROLES), name="ck_role_scope_role"),
        sa.CheckConstraint(_in("scope", SCOPES), name="ck_role_scope_scope"),
    )
    op.create_table(
        "case_allocation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("case_file.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id"), nullable=False),
        sa.Column("worker_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("from_at", sa.DateTime(), nullable=False),
        sa.Column("to_at", sa.DateTime(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
    )
    op.create_index("ix_case_allocation_case", "case_allocation", ["case_id"])
    # Plain ADD COLUMN: no table is rebuilt, so no row can be lost to a cascade.
    op.add_column("team", sa.Column("active", sa.Boolean(), nullable=False, server_default="1"))
    op.add_column(
        "case_file", sa.Column("active", sa.Boolean(), nullable=False, server_default="1")
    )
    now = dt.datetime.now().replace(microsecond=0)
    op.get_bind().exec_driver_sql(
        "INSERT INTO case_allocation (case_id, team_id, worker_id, from_at) "
        "SELECT id, team_id, worker_id, ? FROM case_file",
        (now,),
    )


def downgrade() -> None:
    raise NotImplementedError("Auditor upgrades only; restore the backup made before the upgrade.")
