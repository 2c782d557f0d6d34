"""The reporting probes of the whole-matrix test, run here for every role in the demo: each is
refused exactly when the role may not take its action, and each read path shows no more than the
reader may see."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from auditor.domain.permissions import NotPermitted, Scope
from auditor.domain.reference import Role
from auditor.services.access.scope import visible_audits
from db.models import Audit, Person, PersonRole, RoleScope
from tests.builders import who
from tests.services.access.probes_b import PROBES, READ_PATHS


def one_of_each_role(services) -> dict[Role, str]:
    with services.db.reading() as s:
        rows = s.execute(
            select(PersonRole.role, Person.username)
            .join(Person, Person.id == PersonRole.person_id)
            .where(Person.active)
            .order_by(Person.id)
        ).all()
    found: dict[Role, str] = {}
    for role, username in rows:
        found.setdefault(Role(role), username)
    return found


def test_each_probe_is_refused_exactly_when_the_role_may_not(demo_services):
    services = demo_services
    with services.db.transaction() as s:
        for role in Role:
            s.merge(RoleScope(role=role, scope=Scope.ALL))
    people = one_of_each_role(services)
    assert len(people) >= 5
    for role, username in people.items():
        principal = who(services, username)
        for action, probe in PROBES.items():
            try:
                probe(services, principal)
            except NotPermitted:
                assert not principal.may(action), (role, action)
            except Exception:
                assert principal.may(action), (role, action)
            else:
                assert principal.may(action), (role, action)


@pytest.mark.parametrize("path", sorted(READ_PATHS))
def test_read_paths_show_only_what_the_reader_may_see(demo_services, path):
    services = demo_services
    for username in sorted(set(one_of_each_role(services).values())):
        principal = who(services, username)
        with services.db.reading() as s:
            visible = set(s.scalars(select(Audit.id).where(visible_audits(principal))))
        shown = READ_PATHS[path](services, principal)
        assert shown <= visible, (path, username, shown - visible)
