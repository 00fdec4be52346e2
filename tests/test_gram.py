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


@st.composite
def transposed_pair(draw):
    """(subscripts, X, perm): X and X.transpose(perm) as the two operands of a random
    contraction whose terms agree on every index's size."""
    rank = draw(st.integers(2, 3))
    # axes longer than 1: with length-1 axes several rewritings are equally right, and
    # the planner may find the symmetry in one of them only (a lower, still exact price)
    shape = tuple(draw(st.lists(st.integers(2, 4), min_size=rank, max_size=rank)))
    # a proper transpose (two alike views of one buffer are not looked for: see einsum)
    perm = tuple(draw(st.permutations(range(rank)).filter(lambda p: list(p) != sorted(p))))
    letters = "abcde"
    tx = letters[:rank]
    ty = "".join(draw(st.permutations(letters))[:rank])
    dims = dict(zip(tx, shape))
    transposed = tuple(shape[p] for p in perm)
    for c, d in zip(ty, transposed):
        if dims.setdefault(c, d) != d:
            ty = "".join(tx[p] for p in perm)  # a consistent fallback: X.T's own axes
            break
    used = sorted(set(tx + ty))
    out = "".join(draw(st.permutations(used))[: draw(st.integers(0, len(used)))])
    order = draw(st.sampled_from("CF"))
    X = np.asarray(np.random.default_rng(rank).random(shape), order=order)
    return f"{tx},{ty}->{out}", X, perm


@SETTINGS
@given(case=transposed_pair())
def test_a_transposed_operand_is_priced_as_the_same_array_with_its_term_permuted(
    case, unit_weights
):
    spec, X, perm = case
    Y = X.transpose(perm)
    value, cost = _charged(lambda: fnp.einsum(spec, fnp.asarray(X), Y))
    np.testing.assert_allclose(value, np.einsum(spec, X, Y), rtol=1e-12, atol=1e-12)
    # the same contraction written on X twice: the planner sees one array twice
    tx, rest = spec.split(",")
    ty, out = rest.split("->")
    rewritten = [""] * len(perm)
    for t, axis in enumerate(perm):
        rewritten[axis] = ty[t]
    twice = _charged(lambda: fnp.einsum(f"{tx},{''.join(rewritten)}->{out}", X, X))[1]
    distinct_arrays = flops.einsum_cost(spec, shapes=[X.shape, Y.shape])
    assert cost == twice <= distinct_arrays
