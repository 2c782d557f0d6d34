"""Kinds of quality-assurance activity and the reporting category each is counted under."""

from __future__ import annotations

from enum import StrEnum

from auditor.domain.errors import ValidationError


class Category(StrEnum):
    """The rows of the council's grade table: audits, observations, dips."""

    AUDIT = "audit"
    OBSERVATION = "observation"
    DIP = "dip"

    @property
    def label(self) -> str:
        return {"audit": "Audits", "observation": "Observations", "dip": "Dip samples"}[self.value]

    @property
    def order(self) -> int:
        return list(Category).index(self)

    @classmethod
    def parse(cls, text: object) -> Category:
        key = str(text or "").strip().lower()
        key = {
            "audits": "audit",
            "observations": "observation",
            "dips": "dip",
            "dip sample": "dip",
            "dip samples": "dip",
            "observation of practice": "observation",
            "case-file audit": "audit",
            "case file audit": "audit",
        }.get(key, key)
        try:
            return cls(key)
        except ValueError:
            raise ValidationError(
                f"'{text}' is not an activity. Use audit, observation or dip."
            ) from None


class ActivityKind(StrEnum):
    CASE_FILE_AUDIT = "case_file_audit"  # the three-tier audit
    THEMATIC_AUDIT = "thematic_audit"
    SELF_EVALUATION_AUDIT = "self_evaluation_audit"
    OBSERVATION = "observation"
    DIP_SAMPLE = "dip_sample"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def category(self) -> Category:
        if self is ActivityKind.OBSERVATION:
            return Category.OBSERVATION
        if self is ActivityKind.DIP_SAMPLE:
            return Category.DIP
        return Category.AUDIT

    @property
    def is_three_tier(self) -> bool:
        """Case-file, thematic and self-evaluation audits all run through the three tiers."""
        return self.category is Category.AUDIT


_LABELS = {
    ActivityKind.CASE_FILE_AUDIT: "Case-file audit (three-tier)",
    ActivityKind.THEMATIC_AUDIT: "Thematic audit",
    ActivityKind.SELF_EVALUATION_AUDIT: "Quarterly self-evaluation audit",
    ActivityKind.OBSERVATION: "Observation of practice",
    ActivityKind.DIP_SAMPLE: "Dip sample",
}


#: The kinds that run through the three tiers (self-review, first audit, independent second audit).
THREE_TIER_KINDS: tuple[ActivityKind, ...] = tuple(k for k in ActivityKind if k.is_three_tier)
