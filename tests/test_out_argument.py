"""``out=`` and in-place operators: NumPy's results, the documented charge, and nothing
written when the budget refuses (they take the fast ufunc body)."""

from __future__ import annotations

import operator

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp

BIG = 10**12
RNG = np.random.default_rng(11)
A = RNG.random((3, 4)) + 0.5
B = RNG.random((3, 4)) + 0.5
MASK = A > 0.9

# (id, call(f, a, b, out), numel charged); f is fnp or np (the reference)
OUT_CASES = [
    ("add out=c", lambda f, a, b, c: f.add(a, b, out=c), 12),
    ("add out=(c,)", lambda f, a, b, c: f.add(a, b, out=(c,)), 12),
    ("multiply out=a", lambda f, a, b, c: f.multiply(a, b, out=a), 12),
    ("exp out=c", lambda f, a, b, c: f.exp(a, out=c), 12),
    ("sqrt out=a", lambda f, a, b, c: f.sqrt(a, out=a), 12),
    ("maximum row out=c", lambda f, a, b, c: f.maximum(a, b[0], out=c), 12),
    ("add scalar out=c", lambda f, a, b, c: f.add(a, 2.0, out=c), 12),
    ("out wider than inputs", lambda f, a, b, c: f.add(a[0], b[0], out=c), 12),
    ("out with where", lambda f, a, b, c: f.add(a, b, out=c, where=MASK), 12),
]


@pytest.mark.parametrize(("case", "call", "numel"), OUT_CASES, ids=[c[0] for c in OUT_CASES])
@pytest.mark.parametrize("out_kind", ["counted", "plain"])
def test_out_matches_numpy_returns_the_out_object_and_charges_numel(
    case, call, numel, out_kind, unit_weights
):
    expected_a, expected_c = A.copy(), np.zeros((3, 4))
    want = call(np, expected_a, B, expected_c)
    a = fnp.asarray(A.copy())
    c = fnp.zeros((3, 4)) if out_kind == "counted" else np.zeros((3, 4))
    with flops.BudgetContext(BIG) as budget:
        got = call(fnp, a, fnp.asarray(B), c)
    assert budget.flops_used == numel
    assert got is (a if want is expected_a else c)
    np.testing.assert_array_equal(np.asarray(a), expected_a)
    np.testing.assert_array_equal(np.asarray(c), expected_c)


@pytest.mark.parametrize(("case", "call", "numel"), OUT_CASES, ids=[c[0] for c in OUT_CASES])
def test_out_one_flop_short_raises_and_writes_nothing(case, call, numel, unit_weights):
    a = fnp.asarray(A.copy())
    c = fnp.full((3, 4), 7.0)
    with flops.BudgetContext(numel - 1, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            call(fnp, a, fnp.asarray(B), c)
    assert budget.flops_used == 0
    np.testing.assert_array_equal(np.asarray(a), A)
    np.testing.assert_array_equal(np.asarray(c), np.full((3, 4), 7.0))


IN_PLACE = [
    ("+=", operator.iadd, B),
    ("-=", operator.isub, 1.5),
    ("*=", operator.imul, 2.0),
    ("/=", operator.itruediv, B[0]),
    ("**=", operator.ipow, 3),  # not 2: NumPy 2.0 squares x **= 2 by a faster path
    ("@=", operator.imatmul, None),
]


@pytest.mark.parametrize(("case", "op", "other"), IN_PLACE, ids=[c[0] for c in IN_PLACE])
def test_in_place_one_flop_short_leaves_the_target_unchanged(case, op, other, unit_weights):
    if other is None:  # a square matmul: 4 * 4 * 4 FMAs
        start, other, cost = np.eye(4) * 2.0, np.arange(16.0).reshape(4, 4), 64
    else:
        start, cost = A.copy(), 12
    x = fnp.asarray(start.copy())
    operand = fnp.asarray(other) if isinstance(other, np.ndarray) else other
    with flops.BudgetContext(cost - 1, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            op(x, operand)
    assert budget.flops_used == 0
    np.testing.assert_array_equal(np.asarray(x), start)
    with flops.BudgetContext(cost) as budget:
        result = op(x, operand)
    assert result is x and budget.flops_used == cost
    np.testing.assert_array_equal(np.asarray(x), op(start.copy(), other))


def test_out_of_the_wrong_shape_raises_numpys_error_and_charges_nothing():
    a = fnp.ones((3, 4))
    out = fnp.full((2, 4), 5.0)
    with flops.BudgetContext(BIG) as budget, pytest.raises(ValueError):
        fnp.add(a, a, out=out)
    assert budget.flops_used == 0
    np.testing.assert_array_equal(np.asarray(out), np.full((2, 4), 5.0))


def test_out_that_cannot_hold_the_result_raises_and_charges_nothing():
    out = fnp.zeros(4, dtype=np.int64)
    # NumPy's casting error is a TypeError
    with flops.BudgetContext(BIG) as budget, pytest.raises(TypeError):
        fnp.multiply(fnp.ones(4), 0.5, out=out)
    assert budget.flops_used == 0
    np.testing.assert_array_equal(np.asarray(out), np.zeros(4))


def test_out_that_is_not_an_array_raises_like_numpy():
    with pytest.raises(TypeError), flops.BudgetContext(BIG) as budget:
        fnp.add(fnp.ones(2), 1.0, out=[0.0, 0.0])
    assert budget.flops_used == 0


def test_numpy_ufunc_with_out_on_counted_arrays_is_charged():
    a, c = fnp.ones(5), fnp.zeros(5)
    with flops.BudgetContext(BIG) as budget:
        got = np.add(a, a, out=c)
    assert got is c and budget.flops_used == 5
    np.testing.assert_array_equal(np.asarray(c), np.full(5, 2.0))


def test_out_records_the_inputs_shapes_like_the_plain_call():
    a, c = fnp.ones((2, 3)), fnp.zeros((2, 3))
    with flops.BudgetContext(BIG) as budget:
        fnp.add(a, a, out=c)
        fnp.add(a, a)
        a += a
    assert [r.shapes for r in budget.op_log] == [((2, 3), (2, 3))] * 3
    assert [r.op_name for r in budget.op_log] == ["add"] * 3


@pytest.mark.parametrize(
    "call",
    [
        lambda ro: fnp.cumsum(np.arange(9.0), out=ro),
        lambda ro: np.cumsum(fnp.arange(9.0), out=ro),
        lambda ro: fnp.clip(np.arange(9.0), 1, 5, out=ro),
        lambda ro: fnp.sum(np.ones((3, 9)), axis=0, out=ro),
    ],
)
def test_a_read_only_out_buffer_is_refused_before_anything_runs(call):
    ro = np.zeros(9)
    ro.flags.writeable = False
    with flops.BudgetContext(10**6) as budget:
        with pytest.raises(ValueError, match="read-only"):
            call(ro)
    assert budget.flops_used == 0 and not ro.any()
