"""Random sampling: one draw per output element; shuffles by comparison count."""

from __future__ import annotations

import numpy as np

from .core import Rule, arg, numel, shape_of
from .pointwise import pointwise
from .sorting import n_log2_n

__all__ = ["dims_rule", "permutation_rule", "sampler_rule"]


def sampler_rule(size_pos: int) -> Rule:
    """Random sampling: ``numel(output)``, one draw per output element.

    The output shape is ``size`` (argument ``size_pos`` or ``size=``), or the broadcast
    of the distribution parameters before it when ``size`` is None.
    """

    def rule(args: tuple, kwargs: dict) -> int:
        size = args[size_pos] if len(args) > size_pos else kwargs.get("size")
        if size is not None:
            dims = [size] if isinstance(size, (int, np.integer)) else list(size)
            return numel([int(d) for d in dims])
        params = [shape_of(a) for a in args[:size_pos]]
        params += [shape_of(v) for k, v in kwargs.items() if k not in ("size", "dtype", "out")]
        return pointwise(*params) if params else 1

    rule.__doc__ = sampler_rule.__doc__
    return rule


def dims_rule(args: tuple, kwargs: dict) -> int:
    """``rand(d0, d1, ...)`` / ``randn(d0, d1, ...)``: ``d0 * d1 * ...`` draws."""
    for d in args:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
            raise TypeError(f"dimensions must be integers, got {d!r}")
        if d < 0:
            raise ValueError(f"negative dimensions are not allowed, got {d}")
    return numel([int(d) for d in args])


def permutation_rule(args: tuple, kwargs: dict) -> int:
    """Shuffle/permutation of n items along the first axis: ``n * ceil(log2 n)``."""
    x = arg(args, kwargs, 0, "x")
    if isinstance(x, (int, np.integer)):
        return n_log2_n(int(x))
    shape = shape_of(x)
    if not shape:
        raise ValueError("x must be an integer or at least 1-dimensional")
    return n_log2_n(shape[0])
