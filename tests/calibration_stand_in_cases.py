"""A small stand-in for the calibration's CASES table: a few rows of four categories,
written to the :class:`flopscope.calibration.cases.Case` interface, so the runner is
tested on its own whatever the full table holds."""

from __future__ import annotations

import numpy as np

from flopscope.calibration.cases import Call, Case


def vector(size: int, distribution: str, rng: np.random.Generator) -> np.ndarray:
    """``size`` float64 values: standard normal, or uniform in [-1, 1] ("unit")."""
    if distribution == "unit":
        return rng.uniform(-1.0, 1.0, size)
    return rng.standard_normal(size)


def _add(size, distribution, rng):
    a, b = vector(size, distribution, rng), vector(size, distribution, rng)
    return Call(np.add, (a, b), {"out": np.empty(size)})


def _exp(size, distribution, rng):
    return Call(np.exp, (vector(size, distribution, rng),), {"out": np.empty(size)})


def _sum(size, distribution, rng):
    return Call(np.sum, (vector(size, distribution, rng),), {})


def _max(size, distribution, rng):
    return Call(np.max, (vector(size, distribution, rng),), {})


def _matmul(order, distribution, rng):
    a = vector(order * order, distribution, rng).reshape(order, order)
    b = vector(order * order, distribution, rng).reshape(order, order)
    return Call(np.matmul, (a, b), {"out": np.empty((order, order))})


def _sort(size, distribution, rng):
    return Call(np.sort, (vector(size, distribution, rng),), {})


CASES: dict[str, Case] = {
    case.name: case
    for case in (
        Case("add", "pointwise", _add, (1000, 100_000), ("normal", "unit"), quick_sizes=(1000,)),
        Case("exp", "pointwise", _exp, (1000, 100_000), ("normal", "unit"), quick_sizes=(1000,)),
        Case("sum", "reductions", _sum, (1000, 100_000), quick_sizes=(1000,)),
        Case("max", "reductions", _max, (1000, 100_000), quick_sizes=(1000,)),
        Case("matmul", "linalg", _matmul, (32, 128), blas=True, quick_sizes=(32,)),
        Case("sort", "sorting", _sort, (1000, 100_000), quick_sizes=(1000, 4000)),
    )
}
