"""Use cases shared by the desktop app and the CLI. Each call is one transaction and returns plain
objects (see ``dto``); nothing outside this package touches the database.

``Services`` and ``open_services`` load on first use, so the desktop app can show its window before
the database layer (SQLAlchemy, the forms) has been imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.services.container import Services, open_services

__all__ = ["Services", "open_services"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from auditor.services import container

        return getattr(container, name)
    raise AttributeError(f"module 'auditor.services' has no attribute {name!r}")
