"""The PDF summary of one activity: a three-tier audit, for the worker and their manager, or an
observation of practice or a dip sample, in the same style."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from auditor.domain.grades import Grade
from auditor.reports.data import ActivitySummary, DomainLine
from auditor.reports.style import (
    FONT_CMD,
    GRADE_FILL,
    GRADE_TEXT,
    INK,
    RULE,
    SHADE,
    WIDTH,
    build_pdf,
    day,
    facts_table,
    grade_cell,
    grade_styles,
    grid_table,
    para,
    styles,
    text,
)


def write_activity_pdf(summary: ActivitySummary, path: Path | str) -> Path:
    """Write the summary of one audit, observation or dip sample to ``path``."""
    story = _heading(summary)
    if summary.kind.is_three_tier:
        story += _three_tier_body(summary)
    else:
        story += _single_body(summary)
    return build_pdf(path, summary.info, story)


# ------------------------------------------------------------------------------------ shared


def _heading(s: ActivitySummary) -> list[Flowable]:
    facts = " · ".join(
        x
        for x in (
            f"Case {s.case_reference}" if s.case_reference else "",
            s.case_type or "",
            s.team or "",
        )
        if x
    )
    out: list[Flowable] = [
        para(s.info.title, "title"),
        para(facts or f"Activity number {s.audit_id}", "subtitle"),
    ]
    out.append(
        _grade_banner(
            s.final_grade, s.final_descriptor, "Final grade" if s.is_final else "Grade so far"
        )
    )
    if not s.is_final:
        out.append(
            para(
                f"<b>Not final.</b> This {s.kind.label.lower()} is at the stage "
                f"“{text(s.state_label)}”; grades and actions may still change.",
                "note",
                markup=True,
            )
        )
    if s.hidden_note:
        out.append(para(s.hidden_note, "note"))
    out.append(Spacer(1, 4 * mm))
    return out


def _grade_banner(grade: Grade | None, descriptor: str, label: str) -> Table:
    """The final grade, prominently: a coloured block with the grade's name and its descriptor."""
    ink = GRADE_TEXT[grade] if grade else INK
    style = styles()["h1"].clone("banner", textColor=ink, spaceBefore=0, spaceAfter=0)
    words = f"<font size=8>{label.upper()}</font><br/>{grade.label}" if grade else "Not graded yet"
    name = Paragraph(words, style)
    fill = GRADE_FILL[grade] if grade else SHADE
    table = Table([[name, para(descriptor, "cell")]], colWidths=[62 * mm, WIDTH - 62 * mm])
    table.setStyle(
        TableStyle(
            [
                FONT_CMD,
                ("BACKGROUND", (0, 0), (0, 0), fill),
                ("BACKGROUND", (1, 0), (1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (0, 0), (-1, -1), 0.8, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _qa_rows(rows: tuple[tuple[str, str], ...], empty: str) -> list[Flowable]:
    if not rows:
        return [para(empty, "note")]
    out: list[Flowable] = []
    for question, answer in rows:
        out.append(KeepTogether([para(question, "h2"), para(answer or "–")]))
    return out


def _actions(s: ActivitySummary) -> list[Flowable]:
    heading = para("Agreed actions", "h1")
    if not s.actions:
        return [heading, para("No follow-up actions were recorded.", "note")]
    rows = [["Action", "Owner", "Due", "Done"]]
    for a in s.actions:
        rows.append(
            [
                para(a.description, "cell"),
                para(a.owner, "cell"),
                day(a.due_on),
                day(a.completed_on) if a.completed_on else "Open",
            ]
        )
    table = grid_table(rows, [WIDTH - 96 * mm, 42 * mm, 27 * mm, 27 * mm])
    if len(rows) < 12:  # a short list stays on one page with its heading
        return [KeepTogether([heading, table])]
    return [heading, table]


# ------------------------------------------------------------------------- three-tier audit


def _three_tier_body(s: ActivitySummary) -> list[Flowable]:
    out: list[Flowable] = [
        facts_table(
            [
                ("Case reference", s.case_reference or "–"),
                ("Case type", s.case_type or "–"),
                ("Team", s.team or "–"),
                ("Social worker", s.worker or "–"),
            ]
            + [
                (t.label, f"{t.author} · {t.status}" + (f" · {t.grade.label}" if t.grade else ""))
                for t in s.tiers
            ]
        )
    ]
    out += _grade_table(s)
    out += _domain_details(s)
    out.append(CondPageBreak(40 * mm))
    out.append(para("The worker's self-review", "h1"))
    if s.self_review_note:
        out.append(para(s.self_review_note, "note"))
    out += _qa_rows(s.self_review, "" if s.self_review_note else "No self-review is on record.")
    out.append(para("What the family or young person said", "h1"))
    if s.family_note:
        out.append(para(s.family_note, "note"))
    for question, answer in s.family:
        style = "quote" if question.lower().startswith("in their own words") else "body"
        out.append(KeepTogether([para(question, "h2"), para(answer or "–", style)]))
    out.append(para("The difference the work made for the child", "h1"))
    out += _qa_rows(s.impact, "Not recorded yet.")
    out += _actions(s)
    return out


def _grade_table(s: ActivitySummary) -> list[Flowable]:
    lines = list(s.domains) + ([s.overall] if s.overall else [])
    if not lines:
        return []
    rows: list[list] = [["Area", "First audit (tier 2)", "Second audit (tier 3)", "Agreed?"]]
    colour: list[tuple[int, int, Grade | None]] = []
    for i, line in enumerate(lines, start=1):
        same = (
            "–"
            if line.first is None or line.second is None
            else "Same"
            if line.first == line.second
            else "Different"
        )
        rows.append(
            [
                para(line.label, "cellbold" if line is s.overall else "cell"),
                grade_cell(line.first),
                grade_cell(line.second),
                same,
            ]
        )
        colour += [(1, i, line.first), (2, i, line.second)]
    return [
        para("Grades by area", "h1"),
        grid_table(rows, [WIDTH - 118 * mm, 44 * mm, 44 * mm, 30 * mm], extra=grade_styles(colour)),
    ]


def _domain_details(s: ActivitySummary) -> list[Flowable]:
    out: list[Flowable] = [
        CondPageBreak(70 * mm),
        para("What each grade rests on", "h1"),
        para(
            "For each area: the descriptor of the grade that stands, then each "
            "auditor's reasons in their own words.",
            "note",
        ),
    ]
    for line in list(s.domains) + ([s.overall] if s.overall else []):
        out.append(KeepTogether(_domain_block(line)))
    return out


def _domain_block(line: DomainLine, first_label: str = "First audit") -> list[Flowable]:
    standing = line.second or line.first
    title = line.label + (f" — {standing.label}" if standing else " — not graded")
    block: list[Flowable] = [para(title, "h2")]
    if line.descriptor and standing:
        block.append(
            para(
                f"<b>What “{standing.short_label}” means here:</b> {text(line.descriptor)}",
                "note",
                markup=True,
            )
        )
    if line.first_rationale:
        block.append(
            para(
                f"<b>{first_label}</b>"
                f"{' (' + line.first.short_label + ')' if line.first else ''}: "
                f"{text(line.first_rationale)}",
                markup=True,
            )
        )
    if line.second_rationale:
        block.append(
            para(
                f"<b>Second audit</b>"
                f"{' (' + line.second.short_label + ')' if line.second else ''}: "
                f"{text(line.second_rationale)}",
                markup=True,
            )
        )
    if line.note:
        block.append(para(f"<b>Agreed after moderation:</b> {text(line.note)}", markup=True))
    return block


# ---------------------------------------------------------------------- observation or dip


def _single_body(s: ActivitySummary) -> list[Flowable]:
    tier = s.tiers[0] if s.tiers else None
    facts = [("Form", s.form_title or s.kind.label)]
    if s.theme:
        facts.append(("Area checked", s.theme))
    facts += [
        ("Case reference", s.case_reference or "–"),
        ("Team", s.team or "–"),
        ("Practitioner", s.worker or "–"),
    ]
    if tier is not None:
        facts.append(("Recorded by", f"{tier.author} · {tier.status}"))
    out: list[Flowable] = [facts_table(facts)]
    if s.overall is not None and s.overall.first_rationale:
        out += [para("Why this grade", "h1"), para(s.overall.first_rationale)]
    for section in s.sections:
        out.append(para(section.title, "h1"))
        rows = [[para(q, "cellbold"), para(a or "–", "cell")] for q, a in section.rows]
        if section.voices and s.voices:
            out.append(_voices(s))
        if rows:
            table = Table(rows, colWidths=[70 * mm, WIDTH - 70 * mm])
            table.setStyle(
                TableStyle(
                    [
                        FONT_CMD,
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                        ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ]
                )
            )
            out.append(table)
    if s.actions:
        out += _actions(s)
    return out


def _voices(s: ActivitySummary) -> Table:
    rows = [["Who", "Role", "What they said, in their words"]]
    rows += [
        [para(v.who, "cell"), para(v.category, "cell"), para(v.said, "cell")] for v in s.voices
    ]
    return grid_table(rows, [40 * mm, 38 * mm, WIDTH - 78 * mm])
