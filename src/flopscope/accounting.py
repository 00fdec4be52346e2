"""Cost queries: what an operation would cost, from shapes alone.

Nothing here runs an operation or touches a budget. Results are analytical FLOPs under
the active FMA convention (``flops.configure(fma_cost=...)``) and are *not* weighted:
a budget charges ``query result * flop_multiplier * weight(op)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import _rules as rules
from ._config import SETTINGS
from ._registry import REGISTRY
from ._rules import stats_distributions as stats_rules

__all__ = [
    "distribution_cost",
    "einsum_cost",
    "matmul_cost",
    "pointwise_cost",
    "reduction_cost",
    "svd_cost",
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


def svd_cost(m: int, n: int, k: int | None = None) -> int:
    """Cost of a rank-``k`` truncated SVD of an ``m x n`` matrix: ``m * n * k`` times
    ``fma_cost`` (``k = min(m, n)`` if omitted).

    >>> svd_cost(m=256, n=256, k=10)
    655360
    """
    return rules.svd(m, n, k) * SETTINGS.fma_cost


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
