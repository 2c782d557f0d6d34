"""Checking a forms folder: every file, every mistake; and a broken file makes only its own form
unavailable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from auditor.domain.errors import NotFound
from auditor.domain.forms import FormMistakes, FormUse
from forms import FORMS_DIR, FORMS_ENV, FormLibrary, default_library

SELF_REVIEW = (FORMS_DIR / "self_review.v1.yaml").read_text(encoding="utf-8")
AUDIT = (FORMS_DIR / "case_file_audit.v1.yaml").read_text(encoding="utf-8")


def audit_v2(*replacements: tuple[str, str]) -> str:
    text = AUDIT.replace("version: 1", "version: 2", 1)
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    return text


DUPLICATE_SECTION = ("- id: planning", "- id: child_voice")
SELF_VISIBLE = (
    "visible_if: {field: child_seen_alone,",
    "visible_if: {field: child_seen_alone_note,",
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The shipped forms, and beside them one file of each kind of mistake."""
    folder = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "case_file_audit.v2.yaml").write_text(
        audit_v2(DUPLICATE_SECTION, SELF_VISIBLE), encoding="utf-8"
    )
    (folder / "broken.v1.yaml").write_text("id: broken\n  bad: [indent\n", encoding="utf-8")
    (folder / "self_review.yml").write_text(SELF_REVIEW, encoding="utf-8")
    (folder / "Foo.v1.yaml").write_text(SELF_REVIEW, encoding="utf-8")
    (folder / "x.v0.yaml").write_text(SELF_REVIEW, encoding="utf-8")
    return folder


def test_check_reports_every_file_with_every_mistake(folder):
    checks = {c.name: c for c in FormLibrary(folder).check()}
    shipped = {p.name for p in FORMS_DIR.glob("*.yaml")}
    assert set(checks) == shipped | {
        "case_file_audit.v2.yaml",
        "broken.v1.yaml",
        "self_review.yml",
        "Foo.v1.yaml",
        "x.v0.yaml",
    }  # README.md and __init__.py are the package's own files, not forms
    assert all(checks[name].ok and checks[name].form for name in shipped)
    v2 = checks["case_file_audit.v2.yaml"]
    assert not v2.ok and v2.form is None
    assert any("section 'child_voice': this section id is used twice" in p for p in v2.problems)
    assert any(
        "field 'child_seen_alone_note': 'visible_if' refers to the field itself" in p
        for p in v2.problems
    )
    assert "not valid YAML (line 2" in checks["broken.v1.yaml"].problems[0]
    assert "end in '.yaml', not '.yml'" in checks["self_review.yml"].problems[0]
    assert "named <id>.v<version>.yaml" in checks["Foo.v1.yaml"].problems[0]
    assert "whole number from 1" in checks["x.v0.yaml"].problems[0]


def test_a_broken_file_makes_only_its_own_form_unavailable(folder):
    library = FormLibrary(folder)
    assert library.latest("self_review").id == "self_review"  # a misnamed file stops nothing
    assert library.get("case_file_audit", 1).version == 1  # audits made with v1 still open
    with pytest.raises(FormMistakes) as caught:
        library.latest("case_file_audit")  # a new audit would use the broken v2: refused
    message = str(caught.value)
    assert message.startswith("case_file_audit.v2.yaml: 2 mistakes")
    assert "this section id is used twice" in message and "refers to the field itself" in message
    assert "cannot be used until" in message and str(folder / "case_file_audit.v2.yaml") in message
    assert library.latest_usable("case_file_audit").version == 1  # its labels, meanwhile
    assert library.latest_usable("self_review").version == 1
    dips = [f.id for f in library.latest_for(FormUse.DIP_SAMPLE)]
    assert len(dips) == 4  # broken.v1.yaml, whatever it was for, is left out
    assert "case_file_audit" not in {f.id for f in library.available() if f.version == 2}
    with pytest.raises(FormMistakes, match="broken.v1.yaml: not valid YAML"):
        library.get("broken", 1)


def test_a_new_version_must_keep_the_use_of_the_form(tmp_path):
    (tmp_path / "self_review.v1.yaml").write_text(SELF_REVIEW, encoding="utf-8")
    (tmp_path / "self_review.v2.yaml").write_text(
        SELF_REVIEW.replace("version: 1", "version: 2").replace(
            "use: self_review", "use: family_feedback"
        ),
        encoding="utf-8",
    )
    [v1, v2] = FormLibrary(tmp_path).check()
    assert v1.ok
    assert not v2.ok and "version 1 is for 'self_review'" in v2.problems[0]


def test_a_missing_forms_folder_is_reported_not_a_crash(tmp_path):
    library = FormLibrary(tmp_path / "nowhere")
    [check] = library.check()
    assert check.problems == ("no such folder",)
    with pytest.raises(NotFound):
        library.latest("self_review")


def test_the_forms_folder_can_be_chosen_with_an_environment_variable(folder, monkeypatch):
    monkeypatch.delenv(FORMS_ENV, raising=False)
    assert default_library().folder == FORMS_DIR
    monkeypatch.setenv(FORMS_ENV, str(folder))
    assert default_library().folder == folder
    assert default_library() is default_library()  # read once per process and folder
