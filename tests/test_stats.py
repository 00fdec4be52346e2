"""flopscope.stats: SciPy's distributions, counted per element of the broadcast output.

Values agree with ``scipy.stats`` to 1e-12 relative on a grid through both tails, the
support's ends, invalid parameters and broadcast parameters (every distribution x
method); each call charges ``numel(output) * per element`` (the counts below, written
from the documented formulas); one FLOP short raises before anything is evaluated; bad
input charges nothing; SciPy is imported only when a distribution is first evaluated.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._weights import packaged_weights

#: operations per output element (arithmetic + transcendental), from the documented
#: formulas: "norm.pdf" is the standardisation (2), exp(-z*z / 2) / sqrt(2 pi) (4 + exp),
#: / scale (1) and the checks (1): 9, one of them transcendental
COUNTS: dict[str, tuple[int, int]] = {
    "norm.pdf": (8, 1),
    "norm.logpdf": (8, 1),
    "norm.cdf": (3, 1),
    "norm.sf": (4, 1),
    "norm.ppf": (3, 1),
    "norm.isf": (4, 1),
    "uniform.pdf": (4, 0),
    "uniform.logpdf": (4, 1),
    "uniform.cdf": (3, 0),
    "uniform.sf": (4, 0),
    "uniform.ppf": (3, 0),
    "uniform.isf": (4, 0),
    "expon.pdf": (5, 1),
    "expon.logpdf": (5, 1),
    "expon.cdf": (5, 1),
    "expon.sf": (4, 1),
    "expon.ppf": (5, 1),
    "expon.isf": (4, 1),
    "cauchy.pdf": (7, 0),
    "cauchy.logpdf": (11, 3),
    "cauchy.cdf": (5, 1),
    "cauchy.sf": (4, 1),
    "cauchy.ppf": (9, 1),
    "cauchy.isf": (10, 1),
    "logistic.pdf": (8, 3),
    "logistic.logpdf": (8, 3),
    "logistic.cdf": (3, 1),
    "logistic.sf": (4, 1),
    "logistic.ppf": (3, 1),
    "logistic.isf": (4, 1),
    "laplace.pdf": (7, 1),
    "laplace.logpdf": (6, 1),
    "laplace.cdf": (8, 1),
    "laplace.sf": (8, 1),
    "laplace.ppf": (7, 1),
    "laplace.isf": (8, 1),
    "lognorm.pdf": (12, 3),
    "lognorm.logpdf": (12, 3),
    "lognorm.cdf": (4, 2),
    "lognorm.sf": (5, 2),
    "lognorm.ppf": (4, 2),
    "lognorm.isf": (5, 2),
    # truncnorm's log mass log(Phi(b) - Phi(a)) is (8, 4) at its longest case
    "truncnorm.pdf": (9 + 8, 1 + 4),
    "truncnorm.logpdf": (9 + 8, 1 + 4),
    "truncnorm.cdf": (7 + 3 * 8, 3 + 3 * 4),
    "truncnorm.sf": (7 + 3 * 8, 3 + 3 * 4),
    "truncnorm.ppf": (8 + 8, 4 + 4),
    "truncnorm.isf": (12 + 8, 5 + 4),
}
PER_ELEMENT = {name: a + t for name, (a, t) in COUNTS.items()}

#: sample shape parameters (positional, as SciPy takes them)
SHAPE_PARAMETERS: dict[str, tuple[float, ...]] = {
    "norm": (),
    "uniform": (),
    "expon": (),
    "cauchy": (),
    "logistic": (),
    "laplace": (),
    "lognorm": (0.7,),
    "truncnorm": (-1.0, 2.0),
}
DISTRIBUTIONS = tuple(SHAPE_PARAMETERS)
METHODS = ("pdf", "logpdf", "cdf", "sf", "ppf", "isf")
ROWS = [f"{d}.{m}" for d in DISTRIBUTIONS for m in METHODS]


def scipy_stats():
    import scipy.stats

    return scipy.stats


# ---------------------------------------------------------------- the surface
def test_import_flopscope_does_not_import_scipy():
    code = (
        "import sys, flopscope, flopscope.numpy\n"
        "assert 'scipy' not in sys.modules, 'import flopscope imported scipy'\n"
        "import flopscope as flops\n"
        "norm = flops.stats.norm\n"
        "assert 'scipy' not in sys.modules, 'flopscope.stats imported scipy'\n"
        "print(float(flops.stats.norm.cdf(0.0)))\n"
        "assert 'scipy.special' in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0.5"


def test_stats_is_reachable_both_ways():
    import flopscope.stats as stats

    assert flops.stats is stats
    assert "stats" in flops.__all__
    for dist in DISTRIBUTIONS:
        obj = getattr(stats, dist)
        assert obj is getattr(flops.stats, dist)
        for method in METHODS:
            fn = getattr(obj, method)
            assert callable(fn) and "FLOP cost" in fn.__doc__
    assert repr(stats.truncnorm) == "<flopscope.stats.truncnorm(a, b, loc, scale)>"
    with pytest.raises(AttributeError):
        flops.not_a_module  # noqa: B018


def test_catalog_lists_the_rows_under_stats():
    proc = subprocess.run(
        [sys.executable, "-m", "flopscope", "ops", "stats."], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    for row in ROWS:
        assert f"stats.{row} " in proc.stdout
    assert "stats: 48 counted, 0 free, 0 blocked, 0 not supported yet" in proc.stdout


# ---------------------------------------------------------------- values
# both tails, the support's ends (0 for expon and lognorm), infinities and NaN
X_GRID = np.array(
    [
        -np.inf,
        -40.0,
        -8.0,
        -3.0,
        -1.0,
        -0.5,
        0.0,
        1e-300,
        0.25,
        0.5,
        1.0,
        2.5,
        8.0,
        40.0,
        np.inf,
        np.nan,
    ]
)
# the ends q = 0 and 1, both tails, and q outside [0, 1]
Q_GRID = np.array(
    [
        0.0,
        1e-300,
        1e-12,
        1e-3,
        0.1,
        0.25,
        0.5,
        0.75,
        0.9,
        1 - 1e-3,
        1 - 1e-12,
        1.0,
        -0.1,
        1.1,
        np.nan,
    ]
)
#: truncnorm's inverses within 1e-6 of q = 0 / 1: SciPy's log-space difference (a complex
#: logsumexp) loses digits there, flopscope's keeps them (checked against the closed form
#: in test_truncnorm_inverse_tails_keep_their_digits)
Q_GRID_TRUNCNORM = Q_GRID[(Q_GRID == 0) | (Q_GRID == 1) | ~((Q_GRID < 1e-6) | (Q_GRID > 1 - 1e-6))]

PARAMETER_SETS: dict[str, list[tuple[float, ...]]] = {
    "lognorm": [(0.5,), (1.0,), (2.5,), (-1.0,), (0.0,)],
    "truncnorm": [(-1.0, 2.0), (0.5, 3.0), (-3.0, -0.5), (-np.inf, 1.0), (2.0, 1.0), (-10, 10)],
}
LOC_SCALE = [(0.0, 1.0), (0.5, 2.0), (-1.0, 0.3), (0.0, -1.0), (0.0, 0.0), (np.nan, 1.0)]


def assert_close(got, want, rtol=1e-12):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype == np.float64
    same = (np.isnan(got) & np.isnan(want)) | (got == want)
    with np.errstate(invalid="ignore"):  # inf - inf where both are infinite
        near = np.abs(got - want) <= rtol * np.abs(want)
    bad = ~(same | near)
    assert not bad.any(), f"got {got[bad]}, want {want[bad]}"


@pytest.mark.parametrize("row", ROWS)
def test_values_agree_with_scipy(row):
    dist, method = row.split(".")
    inverse = method in ("ppf", "isf")
    grid = (Q_GRID_TRUNCNORM if dist == "truncnorm" else Q_GRID) if inverse else X_GRID
    reference = getattr(getattr(scipy_stats(), dist), method)
    counted = getattr(getattr(flops.stats, dist), method)
    for shapes in PARAMETER_SETS.get(dist, [()]):
        for loc, scale in LOC_SCALE:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = reference(grid, *shapes, loc=loc, scale=scale)
            with flops.BudgetContext(10**9, quiet=True):
                got = counted(grid, *shapes, loc=loc, scale=scale)
            assert isinstance(got, fnp.ndarray)
            assert_close(got, want)


@pytest.mark.parametrize("row", ROWS)
def test_parameters_broadcast_like_scipy(row):
    dist, method = row.split(".")
    rng = np.random.default_rng(7)
    first = rng.random((1, 5)) if method in ("ppf", "isf") else rng.normal(size=(1, 5)) * 2
    if dist in ("lognorm", "expon", "uniform") and method not in ("ppf", "isf"):
        first = np.abs(first) + 0.05
    loc = np.array([[0.0], [0.5], [-0.25]])  # (3, 1)
    scale = np.array([1.0, 2.0, 0.5, 3.0, 1.5])  # (5,)
    shapes = {
        "lognorm": (np.array([[0.4], [1.0], [2.0]]),),
        "truncnorm": (np.array([-1.0, -2.0, 0.0, -0.5, -3.0]), np.array([[1.0], [2.0], [3.0]])),
    }.get(dist, ())
    want = getattr(getattr(scipy_stats(), dist), method)(first, *shapes, loc=loc, scale=scale)
    with flops.BudgetContext(10**9, quiet=True) as budget:
        got = getattr(getattr(flops.stats, dist), method)(first, *shapes, loc=loc, scale=scale)
    assert got.shape == (3, 5)
    assert_close(got, want)
    assert budget.flops_used > 0


def test_scalar_input_gives_a_scalar_like_scipy():
    with flops.BudgetContext(10**6, quiet=True):
        value = flops.stats.norm.cdf(0.0)
    assert np.ndim(value) == 0 and float(value) == 0.5
    assert not isinstance(value, np.ndarray) or value.shape == ()


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int64, np.int8, np.bool_])
def test_other_real_dtypes_compute_in_float64_like_scipy(dtype):
    x = np.array([0, 1, 2, 3]).astype(dtype)
    for method in METHODS:
        want = getattr(scipy_stats().logistic, method)(x, loc=1.0, scale=2)
        with flops.BudgetContext(10**6, quiet=True):
            got = getattr(flops.stats.logistic, method)(x, loc=1.0, scale=2)
        assert_close(got, want)


def test_truncnorm_inverse_tails_keep_their_digits():
    # closed forms: on (-inf, b), ppf(q) = ndtri(q Phi(b)) and isf(q) = ndtri((1 - q) Phi(b));
    # on [-10, 10], isf(q) = -ndtri(q Z + Phi(-10)), Z the mass
    import scipy.special as sc

    q = np.array([1e-300, 1e-20, 1e-12, 1e-9, 1e-7])
    near_one = 1 - q[2:]
    mass = sc.ndtr(10.0) - sc.ndtr(-10.0)
    with flops.BudgetContext(10**9, quiet=True):
        ppf = flops.stats.truncnorm.ppf(q, -np.inf, 1.0)
        isf = flops.stats.truncnorm.isf(near_one, -np.inf, 1.0)
        central = flops.stats.truncnorm.isf(q[2:], -10.0, 10.0)
    assert_close(ppf, sc.ndtri(q * sc.ndtr(1.0)))
    assert_close(isf, sc.ndtri((1 - near_one) * sc.ndtr(1.0)))
    assert_close(central, -sc.ndtri(q[2:] * mass + sc.ndtr(-10.0)))


def test_invalid_parameters_give_nan_like_scipy(unit_weights):
    x = np.array([-1.0, 0.0, 1.0])
    with flops.BudgetContext(10**6, quiet=True) as budget:
        zero = flops.stats.norm.pdf(x, scale=0.0)
        negative = flops.stats.expon.cdf(x, scale=-2.0)
        bad_s = flops.stats.lognorm.pdf(x + 2, -0.5)
        bad_ab = flops.stats.truncnorm.ppf(0.5, 2.0, 1.0)
    assert np.isnan(zero).all() and np.isnan(negative).all() and np.isnan(bad_s).all()
    assert np.isnan(bad_ab)
    assert budget.flops_used == 3 * 9 + 3 * 6 + 3 * 15 + 24


# ---------------------------------------------------------------- charges
@pytest.mark.parametrize("row", ROWS)
def test_charge_is_numel_times_the_documented_count(row, unit_weights):
    dist, method = row.split(".")
    counted = getattr(getattr(flops.stats, dist), method)
    first = np.full((2, 3, 4), 0.4)
    with flops.BudgetContext(10**9, quiet=True) as budget:
        counted(first, *SHAPE_PARAMETERS[dist], loc=np.zeros((3, 1)), scale=1.5)
    assert budget.flops_used == 24 * PER_ELEMENT[row]
    (record,) = budget.op_log
    assert record.op_name == f"stats.{row}"


@pytest.mark.parametrize("row", ROWS)
def test_packaged_weight_scales_the_documented_count(row):
    """With the packaged table, a call charges numel * per element * the row's own
    measured weight (each distribution method is calibrated as a whole)."""
    name = f"stats.{row}"
    weight = packaged_weights()[name]  # the row has its own entry, not the default 1
    assert flops.get_weight(name) == weight > 0
    dist, method = row.split(".")
    counted = getattr(getattr(flops.stats, dist), method)
    with flops.BudgetContext(10**9, quiet=True) as budget:
        counted(np.full(1000, 0.4), *SHAPE_PARAMETERS[dist])
    assert budget.flops_used == round(1000 * PER_ELEMENT[row] * weight)
    (record,) = budget.op_log
    assert record.flop_cost == budget.flops_used


@pytest.mark.parametrize("row", ROWS)
def test_one_flop_short_raises_and_nothing_is_evaluated(row, unit_weights, monkeypatch):
    from flopscope import _stats

    evaluated = []
    original = _stats._evaluate
    monkeypatch.setattr(
        _stats, "_evaluate", lambda *a: evaluated.append(a) or original(*a), raising=True
    )
    dist, method = row.split(".")
    counted = getattr(getattr(flops.stats, dist), method)
    cost = 6 * PER_ELEMENT[row]
    with flops.BudgetContext(cost - 1, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            counted(np.full((2, 3), 0.4), *SHAPE_PARAMETERS[dist])
    assert budget.flops_used == 0 and len(budget.op_log) == 0
    assert evaluated == []
    with flops.BudgetContext(cost, quiet=True) as budget:
        counted(np.full((2, 3), 0.4), *SHAPE_PARAMETERS[dist])
    assert budget.flops_used == cost and len(evaluated) == 1


@pytest.mark.parametrize("row", ROWS)
def test_distribution_cost_query_is_what_the_call_charges(row, unit_weights):
    dist, method = row.split(".")
    shapes = [(3, 1), *[(4,)] * len(SHAPE_PARAMETERS[dist]), (4,), ()]
    cost = flops.distribution_cost(row, shapes[0], *shapes[1:])
    assert (
        cost == flops.accounting.distribution_cost(f"stats.{row}", *shapes) == 12 * PER_ELEMENT[row]
    )
    args = [np.full(s, 0.4) for s in shapes]
    if dist == "truncnorm":
        args[2] = args[2] + 1.0  # b above a
    with flops.BudgetContext(10**9, quiet=True) as budget:
        getattr(getattr(flops.stats, dist), method)(*args)
    assert budget.flops_used == cost


def test_distribution_cost_refuses_unknown_names_and_shapes():
    with pytest.raises(ValueError, match="unknown distribution method"):
        flops.distribution_cost("norm.mean", (3,))
    with pytest.raises(ValueError, match="unknown distribution method"):
        flops.distribution_cost("exp", (3,))
    with pytest.raises(ValueError):
        flops.distribution_cost("norm.pdf", (3,), (4,))
    with pytest.raises(ValueError):
        flops.distribution_cost("norm.pdf", (-1,))


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("a",), {}),
        ((np.array(["0.5", "1"]),), {}),
        ((np.array([0.5]),), {"loc": np.array(["x"])}),
        ((["a", "b"],), {}),
        ((np.array([0.5 + 1j]),), {}),
        ((np.array([0.5], dtype=object),), {}),
        ((np.array(["2020-01-01"], dtype="datetime64[D]"),), {}),
    ],
)
def test_non_numeric_input_is_refused_and_charges_nothing(args, kwargs):
    with flops.BudgetContext(10**6, quiet=True) as budget:
        with pytest.raises(flops.UnsupportedDtypeError):
            flops.stats.norm.pdf(*args, **kwargs)
    assert budget.flops_used == 0 and len(budget.op_log) == 0


@pytest.mark.parametrize(
    ("dist", "args", "kwargs", "error"),
    [
        ("norm", (), {}, TypeError),  # no x
        ("lognorm", (1.0,), {}, TypeError),  # no s
        ("truncnorm", (1.0, 0.0), {}, TypeError),  # no b
        ("norm", (1.0, 0.0, 1.0, 5.0), {}, TypeError),  # too many
        ("norm", (1.0,), {"shape": 2.0}, TypeError),  # unknown keyword
        ("norm", (1.0, 0.0), {"loc": 1.0}, TypeError),  # loc twice
        ("norm", (np.ones(3),), {"loc": np.ones(4)}, ValueError),  # shapes do not broadcast
    ],
)
def test_bad_calls_raise_scipys_error_and_charge_nothing(dist, args, kwargs, error):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error):
            getattr(scipy_stats(), dist).pdf(*args, **kwargs)
    with flops.BudgetContext(10**6, quiet=True) as budget:
        with pytest.raises(error):
            getattr(flops.stats, dist).pdf(*args, **kwargs)
    assert budget.flops_used == 0 and len(budget.op_log) == 0


def test_keyword_first_argument_and_counted_inputs():
    x = fnp.linspace(-1.0, 1.0, 5)
    with flops.BudgetContext(10**6, quiet=True):
        by_keyword = flops.stats.norm.cdf(x=x, loc=fnp.zeros(1), scale=fnp.ones(()))
        inverse = flops.stats.norm.ppf(q=by_keyword)
    assert_close(inverse, np.linspace(-1.0, 1.0, 5), rtol=1e-12)


# ---------------------------------------------------------------- shapes (property)
@settings(max_examples=60, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=4),
    row=st.sampled_from(ROWS),
)
def test_any_broadcastable_shapes_charge_numel_of_the_broadcast(shapes, row):
    dist, method = row.split(".")
    x_shape, loc_shape, scale_shape = shapes.input_shapes
    rng = np.random.default_rng(0)
    first = rng.random(x_shape) * 0.9 + 0.05
    loc = rng.normal(size=loc_shape) * 0.1
    scale = rng.random(scale_shape) + 0.5
    flops.reset_weights()
    try:
        with flops.BudgetContext(10**9, quiet=True) as budget:
            got = getattr(getattr(flops.stats, dist), method)(
                first, *SHAPE_PARAMETERS[dist], loc=loc, scale=scale
            )
    finally:
        flops.load_weights()
    assert np.shape(got) == shapes.result_shape
    assert budget.flops_used == int(np.prod(shapes.result_shape)) * PER_ELEMENT[row]
    want = getattr(getattr(scipy_stats(), dist), method)(
        first, *SHAPE_PARAMETERS[dist], loc=loc, scale=scale
    )
    assert_close(np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64))
