"""Linear algebra: the contraction-family spellings of ``numpy.linalg`` that differ from
their top-level namesakes (``multi_dot``, 1-D ``outer``, ``trace`` of the last two axes)
and the query ``svd_cost``.

``linalg.matmul``, ``linalg.tensordot`` and ``linalg.vecdot`` are twins of the top-level
rows (see :mod:`.contractions`): the same rules, billed under the same names.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.linalg import LinAlgError

from .contractions import dot, trace
from .core import BAD_KINDS, Shape, arg, dtype_error, shape_of

__all__ = [
    "chain_cost",
    "linalg_outer_rule",
    "linalg_trace_rule",
    "multi_dot",
    "multi_dot_rule",
    "svd",
]


def svd(m: int, n: int, k: int | None = None) -> int:
    """Truncated SVD of an ``m x n`` matrix to rank ``k``: ``m * n * k`` FMAs
    (``k = min(m, n)`` for the full decomposition)."""
    for name, v in (("m", m), ("n", n), ("k", k)):
        if v is None and name == "k":
            continue
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise ValueError(f"svd_cost: {name} must be a non-negative integer, got {v!r}")
    m, n = int(m), int(n)
    k = min(m, n) if k is None else int(k)
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
