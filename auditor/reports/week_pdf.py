"""A practice week's summary: grades so far by activity (the council's table), progress against the
plan by day, person and activity, the recurring strengths and areas for development, and the plan."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from auditor.domain.activities import Category
from auditor.domain.grades import Grade
from auditor.domain.practice_weeks import FindingKind, Tally
from auditor.domain.words import counted
from auditor.reports.data import PracticeWeekReport
from auditor.reports.qa_pdf import SMALL_NOTE, pct_cell
from auditor.reports.style import (
    BOLD,
    FONT_CMD,
    SHADE,
    WIDTH,
    build_pdf,
    day,
    facts_table,
    grade_cell,
    grade_styles,
    grid_table,
    para,
)


def write_week_pdf(report: PracticeWeekReport, path: Path | str) -> Path:
    story: list[Flowable] = []
    for part in (_opening, _grades, _progress, _findings, _plan):
        story += part(report)
    return build_pdf(path, report.info, story)


def _opening(r: PracticeWeekReport) -> list[Flowable]:
    done = r.progress.overall
    people = (
        "; ".join(
            f"{name} ({', '.join(f'{d:%a %d/%m}' for d in days)})" for name, days in r.participants
        )
        or "Nobody yet"
    )
    title = r.name if "practice week" in r.name.lower() else f"Practice week: {r.name}"
    return [
        para(title, "title"),
        para(f"Summary · {day(r.starts_on)} to {day(r.ends_on)} · {r.status}", "subtitle"),
        facts_table(
            [
                ("Themes", "; ".join(r.themes) or "None set"),
                ("Teams", ", ".join(r.teams) or "All teams"),
                ("Taking part", people),
                (
                    "Plan",
                    f"{done.done} of {done.planned} planned activities done ({done.percent}%)"
                    if done.planned
                    else "Nothing planned",
                ),
                (
                    "Recorded in the week",
                    f"{counted(r.activities, 'activity', 'activities')}, planned or not",
                ),
            ]
        ),
        Spacer(1, 4 * mm),
    ]


def _grades(r: PracticeWeekReport) -> list[Flowable]:
    rows: list[list] = [
        ["Activity", "O", "G", "Total O+G", "RI", "I", "Total RI+I", "Overall\ntotal"]
    ]
    for category in Category:
        c = r.grades[category]
        good, poor = c.percentages
        rows.append(
            [
                category.label,
                c[Grade.OUTSTANDING],
                c[Grade.GOOD],
                pct_cell(c.good_or_better, good, c.total),
                c[Grade.REQUIRES_IMPROVEMENT],
                c[Grade.INADEQUATE],
                pct_cell(c.ri_or_inadequate, poor, c.total),
                f"{c.total}{'*' if c.total and c.is_small else ''}",
            ]
        )
    widths = [40 * mm, 12 * mm, 12 * mm, 26 * mm, 12 * mm, 12 * mm, 26 * mm]
    widths.append(WIDTH - sum(widths))
    table = grid_table(
        rows,
        widths,
        align_right_from=1,
        extra=[
            ("BACKGROUND", (3, 1), (3, -1), SHADE),
            ("BACKGROUND", (6, 1), (6, -1), SHADE),
            ("FONT", (7, 1), (7, -1), BOLD, 8.5),
        ],
    )
    out: list[Flowable] = [para("Grades so far, by activity", "h1"), table]
    if any(c.total and c.is_small for c in r.grades.values()):
        out.append(para(SMALL_NOTE, "note"))
    return out


def _tally_table(title: str, tallies: dict[str, Tally], width: float) -> list[list]:
    rows: list[list] = [[title, "Planned", "Done", "%"]]
    rows += [[para(k, "cell"), t.planned, t.done, f"{t.percent}%"] for k, t in tallies.items()]
    return grid_table(rows, [width - 48 * mm, 16 * mm, 16 * mm, 16 * mm], align_right_from=1)


def _progress(r: PracticeWeekReport) -> list[Flowable]:
    p = r.progress
    if not p.overall.planned:
        return [para("Progress against the plan", "h1"), para("Nothing was planned.", "note")]
    half = (WIDTH - 6 * mm) / 2
    by_day = _tally_table("Day", {f"{d:%a %d %b}": t for d, t in p.by_day.items()}, half)
    by_person = _tally_table("Person", p.by_person, half)
    by_activity = _tally_table("Activity", {c.label: t for c, t in p.by_activity.items()}, half)
    side_by_side = Table(
        [[by_day, [by_person, Spacer(1, 4 * mm), by_activity]]], colWidths=[half + 6 * mm, half]
    )
    side_by_side.setStyle(
        TableStyle(
            [
                FONT_CMD,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [CondPageBreak(60 * mm), para("Progress against the plan", "h1"), side_by_side]


def _findings(r: PracticeWeekReport) -> list[Flowable]:
    out: list[Flowable] = [para("Recurring findings", "h1")]
    if not r.findings:
        return out + [para("No findings were recorded in this practice week.", "note")]
    rows: list[list] = [["", "Area of practice", "Times", "For example"]]
    for f in r.findings:
        rows.append(
            [
                para(f.kind.label, "cellbold"),
                para(f.domain, "cell"),
                f.count,
                para("; ".join(f"“{e}”" for e in f.examples), "cell"),
            ]
        )
    widths = [34 * mm, 55 * mm, 13 * mm]
    widths.append(WIDTH - sum(widths))
    strengths = sum(1 for f in r.findings if f.kind is FindingKind.STRENGTH)
    return out + [
        para(
            f"{counted(strengths, 'area')} of strength and "
            f"{counted(len(r.findings) - strengths, 'area')} "
            "for development came up; counts are how many times each was recorded.",
            "body",
        ),
        grid_table(rows, widths, extra=[("ALIGN", (2, 0), (2, -1), "RIGHT")]),
    ]


def _plan(r: PracticeWeekReport) -> list[Flowable]:
    if not r.plan:
        return []
    rows: list[list] = [["Day", "Who", "What", "Case", "Done", "Grade"]]
    for line in r.plan:
        rows.append(
            [
                f"{line.day:%a %d/%m}",
                para(line.who, "cell"),
                para(line.what, "cell"),
                line.case_reference,
                "Yes" if line.done else "Not yet",
                grade_cell(line.grade, short=True) if line.grade else "",
            ]
        )
    widths = [20 * mm, 34 * mm, 0, 22 * mm, 16 * mm, 16 * mm]
    widths[2] = WIDTH - sum(widths)
    tints = grade_styles([(5, i, line.grade) for i, line in enumerate(r.plan, start=1)])
    return [CondPageBreak(50 * mm), para("The plan", "h1"), grid_table(rows, widths, extra=tints)]
