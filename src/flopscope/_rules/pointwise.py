"""Elementwise rules: one operation per output element."""

from __future__ import annotations

from .core import Shape, arg, broadcast_shape, numel, shape_of

__all__ = ["clip_rule", "first_input_rule", "output_rule", "pointwise", "where_rule"]


def pointwise(*shapes: Shape) -> int:
    """Elementwise op: ``numel(broadcast(shapes))``, one FLOP per output element."""
    return numel(broadcast_shape(*(tuple(s) for s in shapes)))


def output_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output)`` of the broadcast of every array argument."""
    shapes = [shape_of(a) for a in args if not isinstance(a, (str, bytes))]
    return pointwise(*shapes) if shapes else 1


def first_input_rule(args: tuple, kwargs: dict) -> int:
    """``numel(input)`` of the first argument (one operation per element)."""
    return numel(shape_of(arg(args, kwargs, 0, "a")))


def clip_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output)``: one bound check per output element (broadcast of a, min, max)."""
    shapes = [shape_of(arg(args, kwargs, 0, "a"))]
    for pos, names in ((1, ("a_min", "min")), (2, ("a_max", "max"))):
        bound = args[pos] if len(args) > pos else None
        for nm in names:
            if bound is None:
                bound = kwargs.get(nm)
        if bound is not None:
            shapes.append(shape_of(bound))
    return pointwise(*shapes)


def where_rule(args: tuple, kwargs: dict) -> int:
    """``where(c, x, y)``: ``numel(broadcast(c, x, y))``; ``where(c)``: ``numel(c)``."""
    return pointwise(*(shape_of(a) for a in args))
