"""Property tests of numpy.linalg's contraction-family rows: multi_dot against every
parenthesization of its chain, the other spellings against their top-level namesakes,
refusals that charge nothing, and the FMA convention."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._registry import REGISTRY, pending

# unit_weights sets process-wide state once for the whole test: the same for every input
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _charged(fn, *args, **kwargs) -> int:
    with flops.BudgetContext(10**12) as budget:
        fn(*args, **kwargs)
    return budget.flops_used


# ---------------------------------------------------------------- multi_dot


def _orders(arrays: list, i: int, j: int) -> Iterator:
    """Every parenthesization of ``arrays[i..j]`` as a function that multiplies it
    with ``@``."""
    if i == j:
        yield lambda: arrays[i]
        return
    for split in range(i, j):
        for left in _orders(arrays, i, split):
            for right in _orders(arrays, split + 1, j):
                yield lambda left=left, right=right: left() @ right()


@st.composite
def chains(draw, max_matrices: int = 6):
    """(shapes, dims): a chain of 2..6 arrays, the first and last possibly 1-D."""
    n = draw(st.integers(2, max_matrices))
    dims = draw(st.lists(st.integers(0, 6), min_size=n + 1, max_size=n + 1))
    shapes = [(dims[i], dims[i + 1]) for i in range(n)]
    if draw(st.booleans()):
        shapes[0] = (dims[1],)
    if draw(st.booleans()):
        shapes[-1] = (dims[-2],)
    return shapes


@SETTINGS
@given(shapes=chains(), seed=st.integers(0, 2**32 - 1))
def test_multi_dot_charges_the_cheapest_parenthesization_done_with_matmul(
    shapes, seed, unit_weights
):
    rng = np.random.default_rng(seed)
    arrays = [fnp.asarray(rng.standard_normal(s)) for s in shapes]
    # brute force: every order written out with @, each priced by matmul's own row
    cheapest = min(_charged(order) for order in _orders(arrays, 0, len(arrays) - 1))
    with flops.BudgetContext(10**12) as budget:
        got = fnp.linalg.multi_dot(arrays)
    assert budget.flops_used == cheapest
    assert type(budget.flops_used) is int
    expected = np.linalg.multi_dot([np.asarray(a) for a in arrays])
    np.testing.assert_array_equal(np.asarray(got), expected)
    assert np.shape(got) == np.shape(expected)


def test_multi_dot_with_two_arrays_costs_the_product(unit_weights):
    a, b, v = np.ones((3, 4)), np.ones((4, 5)), np.ones(4)
    for x, y in ((a, b), (v, b), (a, v), (v, v)):
        assert _charged(fnp.linalg.multi_dot, [x, y]) == _charged(fnp.matmul, x, y)


def test_numpy_multi_dot_on_counted_arrays_is_charged(unit_weights):
    a, b, c = fnp.ones((10, 30)), fnp.ones((30, 5)), fnp.ones((5, 60))
    with flops.BudgetContext(10**9) as budget:
        result = np.linalg.multi_dot([a, b, c])
    assert isinstance(result, fnp.ndarray)
    assert budget.flops_used == 10 * 30 * 5 + 10 * 5 * 60
    assert [r.op_name for r in budget.op_log] == ["linalg.multi_dot"]


def test_multi_dot_writes_out_and_returns_it(unit_weights):
    a, b, c = np.ones((2, 3)), np.ones((3, 4)), np.ones((4, 2))
    out = fnp.zeros((2, 2))
    with flops.BudgetContext(10**6) as budget:
        result = fnp.linalg.multi_dot([a, b, c], out=out)
    assert result is out
    np.testing.assert_array_equal(out, np.linalg.multi_dot([a, b, c]))
    assert budget.flops_used == 3 * 4 * 2 + 2 * 3 * 2  # A(BC)


M34 = np.ones((3, 4))


@pytest.mark.parametrize(
    ("arrays", "error", "message"),
    [
        ([], ValueError, "Expecting at least two arrays"),
        ([M34], ValueError, "Expecting at least two arrays"),
        ([M34, np.ones((4, 2, 2)), M34.T], np.linalg.LinAlgError, "3-dimensional array given"),
        ([np.float64(1.0), M34, M34.T], np.linalg.LinAlgError, "0-dimensional array given"),
        ([M34, M34.T, np.ones((2, 3)), M34], ValueError, r"\(4, 3\) and \(2, 3\) not aligned"),
        ([np.ones(4), M34, M34.T], ValueError, r"\(4,\) and \(3, 4\) not aligned"),
        ([M34, M34.T, np.ones(3), M34], np.linalg.LinAlgError, "1-dimensional array given"),
        (iter([M34, M34.T, M34]), TypeError, "has no len"),
        (
            [np.array([["a", "b"]]), np.ones((2, 2)), np.ones((2, 1))],
            flops.UnsupportedDtypeError,
            "str data",
        ),
    ],
    ids=[
        "none",
        "one",
        "3-D",
        "0-d first",
        "misaligned",
        "1-D misaligned",
        "1-D inside",
        "iterator",
        "str",
    ],
)
def test_multi_dot_refuses_bad_input_before_charging(arrays, error, message):
    with flops.BudgetContext(10**9) as budget:
        with pytest.raises(error, match=message):
            fnp.linalg.multi_dot(arrays)
    assert budget.flops_used == 0
    assert len(budget.op_log) == 0
    if error is not flops.UnsupportedDtypeError:  # NumPy refuses the same input the same way
        with pytest.raises(error):
            np.linalg.multi_dot(arrays if not isinstance(arrays, Iterator) else iter([M34] * 3))


def test_multi_dot_is_fma_priced(unit_weights_fma_two):
    a, b, c = np.ones((10, 30)), np.ones((30, 5)), np.ones((5, 60))
    with flops.BudgetContext(10**9) as budget:
        fnp.linalg.multi_dot([a, b, c])
    assert budget.flops_used == 2 * (10 * 30 * 5 + 10 * 5 * 60)
    assert budget.flops_used == _charged(lambda: (fnp.asarray(a) @ b) @ c)


def test_linalg_contractions_are_fma_priced_and_outer_and_trace_are_not(unit_weights_fma_two):
    x = np.ones((3, 4))
    assert _charged(fnp.linalg.matmul, x, np.ones((4, 3))) == 2 * 3 * 4 * 3
    assert _charged(fnp.linalg.matmul, x, x.T) == 2 * 6 * 4  # a Gram matrix: 6 entries
    assert _charged(fnp.linalg.tensordot, x, x) == 2 * 12
    assert _charged(fnp.linalg.vecdot, x, x) == 2 * 12
    assert _charged(fnp.linalg.outer, x[0], x[:, 0]) == 4 * 3
    assert _charged(fnp.linalg.trace, x) == 3


# ---------------------------------------------------------------- the other spellings

batch_shapes = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3)


@SETTINGS
@given(batch=batch_shapes, m=st.integers(1, 4), k=st.integers(0, 4), n=st.integers(1, 4))
def test_linalg_matmul_is_charged_as_matmul(batch, m, k, n, unit_weights):
    a, b = np.ones((*batch, m, k)), np.ones((k, n))
    assert _charged(fnp.linalg.matmul, a, b) == math.prod(batch) * m * k * n
    assert _charged(fnp.linalg.matmul, a, b) == _charged(fnp.matmul, a, b)


@SETTINGS
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
    data=st.data(),
)
def test_linalg_vecdot_along_any_axis_is_charged_as_vecdot(shape, data, unit_weights):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = np.ones(shape)
    expected = math.prod(shape)  # x with itself: one multiply-add per element
    assert _charged(fnp.linalg.vecdot, x, x, axis=axis) == expected
    moved = np.moveaxis(x, axis, -1)
    assert _charged(fnp.linalg.vecdot, x, x, axis=axis) == _charged(fnp.vecdot, moved, moved)
    np.testing.assert_array_equal(
        np.asarray(fnp.linalg.vecdot(x, x, axis=axis)), np.linalg.vecdot(x, x, axis=axis)
    )


@SETTINGS
@given(
    shape=hnp.array_shapes(min_dims=2, max_dims=4, min_side=0, max_side=4),
    offset=st.integers(-4, 4),
)
def test_linalg_trace_is_the_trace_of_the_last_two_axes(shape, offset, unit_weights):
    x = np.ones(shape)
    charged = _charged(fnp.linalg.trace, x, offset=offset)
    assert charged == _charged(fnp.trace, x, offset, -2, -1)
    assert charged == np.diagonal(x, offset, -2, -1).size
    np.testing.assert_array_equal(
        np.asarray(fnp.linalg.trace(x, offset=offset)), np.linalg.trace(x, offset=offset)
    )


@SETTINGS
@given(a=st.integers(0, 6), b=st.integers(0, 6))
def test_linalg_outer_charges_one_multiplication_per_element(a, b, unit_weights):
    assert _charged(fnp.linalg.outer, np.ones(a), np.ones(b)) == a * b


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: fnp.linalg.outer(np.ones((2, 3)), np.ones(3)), ValueError),
        (lambda: fnp.linalg.outer(2.0, np.ones(3)), ValueError),
        (lambda: fnp.linalg.vecdot(np.ones(3), np.ones(3), axis=1), np.exceptions.AxisError),
        (lambda: fnp.linalg.vecdot(np.ones(3), np.ones(4)), ValueError),
        (lambda: fnp.linalg.vecdot(2.0, np.ones(4)), ValueError),
        (lambda: fnp.linalg.matmul(np.ones((2, 3)), np.ones((2, 3))), ValueError),
        (lambda: fnp.linalg.trace(np.ones(3)), ValueError),
    ],
)
def test_linalg_refusals_charge_nothing(call, error):
    with flops.BudgetContext(10**6) as budget, pytest.raises(error):
        call()
    assert budget.flops_used == 0 and len(budget.op_log) == 0


# ---------------------------------------------------------------- the namespace


def test_every_linalg_callable_is_registered_and_none_is_pending():
    for short in dir(np.linalg):
        if short.startswith("_") or short in ("test", "LinAlgError"):
            continue
        if callable(getattr(np.linalg, short)):
            assert f"linalg.{short}" in REGISTRY and f"linalg.{short}" not in pending()
            assert callable(getattr(fnp.linalg, short))
    assert not [name for name in pending() if name.startswith("linalg.")]
    # NumPy's own function on a counted array is counted through the same row, at its weight
    with flops.BudgetContext(10**6) as budget:
        np.linalg.inv(fnp.eye(2))
    assert budget.flops_used == round(((2**3 - 2) // 3 + 2**3) * flops.get_weight("linalg.inv"))
    assert [record.op_name for record in budget.op_log] == ["linalg.inv"]


def test_linalg_views_are_free():
    x = fnp.asarray(np.arange(24.0).reshape(2, 3, 4))
    with flops.BudgetContext(0) as budget:
        t = fnp.linalg.matrix_transpose(x)
        d = fnp.linalg.diagonal(x, offset=1)
    assert budget.flops_used == 0
    np.testing.assert_array_equal(t, np.linalg.matrix_transpose(np.asarray(x)))
    np.testing.assert_array_equal(d, np.linalg.diagonal(np.asarray(x), offset=1))
