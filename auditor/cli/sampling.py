"""``sample`` (propose, and optionally save, a case sample), ``samples`` (saved ones: list, show,
swap, start the audits) and ``cases tag|untag|tags``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from auditor.cli.common import (
    LARGEST_ID,
    Commands,
    Format,
    case_type_arg,
    command,
    formats,
    group,
    lazy_type,
    number_arg,
    render,
    to_json,
    whole_number,
)

if TYPE_CHECKING:
    from auditor.services import Services

#: the keys of ``auditor.services.sampling.PURPOSES`` (kept here so that building the parser needs
#: no database layer; a test keeps the two equal)
PURPOSES = ("self_evaluation", "thematic")
theme_arg = lazy_type("auditor.services.sampling", "normalise_tag")
SIZE = whole_number(1, 10_000, "a sample needs at least one case, and at most 10,000")
SEED = whole_number(0, LARGEST_ID, "a seed is a whole number, 0 or more")
MONTHS = whole_number(0, 1200, "the exclusion window is 0 to 1200 months")


def register(sub: Commands) -> None:
    p = command(sub, "sample", cmd_sample, "propose cases for a thematic audit or self-evaluation")
    p.description = (
        "Propose a random, reproducible, stratified sample of cases. "
        "The seed is printed: the same seed gives the same sample."
    )
    p.add_argument("--size", type=SIZE)
    p.add_argument("--seed", type=SEED, help="default: a new one, printed")
    p.add_argument("--theme", type=theme_arg, help="only cases tagged with it")
    p.add_argument("--team", action="append", default=[], help="repeatable; default all")
    p.add_argument(
        "--case-type",
        action="append",
        default=[],
        type=case_type_arg,
        help="repeatable; default all",
    )
    p.add_argument(
        "--exclude-months", type=MONTHS, help="leave out cases audited this recently (0: none)"
    )
    p.add_argument("--format", choices=formats(Format.TABLE, Format.JSON), default=Format.TABLE)
    p.add_argument("--save", metavar="NAME", help="keep the sample under this name")
    p.add_argument("--purpose", choices=PURPOSES, default="thematic")

    samples = group(sub, "samples", "saved case samples")
    command(samples, "list", cmd_samples_list)
    p = command(samples, "show", cmd_samples_show)
    p.add_argument("sample_id", type=number_arg, metavar="ID")
    p = command(samples, "swap", cmd_samples_swap, "swap a case out, with the reason")
    p.add_argument("sample_id", type=number_arg, metavar="ID")
    p.add_argument("case_ref", metavar="CASE_REF")
    p.add_argument("--reason", required=True)
    p = command(
        samples,
        "start-audits",
        cmd_samples_start,
        "start the three-tier audits of the sample",
    )
    p.add_argument("sample_id", type=number_arg, metavar="ID")

    cases = group(sub, "cases", "list, add or tag cases")
    for name, handler, text in (
        ("tag", cmd_cases_tag, "add theme tags to a case"),
        ("untag", cmd_cases_untag, "remove theme tags from a case"),
    ):
        p = command(cases, name, handler, text)
        p.add_argument("reference")
        p.add_argument("tags", nargs="+", metavar="TAG")
    command(cases, "tags", cmd_cases_tags, "theme tags in use")


def cmd_sample(services: Services, args: argparse.Namespace) -> None:
    from auditor.domain.sampling import DEFAULT_EXCLUSION_MONTHS, DEFAULT_SIZE, Criteria, new_seed

    criteria = Criteria(
        size=DEFAULT_SIZE if args.size is None else args.size,
        seed=args.seed if args.seed is not None else new_seed(),
        theme=args.theme or "",
        teams=frozenset(args.team),
        case_types=frozenset(args.case_type),
        exclusion_months=DEFAULT_EXCLUSION_MONTHS
        if args.exclude_months is None
        else args.exclude_months,
    )
    proposal = services.sampling.propose(criteria, by=args.who)
    if args.format == Format.JSON:
        print(
            to_json(
                {
                    "seed": criteria.seed,
                    "size": criteria.size,
                    "eligible": proposal.eligible,
                    "excluded_recently_audited": proposal.excluded_recent,
                    "excluded_not_in_theme": proposal.excluded_theme,
                    "cases": [
                        {
                            "reference": c.reference,
                            "team": c.team,
                            "case_type": c.case_type,
                            "stratum": c.stratum,
                        }
                        for c in proposal.chosen
                    ],
                }
            )
        )
    else:
        print(
            render(
                Format.TABLE,
                ("case", "team", "case type", "tags", "last audited"),
                [
                    (
                        c.reference,
                        c.team,
                        c.case_type,
                        ", ".join(sorted(c.tags)),
                        f"{c.last_audited:%d/%m/%Y}" if c.last_audited else "",
                    )
                    for c in proposal.chosen
                ],
            )
        )
        print(
            f"\nSeed {criteria.seed}: {len(proposal.chosen)} of {proposal.eligible} eligible "
            f"cases; left out: {proposal.excluded_recent} audited in the last "
            f"{criteria.exclusion_months} months"
            + (
                f", {proposal.excluded_theme} not tagged '{criteria.theme}'"
                if criteria.theme
                else ""
            )
            + "."
            + (
                f" Asked for {criteria.size}: only {proposal.eligible} were eligible."
                if proposal.shortfall
                else ""
            )
        )
    if args.save:
        number = services.sampling.save(args.save, args.purpose, criteria, by=args.who)
        print(f"Saved as sample {number}.")


def cmd_samples_list(services: Services, args: argparse.Namespace) -> None:
    print(
        render(
            Format.TABLE,
            ("no.", "name", "purpose", "seed", "cases", "swapped", "by", "drawn"),
            [
                (
                    x.id,
                    x.name,
                    x.purpose,
                    x.seed,
                    len(x.in_sample),
                    len(x.cases) - len(x.in_sample),
                    x.created_by,
                    f"{x.created_at:%d/%m/%Y}",
                )
                for x in services.sampling.samples(who=args.who)
            ],
        )
    )


def cmd_samples_show(services: Services, args: argparse.Namespace) -> None:
    x = services.sampling.sample(args.sample_id, who=args.who)
    print(
        f"Sample {x.id}: {x.name} ({x.purpose}), seed {x.seed}, drawn by {x.created_by} on "
        f"{x.created_at:%d/%m/%Y}" + (f", theme '{x.theme}'" if x.theme else "") + "."
    )
    print(
        render(
            Format.TABLE,
            ("case", "team", "case type", "audit", "swapped out because"),
            [
                (c.reference, c.team, c.case_type, c.audit_id or "", c.swapped_out_reason)
                for c in x.cases
            ],
        )
    )


def cmd_samples_swap(services: Services, args: argparse.Namespace) -> None:
    new = services.sampling.swap(args.sample_id, args.case_ref, args.reason, by=args.who)
    print(f"{args.case_ref.upper()} swapped out (reason kept); {new} swapped in.")


def cmd_samples_start(services: Services, args: argparse.Namespace) -> None:
    started = services.sampling.start_audits(args.sample_id, by=args.who)
    print(f"Started {len(started)} audits: {', '.join(map(str, started)) or 'none needed'}.")


def cmd_cases_tag(services: Services, args: argparse.Namespace) -> None:
    tags = services.sampling.tag(args.reference, args.tags, by=args.who)
    print(f"{args.reference.upper()} is tagged: {', '.join(tags)}.")


def cmd_cases_untag(services: Services, args: argparse.Namespace) -> None:
    tags = services.sampling.tag(args.reference, args.tags, remove=True, by=args.who)
    print(f"{args.reference.upper()} is tagged: {', '.join(tags) or 'nothing'}.")


def cmd_cases_tags(services: Services, args: argparse.Namespace) -> None:
    print(
        render(Format.TABLE, ("tag", "cases"), list(services.sampling.tags(who=args.who).items()))
    )
