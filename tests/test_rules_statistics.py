"""Property tests of the statistics rules (``_rules/statistics.py``): quantiles and
medians, averages, histograms and binning, covariance, differences, gradients,
integration and interpolation.

Every expected count below is written from the documented formula, independently of the
rules: a selection over a slice of n costs n per quantile, a binary search into m
sorted values ``ceil(log2(m + 1))`` per query, a sort ``n * ceil(log2 n)``. Charges are
taken through the public functions (fnp and NumPy's own functions on counted arrays)
and results compared with plain NumPy.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._registry import REGISTRY
from samples import unit_weights

SETTINGS = settings(max_examples=50, deadline=None)
BIG = 10**15


def numel(shape):
    return math.prod(shape)


def cl(k):
    """ceil(log2 k): comparisons of a binary search with k outcomes (0 for k <= 1)."""
    return math.ceil(math.log2(k)) if k > 1 else 0


def srt(n):
    return n * math.ceil(math.log2(n)) if n > 1 else 0


def charged(fn, *args, fma_cost=1, **kwargs):
    with (
        unit_weights(fma_cost),
        flops.BudgetContext(flop_budget=BIG, quiet=True) as budget,
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
    ):
        warnings.simplefilter("ignore", RuntimeWarning)
        result = fn(*args, **kwargs)
    assert type(budget.flops_used) is int
    return result, budget.flops_used


def numpy_value(fn, *args, **kwargs):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args, **kwargs)


def assert_same(result, expected):
    if isinstance(expected, (tuple, list)):
        assert type(result) is type(expected) and len(result) == len(expected)
        for r, e in zip(result, expected):
            assert_same(r, e)
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(result, fnp.ndarray)
    assert np.asarray(result).dtype == np.asarray(expected).dtype
    assert np.shape(result) == np.shape(expected)
    np.testing.assert_array_equal(np.asarray(result), np.asarray(expected))


def refused_like_numpy(fn, np_fn, *args, counted_args=None, **kwargs):
    """NumPy refuses the call: flopscope raises the same error type and charges nothing
    (``fn`` called with ``counted_args`` when given, else with the same arguments)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(Exception) as np_info:
            np_fn(*args, **kwargs)
        with unit_weights(), flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
            with pytest.raises(type(np_info.value)):
                fn(*(args if counted_args is None else counted_args), **kwargs)
    assert budget.flops_used == 0 and len(budget.op_log) == 0


def data(shape, seed=0):
    return np.random.default_rng(seed).random(shape)


shapes_st = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)
nonempty_st = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)


def axis_st(ndim):
    """None, an int (either sign) or a tuple of distinct axes."""
    if ndim == 0:
        return st.none()
    one = st.integers(-ndim, ndim - 1)
    many = st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple)
    return st.one_of(st.none(), one, many)


def reduced(shape, axis):
    """(elements per slice, number of slices), written out independently."""
    if axis is None:
        return numel(shape), 1
    axes = {a % len(shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
    n = numel([d for i, d in enumerate(shape) if i in axes])
    slices = numel([d for i, d in enumerate(shape) if i not in axes])
    return n, slices


# ---------------------------------------------------------------------- quantiles
@SETTINGS
@given(shapes_st.flatmap(lambda s: st.tuples(st.just(s), axis_st(len(s)))), st.booleans())
def test_median_is_a_selection_per_slice_plus_three_per_output(shape_axis, keepdims):
    shape, axis = shape_axis
    x = data(shape)
    try:
        expected = numpy_value(np.median, x, axis=axis, keepdims=keepdims)
    except ValueError:  # NumPy cannot reshape some all-empty inputs: refused alike
        refused_like_numpy(fnp.median, np.median, x, axis=axis, keepdims=keepdims)
        return
    result, cost = charged(fnp.median, x, axis=axis, keepdims=keepdims)
    n, slices = reduced(shape, axis)
    assert cost == slices * (n + 3)
    assert_same(result, expected)
    nan_result, nan_cost = charged(fnp.nanmedian, x, axis, None, False, keepdims)
    assert nan_cost == numel(shape) + slices * (n + 3)
    assert_same(nan_result, numpy_value(np.nanmedian, x, axis=axis, keepdims=keepdims))


QUANTILE_METHODS = [
    "inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
    "hazen", "weibull", "linear", "median_unbiased", "normal_unbiased",
    "lower", "higher", "midpoint", "nearest",
]  # fmt: skip


@SETTINGS
@given(
    nonempty_st.flatmap(lambda s: st.tuples(st.just(s), axis_st(len(s)))),
    hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3),
    st.sampled_from(QUANTILE_METHODS),
    st.booleans(),
)
def test_quantile_costs_a_selection_per_requested_quantile(shape_axis, q_shape, method, pct):
    shape, axis = shape_axis
    x = data(shape, 1)
    q = data(q_shape, 2)
    fn, np_fn, qv = (fnp.percentile, np.percentile, q * 100) if pct else (
        fnp.quantile, np.quantile, q)  # fmt: skip
    expected = numpy_value(np_fn, x, qv, axis=axis, method=method)
    result, cost = charged(fn, x, qv, axis, method=method)
    n, slices = reduced(shape, axis)
    n_q = numel(q_shape)
    assert cost == n_q * slices * (n + 3)  # the same for every method
    assert_same(result, expected)
    nan_fn = fnp.nanpercentile if pct else fnp.nanquantile
    _, nan_cost = charged(nan_fn, x, qv, axis=axis, method=method, keepdims=True)
    assert nan_cost == numel(shape) + cost


@SETTINGS
@given(nonempty_st.flatmap(lambda s: st.tuples(st.just(s), axis_st(len(s)))), st.integers(1, 4))
def test_weighted_quantile_sorts_accumulates_and_searches_each_slice(shape_axis, n_q):
    shape, axis = shape_axis
    x, w = data(shape, 3), data(shape, 4) + 0.1
    q = np.linspace(0.1, 0.9, n_q)
    expected = np.quantile(x, q, axis=axis, weights=w, method="inverted_cdf")
    result, cost = charged(fnp.quantile, x, q, axis=axis, weights=w, method="inverted_cdf")
    n, slices = reduced(shape, axis)
    assert cost == slices * (srt(n) + 2 * n + n_q * cl(n + 1))
    assert_same(result, expected)


def test_quantile_on_an_empty_array_is_refused_like_numpy():
    refused_like_numpy(fnp.quantile, np.quantile, np.zeros(0), 0.5)
    refused_like_numpy(fnp.percentile, np.percentile, data(5), 101)
    refused_like_numpy(fnp.median, np.median, data((2, 3)), axis=(0, 0))
    refused_like_numpy(fnp.quantile, np.quantile, data(5), 0.5, weights=data(5))  # method


# ---------------------------------------------------------------------- average
@SETTINGS
@given(nonempty_st.flatmap(lambda s: st.tuples(st.just(s), st.integers(-len(s), len(s) - 1))))
def test_weighted_average_counts_products_sums_and_the_weight_total(shape_axis):
    shape, axis = shape_axis
    x = data(shape, 5)
    full_w, axis_w = data(shape, 6) + 0.1, data(shape[axis], 7) + 0.1
    _, plain_cost = charged(fnp.average, x, axis)
    assert plain_cost == numel(shape)
    for w in (full_w, axis_w):
        expected = np.average(x, axis, w, returned=True)
        result, cost = charged(fnp.average, x, axis=axis, weights=w, returned=True)
        assert cost == 2 * numel(shape) + w.size
        assert_same(result, expected)


def test_weighted_average_no_longer_costs_a_plain_mean():
    x, w = data((100,)), data((100,))
    assert charged(fnp.average, x, weights=w)[1] > charged(fnp.mean, x)[1]


# ---------------------------------------------------------------------- histograms
@SETTINGS
@given(
    shapes_st,
    st.integers(1, 20),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_histogram_with_equal_bins_is_four_per_value(shape, bins, ranged, weighted, density):
    x = data(shape, 8)
    n = numel(shape)
    kwargs = {}
    if ranged:
        kwargs["range"] = (0.0, 1.0)
    if weighted:
        kwargs["weights"] = data(shape, 9)
    if density:
        kwargs["density"] = True
    expected = numpy_value(np.histogram, x, bins, **kwargs)
    result, cost = charged(fnp.histogram, x, bins, **kwargs)
    span = 0 if ranged else 2 * n
    assert cost == span + (bins + 1) + 4 * n + n * weighted + bins * density
    assert_same(result, expected)
    edges, edge_cost = charged(fnp.histogram_bin_edges, x, bins, kwargs.get("range"))
    assert edge_cost == span + bins + 1
    assert_same(edges, np.histogram_bin_edges(x, bins, kwargs.get("range")))


@SETTINGS
@given(st.integers(0, 60), st.integers(1, 12), st.booleans())
def test_histogram_with_given_edges_is_a_binary_search_per_value(n, m, density):
    x = data(n, 10)
    edges = np.sort(data(m, 11))
    expected = numpy_value(np.histogram, x, edges, density=density)
    result, cost = charged(fnp.histogram, x, edges, density=density)
    assert cost == n * cl(m + 1) + n + (m - 1) * density
    assert_same(result, expected)


@pytest.mark.parametrize(
    ("estimator", "work"),
    [
        ("sqrt", lambda n: 2 * n),
        ("sturges", lambda n: 2 * n),
        ("rice", lambda n: 2 * n),
        ("scott", lambda n: n),
        ("fd", lambda n: 2 * (n + 3)),
        ("doane", lambda n: 8 * n if n > 2 else 0),
        ("auto", lambda n: 2 * (n + 3) + 4 * n),
        ("stone", lambda n: 2 * n + sum(4 * n + 3 * k + 1 for k in range(1, max(100, math.isqrt(n)) + 1)) if n > 1 else 2 * n),
    ],
)  # fmt: skip
@pytest.mark.parametrize("n", [0, 1, 2, 3, 50, 200])
def test_histogram_string_estimators_charge_their_own_work(estimator, work, n):
    x = data(n, 12)
    expected = numpy_value(np.histogram, x, estimator)
    result, cost = charged(fnp.histogram, x, estimator)
    est = work(n) if n else 0
    assert cost == 2 * n + est + 4 * n
    assert_same(result, expected)
    # the data-chosen bin count is not priced: density costs nothing more
    assert charged(fnp.histogram, x, estimator, density=True)[1] == cost
    # the cost does not depend on the values
    assert charged(fnp.histogram, np.zeros(n), estimator)[1] == cost


@SETTINGS
@given(
    st.integers(0, 30),
    st.lists(st.one_of(st.integers(1, 6), st.integers(2, 6).map(lambda m: -m)), min_size=1,
             max_size=3),
    st.booleans(),
    st.booleans(),
)  # fmt: skip
def test_histogramdd_searches_every_dimension(n, spec, density, weighted):
    d = len(spec)
    sample = data((n, d), 13)
    bins = [b if b > 0 else np.linspace(0.0, 1.0, -b) for b in spec]
    kwargs = {"density": density}
    if weighted:
        kwargs["weights"] = data(n, 14)
    expected = numpy_value(np.histogramdd, sample, bins, **kwargs)
    result, cost = charged(fnp.histogramdd, sample, bins, **kwargs)
    want = n + n * weighted
    cells = 1
    for b in spec:
        m = b + 1 if b > 0 else -b
        want += (2 * n + b + 1 if b > 0 else 0) + n * cl(m + 1)
        cells *= m - 1
    assert cost == want + cells * density
    hist, edges = result
    assert_same(hist, expected[0])
    for e, want_e in zip(edges, expected[1]):
        assert_same(e, want_e)


@SETTINGS
@given(st.integers(0, 40), st.integers(1, 8), st.integers(1, 8))
def test_histogram2d_is_histogramdd_of_the_pairs(n, bx, by):
    x, y = data(n, 15), data(n, 16)
    expected = numpy_value(np.histogram2d, x, y, [bx, by])
    result, cost = charged(fnp.histogram2d, x, y, [bx, by])
    assert cost == (2 * n + bx + 1 + n * cl(bx + 2)) + (2 * n + by + 1 + n * cl(by + 2)) + n
    assert_same(result, expected)
    _, dd_cost = charged(fnp.histogramdd, np.stack([x, y], axis=1), [bx, by])
    assert dd_cost == cost


@SETTINGS
@given(shapes_st, st.integers(0, 10))
def test_bincount_and_digitize(shape, m):
    x = np.random.default_rng(17).integers(0, 6, numel(shape))
    w = data(x.shape, 18)
    assert charged(fnp.bincount, x)[1] == x.size
    result, cost = charged(fnp.bincount, x, weights=w, minlength=3)
    assert cost == 2 * x.size
    assert_same(result, np.bincount(x, weights=w, minlength=3))
    v = data(shape, 19)
    bins = np.sort(data(m, 20))
    result, cost = charged(fnp.digitize, v, bins, True)
    assert cost == numel(shape) * cl(m + 1)
    assert_same(result, np.digitize(v, bins, True))


@SETTINGS
@given(shapes_st, st.integers(1, 12), st.booleans())
def test_interp_searches_then_interpolates_each_point(shape, m, periodic):
    x = data(shape, 21)
    xp = np.sort(data(m, 22))
    fp = data(m, 23)
    kwargs = {"period": 1.0} if periodic else {}
    expected = np.interp(x, xp, fp, **kwargs)
    result, cost = charged(fnp.interp, x, xp, fp, **kwargs)
    n = numel(shape)
    if periodic:
        assert cost == n + m + srt(m) + n * cl(m + 3) + 6 * n
    else:
        assert cost == n * cl(m + 1) + 6 * n
    assert_same(result, expected)


# ---------------------------------------------------------------------- covariance
#: ``cov(m, rowvar=False)`` reads a one-row 2-D ``m`` as one observation of its columns
#: (NumPy 2.0 read it as one variable over its columns, as every version reads ``y``)
COV_TRANSPOSES_ONE_ROW = numpy_value(np.cov, [[1.0, 2.0]], rowvar=False).shape == (2, 2)


@SETTINGS
@given(
    st.integers(1, 5),
    st.integers(1, 6),
    st.integers(0, 3),
    st.booleans(),
    st.sampled_from([(), ("fweights",), ("aweights",), ("fweights", "aweights")]),
)
def test_cov_centres_contracts_and_scales(p, n, q, rowvar, weights):
    m = data((p, n) if rowvar else (n, p), 24)
    y = data((q, n) if rowvar else (n, q), 25) if q else None
    kwargs = {"rowvar": rowvar}
    rng = np.random.default_rng(26)
    if "fweights" in weights:
        kwargs["fweights"] = rng.integers(1, 4, n)
    if "aweights" in weights:
        kwargs["aweights"] = data(n, 27) + 0.1
    pp, nn = p + q, n  # variables, observations
    if not rowvar and n == 1:  # NumPy leaves a (1, q) y untransposed
        if COV_TRANSPOSES_ONE_ROW:  # m is p variables of one observation: y must be one
            refuse = q > 1
        else:  # NumPy 2.0 leaves m untransposed too: one variable (each) over p values
            pp, nn = 1 + (q > 0), p
            refuse = (q and q != p) or (weights and p != 1)  # n = 1 weight per observation
        if refuse:
            refused_like_numpy(fnp.cov, np.cov, m, y, **kwargs)
            return
    expected = numpy_value(np.cov, m, y, **kwargs)
    result, cost = charged(fnp.cov, m, y, **kwargs)
    want = pp * nn + pp * pp * nn + pp * pp
    if weights:
        want += pp * nn + len(weights) * nn
    assert cost == want
    assert_same(result, expected)
    # a contraction: fma_cost=2 doubles the whole count
    assert charged(fnp.cov, m, y, fma_cost=2, **kwargs)[1] == 2 * want
    if not weights:
        result, cost = charged(fnp.corrcoef, m, y, rowvar)
        assert cost == want + pp * pp
        assert_same(result, numpy_value(np.corrcoef, m, y, rowvar))


def test_cov_of_one_row_with_rowvar_false_follows_the_installed_numpy():
    m = data((1, 3), 28)
    # 3 variables of one observation; NumPy 2.0: one variable of 3 observations
    p, n = (3, 1) if COV_TRANSPOSES_ONE_ROW else (1, 3)
    want = p * n + p * p * n + p * p
    for fn, np_fn, extra in ((fnp.cov, np.cov, 0), (fnp.corrcoef, np.corrcoef, p * p)):
        result, cost = charged(fn, m, rowvar=False)
        assert cost == want + extra
        assert_same(result, numpy_value(np_fn, m, rowvar=False))
    assert np.shape(result) == ((3, 3) if COV_TRANSPOSES_ONE_ROW else ())


def test_cov_of_one_dimensional_data_and_of_no_variables():
    _, cost = charged(fnp.cov, data(7))
    assert cost == 7 + 7 + 1
    result, cost = charged(fnp.cov, np.zeros((0, 5)))
    assert cost == 0 and result.shape == (0, 0)
    refused_like_numpy(fnp.cov, np.cov, data((2, 2, 2)))
    refused_like_numpy(fnp.cov, np.cov, data((2, 3)), data((2, 4)))
    refused_like_numpy(fnp.cov, np.cov, data((2, 3)), ddof=1.5)
    refused_like_numpy(fnp.corrcoef, np.corrcoef, data((2, 3)), data(4))


# ---------------------------------------------------------------------- differences
@SETTINGS
@given(
    nonempty_st.flatmap(lambda s: st.tuples(st.just(s), st.integers(-len(s), len(s) - 1))),
    st.integers(0, 7),
    st.integers(0, 2),
    st.integers(0, 2),
)
def test_diff_counts_the_output_of_every_order(shape_axis, order, pre, post):
    shape, axis = shape_axis
    x = data(shape, 28)
    ax = axis % len(shape)
    kwargs = {}
    if pre:  # a scalar (one value along the axis) or an array of two
        kwargs["prepend"] = 0.5 if pre == 1 else data((*shape[:ax], 2, *shape[ax + 1 :]), 29)
    if post:
        kwargs["append"] = 0.5 if post == 1 else data((*shape[:ax], 2, *shape[ax + 1 :]), 30)
    expected = np.diff(x, order, axis, **kwargs)
    result, cost = charged(fnp.diff, x, n=order, axis=axis, **kwargs)
    length = shape[ax] + pre + post
    others = numel(shape) // shape[ax]
    assert cost == sum(others * max(length - k, 0) for k in range(1, order + 1))
    assert_same(result, expected)


@SETTINGS
@given(shapes_st)
def test_ediff1d_and_unwrap(shape):
    x = data(shape, 31) * 10
    result, cost = charged(fnp.ediff1d, x, to_begin=[0.0])
    assert cost == max(numel(shape) - 1, 0)
    assert_same(result, np.ediff1d(x, to_begin=[0.0]))
    if not shape:
        refused_like_numpy(fnp.unwrap, np.unwrap, x)
        return
    result, cost = charged(fnp.unwrap, x, axis=0)
    assert cost == 10 * (numel(shape) - numel(shape) // shape[0] if shape[0] else 0)
    assert_same(result, np.unwrap(x, axis=0))


@SETTINGS
@given(
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=3, max_side=5),
    st.sampled_from([1, 2]),
    st.data(),
)
def test_gradient_per_axis_interior_and_boundary(shape, edge_order, draw):
    ndim = len(shape)
    axes = draw.draw(
        st.one_of(st.none(), st.lists(st.integers(0, ndim - 1), min_size=1, unique=True))
    )
    used = list(range(ndim)) if axes is None else axes
    coords = draw.draw(st.lists(st.booleans(), min_size=len(used), max_size=len(used)))
    spacing = [np.cumsum(data(shape[a], 32)) if c else 0.5 for a, c in zip(used, coords)]
    f = data(shape, 33)
    kwargs = {"edge_order": edge_order}
    if axes is not None:
        kwargs["axis"] = tuple(axes)
    expected = np.gradient(f, *spacing, **kwargs)
    result, cost = charged(fnp.gradient, f, *spacing, **kwargs)
    want = 0
    for a, c in zip(used, coords):
        n = shape[a]
        slices = numel(shape) // n
        want += slices * (n - 2) * (5 if c else 2) + slices * 2 * (2 if edge_order == 1 else 5)
        if c:
            want += (n - 1) + 10 * (n - 2)
    assert cost == want
    assert_same(result, expected)


def test_gradient_refusals_charge_nothing():
    refused_like_numpy(fnp.gradient, np.gradient, data(2), edge_order=2)
    refused_like_numpy(fnp.gradient, np.gradient, data((3, 3)), 1.0, 2.0, 3.0)
    refused_like_numpy(fnp.gradient, np.gradient, data(4), data(3))
    refused_like_numpy(fnp.gradient, np.gradient, data(4), edge_order=3)


@SETTINGS
@given(
    nonempty_st.flatmap(lambda s: st.tuples(st.just(s), st.integers(-len(s), len(s) - 1))),
    st.sampled_from(["none", "dx", "1d", "nd"]),
)
def test_trapezoid_four_per_interval_plus_the_widths(shape_axis, how):
    shape, axis = shape_axis
    y = data(shape, 34)
    ax = axis % len(shape)
    n = shape[ax]
    intervals = numel(shape) // n * max(n - 1, 0) if n else 0
    kwargs = {"axis": axis}
    if how == "dx":
        kwargs["dx"] = 0.25
    elif how == "1d":
        kwargs["x"] = np.cumsum(data(n, 35))
    elif how == "nd":
        kwargs["x"] = np.cumsum(data(shape, 36), axis=ax)
    expected = np.trapezoid(y, **kwargs)
    result, cost = charged(fnp.trapezoid, y, **kwargs)
    widths = {"none": 0, "dx": 0, "1d": max(n - 1, 0), "nd": intervals}[how]
    assert cost == 4 * intervals + widths
    assert_same(result, expected)


def test_trapezoid_with_broadcast_widths_prices_the_broadcast_products():
    y = data((1, 5), 37)
    x = np.cumsum(data((3, 5), 38), axis=1)
    result, cost = charged(fnp.trapezoid, y, x)
    assert cost == 3 * 4 + 4 + 3 * 3 * 4  # widths, pair sums, 3 x the broadcast products
    assert_same(result, np.trapezoid(y, x))


def test_trapz_twin_is_billed_as_trapezoid_where_numpy_has_it():
    if hasattr(np, "trapz"):
        op = REGISTRY["trapz"]
        assert op.billing_name == "trapezoid"
    else:
        assert "trapz" not in REGISTRY


# ---------------------------------------------------------------------- NumPy's functions
M = data((4, 6), 40)
V = data(30, 41)
CALLS = {
    "median": lambda x: np.median(x, axis=1),
    "nanmedian": lambda x: np.nanmedian(x),
    "percentile": lambda x: np.percentile(x, [10, 90], axis=0),
    "quantile": lambda x: np.quantile(x, 0.3, method="lower"),
    "nanpercentile": lambda x: np.nanpercentile(x, 50, axis=1),
    "nanquantile": lambda x: np.nanquantile(x, [0.2, 0.4]),
    "average": lambda x: np.average(x, axis=0, weights=np.arange(1.0, 5.0)),
    "histogram": lambda x: np.histogram(x, bins=5),
    "histogram_bin_edges": lambda x: np.histogram_bin_edges(x, "fd"),
    "histogram2d": lambda x: np.histogram2d(x[0], x[1], bins=3),
    "histogramdd": lambda x: np.histogramdd(x.T, bins=2),
    "digitize": lambda x: np.digitize(x, [0.25, 0.5, 0.75]),
    "interp": lambda x: np.interp(x, [0.0, 0.5, 1.0], [1.0, 3.0, 2.0]),
    "cov": lambda x: np.cov(x),
    "corrcoef": lambda x: np.corrcoef(x, rowvar=False),
    "diff": lambda x: np.diff(x, 2, axis=0),
    "ediff1d": lambda x: np.ediff1d(x),
    "unwrap": lambda x: np.unwrap(x * 10),
    "gradient": lambda x: np.gradient(x, 0.5),
    "trapezoid": lambda x: np.trapezoid(x, dx=0.1, axis=0),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_numpy_function_on_a_counted_array_is_charged_like_fnp(name):
    call = CALLS[name]
    counted = fnp.asarray(M)
    expected = numpy_value(call, M)
    via_numpy, cost = charged(call, counted)
    # the same call through flopscope.numpy (the arithmetic inside the lambda included)
    via_fnp, fnp_cost = charged(_fnp_call, name, counted)
    assert cost == fnp_cost > 0
    assert_same(via_numpy, expected)
    assert_same(via_fnp, expected)


def _fnp_call(name, x):
    """CALLS[name] written with flopscope.numpy."""
    return {
        "median": lambda: fnp.median(x, axis=1),
        "nanmedian": lambda: fnp.nanmedian(x),
        "percentile": lambda: fnp.percentile(x, [10, 90], axis=0),
        "quantile": lambda: fnp.quantile(x, 0.3, method="lower"),
        "nanpercentile": lambda: fnp.nanpercentile(x, 50, axis=1),
        "nanquantile": lambda: fnp.nanquantile(x, [0.2, 0.4]),
        "average": lambda: fnp.average(x, axis=0, weights=np.arange(1.0, 5.0)),
        "histogram": lambda: fnp.histogram(x, bins=5),
        "histogram_bin_edges": lambda: fnp.histogram_bin_edges(x, "fd"),
        "histogram2d": lambda: fnp.histogram2d(x[0], x[1], bins=3),
        "histogramdd": lambda: fnp.histogramdd(x.T, bins=2),
        "digitize": lambda: fnp.digitize(x, [0.25, 0.5, 0.75]),
        "interp": lambda: fnp.interp(x, [0.0, 0.5, 1.0], [1.0, 3.0, 2.0]),
        "cov": lambda: fnp.cov(x),
        "corrcoef": lambda: fnp.corrcoef(x, rowvar=False),
        "diff": lambda: fnp.diff(x, 2, axis=0),
        "ediff1d": lambda: fnp.ediff1d(x),
        "unwrap": lambda: fnp.unwrap(x * 10),
        "gradient": lambda: fnp.gradient(x, 0.5),
        "trapezoid": lambda: fnp.trapezoid(x, dx=0.1, axis=0),
    }[name]()


def test_bincount_through_numpy_on_a_counted_array():
    x = fnp.asarray(np.array([0, 1, 1, 3, 2, 1]))
    result, cost = charged(np.bincount, x)
    assert cost == 6
    assert_same(result, np.bincount(np.asarray(x)))


@pytest.mark.parametrize(
    ("np_fn", "args", "kwargs"),
    [
        (np.median, (M,), {"axis": 3}),
        (np.percentile, (M, 120), {}),
        (np.quantile, (M, 0.5), {"method": "nope"}),
        (np.histogram, (V, -1), {}),
        (np.histogram, (V, "nope"), {}),
        (np.histogram, (V, "auto"), {"weights": V}),
        (np.histogram2d, (V, V[:5]), {}),
        (np.histogramdd, (M,), {"bins": [2, 2]}),
        (np.bincount, (V,), {}),
        (np.interp, (V, [], []), {}),
        (np.cov, (np.zeros((2, 2, 2)),), {}),
        (np.diff, (np.float64(1.0),), {}),
        (np.diff, (V, -2), {}),
        (np.trapezoid, (np.float64(1.0),), {}),
        (np.average, (M,), {"weights": np.zeros((4, 6))}),
    ],
)
def test_numpy_errors_are_raised_with_nothing_charged(np_fn, args, kwargs):
    fn = getattr(fnp, np_fn.__name__)
    refused_like_numpy(fn, np_fn, *args, **kwargs)
    counted_args = tuple(fnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args)
    # NumPy's own function on counted arrays, through __array_function__
    refused_like_numpy(np_fn, np_fn, *args, counted_args=counted_args, **kwargs)


def test_docstrings_show_the_formulas():
    assert "n_q * (numel(a) + 3 * slices)" in fnp.quantile.__doc__
    assert "numel(a) + 3 * slices" in fnp.median.__doc__
    assert "fma_cost" in fnp.cov.__doc__
    assert "ceil(log2(len(bins) + 1))" in fnp.digitize.__doc__
    for name in ("histogram", "gradient", "trapezoid", "unwrap", "interp", "diff"):
        assert "FLOP cost:" in getattr(fnp, name).__doc__


def test_budget_too_small_stops_a_statistic_before_it_runs():
    x = data(1000)
    with unit_weights(), flops.BudgetContext(flop_budget=1000 + 2, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.median(x)
    assert budget.flops_used == 0


# ---------------------------------------------------------------------- as a user writes it
def test_robust_standardisation_with_median_and_mad():
    rng = np.random.default_rng(50)
    samples = rng.standard_normal((200, 5))
    samples[3, 2] = 40.0  # an outlier

    def robust_z(xp, x):
        med = xp.median(x, axis=0)
        mad = xp.median(xp.abs(x - med), axis=0)
        return (x - med) / (1.4826 * mad)

    expected = robust_z(np, samples)
    result, cost = charged(robust_z, fnp, samples)
    np.testing.assert_allclose(np.asarray(result), expected, rtol=0, atol=0)
    sel = 5 * (200 + 3)  # one median over the columns
    assert cost == 2 * sel + 1000 + 1000 + 1000 + 5 + 1000


def test_feature_correlations_and_histogram_of_a_dataset():
    rng = np.random.default_rng(51)
    features = rng.standard_normal((500, 3))
    features[:, 1] += 0.8 * features[:, 0]
    with unit_weights(), flops.BudgetContext(flop_budget=10**8, quiet=True) as budget:
        corr = fnp.corrcoef(features, rowvar=False)
        counts, edges = fnp.histogram(features[:, 1], bins=20, density=True)
        q1, q3 = fnp.percentile(features[:, 0], [25, 75])
    np.testing.assert_array_equal(corr, np.corrcoef(features, rowvar=False))
    want_counts, want_edges = np.histogram(features[:, 1], bins=20, density=True)
    np.testing.assert_array_equal(counts, want_counts)
    np.testing.assert_array_equal(edges, want_edges)
    assert (q1, q3) == tuple(np.percentile(features[:, 0], [25, 75]))
    corr_cost = 3 * 500 + 9 * 500 + 9 + 9
    hist_cost = 2 * 500 + 21 + 4 * 500 + 20
    pct_cost = 2 * (500 + 3)
    assert budget.flops_used == corr_cost + hist_cost + pct_cost
    assert [r.op_name for r in budget.op_log] == ["corrcoef", "histogram", "percentile"]


def test_integrating_a_sampled_signal_and_its_derivative():
    t = np.linspace(0.0, np.pi, 101)
    signal = np.sin(t)

    def analyse(xp, s):
        slope = xp.gradient(s, t)
        area = xp.trapezoid(s, t)
        steps = xp.diff(s)
        return slope, area, steps

    expected = analyse(np, signal)
    result, cost = charged(analyse, fnp, signal)
    for r, e in zip(result, expected):
        np.testing.assert_array_equal(np.asarray(r), e)
    grad_cost = 99 * 5 + 2 * 2 + 100 + 10 * 99
    trap_cost = 100 + 100 + 3 * 100
    assert cost == grad_cost + trap_cost + 100


def test_phase_unwrapping_and_interpolation():
    phase = np.angle(np.exp(1j * np.linspace(0.0, 12.0, 40)))
    with unit_weights(), flops.BudgetContext(flop_budget=10**6, quiet=True) as budget:
        unwrapped = fnp.unwrap(phase)
        resampled = fnp.interp(np.linspace(0.0, 12.0, 7), np.linspace(0.0, 12.0, 40), unwrapped)
    np.testing.assert_array_equal(unwrapped, np.unwrap(phase))
    np.testing.assert_array_equal(
        resampled,
        np.interp(np.linspace(0.0, 12.0, 7), np.linspace(0.0, 12.0, 40), np.unwrap(phase)),
    )
    assert budget.flops_used == 10 * 39 + 7 * cl(41) + 6 * 7
