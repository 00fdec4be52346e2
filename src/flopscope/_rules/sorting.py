"""Sorting and searching: comparison counts."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .core import Shape, arg, axis_tuple, numel, shape_of

__all__ = ["n_log2_n", "partition_rule", "searchsorted", "searchsorted_rule", "sort", "sort_rule"]


def n_log2_n(n: int) -> int:
    """``n * ceil(log2 n)`` comparisons to sort n items (0 for n <= 1)."""
    return n * math.ceil(math.log2(n)) if n > 1 else 0


def sort(shape: Shape, axis: Any = -1) -> int:
    """Sort along an axis: ``n * ceil(log2 n)`` for each slice of length n.

    ``axis=None`` sorts the flattened array (n = numel).
    """
    shape = tuple(shape)
    if axis is None:
        return n_log2_n(numel(shape))
    if not shape:
        raise np.exceptions.AxisError(axis, 0)
    (ax,) = axis_tuple(axis, len(shape))
    n = shape[ax]
    return numel(shape) // n * n_log2_n(n) if n else 0


def searchsorted(sorted_len: int, n_queries: int) -> int:
    """Binary search: ``n_queries * ceil(log2(sorted_len + 1))`` comparisons."""
    return n_queries * math.ceil(math.log2(sorted_len + 1))


def sort_rule(args: tuple, kwargs: dict) -> int:
    """``n * ceil(log2 n)`` per sorted slice of length n (see :func:`sort`)."""
    return sort(shape_of(arg(args, kwargs, 0, "a")), arg(args, kwargs, 1, "axis", -1))


def partition_rule(args: tuple, kwargs: dict) -> int:
    """Introselect: ``numel(input)`` (linear in each slice's length)."""
    return numel(shape_of(arg(args, kwargs, 0, "a")))


def searchsorted_rule(args: tuple, kwargs: dict) -> int:
    """``numel(v) * ceil(log2(len(a) + 1))`` comparisons (see :func:`searchsorted`)."""
    a = arg(args, kwargs, 0, "a")
    v = arg(args, kwargs, 1, "v")
    return searchsorted(numel(shape_of(a)), numel(shape_of(v)))
