"""Property tests of the signal and polynomial rules (``_rules/signal.py``) and of the
counted ``poly1d`` (``_poly1d.py``).

Every expected count is written from the documented formula, independently of the
rules: a convolution's products are counted one output position at a time
(:func:`overlaps`), windows per point, Horner per step, and so on. Charges are taken
through the public functions (fnp, NumPy's own functions on counted values, and the
counted ``poly1d``'s methods); results are compared with plain NumPy.
"""

from __future__ import annotations

import math
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._poly1d import CountedPoly1d
from flopscope._registry import REGISTRY
from samples import unit_weights

SETTINGS = settings(max_examples=50, deadline=None)
BIG = 10**15


def numpy_accepts(fn, *args):
    """Whether the installed NumPy takes this call (its deprecation warnings aside)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            fn(*args)
        except ValueError:
            return False
    return True


# What the installed NumPy takes (the project supports NumPy 2.0 to 2.5):
#: a convolve/correlate mode read by its first letter, either case, with a
#: DeprecationWarning (NumPy 2.0, 2.2; refused by 2.4)
INEXACT_MODES = numpy_accepts(np.convolve, [1.0, 2.0], [1.0], "Full")
#: 2-component vectors in ``cross``, with a DeprecationWarning (NumPy 2.0 to 2.4)
CROSS_2_VECTORS = numpy_accepts(np.cross, [1.0, 2.0], [3.0, 4.0])


def numel(shape):
    return math.prod(shape)


def overlaps(la, lv, mode):
    """Products of a 1-D convolution: per full-output position k, the i in [0, la) with
    0 <= k - i < lv; 'same' keeps max(la, lv) positions from (min - 1) // 2, 'valid'
    the max - min + 1 positions from min - 1."""
    full = [sum(1 for i in range(la) if 0 <= k - i < lv) for k in range(la + lv - 1)]
    big, small = max(la, lv), min(la, lv)
    start, count = {"full": (0, la + lv - 1), "same": ((small - 1) // 2, big)}.get(
        mode, (small - 1, big - small + 1)
    )
    return sum(full[start : start + count])


def E(n):
    """Golub & Van Loan's eigenvalue count, 10 n^3 flops: 5 n^3 multiply-adds."""
    return 5 * n**3


def charged(fn, *args, **kwargs):
    with unit_weights(), flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        result = fn(*args, **kwargs)
    assert type(budget.flops_used) is int
    return result, budget.flops_used


def log_of(fn, *args, **kwargs):
    """(result, [(op name, cost), ...]) of one call."""
    with unit_weights(), flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        result = fn(*args, **kwargs)
    return result, [(r.op_name, r.flop_cost) for r in budget.op_log]


def assert_same(result, expected):
    if isinstance(expected, tuple):
        assert isinstance(result, tuple) and len(result) == len(expected)
        for r, e in zip(result, expected):
            assert_same(r, e)
        return
    if isinstance(expected, np.poly1d):
        assert isinstance(result, CountedPoly1d)
        assert isinstance(result.coeffs, fnp.ndarray)
        assert result.variable == expected.variable
        np.testing.assert_array_equal(np.asarray(result), np.asarray(expected))
        assert np.asarray(result).dtype == expected.coeffs.dtype
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(result, fnp.ndarray)
        assert result.dtype == expected.dtype and result.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(result), np.asarray(expected))


def refused(fn, *args, **kwargs):
    """NumPy's error for bad input, with nothing charged or recorded."""
    with unit_weights(), flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        with pytest.raises(Exception) as info:
            fn(*args, **kwargs)
    assert budget.flops_used == 0 and len(budget.op_log) == 0
    return info.value


def vec(n, seed=0):
    return np.random.default_rng(seed).random(n) + 0.5


modes = st.sampled_from(["full", "same", "valid", 0, 1, 2])
MODE_NAMES = {0: "valid", 1: "same", 2: "full"}


# ---------------------------------------------------------------------- convolution
@SETTINGS
@given(st.integers(1, 12), st.integers(1, 12), modes, st.booleans(), st.integers(0, 5))
def test_convolve_and_correlate_charge_the_overlaps(la, lv, mode, by_keyword, seed):
    a, v = vec(la, seed), vec(lv, seed + 1)
    name = MODE_NAMES.get(mode, mode)
    for fn, np_fn in ((fnp.convolve, np.convolve), (fnp.correlate, np.correlate)):
        result, cost = charged(fn, a, v, mode=mode) if by_keyword else charged(fn, a, v, mode)
        assert cost == overlaps(la, lv, name)
        assert_same(result, np_fn(a, v, mode))


@SETTINGS
@given(st.integers(1, 10), st.integers(1, 10))
def test_convolution_default_modes_and_fma_pricing(la, lv):
    a, v = vec(la), vec(lv)
    assert charged(fnp.convolve, a, v)[1] == la * lv  # 'full'
    assert charged(fnp.correlate, a, v)[1] == overlaps(la, lv, "valid")
    with unit_weights(fma_cost=2), flops.BudgetContext(BIG, quiet=True) as budget:
        fnp.convolve(a, v)
    assert budget.flops_used == 2 * la * lv


def test_convolution_cost_depends_on_lengths_only():
    costs = set()
    for a, v in (
        (np.zeros(9), np.zeros(4)),
        (np.arange(9), np.arange(4.0)),
        (np.ones(9, np.float32) + 1j, np.ones(4)),
        (np.arange(9, dtype=np.int8), np.array([True, False, True, True])),
    ):
        costs.add(charged(fnp.convolve, a, v, "same")[1])
    assert costs == {overlaps(9, 4, "same")}


@pytest.mark.parametrize(
    ("fn", "args"),
    [
        (fnp.convolve, ([], [1.0])),
        (fnp.convolve, ([1.0], [])),
        (fnp.convolve, (np.ones((2, 2)), [1.0])),
        (fnp.convolve, ([1.0, 2.0], [1.0], "bogus")),
        (fnp.convolve, ([1.0, 2.0], [1.0], "")),
        (fnp.correlate, ([1.0, 2.0], [1.0], "x")),
        *([] if INEXACT_MODES else [(fnp.convolve, ([1.0, 2.0], [1.0], "Full"))]),
        (fnp.convolve, ([1.0, 2.0], [1.0], 3)),
        (fnp.convolve, ([1.0, 2.0], [1.0], None)),
        (fnp.correlate, (2.0, [1.0])),
        (fnp.correlate, ([1.0], [])),
    ],
)
def test_convolution_refusals_match_numpy(fn, args):
    np_fn = getattr(np, fn.__name__)
    with pytest.raises(Exception) as want:
        np_fn(*args)
    got = refused(fn, *args)
    assert type(got) is type(want.value)


@pytest.mark.parametrize("mode", ["Full", "f", "fulL", "V", "valid ", "s", "Same", "vx"])
@pytest.mark.parametrize("fn", [fnp.convolve, fnp.correlate])
def test_inexact_modes_are_taken_where_numpy_takes_them(fn, mode):
    np_fn = getattr(np, fn.__name__)
    a, v = vec(7), vec(3, 1)
    if not INEXACT_MODES:  # refused like NumPy, for nothing
        with pytest.raises(ValueError):
            np_fn(a, v, mode)
        assert isinstance(refused(fn, a, v, mode), ValueError)
        return
    # read by the first letter, priced as that mode, NumPy's DeprecationWarning passed on
    exact = {"v": "valid", "s": "same", "f": "full"}[mode[0].lower()]
    with pytest.warns(DeprecationWarning):
        expected = np_fn(a, v, mode)
    with pytest.warns(DeprecationWarning):
        result, cost = charged(fn, a, v, mode)
    assert cost == overlaps(7, 3, exact)
    assert_same(result, expected)
    with warnings.catch_warnings():  # the warning as an error: NumPy refuses, refunded
        warnings.simplefilter("error", DeprecationWarning)
        with pytest.raises(DeprecationWarning):
            np_fn(a, v, mode)
        assert isinstance(refused(fn, a, v, mode), DeprecationWarning)


# ---------------------------------------------------------------------- windows
PER_POINT = {"hanning": 5, "hamming": 5, "blackman": 10, "bartlett": 6}


@SETTINGS
@given(
    st.one_of(st.integers(-3, 60), st.floats(-2.0, 40.0, allow_nan=False)),
    st.sampled_from(sorted(PER_POINT)),
)
def test_symmetric_windows_charge_per_point(m, name):
    expected = getattr(np, name)(m)
    result, cost = charged(getattr(fnp, name), m)
    points = len(expected) if m > 1 else 0  # M <= 1: nothing computed
    assert cost == PER_POINT[name] * points
    assert_same(result, expected)


@SETTINGS
@given(st.one_of(st.integers(-3, 60), st.floats(-2.0, 40.0, allow_nan=False)), st.floats(0, 20))
def test_kaiser_charges_per_point_plus_one_i0(m, beta):
    with np.errstate(all="ignore"):
        expected = np.kaiser(m, beta)
        result, cost = charged(fnp.kaiser, m, beta=beta)
    assert cost == (0 if m == 1 else 8 * len(expected) + 1)
    assert_same(result, expected)


@pytest.mark.parametrize("m", ["5", None, [5], float("nan"), float("inf")])
def test_window_refusals_match_numpy(m):
    with pytest.raises(Exception) as want:
        np.hanning(m)
    assert type(refused(fnp.hanning, m)) is type(want.value)


# ---------------------------------------------------------------------- vander, ranges
@SETTINGS
@given(st.integers(0, 8), st.one_of(st.none(), st.integers(0, 8)), st.booleans())
def test_vander_charges_one_multiplication_per_entry(n, cols, increasing):
    x = vec(n)
    result, cost = charged(fnp.vander, x, cols, increasing=increasing)
    assert cost == n * (n if cols is None else cols)
    assert_same(result, np.vander(x, cols, increasing))


shape_pair = st.tuples(
    hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3),
    hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3),
).filter(lambda s: _broadcasts(*s))


def _broadcasts(*shapes):
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        return False
    return True


@SETTINGS
@given(shape_pair, st.integers(0, 9), st.booleans(), st.data())
def test_logspace_and_geomspace_per_pair_and_per_output(shapes, num, endpoint, data):
    s1, s2 = shapes
    start, stop = np.full(s1, 1.5), np.full(s2, 3.0)
    ndim = len(np.broadcast_shapes(s1, s2)) + 1
    axis = data.draw(st.integers(-ndim, ndim - 1))
    pairs = numel(np.broadcast_shapes(s1, s2))
    kwargs = {"num": num, "endpoint": endpoint, "axis": axis}
    result, cost = charged(fnp.logspace, start, stop, **kwargs)
    assert cost == 2 * num * pairs
    assert_same(result, np.logspace(start, stop, **kwargs))
    result, cost = charged(fnp.geomspace, start, stop, **kwargs)
    assert cost == 3 * num * pairs + 5 * pairs
    assert_same(result, np.geomspace(start, stop, **kwargs))


def test_logspace_with_an_array_base_prices_the_broadcast_output():
    base = np.array([[2.0], [3.0]])
    result, cost = charged(fnp.logspace, [0.0, 1.0, 2.0], 3.0, 4, base=base)
    assert cost == 4 * 3 + 4 * 6  # linspace of 3 pairs, then a power per (4, 2, 3) entry
    assert_same(result, np.logspace([0.0, 1.0, 2.0], 3.0, 4, base=base))


def test_range_refusals_charge_nothing():
    assert isinstance(refused(fnp.geomspace, 0.0, 10.0, 5), ValueError)
    assert isinstance(refused(fnp.logspace, 0.0, 1.0, -2), ValueError)
    assert isinstance(refused(fnp.logspace, 0.0, 1.0, 2.5), TypeError)


# ---------------------------------------------------------------------- cross
batch = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3)


@SETTINGS
@given(batch, batch, st.sampled_from([3, 2]), st.sampled_from([3, 2]), st.data())
def test_cross_charges_per_output_vector_of_the_broadcast_batch(ba, bb, da, db, data):
    if not _broadcasts(ba, bb):
        return
    a = vec(numel(ba) * da, 1).reshape((*ba, da))
    b = vec(numel(bb) * db, 2).reshape((*bb, db))
    axisa = data.draw(st.integers(-a.ndim, a.ndim - 1))
    axisb = data.draw(st.integers(-b.ndim, b.ndim - 1))
    a, b = np.moveaxis(a, -1, axisa), np.moveaxis(b, -1, axisb)
    per = {(3, 3): 9, (2, 2): 3}.get((da, db), 6)
    if not CROSS_2_VECTORS and (da, db) != (3, 3):  # refused like NumPy, for nothing
        with pytest.raises(ValueError):
            np.cross(a, b, axisa=axisa, axisb=axisb)
        assert isinstance(refused(fnp.cross, a, b, axisa, axisb), ValueError)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # NumPy 2's 2-vector warning
        expected = np.cross(a, b, axisa=axisa, axisb=axisb)
        result, cost = charged(fnp.cross, a, b, axisa, axisb)
    assert cost == per * numel(np.broadcast_shapes(ba, bb))
    assert_same(result, expected)


def test_cross_axis_overrides_the_three_axes():
    a, b = vec(12).reshape(3, 4), vec(12, 1).reshape(3, 4)
    result, cost = charged(fnp.cross, a, b, axis=0)
    assert cost == 4 * 9
    assert_same(result, np.cross(a, b, axis=0))


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((np.ones(4), np.ones(3)), {}),
        ((1.0, np.ones(3)), {}),
        ((np.ones(3), np.ones(3)), {"axisc": 1}),
        ((np.ones(3), np.ones(3)), {"axisa": 2}),
        ((np.ones((5, 3)), np.ones((4, 3))), {}),
    ],
)
def test_cross_refusals_match_numpy(args, kwargs):
    with pytest.raises(Exception) as want:
        np.cross(*args, **kwargs)
    assert type(refused(fnp.cross, *args, **kwargs)) is type(want.value)


# ---------------------------------------------------------------------- polynomials
@SETTINGS
@given(st.integers(0, 8), hnp.array_shapes(min_dims=0, max_dims=2, max_side=4), st.integers(0, 9))
def test_polyval_is_horner_per_output_point(length, xshape, seed):
    p, x = vec(length, seed), vec(numel(xshape), seed).reshape(xshape)
    result, cost = charged(fnp.polyval, p, x)
    assert cost == max(length - 1, 0) * numel(xshape)
    assert_same(result, np.polyval(p, x))


@SETTINGS
@given(st.integers(1, 6), st.integers(0, 4))
def test_polyval_of_a_polynomial_is_composition(length, degree):
    p = vec(length)
    q = fnp.poly1d(vec(degree + 1, 1))
    result, cost = charged(fnp.polyval, p, q)
    # Horner step i multiplies a degree (i-1)*d polynomial by q: ((i-1) d + 1)(d + 1)
    assert cost == sum(((i - 1) * degree + 1) * (degree + 1) for i in range(1, length))
    assert_same(result, np.polyval(p, np.poly1d(vec(degree + 1, 1))))


lengths = st.integers(0, 9)


@SETTINGS
@given(lengths, lengths, st.integers(0, 4))
def test_polyadd_polysub_polymul_polydiv_charges(n1, n2, seed):
    a, b = vec(n1, seed), vec(n2, seed + 1)
    for name, cost_expected in (
        ("polyadd", max(n1, n2)),
        ("polysub", max(n1, n2)),
        ("polymul", max(n1, 1) * max(n2, 1)),
    ):
        result, cost = charged(getattr(fnp, name), a, b)
        assert cost == cost_expected, name
        assert_same(result, getattr(np, name)(a, b))
    if n1 and n2:
        result, cost = charged(fnp.polydiv, a, b)
        assert cost == max(n1 - n2 + 1, 0) * n2
        assert_same(result, np.polydiv(a, b))


@SETTINGS
@given(lengths, st.integers(0, 12), st.booleans())
def test_polyder_and_polyint_per_order(length, m, by_keyword):
    p = vec(length)
    kw = {"m": m} if by_keyword else {}
    args = (p,) if by_keyword else (p, m)
    result, cost = charged(fnp.polyder, *args, **kw)
    assert cost == sum(max(length - 1 - j, 0) for j in range(m))
    assert_same(result, np.polyder(p, m))
    result, cost = charged(fnp.polyint, *args, **kw)
    assert cost == sum(length + j for j in range(m))
    assert_same(result, np.polyint(p, m))


@SETTINGS
@given(st.integers(0, 7))
def test_poly_and_roots(n):
    r = vec(n)
    result, cost = charged(fnp.poly, r)
    assert cost == sum(2 * j for j in range(1, n + 1))  # a*[1, -r] for a of length j
    assert_same(result, np.poly(r))
    coeffs = vec(n + 1)
    result, cost = charged(fnp.roots, coeffs)
    assert cost == E(n)
    assert_same(result, np.roots(coeffs))
    if n:
        a = vec(n * n, 3).reshape(n, n)
        result, cost = charged(fnp.poly, a)
        assert cost == E(n) + n * (n + 1)
        assert_same(result, np.poly(a))


@SETTINGS
@given(st.integers(1, 12), st.integers(0, 5), st.integers(0, 3), st.data())
def test_polyfit_is_an_svd_least_squares(m, deg, k, data):
    x = np.linspace(0.5, 1.5, m)  # no zero column in the Vandermonde matrix
    y = vec(m, 1) if k == 0 else vec(m * k, 1).reshape(m, k)
    n, cols = deg + 1, max(k, 1)
    p, q = max(m, n), min(m, n)  # linalg.lstsq's count: the thin SVD, then its factors
    thin = min(7 * p * q * q + 4 * q**3, -(-(4 * p * p * q + 8 * p * q * q + 9 * q**3) // 2))
    want = thin + (m + n) * q * cols + max(m - n, 0) * cols
    cov = data.draw(st.sampled_from([False, True, "unscaled"]))
    if m <= n:
        cov = False  # the normal matrix of an underdetermined fit is singular
    if cov:
        want += m * n * n + n**3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # RankWarning for deg >= m
        expected = np.polyfit(x, y, deg, cov=cov)
        result, cost = charged(fnp.polyfit, x, y, deg, cov=cov)
    assert cost == want
    assert_same(result, expected)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("polyval", (2.0, [1.0, 2.0])),
        ("polyadd", (np.ones((2, 2)), np.ones(3))),
        ("polymul", (np.ones((2, 2)), np.ones(3))),
        ("polydiv", ([], [1.0])),
        ("polyder", (2.0,)),
        ("polyder", ([1.0, 2.0], -1)),
        ("polyint", ([1.0, 2.0], 3, [1.0, 2.0])),
        ("polyint", ([1.0, 2.0], -1)),
        ("poly", (np.ones((2, 3)),)),
        ("poly", (2.0,)),
        ("roots", (np.ones((2, 2)),)),
        ("roots", (2.0,)),
        ("polyfit", ([0.0, 1.0], [0.0, 1.0], -1)),
        ("polyfit", ([0.0, 1.0], [0.0, 1.0, 2.0], 1)),
        ("polyfit", ([], [], 1)),
        ("polyfit", ([0.0, 1.0], [0.0, 1.0], 1, None, False, [1.0])),
        ("vander", (np.ones((2, 2)),)),
    ],
)
def test_polynomial_refusals_match_numpy(name, args):
    with pytest.raises(Exception) as want:
        getattr(np, name)(*args)
    assert type(refused(getattr(fnp, name), *args)) is type(want.value)


def test_polyfit_scaled_covariance_needs_more_points_than_coefficients():
    with pytest.raises(ValueError):
        np.polyfit([0.0, 1.0, 2.0], [1.0, 2.0, 0.0], 2, cov=True)
    assert isinstance(
        refused(fnp.polyfit, [0.0, 1.0, 2.0], [1.0, 2.0, 0.0], 2, cov=True), ValueError
    )


# ---------------------------------------------------------------------- NumPy's own functions
NUMPY_CALLS = [
    ("convolve", (vec(6), vec(3)), {"mode": "same"}),
    ("correlate", (vec(6), vec(3)), {}),
    ("vander", (vec(4),), {"N": 3}),
    ("cross", (vec(6).reshape(2, 3), vec(3)), {}),
    ("polyval", (vec(4), vec(5)), {}),
    ("polyadd", (vec(2), vec(4)), {}),
    ("polysub", (vec(4), vec(2)), {}),
    ("polymul", (vec(3), vec(3)), {}),
    ("polydiv", (vec(5), vec(2)), {}),
    ("polyder", (vec(5),), {"m": 2}),
    ("polyint", (vec(5),), {}),
    ("poly", (vec(4),), {}),
    ("roots", (vec(4),), {}),
    ("polyfit", (np.arange(6.0), vec(6)), {"deg": 2}),
    ("logspace", (vec(3), 2.0), {"num": 4}),
    ("geomspace", (vec(3), 2.0), {"num": 4}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), NUMPY_CALLS, ids=[c[0] for c in NUMPY_CALLS])
def test_numpy_function_on_counted_arrays_is_charged_as_the_fnp_function(name, args, kwargs):
    counted_args = tuple(fnp.asarray(a) for a in args)
    expected, fnp_cost = charged(getattr(fnp, name), *args, **kwargs)
    result, np_cost = charged(getattr(np, name), *counted_args, **kwargs)
    assert np_cost == fnp_cost > 0
    assert_same(result, expected)
    assert_same(result, getattr(np, name)(*args, **kwargs))


def test_windows_and_rows_are_documented():
    assert "5 * M" in fnp.hanning.__doc__ and "i0" in fnp.kaiser.__doc__
    assert "overlap" in fnp.convolve.__doc__ and "fma_cost" in fnp.convolve.__doc__
    assert "Horner" in fnp.polyval.__doc__ and "5 n^3" in fnp.roots.__doc__
    assert fnp.poly1d.__doc__.startswith("flopscope: free")
    for name in ("polyder", "polyint", "polyadd", "cross", "vander", "hanning"):
        assert not REGISTRY[name].fma, name
    for name in ("convolve", "correlate", "polyval", "polymul", "polydiv", "poly", "roots"):
        assert REGISTRY[name].fma, name


# ---------------------------------------------------------------------- counted poly1d
P_COEFFS, Q_COEFFS = [1.0, -3.0, 2.0], [2.0, 1.0]


def test_poly1d_construction_is_free_and_matches_numpy():
    with unit_weights(), flops.BudgetContext(0) as budget:
        p = fnp.poly1d([0.0, 1.0, -3.0, 2.0], variable="z")
        copy = fnp.poly1d(p)
        from_numpy = fnp.poly1d(np.poly1d(P_COEFFS))
    assert budget.flops_used == 0
    want = np.poly1d([0.0, 1.0, -3.0, 2.0], variable="z")
    for got in (p, copy):
        assert isinstance(got, np.poly1d) and isinstance(got, CountedPoly1d)
        assert repr(got) == repr(want) and str(got) == str(want)
        assert got.order == want.order == len(got) and got.variable == "z"
        assert isinstance(got.coeffs, fnp.ndarray)
        np.testing.assert_array_equal(got.c, want.c)
        np.testing.assert_array_equal(got.coef, want.coefficients)
    assert isinstance(from_numpy, CountedPoly1d) and from_numpy.o == 2
    with pytest.raises(ValueError, match="1d"):
        fnp.poly1d(np.ones((2, 2)))


def test_poly1d_from_roots_is_charged_as_poly():
    p, log = log_of(fnp.poly1d, [1.0, 2.0, 3.0], True)
    assert log == [("poly", 3 * 4)]
    assert_same(p, np.poly1d([1.0, 2.0, 3.0], True))


def test_poly1d_operations_are_charged_by_their_rows():
    p, q = fnp.poly1d(P_COEFFS), fnp.poly1d(Q_COEFFS)
    np_p, np_q = np.poly1d(P_COEFFS), np.poly1d(Q_COEFFS)
    x = vec(5)
    checks = [
        (lambda: p(x), lambda: np_p(x), [("polyval", 2 * 5)]),
        (lambda: p(q), lambda: np_p(np_q), [("polyval", 2 * (2 + 1))]),
        (lambda: p + q, lambda: np_p + np_q, [("polyadd", 3)]),
        (lambda: q + p, lambda: np_q + np_p, [("polyadd", 3)]),
        (lambda: [1.0] + p, lambda: [1.0] + np_p, [("polyadd", 3)]),  # noqa: RUF005
        (lambda: p - q, lambda: np_p - np_q, [("polysub", 3)]),
        (lambda: 1.0 - p, lambda: 1.0 - np_p, [("polysub", 3)]),
        (lambda: p * q, lambda: np_p * np_q, [("polymul", 6)]),
        (lambda: p * 2.0, lambda: np_p * 2.0, [("multiply", 3)]),
        (lambda: 2.0 * p, lambda: 2.0 * np_p, [("multiply", 3)]),
        (lambda: p / 2.0, lambda: np_p / 2.0, [("divide", 3)]),
        (lambda: 2.0 / q, lambda: 2.0 / np_q, [("divide", 2)]),
        (lambda: p / q, lambda: np_p / np_q, [("polydiv", 2 * 2)]),
        (lambda: [4.0, 1.0, 0.0] / q, lambda: [4.0, 1.0, 0.0] / np_q, [("polydiv", 4)]),
        (lambda: -p, lambda: -np_p, [("negative", 3)]),
        (lambda: +p, lambda: +np_p, []),
        (lambda: p**2, lambda: np_p**2, [("polymul", 3), ("polymul", 3 * 3)]),
        (lambda: p**0, lambda: np_p**0, []),
        (lambda: p.deriv(), lambda: np_p.deriv(), [("polyder", 2)]),
        (lambda: p.deriv(2), lambda: np_p.deriv(2), [("polyder", 2 + 1)]),
        (lambda: p.integ(), lambda: np_p.integ(), [("polyint", 3)]),
        (lambda: p.integ(2, [1.0, 2.0]), lambda: np_p.integ(2, [1.0, 2.0]), [("polyint", 7)]),
        (lambda: p.roots, lambda: np_p.roots, [("roots", E(2))]),
        (lambda: p.r, lambda: np_p.r, [("roots", E(2))]),
    ]
    for i, (run, numpy_run, want_log) in enumerate(checks):
        result, log = log_of(run)
        assert log == want_log, i
        assert_same(result, numpy_run())


def test_poly1d_comparison_indexing_and_iteration():
    p = fnp.poly1d(P_COEFFS)
    (equal, log) = log_of(lambda: p == fnp.poly1d(P_COEFFS))
    assert bool(equal) and log == [("equal", 3), ("all", 3)]
    assert p != fnp.poly1d(Q_COEFFS)  # shapes differ: no comparison needed
    assert p == np.poly1d(P_COEFFS) and np.poly1d(P_COEFFS) == p
    assert (p == "x") is False
    with unit_weights(), flops.BudgetContext(0):  # free
        assert [float(p[i]) for i in (0, 1, 2, 5, -1)] == [2.0, -3.0, 1.0, 0.0, 0.0]
        assert [float(c) for c in p] == P_COEFFS
        np.testing.assert_array_equal(np.asarray(p), P_COEFFS)
        assert np.asarray(p, np.float32).dtype == np.float32


def test_poly1d_item_assignment_and_in_place_coefficients():
    p, want = fnp.poly1d(P_COEFFS), np.poly1d(P_COEFFS)
    with unit_weights(), flops.BudgetContext(0):
        p[4] = 5.0
        p[0] = 7.0
    want[4] = 5.0
    want[0] = 7.0
    assert repr(p) == repr(want) and p.order == 4
    with pytest.raises(ValueError, match="negative"):
        p[-1] = 1.0
    _, log = log_of(lambda: p.coeffs.__imul__(2))
    assert log == [("multiply", 5)]
    p.coeffs *= 2  # NumPy allows this spelling: the same array object comes back
    with pytest.raises(AttributeError):
        p.coeffs = np.ones(3)


def test_poly1d_errors_match_numpy():
    p = fnp.poly1d(P_COEFFS)
    for bad in (-1, 1.5, [2]):
        with pytest.raises(ValueError):
            np.poly1d(P_COEFFS) ** bad
        with unit_weights(), flops.BudgetContext(BIG, quiet=True) as budget:
            with pytest.raises(ValueError):
                p**bad
        assert budget.flops_used == 0


def test_numpy_functions_on_a_counted_poly1d_are_counted():
    p, np_p = fnp.poly1d(P_COEFFS), np.poly1d(P_COEFFS)
    x = vec(4)
    checks = [
        (lambda: np.polyval(p, x), np.polyval(np_p, x), [("polyval", 2 * 4)]),
        (lambda: np.polyadd(p, [1.0, 1.0]), np.polyadd(np_p, [1.0, 1.0]), [("polyadd", 3)]),
        (lambda: np.polymul(p, p), np.polymul(np_p, np_p), [("polymul", 9)]),
        (lambda: np.polydiv(p, [1.0, 1.0]), np.polydiv(np_p, [1.0, 1.0]), [("polydiv", 4)]),
        (lambda: np.polyder(p), np.polyder(np_p), [("polyder", 2)]),
        (lambda: np.polyint(p), np.polyint(np_p), [("polyint", 3)]),
        (lambda: np.roots(p), np.roots(np_p), [("roots", E(2))]),
        (lambda: np.convolve(p, [1.0, 1.0]), np.convolve(np_p, [1.0, 1.0]), [("convolve", 6)]),
        (lambda: np.sum(p), np.sum(np_p), [("sum", 3)]),
        (lambda: np.sin(p), np.sin(np_p), [("sin", 3)]),
        (lambda: np.float64(2.0) * p, np.float64(2.0) * np_p, [("multiply", 3)]),
        (lambda: fnp.arange(3.0) + p, np.arange(3.0) + np_p, [("add", 3)]),
    ]
    for i, (run, expected, want_log) in enumerate(checks):
        result, log = log_of(run)
        assert log == want_log, i
        assert_same(result, expected)


def test_poly_functions_never_return_a_plain_poly1d():
    p = fnp.poly1d(P_COEFFS)
    for result in (
        fnp.polyadd(p, p),
        fnp.polysub(np.poly1d(P_COEFFS), [1.0]),
        fnp.polymul([1.0, 2.0], np.poly1d(Q_COEFFS)),
        *fnp.polydiv(p, [1.0, 1.0]),
        fnp.polyder(p),
        fnp.polyint(np.poly1d(Q_COEFFS)),
        fnp.polyval(p, np.poly1d(Q_COEFFS)),
    ):
        assert type(result) is CountedPoly1d
        assert isinstance(result.coeffs, fnp.ndarray)
    # and the result keeps counting
    _, log = log_of(lambda: fnp.polyadd(p, p)(np.ones(3)))
    assert log == [("polyadd", 3), ("polyval", 6)]


def test_poly1d_pickles_and_budget_refusal_leaves_it_unchanged():
    p = fnp.poly1d(P_COEFFS, variable="s")
    q = pickle.loads(pickle.dumps(p))
    assert type(q) is CountedPoly1d and repr(q) == repr(p) and q.variable == "s"
    with unit_weights(), flops.BudgetContext(5, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            p(np.ones(3))  # 2 * 3 = 6 > 5
    assert budget.flops_used == 0
    np.testing.assert_array_equal(p.coeffs, P_COEFFS)


# ---------------------------------------------------------------------- realistic snippets
def test_smoothing_a_signal_with_a_window():
    rng = np.random.default_rng(7)
    signal = np.sin(np.linspace(0, 6 * np.pi, 200)) + 0.3 * rng.standard_normal(200)

    def smooth(xp, x):
        w = xp.hanning(11)
        return xp.convolve(x, w / w.sum(), mode="same")

    expected = smooth(np, signal)
    with unit_weights(), flops.BudgetContext(BIG, quiet=True) as budget:
        result = smooth(fnp, signal)
    np.testing.assert_array_equal(result, expected)
    assert isinstance(result, fnp.ndarray)
    by_op = {r.op_name: r.flop_cost for r in budget.op_log}
    assert by_op["hanning"] == 5 * 11 and by_op["convolve"] == overlaps(200, 11, "same")
    assert by_op["sum"] == 11 and by_op["divide"] == 11


def test_fitting_a_polynomial_and_evaluating_it():
    x = np.linspace(-1.0, 1.0, 30)
    y = 3 * x**3 - x + 0.5 + 0.01 * np.cos(40 * x)

    def fit(xp):
        coeffs = xp.polyfit(x, y, 3)
        p = xp.poly1d(coeffs)
        return coeffs, p(x), p.deriv().roots, xp.polyval(coeffs, 0.25)

    expected = fit(np)
    with unit_weights(), flops.BudgetContext(BIG, quiet=True) as budget:
        result = fit(fnp)
    for got, want in zip(result, expected):
        np.testing.assert_array_equal(got, want)
    names = [r.op_name for r in budget.op_log]
    assert names == ["polyfit", "polyval", "polyder", "roots", "polyval"]
    # the fit: a 30 x 4 least-squares solve (thin SVD 7*30*16 + 4*64, its factors
    # 34*4, residuals 26); Horner at 30 points; the derivative; its roots; one point
    fit_cost = min(7 * 30 * 16 + 4 * 64, (4 * 900 * 4 + 8 * 30 * 16 + 9 * 64) // 2) + 34 * 4 + 26
    assert budget.flops_used == fit_cost + 3 * 30 + 3 + E(2) + 3


def test_cross_product_normals_of_triangles():
    tri = np.random.default_rng(3).random((50, 3, 3))

    def normals(xp, t):
        return xp.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0])

    expected = normals(np, tri)
    with unit_weights(), flops.BudgetContext(BIG, quiet=True) as budget:
        result = normals(fnp, fnp.asarray(tri))
    np.testing.assert_array_equal(result, expected)
    assert isinstance(result, fnp.ndarray)
    assert [(r.op_name, r.flop_cost) for r in budget.op_log] == [
        ("subtract", 150),
        ("subtract", 150),
        ("cross", 50 * 9),
    ]
