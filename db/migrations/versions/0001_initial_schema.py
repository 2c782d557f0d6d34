"""Initial schema: people, teams, cases, audits and their responses, actions, history, imports.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 13:36:39.110600
"""

import sqlalchemy as sa
from alembic import op

# Frozen here: a migration must keep doing what it did when it was released.
CASE_TYPES = {
    "early_help": "Early help",
    "child_in_need": "Child in need",
    "child_protection": "Child protection",
    "child_in_care": "Child in care",
    "care_leaver": "Care leaver",
    "adoption": "Adoption",
    "disabled_children": "Disabled children",
}


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_type",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batch_checksum"), ["checksum"], unique=False)

    op.create_table(
        "practice_week",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("service", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "historic_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("activity_on", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("grade", sa.String(length=30), nullable=False),
        sa.Column("team", sa.String(length=120), nullable=False),
        sa.Column("case_ref", sa.String(length=40), nullable=False),
        sa.Column("auditor", sa.String(length=120), nullable=False),
        sa.Column("theme", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("historic_grade", schema=None) as batch_op:
        batch_op.create_index(
            "ix_historic_summary", ["activity_on", "category", "grade"], unique=False
        )

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("line_manager_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_manager_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "case_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("case_type", sa.String(length=40), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_type"],
            ["case_type.code"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    op.create_table(
        "person_role",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id", "role"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("case_type", sa.String(length=40), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("worker_line_manager_id", sa.Integer(), nullable=True),
        sa.Column("first_auditor_id", sa.Integer(), nullable=True),
        sa.Column("second_auditor_id", sa.Integer(), nullable=True),
        sa.Column("form_id", sa.String(length=60), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("blind", sa.Boolean(), nullable=False),
        sa.Column("theme", sa.String(length=120), nullable=False),
        sa.Column("practice_week_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("final_grade", sa.String(length=30), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("cancelled_reason", sa.Text(), nullable=False),
        sa.Column("self_review_waived_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["first_auditor_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practice_week_id"],
            ["practice_week.id"],
        ),
        sa.ForeignKeyConstraint(
            ["second_auditor_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["worker_line_manager_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index("ix_audit_case", ["case_id"], unique=False)
        batch_op.create_index("ix_audit_first_auditor", ["first_auditor_id", "state"], unique=False)
        batch_op.create_index(
            "ix_audit_second_auditor", ["second_auditor_id", "state"], unique=False
        )
        batch_op.create_index(
            "ix_audit_summary", ["state", "completed_on", "kind", "final_grade"], unique=False
        )
        batch_op.create_index("ix_audit_worker", ["worker_id", "state"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("from_state", sa.String(length=30), nullable=True),
        sa.Column("to_state", sa.String(length=30), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_audit_id"), ["audit_id"], unique=False)

    op.create_table(
        "follow_up_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["completed_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("follow_up_action", schema=None) as batch_op:
        batch_op.create_index("ix_action_owner", ["owner_id", "completed_on"], unique=False)

    op.create_table(
        "reconciliation_note",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("audit_id", "domain_id"),
    )
    op.create_table(
        "response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=30), nullable=False),
        sa.Column("form_id", sa.String(length=60), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("overall_grade", sa.String(length=30), nullable=True),
        sa.Column("overall_rationale", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("audit_id", "part"),
    )
    op.create_table(
        "answer",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["response_id"], ["response.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("response_id", "field_id"),
    )
    op.create_table(
        "domain_grade",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.String(length=60), nullable=False),
        sa.Column("grade", sa.String(length=30), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["response_id"], ["response.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("response_id", "domain_id"),
    )
    case_type = sa.table("case_type", sa.column("code", sa.String), sa.column("label", sa.String))
    op.bulk_insert(
        case_type, [{"code": code, "label": label} for code, label in CASE_TYPES.items()]
    )


def downgrade() -> None:
    op.drop_table("domain_grade")
    op.drop_table("answer")
    op.drop_table("response")
    op.drop_table("reconciliation_note")
    with op.batch_alter_table("follow_up_action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_owner")

    op.drop_table("follow_up_action")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_audit_id"))

    op.drop_table("audit_event")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_worker")
        batch_op.drop_index("ix_audit_summary")
        batch_op.drop_index("ix_audit_second_auditor")
        batch_op.drop_index("ix_audit_first_auditor")
        batch_op.drop_index("ix_audit_case")

    op.drop_table("audit")
    op.drop_table("person_role")
    op.drop_table("case_file")
    op.drop_table("person")
    with op.batch_alter_table("historic_grade", schema=None) as batch_op:
        batch_op.drop_index("ix_historic_summary")

    op.drop_table("historic_grade")
    op.drop_table("team")
    op.drop_table("practice_week")
    op.drop_table("import_batch")
    op.drop_table("case_type")
