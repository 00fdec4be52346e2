"""Array creation that computes: ``linspace``, ``pad``'s statistic modes."""

from __future__ import annotations

import numpy as np

from ..errors import UnsupportedFunctionError
from .core import arg, broadcast_shape, numel, shape_of
from .outputs import Out, values_of

__all__ = ["linspace_rule", "pad_output", "pad_rule"]


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
