"""Sorting and searching: comparison counts."""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from .core import Shape, arg, axis_tuple, numel, shape_of
from .outputs import Computed, Out, is_unknown, sized_by_values

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


# ---------------------------------------------------------------------- output rules
# What each call returns (for a dry run: see ``outputs``).
def _sorted_shape(a: Any, axis: Any) -> Shape:
    """``a``'s shape sorted along ``axis``; flattened when ``axis`` is None."""
    shape = tuple(shape_of(a))
    if axis is None:
        return (numel(shape),)
    axis_tuple(operator.index(axis), len(shape))  # NumPy's AxisError (0-d included)
    return shape


def sort_output(args: tuple, kwargs: dict) -> Out:
    """``a``'s shape (flattened for ``axis=None``); ``argsort``'s the same, of indices;
    ``sort_complex``'s ``a``'s, complex."""
    return Out(_sorted_shape(arg(args, kwargs, 0, "a"), arg(args, kwargs, 1, "axis", -1)))


def _kth_checked(a: Any, kth: Any, axis: Any, kind: Any) -> Shape:
    """The shape ``partition`` keeps, after NumPy's checks of ``kth`` (integers within
    the axis; a stand-in ``kth`` is not checked) and ``kind``."""
    shape = _sorted_shape(a, axis)
    if kind != "introselect":
        raise ValueError(f"{kind!r} is an unrecognized kind of select")
    if not is_unknown(kth):
        n = shape[-1] if axis is None else shape[axis_tuple(operator.index(axis), len(shape))[0]]
        for k in np.atleast_1d(kth).tolist():
            k = operator.index(k)
            if not -n <= k < n:
                raise ValueError(f"kth(={k}) out of bounds ({n})")
    return shape


def _partitioned(indices: bool) -> Any:
    def output(args: tuple, kwargs: dict) -> Out:
        a = arg(args, kwargs, 0, "a")
        shape = _kth_checked(
            a,
            arg(args, kwargs, 1, "kth"),
            arg(args, kwargs, 2, "axis", -1),
            arg(args, kwargs, 3, "kind", "introselect"),
        )
        return Out(shape, np.dtype(np.intp) if indices else np.asarray(a).dtype)

    what = "of indices" if indices else "and dtype"
    output.__doc__ = f"``a``'s shape {what} (flattened for ``axis=None``); ``kth`` within the axis."
    return output


partition_output = _partitioned(indices=False)
argpartition_output = _partitioned(indices=True)


def searchsorted_output(args: tuple, kwargs: dict) -> Out:
    """``v``'s shape: one insertion index per value. ``a`` is 1-D, ``side`` 'left' or
    'right', a ``sorter`` as long as ``a``."""
    sa = tuple(shape_of(arg(args, kwargs, 0, "a")))
    if len(sa) != 1:
        depth = "of too small depth" if not sa else "too deep"
        raise ValueError(f"object {depth} for desired array")
    side = arg(args, kwargs, 2, "side", "left")
    if side not in ("left", "right"):
        raise ValueError(f"search side must be 'left' or 'right' (got {side!r})")
    sorter = arg(args, kwargs, 3, "sorter")
    if sorter is not None and numel(shape_of(sorter)) != sa[0]:
        raise ValueError("sorter.size must equal a.size")
    return Out(tuple(shape_of(arg(args, kwargs, 1, "v"))), np.dtype(np.intp))


def sort_in_place_output(args: tuple, kwargs: dict) -> Computed:
    """``a.sort()``: None, as NumPy's in-place method returns. A stand-in's values stay
    unknown; known values are sorted, so that the array holds what a real run leaves
    in it."""
    a = args[0]
    _sorted_shape(a, arg(args, kwargs, 1, "axis", -1))
    if not is_unknown(a):
        np.ndarray.sort(a, *args[1:], **kwargs)
    return Computed(None)


def partition_in_place_output(args: tuple, kwargs: dict) -> Computed:
    """``a.partition(kth)``: None, as NumPy's in-place method returns. A stand-in's
    values stay unknown; known values are partitioned, so that the array holds what a
    real run leaves in it."""
    a = args[0]
    _kth_checked(
        a,
        arg(args, kwargs, 1, "kth"),
        arg(args, kwargs, 2, "axis", -1),
        arg(args, kwargs, 3, "kind", "introselect"),
    )
    if not is_unknown(a):
        np.ndarray.partition(a, *args[1:], **kwargs)
    return Computed(None)


#: the output rules of the in-place methods ``ndarray.sort`` and ``ndarray.partition``
IN_PLACE_OUTPUTS = {"sort": sort_in_place_output, "partition": partition_in_place_output}


nonzero_output = sized_by_values(np.nonzero, "indices of nonzero values")
flatnonzero_output = sized_by_values(np.flatnonzero, "indices of nonzero values")
argwhere_output = sized_by_values(np.argwhere, "indices of nonzero values")
