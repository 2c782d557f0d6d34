#!/usr/bin/python3
"""Print what a screen reader hears in Auditor's windows, read from the Linux accessibility bus
(AT-SPI) the way Orca reads it: role, name, description, states, text and value of each object.

Run with Debian's Python (pyatspi is a Debian package, python3-pyatspi, not in the venv):

    /usr/bin/python3 scripts/atspi_dump.py --scene first_audit     # start everything, print, stop
    /usr/bin/python3 scripts/atspi_dump.py --scene failed_submit --all
    /usr/bin/python3 scripts/atspi_dump.py                         # an app already on this bus

With ``--scene`` it builds a demo database, starts a virtual screen (Xvfb), a private D-Bus with
the accessibility bus, and the app on one scene (see scripts/screen_reader.py), prints, and stops
them all. One line per object a person can Tab to (``--all``: every object shown); ``--json``
prints every shown object as JSON, for tests/ui/test_screen_reader.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: States a screen reader announces (or uses to decide what to announce), by their AT-SPI names.
SPOKEN_STATES = (
    "focusable",
    "focused",
    "required",
    "editable",
    "checkable",
    "checked",
    "selected",
    "expandable",
    "expanded",
    "read_only",
    "invalid_entry",
    "multi_line",
    "sensitive",
)
MAX_OBJECTS = 5000


def _states(acc: Any, pyatspi: Any) -> set[str]:
    names = set()
    state_set = acc.getState()
    for name in (*SPOKEN_STATES, "visible", "showing"):
        state = getattr(pyatspi, f"STATE_{name.upper()}", None)
        if state is not None and state_set.contains(state):
            names.add(name)
    return names


def _text(acc: Any) -> str | None:
    try:
        text = acc.queryText()
    except NotImplementedError:
        return None
    return str(text.getText(0, text.characterCount))


def _value(acc: Any) -> float | None:
    try:
        return float(acc.queryValue().currentValue)
    except NotImplementedError:
        return None


def _related(acc: Any, kind: Any) -> str:
    """The names of the objects ``acc`` has a relation of ``kind`` to (labelled-by: its label)."""
    names = []
    for relation in acc.getRelationSet():
        if relation.getRelationType() == kind:
            for i in range(relation.getNTargets()):
                target = relation.getTarget(i)
                if target is not None and target.name:
                    names.append(target.name)
    return " ".join(names)


def describe(acc: Any, pyatspi: Any, depth: int, path: list[str]) -> dict[str, Any]:
    states = _states(acc, pyatspi)
    return {
        "role": acc.getRoleName(),
        "name": acc.name or "",
        "labelled_by": _related(acc, pyatspi.RELATION_LABELLED_BY),
        "description": acc.description or "",
        "states": sorted(states & set(SPOKEN_STATES)),
        "text": _text(acc),
        "value": _value(acc),
        "depth": depth,
        "within": " > ".join(path),
        "showing": "showing" in states,
    }


def walk(acc: Any, pyatspi: Any, depth: int = 0, path: list[str] | None = None) -> list[dict]:
    """Every visible object under ``acc``, parents before children (a hidden one hides its
    children: a screen reader does not go into a tab page that is not shown)."""
    path = path or []
    found: list[dict] = []
    stack = [(acc, depth, path)]
    while stack and len(found) < MAX_OBJECTS:
        node, level, within = stack.pop()
        if node is None:
            continue
        item = describe(node, pyatspi, level, within)
        if level and "visible" not in _states(node, pyatspi):
            continue
        found.append(item)
        label = f"{item['role']} {item['name']!r}" if item["name"] else item["role"]
        children = [node.getChildAtIndex(i) for i in range(node.childCount)]
        stack.extend((child, level + 1, [*within, label]) for child in reversed(children))
    return found


def hear(app_name: str) -> list[dict]:
    import pyatspi  # Debian's python3-pyatspi

    desktop = pyatspi.Registry.getDesktop(0)
    apps = [desktop.getChildAtIndex(i) for i in range(desktop.childCount)]
    mine = [a for a in apps if a is not None and a.name == app_name]
    if not mine:
        names = ", ".join(repr(a.name) for a in apps if a is not None) or "none"
        raise SystemExit(f"No application {app_name!r} on the accessibility bus (found: {names}).")
    found = []
    for app in mine:
        for i in range(app.childCount):
            window = app.getChildAtIndex(i)
            if window is not None:
                found.extend(walk(window, pyatspi))
    return found


def spoken(item: dict) -> str:
    """One object as a screen reader would say it: name, role, states, then the description."""
    label = item["labelled_by"]
    words = [label if label and label != item["name"] else "", item["name"] or "(no name)"]
    words = [w for w in words if w] + [item["role"]]
    shown = [s for s in item["states"] if s in ("required", "checked", "read_only", "editable")]
    if shown:
        words.append(", ".join(shown).replace("_", " "))
    if item["role"] in ("text", "entry", "spin button", "combo box") and item["text"]:
        words.append(f"value {item['text']!r}")
    if item["description"]:
        words.append(f"— {item['description']}")
    return "  ".join(words)


def focusable(item: dict) -> bool:
    return "focusable" in item["states"] or item["role"] == "page tab"


def print_heard(found: list[dict], *, everything: bool) -> None:
    for item in found:
        if everything or focusable(item):
            indent = "  " * item["depth"] if everything else ""
            print(f"{indent}{spoken(item)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", default="Auditor", help="application name on the bus")
    parser.add_argument("--json", action="store_true", help="every shown object, as JSON")
    parser.add_argument("--all", action="store_true", help="every shown object, indented")
    parser.add_argument("--scene", help="start the app on a demo database showing this scene")
    args = parser.parse_args()
    if args.scene:
        return run_scene(args)
    found = hear(args.app)
    if args.json:
        json.dump(found, sys.stdout, ensure_ascii=False, indent=1)
    else:
        print_heard(found, everything=args.all)
    return 0


def run_scene(args: argparse.Namespace) -> int:
    from scripts.screen_reader import SCENES, Desktop, build_demo_database

    if args.scene not in SCENES:
        raise SystemExit(f"--scene is one of: {', '.join(SCENES)}.")
    db = build_demo_database(Path(tempfile.mkdtemp(prefix="auditor-sr-")) / "demo.db")
    with Desktop() as desktop:
        app = desktop.start_app(args.scene, db)
        found = desktop.hear(args.app)
        desktop.stop(app)
    if args.json:
        json.dump(found, sys.stdout, ensure_ascii=False, indent=1)
    else:
        print(f"# {SCENES[args.scene]}")
        print_heard(found, everything=args.all)
    return 0


if __name__ == "__main__":
    sys.exit(main())
