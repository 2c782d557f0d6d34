"""The directory, the imports, set-up and the read-scope settings as the signed-in person: who may
change what, what each sees, and what is kept rather than deleted."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import select

from auditor.domain.errors import RuleViolation, ValidationError
from auditor.domain.permissions import AccessEventKind, NotPermitted, Scope, allowed
from auditor.domain.reference import Role
from auditor.services import Services
from auditor.services.access import accounts
from auditor.services.access.log import record
from auditor.services.reference.directory import UNCHANGED
from db.models import Person
from tests.builders import ADMIN, Org, who
from tests.services.access.probes_e import PROBES

EVERYONE = ["admin.zed", "sw.amy", "tm.ben", "tm.cat", "sswm.dan", "hos.eve", "ap.fay", "iro.gus"]


@pytest.fixture
def admin(services: Services, org: Org):
    return who(services, ADMIN)


def test_each_probe_is_refused_exactly_when_the_matrix_says(services: Services, org: Org):
    for username in EVERYONE:
        principal = who(services, username)
        for action, probe in PROBES.items():
            if allowed(principal.roles, action):
                try:
                    probe(services, principal)
                except NotPermitted as exc:  # pragma: no cover - the failure itself
                    pytest.fail(f"{username} refused {action}: {exc}")
                except Exception:
                    pass
            else:
                with pytest.raises(NotPermitted):
                    probe(services, principal)


@pytest.mark.parametrize(
    "call",
    [
        lambda d, w: d.add_team("East", who=w),
        lambda d, w: d.update_team("North", who=w, new_name="Northern"),
        lambda d, w: d.set_team_active("South", False, who=w),
        lambda d, w: d.add_person("x.y", "X Y", [Role.DIRECTOR], who=w),
        lambda d, w: d.update_person("sw.amy", who=w, roles=[Role.DIRECTOR]),
        lambda d, w: d.set_person_active("tm.cat", False, who=w),
        lambda d, w: d.remove_person("iro.gus", who=w),
        lambda d, w: d.add_case("CF-9", "child_in_need", "North", who=w),
        lambda d, w: d.update_case("CF-1", who=w, worker=None),
        lambda d, w: d.case_allocations("CF-1", who=w),
        lambda d, w: d.set_case_active("CF-1", False, who=w),
    ],
)
def test_directory_changes_are_refused_to_those_who_may_not(services: Services, org: Org, call):
    for username in ("sw.amy", "tm.ben", "hos.eve", "ap.fay"):
        with pytest.raises(NotPermitted):
            call(services.directory, who(services, username))
    assert {p.username for p in services.directory.people(who=who(services, "sw.amy"))} == set(
        EVERYONE
    )


def test_the_issue_s_evil_director_cannot_be_made(services: Services, org: Org):
    with pytest.raises(NotPermitted, match="manage people"):
        services.directory.add_person("evil", "E", [Role.DIRECTOR], who=who(services, "hos.eve"))


def test_a_deactivated_person_is_refused_everything_at_once(services: Services, admin):
    amy = who(services, "sw.amy")  # signed in before
    services.directory.set_person_active("sw.amy", False, who=admin)
    for call in (
        lambda: services.directory.people(who=amy),
        lambda: services.directory.cases(who=amy),
        lambda: services.directory.case_type_labels(who=amy),
        lambda: services.roles.read_scopes(who=amy),
    ):
        with pytest.raises(NotPermitted, match="no longer active"):
            call()
    assert "sw.amy" not in {p.username for p in services.directory.people(who=admin)}
    everyone = services.directory.people(who=admin, include_inactive=True)
    assert [p.active for p in everyone if p.username == "sw.amy"] == [False]


def test_deactivating_also_switches_the_sign_in_off_and_on(services: Services, admin):
    services.accounts.create(admin, "tm.cat", "cat's temporary password")
    services.directory.set_person_active("tm.cat", False, who=admin)
    with pytest.raises(accounts.SignInRefused):
        services.accounts.sign_in("tm.cat", "cat's temporary password")
    services.directory.set_person_active("tm.cat", True, who=admin)
    assert services.accounts.sign_in("tm.cat", "cat's temporary password").must_change


def test_nobody_deactivates_themselves_nor_the_last_administrator(services: Services, admin):
    with pytest.raises(RuleViolation, match="yourself"):
        services.directory.set_person_active(ADMIN, False, who=admin)
    with pytest.raises(RuleViolation, match="last active administrator"):
        services.directory.update_person(ADMIN, who=admin, roles=[Role.SOCIAL_WORKER])
    services.directory.update_person(
        "ap.fay", who=admin, roles=[Role.ADVANCED_PRACTITIONER, Role.ADMINISTRATOR]
    )
    fay = who(services, "ap.fay")
    services.directory.set_person_active(ADMIN, False, who=fay)  # another admin is left
    services.directory.set_person_active(ADMIN, True, who=fay)
    services.directory.set_person_active(ADMIN, False, who=fay)
    with pytest.raises(RuleViolation, match="last active administrator"):
        services.directory.update_person("ap.fay", who=fay, roles=[Role.ADVANCED_PRACTITIONER])


def test_someone_with_history_is_deactivated_never_deleted(services: Services, admin):
    with services.db.transaction() as s:  # the access log names iro.gus
        person_id = s.scalar(select(Person.id).where(Person.username == "iro.gus"))
        record(s, AccessEventKind.SIGNED_IN, services.clock.now(), person_id=person_id)
    with pytest.raises(RuleViolation, match="deactivated, never deleted"):
        services.directory.remove_person("sw.amy", who=admin)  # she holds cases
    with pytest.raises(RuleViolation, match="deactivated, never deleted"):
        services.directory.remove_person("iro.gus", who=admin)
    assert services.directory.person("iro.gus", who=admin).active
    services.directory.add_person("new.one", "New One", [Role.SOCIAL_WORKER], who=admin)
    services.directory.remove_person("new.one", who=admin)  # added by mistake, nothing since
    assert "new.one" not in {p.username for p in services.directory.people(who=admin)}


def test_a_reallocation_keeps_who_held_the_case(services: Services, admin):
    services.directory.add_person("sw.zoe", "Zoe Worker", [Role.SOCIAL_WORKER], "South", who=admin)
    services.directory.update_case("CF-1", who=admin, worker="sw.zoe", team="South")
    services.directory.update_case("CF-1", who=admin, case_type="child_in_care")  # no move
    services.directory.update_case("CF-1", who=admin, worker=None)
    held = services.directory.case_allocations("CF-1", who=admin)
    assert [(h.team, h.worker_username) for h in held] == [
        ("North", "sw.amy"),
        ("South", "sw.zoe"),
        ("South", None),
    ]
    assert [h.to_at is None for h in held] == [False, False, True]
    assert held[1].changed_by == ADMIN
    case = services.directory.case("CF-1", who=admin)
    assert (case.case_type, case.team, case.worker) == ("child_in_care", "South", None)


def test_a_case_goes_only_to_someone_active_in_a_team(services: Services, admin):
    services.directory.set_person_active("tm.cat", False, who=admin)
    with pytest.raises(RuleViolation, match="no longer active"):
        services.directory.update_case("CF-3", who=admin, worker="tm.cat")
    with pytest.raises(RuleViolation, match="in no team"):
        services.directory.update_case("CF-3", who=admin, worker="hos.eve")


def test_cases_are_listed_as_far_as_each_person_reads(services: Services, org: Org):
    def refs(username: str) -> set[str]:
        return {c.reference for c in services.directory.cases(who=who(services, username))}

    assert refs("sw.amy") == {"CF-1", "CF-2"}  # her own
    assert refs("tm.ben") == {"CF-1", "CF-2", "CF-3"}  # his team's
    assert refs("tm.cat") == set()  # another team
    assert refs("iro.gus") == set()
    assert refs("hos.eve") == refs(ADMIN) == {"CF-1", "CF-2", "CF-3"}
    with pytest.raises(NotPermitted, match="CF-3"):
        services.directory.case("CF-3", who=who(services, "sw.amy"))
    assert services.directory.case("CF-1", who=who(services, "sw.amy")).worker == "Amy Worker"


def test_a_council_s_read_scope_counts_at_the_next_call(services: Services, admin):
    cat = who(services, "tm.cat")
    with pytest.raises(NotPermitted):
        services.roles.set_read_scope(Role.TEAM_MANAGER, Scope.ALL, who=cat)
    services.roles.set_read_scope(Role.TEAM_MANAGER, Scope.ALL, who=admin)
    assert services.roles.read_scopes(who=cat)[Role.TEAM_MANAGER] is Scope.ALL
    assert len(services.directory.cases(who=cat)) == 3  # the old principal, read afresh
    services.roles.set_read_scope(Role.TEAM_MANAGER, Scope.TEAM, who=admin)  # the default again
    assert services.directory.cases(who=cat) == []


def test_inactive_teams_and_cases_are_hidden_unless_asked(services: Services, admin):
    with pytest.raises(RuleViolation, match="active people"):
        services.directory.set_team_active("North", False, who=admin)
    services.directory.set_person_active("tm.cat", False, who=admin)
    services.directory.set_team_active("South", False, who=admin)
    services.directory.set_case_active("CF-3", False, who=admin)
    assert [t.name for t in services.directory.teams(who=admin)] == ["North"]
    assert [t.active for t in services.directory.teams(who=admin, include_inactive=True)] == [
        True,
        False,
    ]
    assert "CF-3" not in {c.reference for c in services.directory.cases(who=admin)}
    assert not services.directory.case("CF-3", who=admin).active


def test_update_person_leaves_what_is_not_given(services: Services, admin):
    before = services.directory.person("sw.amy", who=admin)
    after = services.directory.update_person("sw.amy", who=admin, name="Amy Newname")
    assert (after.name, after.team, after.line_manager_id, after.roles) == (
        "Amy Newname",
        before.team,
        before.line_manager_id,
        before.roles,
    )
    after = services.directory.update_person(
        "sw.amy", who=admin, team=None, line_manager=None, name=None
    )
    assert (after.team, after.line_manager_id, after.name) == (None, None, "Amy Newname")
    assert UNCHANGED is not None
    services.directory.update_person("sw.amy", who=admin, line_manager="tm.ben")
    with pytest.raises(ValidationError, match="through others"):  # amy > ben > dan > eve
        services.directory.update_person("hos.eve", who=admin, line_manager="sw.amy")
    with pytest.raises(RuleViolation, match="already"):
        services.directory.update_team("North", who=admin, new_name="South")
    assert services.directory.update_team("North", who=admin, service="New").service == "New"


def test_imports_need_their_action_before_the_file_is_read(
    services: Services, org: Org, tmp_path: Path
):
    nowhere = tmp_path / "missing.csv"
    amy, fay, admin = (who(services, u) for u in ("sw.amy", "ap.fay", ADMIN))
    for call in (
        services.directory_import.import_teams,
        services.directory_import.import_people,
        services.directory_import.import_cases,
    ):
        with pytest.raises(NotPermitted):
            call(nowhere, who=amy)
        with pytest.raises(NotPermitted):
            call(nowhere, who=fay)  # QA imports grades, not staff
        with pytest.raises(ValidationError, match="no file"):
            call(nowhere, who=admin)
    with pytest.raises(NotPermitted):
        services.history.import_file(nowhere, who=admin)
    with pytest.raises(ValidationError, match="no file"):
        services.history.import_file(nowhere, who=fay)


def test_imported_people_have_no_sign_in_and_cases_their_first_holder(
    services: Services, admin, tmp_path: Path
):
    people = tmp_path / "people.csv"
    people.write_text("username,name,roles,team\nsw.new,New Worker,social_worker,North\n")
    services.directory_import.import_people(people, who=admin)
    assert not services.accounts.has_account("sw.new")
    cases = tmp_path / "cases.csv"
    cases.write_text("reference,case type,team,worker\nCF-50,cin,North,sw.new\n")
    services.directory_import.import_cases(cases, who=admin)
    [held] = services.directory.case_allocations("CF-50", who=admin)
    assert (held.worker_username, held.to_at, held.changed_by) == ("sw.new", None, ADMIN)


def test_bad_people_and_case_rows_are_named_and_nothing_is_written(
    services: Services, admin, tmp_path: Path
):
    people = tmp_path / "people.csv"
    people.write_text(
        "username,name,roles,team\n"
        "sw.ok,Ok Worker,social_worker,North\n"
        "sw.amy,Taken,social_worker,North\n"
        "sw.bad,Bad Role,wizard,Nowhere\n"
    )
    with pytest.raises(ValidationError) as caught:
        services.directory_import.import_people(people, who=admin)
    assert "row 3" in str(caught.value) and "row 4" in str(caught.value)
    assert "row 2" not in str(caught.value)
    assert "sw.ok" not in {p.username for p in services.directory.people(who=admin)}
    cases = tmp_path / "cases.csv"
    cases.write_text("reference,case type,team,worker\nCF-60,cin,North,\nCF-61,cin,Nowhere,\n")
    with pytest.raises(ValidationError, match="row 3"):
        services.directory_import.import_cases(cases, who=admin)
    assert "CF-60" not in {c.reference for c in services.directory.cases(who=admin)}


def test_an_administrator_unlocks_an_account(services: Services, admin):
    services.accounts.create(admin, "tm.ben", "ben's temporary password")
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInRefused):
            services.accounts.sign_in("tm.ben", "wrong password!")
    [ben] = [a for a in services.accounts.accounts(admin) if a.username == "tm.ben"]
    assert ben.locked_until is not None and ben.must_change
    with pytest.raises(NotPermitted):
        services.accounts.unlock(who(services, "hos.eve"), "tm.ben")
    services.accounts.unlock(admin, "tm.ben")
    assert services.accounts.sign_in("tm.ben", "ben's temporary password").must_change


def test_the_production_hashing_meets_owasp():
    hasher = PasswordHasher(
        time_cost=accounts.ARGON2_TIME_COST,
        memory_cost=accounts.ARGON2_MEMORY_KIB,
        parallelism=accounts.ARGON2_LANES,
    )
    assert hasher.type is Type.ID
    assert accounts.ARGON2_MEMORY_KIB >= 19 * 1024 and accounts.ARGON2_TIME_COST >= 2
    assert accounts.ARGON2_LANES >= 1
    assert "argon2id$v=19$m=65536,t=3,p=4$" in hasher.hash("a password to look at")


def test_the_demo_organisation_is_made_by_its_administrator(services: Services):
    """``organisation()`` (the part of the demo built by set-up and the directory) and the demo
    password everyone gets at the end of ``build_demo``."""
    import datetime as dt

    from auditor.services.demo.build import DEMO_ADMIN, STAFF, _Demo

    with services.db.all_or_nothing() as db:
        inside = Services(db, services.forms, services.clock)
        demo = _Demo(inside, dt.date(2026, 11, 1), 2019)
        demo.organisation()
        assert demo.admin.username == DEMO_ADMIN
        assert inside.accounts.give_everyone(accounts.DEMO_PASSWORD) == len(STAFF)
    assert demo.counts["people"] == len(STAFF) + 1
    signed = services.accounts.sign_in(DEMO_ADMIN, accounts.DEMO_PASSWORD)
    assert Role.ADMINISTRATOR in signed.principal.roles
    assert services.accounts.sign_in(STAFF[-1][0], accounts.DEMO_PASSWORD).principal
