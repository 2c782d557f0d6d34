"""The access log records a change to how far a role reads (``read_scope_changed``) and the
database being put back to a backup (``backup_restored``): who widened or narrowed whose reading,
and who threw away whose work since a backup, are what an information-governance review asks first.

SQLite cannot change a CHECK constraint in place, so ``access_event`` is rebuilt with the longer
list of kinds; every row is kept as it was.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
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
    "read_scope_changed",
    "backup_restored",
)


def upgrade() -> None:
    with op.batch_alter_table("access_event", recreate="always") as batch:
        batch.drop_constraint("ck_access_kind", type_="check")
        batch.create_check_constraint(
            "ck_access_kind", f"kind IN ({', '.join(repr(k) for k in ACCESS_KINDS)})"
        )


def downgrade() -> None:
    raise NotImplementedError("Auditor upgrades only; restore the backup made before the upgrade.")
