"""Invented wording for the demo organisation's audits (no real case material)."""

from __future__ import annotations

import random

from auditor.domain.grades import Grade

PHRASES: dict[str, list[str]] = {
    "strengths": [
        "I have built a trusting relationship with the young person, who now talks to me about school.",
        "Visits have been regular and the child's wishes are written up after each one.",
        "Mum engages well with the plan and says she understands what needs to change.",
        "Good joint working with the school nurse and the family support worker.",
    ],
    "weaknesses": [
        "The chronology is not up to date since the transfer from the assessment team.",
        "I have not yet seen the child alone at school as planned.",
        "The plan still has actions without dates; I need to tighten it at the next core group.",
        "Dad has not been involved in the assessment as much as he should have been.",
    ],
    "impact_on_child": [
        "School attendance has risen from 71% to 93% and the child says home feels calmer.",
        "The child is now registered with a dentist and GP and has had an overdue health check.",
        "Little change yet: the plan is recent and the family's circumstances remain unstable.",
        "The young person moved into supported accommodation they chose and is attending college.",
    ],
    "reconcile": [
        "Discussed with the first auditor: agreed the plan's contingency was not specific enough.",
        "Second look at the case notes found supervision records missing; grade moderated down.",
        "Agreed that the direct work evidenced in the case notes merits the higher grade.",
        "Difference due to the assessment being updated after the first audit; agreed final grade.",
    ],
    "actions": [
        "Update the chronology and genogram on the child's record.",
        "Hold a reflective supervision on this case and record the rationale for the plan.",
        "Arrange to see the child alone at school and record their views.",
        "Rewrite the plan with the family so that each action has an owner and a date.",
        "Convene a family meeting to agree contingency arrangements.",
    ],
    "generic": [
        "Recorded on the child's file and discussed with the worker.",
        "Evidence found in the case notes and the most recent review.",
        "Partly evident; the record could be clearer.",
        "Not enough on file to be confident about this.",
    ],
}

#: Who was present at an observation and what they said (the form's people table).
PEOPLE: list[dict[str, str]] = [
    {
        "who": "Child, aged 9",
        "category": "child",
        "said": "I like it when you come because you listen to me.",
    },
    {
        "who": "Mother",
        "category": "parent_carer",
        "said": "Things are better since the family support worker started.",
    },
    {
        "who": "Foster carer",
        "category": "parent_carer",
        "said": "He has settled well but needs more contact with his sister.",
    },
    {
        "who": "Class teacher",
        "category": "professional",
        "said": "Attendance has improved, but she is tired on Mondays.",
    },
    {
        "who": "Health visitor",
        "category": "professional",
        "said": "Weight gain is back on track; I will keep visiting fortnightly.",
    },
]

_RATIONALE = {
    Grade.OUTSTANDING: "Consistently strong evidence on file, with a clear difference made for the child.",
    Grade.GOOD: "Evidence on file meets the standard; some minor gaps noted.",
    Grade.REQUIRES_IMPROVEMENT: "Some evidence, but gaps that matter for the child need addressing.",
    Grade.INADEQUATE: "Little or no evidence; the gaps leave the child at risk of harm or drift.",
}


def text_for(field_id: str, rng: random.Random) -> str:
    for key in ("strengths", "weaknesses", "impact_on_child"):
        if key in field_id:
            return rng.choice(PHRASES[key])
    if "develop" in field_id:
        return rng.choice(PHRASES["weaknesses"])
    return rng.choice(PHRASES["generic"])


def rationale_for(field_id: str, grade: Grade, rng: random.Random) -> str:
    return f"{_RATIONALE[grade]} {rng.choice(PHRASES['generic'])}"
