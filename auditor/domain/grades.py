"""The four-point grade scale and its two reporting bands."""

from __future__ import annotations

from enum import Enum

from auditor.domain.errors import ValidationError


class Band(Enum):
    GOOD_OR_BETTER = "good_or_better"
    RI_OR_INADEQUATE = "ri_or_inadequate"

    @property
    def label(self) -> str:
        return (
            "Good or better"
            if self is Band.GOOD_OR_BETTER
            else "Requires improvement or inadequate"
        )


class Grade(Enum):
    """Ofsted's scale. ``rank`` orders it from best (1) to worst (4)."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def code(self) -> str:
        return _CODE[self]

    @property
    def label(self) -> str:
        return _LABEL[self]

    @property
    def short_label(self) -> str:
        return "Requires improvement" if self is Grade.REQUIRES_IMPROVEMENT else self.label

    @property
    def band(self) -> Band:
        return Band.GOOD_OR_BETTER if self.rank <= 2 else Band.RI_OR_INADEQUATE

    @property
    def needs_follow_up(self) -> bool:
        """RI and Inadequate final grades need at least one follow-up action before closing."""
        return self.band is Band.RI_OR_INADEQUATE

    def __lt__(self, other: Grade) -> bool:  # "better than"
        if not isinstance(other, Grade):
            return NotImplemented
        return self.rank < other.rank

    @classmethod
    def ordered(cls) -> list[Grade]:
        return sorted(cls, key=lambda g: g.rank)

    @classmethod
    def parse(cls, text: object) -> Grade:
        """Read a grade from a value, a label or a short code, ignoring case and extra spaces."""
        if isinstance(text, Grade):
            return text
        key = " ".join(str(text or "").replace("_", " ").replace("-", " ").split()).lower()
        grade = _ALIASES.get(key)
        if grade is None:
            raise ValidationError(
                f"'{text}' is not a grade. Use Outstanding, Good, Requires improvement (to be good), "
                "Inadequate, or O / G / RI / I."
            )
        return grade


_RANK = {Grade.OUTSTANDING: 1, Grade.GOOD: 2, Grade.REQUIRES_IMPROVEMENT: 3, Grade.INADEQUATE: 4}
_CODE = {
    Grade.OUTSTANDING: "O",
    Grade.GOOD: "G",
    Grade.REQUIRES_IMPROVEMENT: "RI",
    Grade.INADEQUATE: "I",
}
_LABEL = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    Grade.INADEQUATE: "Inadequate",
}
_ALIASES: dict[str, Grade] = {}
for _g in Grade:
    for _alias in (_g.value, _g.code, _g.label, _g.short_label):
        _ALIASES[" ".join(_alias.replace("_", " ").split()).lower()] = _g
_ALIASES["r"] = Grade.REQUIRES_IMPROVEMENT
