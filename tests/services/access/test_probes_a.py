"""Helper A's probes checked on their own (the lead's whole-matrix test walks every helper's):
each refuses iff the person's roles lack the action, and every read path shows a social worker
no more than everything."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from auditor.domain.permissions import NotPermitted, Scope
from auditor.domain.reference import Role
from db.models import Person, PersonRole, RoleScope
from tests.services.access.probes_a import PROBES, READ_PATHS


def _one_of_each_role(services) -> dict[Role, str]:
    with services.db.reading() as s:
        rows = s.execute(
            select(PersonRole.role, Person.username)
            .join(Person, Person.id == PersonRole.person_id)
            .order_by(Person.id)
        ).all()
    found: dict[Role, str] = {}
    for role, username in rows:
        found.setdefault(Role(role), username)
    return found


@pytest.fixture
def everyone_reads_all(demo_services):
    with demo_services.db.transaction() as s:
        for role in Role:
            s.merge(RoleScope(role=role, scope=Scope.ALL))
    return demo_services


@pytest.mark.parametrize("action", list(PROBES), ids=lambda a: a.value)
def test_each_probe_is_refused_iff_the_role_lacks_its_action(everyone_reads_all, action):
    services = everyone_reads_all
    for role, username in _one_of_each_role(services).items():
        who = services.accounts.principal_of(username)
        try:
            PROBES[action](services, who)
        except NotPermitted:
            assert not who.may(action), (role, action)
        except Exception:
            assert who.may(action), (role, action)
        else:
            assert who.may(action), (role, action)


def test_read_paths_show_a_social_worker_only_their_own(demo_services):
    services = demo_services
    worker = services.accounts.principal_of(_one_of_each_role(services)[Role.SOCIAL_WORKER])
    qa = services.accounts.principal_of(_one_of_each_role(services)[Role.ADVANCED_PRACTITIONER])
    for name, path in READ_PATHS.items():
        if name == "work.my_work":  # each person's own queue: not a part of anyone else's
            continue
        mine, everything = path(services, worker), path(services, qa)
        assert mine <= everything, name
        if name in ("views.rows", "views.detail"):
            assert mine and mine != everything, name
