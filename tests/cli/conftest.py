"""The command line signs in: every test here runs with ``$AUDITOR_PASSWORD`` set to ``PASSWORD``,
which every person of ``org`` (and the ``admin`` of an otherwise empty database) signs in with.
Hashes are made cheaply here; the production parameters are checked in tests/services/access."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher

from auditor.domain.permissions import Principal
from auditor.services import Services, open_services
from tests.builders import ADMIN, ADMIN_PASSWORD, Org, admin_of, build_org

PASSWORD = "correct horse battery staple"
__all__ = ["ADMIN", "PASSWORD"]


def _admin_with_password(services: Services) -> Principal:
    """The administrator of ``tests.builders`` (made if need be), signing in with ``PASSWORD``."""
    admin = admin_of(services)
    services.accounts.change_password(admin, ADMIN_PASSWORD, PASSWORD)
    return admin


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "auditor.services.access.accounts.default_hasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )


@pytest.fixture(autouse=True)
def password_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_PASSWORD", PASSWORD)
    monkeypatch.delenv("AUDITOR_NEW_PASSWORD", raising=False)


@pytest.fixture
def org(services: Services) -> Org:
    """The test organisation, everyone in it with a sign-in whose password is ``PASSWORD``."""
    made = build_org(services)
    _admin_with_password(services)
    services.accounts.give_everyone(PASSWORD)
    return made


@pytest.fixture
def admin(services: Services) -> str:
    """An otherwise empty database's first administrator (password ``PASSWORD``)."""
    _admin_with_password(services)
    return ADMIN


def make_admin(path: Path) -> str:
    """Give the database at ``path`` its first administrator (password ``PASSWORD``)."""
    services = open_services(path)
    try:
        _admin_with_password(services)
    finally:
        services.close()
    return ADMIN


PSW = "psw.pat"


def make_psw(path: Path) -> str:
    """The administrator and a principal social worker (``PSW``: audits, QA, reports, exports,
    imports and reference data), both with ``PASSWORD``; the backups their making took are
    removed, so the file is as a test expects it before its first command."""
    from auditor.domain.reference import Role

    services = open_services(path)
    try:
        admin = _admin_with_password(services)
        services.directory.add_person(
            PSW, "Pat Principal", [Role.PRINCIPAL_SOCIAL_WORKER], who=admin
        )
        services.accounts.give_everyone(PASSWORD)
    finally:
        services.close()
    for extra in path.parent.glob(f"{path.stem}.backup-*"):
        extra.unlink()
    return PSW
