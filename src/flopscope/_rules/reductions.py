"""Reductions: ``numel(input)``, whatever the axis."""

from __future__ import annotations

from typing import Any

import numpy as np

from .core import Shape, axis_tuple, numel, shape_of

__all__ = ["reduction", "reduction_rule"]


def reduction(input_shape: Shape, axis: Any = None) -> int:
    """Reduction (sum, max, mean, var, ...): ``numel(input)`` whatever the axis.

    ``axis`` is validated against the input's dimensions but does not change the cost.
    """
    shape = tuple(int(d) for d in input_shape)
    axis_tuple(axis, len(shape))
    return numel(shape)


def reduction_rule(args: tuple, kwargs: dict) -> int:
    """``numel(input)``: each input element is combined once."""
    a = args[0] if args else kwargs.get("a")
    if type(a) is np.ndarray:
        return a.size
    return numel(shape_of(a))
