"""One buffer seen through a transpose: every spelling of a Gram matrix is charged its
distinct entries (the output is symmetric by construction), and nothing else is."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _charged(fn):
    with flops.BudgetContext(10**12, quiet=True) as budget:
        result = fn()
    return np.asarray(result), budget.flops_used


#: spellings of X^T X (columns' Gram matrix), each given the same buffer X
COLUMN_GRAMS = {
    "X.T @ X": lambda X: X.T @ X,
    "matmul(X.T, X)": lambda X: fnp.matmul(X.T, X),
    "dot(X.T, X)": lambda X: fnp.dot(X.T, X),
    "np.dot(X.T, X)": lambda X: np.dot(X.T, X),
    "X.T.dot(X)": lambda X: X.T.dot(X),
    "einsum('ji,jk->ik', X, X)": lambda X: fnp.einsum("ji,jk->ik", X, X),
    "einsum('ij,ik->jk', X, X)": lambda X: fnp.einsum("ij,ik->jk", X, X),
    "einsum('ij,jk->ik', X.T, X)": lambda X: fnp.einsum("ij,jk->ik", X.T, X),
    "tensordot(X, X, ([0], [0]))": lambda X: fnp.tensordot(X, X, axes=([0], [0])),
    "tensordot(X.T, X, 1)": lambda X: fnp.tensordot(X.T, X, 1),
    "linalg.matmul(X.T, X)": lambda X: fnp.linalg.matmul(X.T, X),
    "inner(X.T, X.T)": lambda X: fnp.inner(X.T, X.T),
}
#: spellings of X X^T (rows' Gram matrix)
ROW_GRAMS = {
    "X @ X.T": lambda X: X @ X.T,
    "inner(X, X)": lambda X: fnp.inner(X, X),
    "dot(X, X.T)": lambda X: fnp.dot(X, X.T),
    "einsum('ij,kj->ik', X, X)": lambda X: fnp.einsum("ij,kj->ik", X, X),
    "einsum('ij,jk->ik', X, X.T)": lambda X: fnp.einsum("ij,jk->ik", X, X.T),
    "tensordot(X, X, ([1], [1]))": lambda X: fnp.tensordot(X, X, axes=([1], [1])),
}


def _buffer(m, k, order):
    return fnp.asarray(np.asarray(np.random.default_rng(m * 10 + k).random((m, k)), order=order))


@SETTINGS
@given(m=st.integers(1, 7), k=st.integers(1, 7), order=st.sampled_from("CF"))
def test_every_spelling_of_a_gram_matrix_is_charged_its_distinct_entries(m, k, order, unit_weights):
    X = _buffer(m, k, order)
    plain = np.asarray(X)
    for name, spell in COLUMN_GRAMS.items():
        value, cost = _charged(lambda spell=spell: spell(X))
        np.testing.assert_allclose(value, plain.T @ plain, rtol=1e-12, err_msg=name)
        assert cost == k * (k + 1) // 2 * m, name
    for name, spell in ROW_GRAMS.items():
        value, cost = _charged(lambda spell=spell: spell(X))
        np.testing.assert_allclose(value, plain @ plain.T, rtol=1e-12, err_msg=name)
        assert cost == m * (m + 1) // 2 * k, name


@pytest.mark.parametrize(
    ("name", "call", "dense"),
    [
        ("a copy of the transpose", lambda X: X.T.copy() @ X, 4 * 6 * 4),
        ("the same square matrix", lambda X: X[:4] @ X[:4], 4 * 4 * 4),
        ("shifted views of one buffer", lambda X: X[1:5].T @ X[:4], 4 * 4 * 4),
        ("another array", lambda X: X.T @ fnp.asarray(np.asarray(X).copy()), 4 * 6 * 4),
        ("a strided transpose", lambda X: X[::2].T @ X[1::2], 4 * 3 * 4),
    ],
)
def test_products_that_are_not_gram_matrices_are_charged_in_full(name, call, dense, unit_weights):
    X = _buffer(6, 4, "C")
    value, cost = _charged(lambda: call(X))
    np.testing.assert_allclose(value, np.asarray(call(np.asarray(X))))
    assert cost == dense, name


def test_a_batch_of_gram_matrices(unit_weights):
    A = fnp.asarray(np.random.default_rng(0).random((3, 5, 2)))
    value, cost = _charged(lambda: A @ np.swapaxes(A, -1, -2))
    np.testing.assert_allclose(value, np.asarray(A) @ np.swapaxes(np.asarray(A), -1, -2))
    assert cost == 3 * (5 * 6 // 2) * 2


def test_fma_cost_two_doubles_the_symmetric_charge(fma_two):
    X = _buffer(10, 4, "C")
    assert _charged(lambda: X.T @ X)[1] == 2 * (4 * 5 // 2) * 10
    assert _charged(lambda: fnp.einsum("ij,jk->ik", X.T, X))[1] == 2 * (4 * 5 // 2) * 10


def test_a_chain_starting_with_a_gram_matrix_prices_the_symmetric_step(unit_weights):
    X = _buffer(50, 20, "C")
    Y = fnp.asarray(np.ones((20, 7)))
    value, cost = _charged(lambda: fnp.einsum("ij,jk,kl->il", X.T, X, Y))
    np.testing.assert_allclose(value, np.asarray(X).T @ np.asarray(X) @ np.ones((20, 7)))
    assert cost == (20 * 21 // 2) * 50 + 20 * 20 * 7
