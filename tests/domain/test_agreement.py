"""Agreement between first and second audits, checked against figures worked out by hand."""

import pytest

from auditor.domain.agreement import Agreement, agreement, from_counts, kappa_band
from auditor.domain.grades import Grade

O, G, RI, I = Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE


def test_small_example_by_hand():
    # Four grades: G/G twice, RI/RI once, G (first) against RI (second) once.
    a = agreement([(G, G), (G, G), (RI, RI), (G, RI)], audits=2)
    assert (a.n, a.audits, a.exact, a.within_one) == (4, 2, 3, 4)
    assert (a.exact_pct, a.within_one_pct) == (75, 100)
    # Quadratic weights (i-j)^2/9. Observed disagreement: one pair one step apart = 1/9.
    # Expected from the margins (rows G3 RI1, columns G2 RI2, n=4):
    #   G->RI 3*2/4 = 1.5 and RI->G 1*2/4 = 0.5, each weighted 1/9: 2/9.  kappa = 1 - 1/2 = 0.5
    assert a.kappa == pytest.approx(0.5)
    assert a.matrix[1] == (0, 2, 1, 0) and a.matrix[2] == (0, 0, 1, 0)
    assert (a.raised, a.lowered) == (0, 1)  # the second audit lowered G to RI once
    assert (a.raised_pct, a.lowered_pct) == (0, 25)


def test_opposite_extremes_give_kappa_minus_one():
    # O/I and I/O: observed weighted disagreement 2; expected (margins O1 I1 both ways, n=2)
    # 2 * (1*1/2) * 1 = 1; kappa = 1 - 2/1 = -1.
    a = agreement([(O, I), (I, O)])
    assert a.kappa == pytest.approx(-1.0)
    assert (a.exact_pct, a.within_one_pct) == (0, 0)
    assert (a.raised, a.lowered) == (1, 1)


def test_one_step_apart_counts_within_one_but_not_exact():
    # O/G, G/RI, RI/I: all one step lower. Rows O1 G1 RI1, columns G1 RI1 I1, n=3.
    # Observed = 3 * 1/9 = 1/3. Expected: sum over i,j of w * 1*1/3 =
    # (1/3) * [(0,1)1 + (0,2)4 + (0,3)9 + (1,1)0 + (1,2)1 + (1,3)4 + (2,1)1 + (2,2)0 + (2,3)1]/9
    #   = (1/3) * 21/9 = 7/9.  kappa = 1 - (1/3)/(7/9) = 1 - 3/7 = 4/7.
    a = agreement([(O, G), (G, RI), (RI, I)])
    assert (a.exact_pct, a.within_one_pct, a.lowered_pct) == (0, 100, 100)
    assert a.kappa == pytest.approx(4 / 7)


def test_all_grades_the_same_has_no_kappa_but_full_agreement():
    a = agreement([(G, G)] * 5)
    assert (a.exact_pct, a.within_one_pct) == (100, 100)
    assert a.kappa is None  # chance alone would agree perfectly: 0/0
    assert a.kappa_text == "n/a (all grades the same)"
    assert "100%" in a.describe()


def test_no_second_audits_means_not_enough_data_without_dividing_by_zero():
    a = agreement([])
    assert (a.n, a.exact_pct, a.within_one_pct, a.kappa) == (0, None, None, None)
    assert not a.enough_data and a.kappa_text == "not enough data"
    assert a.describe().startswith("Not enough data")
    assert Agreement().n == 0


def test_percentages_are_whole_numbers_rounding_halves_up():
    a = agreement([(G, G), (G, G), (G, RI)])
    assert a.exact_pct == 67 and isinstance(a.exact_pct, int)
    assert agreement([(G, G), (G, RI)] * 4).exact_pct == 50
    assert agreement([(G, G)] * 5 + [(G, RI)] * 3).exact_pct == 63  # 62.5 rounds up


def test_small_samples_are_flagged_and_kappa_words():
    assert agreement([(G, G)] * 9 + [(G, RI)]).is_small is False
    assert agreement([(G, G)] * 3).is_small is True
    assert kappa_band(0.84) == "almost perfect" and kappa_band(0.5) == "moderate"
    assert kappa_band(None) == ""


@pytest.mark.parametrize(
    ("kappa", "words"),
    [
        (-0.3, "poor"),
        (-0.01, "poor"),
        (0.0, "slight"),
        (-0.001, "slight"),
        (0.1, "slight"),
        (0.2, "slight"),
        (0.203, "slight"),
        (0.21, "fair"),
        (0.4, "fair"),
        (0.41, "moderate"),
        (0.6, "moderate"),
        (0.61, "substantial"),
        (0.8, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_kappa_words_follow_landis_and_koch_on_the_kappa_as_shown(kappa, words):
    # Landis and Koch: < 0 poor, 0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate,
    # 0.61-0.80 substantial, 0.81-1 almost perfect; a kappa shown as 0.00 is slight, not poor.
    assert kappa_band(kappa) == words


def test_counts_from_the_database_give_the_same_figures_as_pairs():
    pairs = [(G, G), (G, G), (RI, RI), (G, RI), (O, I)]
    counted = from_counts([(G, G, 2), (RI, RI, 1), (G, RI, 1), (O, I, 1)], audits=3)
    assert counted == agreement(pairs, audits=3)
