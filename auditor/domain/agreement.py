"""Agreement between the first-line audit (tier 2) and the independent second audit (tier 3).

Ofsted found that managers applied the audit tool inconsistently. These figures make the consistency
visible: for every grade given by both tiers to the same audit (a domain, or the overall grade), how
often the second audit agreed exactly, agreed within one grade, and Cohen's kappa with quadratic
weights (chance-corrected agreement on an ordered scale: 1 is perfect, 0 is what chance would give).

The confusion matrix has the first audit's grade as rows and the second audit's as columns, both in
the order Outstanding, Good, Requires improvement, Inadequate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.domain.grades import Grade
from auditor.domain.summary import SMALL_SAMPLE

ORDER = Grade.ordered()
K = len(ORDER)


def _pct(part: int, whole: int) -> int | None:
    """Whole-number percentage (halves round up), or None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class Agreement:
    """Agreement over ``n`` pairs of (first audit grade, second audit grade)."""

    matrix: tuple[tuple[int, ...], ...] = field(
        default_factory=lambda: tuple((0,) * K for _ in range(K))
    )
    audits: int = 0  # how many audits the pairs come from

    @property
    def n(self) -> int:
        return sum(map(sum, self.matrix))

    @property
    def exact(self) -> int:
        return sum(self.matrix[i][i] for i in range(K))

    @property
    def within_one(self) -> int:
        return sum(self.matrix[i][j] for i in range(K) for j in range(K) if abs(i - j) <= 1)

    @property
    def raised(self) -> int:
        """Pairs where the second audit gave a better grade than the first."""
        return sum(self.matrix[i][j] for i in range(K) for j in range(K) if j < i)

    @property
    def lowered(self) -> int:
        """Pairs where the second audit gave a worse grade than the first."""
        return sum(self.matrix[i][j] for i in range(K) for j in range(K) if j > i)

    @property
    def exact_pct(self) -> int | None:
        return _pct(self.exact, self.n)

    @property
    def within_one_pct(self) -> int | None:
        return _pct(self.within_one, self.n)

    @property
    def raised_pct(self) -> int | None:
        return _pct(self.raised, self.n)

    @property
    def lowered_pct(self) -> int | None:
        return _pct(self.lowered, self.n)

    @property
    def kappa(self) -> float | None:
        """Quadratically weighted Cohen's kappa, or None when it cannot be worked out: no pairs,
        or every grade in one category in both tiers (chance alone would then agree perfectly)."""
        n = self.n
        if n == 0:
            return None
        rows = [sum(self.matrix[i]) for i in range(K)]
        cols = [sum(self.matrix[i][j] for i in range(K)) for j in range(K)]
        observed = expected = 0.0
        for i in range(K):
            for j in range(K):
                weight = (i - j) ** 2 / (K - 1) ** 2
                observed += weight * self.matrix[i][j]
                expected += weight * rows[i] * cols[j] / n
        if expected == 0:
            return None
        return 1 - observed / expected

    @property
    def enough_data(self) -> bool:
        return self.n > 0

    @property
    def is_small(self) -> bool:
        return self.n < SMALL_SAMPLE

    @property
    def kappa_text(self) -> str:
        """The kappa to two decimals, or why there is none."""
        k = self.kappa
        if k is not None:
            return f"{k:.2f}"
        if self.n == 0:
            return "not enough data"
        return "n/a (all grades the same)"

    def describe(self) -> str:
        """One sentence for a report or the command line."""
        if self.n == 0:
            return "Not enough data: no audit has been graded by both a first and a second auditor."
        return (
            f"The second audit gave the same grade {self.exact_pct}% of the time and a grade "
            f"within one step {self.within_one_pct}% of the time (weighted kappa "
            f"{self.kappa_text}; {self.n} grade{'s' if self.n != 1 else ''} from "
            f"{self.audits} audit{'s' if self.audits != 1 else ''})."
        )


def agreement(pairs: Iterable[tuple[Grade, Grade]], audits: int | None = None) -> Agreement:
    """Count (first audit grade, second audit grade) pairs into an ``Agreement``."""
    index = {g: i for i, g in enumerate(ORDER)}
    counts = [[0] * K for _ in range(K)]
    n = 0
    for first, second in pairs:
        counts[index[first]][index[second]] += 1
        n += 1
    return Agreement(tuple(tuple(r) for r in counts), n if audits is None else audits)


def from_counts(cells: Iterable[tuple[Grade, Grade, int]], audits: int) -> Agreement:
    """An ``Agreement`` from (first grade, second grade, how many) already counted (by the
    database), for ``audits`` audits."""
    index = {g: i for i, g in enumerate(ORDER)}
    counts = [[0] * K for _ in range(K)]
    for first, second, n in cells:
        counts[index[first]][index[second]] += n
    return Agreement(tuple(tuple(r) for r in counts), audits)


#: Landis and Koch (1977): the upper limit of each band of kappa, on kappa to two decimals.
KAPPA_BANDS = ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"))


def kappa_band(kappa: float | None) -> str:
    """Landis and Koch's words for a kappa, for readers who are not statisticians: below 0 poor,
    0–0.20 slight, 0.21–0.40 fair, 0.41–0.60 moderate, 0.61–0.80 substantial, 0.81–1 almost
    perfect. Judged on the kappa as shown (two decimals), so the word always fits the figure."""
    if kappa is None:
        return ""
    shown = round(kappa, 2)
    if shown < 0:
        return "poor"
    for limit, words in KAPPA_BANDS:
        if shown <= limit:
            return words
    return "almost perfect"


def direction(a: Agreement) -> str:
    """How the second audit tended to move one auditor's grades, in a word or two."""
    if a.n == 0:
        return "–"
    if a.raised == a.lowered == 0:
        return "never changed"
    if a.lowered > 2 * a.raised:
        return "mostly lowered"
    if a.raised > 2 * a.lowered:
        return "mostly raised"
    return "both ways"
