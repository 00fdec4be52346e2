"""The contraction family on symmetric operands, and the computed SymmetricTensors it makes.

A Gram matrix (``X.T @ X`` in any of its spellings) and a contraction of declared symmetric
operands (``S @ S``) are symmetric by construction: each is charged its distinct products
(the orbits of the index tuples under the relabellings that keep every factor and the
result, priced by :func:`flopscope._einsum.plan` with the operands' groups and repeated
arrays) and returned as a *computed* SymmetricTensor. A computed tensor is writable, as the
NumPy array it stands for; its claim is compared with its data, bit for bit, whenever
``.symmetry`` is read (every pricing path reads it), and data written out of symmetry ends
the claim for good. A *declared* tensor (``as_symmetric``, ``symmetrize``) stays read-only.

Values are compared with plain NumPy; costs with closed formulas or with the planner.
"""

from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import SymmetricTensor, SymmetryGroup, SymmetryLossWarning
from flopscope._einsum import plan

pytestmark = pytest.mark.usefixtures("unit_weights")

BIG = 10**12
ROWS, COLS = 7, 5  # X is ROWS x COLS
SIDE = 6  # a declared symmetric S is SIDE x SIDE
PAIR = SymmetryGroup.symmetric((0, 1), 2)


def _accepts_writes(tensor) -> bool:
    """A computed tensor's own API lets writes through (its memory is read-only to
    everything else): writing an entry's own value back is accepted."""
    index = (0,) * tensor.ndim
    tensor[index] = tensor[index]
    return True


def _charged(call):
    """(the result of ``call()``, the FLOPs it was charged)."""
    with flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        result = call()
    return result, budget.flops_used


def _cost(call) -> int:
    return _charged(call)[1]


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _counted_matrix(rows: int = ROWS, cols: int = COLS, seed: int = 0):
    return fnp.asarray(_rng(seed).random((rows, cols)))


def _symmetric_data(side: int = SIDE, seed: int = 1) -> np.ndarray:
    m = _rng(seed).random((side, side))
    return m + m.T


def _gram(X):
    """``X.T @ X``, made outside any test's budget (a computed SymmetricTensor)."""
    with flops.BudgetContext(flop_budget=BIG, quiet=True):
        return X.T @ X


def _assert_computed_pair(result, expected: np.ndarray, name: str) -> None:
    """``result`` is a writable SymmetricTensor symmetric in its last two axes, with NumPy's
    values (close) and exactly symmetric data."""
    assert isinstance(result, SymmetricTensor), name
    assert result.symmetry == SymmetryGroup.symmetric(
        (result.ndim - 2, result.ndim - 1), result.ndim
    ), name
    assert _accepts_writes(result), name
    data = np.asarray(result)
    np.testing.assert_allclose(data, expected, rtol=1e-12, err_msg=name)
    assert np.array_equal(data, np.swapaxes(data, -1, -2)), name


# ---------------------------------------------------------------------- 1. Gram matrices

#: spellings of X^T X (the columns' Gram matrix) on one counted X
COLUMN_GRAMS = {
    "X.T @ X": lambda X: X.T @ X,
    "np.matmul(X.T, X)": lambda X: np.matmul(X.T, X),
    "fnp.dot(X.T, X)": lambda X: fnp.dot(X.T, X),
    "einsum('ij,ik->jk', X, X)": lambda X: fnp.einsum("ij,ik->jk", X, X),
    "einsum('ji,jk->ik', X, X)": lambda X: fnp.einsum("ji,jk->ik", X, X),
    "inner(X.T, X.T)": lambda X: fnp.inner(X.T, X.T),
    "tensordot(X, X, ([0], [0]))": lambda X: fnp.tensordot(X, X, ([0], [0])),
    "tensordot(X.T, X, 1)": lambda X: fnp.tensordot(X.T, X, 1),
}


@pytest.mark.parametrize("name", list(COLUMN_GRAMS))
def test_every_spelling_of_the_columns_gram_matrix_costs_its_distinct_entries(name):
    """``k (k + 1) / 2`` distinct entries, each a sum of ``n`` products: ``k (k + 1) / 2 * n``."""
    X = _counted_matrix()
    plain = np.asarray(X)
    result, cost = _charged(lambda: COLUMN_GRAMS[name](X))
    assert cost == COLS * (COLS + 1) // 2 * ROWS, name
    _assert_computed_pair(result, plain.T @ plain, name)


def test_the_rows_gram_matrix_costs_its_distinct_entries():
    """``X @ X.T``: ``n (n + 1) / 2 * k``."""
    X = _counted_matrix()
    plain = np.asarray(X)
    result, cost = _charged(lambda: X @ X.T)
    assert cost == ROWS * (ROWS + 1) // 2 * COLS
    _assert_computed_pair(result, plain @ plain.T, "X @ X.T")


def test_a_batched_gram_matrix_costs_its_distinct_entries_per_matrix():
    """``A @ A.mT`` for ``A`` of shape ``(b, m, k)``: ``b * m (m + 1) / 2 * k``."""
    batch, m, k = 3, 4, 5
    A = fnp.asarray(_rng(2).random((batch, m, k)))
    plain = np.asarray(A)
    result, cost = _charged(lambda: A @ A.mT)
    assert cost == batch * m * (m + 1) // 2 * k
    _assert_computed_pair(result, plain @ np.swapaxes(plain, -1, -2), "A @ A.mT")


# ---------------------------------------------------------------------- 2. declared operands


def _declared_cases():
    """(name, call, subscripts, operand shapes, same_operands, symmetries, NumPy's value)."""
    data = _symmetric_data()
    S = flops.as_symmetric(data, (0, 1))
    T = flops.symmetrize(_rng(3).random((4, 4, 4)), (0, 1, 2))  # declared: built symmetric
    x = fnp.asarray(_rng(4).random(4))
    cube, vector = np.asarray(T), np.asarray(x)
    square = [(SIDE, SIDE)] * 2
    triple = SymmetryGroup.symmetric((0, 1, 2), 3)
    return [
        ("S @ S", lambda: S @ S, "ij,jk->ik", square, True, [PAIR, PAIR], data @ data),
        ("dot(S, S)", lambda: fnp.dot(S, S), "ij,jk->ik", square, True, [PAIR, PAIR], data @ data),
        (
            "einsum('ij,jk->ik', S, S)",
            lambda: fnp.einsum("ij,jk->ik", S, S),
            "ij,jk->ik",
            square,
            True,
            [PAIR, PAIR],
            data @ data,
        ),
        (
            "einsum('ij,jk,kl->il', S, S, S)",
            lambda: fnp.einsum("ij,jk,kl->il", S, S, S),
            "ij,jk,kl->il",
            [(SIDE, SIDE)] * 3,
            (0, 0, 0),
            [PAIR] * 3,
            data @ data @ data,
        ),
        (
            "einsum('ij,ij->', S, S)",
            lambda: fnp.einsum("ij,ij->", S, S),
            "ij,ij->",
            square,
            True,
            [PAIR, PAIR],
            np.sum(data * data),
        ),
        (
            "einsum('ijk,i,j,k->', T, x, x, x)",
            lambda: fnp.einsum("ijk,i,j,k->", T, x, x, x),
            "ijk,i,j,k->",
            [(4, 4, 4), (4,), (4,), (4,)],
            (0, 1, 1, 1),
            [triple, None, None, None],
            np.einsum("ijk,i,j,k->", cube, vector, vector, vector),
        ),
    ]


DECLARED_NAMES = [
    "S @ S",
    "dot(S, S)",
    "einsum('ij,jk->ik', S, S)",
    "einsum('ij,jk,kl->il', S, S, S)",
    "einsum('ij,ij->', S, S)",
    "einsum('ijk,i,j,k->', T, x, x, x)",
]


@pytest.mark.parametrize("index", range(len(DECLARED_NAMES)), ids=DECLARED_NAMES)
def test_contractions_of_declared_operands_are_priced_by_the_planner(index):
    with flops.BudgetContext(flop_budget=BIG, quiet=True):  # declaring is charged
        cases = _declared_cases()
    name, call, subscripts, shapes, same, groups, expected = cases[index]
    assert name == DECLARED_NAMES[index]
    result, cost = _charged(call)
    priced = plan(subscripts, shapes, same_operands=same, symmetries=groups).optimized_cost
    dense = plan(subscripts, shapes).optimized_cost
    assert cost == priced, name
    assert cost < dense, name
    np.testing.assert_allclose(np.asarray(result), expected, rtol=1e-12, err_msg=name)


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("S @ S", lambda S: S @ S),
        ("dot(S, S)", lambda S: fnp.dot(S, S)),
        ("dot(S, S.T)", lambda S: fnp.dot(S, S.T)),
        ("einsum('ij,jk->ik', S, S.T)", lambda S: fnp.einsum("ij,jk->ik", S, S.T)),
        ("einsum('ij,jk,kl->il', S, S, S)", lambda S: fnp.einsum("ij,jk,kl->il", S, S, S)),
    ],
)
def test_a_symmetric_product_of_declared_operands_is_a_computed_tensor(name, call):
    data = _symmetric_data()
    S = flops.as_symmetric(data, (0, 1))
    result = _charged(lambda: call(S))[0]
    expected = np.linalg.matrix_power(data, 3 if "kl" in name else 2)
    _assert_computed_pair(result, expected, name)


def test_a_dot_of_a_declared_tensor_and_its_transpose_is_priced_as_one_array():
    """``dot(S, S.T)``: ``S.T`` is ``S``'s memory transposed, and its group is ``S``'s."""
    S = flops.as_symmetric(_symmetric_data(), (0, 1))
    priced = plan("ij,jk->ik", [(SIDE, SIDE)] * 2, same_operands=True, symmetries=[PAIR, PAIR])
    assert _cost(lambda: fnp.dot(S, S.T)) == priced.optimized_cost


def test_a_declared_tensor_times_a_plain_array_is_dense_and_plain():
    """Every product ``S_ij B_jk`` is distinct when ``B`` is another array: ``n^3``."""
    data = _symmetric_data()
    S = flops.as_symmetric(data, (0, 1))
    B = fnp.asarray(_rng(5).random((SIDE, SIDE)))
    for name, call, expected in [
        ("S @ B", lambda: S @ B, data @ np.asarray(B)),
        ("B @ S", lambda: B @ S, np.asarray(B) @ data),
    ]:
        result, cost = _charged(call)
        assert cost == SIDE**3, name
        assert not isinstance(result, SymmetricTensor), name
        assert isinstance(result, fnp.ndarray), name
        np.testing.assert_allclose(np.asarray(result), expected, rtol=1e-12, err_msg=name)


# ---------------------------------------------------------------------- 3. computed tensors and writes

#: ``exp`` of a k x k matrix: its distinct entries when symmetric, every entry otherwise
EXP_SYMMETRIC, EXP_DENSE = COLS * (COLS + 1) // 2, COLS * COLS
#: ``G @ G``: the planner's price of one symmetric array twice, or a square array twice
MATMUL_SYMMETRIC = plan(
    "ij,jk->ik", [(COLS, COLS)] * 2, same_operands=True, symmetries=[PAIR, PAIR]
).optimized_cost
MATMUL_DENSE = COLS**3


def _assert_priced_as_its_data(G, name: str) -> None:
    """The next pointwise and contraction prices of ``G`` follow what its data now is."""
    data = np.asarray(G).copy()
    symmetric = np.array_equal(data, data.T)
    assert G.symmetry.is_trivial is not symmetric, name
    exp_value, exp_cost = _charged(lambda: fnp.exp(G))
    square_value, square_cost = _charged(lambda: G @ G)
    assert exp_cost == (EXP_SYMMETRIC if symmetric else EXP_DENSE), name
    assert square_cost == (MATMUL_SYMMETRIC if symmetric else MATMUL_DENSE), name
    np.testing.assert_allclose(np.asarray(exp_value), np.exp(data), rtol=1e-12, err_msg=name)
    np.testing.assert_allclose(np.asarray(square_value), data @ data, rtol=1e-12, err_msg=name)


def test_the_price_checks_assumed_by_this_module():
    assert MATMUL_SYMMETRIC == COLS * COLS * (COLS + 1) // 2
    assert MATMUL_SYMMETRIC < MATMUL_DENSE


def test_a_computed_gram_matrix_is_discounted_until_written():
    G = _gram(_counted_matrix())
    assert _accepts_writes(G)
    _assert_priced_as_its_data(G, "untouched")


def test_adding_to_the_diagonal_keeps_the_claim():
    X = _counted_matrix()
    G = _gram(X)
    G[np.diag_indices_from(G)] += 1.0
    assert isinstance(G, SymmetricTensor)
    assert G.symmetry == PAIR
    plain = np.asarray(X)
    np.testing.assert_allclose(np.asarray(G), plain.T @ plain + np.eye(COLS), rtol=1e-12)
    assert _cost(lambda: fnp.exp(G)) == EXP_SYMMETRIC


def test_writing_one_off_diagonal_entry_ends_the_claim():
    G = _gram(_counted_matrix())
    G[0, 1] = 99.0
    assert G.symmetry.is_trivial
    assert _cost(lambda: fnp.exp(G)) == EXP_DENSE
    assert _cost(lambda: G @ G) == MATMUL_DENSE


def _write_through_asarray(G):
    np.asarray(G)[0, 1] = 99.0


def _write_through_a_transposed_view(G):
    G.T[0, 1] = 99.0


def _add_into_itself(G):
    fnp.add(G, 1.0, out=G)


def _add_an_upper_triangle(G):
    G += np.triu(np.ones_like(G))


def _fill_the_diagonal(G):
    np.fill_diagonal(G, 0.0)


def _write_through_flat(G):
    G.flat[1] = 5.0


def _divide_in_place(G):
    G /= ROWS


def _write_both_halves(G):
    G[0, 1] = G[1, 0] = 42.0


def _add_at_one_entry(G):
    np.add.at(G, (0, 1), 5.0)


def _copy_an_asymmetric_matrix_in(G):
    np.copyto(G, np.arange(COLS * COLS).reshape(COLS, COLS) / COLS**2)


def _matmul_into_it(G):
    square = fnp.asarray(np.arange(COLS * COLS).reshape(COLS, COLS) / COLS**2)
    fnp.matmul(square, square, out=G)


def _put_one_entry(G):
    G.put(1, 7.0)


def _sort_the_rows(G):
    G.sort(axis=1)


def _fill_with_one_value(G):
    G.fill(2.0)


def _write_through_a_reshaped_view(G):
    G.reshape(COLS * COLS)[1] = 3.0


def _put_by_mask(G):
    np.putmask(G, np.eye(COLS, k=1, dtype=bool), 9.0)


#: (write, whether the data stays symmetric)
WRITES = {
    "G.T[0, 1] = 99.0": (_write_through_a_transposed_view, False),
    "fnp.add(G, 1.0, out=G)": (_add_into_itself, True),
    "G += np.triu(np.ones_like(G))": (_add_an_upper_triangle, False),
    "np.fill_diagonal(G, 0.0)": (_fill_the_diagonal, True),
    "G /= n": (_divide_in_place, True),
    "G[0, 1] = G[1, 0] = 42.0": (_write_both_halves, True),
    "np.add.at(G, (0, 1), 5.0)": (_add_at_one_entry, False),
    "np.copyto(G, asymmetric)": (_copy_an_asymmetric_matrix_in, False),
    "fnp.matmul(B, B, out=G)": (_matmul_into_it, False),
    "G.put(1, 7.0)": (_put_one_entry, False),
    "G.sort(axis=1)": (_sort_the_rows, False),
    "G.fill(2.0)": (_fill_with_one_value, True),
    "np.putmask(G, superdiagonal, 9.0)": (_put_by_mask, False),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_every_write_path_leaves_the_prices_agreeing_with_the_data(name):
    write, stays_symmetric = WRITES[name]
    G = _gram(_counted_matrix())
    before = np.asarray(G).copy()
    with flops.BudgetContext(flop_budget=BIG, quiet=True):
        write(G)
    assert isinstance(G, SymmetricTensor), name
    assert not np.array_equal(np.asarray(G), before), name  # the write happened
    assert np.array_equal(np.asarray(G), np.asarray(G).T) is stays_symmetric, name
    _assert_priced_as_its_data(G, name)


@pytest.mark.parametrize(
    "write", [_write_through_asarray, _write_through_flat, _write_through_a_reshaped_view]
)
def test_writes_through_plain_views_are_refused(write):
    """A computed tensor's memory is read-only to everything but its own API: a plain
    NumPy view of it (``np.asarray``, ``.flat``, a reshape that keeps no symmetry) cannot
    write, so no write escapes the claim's check."""
    G = _gram(_counted_matrix())
    before = np.asarray(G).copy()
    with pytest.raises(ValueError, match="read-only"):
        write(G)
    np.testing.assert_array_equal(np.asarray(G), before)
    assert G.symmetry == PAIR


def test_a_view_taken_before_a_write_sees_the_write():
    """``G.T`` shares ``G``'s memory: its claim is checked against the data it shows."""
    G = _gram(_counted_matrix())
    view = G.T
    assert view.symmetry == PAIR
    G[0, 1] = 99.0
    assert view.symmetry.is_trivial
    assert _cost(lambda: fnp.exp(view)) == EXP_DENSE


def test_an_ended_claim_does_not_come_back():
    """Once the claim is found false it stays ended, even if the data is repaired."""
    G = _gram(_counted_matrix())
    G[0, 1] = 99.0
    assert G.symmetry.is_trivial
    G[0, 1] = G[1, 0]
    assert np.array_equal(np.asarray(G), np.asarray(G).T)
    assert G.symmetry.is_trivial
    assert _cost(lambda: fnp.exp(G)) == EXP_DENSE


def test_a_pointwise_result_of_a_computed_tensor_is_computed_and_writable():
    X = _counted_matrix()
    G = _gram(X)
    plain = np.asarray(X)
    C, cost = _charged(lambda: G / 7)
    assert cost == EXP_SYMMETRIC
    _assert_computed_pair(C, plain.T @ plain / 7, "G / 7")
    assert _cost(lambda: fnp.sqrt(C)) == EXP_SYMMETRIC
    C[0, 1] = 3.0
    assert C.symmetry.is_trivial
    root, root_cost = _charged(lambda: fnp.sqrt(C))
    assert root_cost == EXP_DENSE
    np.testing.assert_allclose(np.asarray(root), np.sqrt(np.asarray(C)), rtol=1e-12)
    assert G.symmetry == PAIR  # C is its own data


def test_a_pickled_computed_tensor_stays_writable_and_keeps_its_claim():
    G = _gram(_counted_matrix())
    restored = pickle.loads(pickle.dumps(G))
    assert isinstance(restored, SymmetricTensor)
    assert _accepts_writes(restored)
    assert restored.symmetry == PAIR
    np.testing.assert_array_equal(np.asarray(restored), np.asarray(G))
    assert _cost(lambda: fnp.exp(restored)) == EXP_SYMMETRIC
    restored[0, 1] = 99.0
    assert restored.symmetry.is_trivial
    assert G.symmetry == PAIR


@pytest.mark.parametrize("duplicate", [copy.copy, copy.deepcopy], ids=["copy", "deepcopy"])
def test_a_copied_computed_tensor_is_a_writable_copy_with_the_claim(duplicate):
    G = _gram(_counted_matrix())
    before = np.asarray(G).copy()
    twin = duplicate(G)
    assert isinstance(twin, SymmetricTensor)
    assert _accepts_writes(twin)
    assert twin.symmetry == PAIR
    assert not np.shares_memory(np.asarray(twin), np.asarray(G))
    twin[0, 1] = 99.0
    np.testing.assert_array_equal(np.asarray(G), before)
    assert twin.symmetry.is_trivial
    assert G.symmetry == PAIR


# ---------------------------------------------------------------------- 4. declared stay read-only


def test_a_product_of_a_declared_tensor_is_writable_but_the_tensor_is_not():
    data = _symmetric_data()
    S = flops.as_symmetric(data, (0, 1))
    product = _charged(lambda: S @ S)[0]
    assert _accepts_writes(product)
    product[0, 0] = 1.0  # a computed tensor: NumPy's write
    with pytest.raises(ValueError, match="read-only"):
        S[0, 0] = 1
    np.testing.assert_array_equal(np.asarray(S), data)
    assert S.symmetry == PAIR


# ---------------------------------------------------------------------- 5. warnings


def test_a_computed_tensor_meeting_a_plain_array_does_not_warn():
    X = _counted_matrix()
    G = _gram(X)
    plain = np.asarray(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        total, cost = _charged(lambda: G + np.eye(COLS))
    assert cost == EXP_DENSE
    assert not isinstance(total, SymmetricTensor)
    np.testing.assert_allclose(np.asarray(total), plain.T @ plain + np.eye(COLS), rtol=1e-12)


def test_a_declared_tensor_meeting_a_plain_array_warns():
    S = flops.as_symmetric(_symmetric_data(), (0, 1))
    with pytest.warns(SymmetryLossWarning):
        _charged(lambda: S + np.eye(SIDE))


# ---------------------------------------------------------------------- 6. programs


def _op_costs(budget, name: str) -> list[int]:
    return [record.flop_cost for record in budget.op_log if record.op_name == name]


def test_ridge_regression():
    n, k, lam = 40, 6, 0.5
    rng = _rng(6)
    X_plain, y_plain = rng.standard_normal((n, k)), rng.standard_normal(n)
    X, y = fnp.asarray(X_plain), fnp.asarray(y_plain)
    with flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        A = X.T @ X
        A[np.diag_indices_from(A)] += lam
        w = fnp.linalg.solve(A, X.T @ y)
    expected_A = X_plain.T @ X_plain + lam * np.eye(k)
    expected = np.linalg.solve(expected_A, X_plain.T @ y_plain)
    np.testing.assert_allclose(np.asarray(w), expected, rtol=1e-10)
    assert A.symmetry == PAIR
    # the Gram matrix at its symmetric price, X^T y at its dense one
    assert _op_costs(budget, "matmul") == [k * (k + 1) // 2 * n, n * k]


def test_covariance_and_principal_components():
    n, k = 50, 5
    X_plain = _rng(7).standard_normal((n, k)) @ _rng(8).standard_normal((k, k))
    X = fnp.asarray(X_plain)
    with flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        Xc = X - X.mean(axis=0)
        C = Xc.T @ Xc
        C /= n - 1
        vals, vecs = fnp.linalg.eigh(C)
    expected = np.cov(X_plain, rowvar=False)
    np.testing.assert_allclose(np.asarray(C), expected, rtol=1e-10)
    assert C.symmetry == PAIR
    np.testing.assert_allclose(np.asarray(vals), np.linalg.eigvalsh(expected), rtol=1e-10)
    # eigenvectors up to sign: C v = lambda v
    V = np.asarray(vecs)
    np.testing.assert_allclose(expected @ V, V * np.asarray(vals), atol=1e-10)
    assert _op_costs(budget, "matmul") == [k * (k + 1) // 2 * n]


def test_a_k_means_step():
    n, k, clusters = 60, 3, 4
    rng = _rng(9)
    X_plain = rng.standard_normal((n, k))
    centres_plain = X_plain[:clusters].copy()

    def step(xp, X, centres):
        """One Lloyd step: squared distances from norms and one product, nearest centre,
        new centres as the means of their points."""
        point_norms = xp.einsum("ij,ij->i", X, X)
        centre_norms = xp.einsum("ij,ij->i", centres, centres)
        distances = point_norms[:, None] - 2.0 * (X @ centres.T) + centre_norms[None, :]
        labels = xp.argmin(distances, axis=1)
        return labels, xp.stack([X[labels == c].mean(axis=0) for c in range(clusters)])

    expected_labels, expected_centres = step(np, X_plain, centres_plain)
    with flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        labels, centres = step(fnp, fnp.asarray(X_plain), fnp.asarray(centres_plain))
    np.testing.assert_array_equal(np.asarray(labels), expected_labels)
    np.testing.assert_allclose(np.asarray(centres), expected_centres, rtol=1e-12)
    # a row's squared norm is k distinct products: nothing repeats
    assert _op_costs(budget, "einsum") == [n * k, clusters * k]
    assert _op_costs(budget, "matmul") == [n * clusters * k]


# ---------------------------------------------------------------------- defects found and fixed
# Each test below failed before its fix: an array and its own transpose under an
# ellipsis, signed zeros in the claim check, linalg.matmul's Gram result.


@pytest.mark.parametrize(
    "name",
    ["S @ S.T", "S.T @ S", "np.matmul(S, S.T)", "fnp.matmul(S, S.T)", "G @ G.T", "G.T @ G"],
)
def test_matmul_of_a_symmetric_tensor_and_its_transpose_is_one_array(name):
    data = _symmetric_data()
    S = flops.as_symmetric(data, (0, 1))
    G = _gram(_counted_matrix(SIDE + 2, SIDE))
    calls = {
        "S @ S.T": lambda: S @ S.T,
        "S.T @ S": lambda: S.T @ S,
        "np.matmul(S, S.T)": lambda: np.matmul(S, S.T),
        "fnp.matmul(S, S.T)": lambda: fnp.matmul(S, S.T),
        "G @ G.T": lambda: G @ G.T,
        "G.T @ G": lambda: G.T @ G,
    }
    operand = np.asarray(S if name.startswith(("S", "np", "fnp")) else G)
    result, cost = _charged(calls[name])
    priced = plan("ij,jk->ik", [(SIDE, SIDE)] * 2, same_operands=True, symmetries=[PAIR, PAIR])
    np.testing.assert_allclose(np.asarray(result), operand @ operand, rtol=1e-12)
    assert cost == priced.optimized_cost  # as dot(S, S.T) and S @ S are
    assert isinstance(result, SymmetricTensor)


def test_an_ellipsis_einsum_of_a_tensor_and_its_transpose_is_one_array():
    G = _gram(_counted_matrix())
    with_letters = _cost(lambda: fnp.einsum("ij,jk->ik", G, G.T))
    assert with_letters == MATMUL_SYMMETRIC
    assert _cost(lambda: fnp.einsum("...ij,...jk->...ik", G, G.T)) == with_letters


def test_signed_zeros_fail_the_bit_for_bit_check():
    G = _gram(_counted_matrix())
    G[0, 1], G[1, 0] = -0.0, 0.0
    with np.errstate(divide="ignore"):
        reciprocal, cost = _charged(lambda: 1.0 / G)
    values = np.asarray(reciprocal)
    assert values[0, 1] != values[1, 0]  # NumPy's own result is not symmetric
    assert cost == EXP_DENSE


def test_linalg_matmul_gram_result_is_a_computed_tensor():
    X = _counted_matrix()
    plain = np.asarray(X)
    result, cost = _charged(lambda: fnp.linalg.matmul(X.T, X))
    assert cost == COLS * (COLS + 1) // 2 * ROWS
    _assert_computed_pair(result, plain.T @ plain, "linalg.matmul(X.T, X)")


def test_einsum_path_shows_each_steps_saving_under_the_groups():
    S = flops.as_symmetric(_symmetric_data(), (0, 1))
    n = SIDE
    with flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        path, info = fnp.einsum_path("ij,jk,kl->il", S, S, S, optimize=True)
    assert budget.flops_used == 1  # planning: one nominal FLOP, nothing runs
    assert path == ["einsum_path", (0, 1), (0, 1)]
    # S S: (n^3 + n^2) / 2 distinct products; (S S) S: its output is symmetric, so its
    # n (n + 1) / 2 distinct entries, each a sum over n products
    assert [step.cost for step in info.steps] == [(n**3 + n**2) // 2, n * (n + 1) // 2 * n]
    assert [step.saving for step in info.steps] == [n**3 - step.cost for step in info.steps]
    assert "saving" in str(info)
    with flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        result = fnp.einsum("ij,jk,kl->il", S, S, S)
    assert budget.flops_used == info.optimized_cost
    plain = np.asarray(S)
    np.testing.assert_allclose(np.asarray(result), plain @ plain @ plain, rtol=1e-12)
    assert isinstance(result, SymmetricTensor) and result.symmetry == PAIR


def test_the_outer_product_of_a_vector_with_itself_computes_its_distinct_entries():
    x = fnp.asarray(np.arange(1.0, 8.0))
    result, cost = _charged(lambda: fnp.outer(x, x))
    assert cost == 7 * 8 // 2
    assert isinstance(result, SymmetricTensor) and result.symmetry == PAIR
    np.testing.assert_array_equal(np.asarray(result), np.outer(np.asarray(x), np.asarray(x)))
    _, dense = _charged(lambda: fnp.outer(x, x + 0))  # another array: every entry
    assert dense == 7 + 49  # the 7 additions, then 49 products


def test_a_computed_claim_is_checked_only_when_it_changes_the_price(monkeypatch):
    import flopscope._symmetric_tensor as symmetric_tensor

    checks = []
    original = symmetric_tensor._exactly_symmetric

    def counting(data, group):
        checks.append(data.shape)
        return original(data, group)

    monkeypatch.setattr(symmetric_tensor, "_exactly_symmetric", counting)
    X = _counted_matrix()
    G = X.T @ X
    v = fnp.asarray(np.ones(COLS))
    checks.clear()
    with flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        G @ v  # 'ij,j->i': the group changes nothing, so the data is not compared
        G.sum(axis=0)  # nothing of the group survives: not compared either
        assert checks == []
        G @ G  # symmetric times itself: the claim lowers the price, so it is checked
    assert checks
    assert budget.flops_used == COLS * COLS + COLS * COLS + (COLS**3 + COLS**2) // 2


def test_a_symmetric_outer_product_is_not_doubled_under_fma_cost_two(fma_two):
    # outer multiplies, it does not multiply-add: fma_cost leaves it alone, as for plain
    x = fnp.asarray(np.arange(1.0, 5.0))
    assert _charged(lambda: fnp.outer(x, x))[1] == 4 * 5 // 2
    assert _charged(lambda: fnp.outer(x, x + 0))[1] == 4 + 16
