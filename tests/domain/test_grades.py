import pytest

from auditor.domain.errors import ValidationError
from auditor.domain.grades import Band, Grade


@pytest.mark.parametrize(
    "text, grade",
    [
        ("Outstanding", Grade.OUTSTANDING),
        ("o", Grade.OUTSTANDING),
        ("GOOD", Grade.GOOD),
        ("g", Grade.GOOD),
        ("Requires improvement", Grade.REQUIRES_IMPROVEMENT),
        ("requires improvement to be good", Grade.REQUIRES_IMPROVEMENT),
        ("RI", Grade.REQUIRES_IMPROVEMENT),
        ("requires_improvement", Grade.REQUIRES_IMPROVEMENT),
        (" Inadequate ", Grade.INADEQUATE),
        ("i", Grade.INADEQUATE),
    ],
)
def test_parse_accepts_labels_codes_and_values(text, grade):
    assert Grade.parse(text) is grade


@pytest.mark.parametrize("text", ["", "Excellent", "RII", None, "5"])
def test_parse_refuses_anything_else_with_the_accepted_forms(text):
    with pytest.raises(ValidationError, match="Outstanding, Good, Requires improvement"):
        Grade.parse(text)


def test_order_codes_and_bands():
    assert Grade.ordered() == [
        Grade.OUTSTANDING,
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
        Grade.INADEQUATE,
    ]
    assert Grade.OUTSTANDING < Grade.INADEQUATE
    assert [g.code for g in Grade.ordered()] == ["O", "G", "RI", "I"]
    assert [g.band for g in Grade.ordered()] == [Band.GOOD_OR_BETTER] * 2 + [
        Band.RI_OR_INADEQUATE
    ] * 2
    assert [g.needs_follow_up for g in Grade.ordered()] == [False, False, True, True]
    assert Grade.REQUIRES_IMPROVEMENT.label == "Requires improvement to be good"
    assert Grade.REQUIRES_IMPROVEMENT.short_label == "Requires improvement"
