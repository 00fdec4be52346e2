"""Elementwise rules: one operation per output element."""

from __future__ import annotations

from .core import Shape, arg, broadcast_shape, numel, shape_of

__all__ = [
    "array_equal_rule",
    "array_equiv_rule",
    "choose_rule",
    "clip_rule",
    "first_input_rule",
    "output_rule",
    "pointwise",
    "select_rule",
    "where_rule",
]


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


def array_equal_rule(args: tuple, kwargs: dict) -> int:
    """``numel(a)`` comparisons when the shapes are equal; 0 otherwise (NumPy answers
    False from the shapes alone)."""
    a, b = shape_of(arg(args, kwargs, 0, "a1")), shape_of(arg(args, kwargs, 1, "a2"))
    return numel(a) if tuple(a) == tuple(b) else 0


def array_equiv_rule(args: tuple, kwargs: dict) -> int:
    """``numel(broadcast(a, b))`` comparisons when the shapes broadcast; 0 otherwise
    (NumPy answers False from the shapes alone)."""
    a, b = shape_of(arg(args, kwargs, 0, "a1")), shape_of(arg(args, kwargs, 1, "a2"))
    try:
        return pointwise(a, b)
    except ValueError:
        return 0


def choose_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output)``: one pick per element of the broadcast of the index array and
    every choice."""
    choices = arg(args, kwargs, 1, "choices")
    shapes = [shape_of(arg(args, kwargs, 0, "a"))]
    shapes += [shape_of(c) for c in choices] if isinstance(choices, (list, tuple)) else []
    if not isinstance(choices, (list, tuple)):  # an array: its first axis holds the choices
        shapes.append(tuple(shape_of(choices))[1:])
    return pointwise(*shapes)


def select_rule(args: tuple, kwargs: dict) -> int:
    """``len(condlist) * numel(output)``: one ``where`` per condition over the broadcast of
    every condition and choice."""
    conds = arg(args, kwargs, 0, "condlist")
    choices = arg(args, kwargs, 1, "choicelist")
    shapes = [shape_of(c) for c in (*conds, *choices)]
    return len(conds) * pointwise(*shapes) if shapes else 0
