"""The ratio statistics check: SE, implied p-value and geometric mean from a printed interval, and the
verdict on whether rounding of the printed digits explains a printed p-value or estimate."""
from __future__ import annotations

import math

import pytest

from her2graph.ratio_checks import ratio_check_of
from her2graph.ratio_statistics import (NEAR_Z_GAP, PrintedNumber, PrintedNumberError, Verdict,
                                        agree_within_rounding, check_ratio, geometric_mean, printed_range,
                                        standard_error, two_sided_p, z_of_two_sided_p)
from her2graph.namespaces import H2G


# ------------------------------------------------------------------------------------------ arithmetic

def test_the_standard_error_is_the_log_width_over_twice_the_quantile():
    assert standard_error(0.34, 0.71) == pytest.approx((math.log(0.71) - math.log(0.34)) / (2 * 1.959964), rel=1e-6)
    assert standard_error(0.34, 0.71, level=0.90) == pytest.approx((math.log(0.71) - math.log(0.34)) / (2 * 1.644854), rel=1e-6)


def test_the_implied_p_value_follows_altman_and_bland():
    # BMJ 2011;343:d2304: z = |ln HR| / SE, p = 2 * (1 - Phi(z))
    se = standard_error(0.71, 1.08)
    assert two_sided_p(0.87, se) == pytest.approx(0.1931, abs=1e-4)
    assert z_of_two_sided_p(0.05) == pytest.approx(1.959964, rel=1e-6)


def test_the_geometric_mean_is_the_centre_of_a_log_scale_interval():
    assert geometric_mean(0.55, 0.77) == pytest.approx(0.6508, abs=1e-4)


@pytest.mark.parametrize("text, low, high", [("0.34", 0.335, 0.345), ("0.210", 0.2095, 0.2105), ("75.0", 74.95, 75.05),
                                             (".008", 0.0075, 0.0085), ("12", 11.5, 12.5), ("0.0", 0.0, 0.05)])
def test_a_printed_number_stands_for_the_range_it_rounds_from(text, low, high):
    assert printed_range(text) == pytest.approx((low, high))


def test_two_printings_agree_when_their_ranges_meet():
    assert agree_within_rounding("0.21", "0.210")
    assert agree_within_rounding("0.008", ".008")
    assert not agree_within_rounding("0.08", "0.008")
    assert not agree_within_rounding("0.21", "0.22")


@pytest.mark.parametrize("text", ["", "0,21", "1e-3", "-0.2", "< 0.001", "0.2.1", "NaN"])
def test_a_number_that_is_not_a_plain_numeral_is_refused(text):
    with pytest.raises(PrintedNumberError):
        PrintedNumber.parse(text)


@pytest.mark.parametrize("args", [("0.5", "0.7", "0.4"), ("0.5", "0.0", "0.4"), ("0", "0.1", "0.9")])
def test_an_interval_that_is_not_an_interval_of_a_ratio_is_refused(args):
    with pytest.raises(PrintedNumberError):
        check_ratio(*args)


def test_a_relation_other_than_equals_or_below_is_refused():
    with pytest.raises(PrintedNumberError, match="relation"):
        check_ratio("0.5", "0.4", "0.6", p_value="0.01", p_relation=">")


# ------------------------------------------------------------------- the verdict of every shipped result

SHIPPED = [
    # estimate, lower, upper, p, relation, p verdict: the seven hazard ratios the review prints, then the label's
    ("0.49", "0.34", "0.71", "0.001", "<", Verdict.EXPLAINED_BY_ROUNDING),     # NCT00078572 TTP
    ("0.87", "0.71", "1.08", "0.210", "=", Verdict.EXPLAINED_BY_ROUNDING),     # NCT00078572 OS: implied 0.193
    ("0.65", "0.55", "0.77", "0.001", "<", Verdict.EXPLAINED_BY_ROUNDING),     # EMILIA PFS
    ("0.68", "0.55", "0.85", "0.001", "<", Verdict.EXPLAINED_BY_ROUNDING),     # EMILIA OS: implied 0.0005
    ("0.528", "0.422", "0.661", "0.0001", "<", Verdict.EXPLAINED_BY_ROUNDING), # TH3RESA PFS
    ("0.552", "0.369", "0.826", "0.0034", "=", Verdict.NEAR),                  # TH3RESA OS: implied 0.0037-0.0040
    ("0.73", "0.57", "0.93", "0.08", "=", Verdict.NOT_EXPLAINED),              # trastuzumab + lapatinib: implied 0.012
    # the two stratified hazard ratios the KADCYLA label's EMILIA table prints, to three decimals
    ("0.650", "0.549", "0.771", "0.0001", "<", Verdict.EXPLAINED_BY_ROUNDING), # EMILIA PFS (label)
    ("0.682", "0.548", "0.849", "0.0006", "=", Verdict.EXPLAINED_BY_ROUNDING), # EMILIA OS (label)
]


@pytest.mark.parametrize("estimate, lower, upper, p, relation, verdict", SHIPPED, ids=lambda v: str(v))
def test_each_shipped_hazard_ratio_has_its_pinned_verdict(estimate, lower, upper, p, relation, verdict):
    check = check_ratio(estimate, lower, upper, 0.95, p, relation)
    assert check.p_verdict is verdict, check.p_message()
    assert check.estimate_verdict is Verdict.EXPLAINED_BY_ROUNDING, check.estimate_message()


def test_the_graph_holds_exactly_the_pinned_numbers_and_gets_the_pinned_verdicts(graph):
    checks = {}
    for ratio in graph.subjects(H2G.printedEstimate, None):
        check = ratio_check_of(graph, ratio)
        checks[(check.estimate.text, check.lower.text, check.upper.text, check.p_value.text, check.p_relation)] = \
            check.p_verdict
    assert checks == {row[:5]: row[5] for row in SHIPPED}


def test_the_review_s_p_of_the_trastuzumab_lapatinib_result_is_flagged_with_its_numbers():
    check = check_ratio("0.73", "0.57", "0.93", 0.95, "0.08", "=")
    assert check.standard_error == pytest.approx(0.1249, abs=1e-4)
    assert check.implied_p == pytest.approx(0.0117, abs=1e-4)
    message = check.p_message()
    for number in ("0.57-0.93", "0.1249", "0.0117", "0.0080 to 0.0166", "P = 0.08", "not explained by rounding"):
        assert number in message


def test_a_p_of_008_for_the_same_interval_is_explained_by_rounding():
    # what the primary publication is reported to print; the curation issue verifies it from its own copy
    assert check_ratio("0.73", "0.57", "0.93", 0.95, ".008", "=").p_verdict is Verdict.EXPLAINED_BY_ROUNDING


# --------------------------------------------------------------------------------------- boundary cases

def test_p_below_a_bound_is_explained_when_the_implied_p_can_lie_below_it():
    assert check_ratio("0.68", "0.55", "0.85", 0.95, "0.001", "<").p_verdict is Verdict.EXPLAINED_BY_ROUNDING
    # implied p at least 0.00025: "P < 0.0001" is more than rounding or another test explains
    assert check_ratio("0.68", "0.55", "0.85", 0.95, "0.0001", "<").p_verdict is Verdict.NOT_EXPLAINED


def test_a_bound_the_implied_p_only_reaches_at_its_upper_end_is_still_explained():
    # EMILIA OS: implied 0.00025 to 0.00099 allowing for rounding, so "P < 0.001" holds for some of them
    check = check_ratio("0.68", "0.55", "0.85", 0.95, "0.001", "<")
    assert check.implied_p_range[1] < 0.001


def test_a_one_sided_p_is_told_apart_from_a_misprint():
    # two-sided 0.0080-0.0166; one-sided half that: 0.006 is explained only as a one-sided p-value
    assert check_ratio("0.73", "0.57", "0.93", 0.95, "0.006", "=").p_verdict is Verdict.EXPLAINED_IF_ONE_SIDED
    assert check_ratio("0.73", "0.57", "0.93", 0.95, "0.012", "=").p_verdict is Verdict.EXPLAINED_BY_ROUNDING


def test_an_interval_printed_to_two_decimals_explains_more_than_one_printed_to_three():
    # TH3RESA's interim OS as printed (three decimals) implies 0.0037-0.0040: P = 0.0034 is only near ...
    assert check_ratio("0.552", "0.369", "0.826", 0.95, "0.0034", "=").p_verdict is Verdict.NEAR
    # ... the same result printed to two decimals implies 0.0025-0.0053, which P = 0.0034 lies in
    assert check_ratio("0.55", "0.37", "0.83", 0.95, "0.0034", "=").p_verdict is Verdict.EXPLAINED_BY_ROUNDING


def test_a_printed_p_just_outside_the_implied_range_is_near_and_farther_is_not_explained():
    # NCT00078572 OS: implied 0.1633-0.2247
    assert check_ratio("0.87", "0.71", "1.08", 0.95, "0.22", "=").p_verdict is Verdict.EXPLAINED_BY_ROUNDING
    assert check_ratio("0.87", "0.71", "1.08", 0.95, "0.23", "=").p_verdict is Verdict.NEAR
    assert check_ratio("0.87", "0.71", "1.08", 0.95, "0.40", "=").p_verdict is Verdict.NOT_EXPLAINED


def test_near_means_a_gap_of_at_most_a_tenth_in_z():
    check = check_ratio("0.552", "0.369", "0.826", 0.95, "0.0034", "=")
    gap = z_of_two_sided_p(0.00345) - z_of_two_sided_p(check.implied_p_range[0])
    assert 0 < gap <= NEAR_Z_GAP


def test_an_interval_including_one_gives_an_implied_p_range_up_to_one():
    check = check_ratio("1.00", "0.80", "1.25", 0.95, "0.99", "=")
    assert check.implied_p_range[1] == pytest.approx(1.0)
    assert check.p_verdict is Verdict.EXPLAINED_BY_ROUNDING


def test_an_estimate_off_the_geometric_mean_by_a_digit_is_not_explained_and_a_slight_asymmetry_is_near():
    assert check_ratio("0.69", "0.55", "0.77").estimate_verdict is Verdict.NOT_EXPLAINED
    assert check_ratio("0.66", "0.55", "0.77").estimate_verdict is Verdict.EXPLAINED_BY_ROUNDING
    assert check_ratio("0.662", "0.550", "0.770").estimate_verdict is Verdict.NEAR  # 0.016 log units off


def test_a_check_without_a_p_value_judges_the_estimate_only():
    check = check_ratio("0.65", "0.55", "0.77")
    assert check.p_verdict is None and check.printed_p is None
