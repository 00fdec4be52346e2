"""Property tests of the set, lexsort, trim_zeros and bit-packing rules (``_rules/sets.py``).

Every expected count below is written from the documented formula, independently of the
rules: ``U(n) = n * ceil(log2 n) + n`` (sort, then compare neighbours), unique steps
priced at their input sizes. Charges are taken through the public functions (fnp and
NumPy's own functions on counted arrays) and results compared with plain NumPy.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._registry import REGISTRY
from samples import unit_weights

SETTINGS = settings(max_examples=60, deadline=None)
BIG = 10**15


def numpy_accepts(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except (TypeError, ValueError):
        return False
    return True


# What the installed NumPy takes (the project supports NumPy 2.0 to 2.5):
#: ``unique(..., sorted=)`` (NumPy 2.3+)
UNIQUE_SORTED = "sorted" in inspect.signature(np.unique).parameters
#: ``setxor1d(..., assume_unique=True)`` flattens its inputs (NumPy 2.0 joins them as
#: they are, refusing anything but 1-D inputs or an empty join)
SETXOR_FLATTENS = numpy_accepts(np.setxor1d, np.zeros((1, 1)), np.ones((1, 1)), True)
#: ``trim_zeros``: "2.0" scans a 1-D sequence, takes any trim string and no ``axis``;
#: "2.2" takes one int axis, ignored for 1-D input; "tuple" takes a tuple of axes, and
#: ``axis=()`` trims nothing
TRIM_AXIS = "axis" in inspect.signature(np.trim_zeros).parameters
TRIM_KIND = (
    "2.0"
    if not TRIM_AXIS
    else "tuple"
    if np.trim_zeros(np.zeros(1), axis=()).shape == (1,)
    else "2.2"
)


def numel(shape):
    return math.prod(shape)


def srt(n):
    """n * ceil(log2 n) comparisons to sort n values."""
    return n * math.ceil(math.log2(n)) if n > 1 else 0


def U(n):
    return srt(n) + n


def isin_cost(n1, n2, assume_unique=False, kind=None):
    if kind == "table":
        return n1 + n2
    if n2 < 10 * n1**0.145:  # NumPy's branch: compare every pair
        return n1 * n2
    if assume_unique:
        return U(n1 + n2)
    return U(n1) + n1 + U(n2) + U(n1 + n2)


def charged(fn, *args, **kwargs):
    with unit_weights(), flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        result = fn(*args, **kwargs)
    assert type(budget.flops_used) is int
    return result, budget.flops_used


def refused_like_numpy(fn, np_fn, *args, **kwargs):
    """NumPy refuses the call: flopscope raises the same error type and charges nothing."""
    with pytest.raises(Exception) as want:
        np_fn(*args, **kwargs)
    with flops.BudgetContext(BIG, quiet=True) as budget:
        with pytest.raises(type(want.value)):
            fn(*args, **kwargs)
    assert budget.flops_used == 0 and len(budget.op_log) == 0


def assert_same(result, expected):
    if isinstance(expected, tuple):
        assert isinstance(result, tuple) and len(result) == len(expected)
        assert type(result) is type(expected)  # namedtuples stay namedtuples
        for r, e in zip(result, expected):
            assert_same(r, e)
        return
    assert isinstance(result, fnp.ndarray)
    assert result.dtype == expected.dtype and result.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(result), expected)


shapes_st = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6)
flags_st = st.booleans()


def ints(shape, seed=0, high=5):
    return np.random.default_rng(seed).integers(0, high, shape)


# ---------------------------------------------------------------------- unique
@SETTINGS
@given(shapes_st, flags_st, flags_st, flags_st, st.integers(0, 9))
def test_unique_flattened_is_sort_plus_neighbour_pass_plus_extra_passes(shape, ri, rv, rc, seed):
    x = ints(shape, seed)
    expected = np.unique(x, ri, rv, rc)
    result, cost = charged(fnp.unique, x, return_index=ri, return_inverse=rv, return_counts=rc)
    n = numel(shape)
    assert cost == U(n) + n * (rv + rc)
    assert_same(result, expected)


@SETTINGS
@given(shapes_st.filter(lambda s: len(s) >= 1), st.data())
def test_unique_along_an_axis_compares_whole_rows(shape, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    rv, rc = data.draw(flags_st), data.draw(flags_st)
    x = ints(shape, 3, high=2)
    expected = np.unique(x, return_inverse=rv, return_counts=rc, axis=axis)
    result, cost = charged(fnp.unique, x, False, rv, rc, axis)  # all positional
    n = shape[axis]
    m = numel(shape) // n if n else 0
    assert cost == m * U(n) + n * (rv + rc)
    assert_same(result, expected)


def test_unique_cost_does_not_depend_on_the_data_or_its_dtype():
    costs = set()
    for x in (np.zeros(64), np.arange(64.0), ints(64, 1), np.arange(64, dtype=np.int8)):
        for sorted_ in (True, False):
            if UNIQUE_SORTED:
                _, cost = charged(fnp.unique, x, sorted=sorted_, equal_nan=False)
            else:  # no ``sorted`` before NumPy 2.3: refused like NumPy, for nothing
                refused_like_numpy(fnp.unique, np.unique, x, sorted=sorted_)
                _, cost = charged(fnp.unique, x, equal_nan=sorted_)
            costs.add(cost)
    assert costs == {64 * 6 + 64}


@SETTINGS
@given(shapes_st, st.integers(0, 9))
def test_array_api_unique_functions(shape, seed):
    x = ints(shape, seed).astype(np.float32)
    n = numel(shape)
    for name, extra in (
        ("unique_values", 0),
        ("unique_counts", n),
        ("unique_inverse", n),
        ("unique_all", 2 * n),
    ):
        expected = getattr(np, name)(x)
        result, cost = charged(getattr(fnp, name), x)
        assert cost == U(n) + extra, name
        if name == "unique_values":  # NumPy leaves its order unspecified
            np.testing.assert_array_equal(np.sort(result), np.sort(expected))
        else:
            assert_same(result, expected)


# ---------------------------------------------------------------------- set routines
two_shapes = st.tuples(shapes_st, shapes_st)


@SETTINGS
@given(two_shapes, flags_st, st.integers(0, 9))
def test_set_routines_price_unique_steps_at_the_input_sizes(shapes, assume_unique, seed):
    sa, sb = shapes
    a, b = ints(sa, seed, 8), ints(sb, seed + 1, 8)
    n1, n2 = numel(sa), numel(sb)
    if assume_unique:  # give NumPy what the flag promises
        a, b = np.arange(n1).reshape(sa), np.arange(n1 // 2, n1 // 2 + n2).reshape(sb)
    merged = U(n1 + n2)
    both = 0 if assume_unique else U(n1) + U(n2)
    want = {
        "union1d": U(n1 + n2),
        "intersect1d": both + merged,
        "setxor1d": both + merged,
        "setdiff1d": both + isin_cost(n1, n2, assume_unique=True),
        "isin": isin_cost(n1, n2, assume_unique),
    }
    for name, cost_expected in want.items():
        args = (a, b) if name == "union1d" else (a, b, assume_unique)
        if name == "setxor1d" and assume_unique and not SETXOR_FLATTENS:
            if not numpy_accepts(np.setxor1d, *args):  # NumPy 2.0: 1-D inputs only
                assert not a.ndim == b.ndim == 1
                refused_like_numpy(fnp.setxor1d, np.setxor1d, *args)
                continue
        expected = getattr(np, name)(*args)
        result, cost = charged(getattr(fnp, name), *args)
        assert cost == cost_expected, name
        assert_same(result, expected)


@SETTINGS
@given(st.integers(0, 40), st.integers(0, 40), flags_st)
def test_isin_follows_numpys_branch_on_the_sizes(n1, n2, invert):
    a, b = ints(n1, n1, 50), ints(n2, n2, 50)
    for kind in (None, "sort", "table"):
        if kind == "table" and n2 == 0:
            continue
        expected = np.isin(a, b, invert=invert, kind=kind)
        result, cost = charged(fnp.isin, a, b, invert=invert, kind=kind)
        assert cost == isin_cost(n1, n2, kind=kind)
        assert_same(result, expected)
    # the sorting branch: many test values against few elements
    assert isin_cost(4, 13) == U(4) + 4 + U(13) + U(17)
    assert isin_cost(4, 12) == 48


def test_intersect1d_return_indices_adds_nothing():
    a, b = ints(20, 1, 9), ints(15, 2, 9)
    _, cost_plain = charged(fnp.intersect1d, a, b)
    triple, cost_idx = charged(fnp.intersect1d, a, b, return_indices=True)
    assert cost_plain == cost_idx == U(20) + U(15) + U(35)
    assert_same(triple, np.intersect1d(a, b, return_indices=True))


def test_in1d_is_billed_as_isin_where_numpy_has_it():
    if not hasattr(np, "in1d"):
        assert "in1d" not in REGISTRY
        return
    a, b = ints(20, 1), ints(30, 2)
    with unit_weights(), flops.BudgetContext(BIG, quiet=True) as budget:
        fnp.in1d(a, b)
    assert budget.flops_used == isin_cost(20, 30)
    assert budget.op_log[0].op_name == "isin"


# ---------------------------------------------------------------------- lexsort
@SETTINGS
@given(st.integers(1, 4), shapes_st.filter(lambda s: len(s) >= 1), st.data(), flags_st)
def test_lexsort_is_k_keys_times_the_sort_of_each_slice(k, key_shape, data, as_tuple):
    axis = data.draw(st.integers(-len(key_shape), len(key_shape) - 1))
    keys = ints((k, *key_shape), k, 3).astype(np.float64)
    passed = tuple(keys) if as_tuple else keys
    expected = np.lexsort(passed, axis=axis)
    result, cost = charged(fnp.lexsort, passed, axis)
    n = key_shape[axis]
    assert cost == k * (numel(key_shape) // n) * srt(n) if n else cost == 0
    assert_same(result, expected)


def test_lexsort_of_zero_d_keys_is_free_but_checks_the_axis():
    result, cost = charged(fnp.lexsort, [np.array(2.0), np.array(1.0)])
    assert cost == 0 and result == np.lexsort([np.array(2.0), np.array(1.0)])
    with pytest.raises(np.exceptions.AxisError):
        charged(fnp.lexsort, [np.array(2.0), np.array(1.0)], 3)


# ---------------------------------------------------------------------- trim_zeros, bits
@SETTINGS
@given(shapes_st, st.data())
def test_trim_zeros_scans_the_whole_array_once(shape, data):
    x = np.pad(ints(shape, 4, 2).astype(float), 1) if shape else np.array(0.0)
    trim = data.draw(st.sampled_from(["fb", "f", "b", "BF"]))
    kwargs = {}
    if TRIM_AXIS:
        kwargs["axis"] = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1)) if x.ndim else None
    elif x.ndim != 1:  # NumPy 2.0 iterates over the values of a 1-D sequence only
        refused_like_numpy(fnp.trim_zeros, np.trim_zeros, x, trim)
        return
    expected = np.trim_zeros(x, trim, **kwargs)
    result, cost = charged(fnp.trim_zeros, x, trim, **kwargs)
    assert cost == (numel(x.shape) if x.ndim else 0)
    if TRIM_KIND == "2.2" and not x.ndim:  # NumPy 2.2 returns the 0-d input's scalar
        assert type(expected) is np.float64 and isinstance(result, np.float64)
        assert result == expected
    else:
        assert_same(result, expected)


_X1 = np.array([0.0, 1.0, 2.0, 0.0])
_X2 = np.array([[0, 0, 0, 0], [0, 1, 2, 0], [0, 0, 3, 0]])
_AXIS = np.exceptions.AxisError
#: (args, kwargs, {NumPy's trim_zeros kind: cost, or the error NumPy raises})
TRIM_CALLS = [
    ((_X1, "x"), {}, {"2.0": 0, "2.2": ValueError, "tuple": ValueError}),  # 2.0: nothing
    ((_X1, "xF"), {}, {"2.0": 4, "2.2": ValueError, "tuple": ValueError}),
    ((_X1, "b"), {}, {"2.0": 4, "2.2": 4, "tuple": 4}),
    ((_X1,), {"axis": ()}, {"2.0": TypeError, "2.2": 4, "tuple": 0}),  # 2.2: ignored
    ((_X1,), {"axis": 5}, {"2.0": TypeError, "2.2": 4, "tuple": _AXIS}),  # 2.2: ignored
    ((_X2,), {}, {"2.0": ValueError, "2.2": 12, "tuple": 12}),  # 2.0: rows are ambiguous
    ((_X2, "b", -1), {}, {"2.0": TypeError, "2.2": 12, "tuple": 12}),
    ((_X2,), {"axis": (0,)}, {"2.0": TypeError, "2.2": TypeError, "tuple": 12}),
    ((_X2,), {"axis": ()}, {"2.0": TypeError, "2.2": TypeError, "tuple": 0}),
    ((_X2,), {"axis": 2}, {"2.0": TypeError, "2.2": _AXIS, "tuple": _AXIS}),
    ((np.array(0.0),), {}, {"2.0": TypeError, "2.2": 0, "tuple": 0}),
    ((np.array(0.0),), {"axis": 0}, {"2.0": TypeError, "2.2": _AXIS, "tuple": _AXIS}),
]


@pytest.mark.parametrize(("args", "kwargs", "outcomes"), TRIM_CALLS)
def test_trim_zeros_takes_the_installed_numpys_arguments(args, kwargs, outcomes):
    outcome = outcomes[TRIM_KIND]
    if isinstance(outcome, type):
        with pytest.raises(outcome):
            np.trim_zeros(*args, **kwargs)
        refused_like_numpy(fnp.trim_zeros, np.trim_zeros, *args, **kwargs)
        return
    expected = np.trim_zeros(*args, **kwargs)
    result, cost = charged(fnp.trim_zeros, *args, **kwargs)
    assert cost == outcome
    if isinstance(expected, np.ndarray):
        assert_same(result, expected)
    else:  # NumPy 2.2 returns the 0-d input's scalar
        assert isinstance(result, type(expected)) and result == expected


@SETTINGS
@given(shapes_st, st.data())
def test_packbits_and_unpackbits_cost_one_per_input_element(shape, data):
    axis = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1)) if shape else None
    order = data.draw(st.sampled_from(["big", "little"]))
    bits = ints(shape, 5, 2).astype(bool)
    packed, cost = charged(fnp.packbits, bits, axis=axis, bitorder=order)
    assert cost == numel(shape)
    assert_same(packed, np.packbits(bits, axis=axis, bitorder=order))
    # (count on an empty input gives NumPy's uninitialised padding: not compared)
    count = data.draw(st.none() | st.integers(0, 8)) if axis is not None and packed.size else None
    expected = np.unpackbits(np.asarray(packed), axis=axis, count=count, bitorder=order)
    unpacked, cost = charged(fnp.unpackbits, packed, axis, count, order)
    assert cost == numel(packed.shape)
    assert_same(unpacked, expected)


def test_bit_packing_is_not_a_multiply_add():
    with flops.BudgetContext(BIG, quiet=True) as budget:
        flops.configure(fma_cost=2)
        try:
            flops.reset_weights()
            fnp.packbits(np.ones(16, bool))
            fnp.unique(np.arange(8.0))
        finally:
            flops.configure(fma_cost=1)
            flops.load_weights()
    assert budget.flops_used == 16 + U(8)


# ---------------------------------------------------------------------- NumPy's functions
NUMPY_CALLS = [
    ("unique", lambda x, y: ((x,), {"return_counts": True})),
    ("unique", lambda x, y: ((x,), {"axis": 1, "return_inverse": True})),
    ("unique_all", lambda x, y: ((x,), {})),
    ("unique_counts", lambda x, y: ((x,), {})),
    ("unique_inverse", lambda x, y: ((x,), {})),
    ("unique_values", lambda x, y: ((x,), {})),
    ("union1d", lambda x, y: ((x, y), {})),
    ("intersect1d", lambda x, y: ((x, y), {"return_indices": True})),
    ("setxor1d", lambda x, y: ((x, y), {})),
    ("setdiff1d", lambda x, y: ((x, y), {})),
    ("isin", lambda x, y: ((x, y), {})),
    ("isin", lambda x, y: ((x, y), {"kind": "table"})),
    ("lexsort", lambda x, y: ((x,), {})),
    ("lexsort", lambda x, y: (((y, y),), {})),
    ("trim_zeros", lambda x, y: ((y,), {})),
    ("packbits", lambda x, y: ((x > 2,), {"axis": 0})),
    ("unpackbits", lambda x, y: ((x.astype(np.uint8),), {})),
]


@pytest.mark.parametrize(("name", "make"), NUMPY_CALLS)
def test_numpy_function_on_a_counted_array_is_charged_like_fnp(name, make):
    x, y = ints((6, 5), 7), ints((12,), 8)
    args, kwargs = make(x, y)
    expected = getattr(np, name)(*args, **kwargs)
    want_result, want = charged(getattr(fnp, name), *args, **kwargs)

    def counted(a):
        if isinstance(a, np.ndarray):
            return fnp.asarray(a)
        if isinstance(a, tuple):
            return tuple(counted(e) for e in a)
        return a

    with unit_weights(), flops.BudgetContext(BIG, quiet=True) as budget:
        result = getattr(np, name)(*map(counted, args), **kwargs)
    assert budget.flops_used == want > 0
    assert [r.op_name for r in budget.op_log] == [name]
    if name == "trim_zeros":
        np.testing.assert_array_equal(result, expected)
    else:
        assert_same(result, expected)
        assert_same(want_result, expected)


REFUSED = [
    (lambda m, x: m.unique(x, axis=2), np.exceptions.AxisError),
    (lambda m, x: m.unique(x, axis=(0,)), TypeError),
    (lambda m, x: m.unique(x[0, 0], axis=0), np.exceptions.AxisError),
    (lambda m, x: m.unique_all(x=x), TypeError),
    (lambda m, x: m.isin(x, x, kind="hash"), ValueError),
    (lambda m, x: m.isin(x.astype(float), x, kind="table"), ValueError),
    (lambda m, x: m.lexsort((x[0], x)), ValueError),
    (lambda m, x: m.lexsort(x, axis=1), np.exceptions.AxisError),
    (lambda m, x: m.lexsort(x, axis=None), TypeError),
    (lambda m, x: m.lexsort(x[:0]), TypeError),
    (lambda m, x: m.trim_zeros(x, axis=3), np.exceptions.AxisError if TRIM_AXIS else TypeError),
    (lambda m, x: m.packbits(x.astype(float)), TypeError),
    (lambda m, x: m.packbits(x, axis=2), np.exceptions.AxisError),
    (lambda m, x: m.unpackbits(x), TypeError),
]
if TRIM_AXIS:  # NumPy 2.0 takes any trim string (see TRIM_CALLS)
    REFUSED.append((lambda m, x: m.trim_zeros(x, "middle"), ValueError))
if not UNIQUE_SORTED:
    REFUSED.append((lambda m, x: m.unique(x, sorted=False), TypeError))
if not SETXOR_FLATTENS:
    REFUSED.append((lambda m, x: m.setxor1d(x, x, True), ValueError))


@pytest.mark.parametrize(("call", "error"), REFUSED)
def test_numpy_refusals_are_raised_and_charge_nothing(call, error):
    x = ints((3, 4), 9)
    with pytest.raises(error):
        call(np, x)
    for module, arg in ((fnp, x), (np, fnp.asarray(x))):  # fnp, and NumPy on counted data
        with flops.BudgetContext(BIG, quiet=True) as budget:
            with pytest.raises(error):
                call(module, arg)
        assert budget.flops_used == 0 and len(budget.op_log) == 0


def test_one_flop_short_runs_nothing():
    x = ints((50,), 1, 10)
    with unit_weights(), flops.BudgetContext(U(50) + 50 - 1, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.unique(x, return_counts=True)
    assert budget.flops_used == 0 and len(budget.op_log) == 0


def test_docstrings_carry_the_formulas():
    assert "ceil(log2 n)" in fnp.unique.__doc__
    assert "n1 + n2" in fnp.isin.__doc__ and "table" in fnp.isin.__doc__
    assert "k * n * ceil(log2 n)" in fnp.lexsort.__doc__
    assert "numel(filt)" in fnp.trim_zeros.__doc__
    assert "numel(a)" in fnp.packbits.__doc__ and "numel(a)" in fnp.unpackbits.__doc__
    for name in ("unique", "isin", "lexsort", "packbits", "trim_zeros"):
        assert REGISTRY[name].category == "counted_custom"
        assert not REGISTRY[name].fma


# ---------------------------------------------------------------------- as a user writes it
def test_label_encoding_and_frequencies():
    labels = np.array(["cat", "dog", "cat", "bird", "dog", "cat"])
    codes = np.array([1, 2, 1, 0, 2, 1])  # already numeric, as flopscope counts numbers
    with unit_weights(), flops.BudgetContext(BIG, quiet=True) as budget:
        values, inverse, counts = fnp.unique(codes, return_inverse=True, return_counts=True)
        most_common = values[fnp.argmax(counts)]
    ev, _, ec = np.unique(codes, return_inverse=True, return_counts=True)
    np.testing.assert_array_equal(values[inverse], codes)
    np.testing.assert_array_equal(counts, ec)
    assert most_common == ev[np.argmax(ec)] == 1
    assert labels[codes == most_common][0] == "cat"
    assert budget.flops_used == U(6) + 12 + 3  # unique + argmax over 3 counts


def test_filtering_rows_by_membership_and_sorting_by_two_columns():
    rng = np.random.default_rng(0)
    table = np.column_stack([rng.integers(0, 5, 40), rng.random(40)])
    keep = [1.0, 3.0]
    with unit_weights(), flops.BudgetContext(BIG, quiet=True) as budget:
        t = fnp.asarray(table)
        rows = t[fnp.isin(t[:, 0], keep)]
        order = fnp.lexsort((rows[:, 1], rows[:, 0]))  # by group, then by value
        ordered = rows[order]
    np_rows = table[np.isin(table[:, 0], keep)]
    np.testing.assert_array_equal(ordered, np_rows[np.lexsort((np_rows[:, 1], np_rows[:, 0]))])
    k = len(np_rows)
    assert budget.flops_used == 40 * 2 + 2 * srt(k)  # two test values: pairwise compares


def test_index_bookkeeping_with_set_routines():
    train = np.arange(0, 80, 3)
    seen = np.array([3, 9, 81, 90, 12, 9])
    with unit_weights(), flops.BudgetContext(BIG, quiet=True):
        new = fnp.setdiff1d(seen, train)
        common = fnp.intersect1d(seen, train)
        everything = fnp.union1d(train, seen)
        either = fnp.setxor1d(seen, train)
    np.testing.assert_array_equal(new, np.setdiff1d(seen, train))
    np.testing.assert_array_equal(common, np.intersect1d(seen, train))
    np.testing.assert_array_equal(everything, np.union1d(train, seen))
    np.testing.assert_array_equal(either, np.setxor1d(seen, train))


def test_mask_round_trip_and_trimmed_signal():
    mask = np.random.default_rng(2).random((4, 13)) > 0.5
    signal = np.array([0.0, 0.0, 0.5, -1.0, 0.0, 2.0, 0.0])
    with unit_weights(), flops.BudgetContext(BIG, quiet=True) as budget:
        packed = fnp.packbits(mask, axis=1)
        back = fnp.unpackbits(packed, axis=1, count=13).astype(bool)
        core = fnp.trim_zeros(signal)
    np.testing.assert_array_equal(back, mask)
    np.testing.assert_array_equal(core, np.trim_zeros(signal))
    assert budget.flops_used == 52 + packed.size + 7
