"""A case is graded once in a dip-sample session: the service updates the row it has, and the
database refuses a second row that got past that check (two saves racing) in the rule's words."""

from __future__ import annotations

import pytest

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import RuleViolation
from tests.builders import fill, who

FORM = "dip_statutory_visits"


def test_a_case_is_in_a_dip_session_once_until_taken_out(services, org):
    session = services.dips.start_session(FORM, by=who(services, org.senior))
    answers = fill(services.forms.latest(FORM), None)
    first = services.dips.record_case(
        session, org.case, answers, by=who(services, org.senior), complete=False
    )
    draft = {"overall": answers["overall"]}
    assert services.dips.record_case(
        session, org.case, draft, by=who(services, org.senior), complete=False
    ) == (first)
    with pytest.raises(RuleViolation, match="already in this dip-sample session"):
        services.audits.record(  # what the loser of two saves at once would write
            ActivityKind.DIP_SAMPLE,
            by=who(services, org.senior),
            answers=answers,
            form_id=FORM,
            case_reference=org.case,
            dip_session_id=session,
        )
    services.dips.remove_case(session, first, by=who(services, org.senior))
    again = services.dips.record_case(session, org.case, answers, by=who(services, org.senior))
    assert again != first  # taken out, the case can be looked at again
    assert [r.audit_id for r in services.dips.session(session, who=who(services, org.qa)).rows] == [
        again
    ]
