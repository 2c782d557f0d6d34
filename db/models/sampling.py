"""Samples of cases proposed for a thematic audit or a self-evaluation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base
from db.models.reference import Case


class Sample(Base):
    """Cases proposed for a thematic audit or self-evaluation: reproducible from its seed."""

    __tablename__ = "sample"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(40))
    seed: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    criteria: Mapped[str] = mapped_column(Text)  # JSON: theme, teams, case types, exclusion
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    cases: Mapped[list[SampleCase]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SampleCase.position"
    )


class SampleCase(Base):
    __tablename__ = "sample_case"
    sample_id: Mapped[int] = mapped_column(
        ForeignKey("sample.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    stratum: Mapped[str] = mapped_column(String(200), default="")
    swapped_out_reason: Mapped[str] = mapped_column(Text, default="")  # "" while in the sample
    case: Mapped[Case] = relationship(lazy="joined")
