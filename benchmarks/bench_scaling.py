"""How the services scale with the data, on realistic generated databases (``generate.py``).

    .venv/bin/python benchmarks/bench_scaling.py [--sizes 1000,50000,200000] [--runs 5]

For each size: agreement, the grade summary, All audits (first page, every sort, the last page),
Home's data (the service calls Home makes, in-process and from a new process), and the exports:
xlsx against plain xlsxwriter writing the same rows and a raw CSV floor, with the peak memory of
each export measured in its own process; the aggregate CSV against the summary alone. Every figure
is a median over ``--runs`` runs, printed beside a baseline measured in the same run.
The services are called as the first active head of service (who may run the reports and exports
and reads every team); Home's data also as a team manager and a social worker (their own reach).

To add a measurement (for example the GUI thread's longest freeze), write a function
``measure_x(ctx: Context) -> list[Line]`` and append it to ``MEASUREMENTS``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from common import median_seconds
from generate import realistic_db
from sqlalchemy import select

from auditor.domain.permissions import Principal
from auditor.services import Services, open_services
from auditor.services.audits.views import SORT_KEYS, AuditFilter
from db.models import Person, PersonRole

ROOT = Path(__file__).resolve().parent.parent
PAGE = 200


@dataclass
class Line:
    name: str
    seconds: float
    baseline_name: str = ""
    baseline: float = 0.0
    target: str = ""
    note: str = ""


@dataclass
class Context:
    size: int
    path: Path
    services: Services
    runs: int
    folder: Path
    users: dict[str, str] = field(default_factory=dict)  # role -> username

    @property
    def hos(self) -> Principal:
        """A head of service: may run every report and export, and reads every team."""
        return self.services.accounts.principal_of(self.users["head_of_service"])

    def median(self, fn: Callable[[], object], runs: int | None = None) -> float:
        fn()  # warm: first-use imports and the page cache, as on a second click
        return median_seconds(fn, runs or self.runs)


def _user(services: Services, role: str) -> str:
    """The first active person holding ``role`` (an inactive person's calls are refused)."""
    with services.db.reading() as s:
        return (
            s.scalar(
                select(Person.username)
                .join(PersonRole, PersonRole.person_id == Person.id)
                .where(PersonRole.role == role, Person.active.is_(True))
                .order_by(Person.id)
            )
            or ""
        )


def _raw_first_page(ctx: Context) -> Callable[[], object]:
    """The baseline for a page: one sqlite3 query of 200 audit rows, no joins, no objects."""
    import sqlite3

    conn = sqlite3.connect(ctx.path)

    def run() -> object:
        return conn.execute("SELECT * FROM audit ORDER BY id DESC LIMIT 200").fetchall()

    return run


# ------------------------------------------------------------------------------- measurements
def measure_agreement(ctx: Context) -> list[Line]:
    reports, summary, hos = ctx.services.reports, ctx.services.summary, ctx.hos
    raw = _raw_first_page(ctx)
    base = ctx.median(raw)
    return [
        Line(
            "agreement (all dates)",
            ctx.median(lambda: reports.agreement(who=hos)),
            "raw 200-row query",
            base,
            "< 0.5 s at 200k",
        ),
        Line(
            "summary by financial year",
            ctx.median(lambda: summary.by_financial_year(who=hos)),
            "raw 200-row query",
            base,
            "",
        ),
    ]


def _page_cursor(ctx: Context, sort: str) -> dict[str, object]:
    """Arguments that fetch the last page of All audits sorted by ``sort``, descending: with keyset
    paging, the row just before the last page (the first ``PAGE + 1`` rows ascending end with it);
    with offset paging (before keyset), the offset."""
    import inspect

    views, hos = ctx.services.views, ctx.hos
    if "after" not in inspect.signature(views.rows).parameters:
        return {"offset": max(views.count(who=hos) - PAGE, 0)}
    ascending = views.rows(AuditFilter(), who=hos, limit=PAGE + 1, sort=sort, descending=False)
    return {"after": ascending[-1].id} if len(ascending) > PAGE else {}


def measure_audit_list(ctx: Context) -> list[Line]:
    views, hos = ctx.services.views, ctx.hos
    base = ctx.median(_raw_first_page(ctx))

    def first_page() -> object:
        views.count(who=hos)
        return views.rows(AuditFilter(), who=hos, limit=PAGE)

    lines = [
        Line(
            "All audits: count + first page",
            ctx.median(first_page),
            "raw 200-row query",
            base,
            "< 300 ms",
        )
    ]
    sorts = {}
    for key in SORT_KEYS:
        sorts[key] = ctx.median(
            lambda key=key: views.rows(
                AuditFilter(), who=hos, limit=PAGE, sort=key, descending=False
            )
        )
    worst = max(sorts, key=sorts.__getitem__)
    lines.append(
        Line(
            f"  sort, slowest column ({worst})",
            sorts[worst],
            "raw 200-row query",
            base,
            "< 300 ms at 200k",
            note=", ".join(f"{k} {v * 1000:.0f}" for k, v in sorts.items()) + " ms",
        )
    )
    for key in ("id", worst):
        cursor = _page_cursor(ctx, key)
        last = ctx.median(
            lambda key=key, cursor=cursor: views.rows(
                AuditFilter(), who=hos, limit=PAGE, sort=key, descending=True, **cursor
            )
        )
        first = (
            sorts[key]
            if key != "id"
            else ctx.median(lambda: views.rows(AuditFilter(), who=hos, limit=PAGE))
        )
        lines.append(
            Line(
                f"  last page, sorted by {key}", last, "first page", first, "as cheap as the first"
            )
        )
    return lines


def home_data(services: Services, who: Principal | str, today: dt.date) -> None:
    """The service calls Home makes when it fills in (``HomePage.refresh``), for ``who`` (a
    username: their principal, without a password, as the program's own script)."""
    from auditor.domain.periods import FinancialYear

    if isinstance(who, str):
        who = services.accounts.principal_of(who)
    year = FinancialYear.of(today)
    services.work.my_work(who=who, today=today)
    services.work.dashboard(year.first_day, year.last_day, today, who=who)
    services.reports.insights(today, who=who)


HOME_PROCESS = """
import sys, time
began = time.perf_counter()
sys.path.insert(0, {root!r})
import datetime as dt
from auditor.services import open_services
sys.path.insert(0, {bench!r})
from bench_scaling import home_data
services = open_services({path!r}, daily_backup=False)
home_data(services, {user!r}, dt.date.today())
print(time.perf_counter() - began)
"""


def measure_home(ctx: Context) -> list[Line]:
    today = dt.date.today()
    lines = []
    for role, username in ctx.users.items():
        who = ctx.services.accounts.principal_of(username)
        warm = ctx.median(lambda who=who: home_data(ctx.services, who, today))
        lines.append(
            Line(
                f"Home's data for a {role.replace('_', ' ')}",
                warm,
                "raw 200-row query",
                ctx.median(_raw_first_page(ctx)),
                "",
            )
        )
    user = ctx.users["head_of_service"]
    script = HOME_PROCESS.format(
        root=str(ROOT), bench=str(ROOT / "benchmarks"), path=str(ctx.path), user=user
    )
    bare = "import sys, time; began = time.perf_counter(); print(time.perf_counter() - began)"
    cold = _process_median(script, ctx.runs)
    lines.append(
        Line(
            "  Home's data from a new process (imports, open)",
            cold,
            "bare python",
            _process_median(bare, ctx.runs),
            "< 1.5 s at 200k",
            note="in-process time after interpreter start",
        )
    )
    return lines


def _process_median(script: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


EXPORT_PROCESS = """
import resource, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
from bench_scaling import export_job
began = time.perf_counter()
export_job({what!r}, {path!r}, {out!r}, {user!r})
took = time.perf_counter() - began
print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)   # peak resident set, KiB
"""


def export_job(what: str, db: str, out: str, user: str) -> None:
    """One export by ``user`` (their principal, without a password), for a child process: the
    service's export or a baseline over the same rows."""
    services = open_services(Path(db), daily_backup=False)
    who = services.accounts.principal_of(user)
    if what in ("xlsx", "csv", "summary-csv"):
        fmt = "csv" if what != "xlsx" else "xlsx"
        services.reports.write_export(
            fmt, Path(out), table="summary" if what == "summary-csv" else "audits", who=who
        )
        return
    if what == "summary-only":
        services.summary.by_financial_year(who=who)
        return
    data = services.reports.export_data(who=who)
    tables = {"Audits": data.audits, "Domain grades": data.domain_grades, "Summary": data.summary}
    if what == "raw-xlsxwriter":
        import xlsxwriter

        book = xlsxwriter.Workbook(out, {"constant_memory": True})
        for name, rows in tables.items():
            sheet = book.add_worksheet(name)
            for r, row in enumerate(rows):
                sheet.write_row(
                    r, 0, [str(v) if isinstance(v, dt.date) else v for v in row.values()]
                )
        book.close()
    elif what == "raw-csv":
        with open(out, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            for rows in tables.values():
                writer.writerows(row.values() for row in rows)


def _export(ctx: Context, what: str, runs: int) -> tuple[float, float]:
    """(median seconds inside the process, median peak resident memory of the process in MiB)."""
    out = ctx.folder / f"{what}-{ctx.size}.{'xlsx' if 'xlsx' in what else 'csv'}"
    script = EXPORT_PROCESS.format(
        root=str(ROOT),
        bench=str(ROOT / "benchmarks"),
        what=what,
        path=str(ctx.path),
        out=str(out),
        user=ctx.users["head_of_service"],
    )
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", script], check=True, capture_output=True, text=True, cwd=ROOT
        )
        took, rss = done.stdout.split()[-2:]
        results.append((float(took), int(rss) / 1024))
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results))


def measure_exports(ctx: Context) -> list[Line]:
    runs = max(1, min(ctx.runs, 3 if ctx.size <= 50_000 else 2))
    xlsx, xlsx_mem = _export(ctx, "xlsx", runs)
    raw, raw_mem = _export(ctx, "raw-xlsxwriter", runs)
    floor, floor_mem = _export(ctx, "raw-csv", runs)
    agg, agg_mem = _export(ctx, "summary-csv", runs)
    summary, summary_mem = _export(ctx, "summary-only", runs)
    return [
        Line(
            "export xlsx (every audit and grade)",
            xlsx,
            "plain xlsxwriter, same rows",
            raw,
            "within 1.2x",
            note=f"peak RSS {xlsx_mem:.0f} MiB vs {raw_mem:.0f} MiB",
        ),
        Line(
            "  raw CSV floor (csv module, same rows)",
            floor,
            "plain xlsxwriter",
            raw,
            "",
            note=f"peak RSS {floor_mem:.0f} MiB",
        ),
        Line(
            "export aggregate CSV (summary table)",
            agg,
            "the summary alone",
            summary,
            "close to the summary",
            note=f"peak RSS {agg_mem:.0f} MiB vs {summary_mem:.0f} MiB",
        ),
    ]


MEASUREMENTS: list[Callable[[Context], list[Line]]] = [
    measure_agreement,
    measure_audit_list,
    measure_home,
    measure_exports,
]


def print_line(line: Line) -> None:
    ratio = f"{line.seconds / line.baseline:7.2f}x" if line.baseline else "        "
    base = f"{line.baseline_name} {line.baseline * 1000:8.1f} ms" if line.baseline_name else ""
    print(
        f"{line.name:<48} {line.seconds * 1000:9.1f} ms | {base:<40} | {ratio} | "
        f"{line.target}" + (f"  ({line.note})" if line.note else ""),
        flush=True,
    )


def run_size(size: int, runs: int, only: list[str]) -> None:
    began = time.perf_counter()
    path = realistic_db(size)
    print(
        f"\n== {size:,} activities ({path.name}, ready in {time.perf_counter() - began:.1f} s)",
        flush=True,
    )
    services = open_services(path, daily_backup=False)
    folder = Path(tempfile.mkdtemp(prefix="auditor-bench-scaling-"))
    ctx = Context(size, path, services, runs, folder)
    ctx.users = {
        role: _user(services, role) for role in ("head_of_service", "team_manager", "social_worker")
    }
    try:
        for measure in MEASUREMENTS:
            if not only or any(o in measure.__name__ for o in only):
                for line in measure(ctx):
                    print_line(line)
    finally:
        services.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default="1000,50000,200000",
        help="comma-separated numbers of activities (default 1000,50000,200000)",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--only", default="", help="comma-separated parts: agreement, audit_list, home, exports"
    )
    args = parser.parse_args()
    only = [o for o in args.only.split(",") if o]
    for size in (int(s.replace("_", "")) for s in args.sizes.split(",")):
        run_size(size, args.runs, only)


if __name__ == "__main__":
    main()
