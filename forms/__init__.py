"""Form definitions: one YAML file per form and version, named ``<id>.v<version>.yaml``.

A released version is never edited: change a form by adding the next version, so that audits made with
the old one still render exactly as they were filled in. The schema is described in forms/README.md and
enforced by ``auditor.domain.forms.parse_form``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from auditor.domain.errors import FormDefinitionError, NotFound
from auditor.domain.forms import FormDefinition, FormUse, parse_form

FORMS_DIR = Path(__file__).resolve().parent
_FILE_NAME = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.yaml$")


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice in one mapping (PyYAML keeps the last silently)."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                              _mapping_without_duplicates)


def load_form_file(path: Path) -> FormDefinition:
    """Load and check one form file; every mistake is a FormDefinitionError naming the file."""
    name = path.name
    match = _FILE_NAME.match(name)
    if not match:
        raise FormDefinitionError(f"{name}: form files must be named <id>.v<version>.yaml, "
                                  "for example case_file_audit.v1.yaml")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FormDefinitionError(f"{name}: not valid YAML{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(f"{name}: cannot be read: {exc}") from None
    form = parse_form(data, name)
    if (form.id, str(form.version)) != (match["id"], match["version"]):
        raise FormDefinitionError(f"{name}: the file declares id '{form.id}' version {form.version}; "
                                  "the file name and the contents must agree")
    return form


class FormLibrary:
    """Every form definition in a folder, by id and version."""

    def __init__(self, folder: Path = FORMS_DIR) -> None:
        self.folder = folder
        self._forms: dict[tuple[str, int], FormDefinition] = {}
        for path in sorted(folder.glob("*.yaml")):
            form = load_form_file(path)
            self._forms[form.key] = form

    def get(self, form_id: str, version: int) -> FormDefinition:
        try:
            return self._forms[(form_id, version)]
        except KeyError:
            raise NotFound(f"There is no form '{form_id}' version {version} in {self.folder}. "
                           "It may have been removed; released form versions must be kept.") from None

    def latest(self, form_id: str) -> FormDefinition:
        versions = [f for (fid, _), f in self._forms.items() if fid == form_id]
        if not versions:
            raise NotFound(f"There is no form called '{form_id}'. "
                           f"Known forms: {', '.join(sorted({f.id for f in self._forms.values()}))}.")
        return max(versions, key=lambda f: f.version)

    def latest_for(self, use: FormUse) -> list[FormDefinition]:
        """The newest version of every form made for one use, by id."""
        ids = sorted({f.id for f in self._forms.values() if f.use is use})
        return [self.latest(i) for i in ids]

    def all(self) -> list[FormDefinition]:
        return [self._forms[k] for k in sorted(self._forms)]


@functools.cache
def default_library() -> FormLibrary:
    """The forms shipped with the application, loaded once per process."""
    return FormLibrary(FORMS_DIR)
