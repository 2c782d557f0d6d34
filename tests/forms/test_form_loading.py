"""The form library reads each file on first use, with PyYAML's C loader where it is built in; the
pure-Python fallback refuses duplicate keys the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import forms
from auditor.domain.errors import FormDefinitionError, NotFound
from forms import FORMS_DIR, FormLibrary, load_form_file, strict_loader


@pytest.fixture
def pure_python_loader(monkeypatch):
    """As on a PyYAML built without libyaml."""
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    strict_loader.cache_clear()
    yield strict_loader()
    strict_loader.cache_clear()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The shipped self-review form, and a broken form beside it."""
    shutil.copy(FORMS_DIR / "self_review.v1.yaml", tmp_path)
    (tmp_path / "broken.v1.yaml").write_text("id: broken\n  bad: [indent\n", encoding="utf-8")
    return tmp_path


def test_a_form_is_read_when_first_asked_for_not_before(folder, monkeypatch):
    read: list[str] = []
    real = forms.load_form_file
    monkeypatch.setattr(forms, "load_form_file", lambda path: read.append(path.name) or real(path))
    library = FormLibrary(folder)
    assert read == []
    assert library.latest("self_review").id == "self_review"
    assert library.get("self_review", 1) is library.latest("self_review")
    assert read == ["self_review.v1.yaml"]  # once, and not the broken one
    with pytest.raises(NotFound, match="Known forms: broken, self_review"):
        library.latest("nothing")
    with pytest.raises(FormDefinitionError, match="broken.v1.yaml: not valid YAML"):
        library.all()


def test_a_badly_named_file_is_reported_and_stops_no_other_form(tmp_path):
    shutil.copy(FORMS_DIR / "self_review.v1.yaml", tmp_path)
    (tmp_path / "self-review.yaml").write_text("id: x\n", encoding="utf-8")
    library = FormLibrary(tmp_path)
    assert library.latest("self_review").id == "self_review"
    with pytest.raises(NotFound):
        library.latest("x")
    [bad] = [c for c in library.check() if not c.ok]
    assert bad.name == "self-review.yaml" and "named <id>.v<version>.yaml" in bad.problems[0]


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML without libyaml")
def test_the_c_loader_is_used_where_pyyaml_has_it():
    assert issubclass(strict_loader(), yaml.CSafeLoader)


def test_without_the_c_loader_the_pure_python_one_gives_the_same_forms(monkeypatch):
    paths = sorted(FORMS_DIR.glob("*.yaml"))
    strict_loader.cache_clear()
    fast = [load_form_file(p) for p in paths]
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    strict_loader.cache_clear()
    try:
        assert issubclass(strict_loader(), yaml.SafeLoader)
        assert [load_form_file(p) for p in paths] == fast
    finally:
        strict_loader.cache_clear()


@pytest.mark.parametrize("loader", ["default", "pure_python"])
@pytest.mark.parametrize(
    "text", ["id: x\nversion: 1\nid: y\n", "id: x\nsections:\n  - id: a\n    title: A\n    id: b\n"]
)
def test_a_key_given_twice_is_refused_by_either_loader(tmp_path, request, loader, text):
    if loader == "pure_python":
        request.getfixturevalue("pure_python_loader")
    path = tmp_path / "x.v1.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="x.v1.yaml: not valid YAML .*appears twice"):
        load_form_file(path)
