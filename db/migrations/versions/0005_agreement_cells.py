"""Agreement counts kept by closing month (closed audits are final), back-filled from the audits
already closed.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen here: what the application counted when this revision was written.
THREE_TIER = "('case_file_audit', 'thematic_audit', 'self_evaluation_audit')"
TIERS = """
    FROM audit a
    JOIN response f ON f.audit_id = a.id AND f.part = 'first_audit' AND f.status = 'submitted'
    JOIN response s ON s.audit_id = a.id AND s.part = 'second_audit' AND s.status = 'submitted'
"""
CLOSED = f"a.state = 'closed' AND a.kind IN {THREE_TIER}"
MONTH = "date(a.completed_on, 'start of month')"

BACKFILL_CELLS = f"""
INSERT INTO agreement_cell (month, first_auditor_id, area, first_grade, second_grade, n)
SELECT {MONTH}, a.first_auditor_id, g1.domain_id, g1.grade, g2.grade, count(*)
{TIERS}
    JOIN domain_grade g1 ON g1.response_id = f.id
    JOIN domain_grade g2 ON g2.response_id = s.id AND g2.domain_id = g1.domain_id
WHERE {CLOSED}
GROUP BY 1, 2, 3, 4, 5
UNION ALL
SELECT {MONTH}, a.first_auditor_id, 'overall', f.overall_grade, s.overall_grade, count(*)
{TIERS}
WHERE {CLOSED} AND f.overall_grade IS NOT NULL AND s.overall_grade IS NOT NULL
GROUP BY 1, 2, 4, 5
"""
AREA_PAIR = """EXISTS (SELECT 1 FROM domain_grade g1 JOIN domain_grade g2
                        ON g2.domain_id = g1.domain_id
                       WHERE g1.response_id = f.id AND g2.response_id = s.id)"""
OVERALL_PAIR = "(f.overall_grade IS NOT NULL AND s.overall_grade IS NOT NULL)"
BACKFILL_AUDITS = f"""
INSERT INTO agreement_audits (month, first_auditor_id, with_area_pair, with_any_pair)
SELECT {MONTH}, a.first_auditor_id, sum({AREA_PAIR}), sum({AREA_PAIR} OR {OVERALL_PAIR})
{TIERS}
WHERE {CLOSED}
GROUP BY 1, 2
"""


def upgrade() -> None:
    # New tables only: nothing existing is rebuilt, so no row can be lost to a cascading drop.
    op.create_table(
        "agreement_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=True),
        sa.Column("first_auditor_id", sa.Integer(), nullable=True),
        sa.Column("area", sa.String(length=60), nullable=False),
        sa.Column("first_grade", sa.String(length=30), nullable=False),
        sa.Column("second_grade", sa.String(length=30), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["first_auditor_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "month",
            "first_auditor_id",
            "area",
            "first_grade",
            "second_grade",
            name="uq_agreement_cell",
        ),
    )
    op.create_table(
        "agreement_audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=True),
        sa.Column("first_auditor_id", sa.Integer(), nullable=True),
        sa.Column("with_area_pair", sa.Integer(), nullable=False),
        sa.Column("with_any_pair", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["first_auditor_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("month", "first_auditor_id", name="uq_agreement_audits"),
    )
    op.execute(BACKFILL_CELLS)
    op.execute(BACKFILL_AUDITS)


def downgrade() -> None:
    raise NotImplementedError("Auditor upgrades only; restore the backup made before the upgrade.")
