"""Elementwise rules: one operation per output element."""

from __future__ import annotations

from typing import Any

import numpy as np

from .core import Shape, arg, broadcast_shape, numel, shape_of
from .outputs import Out, from_values

__all__ = [
    "array_equal_rule",
    "array_equiv_rule",
    "choose_output",
    "choose_rule",
    "clip_output",
    "clip_rule",
    "first_input_rule",
    "output_rule",
    "pointwise",
    "select_output",
    "select_rule",
    "where_output",
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


def _clip_shapes(args: tuple, kwargs: dict) -> list[Shape]:
    shapes = [shape_of(arg(args, kwargs, 0, "a"))]
    for pos, names in ((1, ("a_min", "min")), (2, ("a_max", "max"))):
        bound = args[pos] if len(args) > pos else None
        for nm in names:
            if bound is None:
                bound = kwargs.get(nm)
        if bound is not None:
            shapes.append(shape_of(bound))
    return shapes


def clip_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output)``: one bound check per output element (broadcast of a, min, max)."""
    return pointwise(*_clip_shapes(args, kwargs))


def clip_output(args: tuple, kwargs: dict) -> Out:
    """The broadcast of ``a`` and the bounds given."""
    return Out(broadcast_shape(*map(tuple, _clip_shapes(args, kwargs))))


def where_rule(args: tuple, kwargs: dict) -> int:
    """``where(c, x, y)``: ``numel(broadcast(c, x, y))``; ``where(c)``: ``numel(c)``."""
    return pointwise(*(shape_of(a) for a in args))


def where_output(args: tuple, kwargs: dict) -> Any:
    """``where(c, x, y)``: the broadcast of the three; ``where(c)`` is ``nonzero(c)``,
    as many indices as there are nonzero values."""
    if len(args) == 1:
        return from_values(np.nonzero, "the size of where(condition)'s result", *args)
    return Out(broadcast_shape(*(tuple(shape_of(a)) for a in args)))


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


def choose_output(args: tuple, kwargs: dict) -> Out:
    """The broadcast of the index array and every choice (a choice array's first axis
    holds the choices); the choices' common dtype."""
    a = arg(args, kwargs, 0, "a")
    choices = arg(args, kwargs, 1, "choices")
    # NumPy finds the dtype on one element of each choice, picking the first: the probe
    # picks the second, which a choice array of one element along its first axis lacks
    one: Any
    if isinstance(choices, (list, tuple)):
        shapes = [tuple(shape_of(c)) for c in choices]
        one = [np.ones((), c.dtype) if isinstance(c, np.ndarray) else c for c in choices]
    else:
        shapes = [tuple(shape_of(choices))[1:]]
        one = np.ones((1,), np.asarray(choices).dtype)
    dtype = np.choose(np.zeros((), np.asarray(a).dtype), one).dtype
    return Out(broadcast_shape(tuple(shape_of(a)), *shapes), dtype)


def select_output(args: tuple, kwargs: dict) -> Out:
    """The broadcast of every condition, every choice and ``default``."""
    conds = arg(args, kwargs, 0, "condlist")
    choices = arg(args, kwargs, 1, "choicelist")
    default = arg(args, kwargs, 2, "default", 0)
    if len(conds) != len(choices):
        raise ValueError("list of cases must be same length as list of conditions")
    shapes = [tuple(shape_of(c)) for c in (*conds, *choices, default)]
    return Out(broadcast_shape(*shapes))
