"""What the reports count beside the audits: imported historic grades and their batches, and
the agreement counts kept as audits close."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from auditor.domain.reference import CASE_REFERENCE_MAX
from db.models.base import Base


class ImportBatch(Base):
    """One import of historic grades. ``content_hash`` is the hash of its rows (in any order), unique,
    so the same rows cannot be imported twice however the file was saved; ``checksum`` is the
    file's bytes, kept for the record. Batches that repeated an earlier one before the hash existed
    have none (see migration 0007)."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(260))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    row_count: Mapped[int] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ux_import_batch_content_hash", "content_hash", unique=True),)


class HistoricGrade(Base):
    """A graded item from before the application, imported from a spreadsheet."""

    __tablename__ = "historic_grade"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    activity_on: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(20))
    grade: Mapped[str] = mapped_column(String(30))
    team: Mapped[str] = mapped_column(String(120), default="")
    case_ref: Mapped[str] = mapped_column(String(CASE_REFERENCE_MAX), default="")
    auditor: Mapped[str] = mapped_column(String(120), default="")
    theme: Mapped[str] = mapped_column(String(120), default="")
    __table_args__ = (Index("ix_historic_summary", "activity_on", "category", "grade"),)


class AgreementCell(Base):
    """How many (first grade, second grade) pairs closed three-tier audits gave, per closing month,
    first auditor and area (the overall grade is the area "overall"). Closed audits are final, so
    these counts are added when an audit closes, in the same transaction, and never change."""

    __tablename__ = "agreement_cell"
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date | None] = mapped_column(Date)  # first day of the closing month
    first_auditor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    area: Mapped[str] = mapped_column(String(60))
    first_grade: Mapped[str] = mapped_column(String(30))
    second_grade: Mapped[str] = mapped_column(String(30))
    n: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        UniqueConstraint(
            "month",
            "first_auditor_id",
            "area",
            "first_grade",
            "second_grade",
            name="uq_agreement_cell",
        ),
    )


class AgreementAudits(Base):
    """Per closing month and first auditor: closed audits with an area graded by both tiers, and
    with any pair at all (the overall grade included) — the ``audits`` of the agreement figures."""

    __tablename__ = "agreement_audits"
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date | None] = mapped_column(Date)
    first_auditor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    with_area_pair: Mapped[int] = mapped_column(Integer)
    with_any_pair: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("month", "first_auditor_id", name="uq_agreement_audits"),)
