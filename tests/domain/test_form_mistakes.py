"""The form parser reads a whole document and lists every mistake in it, including those the
schema in forms/README.md promises but a first-mistake parser let through."""

from __future__ import annotations

import copy
import random

import pytest

from auditor.domain.errors import FormDefinitionError
from auditor.domain.forms import FormMistakes, parse_form
from tests.domain.test_form_schema import DESCRIPTORS, MINIMAL, form_with


def fields(d, section=0):
    return d["sections"][section]["fields"]


def choice_field(choices):
    return {"id": "contact", "type": "choice", "label": "Contact?", "choices": choices}


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["sections"][1].update(id="voice"),
            "section 'voice': this section id is used twice in the form",
        ),
        (
            lambda d: fields(d, 1).append(dict(fields(d)[0])),
            "field 'seen': this id is used twice in the form",
        ),
        (
            lambda d: fields(d)[1].update(visible_if={"field": "why_not", "equals": "x"}),
            "field 'why_not': 'visible_if' refers to the field itself",
        ),
        (
            lambda d: fields(d)[0].update(visible_if={"field": "why_not", "equals": "x"}),
            "'visible_if' goes round in a circle (seen -> why_not -> seen)",
        ),
        (
            lambda d: fields(d)[1].update(visible_if={"field": "voice", "equals": "good"}),
            "'visible_if' refers to 'voice', a 'grade' field",
        ),
        (
            lambda d: fields(d)[1].update(visible_if={"field": "seen", "in": [["no"]]}),
            "'visible_if' value ['no'] must be a single value",
        ),
        (
            lambda d: fields(d).append(choice_field(["Yes", "No", "yes"])),
            "choice value 'yes' appears twice",
        ),
        (
            lambda d: fields(d).append(
                choice_field([{"value": "a", "label": "Same"}, {"value": "b", "label": "same"}])
            ),
            "choice label 'same' appears twice",
        ),
        (
            lambda d: fields(d).append(
                choice_field([{"value": "a", "label": ""}, {"value": "b", "label": "B"}])
            ),
            "needs a label",
        ),
        (
            lambda d: fields(d)[2]["descriptors"].update(good=DESCRIPTORS["outstanding"]),
            "the 'good' descriptor is the same as the 'outstanding' one",
        ),
        (
            lambda d: fields(d)[2].update(placeholder="Type here"),
            "'placeholder' only belongs to text fields, not 'grade'",
        ),
        (lambda d: d.update(theme="Management oversight"), "'theme' 'Management oversight' must"),
        (
            lambda d: d["sections"][1].update(case_types=["child_in_care", "child_in_care"]),
            "case type 'child_in_care' is listed twice",
        ),
        (
            lambda d: d["overall"].update(visible_if={"field": "seen", "equals": "yes"}),
            "overall: unknown key 'visible_if'",
        ),
        (lambda d: d.update(use=["case_audit"]), "unknown use ['case_audit']"),
        (lambda d: fields(d)[0].update(type={"a": 1}), "unknown type {'a': 1}"),
        (lambda d: d["sections"].append("notes"), "sections[2]: expected a mapping"),
        (lambda d: d["sections"][1].update(case_types=[["x"]]), "unknown case type ['x']"),
        (lambda d: fields(d)[0].update(label=5), "'label' must be a piece of text, not 5"),
    ],
)
def test_mistakes_a_first_mistake_parser_let_through_are_caught(change, message):
    with pytest.raises(FormMistakes) as caught:
        parse_form(form_with(change), "mini.v1.yaml")
    assert str(caught.value).startswith("mini.v1.yaml:")
    assert message in str(caught.value)


def test_the_shipped_shape_of_the_minimal_form_still_parses():
    """The checks above refuse mistakes, not the forms as written (choices by plain text too)."""

    def add_choices(d):
        fields(d).append(choice_field(["Yes", "No", "Not appropriate"]))
        fields(d).append(
            {
                "id": "how",
                "type": "textarea",
                "label": "How?",
                "placeholder": "A few words",
                "visible_if": {"field": "contact", "in": ["no", "not_appropriate"]},
            }
        )

    form = parse_form(form_with(add_choices), "mini.v1.yaml")
    assert [c.value for c in form.field("contact").choices] == ["yes", "no", "not_appropriate"]


def test_every_mistake_in_a_file_is_listed_at_once():
    def many(d):
        d["sections"][1]["id"] = "voice"  # a section id twice
        fields(d)[0]["lable"] = "typo"  # an unknown key
        fields(d)[1]["visible_if"] = {"field": "why_not", "equals": "x"}  # on itself
        fields(d)[2]["descriptors"] = dict(DESCRIPTORS, inadequate="")  # three descriptors
        d["version"] = 0

    with pytest.raises(FormMistakes) as caught:
        parse_form(form_with(many), "mini.v1.yaml")
    error = caught.value
    assert len(error.problems) == 5, error.problems
    lines = str(error).splitlines()
    assert lines[0] == "mini.v1.yaml: 5 mistakes"
    assert all(line.startswith("  - ") for line in lines[1:])
    assert any("version: must be a whole number" in p for p in error.problems)
    assert any("section 'voice': this section id is used twice" in p for p in error.problems)
    assert any("field 'seen': unknown key 'lable'" in p for p in error.problems)
    assert any("refers to the field itself" in p for p in error.problems)
    assert any("the 'inadequate' descriptor is missing" in p for p in error.problems)


def _mutate(rng: random.Random, node: object) -> object:
    """One random change somewhere in a document: a value replaced by something of another
    shape, a key dropped or a list emptied."""
    junk = [None, 0, -1, True, "", "X Y", [], {}, [None], {"a": [1]}, 3.5, ["no", {"x": 1}]]
    if isinstance(node, dict) and node and rng.random() < 0.7:
        key = rng.choice(list(node))
        if rng.random() < 0.2:
            del node[key]
        else:
            node[key] = _mutate(rng, node[key])
        return node
    if isinstance(node, list) and node and rng.random() < 0.7:
        i = rng.randrange(len(node))
        node[i] = _mutate(rng, node[i])
        return node
    return rng.choice(junk)


def test_no_document_shape_makes_the_parser_fail_other_than_in_words():
    """2,000 seeded random damages to a valid form: each is a FormDefinitionError naming the file
    or a valid form, never another exception."""
    rng = random.Random(20261201)
    refused = 0
    for _ in range(2000):
        data = copy.deepcopy(MINIMAL)
        for _ in range(rng.randint(1, 4)):
            data = _mutate(rng, data)
        try:
            parse_form(data, "mini.v1.yaml")
        except FormDefinitionError as error:
            refused += 1
            assert str(error).startswith("mini.v1.yaml: ")
            assert len(str(error)) < 5000
    assert refused > 1500  # most damages are mistakes
