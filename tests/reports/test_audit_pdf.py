"""The audit summary PDF: what it holds, who may have it, what they may see in it."""

import datetime as dt
import os
from pathlib import Path

import pytest

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import NotFound, OutputError, RuleViolation
from auditor.domain.grades import Grade
from auditor.domain.permissions import AccessEventKind, NotPermitted, Scope
from auditor.domain.reference import Role
from auditor.domain.workflow import Part
from auditor.reports.audit_pdf import write_activity_pdf
from auditor.reports.data import ActionLine, ActivitySummary, DocumentInfo, DomainLine, TierLine
from db.models import Person, RoleScope
from tests.builders import admin_of, feedback_answers, fill, run_to, who
from tests.reports.conftest import pdf_metadata, pdf_text, without_dates

GOLDEN = Path(__file__).parent / "golden"


def test_summary_of_a_closed_audit_holds_what_the_worker_and_manager_need(
    services, org, closed_audit, tmp_path
):
    path = services.reports.write_activity_pdf(
        closed_audit, tmp_path / "a.pdf", who=who(services, org.manager)
    )
    text = pdf_text(path)
    for expected in (
        "Case-file audit summary — CF-1",
        "FINAL GRADE",
        "Requires improvement to be good",
        "Child in need",
        "North",
        "Amy Worker",
        "Ben Manager",
        "Eve Head",
        "Self-review (tier 1)",
        "First audit (tier 2)",
        "Second audit (tier 3)",
        "Grades by area",
        "Quality of planning",
        "Inadequate",
        "Different",
        "Evidence for planning.",
        "Agreed after moderation: Agreed at moderation.",
        "The worker's self-review",
        "Answer to strengths.",
        "Answer to weaknesses.",
        "What the family or young person said",
        "Answer to their_words.",
        "The difference the work made for the child",
        "Answer to impact_on_child.",
        "Agreed actions",
        "Update the plan with dates.",
        "OFFICIAL-SENSITIVE",
        "Page 1 of",
    ):
        assert expected in text, expected
    pages, meta, fonts = pdf_metadata(path)
    assert f"Page {pages} of {pages}" in text
    assert meta["/Title"] == "Case-file audit summary — CF-1"
    assert meta["/Author"] == "Ben Manager"
    assert all("DejaVuSans" in f for f in fonts), fonts


def test_unicode_names_render_with_the_bundled_font(services, org, unicode_people, tmp_path):
    second, worker = unicode_people
    a = services.audits
    audit_id = a.start("CF-9", by=who(services, org.manager))
    a.assign_second_auditor(audit_id, by=who(services, second), to=second)  # QA takes it
    a.submit(
        audit_id,
        Part.SELF_REVIEW,
        by=who(services, worker),
        answers=fill(services.forms.latest("self_review")),
    )
    a.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services, False),
    )
    form = services.forms.latest("case_file_audit")
    a.submit(audit_id, Part.FIRST_AUDIT, by=who(services, org.manager), answers=fill(form))
    a.submit(audit_id, Part.SECOND_AUDIT, by=who(services, second), answers=fill(form))
    text = pdf_text(
        services.reports.write_activity_pdf(audit_id, tmp_path / "u.pdf", who=who(services, second))
    )
    assert "Łukasz Nowak" in text and "Zoë Brennan" in text
    assert "Not final." in text and "No feedback was recorded. Declined to give feedback." in text


def test_blind_second_auditor_does_not_see_first_grades_in_the_pdf(services, org, tmp_path):
    audit_id = run_to(services, org, "second_audit", first=Grade.INADEQUATE)
    services.audits.save_draft(
        audit_id,
        Part.SECOND_AUDIT,
        by=who(services, org.senior),
        answers={"impact_on_child": "My private draft"},
    )
    text = pdf_text(
        services.reports.write_activity_pdf(
            audit_id, tmp_path / "b.pdf", who=who(services, org.senior)
        )
    )
    assert "Inadequate" not in text  # the first audit's grades stay hidden
    assert "Evidence for planning" not in text  # and its reasons
    assert "Answer to impact_on_child" not in text  # and what it says it changed
    assert "The first audit is hidden until you submit your second audit" in " ".join(text.split())
    assert "My private draft" not in text  # drafts are never printed
    assert "Answer to strengths." in text  # the self-review is visible throughout
    manager = pdf_text(
        services.reports.write_activity_pdf(
            audit_id, tmp_path / "m.pdf", who=who(services, org.manager)
        )
    )
    assert "Inadequate" in manager


def test_people_outside_the_audit_are_refused_and_nothing_is_written(
    services, org, closed_audit, tmp_path
):
    services.directory.add_person(
        "sw.other", "Other Worker", [Role.SOCIAL_WORKER], "South", who=admin_of(services)
    )
    target = tmp_path / "no.pdf"
    other = who(services, "sw.other")
    with pytest.raises(NotPermitted, match="not one you may see"):  # another team's audit
        services.reports.write_activity_pdf(closed_audit, target, who=other)
    with services.db.transaction() as s:  # the council lets social workers read every team
        s.add(RoleScope(role=Role.SOCIAL_WORKER, scope=Scope.ALL))
    with pytest.raises(RuleViolation, match="not involved"):  # reading is not printing
        services.reports.write_activity_pdf(closed_audit, target, who=other)
    with pytest.raises(NotFound):
        services.reports.write_activity_pdf(999, target, who=who(services, org.manager))
    assert not target.exists()
    assert not [p for p in os.listdir(tmp_path) if ".pdf" in p]


def test_printing_needs_the_action_an_active_account_and_is_logged_by_file_name(
    services, org, closed_audit, tmp_path
):
    admin = "admin.ann"
    services.directory.add_person(admin, "Ann Admin", [Role.ADMINISTRATOR], who=admin_of(services))
    with pytest.raises(NotPermitted, match="print an audit"):  # an administrator reads no audits
        services.reports.write_activity_pdf(
            closed_audit, tmp_path / "x.pdf", who=who(services, admin)
        )
    manager = who(services, org.manager)
    path = services.reports.write_activity_pdf(closed_audit, tmp_path / "mine.pdf", who=manager)
    qa = who(services, org.qa)

    def by_manager():
        return [
            e for e in services.access_log.who_looked(qa, closed_audit) if e.username == org.manager
        ]

    [line] = by_manager()
    assert line.kind is AccessEventKind.PRINTED_AUDIT and line.username == org.manager
    assert line.detail == path.name == "mine.pdf"  # the file by name; no child, no folder
    services.reports.activity_summary(closed_audit, who=manager)  # a preview is a view
    kinds = [e.kind for e in by_manager()]
    assert kinds == [AccessEventKind.VIEWED_AUDIT, AccessEventKind.PRINTED_AUDIT]
    with services.db.transaction() as s:
        s.get_one(Person, manager.person_id).active = False
    with pytest.raises(NotPermitted, match="no longer active"):
        services.reports.write_activity_pdf(closed_audit, tmp_path / "y.pdf", who=manager)
    assert sorted(p.name for p in tmp_path.iterdir() if ".pdf" in p.name) == ["mine.pdf"]


def test_unwritable_output_is_a_clear_error_and_leaves_nothing(
    services, org, closed_audit, tmp_path
):
    manager = who(services, org.manager)
    with pytest.raises(OutputError, match="does not exist"):
        services.reports.write_activity_pdf(
            closed_audit, tmp_path / "missing" / "a.pdf", who=manager
        )
    with pytest.raises(OutputError, match="folder"):
        services.reports.write_activity_pdf(closed_audit, tmp_path, who=manager)
    existing = tmp_path / "keep.pdf"
    existing.write_bytes(b"old")
    # Both refuse root too (CI runs as root): sysfs lets nobody create files, and no file can be
    # created "inside" a regular file.
    with pytest.raises(OutputError, match="do not have permission to write there"):
        services.reports.write_activity_pdf(
            closed_audit, Path("/sys/auditor-summary.pdf"), who=manager
        )
    with pytest.raises(OutputError, match="Not a directory"):
        services.reports.write_activity_pdf(closed_audit, existing / "a.pdf", who=manager)
    assert existing.read_bytes() == b"old"
    assert [p for p in os.listdir(tmp_path) if ".pdf" in p] == ["keep.pdf"]


def test_observation_and_dip_summaries_use_their_forms(services, org, tmp_path):
    obs_form = services.forms.latest("practice_observation")
    obs = services.audits.record(
        ActivityKind.OBSERVATION,
        by=who(services, org.senior),
        form_id=obs_form.id,
        case_reference=org.case,
        practitioner=org.worker,
        answers=fill(obs_form),
    )
    text = pdf_text(
        services.reports.write_activity_pdf(obs, tmp_path / "o.pdf", who=who(services, org.senior))
    )
    assert "Observation summary — CF-1" in text and "The voice of those present" in text
    assert "I feel safe." in text and "Child or young person" in text
    assert "Good" in text and "Why this grade" in text
    dip_form = services.forms.latest("dip_statutory_visits")
    dip = services.audits.record(
        ActivityKind.DIP_SAMPLE,
        by=who(services, org.senior),
        form_id=dip_form.id,
        case_reference=org.cic_case,
        answers=fill(dip_form, grade=Grade.INADEQUATE),
    )
    text = pdf_text(
        services.reports.write_activity_pdf(dip, tmp_path / "d.pdf", who=who(services, org.senior))
    )
    assert "Dip sample summary — CF-2" in text and "Statutory visits" in text
    assert "Inadequate" in text and "Area checked" in text


def golden_summary() -> ActivitySummary:
    """A fixed summary, independent of the database, for the golden text."""
    return ActivitySummary(
        info=DocumentInfo(
            "Case-file audit summary — CF-10510",
            "OFFICIAL-SENSITIVE",
            "Siobhan Walsh",
            dt.datetime(2026, 11, 2, 9, 30),
        ),
        audit_id=76,
        kind=ActivityKind.CASE_FILE_AUDIT,
        state_label="Closed",
        is_final=True,
        case_reference="CF-10510",
        case_type="Child in need",
        team="MASH and Front Door",
        worker="Zoë Brennan",
        tiers=(
            TierLine("Self-review (tier 1)", "Zoë Brennan", "Submitted 1 Oct 2026"),
            TierLine("First audit (tier 2)", "Siobhan Walsh", "Submitted 8 Oct 2026", Grade.GOOD),
            TierLine(
                "Second audit (tier 3)",
                "Łukasz Nowak",
                "Submitted 20 Oct 2026",
                Grade.REQUIRES_IMPROVEMENT,
            ),
        ),
        final_grade=Grade.REQUIRES_IMPROVEMENT,
        final_descriptor="The child is not left at risk of harm, but practice is not yet good.",
        domains=(
            DomainLine(
                "Quality of planning",
                Grade.GOOD,
                Grade.REQUIRES_IMPROVEMENT,
                "Plans exist but are vague.",
                "Plan in place.",
                "No contingency plan.",
                "Agreed: add a contingency plan.",
            ),
        ),
        overall=DomainLine(
            "Overall grade for the case",
            Grade.GOOD,
            Grade.REQUIRES_IMPROVEMENT,
            "Not yet good.",
            "Solid work.",
            "Drift since the summer.",
        ),
        self_review=(("What is going well?", "Regular visits & trust."),),
        family=(("In their own words", "“She listens to me.”"),),
        impact=(("What difference has the work made for the child?", "School attendance up."),),
        actions=(ActionLine("Add a contingency plan", "Siobhan Walsh", dt.date(2026, 12, 1)),),
    )


def test_golden_text_of_a_fixed_summary(tmp_path):
    path = write_activity_pdf(golden_summary(), tmp_path / "g.pdf")
    text = without_dates(pdf_text(path))
    golden = GOLDEN / "audit_summary.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
