"""The QA report as an accessible HTML document, from the same ``QAReport`` as the PDF.

reportlab cannot tag a PDF, so a screen reader reads the PDF as one stream of words. This file has
real headings (``<h1>``/``<h2>``), tables with a ``<caption>`` and ``<th scope>`` headers, the
language set (en-GB), the sensitivity marking at the top and the bottom, no scripts and colours of
at least 4.5:1 contrast. It is the version to publish; the PDF is for printing. Every piece of data
is escaped: a team name may contain anything."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from pathlib import Path

from auditor.domain.agreement import ORDER, Agreement, direction, kappa_band
from auditor.domain.grades import Grade
from auditor.domain.summary import SMALL_SAMPLE, GradeCounts
from auditor.reports.agreement_pdf import MIN_FOR_KAPPA_WORDS, pct
from auditor.reports.data import AgreementRow, GroupGrades, QAReport
from auditor.reports.output import IsCancelled, atomic_path, check_cancelled, never_cancelled
from auditor.reports.style import day

#: Text #1a1a1a on #ffffff is 17.4:1; headings #1f3a5f 11.6:1; notes #4d4d4d 8.5:1; the overdue
#: row #a4161a 7.6:1; header cells #1a1a1a on #e8edf3 15.1:1 (all WCAG 2.2 AA, 4.5:1 for text).
CSS = """
body { font-family: Arial, Helvetica, sans-serif; color: #1a1a1a; background: #ffffff;
  max-width: 60em; margin: 1em auto; padding: 0 1em; line-height: 1.5; }
h1, h2 { color: #1f3a5f; }
.marking { font-weight: bold; border: 2px solid #1a1a1a; padding: 0.3em 0.6em; }
.note { color: #4d4d4d; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #6b6b6b; padding: 0.25em 0.5em; vertical-align: top; }
th { background: #e8edf3; text-align: left; }
td.n { text-align: right; }
tr.overdue th, tr.overdue td { color: #a4161a; font-weight: bold; }
"""

SMALL_NOTE = (
    f"* Fewer than {SMALL_SAMPLE} graded items: one or two judgements move the "
    "percentage a lot, so read it with the count beside it."
)
GRADE_HEADS = tuple(g.label for g in Grade.ordered())


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def para(text: str, cls: str = "") -> str:
    return f'<p class="{cls}">{esc(text)}</p>' if cls else f"<p>{esc(text)}</p>"


def table(
    caption: str,
    head: Sequence[str],
    rows: Iterable[Sequence[object]],
    row_classes: Sequence[str] = (),
) -> str:
    """A table whose first column names each row (``th scope=row``) under ``th scope=col`` heads."""
    out = [f"<table><caption>{esc(caption)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{esc(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        cls = row_classes[i] if i < len(row_classes) and row_classes[i] else ""
        out.append(f'<tr class="{cls}">' if cls else "<tr>")
        out.append(f'<th scope="row">{esc(row[0])}</th>')
        out += [f'<td class="n">{esc(cell)}</td>' for cell in row[1:]]
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def write_qa_html(
    report: QAReport, path: Path | str, cancelled: IsCancelled = never_cancelled
) -> Path:
    target = Path(path)
    text = qa_html(report, cancelled)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def qa_html(report: QAReport, cancelled: IsCancelled = never_cancelled) -> str:
    body: list[str] = []
    for part in (
        _opening,
        _grade_table,
        _trajectory,
        _by_team,
        _by_domain,
        _agreement,
        _actions,
        _practice_weeks,
        _method,
    ):
        check_cancelled(cancelled)
        body += part(report)
    marking = esc(report.info.marking)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en-GB">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(report.info.title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            f'<header><p class="marking">{marking}</p></header>',
            "<main>",
            *body,
            "</main>",
            f'<footer><p class="marking">{marking}</p>'
            + para(_produced(report), "note")
            + "</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _produced(r: QAReport) -> str:
    who = f" by {r.info.author}" if r.info.author else ""
    return f"Produced{who} with Auditor on {day(r.info.generated.date())}."


def _pct_cell(n: int, pct_value: int, total: int) -> str:
    return f"{n} ({pct_value}%)" if total else str(n)


def _star(counts: GradeCounts) -> str:
    return "*" if counts.total and counts.is_small else ""


# -------------------------------------------------------------------------------- sections


def _opening(r: QAReport) -> list[str]:
    audits = GradeCounts()
    for row in r.table:
        if not row.period.comparison and row.category.value == "audit":
            for g in Grade:
                audits.add(g, row.counts[g])
    agree = r.agreement.overall_grade
    figures = [
        ("Audits completed", str(audits.total)),
        ("Good or better", f"{audits.percentages[0]}%" if audits.total else "–"),
        ("Second audit agreed with the first", f"{agree.exact_pct}%" if agree.n else "–"),
        (f"Follow-up actions of this period overdue on {day(r.actions.as_of)}", r.actions.overdue),
    ]
    return [
        "<h1>Quality assurance report</h1>",
        para(
            "Case-file audits, observations of practice and dip samples, "
            f"{day(r.start)} to {day(r.end)}"
        ),
        table("The period at a glance", ("Figure", "Value"), figures),
        para(
            "Counts are of completed, graded activities. A three-tier audit counts once, with "
            "its second-audit (final) grade, on the day it was closed. Percentages are whole "
            "numbers and each pair of bands adds up to 100.",
            "note",
        ),
    ]


def _grade_table(r: QAReport) -> list[str]:
    head = (
        "Period and activity",
        *GRADE_HEADS[:2],
        "Outstanding or good",
        *GRADE_HEADS[2:],
        "Requires improvement or inadequate",
        "Total",
    )
    rows = []
    for row in r.table:
        c = row.counts
        good, poor = c.percentages
        label = row.period.label + (" (for comparison)" if row.period.comparison else "")
        rows.append(
            (
                f"{label}: {row.category.label}",
                c[Grade.OUTSTANDING],
                c[Grade.GOOD],
                _pct_cell(c.good_or_better, good, c.total),
                c[Grade.REQUIRES_IMPROVEMENT],
                c[Grade.INADEQUATE],
                _pct_cell(c.ri_or_inadequate, poor, c.total),
                f"{c.total}{_star(c)}",
            )
        )
    out = ["<h2>Grades by period and activity</h2>"]
    out.append(table("Grades by period and activity", head, rows))
    if any(row.counts.total and row.counts.is_small for row in r.table):
        out.append(para(SMALL_NOTE, "note"))
    if r.includes_history:
        out.append(para("Includes grades imported from records kept before Auditor.", "note"))
    return out


def _trajectory(r: QAReport) -> list[str]:
    out = ["<h2>The trajectory</h2>"]
    out += [para(s) for s in r.trajectories] or [para("There is nothing to compare yet.", "note")]
    if any(q.counts.total for q in r.over_time):
        out.append(
            _group_table(
                r.over_time,
                "Audits closed by quarter (financial year quarters)",
                "Quarter",
                "Good or better",
                0,
            )
        )
    return out


def _group_table(
    groups: tuple[GroupGrades, ...], caption: str, first: str, last: str, band: int
) -> str:
    rows = []
    for g in groups:
        c = g.counts
        rows.append(
            (
                g.name,
                *(c[grade] for grade in Grade.ordered()),
                f"{c.total}{_star(c)}",
                f"{c.percentages[band]}%" if c.total else "–",
            )
        )
    return table(caption, (first, *GRADE_HEADS, "Total", last), rows)


def _by_team(r: QAReport) -> list[str]:
    out = ["<h2>Audit grades by team</h2>"]
    if not r.by_team:
        return out + [para("No audits were closed in this period.", "note")]
    out.append(_group_table(r.by_team, "Audit grades by team", "Team", "Good or better", 0))
    if any(g.counts.is_small for g in r.by_team):
        out.append(para(SMALL_NOTE, "note"))
    return out


def _by_domain(r: QAReport) -> list[str]:
    out = ["<h2>Grades by area of practice</h2>"]
    if not r.by_domain:
        return out + [para("No second audits with area grades were closed in this period.", "note")]
    worst = [g for g in r.by_domain if g.counts.ri_or_inadequate][:3]
    if worst:
        names = "; ".join(
            f"{g.name.lower()} ({g.counts.percentages[1]}% of {g.counts.total})" for g in worst
        )
        out.append(
            para(
                "The areas most often graded Requires improvement or Inadequate by the "
                f"second audit were {names}."
            )
        )
    out.append(
        _group_table(
            r.by_domain,
            "Grades by area of practice (second audit)",
            "Area of practice",
            "Requires improvement or inadequate",
            1,
        )
    )
    return out


def _agreement(report: QAReport) -> list[str]:
    r = report.agreement
    out = ["<h2>Consistency between first and second audits</h2>"]
    if r.overall_grade.n == 0 and r.all_domains.n == 0:
        return out + [
            para(
                "Not enough data: no audit in this period was graded by both a "
                "first-line auditor and a second auditor.",
                "note",
            )
        ]
    out.append(
        para(
            "Each audit is graded first by the worker's manager and then, independently and usually "
            "without seeing those grades, by a senior manager. How often the two agree shows whether "
            "managers share an understanding of what good looks like. " + r.overall_grade.describe()
        )
    )
    k = r.overall_grade.kappa
    if k is not None and r.overall_grade.n >= MIN_FOR_KAPPA_WORDS:
        out.append(
            para(
                f"By the usual convention a weighted kappa of {k:.2f} is "
                f"{kappa_band(k)} agreement beyond chance.",
                "note",
            )
        )
    out.append(_headline(r.overall_grade, r.all_domains))
    out.append(_matrix(r.overall_grade))
    out.append(
        _rows_table(r.by_domain, "By area of practice, least agreement first", "Area of practice")
    )
    out.append(
        _rows_table(
            r.by_auditor,
            "By first-line auditor: how the second audit changed their grades",
            "First-line auditor",
            audits=True,
        )
    )
    return out


def _headline(overall: Agreement, pooled: Agreement) -> str:
    rows = [
        ("Same grade", pct(overall.exact_pct), pct(pooled.exact_pct)),
        ("Within one grade", pct(overall.within_one_pct), pct(pooled.within_one_pct)),
        ("Agreement beyond chance (weighted kappa)", overall.kappa_text, pooled.kappa_text),
        ("Second audit gave a better grade", pct(overall.raised_pct), pct(pooled.raised_pct)),
        ("Second audit gave a worse grade", pct(overall.lowered_pct), pct(pooled.lowered_pct)),
        (
            "Grades compared (audits)",
            f"{overall.n} ({overall.audits})",
            f"{pooled.n} ({pooled.audits})",
        ),
    ]
    return table(
        "How often the two audits agree", ("Measure", "Overall grade", "All area grades"), rows
    )


def _matrix(a: Agreement) -> str:
    rows: list[tuple[object, ...]] = []
    for i, g in enumerate(ORDER):
        rows.append((f"First audit: {g.label}", *a.matrix[i], sum(a.matrix[i])))
    rows.append(("Total", *(sum(a.matrix[i][j] for i in range(4)) for j in range(4)), a.n))
    head = ("First audit", *(f"Second audit: {g.label}" for g in ORDER), "Total")
    return table("Overall grade: first audit (rows) against second audit (columns)", head, rows)


def _rows_table(
    rows: tuple[AgreementRow, ...], caption: str, first: str, audits: bool = False
) -> str:
    head = [first, "Grades (audits)", "Same", "Within one", "Kappa", "Raised", "Lowered"]
    if audits:
        head.append("Tendency")
    lines = []
    for row in rows:
        a = row.agreement
        line: list[object] = [
            row.name,
            f"{a.n} ({a.audits}){'*' if a.is_small else ''}",
            pct(a.exact_pct),
            pct(a.within_one_pct),
            a.kappa_text if a.kappa is not None else "–",
            pct(a.raised_pct),
            pct(a.lowered_pct),
        ]
        if audits:
            line.append(direction(a))
        lines.append(line)
    return table(caption, head, lines)


def _actions(r: QAReport) -> list[str]:
    a = r.actions
    rows = [
        ("Agreed", a.total),
        ("Completed on time", a.completed_on_time),
        ("Completed late", a.completed_late),
        ("Still open", a.open),
        (f"of which overdue on {day(a.as_of)}", a.overdue),
    ]
    done = a.completed_on_time + a.completed_late
    words = (
        f"{a.completed_on_time} of {done} completed actions were done by their due date."
        if done
        else "No action agreed in the period has been completed yet."
    )
    return [
        "<h2>Follow-up actions</h2>",
        para(
            "Every audit graded Requires improvement or Inadequate has at least one follow-up "
            "action with an owner and a due date. " + words + " These are the actions agreed "
            "in the period; Home counts every overdue action, whenever it was agreed."
        ),
        table(
            "Follow-up actions agreed in the period",
            ("Actions", "Number"),
            rows,
            row_classes=("", "", "", "", "overdue"),
        ),
    ]


def _practice_weeks(r: QAReport) -> list[str]:
    out = ["<h2>Practice weeks</h2>"]
    if not r.practice_weeks:
        return out + [para("No practice week fell in this period.", "note")]
    rows = []
    for w in r.practice_weeks:
        totals = GradeCounts()
        for counts in w.counts.values():
            for g in Grade:
                totals.add(g, counts[g])
        rows.append(
            (
                w.name,
                f"{day(w.starts_on)} to {day(w.ends_on)}",
                w.theme or "–",
                w.status,
                w.activities,
                *(totals[g] for g in Grade.ordered()),
            )
        )
    head = ("Practice week", "Dates", "Themes", "Status", "Activities", *GRADE_HEADS)
    out.append(table("Practice weeks in the period and their grades so far", head, rows))
    for w in r.practice_weeks:
        if w.details:
            out.append(table(w.name, ("Fact", "Detail"), w.details))
    return out


def _method(r: QAReport) -> list[str]:
    notes = [
        "Periods: financial years run from 1 April to 31 March; a report on any other window "
        "compares it with the window of the same length just before it.",
        "Grades: Outstanding, Good, Requires improvement to be good, Inadequate. Ungraded and "
        "unfinished activities are left out of the counts and percentages.",
        "Consistency: only audits graded by both a first-line auditor and a second auditor count; "
        "weighted kappa gives partial credit for grades one step apart.",
        "This report carries no case references or children's names; it may still identify staff "
        f"and is marked {r.info.marking or 'as set by the author'}.",
    ]
    return ["<h2>About these figures</h2>", *(para(n, "note") for n in notes)]
