"""The dip grid needs the form's overall grade: a form without one is refused when the grid is made,
with a message naming the form, rather than an AttributeError at the first grade typed."""

from __future__ import annotations

import pytest

from auditor.domain.errors import FormDefinitionError
from auditor.domain.grades import Grade
from auditor.ui.models.dip_table_model import DipTableModel
from forms import default_library


def test_a_form_without_an_overall_grade_is_refused_with_its_name(qtbot):
    form = default_library().latest("family_feedback")
    assert form.overall is None
    with pytest.raises(FormDefinitionError, match="'family_feedback' has no overall grade"):
        DipTableModel(form)


def test_a_dip_form_keeps_its_overall_grade_as_the_grade_column(qtbot):
    form = default_library().latest("dip_statutory_visits")
    model = DipTableModel(form)
    assert model.grade_field is form.overall
    model.add_case("CF-1")
    model.set_grade(0, Grade.REQUIRES_IMPROVEMENT)
    assert model.grade_of(0) is Grade.REQUIRES_IMPROVEMENT
