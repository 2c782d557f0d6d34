"""Released form versions are never edited: the first use of each version records a checksum of its
content, and a later use of a file with the same id and version but other content is refused."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from auditor.domain.forms import FormDefinition, check_release_unchanged
from db.models import FormRelease


def check_form_release(session: Session, form: FormDefinition, now: dt.datetime) -> None:
    """Inside the transaction that uses ``form``: record its content the first time, refuse it
    (FormDefinitionError naming the file) when the content has changed since."""
    session.execute(
        insert(FormRelease)
        .values(
            form_id=form.id,
            version=form.version,
            checksum=form.checksum,
            file_name=form.source or f"{form.id}.v{form.version}.yaml",
            first_used_at=now,
        )
        .on_conflict_do_nothing(index_elements=["form_id", "version"])
    )
    recorded = session.get(FormRelease, (form.id, form.version), populate_existing=True)
    check_release_unchanged(form, recorded.checksum if recorded else None)
