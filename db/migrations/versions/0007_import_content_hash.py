"""A re-import is recognised by what the file holds, not by its bytes: each import batch keeps a
hash of its rows (``content_hash``) under a unique index, so the same rows cannot be imported
twice, not even by two imports racing each other.

Existing batches get the hash of the rows they hold. Where earlier versions imported the same rows
more than once (a CSV saved again with other line endings, say), the first batch keeps the hash
and the later copies keep none: their rows are not touched (deleting grades is for a person to
decide), and a further import of those rows is still refused because the first batch has them.

Revision ID: 0007
Revises: 0006
"""

import hashlib
import json
import logging

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

# Frozen here: the canonical form of a row when this revision was written (the importer's
# ``content_hash`` must give the same for the same rows).
COLUMNS = ("activity_on", "category", "grade", "team", "case_ref", "auditor", "theme")


def _content_hash(rows: list[tuple[object, ...]]) -> str:
    lines = sorted(json.dumps([str(v) for v in row], ensure_ascii=False) for row in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def upgrade() -> None:
    # Plain ADD COLUMN and CREATE INDEX: no table is rebuilt, so no row can be lost to a cascade.
    op.add_column("import_batch", sa.Column("content_hash", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    batches = connection.exec_driver_sql("SELECT id FROM import_batch ORDER BY id").fetchall()
    seen: set[str] = set()
    for (batch_id,) in batches:
        rows = connection.exec_driver_sql(
            f"SELECT {', '.join(COLUMNS)} FROM historic_grade WHERE batch_id = ?", (batch_id,)
        ).fetchall()
        digest = _content_hash([tuple(r) for r in rows])
        if digest in seen:
            log.warning("Import batch %s holds the same rows as an earlier batch", batch_id)
            continue
        seen.add(digest)
        connection.exec_driver_sql(
            "UPDATE import_batch SET content_hash = ? WHERE id = ?", (digest, batch_id)
        )
    op.create_index("ux_import_batch_content_hash", "import_batch", ["content_hash"], unique=True)


def downgrade() -> None:
    raise NotImplementedError("Auditor upgrades only; restore the backup made before the upgrade.")
