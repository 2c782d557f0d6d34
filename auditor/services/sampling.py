"""Case samples for thematic audits and quarterly self-evaluation: theme tags on cases, proposals
(reproducible from their seed), saved samples, swaps with their reasons, and starting the audits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auditor.domain import sampling
from auditor.domain.activities import THREE_TIER_KINDS, ActivityKind
from auditor.domain.clock import Clock
from auditor.domain.errors import NotFound, RuleViolation, ValidationError
from auditor.domain.permissions import Action, Principal, Scope
from auditor.domain.sampling import Candidate, Criteria, Proposal
from auditor.domain.workflow import AuditState
from auditor.services.access.guard import check
from auditor.services.audits.service import AuditService
from auditor.services.reference.records import find_case, person_ref
from db.engine import Database
from db.models import Audit, Case, CaseTag, Person, Sample, SampleCase, Team

PURPOSES = {
    "thematic": ActivityKind.THEMATIC_AUDIT,
    "self_evaluation": ActivityKind.SELF_EVALUATION_AUDIT,
}


@dataclass(frozen=True)
class SampledCase:
    reference: str
    team: str
    case_type: str
    stratum: str
    swapped_out_reason: str  # "" while in the sample
    audit_id: int | None  # an audit of the sample's kind started for it, if any


@dataclass(frozen=True)
class SampleDTO:
    id: int
    name: str
    purpose: str
    seed: int
    size: int
    theme: str
    exclusion_months: int
    created_by: str
    created_at: dt.datetime
    cases: tuple[SampledCase, ...]

    @property
    def in_sample(self) -> list[SampledCase]:
        return [c for c in self.cases if not c.swapped_out_reason]


def normalise_tag(text: str) -> str:
    tag = "_".join(str(text).strip().lower().replace("-", " ").split())
    if not tag or not tag.replace("_", "").isalnum():
        raise ValidationError(
            f"'{text}' is not a usable theme tag: use words such as "
            "domestic_abuse, neglect or exploitation."
        )
    return tag


class SamplingService:
    def __init__(self, db: Database, audits: AuditService, clock: Clock) -> None:
        self.db, self.audits, self.clock = db, audits, clock

    # ------------------------------------------------------------------------------ theme tags
    def tag(
        self, reference: str, tags: Iterable[str], *, by: Principal, remove: bool = False
    ) -> list[str]:
        """Tag a case with themes, or take tags off (``BUILD_SAMPLE``)."""
        with self.db.transaction() as s:
            check(s, by, Action.BUILD_SAMPLE)
            wanted = {normalise_tag(t) for t in tags}
            case = find_case(s, reference)
            have = set(s.scalars(select(CaseTag.tag).where(CaseTag.case_id == case.id)))
            for tag in wanted & have if remove else wanted - have:
                if remove:
                    s.delete(s.get(CaseTag, (case.id, tag)))
                else:
                    s.add(CaseTag(case_id=case.id, tag=tag))
            return sorted(have - wanted if remove else have | wanted)

    def tags(self, *, who: Principal) -> dict[str, int]:
        """Every theme tag in use, with how many cases carry it (``READ_AUDITS``: counts only)."""
        with self.db.reading() as s:
            check(s, who, Action.READ_AUDITS)
            return self._tags(s)

    @staticmethod
    def _tags(s: Session) -> dict[str, int]:
        return dict(
            s.execute(
                select(CaseTag.tag, func.count()).group_by(CaseTag.tag).order_by(CaseTag.tag)
            ).all()
        )

    # ------------------------------------------------------------------------------ proposals
    def candidates(self, s: Session) -> list[Candidate]:
        """Every case a sample may draw (inside a caller's session, which has checked who)."""
        tags: dict[int, set[str]] = {}
        for case_id, tag in s.execute(select(CaseTag.case_id, CaseTag.tag)):
            tags.setdefault(case_id, set()).add(tag)
        last = dict(
            s.execute(
                select(
                    Audit.case_id,
                    func.max(func.coalesce(Audit.completed_on, func.date(Audit.created_at))),
                )
                .where(
                    Audit.kind.in_(THREE_TIER_KINDS),
                    Audit.state != AuditState.CANCELLED.value,
                    Audit.case_id.is_not(None),
                )
                .group_by(Audit.case_id)
            ).all()
        )
        rows = s.execute(
            select(Case.id, Case.reference, Team.name, Case.case_type).join(
                Team, Team.id == Case.team_id
            )
        )
        return [
            Candidate(ref, team, case_type, frozenset(tags.get(cid, ())), _as_date(last.get(cid)))
            for cid, ref, team, case_type in rows
        ]

    def propose(self, criteria: Criteria, *, by: Principal) -> Proposal:
        """A sample drawn by ``criteria`` (``BUILD_SAMPLE``), not yet saved."""
        with self.db.reading() as s:
            check(s, by, Action.BUILD_SAMPLE)
            return self._propose(s, criteria)

    def _propose(self, s: Session, criteria: Criteria) -> Proposal:
        if criteria.theme and criteria.theme not in (tags := self._tags(s)):
            raise ValidationError(
                f"No case is tagged '{criteria.theme}'. Tags in use: "
                f"{', '.join(tags) or 'none yet'}."
            )
        return sampling.propose(self.candidates(s), criteria)

    def save(self, name: str, purpose: str, criteria: Criteria, *, by: Principal) -> int:
        """Save a proposal as a sample (``BUILD_SAMPLE``)."""
        with self.db.transaction() as s:
            author, _ = check(s, by, Action.BUILD_SAMPLE)
            if purpose not in PURPOSES:
                raise ValidationError(f"A sample is for one of: {', '.join(PURPOSES)}.")
            if not name.strip():
                raise ValidationError(
                    "Give the sample a name, e.g. 'Neglect thematic audit, March'."
                )
            proposal = self._propose(s, criteria)
            if not person_ref(author).is_manager:
                raise RuleViolation("Samples are drawn by managers and the quality-assurance team.")
            ids = dict(s.execute(select(Case.reference, Case.id)).all())
            stored = {
                **dataclasses.asdict(criteria),
                "teams": sorted(criteria.teams),
                "case_types": sorted(criteria.case_types),
                "today": criteria.today.isoformat(),
                "orders": proposal.orders,
            }
            sample = Sample(
                name=name.strip(),
                purpose=purpose,
                seed=criteria.seed,
                size=criteria.size,
                criteria=json.dumps(stored),
                created_by_id=author.id,
                created_at=self.clock.now(),
            )
            sample.cases = [
                SampleCase(case_id=ids[c.reference], position=i, stratum=c.stratum)
                for i, c in enumerate(proposal.chosen, start=1)
            ]
            s.add(sample)
            s.flush()
            return sample.id

    def swap(self, sample_id: int, reference: str, reason: str, *, by: Principal) -> str:
        """Swap a case out of a saved sample, keeping the reason; returns the case swapped in
        (``BUILD_SAMPLE``)."""
        with self.db.transaction() as s:
            check(s, by, Action.BUILD_SAMPLE)
            sample = self._sample(s, sample_id)
            rows = {r.case.reference: r for r in sample.cases}
            reference = reference.strip().upper()
            in_sample = {ref for ref, r in rows.items() if not r.swapped_out_reason}
            stratum = rows[reference].stratum if reference in rows else ""
            orders = {k: tuple(v) for k, v in json.loads(sample.criteria)["orders"].items()}
            new = sampling.swap(reference, reason, stratum, in_sample, set(rows), orders)
            rows[reference].swapped_out_reason = " ".join(reason.split())
            case = find_case(s, new)
            sample.cases.append(
                SampleCase(
                    case_id=case.id,
                    position=len(rows) + 1,
                    stratum=f"{case.team.name} · {case.case_type}",
                )
            )
            return new

    # ----------------------------------------------------------------------------- saved samples
    def _sample(self, s: Session, sample_id: int) -> Sample:
        sample = s.get(Sample, sample_id)
        if sample is None:
            raise NotFound(
                f"There is no sample number {sample_id}. 'python main.py samples list' shows them."
            )
        return sample

    def samples(self, *, who: Principal) -> list[SampleDTO]:
        """The saved samples (``READ_AUDITS``), each with the cases within ``who``'s reach."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.READ_AUDITS)
            return [
                self._dto(s, x, fresh) for x in s.scalars(select(Sample).order_by(Sample.id.desc()))
            ]

    def sample(self, sample_id: int, *, who: Principal) -> SampleDTO:
        """One saved sample (``READ_AUDITS``) with the cases within ``who``'s reach."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.READ_AUDITS)
            return self._dto(s, self._sample(s, sample_id), fresh)

    def _dto(self, s: Session, sample: Sample, who: Principal) -> SampleDTO:
        criteria = json.loads(sample.criteria)
        kind = PURPOSES[sample.purpose].value
        started = dict(
            s.execute(
                select(Audit.case_id, func.max(Audit.id))
                .where(
                    Audit.kind == kind,
                    Audit.created_at >= sample.created_at,
                    Audit.state != AuditState.CANCELLED.value,
                )
                .group_by(Audit.case_id)
            ).all()
        )
        cases = tuple(
            SampledCase(
                r.case.reference,
                r.case.team.name,
                r.case.case_type,
                r.stratum,
                r.swapped_out_reason,
                started.get(r.case_id),
            )
            for r in sample.cases
            if _case_in_reach(who, r.case)
        )
        return SampleDTO(
            sample.id,
            sample.name,
            sample.purpose,
            sample.seed,
            sample.size,
            criteria.get("theme", ""),
            criteria.get("exclusion_months", 12),
            s.get_one(Person, sample.created_by_id).name,
            sample.created_at,
            cases,
        )

    def start_audits(self, sample_id: int, *, by: Principal) -> list[int]:
        """Start the sample's three-tier audits (thematic or self-evaluation) for every case in it
        that has none yet (``BUILD_SAMPLE``, and ``START_AUDIT`` for each). Checked first for
        every case, so either all start or none does."""
        with self.db.reading() as s:
            check(s, by, Action.BUILD_SAMPLE)
        sample = self.sample(sample_id, who=by)
        todo = [c for c in sample.in_sample if c.audit_id is None]
        with self.db.reading() as s:
            problems = []
            for c in todo:
                case = find_case(s, c.reference)
                busy = s.scalar(
                    select(Audit.id).where(
                        Audit.case_id == case.id,
                        Audit.kind.in_(THREE_TIER_KINDS),
                        Audit.state.in_([st.value for st in AuditState if st.is_open]),
                    )
                )
                if case.worker is None:
                    problems.append(f"{c.reference} has no allocated social worker")
                elif busy is not None:
                    problems.append(f"{c.reference} already has an audit under way ({busy})")
        if problems:
            raise RuleViolation(
                "No audit was started: " + "; ".join(problems) + ". Swap these "
                "cases out (with the reason) or deal with them first."
            )
        kind = PURPOSES[sample.purpose]
        return [
            self.audits.start(c.reference, by=by, kind=kind, theme=sample.theme or sample.name)
            for c in todo
        ]


def _case_in_reach(who: Principal, case: Case) -> bool:
    """Whether a sampled case is one ``who`` reads: every case at ALL reach, their own cases, and
    at TEAM reach their teams' cases."""
    if who.scope is Scope.ALL or case.worker_id == who.person_id:
        return True
    return who.scope is Scope.TEAM and case.team_id in who.team_ids


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
