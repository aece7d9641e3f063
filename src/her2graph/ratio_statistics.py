"""Checking a printed ratio estimate (hazard ratio, odds ratio ...) against its printed confidence interval
and p-value: pure functions, no RDF.

A ratio's interval is computed on the log scale, ln(R) +/- z * SE, so from a printed estimate R and a
printed (1 - alpha) interval [L, U] one can recompute (Altman & Bland, BMJ 2011;343:d2304, "How to obtain
the P value from a confidence interval"):

    SE = (ln U - ln L) / (2 * z)            z = the standard normal quantile of 1 - alpha/2 (1.96 for 95%)
    geometric mean of the interval = sqrt(L * U), which equals R up to rounding
    implied two-sided p = 2 * (1 - Phi(|ln R| / SE))

The printed numbers are rounded: "0.34" stands for anything in [0.335, 0.345]. So each check works on
ranges: the estimate, the bounds and a printed "P = 0.210" each cover half a unit of their last printed
digit either side, and a check asks whether some numbers inside those ranges agree. The verdicts:

- EXPLAINED_BY_ROUNDING: the printed numbers agree once their rounding is allowed for;
- EXPLAINED_IF_ONE_SIDED: only a one-sided p-value (half the two-sided one) agrees;
- NEAR: rounding does not explain it, but the gap is small (at most NEAR_Z_GAP in z, NEAR_LOG_GAP in ln R):
  what a different test than the Wald test the interval implies gives (a log-rank or stratified test), or
  a slightly asymmetric interval (profile likelihood);
- NOT_EXPLAINED: neither rounding nor such a difference explains it: a misprint, a misread digit, or a
  number of another result.

Why our own code: the computation is a few lines of the standard normal distribution (the standard
library's statistics.NormalDist); what no library provides is the reasoning about printed precision.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from statistics import NormalDist

NEAR_Z_GAP = 0.1
"""Largest gap in z between the implied and the printed p-value still called NEAR: the Wald z the interval
implies and a log-rank or score test's z on the same trial differ by a few hundredths to a tenth."""
NEAR_LOG_GAP = 0.02
"""Largest gap in ln(ratio) between the estimate and the interval's geometric mean still called NEAR: a
profile-likelihood or stratified interval is asymmetric on the log scale by up to about this much."""

_STANDARD_NORMAL = NormalDist()
_NUMERAL = re.compile(r"^\s*(\d+(?:\.(\d+))?|\.(\d+))\s*$")


class Verdict(Enum):
    EXPLAINED_BY_ROUNDING = "explained by rounding"
    EXPLAINED_IF_ONE_SIDED = "explained if the p-value is one-sided"
    NEAR = "near: not rounding, but a small difference such as another test's p-value gives"
    NOT_EXPLAINED = "not explained by rounding"

    @property
    def is_consistent(self) -> bool:
        return self in (Verdict.EXPLAINED_BY_ROUNDING, Verdict.EXPLAINED_IF_ONE_SIDED)


class PrintedNumberError(ValueError):
    """A printed number that is not a plain decimal numeral, or an interval that is not an interval."""


@dataclass(frozen=True)
class PrintedNumber:
    """A number as printed: its text, its value, and the half unit of its last digit (its rounding)."""

    text: str
    value: Decimal
    decimals: int

    @classmethod
    def parse(cls, text: str | Decimal | float | int) -> "PrintedNumber":
        """'0.210' -> value 0.210, 3 decimals. Accepts '.008' (as journals print p-values)."""
        string = str(text)
        match = _NUMERAL.match(string)
        if not match:
            raise PrintedNumberError(f"{string!r} is not a plain decimal numeral such as 0.21")
        digits = match.group(2) or match.group(3) or ""
        try:
            value = Decimal(string.strip())
        except InvalidOperation:  # the pattern admits nothing Decimal refuses; kept for safety
            raise PrintedNumberError(f"{string!r} is not a number") from None
        return cls(string.strip(), value, len(digits))

    @property
    def half_unit(self) -> Decimal:
        return Decimal(5) / Decimal(10) ** (self.decimals + 1)

    @property
    def low(self) -> float:
        """The smallest number that prints as this (never below 0)."""
        return max(float(self.value - self.half_unit), 0.0)

    @property
    def high(self) -> float:
        return float(self.value + self.half_unit)


def printed_range(text: str | Decimal | float) -> tuple[float, float]:
    """The numbers that round to `text` as printed: '0.34' -> (0.335, 0.345)."""
    number = PrintedNumber.parse(text)
    return number.low, number.high


def agree_within_rounding(first: str | Decimal, second: str | Decimal) -> bool:
    """Whether two printings can be of one number: '0.21' and '0.210' agree, '0.21' and '0.22' do not (the
    ranges they round from only touch, at 0.215, which rounds to one of them)."""
    a, b = PrintedNumber.parse(first), PrintedNumber.parse(second)
    return a.low < b.high and b.low < a.high


def z_quantile(level: float) -> float:
    """The two-sided standard normal quantile of a confidence level: 1.959964 for 0.95."""
    if not 0 < level < 1:
        raise PrintedNumberError(f"a confidence level is a fraction between 0 and 1, not {level}")
    return _STANDARD_NORMAL.inv_cdf(1 - (1 - level) / 2)


def standard_error(lower: float, upper: float, level: float = 0.95) -> float:
    """SE of ln(ratio) from the interval: (ln U - ln L) / (2 z)."""
    if not 0 < lower < upper:
        raise PrintedNumberError(f"a ratio's interval needs 0 < lower < upper, not {lower}-{upper}")
    return (math.log(upper) - math.log(lower)) / (2 * z_quantile(level))


def geometric_mean(lower: float, upper: float) -> float:
    """The centre of a log-scale interval: sqrt(L * U)."""
    return math.sqrt(lower * upper)


def two_sided_p(estimate: float, se: float) -> float:
    """The Wald test's two-sided p-value of ln(estimate) = 0."""
    return 2 * (1 - _STANDARD_NORMAL.cdf(abs(math.log(estimate)) / se))


def z_of_two_sided_p(p: float) -> float:
    """The |z| whose two-sided p-value is p (infinite for p = 0)."""
    if p <= 0:
        return math.inf
    if p >= 1:
        return 0.0
    return _STANDARD_NORMAL.inv_cdf(1 - p / 2)


@dataclass(frozen=True)
class RatioCheck:
    """What the printed numbers of one ratio estimate imply, and the verdicts on its estimate and p-value."""

    estimate: PrintedNumber
    lower: PrintedNumber
    upper: PrintedNumber
    level: float
    p_value: PrintedNumber | None
    p_relation: str | None
    standard_error: float
    geometric_mean: float
    geometric_mean_range: tuple[float, float]
    implied_p: float
    implied_p_range: tuple[float, float]
    estimate_verdict: Verdict
    p_verdict: Verdict | None

    @property
    def printed_p(self) -> str | None:
        return None if self.p_value is None else f"P {self.p_relation} {self.p_value.text}"

    def estimate_message(self) -> str:
        low, high = self.geometric_mean_range
        return (f"The estimate {self.estimate.text} and the geometric mean of its interval "
                f"{self.lower.text}-{self.upper.text}, {self.geometric_mean:.4f} ({low:.4f} to {high:.4f} "
                f"allowing for rounding), are {self.estimate_verdict.value}.")

    def p_message(self) -> str:
        low, high = self.implied_p_range
        return (f"The {self.level * 100:g}% interval {self.lower.text}-{self.upper.text} and estimate "
                f"{self.estimate.text} imply SE(ln ratio) = {self.standard_error:.4f} and a two-sided "
                f"p = {_p_text(self.implied_p)} ({_p_text(low)} to {_p_text(high)} allowing for rounding); "
                f"the printed {self.printed_p} is {self.p_verdict.value}.")


def check_ratio(estimate: str | Decimal, lower: str | Decimal, upper: str | Decimal, level: float | str = 0.95,
                p_value: str | Decimal | None = None, p_relation: str | None = "=") -> RatioCheck:
    """Check a ratio estimate's printed numbers against each other. `p_relation` is '=' or '<'."""
    est, low, high = (PrintedNumber.parse(value) for value in (estimate, lower, upper))
    level = float(level)
    if not (0 < low.value < high.value):
        raise PrintedNumberError(f"a ratio's interval needs 0 < lower < upper, not {low.text}-{high.text}")
    if est.value <= 0:
        raise PrintedNumberError(f"a ratio estimate is above 0, not {est.text}")
    p = None if p_value is None else PrintedNumber.parse(p_value)
    if p is not None and p_relation not in ("=", "<"):
        raise PrintedNumberError(f"a p-value's relation is '=' or '<', not {p_relation!r}")
    se = standard_error(float(low.value), float(high.value), level)
    implied_range = _implied_p_range(est, low, high, level)
    return RatioCheck(
        estimate=est, lower=low, upper=high, level=level, p_value=p, p_relation=p_relation if p else None,
        standard_error=se,
        geometric_mean=geometric_mean(float(low.value), float(high.value)),
        geometric_mean_range=(geometric_mean(low.low, high.low), geometric_mean(low.high, high.high)),
        implied_p=two_sided_p(float(est.value), se),
        implied_p_range=implied_range,
        estimate_verdict=_estimate_verdict(est, low, high),
        p_verdict=None if p is None else _p_verdict(p, p_relation, implied_range),
    )


def _implied_p_range(est: PrintedNumber, low: PrintedNumber, high: PrintedNumber, level: float) -> tuple[float, float]:
    """The least and greatest two-sided p any numbers that print as these give."""
    z = z_quantile(level)
    if low.low <= 0:  # a lower bound printed as 0.00: the interval's width has no upper limit
        se_max = math.inf
    else:
        se_max = (math.log(high.high) - math.log(low.low)) / (2 * z)
    se_min = (math.log(max(high.low, low.high)) - math.log(low.high)) / (2 * z)
    log_low, log_high = math.log(max(est.low, 1e-300)), math.log(est.high)
    distance_min = 0.0 if log_low <= 0 <= log_high else min(abs(log_low), abs(log_high))
    distance_max = max(abs(log_low), abs(log_high))
    z_max = math.inf if se_min == 0 else distance_max / se_min
    z_min = 0.0 if se_max == math.inf else distance_min / se_max
    return 2 * (1 - _STANDARD_NORMAL.cdf(z_max)), 2 * (1 - _STANDARD_NORMAL.cdf(z_min))


def _p_verdict(p: PrintedNumber, relation: str, implied: tuple[float, float]) -> Verdict:
    implied_low, implied_high = implied
    if relation == "<":
        printed_low, printed_high = 0.0, float(p.value)
        overlaps = implied_low < printed_high
        one_sided = implied_low / 2 < printed_high
    else:
        printed_low, printed_high = p.low, p.high
        overlaps = implied_low <= printed_high and printed_low <= implied_high
        one_sided = implied_low / 2 <= printed_high and printed_low <= implied_high / 2
    if overlaps:
        return Verdict.EXPLAINED_BY_ROUNDING
    if one_sided:
        return Verdict.EXPLAINED_IF_ONE_SIDED
    gap = _gap((z_of_two_sided_p(implied_high), z_of_two_sided_p(implied_low)),
               (z_of_two_sided_p(printed_high), z_of_two_sided_p(printed_low)))
    return Verdict.NEAR if gap <= NEAR_Z_GAP else Verdict.NOT_EXPLAINED


def _estimate_verdict(est: PrintedNumber, low: PrintedNumber, high: PrintedNumber) -> Verdict:
    centre = (math.log(geometric_mean(low.low, high.low)), math.log(geometric_mean(low.high, high.high)))
    estimate = (math.log(max(est.low, 1e-300)), math.log(est.high))
    gap = _gap(centre, estimate)
    if gap == 0:
        return Verdict.EXPLAINED_BY_ROUNDING
    return Verdict.NEAR if gap <= NEAR_LOG_GAP else Verdict.NOT_EXPLAINED


def _gap(first: tuple[float, float], second: tuple[float, float]) -> float:
    """The distance between two closed ranges (0 when they overlap)."""
    return max(0.0, second[0] - first[1], first[0] - second[1])


def _p_text(p: float) -> str:
    return f"{p:.2g}" if p < 0.001 else f"{p:.4f}"
