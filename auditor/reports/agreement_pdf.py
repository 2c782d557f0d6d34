"""The QA report's section on consistency between first-line and second audits."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from auditor.domain.agreement import ORDER, Agreement, direction, kappa_band
from auditor.domain.summary import SMALL_SAMPLE
from auditor.reports.data import AgreementRow, QAReport
from auditor.reports.style import BOLD, SHADE, WIDTH, grid_table, para

MIN_FOR_KAPPA_WORDS = SMALL_SAMPLE


def pct(value: int | None) -> str:
    return "–" if value is None else f"{value}%"


def section(report: QAReport) -> list[Flowable]:
    r = report.agreement
    out: list[Flowable] = [
        CondPageBreak(90 * mm),
        para("Consistency between first and second audits", "h1"),
    ]
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
    out.append(Spacer(1, 3 * mm))
    out.append(
        KeepTogether(
            [
                para("Overall grade: first audit (rows) against second audit (columns)", "h2"),
                matrix(r.overall_grade),
            ]
        )
    )
    out.append(
        KeepTogether(
            [
                para("By area of practice, least agreement first", "h2"),
                _rows_table(r.by_domain, "Area of practice"),
            ]
        )
    )
    out.append(
        KeepTogether(
            [
                para(
                    "By first-line auditor: how the second audit changed their "
                    "grades (all areas and the overall grade)",
                    "h2",
                ),
                _rows_table(r.by_auditor, "First-line auditor", audits=True),
            ]
        )
    )
    if any(row.agreement.is_small for row in r.by_domain + r.by_auditor):
        out.append(
            para(
                f"* Fewer than {SMALL_SAMPLE} grades: treat the percentages and kappa as a "
                "prompt for a conversation, not a finding.",
                "note",
            )
        )
    return out


def _headline(overall: Agreement, pooled: Agreement):
    rows = [
        ["", "Overall grade", "All area grades"],
        ["Same grade", pct(overall.exact_pct), pct(pooled.exact_pct)],
        ["Within one grade", pct(overall.within_one_pct), pct(pooled.within_one_pct)],
        ["Weighted kappa (quadratic)", overall.kappa_text, pooled.kappa_text],
        ["Second audit gave a better grade", pct(overall.raised_pct), pct(pooled.raised_pct)],
        ["Second audit gave a worse grade", pct(overall.lowered_pct), pct(pooled.lowered_pct)],
        [
            "Grades compared (audits)",
            f"{overall.n} ({overall.audits})",
            f"{pooled.n} ({pooled.audits})",
        ],
    ]
    return grid_table(rows, [WIDTH - 80 * mm, 40 * mm, 40 * mm], align_right_from=1)


def matrix(a: Agreement):
    head = ["First \\ second"] + [g.code for g in ORDER] + ["Total"]
    rows: list[list] = [head]
    for i, g in enumerate(ORDER):
        rows.append([g.short_label] + list(a.matrix[i]) + [sum(a.matrix[i])])
    rows.append(["Total"] + [sum(a.matrix[i][j] for i in range(4)) for j in range(4)] + [a.n])
    style: list[tuple[object, ...]] = [("BACKGROUND", (i, i), (i, i), SHADE) for i in range(1, 5)]
    style += [("FONT", (i, i), (i, i), BOLD, 8.5) for i in range(1, 5)]
    style.append(("FONT", (0, 5), (-1, 5), BOLD, 8.5))
    return grid_table(rows, [44 * mm] + [16 * mm] * 5, align_right_from=1, extra=style)


def _rows_table(rows: tuple[AgreementRow, ...], first: str, audits: bool = False):
    head = [first, "Grades (audits)", "Same", "Within one", "Kappa", "Raised", "Lowered"]
    if audits:
        head.append("Tendency")
    table: list[list] = [head]
    for row in rows:
        a = row.agreement
        line = [
            para(row.name, "cell"),
            f"{a.n} ({a.audits}){'*' if a.is_small else ''}",
            pct(a.exact_pct),
            pct(a.within_one_pct),
            a.kappa_text if a.kappa is not None else "–",
            pct(a.raised_pct),
            pct(a.lowered_pct),
        ]
        if audits:
            line.append(direction(a))
        table.append(line)
    widths = [25 * mm, 15 * mm, 20 * mm, 15 * mm, 16 * mm, 17 * mm] + ([26 * mm] if audits else [])
    widths.insert(0, WIDTH - sum(widths))
    return grid_table(table, widths, align_right_from=1)
