"""``vectorize`` and ``frompyfunc`` run the user's function on counted scalars."""

from __future__ import annotations

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp

X = np.array([0.5, 1.5, 2.5, 3.5])
Y = np.array([1.0, 1.0, 3.0, 3.0])


def clipped_product(a, b):
    return a * b + 1.0 if a > b else a - b


def test_vectorize_matches_numpy_and_charges_what_the_function_computes(unit_weights):
    expected = np.vectorize(clipped_product)(X, Y)
    with flops.BudgetContext(10**6) as budget:
        got = fnp.vectorize(clipped_product)(fnp.asarray(X), fnp.asarray(Y))
    np.testing.assert_array_equal(got, expected)
    assert type(got) is fnp.ndarray and got.dtype == expected.dtype
    # NumPy calls the function on the first pair once more to find the output type:
    # (0.5, 1.0) twice -> compare + subtract; (1.5, 1.0), (3.5, 3.0) -> compare, multiply,
    # add; (2.5, 3.0) -> compare + subtract
    names = [r.op_name for r in budget.op_log]
    assert names.count("greater") == 5
    assert budget.flops_used == 5 + 3 * 1 + 2 * 2


def test_vectorize_with_otypes_calls_once_per_element(unit_weights):
    with flops.BudgetContext(10**6) as budget:
        got = fnp.vectorize(lambda t: t * t, otypes=[float])(fnp.asarray(X))
    np.testing.assert_array_equal(got, X * X)
    assert budget.flops_used == 4


def test_vectorize_as_a_decorator_with_and_without_arguments(unit_weights):
    @fnp.vectorize
    def square(t):
        return t * t

    @fnp.vectorize(otypes=[np.float32])
    def half(t):
        return t / 2

    np.testing.assert_array_equal(square(X), X * X)
    assert half(X).dtype == np.float32
    assert square.pyfunc.__name__ == "square"


def test_vectorize_with_a_signature_hands_out_counted_arrays(unit_weights):
    rows = np.arange(12.0).reshape(3, 4)
    with flops.BudgetContext(10**6) as budget:
        got = fnp.vectorize(lambda row: row.sum(), signature="(n)->()")(rows)
    np.testing.assert_array_equal(got, rows.sum(axis=1))
    assert budget.flops_used == 12


def test_frompyfunc_matches_numpy_and_is_charged(unit_weights):
    plus = fnp.frompyfunc(lambda a, b: a + b, 2, 1)
    expected = np.frompyfunc(lambda a, b: a + b, 2, 1)(X, Y)
    with flops.BudgetContext(10**6) as budget:
        got = plus(fnp.asarray(X), Y)
        total = plus.reduce(fnp.asarray(X))
    assert got.dtype == object and list(got) == list(expected)
    assert total == X.sum()
    assert budget.flops_used == 4 + 3
    assert plus.nin == 2 and plus.nout == 1
    assert got.astype(float).dtype == np.float64  # converting is free


def test_arithmetic_on_object_results_is_refused_not_free():
    got = fnp.frompyfunc(lambda a: a, 1, 1)(fnp.asarray(X))
    with pytest.raises(flops.UnsupportedDtypeError):
        got + 1


def test_vectorize_one_flop_short_raises_inside_the_function(unit_weights):
    with flops.BudgetContext(3, quiet=True) as budget, pytest.raises(flops.BudgetExhaustedError):
        fnp.vectorize(lambda t: t * t, otypes=[float])(fnp.asarray(X))
    assert budget.flops_used == 3
