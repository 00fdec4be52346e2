"""Helpers every rule uses: element counts, shapes, broadcasting, argument access."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import UnsupportedDtypeError

__all__ = [
    "BAD_KINDS",
    "Rule",
    "Shape",
    "arg",
    "axis_tuple",
    "broadcast_shape",
    "dtype_error",
    "numel",
    "shape_of",
]


Shape = tuple[int, ...]


Rule = Callable[[tuple, dict], int]


BAD_KINDS = frozenset("OSUVTMm")  # object, bytes, str, void, StringDType, datetime, timedelta


_KIND_NAMES = {
    "O": "object",
    "S": "bytes",
    "U": "str",
    "V": "void (structured)",
    "T": "string",
    "M": "datetime64",
    "m": "timedelta64",
}


def numel(shape: Sequence[int]) -> int:
    """Number of elements of ``shape`` (1 for a scalar)."""
    return math.prod(shape)


def shape_of(x: Any) -> Shape:
    """The shape NumPy would give ``x`` (arrays, scalars, nested lists)."""
    shape = getattr(x, "shape", None)
    if shape is not None and type(shape) is tuple:
        return shape
    return np.shape(x)


def dtype_error(x: Any, op_name: str) -> UnsupportedDtypeError:
    """The error for data a FLOP count means nothing for (object, string, datetime, ...)
    given to a counted operation."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind in _KIND_NAMES:
        what = f"{_KIND_NAMES[dtype.kind]} data (dtype {dtype})"
    else:
        what = f"a {type(x).__name__} argument"
    return UnsupportedDtypeError(
        f"{op_name} is a counted operation and cannot take {what}; "
        "flopscope counts numeric data only"
    )


@lru_cache(maxsize=4096)
def broadcast_shape(*shapes: Shape) -> Shape:
    """NumPy's broadcast of ``shapes``; ``ValueError`` names them if incompatible."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        listed = " ".join(str(tuple(s)) for s in shapes)
        raise ValueError(f"operands could not be broadcast together with shapes {listed}") from None


def axis_tuple(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if not isinstance(axis, (tuple, list)) else tuple(axis)
    out = []
    for ax in axes:
        ax = operator.index(ax)
        if not -ndim <= ax < ndim:
            raise np.exceptions.AxisError(ax, ndim)
        out.append(ax % ndim)
    if len(set(out)) != len(out):
        raise ValueError("duplicate value in 'axis'")
    return tuple(out)


def arg(args: tuple, kwargs: dict, pos: int, name: str, default: Any = None) -> Any:
    if len(args) > pos:
        return args[pos]
    return kwargs.get(name, default)
