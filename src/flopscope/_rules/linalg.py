"""Linear algebra formulas (the query ``svd_cost``)."""

from __future__ import annotations

import numpy as np

__all__ = ["svd"]


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
