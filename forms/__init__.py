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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.domain.errors import NotFound
from auditor.domain.forms import FormDefinition, FormMistakes, FormUse, parse_form

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


def _misnamed(name: str) -> str:
    """Why a file in the forms folder is not read as a form."""
    example = "for example case_file_audit.v1.yaml"
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.lower() in ("yml", "yaml") and suffix != "yaml":
        return (
            f"form files end in '.yaml', not '.{suffix}': rename it to {stem}.yaml "
            "(it is not read until then)"
        )
    version = re.search(r"\.v(\d+)\.ya?ml$", name, re.IGNORECASE)
    if version and version[1].startswith("0"):
        return (
            "the version in the name must be a whole number from 1, without leading zeros "
            f"({example}); it is not read"
        )
    return (
        "not a form file name: form files are named <id>.v<version>.yaml, with an id of "
        f"lower-case letters, digits and underscores ({example}); it is not read"
    )


def _is_package_file(path: Path) -> bool:
    """The forms package's own files, which live beside the form files: not forms."""
    return (
        path.name.startswith(".")
        or path.suffix in (".py", ".pyc", ".md")
        or (path.is_dir() and path.name == "__pycache__")
    )


def load_form_file(path: Path) -> FormDefinition:
    """Load and check one form file. Every mistake in it (its name, its YAML, its contents, whether
    the contents agree with the name) is listed in the one ``FormMistakes`` raised, naming the file."""
    name = path.name
    match = _FILE_NAME.match(name)
    if not match:
        raise FormMistakes(name, [_misnamed(name)])
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=strict_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FormMistakes(name, [f"not valid YAML{where}: {problem}"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormMistakes(name, [f"cannot be read: {exc}"]) from None
    problems: list[str] = []
    try:
        form: FormDefinition | None = parse_form(data, name)
    except FormMistakes as mistakes:
        problems, form = mistakes.problems, None
    declared = (data.get("id"), data.get("version")) if isinstance(data, dict) else None
    if declared and None not in declared and declared != (match["id"], int(match["version"])):
        problems.append(
            f"the file declares id '{declared[0]}' version {declared[1]}; "
            "the file name and the contents must agree"
        )
    if problems or form is None:
        raise FormMistakes(name, problems)
    return form


@dataclass(frozen=True)
class FileCheck:
    """What ``FormLibrary.check`` found in one file of the folder."""

    name: str
    form: FormDefinition | None  # None when the file cannot be used
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


class FormLibrary:
    """Every form definition in a folder, by id and version, each file read on first use.

    A file with a mistake makes only its own form version unavailable: asking for it raises the
    file's ``FormMistakes`` (with what to do), listing forms leaves it out, and every other form
    works as before. ``check()`` reads every file and reports every mistake.
    """

    def __init__(self, folder: Path = FORMS_DIR) -> None:
        self.folder = folder
        self._forms: dict[tuple[str, int], FormDefinition] = {}
        self._broken: dict[tuple[str, int], FormMistakes] = {}
        self._files: dict[tuple[str, int], Path] | None = None
        self._misnamed: dict[str, str] = {}

    def _index(self) -> dict[tuple[str, int], Path]:
        """The form files by (id, version), from their names (nothing is read yet); files that
        are not named as forms are kept aside for ``check()``."""
        if self._files is None:
            files: dict[tuple[str, int], Path] = {}
            try:
                paths = sorted(self.folder.iterdir())
            except OSError:
                paths = []
            for path in paths:
                match = _FILE_NAME.match(path.name)
                if match and path.is_file():
                    files[(match["id"], int(match["version"]))] = path
                elif not _is_package_file(path) and path.is_file():
                    self._misnamed[path.name] = _misnamed(path.name)
            self._files = files
        return self._files

    def _load(self, key: tuple[str, int]) -> FormDefinition:
        form = self._forms.get(key)
        if form is not None:
            return form
        broken = self._broken.get(key)
        if broken is None:
            path = self._index()[key]
            try:
                form = self._forms[key] = load_form_file(path)
                return form
            except FormMistakes as mistakes:
                broken = self._broken[key] = mistakes.with_advice(
                    f"Form '{key[0]}' version {key[1]} cannot be used until {path} is corrected "
                    "('python main.py forms check' lists every mistake in every form file); "
                    "everything that uses other forms works meanwhile."
                )
        raise broken

    def versions(self, form_id: str) -> list[int]:
        """The versions of a form that have a file, oldest first (whether or not they load)."""
        return sorted(v for i, v in self._index() if i == form_id)

    def get(self, form_id: str, version: int) -> FormDefinition:
        if (form_id, version) not in self._index():
            raise NotFound(
                f"There is no form '{form_id}' version {version} ({form_id}.v{version}.yaml) in "
                f"{self.folder}: it has been removed, but released form versions must be kept. "
                "Put the file back to use what was made with it."
            )
        return self._load((form_id, version))

    def latest(self, form_id: str) -> FormDefinition:
        """The newest version of a form; its file's mistakes if that one is broken."""
        versions = self.versions(form_id)
        if not versions:
            raise NotFound(
                f"There is no form called '{form_id}'. "
                f"Known forms: {', '.join(sorted({i for i, _ in self._index()}))}."
            )
        return self._load((form_id, versions[-1]))

    def latest_usable(self, form_id: str) -> FormDefinition:
        """The newest version whose file has no mistake, for labels and titles (an older
        version's wording serves while a new one is being corrected); new work uses ``latest``,
        which refuses a broken newest file. The newest file's mistakes if none loads."""
        versions = self.versions(form_id)
        if versions and self._usable((form_id, versions[-1])) is None:
            for version in reversed(versions[:-1]):
                if (form := self._usable((form_id, version))) is not None:
                    return form
        return self.latest(form_id)

    def latest_for(self, use: FormUse) -> list[FormDefinition]:
        """The newest version of every form made for one use, by id; a form whose newest file has
        a mistake is left out (``check()`` reports it)."""
        newest = dict(sorted(self._index()))  # id -> its highest version
        usable = (self._usable((i, v)) for i, v in sorted(newest.items()))
        return [f for f in usable if f is not None and f.use is use]

    def _usable(self, key: tuple[str, int]) -> FormDefinition | None:
        try:
            return self._load(key)
        except FormMistakes:
            return None

    def available(self) -> list[FormDefinition]:
        """Every form version whose file loads, by id and version."""
        usable = (self._usable(key) for key in sorted(self._index()))
        return [f for f in usable if f is not None]

    def all(self) -> list[FormDefinition]:
        """Every form version; the first broken file's ``FormMistakes`` if any has a mistake."""
        return [self._load(key) for key in sorted(self._index())]

    def check(self) -> list[FileCheck]:
        """Every file in the folder, by name, with every mistake in it: its name, its contents, and
        whether each version keeps the use of the version before it."""
        index = self._index()
        found = {
            name: FileCheck(name, None, (problem,)) for name, problem in self._misnamed.items()
        }
        uses: dict[str, tuple[int, FormUse]] = {}
        for key in sorted(index):
            name, form = index[key].name, self._usable(key)
            if form is None:
                found[name] = FileCheck(name, None, tuple(self._broken[key].problems))
                continue
            first = uses.setdefault(key[0], (key[1], form.use))
            if first[1] is not form.use:
                problem = (
                    f"use: '{form.use.value}', but version {first[0]} is for "
                    f"'{first[1].value}'; a new version must keep the form's use "
                    "(give a form for another use its own id)"
                )
                found[name] = FileCheck(name, None, (problem,))
                continue
            found[name] = FileCheck(name, form)
        if not self.folder.is_dir():
            found[str(self.folder)] = FileCheck(str(self.folder), None, ("no such folder",))
        return [found[name] for name in sorted(found)]


FORMS_ENV = "AUDITOR_FORMS"


def forms_folder() -> Path:
    """Where the forms are read from: ``$AUDITOR_FORMS`` if set (a council's own folder, or a
    test's), else the forms shipped with the application."""
    import os

    chosen = os.environ.get(FORMS_ENV)
    return Path(chosen).expanduser() if chosen else FORMS_DIR


def default_library() -> FormLibrary:
    """The forms of ``forms_folder()``, loaded once per process and folder."""
    return _library(forms_folder())


@functools.cache
def _library(folder: Path) -> FormLibrary:
    return FormLibrary(folder)
