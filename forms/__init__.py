"""Form definitions: one YAML file per form and version, named ``<id>.v<version>.yaml``.

A released version is never edited: change a form by adding the next version, so that audits made with
the old one still render exactly as they were filled in. The schema is described in forms/README.md and
enforced by ``auditor.domain.forms.parse_form``.

A library reads a file the first time its form is asked for (``all()`` and ``latest_for()`` read them
all), so that opening the database costs nothing for a command that uses no form. YAML is parsed
with PyYAML's C loader where it is built in, else the pure-Python one; both refuse duplicate keys.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.domain.errors import FormDefinitionError, NotFound
from auditor.domain.forms import FormDefinition, FormUse, parse_form

if TYPE_CHECKING:  # PyYAML is imported on first use, to keep start-up fast
    from yaml.constructor import SafeConstructor
    from yaml.nodes import MappingNode

FORMS_DIR = Path(__file__).resolve().parent
_FILE_NAME = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.yaml$")


def _mapping_without_duplicates(loader: SafeConstructor, node: MappingNode) -> dict[Hashable, Any]:
    import yaml

    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


@functools.cache
def strict_loader() -> type:
    """PyYAML's safe loader, the C one where PyYAML was built with libyaml (several times faster),
    refusing a key given twice in one mapping (PyYAML keeps the last silently)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):  # type: ignore[misc, valid-type]
        """Safe YAML without duplicate keys."""

    StrictLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
    )
    return StrictLoader


def load_form_file(path: Path) -> FormDefinition:
    """Load and check one form file; every mistake is a FormDefinitionError naming the file."""
    name = path.name
    match = _FILE_NAME.match(name)
    if not match:
        raise FormDefinitionError(
            f"{name}: form files must be named <id>.v<version>.yaml, "
            "for example case_file_audit.v1.yaml"
        )
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=strict_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FormDefinitionError(f"{name}: not valid YAML{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(f"{name}: cannot be read: {exc}") from None
    form = parse_form(data, name)
    if (form.id, str(form.version)) != (match["id"], match["version"]):
        raise FormDefinitionError(
            f"{name}: the file declares id '{form.id}' version {form.version}; "
            "the file name and the contents must agree"
        )
    return form


class FormLibrary:
    """Every form definition in a folder, by id and version, each file read on first use."""

    def __init__(self, folder: Path = FORMS_DIR) -> None:
        self.folder = folder
        self._forms: dict[tuple[str, int], FormDefinition] = {}
        self._files: dict[tuple[str, int], Path] | None = None

    def _index(self) -> dict[tuple[str, int], Path]:
        """The form files by (id, version), from their names (nothing is read yet)."""
        if self._files is None:
            files = {}
            for path in sorted(self.folder.glob("*.yaml")):
                match = _FILE_NAME.match(path.name)
                if not match:
                    load_form_file(path)  # raises FormDefinitionError: the name is wrong
                    continue
                files[(match["id"], int(match["version"]))] = path
            self._files = files
        return self._files

    def _load(self, key: tuple[str, int]) -> FormDefinition:
        form = self._forms.get(key)
        if form is None:
            form = self._forms[key] = load_form_file(self._index()[key])
        return form

    def get(self, form_id: str, version: int) -> FormDefinition:
        if (form_id, version) not in self._index():
            raise NotFound(
                f"There is no form '{form_id}' version {version} in {self.folder}. "
                "It may have been removed; released form versions must be kept."
            )
        return self._load((form_id, version))

    def latest(self, form_id: str) -> FormDefinition:
        versions = [key for key in self._index() if key[0] == form_id]
        if not versions:
            raise NotFound(
                f"There is no form called '{form_id}'. "
                f"Known forms: {', '.join(sorted({i for i, _ in self._index()}))}."
            )
        return self._load(max(versions, key=lambda key: key[1]))

    def latest_for(self, use: FormUse) -> list[FormDefinition]:
        """The newest version of every form made for one use, by id."""
        ids = sorted({f.id for f in self.all() if f.use is use})
        return [self.latest(i) for i in ids]

    def all(self) -> list[FormDefinition]:
        return [self._load(key) for key in sorted(self._index())]


@functools.cache
def default_library() -> FormLibrary:
    """The forms shipped with the application, loaded once per process."""
    return FormLibrary(FORMS_DIR)
