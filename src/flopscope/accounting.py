"""Cost queries: what an operation would cost, from shapes alone.

Nothing here runs an operation or touches a budget. Results are analytical FLOPs under
the active FMA convention (``flops.configure(fma_cost=...)``) and are *not* weighted:
a budget charges ``query result * flop_multiplier * weight(op)``.

The accumulation queries (:func:`einsum_accumulation_cost`,
:func:`reduction_accumulation_cost`) instead return an
:class:`~flopscope._accumulation.AccumulationCost`: multiplications and additions
counted once each, whatever ``fma_cost`` is.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import _rules as rules
from ._config import SETTINGS
from ._registry import REGISTRY
from ._rules import fft as fft_rules
from ._rules import stats_distributions as stats_rules
from ._rules.core import axis_tuple, numel, shape_of
from ._symmetry import SymmetryGroup

if TYPE_CHECKING:
    from ._accumulation import AccumulationCost

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
    "distribution_cost",
    "einsum_accumulation_cost",
    "einsum_cost",
    "fft_cost",
    "fftn_cost",
    "hfft_cost",
    "matmul_cost",
    "pointwise_cost",
    "poly_cost",
    "polyadd_cost",
    "polyder_cost",
    "polydiv_cost",
    "polyfit_cost",
    "polyint_cost",
    "polymul_cost",
    "polyval_cost",
    "reduction_accumulation_cost",
    "reduction_cost",
    "rfft_cost",
    "rfftn_cost",
    "roots_cost",
    "svd_cost",
    "symmetrize_cost",
    "symmetry_check_cost",
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


def pointwise_cost(
    op: str, shape: Sequence[int], *other_shapes: Sequence[int], symmetry: Any = None
) -> int:
    """Cost of an elementwise op: ``numel(broadcast(shape, *other_shapes))``.

    With ``symmetry`` (the group a result on SymmetricTensors keeps, as any spec
    ``as_symmetric`` takes, on the broadcast shape's axes): the distinct elements,
    ``symmetry.orbit_count(broadcast)``, ``n * (n + 1) / 2`` for an ``n x n`` symmetric
    matrix.

    >>> pointwise_cost("exp", shape=(256, 256))
    65536
    >>> pointwise_cost("exp", (4, 4), symmetry=(0, 1))
    10
    """
    _row(op, ("counted_unary", "counted_binary"), "pointwise")
    shapes = [_shape(shape, "shape"), *(_shape(s, "shape") for s in other_shapes)]
    work = rules.pointwise(*shapes)
    if symmetry is None:
        return work
    sizes, group = _symmetry_group(rules.broadcast_shape(*shapes), symmetry)
    return group.orbit_count(sizes)


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


def _operand_shape(value: Any, what: str) -> tuple[int, ...]:
    """The shape of an accumulation query's operand: a tuple is a shape; anything with
    ``.shape`` is an array; a list or a number is array data, shaped as NumPy shapes it."""
    if isinstance(value, tuple):
        return _shape(value, what)
    shape = getattr(value, "shape", None)
    if shape is not None:
        return _shape(shape, f"{what}.shape")
    if isinstance(value, (list, numbers.Number)):
        return _shape(shape_of(value), what)
    raise ValueError(f"{what} must be an array or a shape (a tuple of ints), got {value!r}")


def einsum_accumulation_cost(
    subscripts: str, *operands: Any, optimize: Any = True
) -> AccumulationCost:
    """The multiplications and additions of ``einsum(subscripts, *operands)``, step by
    step along the contraction path ``optimize`` gives (as ``fnp.einsum`` plans it).

    ``operands``: arrays (anything with ``.shape``) or shapes (tuples of ints). One
    array object passed at several positions is one array, and a
    :class:`~flopscope.SymmetricTensor` brings its group: each step then forms only its
    distinct products (see :mod:`flopscope._rules.contraction_symmetry`; ``'ij,ik->jk'``
    with ``X, X`` computes only the output's distinct entries), as ``fnp.einsum``
    charges it. Shapes are never taken for one array.

    Each step's loop nest forms ``products`` products (the product of the dimensions of
    every index it involves; with symmetry, the orbits of its index tuples); a product of ``k`` operands' entries takes ``k - 1``
    multiplications and is added into a zeroed output: ``multiplications = products *
    (k - 1)``, ``additions = products``. So ``'ij,jk->ik'`` on ``(m, k), (k, n)`` is
    ``m k n`` of each, ``2 m k n`` in all (33,554,432 at 256); a one-operand step (a sum,
    a trace) only adds. The counts are analytical, each operation once: not weighted,
    not multiplied by ``fma_cost`` (a two-operand contraction's total is its
    ``einsum_cost`` under ``fma_cost=2``). Nothing runs and nothing is charged.

    Raises ``ValueError`` for bad subscripts, shapes that do not fit them, an unknown
    ``optimize``.

    >>> einsum_accumulation_cost("ij,jk->ik", (256, 256), (256, 256)).total
    33554432
    """
    if not isinstance(subscripts, str):
        raise ValueError(f"einsum subscripts must be a string, got {subscripts!r}")
    if not operands:
        raise ValueError("einsum_accumulation_cost needs at least one operand")
    shapes = [_operand_shape(o, f"operand {i}") for i, o in enumerate(operands)]
    # for each operand, the first position holding the same array object
    same = [
        i if isinstance(o, tuple) else next(j for j, p in enumerate(operands) if p is o)
        for i, o in enumerate(operands)
    ]
    groups = [_declared_group(o) for o in operands]
    from ._accumulation import AccumulationCost, AccumulationStep  # (on first use: import time)
    from ._einsum import plan as einsum_plan

    plan = einsum_plan(
        subscripts, shapes, optimize, same, groups if any(g is not None for g in groups) else None
    )
    steps = tuple(
        AccumulationStep(
            step.positions,
            step.subscripts,
            step.cost,
            step.cost * (len(step.positions) - 1),
            step.cost,
        )
        for step in plan.steps
    )
    return AccumulationCost(
        sum(s.multiplications for s in steps),
        sum(s.additions for s in steps),
        steps,
        f"einsum {subscripts!r} of shapes {', '.join(map(str, shapes))}",
    )


def _declared_group(x: Any) -> SymmetryGroup | None:
    """The group a SymmetricTensor's data is symmetric under (None: none, or not one)."""
    from ._symmetric_tensor import SymmetricTensor  # it imports the dispatch, and this

    if isinstance(x, SymmetricTensor):
        group = x.symmetry
        return None if group.is_trivial else group
    return None


def reduction_accumulation_cost(x: Any, op_factor: int = 1, axis: Any = None) -> AccumulationCost:
    """The combining operations of a reduction of ``x`` (an array, or its shape) over
    ``axis`` (None: every axis; an int or a tuple of ints, negative counting from the
    end).

    Combining ``m`` values into one takes ``m - 1`` steps (none for ``m`` of 0 or 1), so
    a reduction to ``numel(output)`` values, each combining the ``m`` values along the
    reduced axes, takes ``numel(output) * (m - 1)`` steps: ``numel(input) -
    numel(output)`` when no reduced axis is empty (a full reduction of a 256x256 array:
    65,535; ``keepdims`` changes nothing). Each step does ``op_factor``
    operations (1 for a sum or a maximum; 2 for a sum of squares, which multiplies, then
    adds). The query cannot tell which of a step's operations multiply, so it counts
    them all as ``additions`` (combining operations) and ``multiplications`` as 0:
    ``additions = steps * op_factor``. Analytical, not weighted; nothing runs and
    nothing is charged.

    A :class:`~flopscope.SymmetricTensor` ``x`` holds each distinct value once per orbit
    of its group: each distinct output value combines the distinct values of its fibre,
    ``orbits(H, shape) - orbits(H on the kept axes, output shape)`` steps in all, ``H``
    the elements of the group that map the reduced axes onto themselves (all of them
    when every axis is reduced: ``n (n + 1) / 2 - 1`` for a symmetric ``n x n``). A sum
    also weights a value by its copies: those scalings are not counted here.

    Raises ``ValueError`` for an ``op_factor`` that is not an int >= 0 or an axis that is
    not an int, ``numpy.exceptions.AxisError`` for an axis out of range.

    >>> reduction_accumulation_cost((256, 256)).total
    65535
    """
    shape = _operand_shape(x, "x")
    if isinstance(op_factor, bool) or not hasattr(op_factor, "__index__"):
        raise ValueError(f"op_factor must be an int >= 0, got {op_factor!r}")
    if operator.index(op_factor) < 0:
        raise ValueError(f"op_factor must be an int >= 0, got {op_factor!r}")
    op_factor = operator.index(op_factor)
    entries = axis if isinstance(axis, (tuple, list)) else (axis,)
    if axis is not None and any(
        isinstance(a, bool) or not hasattr(a, "__index__") for a in entries
    ):
        raise ValueError(f"axis must be None, an int or a tuple of ints, got {axis!r}")
    axes = axis_tuple(axis, len(shape))
    reduced = 1
    for a in axes:
        reduced *= shape[a]
    kept = numel([d for i, d in enumerate(shape) if i not in axes])
    combining = kept * max(reduced - 1, 0)
    group = _declared_group(x)
    if group is not None and kept and reduced:
        preserving = group.stabilizer_of(axes)
        kept = preserving.drop_axes(axes).orbit_count(
            tuple(d for i, d in enumerate(shape) if i not in axes)
        )
        combining = preserving.orbit_count(shape) - kept
        reduced = combining // kept + 1 if kept else 0  # for the breakdown: on average
    from ._accumulation import AccumulationCost  # (loaded on first use: import time)

    return AccumulationCost(
        0,
        combining * op_factor,
        description=f"reduction of shape {shape} over axes {axes}",
        breakdown=(
            f"{kept:,} output value(s), each combining {reduced:,} input value(s): "
            f"{combining:,} combining steps",
            f"x op_factor {op_factor} = {combining * op_factor:,} operations, counted as additions",
        ),
    )


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


# ---------------------------------------------------------------------- rows' queries
# The queries below take the shapes (or sizes) of the call they describe and run that
# row's own rule on shape-only stand-ins (``_row_cost``): a query is its call's charge
# under unit weights by construction. A stack ``(..., m, n)`` is priced per matrix
# times ``numel(batch)``; the decompositions and solvers count multiply-adds (times
# ``fma_cost``), norms passes over the data (their SVD parts times ``fma_cost``).


class _Shaped:
    """A stand-in with only a shape, for the argument rules (they read shapes alone)."""

    __slots__ = ("shape",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape


def _length(value: Any, what: str) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__") or int(value) < 0:
        raise ValueError(f"{what} must be a non-negative int, got {value!r}")
    return int(value)


def _row_cost(op: str, args: tuple, **kwargs: Any) -> int:
    """What the row ``op`` charges for these arguments, before weights."""
    row = REGISTRY[op]
    assert row.rule is not None
    cost = row.rule(args, kwargs)
    return cost * SETTINGS.fma_cost if row.fma else cost


def cholesky_cost(shape: Sequence[int]) -> int:
    """``linalg.cholesky`` of ``shape`` (``(..., n, n)``): ``numel(batch) * n (n + 1)
    (n + 2) / 6`` times ``fma_cost``."""
    return _row_cost("linalg.cholesky", (_Shaped(_shape(shape, "shape")),))


def qr_cost(shape: Sequence[int], mode: str = "reduced") -> int:
    """``linalg.qr(a, mode)`` of ``shape``: Householder QR ``2 sum_{j<k} (m-j)(n-j)``,
    ``k = min(m, n)``, plus forming Q ``2 sum_{j<k} (m-j)(q-j)`` (``q = k`` reduced, ``m``
    complete; none for ``'r'``, ``'raw'``), times ``numel(batch)`` and ``fma_cost``."""
    return _row_cost("linalg.qr", (_Shaped(_shape(shape, "shape")), mode))


def inv_cost(shape: Sequence[int]) -> int:
    """``linalg.inv``: ``numel(batch) * ((n^3 - n)/3 + n^3)`` times ``fma_cost``."""
    return _row_cost("linalg.inv", (_Shaped(_shape(shape, "shape")),))


def det_cost(shape: Sequence[int]) -> int:
    """``linalg.det``: ``numel(batch) * ((n^3 - n)/3 + n)`` times ``fma_cost``."""
    return _row_cost("linalg.det", (_Shaped(_shape(shape, "shape")),))


def slogdet_cost(shape: Sequence[int]) -> int:
    """``linalg.slogdet``: ``numel(batch) * ((n^3 - n)/3 + 2n)`` times ``fma_cost``."""
    return _row_cost("linalg.slogdet", (_Shaped(_shape(shape, "shape")),))


def solve_cost(a_shape: Sequence[int], b_shape: Sequence[int]) -> int:
    """``linalg.solve(a, b)``: ``numel(broadcast batch) * ((n^3 - n)/3 + n^2 * nrhs)``
    times ``fma_cost``."""
    a, b = _shape(a_shape, "a_shape"), _shape(b_shape, "b_shape")
    return _row_cost("linalg.solve", (_Shaped(a), _Shaped(b)))


def lstsq_cost(a_shape: Sequence[int], b_shape: Sequence[int]) -> int:
    """``linalg.lstsq(a, b)``: the thin SVD plus ``(m + n) q k`` and ``(m - n) k`` if
    ``m > n``, times ``fma_cost``."""
    a, b = _shape(a_shape, "a_shape"), _shape(b_shape, "b_shape")
    return _row_cost("linalg.lstsq", (_Shaped(a), _Shaped(b)))


def eig_cost(shape: Sequence[int]) -> int:
    """``linalg.eig``: ``numel(batch) * ceil(25n^3/2)`` times ``fma_cost``."""
    return _row_cost("linalg.eig", (_Shaped(_shape(shape, "shape")),))


def eigvals_cost(shape: Sequence[int]) -> int:
    """``linalg.eigvals``: ``numel(batch) * 5n^3`` times ``fma_cost``."""
    return _row_cost("linalg.eigvals", (_Shaped(_shape(shape, "shape")),))


def eigh_cost(shape: Sequence[int]) -> int:
    """``linalg.eigh``: ``numel(batch) * ceil(9n^3/2)`` times ``fma_cost``."""
    return _row_cost("linalg.eigh", (_Shaped(_shape(shape, "shape")),))


def eigvalsh_cost(shape: Sequence[int]) -> int:
    """``linalg.eigvalsh``: ``numel(batch) * ceil(2n^3/3)`` times ``fma_cost``."""
    return _row_cost("linalg.eigvalsh", (_Shaped(_shape(shape, "shape")),))


def pinv_cost(shape: Sequence[int], hermitian: bool = False) -> int:
    """``linalg.pinv``: per matrix the thin SVD (``hermitian``: eigh) plus ``2q + q m +
    n q m``, times ``numel(batch)`` and ``fma_cost``."""
    return _row_cost("linalg.pinv", (_Shaped(_shape(shape, "shape")),), hermitian=bool(hermitian))


def matrix_power_cost(shape: Sequence[int], n: int) -> int:
    """``linalg.matrix_power(a, n)``: ``numel(batch) * size^3`` per squaring and product
    of NumPy's binary powering (``bit_length(|n|) - 1`` and ``popcount(|n|) - 1``), plus
    the inverse for ``n < 0``, times ``fma_cost``."""
    return _row_cost("linalg.matrix_power", (_Shaped(_shape(shape, "shape")), n))


def norm_cost(
    shape: Sequence[int], ord: Any = None, axis: Any = None, keepdims: bool = False
) -> int:
    """``linalg.norm(x, ord, axis, keepdims)``: passes over the data (see the row's
    formula), the SVD of ``ord`` 2 / -2 / ``'nuc'`` matrix norms times ``fma_cost``."""
    return _row_cost("linalg.norm", (_Shaped(_shape(shape, "shape")), ord, axis, keepdims))


def cond_cost(shape: Sequence[int], p: Any = None) -> int:
    """``linalg.cond(x, p)``: the singular values (``p`` None / 2 / -2) or an inverse
    (times ``fma_cost``), plus the divisions, norms and products (see the row)."""
    return _row_cost("linalg.cond", (_Shaped(_shape(shape, "shape")), p))


def matrix_rank_cost(shape: Sequence[int], hermitian: bool = False) -> int:
    """``linalg.matrix_rank``: the singular values (times ``fma_cost``) plus ``2q`` per
    matrix; fewer than two dimensions, ``numel`` comparisons."""
    return _row_cost(
        "linalg.matrix_rank", (_Shaped(_shape(shape, "shape")),), hermitian=bool(hermitian)
    )


def multi_dot_cost(shapes: Sequence[Sequence[int]]) -> int:
    """``linalg.multi_dot``: the multiply-adds of the cheapest parenthesization, times
    ``fma_cost``."""
    if isinstance(shapes, (str, bytes)) or not isinstance(shapes, Sequence):
        raise ValueError(f"shapes must be a list of shapes, got {shapes!r}")
    arrays = [_Shaped(_shape(s, f"shapes[{i}]")) for i, s in enumerate(shapes)]
    return _row_cost("linalg.multi_dot", (arrays,))


def tensorsolve_cost(
    a_shape: Sequence[int], b_shape: Sequence[int], axes: Sequence[int] | None = None
) -> int:
    """``linalg.tensorsolve(a, b, axes)``: ``(N^3 - N)/3 + N^2``, ``N = numel(b)``, times
    ``fma_cost``."""
    a, b = _shape(a_shape, "a_shape"), _shape(b_shape, "b_shape")
    return _row_cost("linalg.tensorsolve", (_Shaped(a), _Shaped(b), axes))


def tensorinv_cost(shape: Sequence[int], ind: int = 2) -> int:
    """``linalg.tensorinv(a, ind)``: the inverse of ``N = numel(shape[ind:])``, ``(N^3 -
    N)/3 + N^3``, times ``fma_cost``."""
    return _row_cost("linalg.tensorinv", (_Shaped(_shape(shape, "shape")), operator.index(ind)))


def polyval_cost(n_coeffs: int, x_shape: Sequence[int] = ()) -> int:
    """Cost of ``polyval(p, x)`` for ``n_coeffs`` coefficients at points of ``x_shape``:
    Horner, ``(n_coeffs - 1) * numel(x_shape)`` multiply-adds, times ``fma_cost``."""
    n = _length(n_coeffs, "n_coeffs")
    return _row_cost("polyval", (_Shaped((n,)), _Shaped(_shape(x_shape, "x_shape"))))


def polyfit_cost(n_points: int, deg: int, n_columns: int = 1, cov: bool = False) -> int:
    """Cost of ``polyfit(x, y, deg)`` on ``n_points`` points (``y`` with ``n_columns``
    columns): the least-squares solve of the ``m x (deg + 1)`` Vandermonde system as
    :func:`lstsq_cost` prices it, ``cov=True`` adds ``m n^2 + n^3``; times ``fma_cost``."""
    m = _length(n_points, "n_points")
    k = _length(n_columns, "n_columns")
    y = (m, k) if n_columns != 1 else (m,)
    return _row_cost("polyfit", (_Shaped((m,)), _Shaped(y), _length(deg, "deg")), cov=cov)


def roots_cost(n_coeffs: int) -> int:
    """Cost of ``roots(p)`` for ``n_coeffs`` coefficients: the eigenvalues of the
    ``n x n`` companion matrix (n = n_coeffs - 1), :func:`eigvals_cost`'s ``5 n^3``
    multiply-adds, times ``fma_cost``."""
    return _row_cost("roots", (_Shaped((_length(n_coeffs, "n_coeffs"),)),))


def poly_cost(n_roots: int) -> int:
    """Cost of ``poly(roots)`` from ``n_roots`` roots: ``n (n + 1)`` multiply-adds, times
    ``fma_cost``."""
    return _row_cost("poly", (_Shaped((_length(n_roots, "n_roots"),)),))


def polymul_cost(n1: int, n2: int) -> int:
    """Cost of ``polymul(a1, a2)`` for ``n1`` and ``n2`` coefficients: ``n1 * n2``
    multiply-adds (an empty polynomial counts as length 1), times ``fma_cost``."""
    shapes = (_Shaped((_length(n1, "n1"),)), _Shaped((_length(n2, "n2"),)))
    return _row_cost("polymul", shapes)


def polydiv_cost(n_u: int, n_v: int) -> int:
    """Cost of ``polydiv(u, v)``: ``(n_u - n_v + 1) * n_v`` multiply-adds (0 when
    ``n_u < n_v``), times ``fma_cost``."""
    shapes = (_Shaped((_length(n_u, "n_u"),)), _Shaped((_length(n_v, "n_v"),)))
    return _row_cost("polydiv", shapes)


def polyadd_cost(n1: int, n2: int) -> int:
    """Cost of ``polyadd`` / ``polysub``: ``max(n1, n2)`` additions."""
    shapes = (_Shaped((_length(n1, "n1"),)), _Shaped((_length(n2, "n2"),)))
    return _row_cost("polyadd", shapes)


def polyder_cost(n_coeffs: int, m: int = 1) -> int:
    """Cost of ``polyder(p, m)``: ``m (L - 1) - m (m - 1) / 2`` multiplications for
    ``m < L = n_coeffs`` (each order multiplies the remaining coefficients by their
    powers)."""
    return _row_cost("polyder", (_Shaped((_length(n_coeffs, "n_coeffs"),)), _length(m, "m")))


def polyint_cost(n_coeffs: int, m: int = 1) -> int:
    """Cost of ``polyint(p, m)``: ``m L + m (m - 1) / 2`` divisions (L = n_coeffs)."""
    return _row_cost("polyint", (_Shaped((_length(n_coeffs, "n_coeffs"),)), _length(m, "m")))


# ---------------------------------------------------------------------- Fourier transforms
# Not FMA-priced: 5 n ceil(log2 n) already counts additions and multiplications once each.
def _count(value: Any, what: str, least: int) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__") or int(value) < least:
        raise ValueError(f"{what} must be an int >= {least}, got {value!r}")
    return int(value)


def _transform_1d(
    kind: str, n: int, batch: int, forward: bool, norm: Any, hermitian: bool = False
) -> int:
    n = _count(n, "n", 1)
    # ``batch`` vectors of length ``n``: a stand-in array of shape (batch, n)
    shape = [_count(batch, "batch", 0), n]
    price = fft_rules.hermitian_1d if hermitian else fft_rules.transform_1d
    return price(shape, kind, n, 1, forward, norm)


def fft_cost(n: int, batch: int = 1, *, inverse: bool = False, norm: Any = None) -> int:
    """Cost of ``fft`` (``inverse=True``: ``ifft``) of length ``n`` over ``batch``
    independent vectors (the product of the other axes' extents): ``batch * 5 * n *
    ceil(log2 n)``, plus ``batch * n`` multiplications when ``norm`` scales that
    direction (``fft``: ``'ortho'``, ``'forward'``; ``ifft``: the default ``None`` /
    ``'backward'``, ``'ortho'``). ``n`` is the transformed length (the ``n=`` argument
    when given).

    >>> fft_cost(1024)
    51200
    >>> fft_cost(8, batch=3, inverse=True)
    384
    """
    return _transform_1d(fft_rules.COMPLEX, n, batch, not inverse, norm)


def rfft_cost(n: int, batch: int = 1, *, inverse: bool = False, norm: Any = None) -> int:
    """Cost of ``rfft`` of ``n`` real points (``inverse=True``: ``irfft`` to ``n`` real
    points) over ``batch`` vectors: ``batch * (5 * n * ceil(log2 n) // 2)``, half the
    complex count; plus ``numel(output)`` multiplications (``batch * (n // 2 + 1)`` for
    ``rfft``, ``batch * n`` for ``irfft``) when ``norm`` scales that direction.

    >>> rfft_cost(1024)
    25600
    """
    kind = fft_rules.REAL_INVERSE if inverse else fft_rules.REAL_FORWARD
    return _transform_1d(kind, n, batch, not inverse, norm)


def hfft_cost(n: int, batch: int = 1, *, inverse: bool = False, norm: Any = None) -> int:
    """Cost of ``hfft`` to ``n`` real points (``inverse=True``: ``ihfft`` of ``n`` real
    points) over ``batch`` vectors: as ``irfft`` (``ihfft``: ``rfft``),
    ``batch * (5 * n * ceil(log2 n) // 2)``; plus ``numel(output)`` multiplications
    for ``hfft`` with ``norm='ortho'`` / ``'forward'``, for ``ihfft`` with the default
    ``norm`` and ``'ortho'``.

    >>> hfft_cost(16)
    160
    """
    kind = fft_rules.REAL_FORWARD if inverse else fft_rules.REAL_INVERSE
    return _transform_1d(kind, n, batch, inverse, norm, hermitian=True)


def fftn_cost(
    shape: Sequence[int],
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    *,
    inverse: bool = False,
    norm: Any = None,
) -> int:
    """Cost of ``fftn(a, s, axes)`` (``inverse=True``: ``ifftn``) for ``a`` of ``shape``;
    ``fft2`` / ``ifft2`` are ``axes=(-2, -1)``. ``s`` and ``axes`` mean what they mean
    to NumPy (``axes=None``: every axis, or the last ``len(s)``). The sum, over the 1-D
    transforms NumPy runs (the last axis first), of ``batch * 5 * n * ceil(log2 n)``
    with ``n`` that axis's transformed length and ``batch`` the product of the other
    extents at that step; plus each step's ``numel(output)`` when ``norm`` scales.

    >>> fftn_cost((64, 64))
    245760
    """
    return fft_rules.fftn(_shape(shape, "shape"), s, axes, inverse=inverse, norm=norm)


def rfftn_cost(
    shape: Sequence[int],
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    *,
    inverse: bool = False,
    norm: Any = None,
) -> int:
    """Cost of ``rfftn(a, s, axes)`` (``inverse=True``: ``irfftn``) for ``a`` of
    ``shape``; ``rfft2`` / ``irfft2`` are ``axes=(-2, -1)``. ``rfftn``: the real
    transform of the last axis, ``batch * (5 * n * ceil(log2 n) // 2)``, then each other
    axis complex, ``batch * 5 * n * ceil(log2 n)``, on the half-length output
    (``n // 2 + 1`` along the last axis). ``irfftn`` (``shape`` the half-length complex
    input): the complex inverse transforms first, the real one of the last axis (``n``
    output points, default ``2 * (m - 1)``) last. Plus each step's ``numel(output)``
    when ``norm`` scales.

    >>> rfftn_cost((64, 64))
    124800
    """
    return fft_rules.rfftn(_shape(shape, "shape"), s, axes, inverse=inverse, norm=norm)


def distribution_cost(op: str, shape: Sequence[int], *parameter_shapes: Sequence[int]) -> int:
    """Cost of a ``flopscope.stats`` method (``"norm.pdf"`` or ``"stats.norm.pdf"``) on an
    argument of ``shape`` with parameters of ``parameter_shapes`` (scalars by default):
    ``numel(broadcast) * per_element``, the per-element count of the row's formula.

    >>> distribution_cost("norm.pdf", (1000,))
    9000
    """
    name = op if op.startswith("stats.") else "stats." + op
    row = REGISTRY.get(name)
    if row is None or row.module != "stats":
        raise ValueError(f"unknown distribution method {op!r}: not in flopscope.stats")
    _, dist, method = name.split(".")
    shapes = [_shape(shape, "shape"), *(_shape(s, "parameter_shapes") for s in parameter_shapes)]
    return rules.pointwise(*shapes) * stats_rules.per_element(dist, method)


def _symmetry_group(shape: Any, symmetry: Any) -> tuple[tuple[int, ...], SymmetryGroup]:
    sizes = _shape(shape, "shape")
    group = SymmetryGroup.from_spec(symmetry, len(sizes))
    return group.validate(sizes), group


def symmetry_check_cost(shape: Sequence[int], symmetry: Any) -> int:
    """Cost of ``flopscope.as_symmetric`` (and of ``flopscope.is_symmetric`` given a
    ``symmetry``) on data of ``shape``: ``numel * len(generators)`` comparisons, each
    generator's transpose compared with the data. ``symmetry`` as ``as_symmetric`` takes
    it; a shape it does not fit raises ValueError.

    >>> symmetry_check_cost((10, 10, 10), (0, 1, 2))
    2000
    """
    sizes, group = _symmetry_group(shape, symmetry)
    return group.check_cost(sizes)


def symmetrize_cost(shape: Sequence[int], symmetry: Any) -> int:
    """Cost of ``flopscope.symmetrize`` on data of ``shape``: ``(|G| - 1) * numel``
    additions and ``numel`` multiplications, ``|G| * numel`` in all (``|G|`` the order of
    the group).

    >>> symmetrize_cost((10, 10, 10), (0, 1, 2))
    6000
    """
    sizes, group = _symmetry_group(shape, symmetry)
    return group.order * numel(sizes)
