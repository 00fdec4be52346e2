"""Property tests of the contraction family's rules (inner, vdot, tensordot, outer,
kron) and of choose / select, against independent counts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp

# unit_weights sets process-wide state once for the whole test: the same for every input
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)


def _charged(fn, *args, **kwargs) -> int:
    with flops.BudgetContext(10**12) as budget:
        fn(*args, **kwargs)
    return budget.flops_used


@SETTINGS
@given(a=shapes, b=shapes)
def test_outer_and_kron_charge_one_multiplication_per_output_element(a, b, unit_weights):
    x, y = np.ones(a), np.ones(b)
    assert _charged(fnp.outer, x, y) == math.prod(a) * math.prod(b)
    assert _charged(fnp.kron, x, y) == np.kron(x, y).size


@SETTINGS
@given(
    lead_a=hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
    lead_b=hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
    k=st.integers(0, 4),
)
def test_inner_charges_every_product_of_the_shared_axis(lead_a, lead_b, k, unit_weights):
    x, y = np.ones((*lead_a, k)), np.ones((*lead_b, k))
    expected = math.prod(lead_a) * math.prod(lead_b) * k
    assert _charged(fnp.inner, x, y) == expected
    assert _charged(np.inner, fnp.asarray(x), y) == expected  # NumPy's own, on counted


@SETTINGS
@given(
    free_a=hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
    free_b=hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
    summed=hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
)
def test_tensordot_charges_free_times_free_times_summed(free_a, free_b, summed, unit_weights):
    x = np.ones((*free_a, *summed))
    y = np.ones((*summed, *free_b))
    expected = math.prod(free_a) * math.prod(free_b) * math.prod(summed)
    assert _charged(fnp.tensordot, x, y, axes=len(summed)) == expected
    # the same contraction as einsum prices it (einsum: product of all index sizes)
    letters = "abcdefgh"
    fa, fb, s = letters[: len(free_a)], letters[2 : 2 + len(free_b)], letters[4 : 4 + len(summed)]
    spec = f"{fa}{s},{s}{fb}->{fa}{fb}"
    assert _charged(fnp.einsum, spec, x, y) == expected


@SETTINGS
@given(n=st.integers(0, 30))
def test_vdot_charges_one_multiply_add_per_element(n, unit_weights):
    assert _charged(fnp.vdot, np.ones(n), np.ones(n)) == n


def test_contraction_family_is_fma_priced(unit_weights_fma_two):
    x, y = np.ones((3, 4)), np.ones((3, 4))
    assert _charged(fnp.inner, x, y) == 2 * 3 * 3 * 4
    assert _charged(fnp.inner, x, x) == 2 * 6 * 4  # one array: 6 distinct entries
    assert _charged(fnp.outer, x, x) == 12 * 12  # multiplications only: not doubled


@pytest.mark.parametrize(
    "call",
    [
        lambda: fnp.inner(np.ones((2, 3)), np.ones((2, 4))),
        lambda: fnp.vdot(np.ones(3), np.ones(4)),
        lambda: fnp.tensordot(np.ones((2, 3)), np.ones((4, 2)), axes=1),
        lambda: fnp.tensordot(np.ones((2, 3)), np.ones((3, 2)), axes=([0], [0])),
    ],
)
def test_misaligned_operands_raise_and_charge_nothing(call):
    with flops.BudgetContext(10**6) as budget, pytest.raises(ValueError):
        call()
    assert budget.flops_used == 0


@SETTINGS
@given(n_choices=st.integers(1, 4), shape=hnp.array_shapes(min_dims=1, max_dims=2, max_side=4))
def test_choose_and_select_price_their_passes(n_choices, shape, unit_weights):
    index = np.zeros(shape, dtype=int)
    choices = [np.full(shape, float(i)) for i in range(n_choices)]
    assert _charged(fnp.choose, index, choices) == math.prod(shape)
    conditions = [np.ones(shape, bool) for _ in range(n_choices)]
    assert _charged(fnp.select, conditions, choices) == n_choices * math.prod(shape)
    assert _charged(np.select, conditions, [fnp.asarray(c) for c in choices]) == (
        n_choices * math.prod(shape)
    )


SPELLINGS = {
    # (m, k) @ (k, n) written every way NumPy offers
    "matmul": lambda a, b: fnp.matmul(a, b),
    "@": lambda a, b: a @ b,
    "dot": lambda a, b: fnp.dot(a, b),
    "einsum": lambda a, b: fnp.einsum("ik,kj->ij", a, b),
    "einsum optimize": lambda a, b: fnp.einsum("ik,kj->ij", a, b, optimize=True),
    "tensordot": lambda a, b: fnp.tensordot(a, b, axes=1),
    "inner": lambda a, b: fnp.inner(a, b.T),
    "np.matmul on counted": lambda a, b: np.matmul(a, b),
    "np.einsum on counted": lambda a, b: np.einsum("ik,kj->ij", a, b),
}


@pytest.mark.parametrize("spell", SPELLINGS.values(), ids=SPELLINGS.keys())
@pytest.mark.parametrize("shape", [(3, 4, 5), (1, 7, 2), (6, 1, 6)])
def test_every_spelling_of_a_matrix_product_is_charged_the_same(spell, shape, unit_weights):
    m, k, n = shape
    a = fnp.asarray(np.arange(m * k, dtype=float).reshape(m, k))
    b = fnp.asarray(np.arange(k * n, dtype=float).reshape(k, n))
    with flops.BudgetContext(10**9) as budget:
        got = spell(a, b)
    np.testing.assert_allclose(np.asarray(got), np.asarray(a) @ np.asarray(b))
    assert budget.flops_used == m * k * n


def test_vector_spellings_are_charged_the_same(unit_weights):
    x = fnp.arange(5.0)
    for spell in (
        lambda: fnp.vdot(x, x),
        lambda: fnp.inner(x, x),
        lambda: fnp.dot(x, x),
        lambda: x @ x,
        lambda: fnp.einsum("i,i->", x, x),
        lambda: fnp.tensordot(x, x, axes=1),
    ):
        with flops.BudgetContext(10**6) as budget:
            result = spell()
        assert float(result) == 30.0  # float(): converting is not an operation
        assert budget.flops_used == 5


@pytest.mark.parametrize(
    ("fn", "args", "kwargs", "moved"),
    [
        # vecdot along axis 0 is vecdot of the operands with that axis moved last
        (fnp.vecdot, ((5, 2), (5, 1)), {"axis": 0}, ((2, 5), (1, 5))),
        (fnp.vecdot, ((3, 4, 2), (3, 4, 2)), {"axis": 1}, ((3, 2, 4), (3, 2, 4))),
        (fnp.vecdot, ((3, 4, 2), (3, 4, 2)), {"axes": [1, 1, ()]}, ((3, 2, 4), (3, 2, 4))),
        # matmul with its core axes elsewhere: (4, 3) @ (3, 5) once moved
        (
            fnp.matmul,
            ((3, 4), (5, 3)),
            {"axes": [(-1, -2), (-1, -2), (-1, -2)]},
            ((4, 3), (3, 5)),
        ),
        (fnp.matmul, ((2, 6, 4), (2, 4, 3)), {"axes": [(1, 2), (1, 2), (1, 2)]}, None),
    ],
)
def test_gufunc_core_axes_keywords_are_priced_on_the_moved_axes(
    fn, args, kwargs, moved, unit_weights
):
    ops = [np.ones(s) for s in args]
    charged = _charged(fn, *ops, **kwargs)
    if moved is not None:
        assert charged == _charged(fn, *(np.ones(s) for s in moved))
    else:
        assert charged == 2 * 6 * 4 * 3
    name = fn.__name__
    np.testing.assert_array_equal(fn(*ops, **kwargs), getattr(np, name)(*ops, **kwargs))


def test_gufunc_core_axes_that_do_not_fit_raise_and_charge_nothing():
    with flops.BudgetContext(10**9) as budget:
        with pytest.raises(ValueError):
            fnp.vecdot(np.ones((5, 2)), np.ones((4, 2)), axis=0)
        with pytest.raises((ValueError, np.exceptions.AxisError)):
            fnp.matmul(np.ones((3, 4)), np.ones((4, 3)), axes=[(0, 5), (0, 1), (0, 1)])
    assert budget.flops_used == 0


def test_a_sequence_of_arrays_is_recorded_with_their_shapes():
    a, b, c = np.ones((3, 4)), np.ones((4, 5)), np.ones((5, 2))
    with flops.BudgetContext(10**9) as budget:
        fnp.linalg.multi_dot([a, b, c])
        with pytest.raises(flops.UnsupportedDtypeError):
            fnp.linalg.multi_dot([a, np.array([["x"] * 5] * 4), c])
    (record,) = budget.op_log
    assert record.shapes == ((3, 4), (4, 5), (5, 2))
