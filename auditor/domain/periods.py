"""Financial years (April to March) and date parsing shared by imports and the CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditor.domain.errors import ValidationError


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int  # 2019 for 2019-20

    @classmethod
    def of(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    def __str__(self) -> str:
        return self.label


def financial_year_of_month(year: int, month: int) -> FinancialYear:
    return FinancialYear(year if month >= 4 else year - 1)


def parse_date(value: object) -> dt.date:
    """Accept ISO dates (2019-04-30), UK dates (30/04/2019) and date/datetime objects."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value if value is not None else "").strip()
    if not text:
        raise ValidationError("a date is missing")
    if "T" in text or " " in text:  # spreadsheet timestamps such as "2019-04-30 00:00:00"
        text = text.replace("T", " ").split(" ")[0]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(f"'{value}' is not a date; write it as 2019-04-30 or 30/04/2019")
