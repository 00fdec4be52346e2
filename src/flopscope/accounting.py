"""Cost queries: what an operation would cost, from shapes alone.

Nothing here runs an operation or touches a budget. Results are analytical FLOPs under
the active FMA convention (``flops.configure(fma_cost=...)``) and are *not* weighted:
a budget charges ``query result * flop_multiplier * weight(op)``.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from . import _rules as rules
from ._config import SETTINGS
from ._registry import REGISTRY

LINALG_QUERIES = [
    "cholesky_cost",
    "cond_cost",
    "det_cost",
    "eig_cost",
    "eigh_cost",
    "eigvals_cost",
    "eigvalsh_cost",
    "inv_cost",
    "lstsq_cost",
    "matrix_power_cost",
    "matrix_rank_cost",
    "multi_dot_cost",
    "norm_cost",
    "pinv_cost",
    "qr_cost",
    "slogdet_cost",
    "solve_cost",
    "tensorinv_cost",
    "tensorsolve_cost",
]
__all__ = [
    "einsum_cost",
    "matmul_cost",
    "pointwise_cost",
    "reduction_cost",
    "svd_cost",
    *LINALG_QUERIES,
]


def _shape(value: Any, what: str) -> tuple[int, ...]:
    if isinstance(value, (int,)) and not isinstance(value, bool):
        value = (value,)
    try:
        shape = tuple(value)
    except TypeError:
        raise ValueError(f"{what} must be a shape (a tuple of ints), got {value!r}") from None
    for d in shape:
        if isinstance(d, bool) or not hasattr(d, "__index__") or int(d) < 0:
            raise ValueError(f"{what} must hold non-negative ints, got {value!r}")
    return tuple(int(d) for d in shape)


def _row(op: str, categories: tuple[str, ...], kind: str):
    row = REGISTRY.get(op)
    if row is None:
        raise ValueError(f"unknown operation {op!r}: not in flopscope's registry")
    row = REGISTRY[row.billing_name]
    if row.category not in categories:
        raise ValueError(f"{op!r} is not a {kind} operation (it is {row.category})")
    return row


def pointwise_cost(op: str, shape: Sequence[int], *other_shapes: Sequence[int]) -> int:
    """Cost of an elementwise op: ``numel(broadcast(shape, *other_shapes))``.

    >>> pointwise_cost("exp", shape=(256, 256))
    65536
    """
    _row(op, ("counted_unary", "counted_binary"), "pointwise")
    shapes = [_shape(shape, "shape"), *(_shape(s, "shape") for s in other_shapes)]
    return rules.pointwise(*shapes)


def reduction_cost(op: str, input_shape: Sequence[int], axis: Any = None) -> int:
    """Cost of a reduction: ``numel(input_shape)`` (the axis is validated, not priced).

    >>> reduction_cost("sum", input_shape=(256, 256))
    65536
    """
    _row(op, ("counted_reduction",), "reduction")
    return rules.reduction(_shape(input_shape, "input_shape"), axis)


def einsum_cost(subscripts: str, shapes: Sequence[Sequence[int]], optimize: Any = True) -> int:
    """Cost of ``einsum(subscripts, *operands)`` for distinct dense operands of these
    shapes: the sum of the steps of the contraction path ``optimize`` gives (each step the
    product of the dimensions of the indices it involves; ``optimize=False``: the product
    of every index dimension), times ``fma_cost``. What ``fnp.einsum`` would charge.

    >>> einsum_cost("ij,jk->ik", shapes=[(256, 256), (256, 256)])
    16777216
    """
    if isinstance(shapes, (str, bytes)) or not isinstance(shapes, Sequence):
        raise ValueError(f"shapes must be a list of shapes, got {shapes!r}")
    parsed = [_shape(s, f"shapes[{i}]") for i, s in enumerate(shapes)]
    return rules.einsum(subscripts, parsed, optimize=optimize) * SETTINGS.fma_cost


def matmul_cost(a_shape: Sequence[int], b_shape: Sequence[int]) -> int:
    """Cost of ``a @ b``: ``numel(batch) * m * k * n`` times ``fma_cost``."""
    return rules.matmul(_shape(a_shape, "a_shape"), _shape(b_shape, "b_shape")) * SETTINGS.fma_cost


def svd_cost(
    m: int,
    n: int,
    k: int | None = None,
    *,
    full_matrices: bool = True,
    compute_uv: bool = True,
    hermitian: bool = False,
) -> int:
    """Cost of an SVD of an ``m x n`` matrix, times ``fma_cost``: truncated to the top
    ``k`` triplets (``linalg.svd(a, k=k)``), ``m * n * k``; without ``k``, the full
    decomposition ``linalg.svd(a, full_matrices, compute_uv, hermitian)`` charges
    (Golub & Van Loan's Golub-Reinsch counts in multiply-adds, ``p = max(m, n)``, ``q =
    min(m, n)``: values only ``ceil((6pq^2 - 2q^3)/3)``, full ``U``, ``V``
    ``ceil((4p^2q + 8pq^2 + 9q^3)/2)``, thin the smaller of ``7pq^2 + 4q^3`` and the full
    count).

    >>> svd_cost(m=256, n=256, k=10)
    655360
    """
    cost = rules.svd(
        m, n, k, full_matrices=full_matrices, compute_uv=compute_uv, hermitian=hermitian
    )
    return cost * SETTINGS.fma_cost


# ---------------------------------------------------------------------- linalg
# Each query takes the array shapes of the call it describes (a stack ``(..., m, n)``
# is priced per matrix times ``numel(batch)``) and equals that call's charge under unit
# weights. The decompositions and solvers count multiply-adds (times ``fma_cost``);
# norms count passes over the data, their SVD parts times ``fma_cost``.


def _fma(work: int) -> int:
    return work * SETTINGS.fma_cost


def cholesky_cost(shape: Sequence[int]) -> int:
    """``linalg.cholesky`` of ``shape`` (``(..., n, n)``): ``numel(batch) * n (n + 1)
    (n + 2) / 6`` times ``fma_cost``."""
    return _fma(rules.linalg.cholesky_rule((_Shaped(_shape(shape, "shape")),), {}))


def qr_cost(shape: Sequence[int], mode: str = "reduced") -> int:
    """``linalg.qr(a, mode)`` of ``shape``: Householder QR ``2 sum_{j<k} (m-j)(n-j)``,
    ``k = min(m, n)``, plus forming Q ``2 sum_{j<k} (m-j)(q-j)`` (``q = k`` reduced, ``m``
    complete; none for ``'r'``, ``'raw'``), times ``numel(batch)`` and ``fma_cost``."""
    return _fma(rules.linalg.qr_rule((_Shaped(_shape(shape, "shape")), mode), {}))


def inv_cost(shape: Sequence[int]) -> int:
    """``linalg.inv``: ``numel(batch) * ((n^3 - n)/3 + n^3)`` times ``fma_cost``."""
    return _fma(rules.linalg.inv_rule((_Shaped(_shape(shape, "shape")),), {}))


def det_cost(shape: Sequence[int]) -> int:
    """``linalg.det``: ``numel(batch) * ((n^3 - n)/3 + n)`` times ``fma_cost``."""
    return _fma(rules.linalg.det_rule((_Shaped(_shape(shape, "shape")),), {}))


def slogdet_cost(shape: Sequence[int]) -> int:
    """``linalg.slogdet``: ``numel(batch) * ((n^3 - n)/3 + 2n)`` times ``fma_cost``."""
    return _fma(rules.linalg.slogdet_rule((_Shaped(_shape(shape, "shape")),), {}))


def solve_cost(a_shape: Sequence[int], b_shape: Sequence[int]) -> int:
    """``linalg.solve(a, b)``: ``numel(broadcast batch) * ((n^3 - n)/3 + n^2 * nrhs)``
    times ``fma_cost``."""
    a, b = _shape(a_shape, "a_shape"), _shape(b_shape, "b_shape")
    return _fma(rules.linalg.solve_shapes(a, b))


def lstsq_cost(a_shape: Sequence[int], b_shape: Sequence[int]) -> int:
    """``linalg.lstsq(a, b)``: the thin SVD plus ``(m + n) q k`` and ``(m - n) k`` if
    ``m > n``, times ``fma_cost``."""
    a, b = _shape(a_shape, "a_shape"), _shape(b_shape, "b_shape")
    return _fma(rules.linalg.lstsq_shapes(a, b))


def eig_cost(shape: Sequence[int]) -> int:
    """``linalg.eig``: ``numel(batch) * ceil(25n^3/2)`` times ``fma_cost``."""
    return _fma(rules.linalg.eig_rule((_Shaped(_shape(shape, "shape")),), {}))


def eigvals_cost(shape: Sequence[int]) -> int:
    """``linalg.eigvals``: ``numel(batch) * 5n^3`` times ``fma_cost``."""
    return _fma(rules.linalg.eigvals_rule((_Shaped(_shape(shape, "shape")),), {}))


def eigh_cost(shape: Sequence[int]) -> int:
    """``linalg.eigh``: ``numel(batch) * ceil(9n^3/2)`` times ``fma_cost``."""
    return _fma(rules.linalg.eigh_rule((_Shaped(_shape(shape, "shape")),), {}))


def eigvalsh_cost(shape: Sequence[int]) -> int:
    """``linalg.eigvalsh``: ``numel(batch) * ceil(2n^3/3)`` times ``fma_cost``."""
    return _fma(rules.linalg.eigvalsh_rule((_Shaped(_shape(shape, "shape")),), {}))


def pinv_cost(shape: Sequence[int], hermitian: bool = False) -> int:
    """``linalg.pinv``: per matrix the thin SVD (``hermitian``: eigh) plus ``2q + q m +
    n q m``, times ``numel(batch)`` and ``fma_cost``."""
    return _fma(rules.linalg.pinv_shape(_shape(shape, "shape"), bool(hermitian)))


def matrix_power_cost(shape: Sequence[int], n: int) -> int:
    """``linalg.matrix_power(a, n)``: ``numel(batch) * size^3`` per squaring and product
    of NumPy's binary powering (``bit_length(|n|) - 1`` and ``popcount(|n|) - 1``), plus
    the inverse for ``n < 0``, times ``fma_cost``."""
    return _fma(rules.linalg.matrix_power_shape(_shape(shape, "shape"), n))


def norm_cost(
    shape: Sequence[int], ord: Any = None, axis: Any = None, keepdims: bool = False
) -> int:
    """``linalg.norm(x, ord, axis, keepdims)``: passes over the data (see the row's
    formula), the SVD of ``ord`` 2 / -2 / ``'nuc'`` matrix norms times ``fma_cost``."""
    return rules.linalg.norm_shape(
        _shape(shape, "shape"), ord, axis, keepdims, fma_cost=SETTINGS.fma_cost
    )


def cond_cost(shape: Sequence[int], p: Any = None) -> int:
    """``linalg.cond(x, p)``: the singular values (``p`` None / 2 / -2) or an inverse
    (times ``fma_cost``), plus the divisions, norms and products (see the row)."""
    return rules.linalg.cond_shape(_shape(shape, "shape"), p, SETTINGS.fma_cost)


def matrix_rank_cost(shape: Sequence[int], hermitian: bool = False) -> int:
    """``linalg.matrix_rank``: the singular values (times ``fma_cost``) plus ``2q`` per
    matrix; fewer than two dimensions, ``numel`` comparisons."""
    return rules.linalg.matrix_rank_shape(
        _shape(shape, "shape"), bool(hermitian), SETTINGS.fma_cost
    )


def multi_dot_cost(shapes: Sequence[Sequence[int]]) -> int:
    """``linalg.multi_dot``: the multiply-adds of the cheapest parenthesization, times
    ``fma_cost``."""
    if isinstance(shapes, (str, bytes)) or not isinstance(shapes, Sequence):
        raise ValueError(f"shapes must be a list of shapes, got {shapes!r}")
    return _fma(rules.multi_dot([_shape(s, f"shapes[{i}]") for i, s in enumerate(shapes)]))


def tensorsolve_cost(
    a_shape: Sequence[int], b_shape: Sequence[int], axes: Sequence[int] | None = None
) -> int:
    """``linalg.tensorsolve(a, b, axes)``: ``(N^3 - N)/3 + N^2``, ``N = numel(b)``, times
    ``fma_cost``."""
    a, b = _shape(a_shape, "a_shape"), _shape(b_shape, "b_shape")
    return _fma(rules.linalg.tensorsolve_shapes(a, b, axes))


def tensorinv_cost(shape: Sequence[int], ind: int = 2) -> int:
    """``linalg.tensorinv(a, ind)``: the inverse of ``N = numel(shape[ind:])``, ``(N^3 -
    N)/3 + N^3``, times ``fma_cost``."""
    return _fma(rules.linalg.tensorinv_shape(_shape(shape, "shape"), operator.index(ind)))


class _Shaped:
    """A stand-in with only a shape, for the argument rules (they read shapes alone)."""

    __slots__ = ("shape",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape
