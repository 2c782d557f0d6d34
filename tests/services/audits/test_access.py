"""Who may do what to audits: the role table refuses first, then the reach of a person's reading
(their own cases, their teams', everything), and a deactivated person is refused outright."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import NotFound
from auditor.domain.permissions import AccessEventKind, NotPermitted, Scope
from auditor.domain.reference import Role
from auditor.domain.workflow import Part
from auditor.services.audits.views import AuditFilter
from db.models import AccessEvent, Person, RoleScope
from tests.builders import admin_of, fill, run_to, who

TODAY = dt.date(2027, 3, 1)


@pytest.fixture
def south(services, org):
    """A social worker in the other team (South, managed by tm.cat)."""
    services.directory.add_person(
        "sw.sam", "Sam South", [Role.SOCIAL_WORKER], "South", "tm.cat", who=admin_of(services)
    )
    return "sw.sam"


def test_an_iro_may_read_but_take_no_step_of_an_audit(services, org):
    audit_id = run_to(services, org, "reconciliation")
    iro = who(services, org.iro)
    a = services.audits
    steps = [
        lambda: a.start("CF-2", by=iro),
        lambda: a.save_draft(audit_id, Part.SELF_REVIEW, by=iro, answers={}),
        lambda: a.save_draft(audit_id, Part.FIRST_AUDIT, by=iro, answers={}),
        lambda: a.save_draft(audit_id, Part.FAMILY_FEEDBACK, by=iro, answers={}),
        lambda: a.save_draft(audit_id, Part.SECOND_AUDIT, by=iro, answers={}),
        lambda: a.assign_second_auditor(audit_id, by=iro, to=org.iro),
        lambda: a.assign_second_auditor(audit_id, by=iro, to=org.senior),
        lambda: a.note_difference(audit_id, "planning", "x", by=iro),
        lambda: a.waive_self_review(audit_id, by=iro, reason="x"),
        lambda: a.add_action(audit_id, by=iro, owner=org.worker, due_on=TODAY, description="x"),
        lambda: a.close(audit_id, by=iro),
        lambda: a.cancel(audit_id, by=iro, reason="x"),
        lambda: a.record(
            ActivityKind.OBSERVATION,
            by=iro,
            answers={},
            form_id="practice_observation",
            practitioner=org.worker,
        ),
        lambda: services.dips.start_session("dip_statutory_visits", by=iro),
        lambda: services.weeks.create("W", TODAY, TODAY, by=iro),
        lambda: services.sampling.tag("CF-1", ["neglect"], by=iro),
    ]
    for step in steps:
        with pytest.raises(NotPermitted, match="You may not"):
            step()
    assert services.views.rows(who=iro) == []  # reading is allowed: their own work, none here


def test_a_team_manager_may_not_take_or_assign_second_audits_or_lift_blindness(services, org):
    audit_id = run_to(services, org, "second_audit")
    ben = who(services, org.manager)
    with pytest.raises(NotPermitted, match="take a second audit|You may not"):
        services.audits.assign_second_auditor(audit_id, by=ben, to=org.manager)
    with pytest.raises(NotPermitted, match="You may not"):
        services.audits.assign_second_auditor(audit_id, by=ben, to=org.senior)
    with pytest.raises(NotPermitted, match="not blind"):
        services.audits.start("CF-2", by=ben, blind=False, not_blind_reason="x")
    assert services.audits.writable_parts(audit_id, ben) == []


def test_an_audit_outside_a_persons_reach_is_refused_and_left_out_of_every_list(
    services, org, south
):
    audit_id = run_to(services, org, "reconciliation")
    for outsider in (south, org.other_manager):
        person = who(services, outsider)
        with pytest.raises(NotPermitted, match="not one you may see"):
            services.views.detail(audit_id, who=person)
        with pytest.raises(NotPermitted, match="not one you may see"):
            services.audits.writable_parts(audit_id, person)
        assert services.views.rows(who=person) == []
        assert services.views.count(who=person) == 0
        assert services.work.my_work(who=person, today=TODAY).to_close == []
    with pytest.raises(NotPermitted, match="not one you may see"):  # a manager of another team
        services.audits.cancel(audit_id, by=who(services, org.other_manager), reason="x")
    for insider in (org.worker, org.manager, org.senior, org.qa):
        person = who(services, insider)
        assert [r.id for r in services.views.rows(who=person)] == [audit_id]
        assert services.views.count(who=person) == 1
        assert services.views.detail(audit_id, who=person).row.id == audit_id


def test_a_deactivated_person_is_refused_at_once(services, org):
    audit_id = run_to(services, org, "self_review")
    amy = who(services, org.worker)  # signed in before being deactivated
    with services.db.transaction() as s:
        s.scalars(select(Person).where(Person.username == org.worker)).one().active = False
    with pytest.raises(NotPermitted, match="no longer active"):
        services.views.detail(audit_id, who=amy)
    with pytest.raises(NotPermitted, match="no longer active"):
        services.audits.submit(
            audit_id,
            Part.SELF_REVIEW,
            by=amy,
            answers=fill(services.forms.latest("self_review")),
        )
    with pytest.raises(NotPermitted, match="no longer active"):
        services.work.my_work(who=amy, today=TODAY)


def test_claiming_to_be_the_first_auditor_reveals_nothing(services, org):
    """The issue: '--as' the first auditor showed a blind audit's first grades and another
    person's private draft. A principal comes from signing in; a forged one is refused."""
    audit_id = run_to(services, org, "second_audit")
    services.audits.save_draft(
        audit_id, Part.SECOND_AUDIT, by=who(services, org.senior), answers={"planning": None}
    )
    qa = who(services, org.qa)
    seen = services.views.detail(audit_id, who=qa)
    assert seen.first_audit_hidden and seen.responses[Part.FIRST_AUDIT].answers == {}
    assert Part.SECOND_AUDIT not in seen.responses  # the senior's draft is theirs alone
    ben = who(services, org.manager)
    forged = dataclasses.replace(qa, username=ben.username)  # qa's number, ben's name
    with pytest.raises(NotPermitted):
        services.views.detail(audit_id, who=forged)
    forged = dataclasses.replace(ben, roles=qa.roles)  # ben claiming QA's roles counts for nothing
    detail = services.views.detail(audit_id, who=forged)
    assert Part.SECOND_AUDIT not in detail.responses
    with pytest.raises(NotPermitted):
        services.audits.assign_second_auditor(audit_id, by=forged, to=org.qa)


def test_each_view_of_an_audit_is_logged_and_listing_is_not(services, org):
    audit_id = run_to(services, org, "first_audit")
    with services.db.reading() as s:
        before = len(s.scalars(select(AccessEvent)).all())  # the administrator's sign-in made
    services.views.rows(AuditFilter(), who=who(services, org.qa))
    services.views.detail(audit_id, who=who(services, org.qa))
    with services.db.reading() as s:
        events = s.scalars(select(AccessEvent).order_by(AccessEvent.id)).all()[before:]
        assert [(e.kind, e.audit_id, e.person.username) for e in events] == [
            (AccessEventKind.VIEWED_AUDIT, audit_id, org.qa)
        ]


def test_samples_and_weeks_show_only_what_is_within_reach(services, org, south):
    services.directory.add_case("CF-S1", "child_in_need", "South", south, who=admin_of(services))
    for ref in ("CF-1", "CF-S1"):
        services.sampling.tag(ref, ["neglect"], by=who(services, org.qa))
    from auditor.domain.sampling import Criteria

    number = services.sampling.save(
        "Neglect", "thematic", Criteria(size=10, seed=1, theme="neglect"), by=who(services, org.qa)
    )
    refs = {c.reference for c in services.sampling.sample(number, who=who(services, org.qa)).cases}
    assert refs == {"CF-1", "CF-S1"}
    sam = {c.reference for c in services.sampling.sample(number, who=who(services, south)).cases}
    assert sam == {"CF-S1"}
    ben = {c.reference for c in services.sampling.samples(who=who(services, org.manager))[0].cases}
    assert ben == {"CF-1"}


def test_starting_an_audit_is_no_way_round_the_reach_of_reading(services, org, south):
    """Whoever starts an audit reads it afterwards, so a team manager may not start one on
    another team's case; a practice week's plan lends the case to the person it names."""
    from auditor.domain.practice_weeks import WeekStatus

    services.directory.add_case("CF-S1", "child_in_need", "South", south, who=admin_of(services))
    ben = who(services, org.manager)  # manages North (sw.amy), not South
    with pytest.raises(NotPermitted, match="CF-S1 is outside your cases and teams"):
        services.audits.start("CF-S1", by=ben)
    cat = who(services, org.other_manager)  # manages South: may
    services.audits.cancel(
        services.audits.start("CF-S1", by=cat),
        by=cat,
        reason="Started to show a manager of South may",
    )

    with services.db.transaction() as s:  # the council limits its senior managers to their teams
        s.add(RoleScope(role=Role.HEAD_OF_SERVICE, scope=Scope.TEAM))
    eve = who(services, org.senior)  # heads the service but manages no team's workers
    with pytest.raises(NotPermitted, match="outside your cases"):
        services.audits.start("CF-S1", by=eve)
    qa = who(services, org.qa)
    week = services.weeks.create("Cross-team week", TODAY, TODAY, by=qa, teams=["South"])
    services.weeks.set_participant(week, org.senior, [TODAY], by=qa)
    item = services.weeks.allocate(
        week, org.senior, TODAY, ActivityKind.CASE_FILE_AUDIT, by=qa, case_reference="CF-S1"
    )
    with pytest.raises(NotPermitted, match="outside your cases"):  # another week lends nothing
        services.audits.start("CF-S1", by=eve, practice_week_id=week + 1000)
    services.weeks.set_status(week, WeekStatus.RUNNING, by=qa)
    kind, audit_id = services.weeks.start_allocation(item, by=eve)
    assert kind == "audit"
    assert services.views.detail(audit_id, who=eve).row.case_reference == "CF-S1"


def test_a_look_from_outside_the_reach_is_refused_and_logged_as_refused(
    services, org, south, tmp_path
):
    """A curious user shows first as refusals: each attempt to view or print an audit outside
    one's reach is a line of the access log, and 'Who looked at this' shows it."""
    audit_id = run_to(services, org, "reconciliation")
    sam = who(services, south)
    with services.db.reading() as s:
        before = len(s.scalars(select(AccessEvent)).all())
    with pytest.raises(NotPermitted, match="not one you may see"):
        services.views.detail(audit_id, who=sam)
    with pytest.raises(NotPermitted, match="not one you may see"):
        services.reports.activity_summary(audit_id, who=sam)
    with pytest.raises(NotPermitted, match="not one you may see"):
        services.reports.write_activity_pdf(audit_id, tmp_path / "x.pdf", who=sam)
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(NotPermitted, match="not one you may see"):  # the role refuses nothing
        services.views.detail(audit_id, who=who(services, org.other_manager))
    with services.db.reading() as s:
        events = s.scalars(select(AccessEvent).order_by(AccessEvent.id)).all()[before:]
        seen = [(e.kind, e.audit_id, e.person.username, e.detail) for e in events]
    assert seen == [
        (AccessEventKind.REFUSED, audit_id, south, "view"),
        (AccessEventKind.REFUSED, audit_id, south, "print preview"),
        (AccessEventKind.REFUSED, audit_id, south, "print"),
        (AccessEventKind.REFUSED, audit_id, org.other_manager, "view"),
    ]
    looked = services.access_log.who_looked(who(services, org.qa), audit_id)
    assert {(e.username, e.kind) for e in looked} >= {(south, AccessEventKind.REFUSED)}
    with pytest.raises(NotFound):  # no such audit: nothing to refuse, nothing logged
        services.views.detail(audit_id + 999, who=sam)
    with services.db.reading() as s:
        assert len(s.scalars(select(AccessEvent)).all()) == before + len(seen)
