"""Financial years (April to March) and date parsing shared by imports and the CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditor.domain.errors import ValidationError

#: The financial year starts on 1 April: the one place that says so.
FIRST_MONTH = 4


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int  # 2019 for 2019-20

    @classmethod
    def of(cls, day: dt.date) -> FinancialYear:
        return cls.of_month(day.year, day.month)

    @classmethod
    def of_month(cls, year: int, month: int) -> FinancialYear:
        return cls(year if month >= FIRST_MONTH else year - 1)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start_year, FIRST_MONTH, 1)

    @property
    def last_day(self) -> dt.date:
        return self.quarter_start(4 + 1) - dt.timedelta(days=1)

    def quarter_start(self, quarter: int) -> dt.date:
        """The first day of quarter 1-4 (Q1 = April to June); quarter 5 is the next year's Q1."""
        month = FIRST_MONTH + 3 * (quarter - 1)
        return dt.date(self.start_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    def __str__(self) -> str:
        return self.label


def financial_year_of_month(year: int, month: int) -> FinancialYear:
    return FinancialYear.of_month(year, month)


def financial_quarter(day: dt.date) -> tuple[FinancialYear, int]:
    """The financial year of ``day`` and its quarter, 1 (April to June) to 4 (January to March)."""
    return FinancialYear.of(day), (day.month - FIRST_MONTH) % 12 // 3 + 1


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
