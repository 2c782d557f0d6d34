"""Released form versions are never edited or removed: the first use of each version records a
checksum of its content, a later use of a file with the same id and version but other content is
refused, and ``release_problems`` (run by ``forms check``) names every used version whose file is
gone or changed."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import distinct, func, select, union
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.errors import FormDefinitionError, NotFound
from auditor.domain.forms import FormDefinition, check_release_unchanged
from db.engine import Database
from db.models import Audit, DipSession, FormRelease, Response
from forms import FormLibrary


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


@dataclass(frozen=True)
class ReleaseProblem:
    """A form version the database was filled in with whose file is gone or has changed."""

    file_name: str
    message: str


_WHAT = {
    Category.AUDIT: ("audit", "audits"),
    Category.OBSERVATION: ("observation", "observations"),
    Category.DIP: ("dip-sample case", "dip-sample cases"),
}


def release_problems(db: Database, forms: FormLibrary) -> tuple[int, list[ReleaseProblem]]:
    """(how many used form versions were checked, what is wrong with them): every form version
    the database records as released, or that its audits, their parts and dip sessions name,
    must still have its file in the forms folder, with the content it had when first used. A
    file with mistakes is left to ``FormLibrary.check``, which lists them."""
    with db.reading() as s:
        recorded = {(r.form_id, r.version): r for r in s.scalars(select(FormRelease))}
        uses = _uses_by_form(s)
    problems = []
    for key in sorted(set(recorded) | set(uses)):
        release = recorded.get(key)
        name = release.file_name if release and release.file_name else f"{key[0]}.v{key[1]}.yaml"
        try:
            form = forms.get(*key)
        except NotFound:
            used = ", ".join(uses.get(key, [])) or "records"
            problems.append(
                ReleaseProblem(
                    name,
                    f"form '{key[0]}' version {key[1]} is missing from {forms.folder}, but "
                    f"{used} in {db.path} were filled in with it; they cannot be opened until the "
                    "file is put back as it was (released form versions must be kept).",
                )
            )
            continue
        except FormDefinitionError:
            continue  # its mistakes are the file check's to report
        try:
            check_release_unchanged(form, release.checksum if release else None)
        except FormDefinitionError as edited:
            problems.append(ReleaseProblem(name, str(edited).split(": ", 1)[-1]))
    return len(set(recorded) | set(uses)), problems


def _uses_by_form(s: Session) -> dict[tuple[str, int], list[str]]:
    """What used each form version, in words ("12 audits", "3 dip-sample sessions"): an audit,
    observation or dip-sample case for itself or any of its parts, and dip-sample sessions."""
    used = union(
        select(Audit.form_id, Audit.form_version, Audit.kind, Audit.id.label("audit_id")),
        select(Response.form_id, Response.form_version, Audit.kind, Response.audit_id).join(
            Audit, Audit.id == Response.audit_id
        ),
    ).subquery()
    counts: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    for form_id, version, kind, n in s.execute(
        select(
            used.c.form_id, used.c.form_version, used.c.kind, func.count(distinct(used.c.audit_id))
        ).group_by(used.c.form_id, used.c.form_version, used.c.kind)
    ):
        one, many = _WHAT[ActivityKind(kind).category]
        counts[(form_id, version)][one if n == 1 else many] += n
    sessions = select(DipSession.form_id, DipSession.form_version, func.count()).group_by(
        DipSession.form_id, DipSession.form_version
    )
    for form_id, version, n in s.execute(sessions):
        counts[(form_id, version)]["dip-sample session" if n == 1 else "dip-sample sessions"] += n
    return {key: [f"{n} {what}" for what, n in c.items()] for key, c in counts.items()}
