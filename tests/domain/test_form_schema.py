import copy

import pytest

from auditor.domain.answers import clean_answers
from auditor.domain.errors import FormDefinitionError, ValidationError
from auditor.domain.forms import FieldType, parse_form

DESCRIPTORS = {
    "outstanding": "Exceptional.",
    "good": "Solid.",
    "requires_improvement": "Gaps.",
    "inadequate": "Serious failings.",
}
MINIMAL = {
    "id": "mini",
    "version": 1,
    "title": "Mini audit",
    "use": "case_audit",
    "sections": [
        {
            "id": "voice",
            "title": "Voice",
            "fields": [
                {"id": "seen", "type": "yes_no", "label": "Child seen?", "required": True},
                {
                    "id": "why_not",
                    "type": "textarea",
                    "label": "Why not?",
                    "required": True,
                    "visible_if": {"field": "seen", "equals": "no"},
                },
                {
                    "id": "voice",
                    "type": "grade",
                    "label": "Voice of the child",
                    "descriptors": DESCRIPTORS,
                },
            ],
        },
        {
            "id": "perm",
            "title": "Permanence",
            "case_types": ["child_in_care"],
            "fields": [
                {
                    "id": "permanence",
                    "type": "grade",
                    "label": "Permanence",
                    "descriptors": DESCRIPTORS,
                },
            ],
        },
    ],
    "overall": {"label": "Overall", "descriptors": DESCRIPTORS},
}


def form_with(change):
    data = copy.deepcopy(MINIMAL)
    change(data)
    return data


def test_a_valid_form_parses_into_frozen_dataclasses():
    form = parse_form(MINIMAL, "mini.v1.yaml")
    assert [f.id for f in form.all_fields()] == [
        "seen",
        "why_not",
        "voice",
        "permanence",
        "overall",
    ]
    assert form.field("voice").type is FieldType.GRADE and form.field("voice").required
    assert [d.id for d in form.domains("child_in_need")] == ["voice"]
    assert [d.id for d in form.domains("child_in_care")] == ["voice", "permanence"]
    with pytest.raises(AttributeError):
        form.title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["sections"][0]["fields"][0].update(lable="x"),
            "field 'seen': unknown key 'lable'",
        ),
        (lambda d: d.update(colour="red"), "unknown key 'colour'"),
        (
            lambda d: d["sections"][0]["fields"].append(dict(d["sections"][0]["fields"][0])),
            "field 'seen': this id is used twice",
        ),
        (
            lambda d: d["sections"][0]["fields"][2]["descriptors"].pop("inadequate"),
            "field 'voice': the 'inadequate' descriptor is missing",
        ),
        (
            lambda d: d["sections"][0]["fields"][2]["descriptors"].update(excellent="x"),
            "unknown descriptor 'excellent'",
        ),
        (
            lambda d: d["sections"][0]["fields"][0].update(type="checkbox"),
            "field 'seen': unknown type 'checkbox'",
        ),
        (
            lambda d: d["sections"][0]["fields"][0].update(type="choice"),
            "field 'seen': a choice field needs a list of at least two choices",
        ),
        (
            lambda d: d["sections"][0]["fields"][1].update(
                visible_if={"field": "nope", "equals": "x"}
            ),
            "field 'why_not': 'visible_if' refers to unknown field 'nope'",
        ),
        (
            lambda d: d["sections"][0]["fields"][1].update(
                visible_if={"field": "seen", "equals": "maybe"}
            ),
            "'visible_if' value 'maybe' is not a choice of 'seen'",
        ),
        (lambda d: d["sections"][1].update(case_types=["orphans"]), "unknown case type 'orphans'"),
        (lambda d: d.update(version=0), "version: must be a whole number"),
        (lambda d: d.update(use="survey"), "unknown use 'survey'"),
        (lambda d: d.pop("overall"), "must declare its overall grade"),
        (
            lambda d: d["sections"][0]["fields"][0].update(id="Seen It"),
            "must be lower-case letters",
        ),
        (lambda d: d["sections"][0]["fields"][0].pop("label"), "field 'seen': missing key 'label'"),
        (
            lambda d: d["sections"][0]["fields"][0].update(descriptors=DESCRIPTORS),
            "'descriptors' only belong to grade fields",
        ),
        (lambda d: d["sections"][0].update(fields=[]), "a section needs at least one field"),
    ],
)
def test_mistakes_name_the_file_and_the_field(change, message):
    with pytest.raises(FormDefinitionError) as caught:
        parse_form(form_with(change), "mini.v1.yaml")
    assert str(caught.value).startswith("mini.v1.yaml:")
    assert message in str(caught.value)


def test_answers_are_cleaned_to_canonical_values():
    form = parse_form(MINIMAL, "mini.v1.yaml")
    cleaned = clean_answers(
        form,
        {
            "seen": True,
            "voice": {"grade": "RI", "rationale": " gaps "},
            "why_not": "hidden because seen",
        },
        case_type="child_in_need",
    )
    assert cleaned == {
        "seen": "yes",
        "voice": {"grade": "requires_improvement", "rationale": "gaps"},
    }


def test_a_draft_may_be_incomplete_but_a_submission_may_not():
    form = parse_form(MINIMAL, "mini.v1.yaml")
    assert clean_answers(form, {"seen": "no"}) == {"seen": "no"}
    with pytest.raises(ValidationError) as caught:
        clean_answers(
            form, {"seen": "no", "voice": {"grade": "G"}}, case_type="child_in_need", complete=True
        )
    assert caught.value.field_ids == ["why_not", "voice", "overall"]
    assert "Voice of the child: explain why you gave this grade" in str(caught.value)
    assert "Why not?: this question needs an answer" in str(caught.value)


def test_sections_for_other_case_types_are_not_required():
    form = parse_form(MINIMAL, "mini.v1.yaml")
    answers = {
        "seen": "yes",
        "voice": {"grade": "G", "rationale": "r"},
        "overall": {"grade": "G", "rationale": "r"},
    }
    assert clean_answers(form, answers, case_type="child_in_need", complete=True)
    with pytest.raises(ValidationError, match="Permanence: choose a grade"):
        clean_answers(form, answers, case_type="child_in_care", complete=True)


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"seen": "perhaps"}, "must be yes or no"),
        ({"voice": {"grade": "Excellent"}}, "is not a grade"),
        ({"unknown": "x"}, "'unknown' is not a question"),
        ({"why_not": 5}, "must be text"),
    ],
)
def test_wrongly_typed_answers_are_refused_even_in_drafts(answers, message):
    with pytest.raises(ValidationError, match=message):
        clean_answers(parse_form(MINIMAL, "mini.v1.yaml"), answers)
