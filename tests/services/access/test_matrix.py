"""The role × action table walked whole, through the services: for every action, one person of
each role makes the one call that needs it, on a copy of the demo organisation where every role
reads everything (so only the table decides). The call is refused with ``NotPermitted`` exactly
when the table does not give that role the action; a person whose account is switched off is
refused everything."""

from __future__ import annotations

import pytest

from auditor.domain.errors import AuditorError
from auditor.domain.permissions import PERMISSIONS, Action, NotPermitted, Principal, Scope
from auditor.domain.reference import Role
from auditor.services import Services
from auditor.services.demo.build import DEMO_ADMIN
from tests.services.access import probes_a, probes_b, probes_e

PROBES = {**probes_a.PROBES, **probes_b.PROBES, **probes_e.PROBES}


def test_every_action_has_a_probe() -> None:
    assert set(PROBES) == set(Action), sorted(a.value for a in set(Action) - set(PROBES))


def administrator(s: Services) -> Principal:
    return s.accounts.principal_of(DEMO_ADMIN)


def one_of_each_role(s: Services) -> dict[Role, Principal]:
    """A person holding just that role, for every role, every role reading everything."""
    admin = administrator(s)
    for role in Role:
        s.roles.set_read_scope(role, Scope.ALL, who=admin)
    people = {}
    for role in Role:
        username = f"matrix.{role.value}"
        s.directory.add_person(username, f"Matrix {role.label}", [role], who=admin)
        people[role] = s.accounts.principal_of(username)
    return people


def attempt(s: Services, action: Action, who: Principal) -> bool:
    """Whether the call needing ``action`` got past the permission check."""
    try:
        PROBES[action](s, who)
    except NotPermitted:
        return False
    except AuditorError:
        return True  # refused by a rule of the work itself, not by the table
    return True


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_a_role_may_take_an_action_exactly_when_the_table_says(
    demo_services: Services, action: Action
) -> None:
    people = one_of_each_role(demo_services)
    outcome = {role: attempt(demo_services, action, who) for role, who in people.items()}
    expected = {role: action in PERMISSIONS[role] for role in Role}
    assert outcome == expected


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_a_switched_off_account_is_refused_everything(
    demo_services: Services, action: Action
) -> None:
    admin = administrator(demo_services)
    demo_services.directory.add_person("matrix.everything", "Has Every Role", list(Role), who=admin)
    who = demo_services.accounts.principal_of("matrix.everything")
    assert attempt(demo_services, action, who)  # every role together may take every action
    demo_services.directory.set_person_active("matrix.everything", False, who=admin)
    with pytest.raises(NotPermitted):
        PROBES[action](demo_services, who)
