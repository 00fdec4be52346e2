"""Array creation that computes: ``linspace``, ``pad``'s statistic modes."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ..errors import UnsupportedFunctionError
from .core import Shape, arg, axis_tuple, broadcast_shape, numel, shape_of
from .outputs import Out, values_of

__all__ = [
    "ends_shape",
    "linspace_output",
    "linspace_rule",
    "linspace_type",
    "pad_output",
    "pad_rule",
    "samples_shape",
]


_PAD_COPY_MODES = frozenset({"constant", "edge", "reflect", "symmetric", "wrap", "empty"})


_PAD_STAT_MODES = frozenset({"maximum", "mean", "median", "minimum"})


def pad_rule(args: tuple, kwargs: dict) -> int:
    """``pad``: 0 for the copying modes (constant, edge, reflect, symmetric, wrap, empty);
    ``2 * ndim * numel(input)`` for a statistic mode (a reduction per side and axis);
    ``numel(output)`` for linear_ramp."""
    a = arg(args, kwargs, 0, "array")
    mode = arg(args, kwargs, 2, "mode", "constant")
    if callable(mode):
        raise UnsupportedFunctionError(
            "pad with a callable mode runs Python per vector, which flopscope cannot count"
        )
    shape = shape_of(a)
    if mode in _PAD_COPY_MODES:
        return 0
    if mode in _PAD_STAT_MODES:
        return 2 * len(shape) * numel(shape)
    if mode == "linear_ramp":
        width = np.broadcast_to(np.asarray(arg(args, kwargs, 1, "pad_width")), (len(shape), 2))
        return numel([d + int(w.sum()) for d, w in zip(shape, width)])
    raise ValueError(f"mode {mode!r} is not supported")


def pad_output(args: tuple, kwargs: dict) -> Out:
    """Each axis of ``array`` longer by its ``(before, after)`` widths (``pad_width``
    broadcast to one pair per axis, rounded to integers, none negative). Only the
    ``constant`` and ``empty`` modes extend an empty axis."""
    shape = tuple(shape_of(arg(args, kwargs, 0, "array")))
    mode = arg(args, kwargs, 2, "mode", "constant")
    widths = np.round(np.asarray(values_of(arg(args, kwargs, 1, "pad_width"), "pad's widths")))
    widths = widths.astype(np.intp, copy=False)
    if widths.size and widths.min() < 0:
        raise ValueError("index can't contain negative values")
    pairs = np.broadcast_to(widths, (len(shape), 2)).tolist()
    if mode not in ("constant", "empty"):
        for ax, (n, (before, after)) in enumerate(zip(shape, pairs)):
            if n == 0 and (before or after):
                raise ValueError(
                    f"can't extend empty axis {ax} using modes other than 'constant' or 'empty'"
                )
    return Out(tuple(n + before + after for n, (before, after) in zip(shape, pairs)))


def linspace_rule(args: tuple, kwargs: dict) -> int:
    """``linspace``: one FMA-free step per output element: ``num * numel(broadcast(start, stop))``."""
    num = int(arg(args, kwargs, 2, "num", 50))
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    start = shape_of(arg(args, kwargs, 0, "start"))
    stop = shape_of(arg(args, kwargs, 1, "stop"))
    return num * numel(broadcast_shape(tuple(start), tuple(stop)))


def ends_shape(*ends: Any) -> Shape:
    """The broadcast of the ends of ranges (``start``, ``stop``; ``logspace``'s array
    ``base``)."""
    return broadcast_shape(*(tuple(shape_of(e)) for e in ends))


def samples_shape(between: Shape, num: int, axis: Any) -> Shape:
    """The shape of ``num`` samples of ranges whose ends broadcast to ``between``
    (``linspace``, ``logspace``, ``geomspace``): ``between`` with an axis of length
    ``num`` inserted at ``axis`` (counted in the result's dimensions)."""
    (ax,) = axis_tuple(axis, len(between) + 1)
    return (*between[:ax], num, *between[ax:])


def _promotable(x: Any) -> Any:
    """``x`` as NumPy's promotion sees it: a Python number stays weak, anything else is
    its dtype (of the array it becomes; a dtype stands for itself)."""
    if type(x) in (int, float, complex, bool) or isinstance(x, np.dtype):
        return x
    return x.dtype if isinstance(x, np.ndarray | np.generic) else np.asarray(x).dtype


def linspace_type(start: Any, stop: Any) -> np.dtype:
    """The type ``linspace`` computes in: ``start`` and ``stop`` promoted (Python numbers
    weakly), then made inexact (an integer or boolean type becomes float64)."""
    dt = np.result_type(_promotable(start), _promotable(stop))
    return dt if dt.kind in "fc" else np.result_type(dt, np.float64)


def linspace_output(args: tuple, kwargs: dict) -> Out | tuple[Out, Out]:
    """``linspace(start, stop, num, endpoint, retstep, dtype, axis)``: the broadcast of
    ``start`` and ``stop`` with ``num`` samples along ``axis``, in ``dtype`` or
    :func:`linspace_type`; with ``retstep``, also the step: that broadcast in
    :func:`linspace_type`, or a float NaN when there is no interval (``num - 1 <= 0`` with
    the endpoint, ``num = 0`` without)."""
    num = operator.index(values_of(arg(args, kwargs, 2, "num", 50), "linspace's length"))
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    start, stop = arg(args, kwargs, 0, "start"), arg(args, kwargs, 1, "stop")
    computed = linspace_type(start, stop)
    dtype = arg(args, kwargs, 5, "dtype")
    between = ends_shape(start, stop)
    samples = Out(
        samples_shape(between, num, arg(args, kwargs, 6, "axis", 0)),
        computed if dtype is None else np.dtype(dtype),
    )
    if dtype is not None and computed.kind == "c" and np.issubdtype(dtype, np.integer):
        # NumPy rounds integer samples down with floor, which complex ones do not have
        raise TypeError("ufunc 'floor' not supported for complex samples")
    if not arg(args, kwargs, 4, "retstep", False):
        return samples
    intervals = num - 1 if arg(args, kwargs, 3, "endpoint", True) else num
    if intervals <= 0:
        return samples, Out((), np.dtype(np.float64))
    return samples, Out(between, computed)
