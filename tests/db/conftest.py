from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation, built once per session (copy it; never change it)."""
    from auditor.services import open_services
    from auditor.services.demo.build import build_demo

    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "demo.db"
    services = open_services(path, create=True)
    build_demo(services)
    services.close()
    for extra in folder.glob("demo.backup-*"):
        extra.unlink()
    return path
