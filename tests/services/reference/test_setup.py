"""Setting up a new organisation: progress, and the one door to a first administrator."""

from __future__ import annotations

import threading

import pytest

from auditor.domain.errors import RuleViolation, ValidationError
from auditor.domain.reference import Role
from auditor.domain.workflow import PersonRef
from auditor.services import Services, open_services

PASSWORD = "a long enough password"


def test_an_empty_database_is_not_ready_until_it_has_an_administrator(services: Services):
    progress = services.setup.progress()
    assert (progress.administrators, progress.teams, progress.people, progress.cases) == (0,) * 4
    assert not progress.ready and services.is_empty()

    admin = services.setup.create_first_administrator(
        "psw.fraser", "Helen Fraser", [Role.PRINCIPAL_SOCIAL_WORKER], password=PASSWORD
    )
    assert admin.roles == {Role.PRINCIPAL_SOCIAL_WORKER, Role.ADMINISTRATOR}
    # the wizard's later steps are made as the new administrator
    services.directory.add_team("North", "Strengthening Families", who=admin)
    services.directory.add_person("sw.amy", "Amy Worker", [Role.SOCIAL_WORKER], "North", who=admin)
    services.directory.add_case("CF-1", "child_in_need", "North", "sw.amy", who=admin)
    progress = services.setup.progress()
    assert (progress.administrators, progress.teams, progress.people, progress.cases) == (
        1,
        1,
        2,
        1,
    )
    assert progress.ready and not services.is_empty()


def test_the_first_administrator_signs_in_with_their_password(services: Services):
    services.setup.create_first_administrator("admin.one", "Ann One", [], password=PASSWORD)
    signed = services.accounts.sign_in("ADMIN.ONE", PASSWORD)
    assert signed.principal.username == "admin.one" and not signed.must_change


def test_a_weak_first_password_leaves_nothing_behind(services: Services):
    with pytest.raises(ValidationError):
        services.setup.create_first_administrator("admin.one", "Ann One", [], password="short")
    with pytest.raises(ValidationError):
        services.setup.create_first_administrator(
            "admin.one", "Ann One", [], team="New", password="password123"
        )
    assert services.is_empty() and not services.accounts.any_accounts()
    assert services.setup.progress().teams == 0


def test_a_second_first_administrator_is_refused_and_nothing_is_stored(services: Services):
    admin = services.setup.create_first_administrator("admin.one", "Ann One", [], password=PASSWORD)
    with pytest.raises(RuleViolation, match="already has an administrator"):
        services.setup.create_first_administrator(
            "admin.two", "Bob Two", [], team="New team", password=PASSWORD
        )
    assert [p.username for p in services.directory.people(who=admin)] == ["admin.one"]
    assert services.directory.teams(who=admin) == []  # the team it would have made is not there


def test_the_first_administrator_can_bring_a_new_team_in_the_same_step(services: Services):
    admin = services.setup.create_first_administrator(
        "tm.walsh",
        "Siobhan Walsh",
        [Role.TEAM_MANAGER],
        team="  Child   Assessment Team ",
        password=PASSWORD,
    )
    assert services.directory.person("tm.walsh", who=admin).team == "Child Assessment Team"
    assert [t.name for t in services.directory.teams(who=admin)] == ["Child Assessment Team"]


@pytest.mark.parametrize(
    ("username", "name", "message"),
    [("", "Ann", "username"), ("ann", "  ", "name")],
)
def test_a_refused_administrator_leaves_nothing_behind(services, username, name, message):
    with pytest.raises(ValidationError, match=message):
        services.setup.create_first_administrator(
            username, name, [], team="New team", password=PASSWORD
        )
    progress = services.setup.progress()
    assert (progress.teams, progress.people) == (0, 0) and not progress.ready


def test_two_set_ups_at_once_make_one_administrator(db_path):
    """Two windows on one file: the write lock is held from the check to the insert."""
    first, second = open_services(db_path), open_services(db_path)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def make(services: Services, username: str) -> None:
        barrier.wait()
        try:
            services.setup.create_first_administrator(
                username, username.title(), [], password=PASSWORD
            )
            outcomes.append("made")
        except RuleViolation:
            outcomes.append("refused")

    threads = [
        threading.Thread(target=make, args=(first, "one")),
        threading.Thread(target=make, args=(second, "two")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert sorted(outcomes) == ["made", "refused"]
        assert first.setup.progress().administrators == 1
    finally:
        first.close()
        second.close()


def test_an_administrator_alone_may_not_audit():
    assert not Role.ADMINISTRATOR.is_manager and not Role.ADMINISTRATOR.is_senior_or_qa
    admin = PersonRef(1, "Ann", frozenset({Role.ADMINISTRATOR}))
    assert not admin.is_manager and not admin.is_senior_or_qa
    both = PersonRef(2, "Ben", frozenset({Role.ADMINISTRATOR, Role.TEAM_MANAGER}))
    assert both.is_manager and not both.is_senior_or_qa
    assert Role.parse("Administrator") is Role.ADMINISTRATOR
    assert Role.TEAM_MANAGER.is_manager and not Role.IRO.is_manager  # unchanged
