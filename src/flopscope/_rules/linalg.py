"""Linear algebra: the contraction-family spellings of ``numpy.linalg`` that differ from
their top-level namesakes (``multi_dot``, 1-D ``outer``, ``trace`` of the last two axes),
and the decompositions, solvers and norms (``cholesky``, ``qr``, ``svd``, ``eig*``,
``inv``, ``solve``, ``lstsq``, ``det``, ``norm``, ...), with the shape formulas the cost
queries share.

``linalg.matmul``, ``linalg.tensordot`` and ``linalg.vecdot`` are twins of the top-level
rows (see :mod:`.contractions`): the same rules, billed under the same names.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from functools import reduce
from typing import Any

import numpy as np
from numpy.linalg import LinAlgError

from .._config import SETTINGS
from .contractions import dot, dot_output, trace
from .core import BAD_KINDS, Shape, arg, axis_tuple, broadcast_shape, dtype_error, numel, shape_of
from .outputs import Out, is_unknown, reduced_shape, values_of
from .signal import cross_output, cross_rule

__all__ = [
    "EIGH_N3",
    "EIGVALSH_N3",
    "EIGVALS_N3",
    "EIG_N3",
    "chain_cost",
    "cholesky",
    "cholesky_rule",
    "cond_rule",
    "cond_shape",
    "det_rule",
    "eig",
    "eig_rule",
    "eigh",
    "eigh_rule",
    "eigvals",
    "eigvals_rule",
    "eigvalsh",
    "eigvalsh_rule",
    "householder",
    "inv",
    "inv_rule",
    "linalg_cross_rule",
    "linalg_outer_rule",
    "linalg_trace_rule",
    "lstsq_rule",
    "lstsq_shapes",
    "lu",
    "matrix_norm_rule",
    "matrix_norm_work",
    "matrix_power_rule",
    "matrix_power_shape",
    "matrix_rank_rule",
    "matrix_rank_shape",
    "multi_dot",
    "multi_dot_rule",
    "norm_rule",
    "norm_shape",
    "pinv_rule",
    "pinv_shape",
    "qr",
    "qr_rule",
    "slogdet_rule",
    "solve_rule",
    "solve_shapes",
    "svd",
    "svd_full",
    "svd_rule",
    "svd_shape",
    "svdvals_rule",
    "tensorinv_rule",
    "tensorinv_shape",
    "tensorsolve_rule",
    "tensorsolve_shapes",
    "vector_norm_rule",
    "vector_norm_shape",
    "vector_norm_work",
]


def svd(
    m: int,
    n: int,
    k: int | None = None,
    *,
    full_matrices: bool = True,
    compute_uv: bool = True,
    hermitian: bool = False,
) -> int:
    """The query's SVD of an ``m x n`` matrix: truncated to rank ``k``, ``m * n * k``
    FMAs; without ``k``, the full decomposition ``linalg.svd`` charges (see
    :func:`svd_full`; ``hermitian``: :func:`eigh` / :func:`eigvalsh`)."""
    for name, v in (("m", m), ("n", n), ("k", k)):
        if v is None and name == "k":
            continue
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise ValueError(f"svd_cost: {name} must be a non-negative integer, got {v!r}")
    m, n = int(m), int(n)
    if k is None:
        if hermitian:
            if m != n:
                raise ValueError(f"svd_cost: hermitian needs a square matrix, got {m} x {n}")
            return eigh(n) if compute_uv else eigvalsh(n)
        return svd_full(m, n, compute_uv, full_matrices)
    k = int(k)
    if k > min(m, n):
        raise ValueError(f"svd_cost: k={k} exceeds min(m, n)={min(m, n)}")
    return m * n * k


def chain_cost(dims: Sequence[int]) -> int:
    """The fewest multiply-adds that multiply a chain of matrices, matrix ``i`` being
    ``dims[i] x dims[i+1]``: ``cost(i, i) = 0``, ``cost(i, j) = min over i <= s < j of
    cost(i, s) + cost(s+1, j) + dims[i] * dims[s+1] * dims[j+1]``; the answer is
    ``cost(0, len(dims) - 2)``.

    Each step is matmul's ``m * k * n``. O(n^3) in the number of matrices.
    """
    n = len(dims) - 1
    # cost[i][j]: the cheapest product of matrices i..j, filled by increasing chain length
    cost = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            outer = dims[i] * dims[j + 1]
            cost[i][j] = min(cost[i][s] + cost[s + 1][j] + outer * dims[s + 1] for s in range(i, j))
    return cost[0][n - 1]


def multi_dot(shapes: Sequence[Shape]) -> int:
    """``linalg.multi_dot``: the multiply-adds of the cheapest parenthesization of the
    chain, the order NumPy runs: ``cost(i, j) = min over i <= s < j of cost(i, s) +
    cost(s+1, j) + p[i] * p[s+1] * p[j+1]``, ``cost(i, i) = 0``, array ``i`` being
    ``p[i] x p[i+1]`` (a 1-D first array is a row ``1 x n``, a 1-D last one a column
    ``n x 1``). Two arrays: ``np.dot``'s ``numel(output) * k``, which NumPy calls.

    So ``multi_dot([A, B, C])`` costs what the cheaper of ``(A @ B) @ C`` and
    ``A @ (B @ C)`` does. Raises NumPy's errors: ``ValueError`` for fewer than two
    arrays or misaligned neighbours, ``LinAlgError`` for an array (after the 1-D ends are
    promoted) that is not two-dimensional.
    """
    shapes = [tuple(s) for s in shapes]
    if len(shapes) < 2:
        raise ValueError("Expecting at least two arrays.")
    if len(shapes) == 2:  # NumPy hands two arrays to np.dot, whatever their dimensions
        return dot(shapes[0], shapes[1])
    chain = list(shapes)
    if len(chain[0]) == 1:
        chain[0] = (1, chain[0][0])
    if len(chain[-1]) == 1:
        chain[-1] = (chain[-1][0], 1)
    for i, shape in enumerate(chain):
        if len(shape) != 2:
            raise LinAlgError(
                f"{len(shape)}-dimensional array given. Array must be two-dimensional "
                f"(multi_dot's array {i}, shape {shapes[i]})"
            )
    for i in range(len(chain) - 1):
        k, k2 = chain[i][1], chain[i + 1][0]
        if k != k2:
            raise ValueError(
                f"shapes {shapes[i]} and {shapes[i + 1]} not aligned: {k} (dim 1) != {k2} "
                f"(dim 0) (multi_dot's arrays {i} and {i + 1})"
            )
    return chain_cost([chain[0][0], *(shape[1] for shape in chain)])


def multi_dot_rule(args: tuple, kwargs: dict) -> int:
    """The multiply-adds of the cheapest parenthesization of the chain: ``cost(i, j) =
    min over i <= s < j of cost(i, s) + cost(s+1, j) + p[i] * p[s+1] * p[j+1]``,
    ``cost(i, i) = 0``, array ``i`` being ``p[i] x p[i+1]`` (a 1-D first array is a row
    ``1 x n``, a 1-D last one a column ``n x 1``); two arrays: ``np.dot``'s
    ``numel(output) * k`` (see :func:`multi_dot`)."""
    arrays = arg(args, kwargs, 0, "arrays")
    len(arrays)  # NumPy needs a sequence: an iterator raises TypeError, consuming nothing
    cost = multi_dot([shape_of(a) for a in arrays])
    # the list is not inspected for data by the caller: refuse non-numeric arrays here
    for a in arrays:
        dtype = getattr(a, "dtype", None)
        if dtype is not None and dtype.kind in BAD_KINDS:
            raise dtype_error(a, "linalg.multi_dot")
    return cost


def linalg_outer_rule(args: tuple, kwargs: dict) -> int:
    """``len(x1) * len(x2)``: one multiplication per output element (both inputs 1-D)."""
    a, b = shape_of(args[0]), shape_of(args[1])
    if len(a) != 1 or len(b) != 1:
        raise ValueError(
            "Input arrays must be one-dimensional, but they are "
            f"x1.ndim={len(a)} and x2.ndim={len(b)}."
        )
    return a[0] * b[0]


def linalg_trace_rule(args: tuple, kwargs: dict) -> int:
    """One addition per diagonal element of the last two axes:
    ``numel(x.shape[:-2]) * len(diagonal)`` (``offset`` shifts the diagonal)."""
    return trace(shape_of(args[0]), int(kwargs.get("offset", 0)), -2, -1)


# ====================================================================== decompositions
# Convention: every count below is in fused multiply-add units, the textbook flop count
# (Golub & Van Loan, Matrix Computations, 4th ed.) halved, since a textbook flop counts
# the multiplication and the addition of one multiply-add separately. The few divisions
# and square roots of a factorisation (O(n^2) of them) are counted one unit each inside
# the same count, and the row is FMA-priced as a whole, like ``cov``. Where a count has
# a fractional coefficient it is rounded up (``ceil``), so no non-empty problem is free.
# A stack of matrices (``(..., m, n)``) costs its one-matrix count times
# ``numel(batch)``, the number of matrices NumPy factorises.

#: Golub & Van Loan's constants (table of section 8.3, symmetric; 7.5.6, general), halved
EIGVALSH_N3 = (2, 3)  # symmetric eigenvalues only: 4n^3/3 flops -> 2n^3/3
EIGH_N3 = (9, 2)  # symmetric, eigenvalues and vectors: 9n^3 flops -> 9n^3/2
EIGVALS_N3 = (5, 1)  # general, eigenvalues only (Hessenberg + Francis QR): 10n^3 -> 5n^3
EIG_N3 = (25, 2)  # general, eigenvalues and vectors: 25n^3 flops -> 25n^3/2


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _stacked(shape: Shape, square: bool = False) -> tuple[int, int, int]:
    """(numel(batch), m, n) of a stack of matrices; NumPy's ``LinAlgError`` for fewer
    than two dimensions or (``square``) non-square matrices."""
    shape = tuple(shape)
    if len(shape) < 2:
        raise LinAlgError(
            f"{len(shape)}-dimensional array given. Array must be at least two-dimensional"
        )
    m, n = shape[-2], shape[-1]
    if square and m != n:
        raise LinAlgError("Last 2 dimensions of the array must be square")
    return numel(shape[:-2]), m, n


def lu(n: int) -> int:
    """LU factorisation with partial pivoting of an ``n x n`` matrix: ``(n^3 - n) / 3``
    (step ``j`` divides ``n - j - 1`` multipliers and updates an ``(n - j - 1)^2`` block;
    textbook ``2n^3/3`` flops)."""
    return (n**3 - n) // 3


def cholesky(n: int) -> int:
    """Cholesky factorisation of an ``n x n`` matrix: ``n (n + 1) (n + 2) / 6`` (a square
    root, ``n - j - 1`` divisions and a triangular update of ``(n - j - 1)(n - j) / 2``
    per column; textbook ``n^3/3`` flops)."""
    return n * (n + 1) * (n + 2) // 6


def householder(m: int, q: int, k: int) -> int:
    """``k`` Householder reflectors (lengths ``m, m-1, ...``) applied to ``q, q-1, ...``
    columns: ``2 * sum_{j<k} (m - j)(q - j)`` (a dot product and an update per column)."""
    if k <= 0:
        return 0
    total = k * m * q - (m + q) * (k * (k - 1) // 2) + (k - 1) * k * (2 * k - 1) // 6
    return 2 * total


def qr(m: int, n: int, mode: str = "reduced") -> int:
    """Householder QR of an ``m x n`` matrix, ``k = min(m, n)``: the factorisation
    ``2 sum_{j<k} (m-j)(n-j)`` (``mn^2 - n^3/3`` for ``m >= n``: textbook ``2mn^2 -
    2n^3/3`` flops); forming Q by backward accumulation adds ``2 sum_{j<k} (m-j)(q-j)``,
    ``q = k`` columns (``'reduced'``) or ``q = m`` (``'complete'``); ``'r'``, ``'raw'``
    do not form Q."""
    k = min(m, n)
    cost = householder(m, n, k)
    if mode == "reduced":
        cost += householder(m, k, k)
    elif mode == "complete":
        cost += householder(m, m, k)
    return cost


def eigvalsh(n: int) -> int:
    """Symmetric / Hermitian eigenvalues: ``ceil(2n^3/3)`` (tridiagonalisation; Golub &
    Van Loan's ``4n^3/3`` flops)."""
    return _ceil_div(EIGVALSH_N3[0] * n**3, EIGVALSH_N3[1])


def eigh(n: int) -> int:
    """Symmetric / Hermitian eigenvalues and eigenvectors: ``ceil(9n^3/2)`` (Golub & Van
    Loan's ``9n^3`` flops)."""
    return _ceil_div(EIGH_N3[0] * n**3, EIGH_N3[1])


def eigvals(n: int) -> int:
    """General eigenvalues: ``5n^3`` (Hessenberg reduction and Francis QR steps; Golub &
    Van Loan's ``10n^3`` flops)."""
    return EIGVALS_N3[0] * n**3


def eig(n: int) -> int:
    """General eigenvalues and eigenvectors: ``ceil(25n^3/2)`` (Golub & Van Loan's
    ``25n^3`` flops)."""
    return _ceil_div(EIG_N3[0] * n**3, EIG_N3[1])


def svd_full(m: int, n: int, compute_uv: bool = True, full_matrices: bool = True) -> int:
    """Golub-Reinsch SVD of an ``m x n`` matrix, ``p = max(m, n)``, ``q = min(m, n)``
    (Golub & Van Loan's table of section 8.6, flops halved): singular values only
    ``ceil((6pq^2 - 2q^3)/3)`` (``4pq^2 - 4q^3/3`` flops); with the full ``U`` and ``V``
    ``ceil((4p^2q + 8pq^2 + 9q^3)/2)``; with thin ``U`` the cheaper of ``7pq^2 + 4q^3``
    (``14pq^2 + 8q^3`` flops) and the full count (which yields the thin factors too)."""
    p, q = max(m, n), min(m, n)
    if not compute_uv:
        return _ceil_div(6 * p * q * q - 2 * q**3, 3)
    full = _ceil_div(4 * p * p * q + 8 * p * q * q + 9 * q**3, 2)
    if full_matrices:
        return full
    return min(7 * p * q * q + 4 * q**3, full)


def _check_k(k: Any, m: int, n: int) -> int:
    if isinstance(k, bool):
        raise TypeError(f"k must be an integer, got {k!r}")
    k = operator.index(k)
    if not 1 <= k <= min(m, n):
        raise ValueError(f"k={k} must satisfy 1 <= k <= min(m, n) = {min(m, n)}")
    return k


def svd_shape(
    shape: Shape,
    full_matrices: bool = True,
    compute_uv: bool = True,
    hermitian: bool = False,
    k: int | None = None,
) -> int:
    """``linalg.svd`` of a stack ``(..., m, n)``: ``numel(batch)`` times the count of one
    matrix (see :func:`svd_full`; ``hermitian``: :func:`eigh` / :func:`eigvalsh`, which
    NumPy runs; ``k``: the truncated ``m * n * k``)."""
    batch, m, n = _stacked(shape, square=hermitian)
    if k is not None:
        return batch * m * n * _check_k(k, m, n)
    if hermitian:
        return batch * (eigh(n) if compute_uv else eigvalsh(n))
    return batch * svd_full(m, n, compute_uv, full_matrices)


def inv(n: int) -> int:
    """Inverse of an ``n x n`` matrix as NumPy computes it, solving ``A X = I`` (LAPACK
    ``gesv``): LU plus ``n`` right-hand sides, ``(n^3 - n)/3 + n^3``."""
    return lu(n) + n**3


def solve_shapes(a: Shape, b: Shape) -> int:
    """``linalg.solve(a, b)``: per matrix of the broadcast batch, LU plus two triangular
    solves per right-hand side, ``(n^3 - n)/3 + n^2 * nrhs`` (``b`` 1-D: one right-hand
    side; otherwise ``b`` is ``(..., n, nrhs)``)."""
    _, n, _ = _stacked(a, square=True)
    a, b = tuple(a), tuple(b)
    if len(b) == 1:
        if b[0] != n:
            raise ValueError(f"solve: b of shape {b} does not match a of shape {a}")
        batch, nrhs = a[:-2], 1
    else:
        if len(b) == 0:
            raise ValueError("solve: b does not have enough dimensions (0-dimensional)")
        if b[-2] != n:
            raise ValueError(f"solve: b of shape {b} does not match a of shape {a}")
        batch, nrhs = broadcast_shape(a[:-2], b[:-2]), b[-1]
    return numel(batch) * (lu(n) + n * n * nrhs)


def lstsq_shapes(a: Shape, b: Shape) -> int:
    """``linalg.lstsq`` of an ``m x n`` system with ``k`` right-hand sides, by the SVD
    (LAPACK ``gelsd``), ``q = min(m, n)``: the thin SVD (:func:`svd_full`), ``(m + n) q k``
    to apply ``U^T`` and ``V``, and ``(m - n) k`` for the residuals when ``m > n``."""
    a, b = tuple(a), tuple(b)
    if len(b) == 1:
        b = (b[0], 1)
    for s in (a, b):
        if len(s) != 2:
            raise LinAlgError(f"{len(s)}-dimensional array given. Array must be two-dimensional")
    m, n = a
    if b[0] != m:
        raise LinAlgError("Incompatible dimensions")
    k, q = b[1], min(m, n)
    return svd_full(m, n, True, False) + (m + n) * q * k + max(m - n, 0) * k


def pinv_shape(shape: Shape, hermitian: bool = False) -> int:
    """``linalg.pinv`` of ``(..., m, n)``, ``q = min(m, n)``, per matrix: the thin SVD
    (``hermitian``: :func:`eigh`), ``2q`` for the cutoff and the reciprocals, ``q m`` to
    scale ``U^T`` and the product ``n q m``; 0 for an empty matrix (NumPy returns at once)."""
    batch, m, n = _stacked(shape)
    if m == 0 or n == 0:  # NumPy returns an empty result before the decomposition
        return 0
    if hermitian and m != n:
        raise LinAlgError("Last 2 dimensions of the array must be square")
    q = min(m, n)
    decomposition = eigh(n) if hermitian else svd_full(m, n, True, False)
    return batch * (decomposition + 2 * q + q * m + n * q * m)


def matrix_power_shape(shape: Shape, power: int) -> int:
    """``linalg.matrix_power(a, p)`` on ``(..., n, n)``, as NumPy's binary decomposition
    runs it: ``bit_length(|p|) - 1`` squarings and ``popcount(|p|) - 1`` products, each
    ``n^3`` multiply-adds, plus :func:`inv` for ``p < 0``; ``p = 0`` is the identity, 0."""
    batch, n, _ = _stacked(shape, square=True)
    try:
        power = operator.index(power)
    except TypeError as e:
        raise TypeError("exponent must be an integer") from e
    if power == 0:
        return 0
    exponent = abs(power)
    products = exponent.bit_length() - 1 + bin(exponent).count("1") - 1
    return batch * (products * n**3 + (inv(n) if power < 0 else 0))


def tensorsolve_shapes(a: Shape, b: Shape, axes: Sequence[int] | None = None) -> int:
    """``linalg.tensorsolve``: ``a`` reshaped to a square ``N x N`` matrix, ``N =
    numel(b)``, solved for one right-hand side: ``(N^3 - N)/3 + N^2``."""
    a, b = tuple(a), tuple(b)
    an = len(a)
    if axes is not None:
        order = list(range(an))
        for k in axes:
            order.remove(k)
            order.insert(an, k)
        a = tuple(a[i] for i in order)
    tail = a[-(an - len(b)) :]
    size = numel(tail)
    if numel(a) != size**2:
        raise LinAlgError(
            "Input arrays must satisfy the requirement "
            "prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])"
        )
    if numel(b) != size:
        raise ValueError(
            f"tensorsolve: b of shape {b} has {numel(b)} elements, the system {size} unknowns"
        )
    return lu(size) + size * size


def tensorinv_shape(shape: Shape, ind: int = 2) -> int:
    """``linalg.tensorinv``: ``a`` reshaped to a square ``N x N`` matrix, ``N =
    numel(a.shape[ind:])``, inverted: :func:`inv` of ``N``."""
    shape = tuple(shape)
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    if not shape:  # NumPy fails to give the inverse of a 0-d array its (empty) shape
        raise TypeError("tensorinv needs an array of at least one dimension")
    size = numel(shape[ind:])
    total = numel(shape)
    if size == 0 or total % size:
        raise ValueError(f"cannot reshape array of size {total} into shape ({size},newaxis)")
    if total // size != size:
        raise LinAlgError("Last 2 dimensions of the array must be square")
    return inv(size)


# ---------------------------------------------------------------------- norms
# Norms are passes over the data, one operation per element per pass (not FMA-priced);
# the 2-norm and nuclear norm of a matrix are its singular values, an SVD priced in FMAs
# (times ``fma_cost``) plus a pass over the ``q`` values.

_INF = float("inf")


_EMPTY_MIN = "zero-size array to reduction operation minimum which has no identity"


def vector_norm_work(n: int, outputs: int, ord: Any, length: int = 1) -> int:
    """A vector norm over ``n`` elements giving ``outputs`` values: ``ord`` ``inf``,
    ``-inf``, ``1`` (abs and max / min / sum) and ``0`` (compare and count): ``2n``;
    ``None`` / ``2`` (square, sum, a square root per output): ``2n + outputs``; any other
    number (abs, power, sum, a root per output): ``3n + outputs``. ``length``: the
    vectors' length (``-inf``, a minimum, has none over an empty axis)."""
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")
    if ord is None or ord == 2:
        return 2 * n + outputs
    if ord in (_INF, -_INF, 0, 1):
        if ord == -_INF and length == 0:
            raise ValueError(_EMPTY_MIN)
        return 2 * n
    float(ord)  # NumPy's TypeError for what is not a number
    return 3 * n + outputs


def matrix_norm_work(shape: Shape, rows: int, cols: int, ord: Any, fma_cost: int = 1) -> int:
    """A matrix norm over axes ``rows``, ``cols`` (lengths ``R``, ``C``) of ``shape``,
    ``B`` matrices, ``q = min(R, C)``: ``'fro'`` / ``None``: ``2 numel + B``; ``1`` / ``-1``:
    ``2 numel + B C`` (abs, column sums, max); ``inf`` / ``-inf``: ``2 numel + B R``; ``2``
    / ``-2`` / ``'nuc'``: ``B`` SVDs, values only (:func:`svd_full`, times ``fma_cost``),
    plus ``B q``."""
    size = numel(shape)
    r, c = shape[rows], shape[cols]
    batch = numel([s for i, s in enumerate(shape) if i not in (rows, cols)])
    if ord is None or (isinstance(ord, str) and ord in ("fro", "f")):
        return 2 * size + batch
    if isinstance(ord, str):
        if ord != "nuc":
            raise ValueError("Invalid norm order for matrices.")
    elif ord in (1, -1):
        if ord == -1 and c == 0:
            raise ValueError(_EMPTY_MIN)
        return 2 * size + batch * c
    elif ord in (_INF, -_INF):
        if ord == -_INF and r == 0:
            raise ValueError(_EMPTY_MIN)
        return 2 * size + batch * r
    elif ord not in (2, -2):
        raise ValueError("Invalid norm order for matrices.")
    elif ord == -2 and min(r, c) == 0:
        raise ValueError(_EMPTY_MIN)
    return batch * (svd_full(r, c, False) * fma_cost + min(r, c))


def norm_shape(
    shape: Shape, ord: Any = None, axis: Any = None, keepdims: bool = False, fma_cost: int = 1
) -> int:
    """``linalg.norm``: ``axis=None`` with ``ord=None`` (or ``'fro'`` of a matrix, ``2``
    of a vector): the flattened 2-norm, ``2 numel + 1``; one axis: a vector norm (see
    :func:`vector_norm_work`); two axes: a matrix norm (see :func:`matrix_norm_work`)."""
    shape = tuple(shape)
    nd = len(shape)
    if axis is None:
        if (
            ord is None
            or (isinstance(ord, str) and ord in ("f", "fro") and nd == 2)
            or (not isinstance(ord, str) and ord == 2 and nd == 1)
        ):
            return 2 * numel(shape) + 1
        axes: tuple = tuple(range(nd))
    elif isinstance(axis, tuple):
        axes = axis
    else:
        try:
            axes = (int(axis),)
        except Exception as e:
            raise TypeError("'axis' must be None, an integer or a tuple of integers") from e
    if len(axes) == 1:
        (ax,) = axis_tuple(axes[0], nd)
        size = numel(shape)
        outputs = numel([s for i, s in enumerate(shape) if i != ax])
        return vector_norm_work(size, outputs, ord, shape[ax])
    if len(axes) == 2:
        rows, cols = (axis_tuple(a, nd)[0] for a in axes)
        if rows == cols:
            raise ValueError("Duplicate axes given.")
        return matrix_norm_work(shape, rows, cols, ord, fma_cost)
    raise ValueError("Improper number of dimensions to norm.")


def vector_norm_shape(shape: Shape, axis: Any = None, ord: Any = 2) -> int:
    """``linalg.vector_norm`` over ``axis`` (all axes if ``None``) of ``shape``: the
    vector norm of :func:`vector_norm_work` over ``numel`` elements."""
    shape = tuple(shape)
    axes = axis_tuple(axis, len(shape)) if axis is not None else tuple(range(len(shape)))
    outputs = numel([s for i, s in enumerate(shape) if i not in axes])
    length = numel([shape[i] for i in axes])
    return vector_norm_work(numel(shape), outputs, ord, length)


def cond_shape(shape: Shape, p: Any = None, fma_cost: int = 1) -> int:
    """``linalg.cond``: ``p`` ``None`` / ``2`` / ``-2``: per matrix, the singular values
    (times ``fma_cost``) and a division; any other ``p``: per matrix, :func:`inv` (times
    ``fma_cost``), the ``p``-norms of the matrix and of its inverse
    (:func:`matrix_norm_work`) and their product."""
    shape = tuple(shape)
    if numel(shape) == 0 and numel(shape[-2:]) == 0:
        raise LinAlgError("cond is not defined on empty arrays")
    if p is None or (not isinstance(p, str) and p in (2, -2)):
        batch, m, n = _stacked(shape)
        return batch * (svd_full(m, n, False) * fma_cost + 1)
    batch, n, _ = _stacked(shape, square=True)
    one_norm = matrix_norm_work(shape, len(shape) - 2, len(shape) - 1, p, fma_cost)
    return batch * (inv(n) * fma_cost + 1) + 2 * one_norm


def matrix_rank_shape(shape: Shape, hermitian: bool = False, fma_cost: int = 1) -> int:
    """``linalg.matrix_rank``: per matrix, the singular values (:func:`svd_full`, values
    only; ``hermitian``: :func:`eigvalsh`) times ``fma_cost``, plus ``2q`` (the largest
    value for the tolerance, one comparison per value), ``q = min(m, n)``; fewer than two
    dimensions: ``numel`` comparisons with zero."""
    shape = tuple(shape)
    if len(shape) < 2:
        return numel(shape)
    batch, m, n = _stacked(shape, square=hermitian)
    values = eigvalsh(n) if hermitian else svd_full(m, n, False)
    return batch * (values * fma_cost + 2 * min(m, n))


# ---------------------------------------------------------------------- argument rules
def _square_batch(args: tuple, kwargs: dict, name: str = "a") -> tuple[int, int]:
    batch, n, _ = _stacked(shape_of(arg(args, kwargs, 0, name)), square=True)
    return batch, n


def cholesky_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * n (n + 1) (n + 2) / 6`` (textbook ``n^3/3`` flops; one unit per
    multiply-add, division and square root)."""
    batch, n = _square_batch(args, kwargs)
    return batch * cholesky(n)


_QR_MODES = {"reduced": "reduced", "complete": "complete", "r": "r", "raw": "raw"}
_QR_MODES.update(f="reduced", full="reduced", e="economic", economic="economic")


def qr_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch)`` times Householder QR, ``k = min(m, n)``: ``2 sum_{j<k} (m-j)(n-j)``
    (``mn^2 - n^3/3`` for ``m >= n``), plus ``2 sum_{j<k} (m-j)(q-j)`` to form Q with
    ``q = k`` columns (``'reduced'``) or ``q = m`` (``'complete'``); ``'r'`` and ``'raw'``
    do not form Q."""
    mode = arg(args, kwargs, 1, "mode", "reduced")
    if not isinstance(mode, str) or mode not in _QR_MODES:
        raise ValueError(f"Unrecognized mode '{mode}'")
    batch, m, n = _stacked(shape_of(arg(args, kwargs, 0, "a")))
    return batch * qr(m, n, _QR_MODES[mode])


def svd_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch)`` times, ``p = max(m, n)``, ``q = min(m, n)``: values only
    ``ceil((6pq^2 - 2q^3)/3)``; full ``U``, ``V`` ``ceil((4p^2q + 8pq^2 + 9q^3)/2)``; thin
    the smaller of ``7pq^2 + 4q^3`` and the full count (Golub & Van Loan's Golub-Reinsch
    counts, flops halved); ``hermitian``: eigh's ``ceil(9n^3/2)`` (eigvalsh's
    ``ceil(2n^3/3)`` without vectors); ``k=`` (top-``k`` triplets): ``m * n * k``."""
    return svd_shape(
        shape_of(arg(args, kwargs, 0, "a")),
        bool(arg(args, kwargs, 1, "full_matrices", True)),
        bool(arg(args, kwargs, 2, "compute_uv", True)),
        bool(arg(args, kwargs, 3, "hermitian", False)),
        kwargs.get("k"),
    )


def svdvals_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * ceil((6pq^2 - 2q^3)/3)``, ``p = max(m, n)``, ``q = min(m, n)``:
    the singular values only (Golub & Van Loan's ``4pq^2 - 4q^3/3`` flops)."""
    return svd_shape(shape_of(arg(args, kwargs, 0, "x")), compute_uv=False)


def _uplo(args: tuple, kwargs: dict) -> None:
    uplo = arg(args, kwargs, 1, "UPLO", "L")
    if not isinstance(uplo, str) or uplo.upper() not in ("L", "U"):
        raise ValueError("UPLO argument must be 'L' or 'U'")


def eig_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * ceil(25n^3/2)``: general eigenvalues and eigenvectors (Golub &
    Van Loan's ``25n^3`` flops)."""
    batch, n = _square_batch(args, kwargs)
    return batch * eig(n)


def eigvals_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * 5n^3``: general eigenvalues only (Golub & Van Loan's ``10n^3``
    flops)."""
    batch, n = _square_batch(args, kwargs)
    return batch * eigvals(n)


def eigh_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * ceil(9n^3/2)``: symmetric eigenvalues and eigenvectors (Golub &
    Van Loan's ``9n^3`` flops)."""
    _uplo(args, kwargs)
    batch, n = _square_batch(args, kwargs)
    return batch * eigh(n)


def eigvalsh_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * ceil(2n^3/3)``: symmetric eigenvalues only (Golub & Van Loan's
    ``4n^3/3`` flops)."""
    _uplo(args, kwargs)
    batch, n = _square_batch(args, kwargs)
    return batch * eigvalsh(n)


def inv_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * ((n^3 - n)/3 + n^3)``: LU and ``n`` right-hand sides, NumPy
    solving ``A X = I``."""
    batch, n = _square_batch(args, kwargs)
    return batch * inv(n)


def det_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * ((n^3 - n)/3 + n)``: LU and the product of its diagonal."""
    batch, n = _square_batch(args, kwargs)
    return batch * (lu(n) + n)


def slogdet_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * ((n^3 - n)/3 + 2n)``: LU, then a logarithm and an addition per
    diagonal element."""
    batch, n = _square_batch(args, kwargs)
    return batch * (lu(n) + 2 * n)


def solve_rule(args: tuple, kwargs: dict) -> int:
    """``numel(broadcast batch) * ((n^3 - n)/3 + n^2 * nrhs)``: LU and two triangular
    solves per right-hand side (``b`` 1-D: ``nrhs = 1``; else ``b`` is ``(..., n,
    nrhs)``)."""
    return solve_shapes(shape_of(arg(args, kwargs, 0, "a")), shape_of(arg(args, kwargs, 1, "b")))


def lstsq_rule(args: tuple, kwargs: dict) -> int:
    """SVD least squares (LAPACK ``gelsd``) of ``m x n`` with ``k`` right-hand sides,
    ``p = max(m, n)``, ``q = min(m, n)``: the thin SVD ``min(7pq^2 + 4q^3, ceil((4p^2q +
    8pq^2 + 9q^3)/2))``, plus ``(m + n) q k`` and ``(m - n) k`` residuals if ``m > n``."""
    return lstsq_shapes(shape_of(arg(args, kwargs, 0, "a")), shape_of(arg(args, kwargs, 1, "b")))


def pinv_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch)`` times the thin SVD (``hermitian``: eigh's ``ceil(9n^3/2)``) plus
    ``2q + q m + n q m`` (cutoff, reciprocals, scaling and the product), ``q = min(m,
    n)``; 0 for an empty matrix."""
    if arg(args, kwargs, 1, "rcond") is not None and "rtol" in kwargs:
        raise ValueError("`rtol` and `rcond` can't be both set.")
    hermitian = bool(arg(args, kwargs, 2, "hermitian", False))
    return pinv_shape(shape_of(arg(args, kwargs, 0, "a")), hermitian)


def matrix_power_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * n^3 * (bit_length(|p|) - 1 + popcount(|p|) - 1)``: NumPy's
    squarings and products, plus ``(n^3 - n)/3 + n^3`` (the inverse) for ``p < 0``; 0 for
    ``p = 0``."""
    return matrix_power_shape(shape_of(arg(args, kwargs, 0, "a")), arg(args, kwargs, 1, "n"))


def tensorsolve_rule(args: tuple, kwargs: dict) -> int:
    """``(N^3 - N)/3 + N^2``, ``N = numel(b)``: ``a`` as a square ``N x N`` matrix solved
    for one right-hand side."""
    return tensorsolve_shapes(
        shape_of(arg(args, kwargs, 0, "a")),
        shape_of(arg(args, kwargs, 1, "b")),
        arg(args, kwargs, 2, "axes"),
    )


def tensorinv_rule(args: tuple, kwargs: dict) -> int:
    """``(N^3 - N)/3 + N^3``, ``N = numel(a.shape[ind:])``: the inverse of ``a`` as an
    ``N x N`` matrix."""
    ind = operator.index(arg(args, kwargs, 1, "ind", 2))
    return tensorinv_shape(shape_of(arg(args, kwargs, 0, "a")), ind)


def norm_rule(args: tuple, kwargs: dict) -> int:
    """Passes over the data, one operation per element per pass: the flattened 2-norm
    (``ord=None``, ``axis=None``) ``2 numel + 1``; vector norms ``2 numel`` (``inf``,
    ``-inf``, ``0``, ``1``), ``2 numel + outputs`` (``2``), ``3 numel + outputs`` (other
    ``p``); matrix norms ``2 numel + B`` (``'fro'``), ``2 numel + B C`` (``1``, ``-1``),
    ``2 numel + B R`` (``inf``, ``-inf``), and for ``2``, ``-2``, ``'nuc'`` ``B`` SVDs,
    values only, times ``fma_cost``, plus ``B q`` (``B`` matrices ``R x C``)."""
    return norm_shape(
        shape_of(arg(args, kwargs, 0, "x")),
        arg(args, kwargs, 1, "ord"),
        arg(args, kwargs, 2, "axis"),
        fma_cost=SETTINGS.fma_cost,
    )


def matrix_norm_rule(args: tuple, kwargs: dict) -> int:
    """``linalg.norm`` over the last two axes (``ord='fro'`` by default): ``2 numel + B``
    (``'fro'``), ``2 numel + B C`` (``1``, ``-1``), ``2 numel + B R`` (``inf``, ``-inf``),
    ``B`` SVDs, values only, times ``fma_cost``, plus ``B q`` (``2``, ``-2``, ``'nuc'``)."""
    shape = shape_of(arg(args, kwargs, 0, "x"))
    return norm_shape(shape, kwargs.get("ord", "fro"), (-2, -1), fma_cost=SETTINGS.fma_cost)


def vector_norm_rule(args: tuple, kwargs: dict) -> int:
    """A norm of the ``numel`` elements along ``axis`` (all by default): ``2 numel``
    (``inf``, ``-inf``, ``0``, ``1``), ``2 numel + outputs`` (``2``, the default), ``3
    numel + outputs`` (other ``p``)."""
    shape = shape_of(arg(args, kwargs, 0, "x"))
    return vector_norm_shape(shape, kwargs.get("axis"), kwargs.get("ord", 2))


def cond_rule(args: tuple, kwargs: dict) -> int:
    """``p`` ``None`` / ``2`` / ``-2``: ``B`` SVDs, values only, times ``fma_cost``, plus
    ``B`` divisions; other ``p``: ``B`` inverses ``(n^3 - n)/3 + n^3`` times ``fma_cost``,
    two matrix ``p``-norms (see ``linalg.norm``) and ``B`` multiplications."""
    return cond_shape(
        shape_of(arg(args, kwargs, 0, "x")), arg(args, kwargs, 1, "p"), SETTINGS.fma_cost
    )


def matrix_rank_rule(args: tuple, kwargs: dict) -> int:
    """``B`` SVDs, values only (``hermitian``: eigvalsh's ``ceil(2n^3/3)``), times
    ``fma_cost``, plus ``2 q B`` (the tolerance and one comparison per singular value);
    fewer than two dimensions: ``numel`` comparisons with zero."""
    if arg(args, kwargs, 1, "tol") is not None and kwargs.get("rtol") is not None:
        raise ValueError("`tol` and `rtol` can't be both set.")
    return matrix_rank_shape(
        shape_of(arg(args, kwargs, 0, "A")),
        bool(arg(args, kwargs, 2, "hermitian", False)),
        SETTINGS.fma_cost,
    )


def linalg_cross_rule(args: tuple, kwargs: dict) -> int:
    """``9`` per output vector of the broadcast batch (six multiplications, three
    subtractions); both inputs must be 3-vectors along ``axis``."""
    a, b = shape_of(args[0]), shape_of(args[1])
    axis = operator.index(kwargs.get("axis", -1))
    for s in (a, b):
        if not -len(s) <= axis < len(s):
            raise IndexError(f"tuple index out of range (axis {axis}, shape {s})")
    if a[axis] != 3 or b[axis] != 3:
        raise ValueError(
            "Both input arrays must be (arrays of) 3-dimensional vectors, "
            f"but they are {a[axis]} and {b[axis]} dimensional instead."
        )
    return cross_rule((args[0], args[1]), {"axis": axis})


# ====================================================================== output rules
# What each row returns (for a dry run: see ``outputs``), from the shapes the cost rules
# read; the dtypes and NumPy's named tuples (``SVDResult``, ``QRResult``, ...) come from
# the executor's probe, except where they depend on values.
#
# Values decide three things here. (1) Whether NumPy can factorise at all: a singular
# matrix (``inv``, ``solve``, a negative ``matrix_power``, ``tensorinv``,
# ``tensorsolve``) or one that is not positive definite (``cholesky``) is refused, which
# only running finds: a dry run does not run, and takes the factorisation to succeed.
# (2) Whether ``eig`` / ``eigvals`` of real data return real or complex eigenvalues
# (complex unless every imaginary part is zero). (3) Whether ``lstsq`` of an
# overdetermined system returns residuals (only at full rank). The last two are the
# result's type and shape: computed from known values (the one place a dry run runs
# NumPy on the program's data), and refused with ``DryRunValueError`` on unknown ones.


def _dtype_of(x: Any) -> np.dtype:
    """``x``'s dtype (a list's: the array NumPy reads it as)."""
    dtype = getattr(x, "dtype", None)
    return dtype if isinstance(dtype, np.dtype) else np.asarray(x).dtype


def _matrices(args: tuple, kwargs: dict, name: str = "a") -> tuple[Shape, int, int]:
    """(batch shape, m, n) of the stack of matrices ``(..., m, n)`` the call takes."""
    shape = tuple(shape_of(arg(args, kwargs, 0, name)))
    return shape[:-2], shape[-2], shape[-1]


def multi_dot_output(args: tuple, kwargs: dict) -> Out:
    """Two arrays: ``np.dot``'s result; more: the first array's rows (none when it is
    1-D) and the last array's columns (none when it is 1-D)."""
    arrays = arg(args, kwargs, 0, "arrays")
    # the dtype: each step's np.dot on one element (the arrays may be one stacked array,
    # which a probe's one-element stand-in would make a single matrix)
    dtype = reduce(
        lambda x, y: np.dot(np.ones((1, 1), x), np.ones((1, 1), y)).dtype,
        [_dtype_of(a) for a in arrays],
    )
    if len(arrays) == 2:
        return Out(dot_output((arrays[0], arrays[1]), {}).shape, dtype)
    first, last = tuple(shape_of(arrays[0])), tuple(shape_of(arrays[-1]))
    return Out(first[:-1] + last[1:], dtype)


def linalg_outer_output(args: tuple, kwargs: dict) -> Out:
    """``(len(x1), len(x2))``."""
    return Out((shape_of(args[0])[0], shape_of(args[1])[0]))


def linalg_trace_output(args: tuple, kwargs: dict) -> Out:
    """The batch: the shape without its last two axes."""
    return Out(tuple(shape_of(args[0]))[:-2])


def cholesky_output(args: tuple, kwargs: dict) -> Out:
    """The input's shape ``(..., n, n)``; a matrix that is not positive definite is refused
    when its values are known."""
    return Out(tuple(shape_of(arg(args, kwargs, 0, "a"))))


def qr_output(args: tuple, kwargs: dict) -> Any:
    """``k = min(m, n)``: ``'reduced'`` ``(Q (..., m, k), R (..., k, n))``; ``'complete'``
    ``(Q (..., m, m), R (..., m, n))``; ``'r'`` ``R (..., k, n)``; ``'raw'`` ``(h (..., n,
    m), tau (..., k))``; ``'economic'`` ``(..., m, n)``."""
    mode = _QR_MODES[arg(args, kwargs, 1, "mode", "reduced")]
    batch, m, n = _matrices(args, kwargs)
    k = min(m, n)
    if mode == "reduced":
        return (Out((*batch, m, k)), Out((*batch, k, n)))
    if mode == "complete":
        return (Out((*batch, m, m)), Out((*batch, m, n)))
    if mode == "r":
        return Out((*batch, k, n))
    if mode == "raw":
        return (Out((*batch, n, m)), Out((*batch, k)))
    return Out((*batch, m, n))


def svd_output(args: tuple, kwargs: dict) -> Any:
    """``q = min(m, n)`` singular values ``S (..., q)``; with ``U`` and ``Vh``: ``(U (...,
    m, m), S, Vh (..., n, n))``, thin (``full_matrices=False``) ``(U (..., m, q), S, Vh
    (..., q, n))``; ``k=``: the top ``k`` of them, ``(U (..., m, k), S (..., k), Vh (...,
    k, n))``; ``compute_uv=False``: ``S`` alone."""
    batch, m, n = _matrices(args, kwargs)
    full = bool(arg(args, kwargs, 1, "full_matrices", True))
    compute_uv = bool(arg(args, kwargs, 2, "compute_uv", True))
    top = kwargs.get("k")
    q = min(m, n) if top is None else operator.index(top)
    values = Out((*batch, q))
    if not compute_uv:
        return values
    if full and top is None:
        return (Out((*batch, m, m)), values, Out((*batch, n, n)))
    return (Out((*batch, m, q)), values, Out((*batch, q, n)))


def svdvals_output(args: tuple, kwargs: dict) -> Out:
    """``(..., min(m, n))``."""
    batch, m, n = _matrices(args, kwargs, "x")
    return Out((*batch, min(m, n)))


def _eigen_types(function: Any, a: Any) -> Any:
    """The result of ``function`` (``eig``, ``eigvals``) of real ``a``, whose type (real or
    complex) only the values decide; ``DryRunValueError`` when they are unknown."""
    values_of(a, f"the type of linalg.{function.__name__}'s result (real or complex)")
    with np.errstate(all="ignore"):
        return function(a)


#: whether this NumPy's ``eig`` returns complex results for all real input (NumPy 2.5
#: on): then their type does not depend on the values
_EIG_ALWAYS_COMPLEX = np.linalg.eigvals(np.ones((1, 1))).dtype.kind == "c"


def _complex(a: Any) -> bool:
    """Whether ``eig`` of ``a`` is complex whatever its values."""
    return _EIG_ALWAYS_COMPLEX or _dtype_of(a).kind == "c"


def eig_output(args: tuple, kwargs: dict) -> Any:
    """``(eigenvalues (..., n), eigenvectors (..., n, n))``: complex for complex input;
    for real input complex unless every eigenvalue is real, which the values decide
    (before NumPy 2.5; from 2.5 on, always complex)."""
    a = arg(args, kwargs, 0, "a")
    shape = tuple(shape_of(a))
    if _complex(a):
        return (Out(shape[:-1]), Out(shape))
    w, v = r = _eigen_types(np.linalg.eig, a)
    return type(r)(Out(shape[:-1], w.dtype), Out(shape, v.dtype))


def eigvals_output(args: tuple, kwargs: dict) -> Out:
    """``(..., n)``: complex for complex input; for real input complex unless every
    eigenvalue is real, which the values decide."""
    a = arg(args, kwargs, 0, "a")
    shape = tuple(shape_of(a))
    if _complex(a):
        return Out(shape[:-1])
    return Out(shape[:-1], _eigen_types(np.linalg.eigvals, a).dtype)


def eigh_output(args: tuple, kwargs: dict) -> Any:
    """``(eigenvalues (..., n), eigenvectors (..., n, n))``."""
    shape = tuple(shape_of(arg(args, kwargs, 0, "a")))
    return (Out(shape[:-1]), Out(shape))


def eigvalsh_output(args: tuple, kwargs: dict) -> Out:
    """``(..., n)``."""
    return Out(tuple(shape_of(arg(args, kwargs, 0, "a")))[:-1])


def inv_output(args: tuple, kwargs: dict) -> Out:
    """The input's shape ``(..., n, n)``; a singular matrix is refused when its values are
    known."""
    return Out(tuple(shape_of(arg(args, kwargs, 0, "a"))))


def det_output(args: tuple, kwargs: dict) -> Out:
    """The batch ``(...)`` of ``(..., n, n)``."""
    return Out(_matrices(args, kwargs)[0])


def slogdet_output(args: tuple, kwargs: dict) -> Any:
    """``(sign, logabsdet)``, each the batch ``(...)`` of ``(..., n, n)``."""
    batch = _matrices(args, kwargs)[0]
    return (Out(batch), Out(batch))


def solve_output(args: tuple, kwargs: dict) -> Out:
    """``b`` 1-D: ``a``'s shape without its last axis; otherwise the broadcast batch, then
    ``b``'s ``(n, nrhs)``. A singular ``a`` is refused when the values are known."""
    a = tuple(shape_of(arg(args, kwargs, 0, "a")))
    b = tuple(shape_of(arg(args, kwargs, 1, "b")))
    if len(b) == 1:
        return Out(a[:-1])
    return Out((*broadcast_shape(a[:-2], b[:-2]), *b[-2:]))


def lstsq_output(args: tuple, kwargs: dict) -> Any:
    """``(x, residuals, rank, s)`` for ``a`` ``(m, n)`` and ``b`` ``(m,)`` or ``(m, k)``:
    ``x`` ``(n,)`` or ``(n, k)``, ``rank`` a 0-d integer, ``s`` ``(min(m, n),)``;
    ``residuals`` ``(k,)`` (``(1,)`` for 1-D ``b``) when ``m > n`` and ``a`` has full rank
    ``n``, else ``(0,)``. For ``m > n`` the rank depends on ``a``'s values: known values
    are solved for it; unknown ones are taken to have full rank (as a dry run takes a
    factorisation to succeed)."""
    a, b = arg(args, kwargs, 0, "a"), arg(args, kwargs, 1, "b")
    (m, n), sb = tuple(shape_of(a)), tuple(shape_of(b))
    x = Out((n,) if len(sb) == 1 else (n, sb[1]))
    residuals = Out((0,))
    if m > n:
        rank = n
        if not is_unknown(a):
            with np.errstate(all="ignore"):
                rank = np.linalg.lstsq(a, b, rcond=arg(args, kwargs, 2, "rcond"))[2]
        if rank == n:
            residuals = Out((1 if len(sb) == 1 else sb[1],))
    return (x, residuals, Out(()), Out((min(m, n),)))


def pinv_output(args: tuple, kwargs: dict) -> Out:
    """``(..., n, m)`` for ``(..., m, n)``."""
    batch, m, n = _matrices(args, kwargs)
    return Out((*batch, n, m))


def matrix_power_output(args: tuple, kwargs: dict) -> Out:
    """The input's shape ``(..., n, n)``."""
    operator.index(arg(args, kwargs, 1, "n"))
    return Out(tuple(shape_of(arg(args, kwargs, 0, "a"))))


def tensorsolve_output(args: tuple, kwargs: dict) -> Out:
    """The unknowns' shape: ``a``'s trailing ``a.ndim - b.ndim`` axes (after ``axes`` are
    moved to the end). A singular system is refused when the values are known."""
    a = tuple(shape_of(arg(args, kwargs, 0, "a")))
    b = tuple(shape_of(arg(args, kwargs, 1, "b")))
    axes = arg(args, kwargs, 2, "axes")
    if axes is not None:
        order = list(range(len(a)))
        for k in axes:
            order.remove(k)
            order.insert(len(a), k)
        a = tuple(a[i] for i in order)
    return Out(a[-(len(a) - len(b)) :])


def tensorinv_output(args: tuple, kwargs: dict) -> Out:
    """``a.shape[ind:] + a.shape[:ind]``. A singular ``a`` is refused when its values are
    known."""
    shape = tuple(shape_of(arg(args, kwargs, 0, "a")))
    ind = operator.index(arg(args, kwargs, 1, "ind", 2))
    return Out(shape[ind:] + shape[:ind])


def norm_output(args: tuple, kwargs: dict) -> Out:
    """``axis=None``: a scalar (``keepdims``: every axis 1); otherwise the shape without
    the one or two normed axes (``keepdims``: those axes 1)."""
    shape = tuple(shape_of(arg(args, kwargs, 0, "x")))
    axis = arg(args, kwargs, 2, "axis")
    keepdims = bool(arg(args, kwargs, 3, "keepdims", False))
    if axis is not None and not isinstance(axis, tuple):
        axis = (operator.index(axis),)
    return Out(reduced_shape(shape, axis, keepdims))


def vector_norm_output(args: tuple, kwargs: dict) -> Out:
    """The shape without ``axis`` (all axes by default; ``keepdims``: those axes 1)."""
    shape = tuple(shape_of(arg(args, kwargs, 0, "x")))
    return Out(reduced_shape(shape, kwargs.get("axis"), bool(kwargs.get("keepdims", False))))


def matrix_norm_output(args: tuple, kwargs: dict) -> Out:
    """The batch ``(...)`` of ``(..., m, n)`` (``keepdims``: ``(..., 1, 1)``)."""
    batch = _matrices(args, kwargs, "x")[0]
    return Out((*batch, 1, 1) if kwargs.get("keepdims", False) else batch)


def cond_output(args: tuple, kwargs: dict) -> Out:
    """The batch ``(...)`` of ``(..., m, n)``."""
    return Out(_matrices(args, kwargs, "x")[0])


def matrix_rank_output(args: tuple, kwargs: dict) -> Out:
    """The batch ``(...)`` of ``(..., m, n)``; a scalar for fewer than two dimensions."""
    shape = tuple(shape_of(arg(args, kwargs, 0, "A")))
    return Out(shape[:-2])


def linalg_cross_output(args: tuple, kwargs: dict) -> Out:
    """``cross``'s result with ``axis`` for all three axes: the broadcast batch with the
    3 components at ``axis``."""
    return cross_output((args[0], args[1]), {"axis": operator.index(kwargs.get("axis", -1))})
