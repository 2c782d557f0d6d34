"""Shared fixtures: private config/data/log folders per test and a fresh, migrated database.

QT_QPA_PLATFORM is set before anything can import Qt: without a display pytest-qt would otherwise
abort the whole run.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.services import Services, open_services
from tests.builders import Org, build_org


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2id at its production cost (64 MiB, three passes) takes a tenth of a second a hash;
    tests use the lowest cost instead (``test_accounts`` checks the production parameters)."""
    from argon2 import PasswordHasher

    from auditor.services.access import accounts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            accounts,
            "default_hasher",
            lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
        )
        yield


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user folders, so nothing touches the real profile."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("AUDITOR_DB", raising=False)
    return home


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per session; tests copy it instead of migrating again."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_services(path, create=True).close()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "auditor.db"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def services(db_path: Path) -> Services:
    svc = open_services(db_path)
    yield svc
    svc.close()


@pytest.fixture
def org(services: Services) -> Org:
    return build_org(services)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation, built once per session (copy it; never change it)."""
    from auditor.services.demo.build import build_demo

    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "demo.db"
    services = open_services(path, create=True)
    build_demo(services)
    services.close()
    for extra in folder.glob("demo.backup-*"):
        extra.unlink()
    return path


@pytest.fixture
def demo_services(demo_template: Path, tmp_path: Path) -> Iterator[Services]:
    """A copy of the demo organisation of the test's own, open."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    services = open_services(path)
    yield services
    services.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "screen_reader: hears the app through AT-SPI on Xvfb (slow; leave out with "
        '-m "not screen_reader")',
    )
