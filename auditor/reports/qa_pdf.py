"""The QA report for a period: the council's grade table, the trajectory, grades by team and by area of
practice, consistency between first and second audits, follow-up actions and practice weeks."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from auditor.domain.grades import Grade
from auditor.domain.summary import SMALL_SAMPLE, GradeCounts
from auditor.reports import agreement_pdf
from auditor.reports.charts import count_columns, share_bars
from auditor.reports.data import GroupGrades, QAReport
from auditor.reports.output import IsCancelled, check_cancelled, never_cancelled
from auditor.reports.style import (
    BOLD,
    FONT_CMD,
    GREY,
    NAVY,
    RULE,
    SHADE,
    WIDTH,
    build_pdf,
    day,
    facts_table,
    grid_table,
    para,
)

SMALL_NOTE = (
    f"* Fewer than {SMALL_SAMPLE} graded items: one or two judgements move the "
    "percentage a lot, so read it with the count beside it."
)


def write_qa_pdf(
    report: QAReport, path: Path | str, cancelled: IsCancelled = never_cancelled
) -> Path:
    story: list[Flowable] = []
    for part in (
        _opening,
        _grade_table,
        _trajectory,
        _by_team,
        _by_domain,
        agreement_pdf.section,
        _actions,
        _practice_weeks,
        _method,
    ):
        check_cancelled(cancelled)
        story += part(report)
    return build_pdf(path, report.info, story)


def pct_cell(n: int, pct: int, total: int) -> str:
    return f"{n} ({pct}%)" if total else str(n)


def _star(counts: GradeCounts) -> str:
    return "*" if counts.total and counts.is_small else ""


# -------------------------------------------------------------------------------- sections


def _opening(r: QAReport) -> list[Flowable]:
    current = [row for row in r.table if not row.period.comparison]
    audits = GradeCounts()
    for row in current:
        if row.category.value == "audit":
            for g in Grade:
                audits.add(g, row.counts[g])
    agree = r.agreement.overall_grade
    figures = [
        ("Audits completed", str(audits.total)),
        ("Good or better", f"{audits.percentages[0]}%" if audits.total else "–"),
        ("Second audit agreed\nwith the first", f"{agree.exact_pct}%" if agree.n else "–"),
        (
            f"Actions agreed in the period,\noverdue on {day(r.actions.as_of)}",
            str(r.actions.overdue),
        ),
    ]
    cells = [
        [
            para(
                f"<font size=17><b>{value}</b></font><br/>{label.replace(chr(10), '<br/>')}",
                "cell",
                markup=True,
            )
            for label, value in figures
        ]
    ]
    box = Table(cells, colWidths=[WIDTH / 4] * 4)
    box.setStyle(
        TableStyle(
            [
                FONT_CMD,
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBEFORE", (1, 0), (-1, -1), 2, "white"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return [
        para("Quality assurance report", "title"),
        para(
            f"Case-file audits, observations of practice and dip samples · "
            f"{day(r.start)} to {day(r.end)}",
            "subtitle",
        ),
        box,
        Spacer(1, 3 * mm),
        para(
            "Counts are of completed, graded activities. A three-tier audit counts once, with "
            "its second-audit (final) grade, on the day it was closed. Percentages are whole "
            "numbers and each pair of bands adds up to 100.",
            "note",
        ),
    ]


def _grade_table(r: QAReport) -> list[Flowable]:
    head = ["Period", "Activity", "O", "G", "Total O+G", "RI", "I", "Total RI+I", "Overall\ntotal"]
    rows: list[list] = [head]
    shade = []
    for i, row in enumerate(r.table, start=1):
        c = row.counts
        good, poor = c.percentages
        label = row.period.label + (" (for comparison)" if row.period.comparison else "")
        rows.append(
            [
                para(label, "note" if row.period.comparison else "cell"),
                row.category.label,
                c[Grade.OUTSTANDING],
                c[Grade.GOOD],
                pct_cell(c.good_or_better, good, c.total),
                c[Grade.REQUIRES_IMPROVEMENT],
                c[Grade.INADEQUATE],
                pct_cell(c.ri_or_inadequate, poor, c.total),
                f"{c.total}{_star(c)}",
            ]
        )
        if row.period.comparison:
            shade.append(("TEXTCOLOR", (0, i), (-1, i), GREY))
    widths = [50 * mm, 24 * mm, 10 * mm, 10 * mm, 22 * mm, 10 * mm, 10 * mm, 22 * mm]
    widths.append(WIDTH - sum(widths))
    table = grid_table(
        rows,
        widths,
        align_right_from=2,
        extra=shade
        + [
            ("BACKGROUND", (4, 1), (4, -1), SHADE),
            ("BACKGROUND", (7, 1), (7, -1), SHADE),
            ("FONT", (8, 1), (8, -1), BOLD, 8.5),
        ],
    )
    out: list[Flowable] = [para("Grades by period and activity", "h1"), table]
    if any(row.counts.total and row.counts.is_small for row in r.table):
        out.append(para(SMALL_NOTE, "note"))
    if r.includes_history:
        out.append(para("Includes grades imported from records kept before Auditor.", "note"))
    return out


def _trajectory(r: QAReport) -> list[Flowable]:
    out: list[Flowable] = [para("The trajectory", "h1")]
    out += [para(sentence) for sentence in r.trajectories] or [
        para("There is nothing to compare yet.", "note")
    ]
    audit_rows = [
        GroupGrades(row.period.label, row.counts)
        for row in r.table
        if row.category.value == "audit"
    ]
    if audit_rows:
        out.append(
            KeepTogether(
                [para("Audits: share of each grade by period", "h2"), share_bars(audit_rows, WIDTH)]
            )
        )
    if any(q.counts.total for q in r.over_time):
        out.append(
            KeepTogether(
                [
                    para("Audits closed by quarter (financial year quarters)", "h2"),
                    count_columns(r.over_time, WIDTH),
                ]
            )
        )
    return out


def _group_table(groups: tuple[GroupGrades, ...], first: str, last: str, band: int) -> Table:
    rows: list[list] = [[first, "O", "G", "RI", "I", "Total", last]]
    for g in groups:
        c = g.counts
        rows.append(
            [
                para(g.name, "cell"),
                c[Grade.OUTSTANDING],
                c[Grade.GOOD],
                c[Grade.REQUIRES_IMPROVEMENT],
                c[Grade.INADEQUATE],
                f"{c.total}{_star(c)}",
                f"{c.percentages[band]}%" if c.total else "–",
            ]
        )
    widths = [WIDTH - 100 * mm, 12 * mm, 12 * mm, 12 * mm, 12 * mm, 18 * mm, 34 * mm]
    return grid_table(rows, widths, align_right_from=1)


def _by_team(r: QAReport) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(60 * mm), para("Audit grades by team", "h1")]
    if not r.by_team:
        return out + [para("No audits were closed in this period.", "note")]
    out.append(_group_table(r.by_team, "Team", "Good or better", 0))
    out.append(Spacer(1, 3 * mm))
    out.append(share_bars(r.by_team, WIDTH, label_width=150))
    if any(g.counts.is_small for g in r.by_team):
        out.append(para(SMALL_NOTE, "note"))
    return out


def _by_domain(r: QAReport) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(80 * mm), para("Grades by area of practice", "h1")]
    if not r.by_domain:
        return out + [para("No second audits with area grades were closed in this period.", "note")]
    worst = [g for g in r.by_domain if g.counts.ri_or_inadequate][:3]
    if worst:
        names = "; ".join(
            f"{g.name.lower()} ({g.counts.percentages[1]}% of {g.counts.total})" for g in worst
        )
        out.append(
            para(
                f"The areas most often graded Requires improvement or Inadequate by the "
                f"second audit were {names}."
            )
        )
    out.append(_group_table(r.by_domain, "Area of practice (second audit)", "RI or inadequate", 1))
    out.append(Spacer(1, 3 * mm))
    out.append(share_bars(r.by_domain, WIDTH, label_width=205))
    return out


def _actions(r: QAReport) -> list[Flowable]:
    a = r.actions
    rows: list[list[str | int]] = [
        ["Follow-up actions agreed in the period", "Number"],
        ["Agreed", a.total],
        ["Completed on time", a.completed_on_time],
        ["Completed late", a.completed_late],
        ["Still open", a.open],
        [f"of which overdue on {day(a.as_of)}", a.overdue],
    ]
    table = grid_table(
        rows,
        [WIDTH - 30 * mm, 30 * mm],
        align_right_from=1,
        extra=[("TEXTCOLOR", (0, 5), (-1, 5), "#a4161a"), ("FONT", (0, 5), (-1, 5), BOLD, 8.5)],
    )
    done = a.completed_on_time + a.completed_late
    words = (
        f"{a.completed_on_time} of {done} completed actions were done by their due date."
        if done
        else "No action agreed in the period has been completed yet."
    )
    return [
        KeepTogether(
            [
                para("Follow-up actions", "h1"),
                para(
                    "Every audit graded Requires improvement or Inadequate has at least one follow-up action "
                    "with an owner and a due date. " + words + " These are the actions agreed in "
                    "the period; Home counts every open action overdue today, whenever it was agreed."
                ),
                table,
            ]
        )
    ]


def _practice_weeks(r: QAReport) -> list[Flowable]:
    out: list[Flowable] = [para("Practice weeks", "h1")]
    if not r.practice_weeks:
        return out + [para("No practice week fell in this period.", "note")]
    rows: list[list] = [
        [
            "Practice week",
            "Dates",
            "Themes",
            "Status",
            "Activities",
            para("Grades so far<br/>O / G / RI / I", "cellbold", markup=True),
        ]
    ]
    for w in r.practice_weeks:
        totals = GradeCounts()
        for counts in w.counts.values():
            for g in Grade:
                totals.add(g, counts[g])
        graded = " / ".join(str(totals[g]) for g in Grade.ordered())
        rows.append(
            [
                para(w.name, "cellbold"),
                para(f"{day(w.starts_on)} – {day(w.ends_on)}", "cell"),
                para(w.theme or "–", "cell"),
                w.status,
                w.activities,
                graded,
            ]
        )
    widths = [36 * mm, 32 * mm, WIDTH - 141 * mm, 18 * mm, 20 * mm, 35 * mm]
    out.append(grid_table(rows, widths))
    for w in r.practice_weeks:
        if w.details:
            out.append(KeepTogether([para(w.name, "h2"), facts_table(w.details)]))
    return out


def _method(r: QAReport) -> list[Flowable]:
    notes = [
        "Periods: financial years run from 1 April to 31 March; a report on any other window "
        "compares it with the window of the same length just before it.",
        "Grade table: Outstanding (O), Good (G), Requires improvement to be good (RI), Inadequate "
        "(I). Ungraded and unfinished activities are left out of the counts and percentages.",
        "Consistency: only audits graded by both a first-line auditor and a second auditor count; "
        "weighted kappa gives partial credit for grades one step apart.",
        "This report carries no case references or children's names; it may still identify staff "
        f"and is marked {r.info.marking or 'as set by the author'}.",
    ]
    table = Table([[para(n, "note")] for n in notes], colWidths=[WIDTH])
    table.setStyle(
        TableStyle(
            [
                FONT_CMD,
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ]
        )
    )
    return [KeepTogether([para("About these figures", "h1"), table])]
