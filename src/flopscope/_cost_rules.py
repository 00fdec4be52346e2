"""Cost rules: small pure functions of shapes and arguments.

Each returns the *work* an operation does, as an int: element operations for pointwise
and reduction rules, fused multiply-adds for contraction rules. Pricing (the FMA
convention, weights, the budget's multiplier) happens in one place, ``_budget.charge``;
the registry row says whether a rule counts FMAs.

Two layers:

* shape formulas (``pointwise``, ``matmul``, ``einsum``, ...) take shapes and return work;
  they validate their input and raise ``ValueError`` naming the problem;
* argument rules (``*_rule``) take a call's ``(args, kwargs)``, already unwrapped to
  plain NumPy values, pick out the shapes, and call a shape formula. A registry row holds
  an argument rule; its docstring is the documented formula.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from .errors import UnsupportedDtypeError, UnsupportedFunctionError

Shape = tuple[int, ...]
Rule = Callable[[tuple, dict], int]

_BAD_KINDS = frozenset("OSUVTMm")  # object, bytes, str, void, StringDType, datetime, timedelta
_KIND_NAMES = {
    "O": "object",
    "S": "bytes",
    "U": "str",
    "V": "void (structured)",
    "T": "string",
    "M": "datetime64",
    "m": "timedelta64",
}


# ------------------------------------------------------------------ helpers
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


def _axis_tuple(axis: Any, ndim: int) -> tuple[int, ...]:
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


# ------------------------------------------------------------------ shape formulas
def pointwise(*shapes: Shape) -> int:
    """Elementwise op: ``numel(broadcast(shapes))``, one FLOP per output element."""
    return numel(broadcast_shape(*(tuple(s) for s in shapes)))


def reduction(input_shape: Shape, axis: Any = None) -> int:
    """Reduction (sum, max, mean, var, ...): ``numel(input)`` whatever the axis.

    ``axis`` is validated against the input's dimensions but does not change the cost.
    """
    shape = tuple(int(d) for d in input_shape)
    _axis_tuple(axis, len(shape))
    return numel(shape)


def matmul(a: Shape, b: Shape) -> int:
    """``a @ b``: ``numel(batch) * m * k * n`` FMAs for ``(..., m, k) @ (..., k, n)``.

    A 1-D operand is a vector (its m or n is 1, as NumPy promotes it); batch dimensions
    broadcast.
    """
    if len(a) == 2 and len(b) == 2 and a[1] == b[0]:  # the common case, first
        return a[0] * a[1] * b[1]
    if len(a) == 0 or len(b) == 0:
        which = 0 if len(a) == 0 else 1
        raise ValueError(
            f"matmul: Input operand {which} does not have enough dimensions "
            "(a scalar cannot be matrix-multiplied)"
        )
    m, k = (1, a[0]) if len(a) == 1 else (a[-2], a[-1])
    k2, n = (b[0], 1) if len(b) == 1 else (b[-2], b[-1])
    if k != k2:
        raise ValueError(
            f"matmul: Input operand 1 has a mismatch in its core dimension 0 "
            f"(size {k2} is different from {k}); shapes {tuple(a)} and {tuple(b)}"
        )
    if len(a) <= 2 and len(b) <= 2:
        return m * k * n
    batch = broadcast_shape(tuple(a[:-2]), tuple(b[:-2]))
    return numel(batch) * m * k * n


def vecdot(a: Shape, b: Shape) -> int:
    """``vecdot``: ``numel(batch) * n`` FMAs for ``(..., n) . (..., n)``."""
    if not a or not b or a[-1] != b[-1]:
        raise ValueError(f"vecdot: last dimensions of {tuple(a)} and {tuple(b)} must match")
    return numel(broadcast_shape(tuple(a[:-1]), tuple(b[:-1]))) * a[-1]


def matvec(a: Shape, b: Shape) -> int:
    """``matvec``: ``numel(batch) * m * n`` FMAs for ``(..., m, n) x (..., n)``."""
    if len(a) < 2 or not b or a[-1] != b[-1]:
        raise ValueError(f"matvec: shapes {tuple(a)} and {tuple(b)} are not aligned")
    return numel(broadcast_shape(tuple(a[:-2]), tuple(b[:-1]))) * a[-2] * a[-1]


def vecmat(a: Shape, b: Shape) -> int:
    """``vecmat``: ``numel(batch) * n * m`` FMAs for ``(..., n) x (..., n, m)``."""
    if len(b) < 2 or not a or a[-1] != b[-2]:
        raise ValueError(f"vecmat: shapes {tuple(a)} and {tuple(b)} are not aligned")
    return numel(broadcast_shape(tuple(a[:-1]), tuple(b[:-2]))) * b[-2] * b[-1]


def dot(a: Shape, b: Shape) -> int:
    """``np.dot``: ``numel(output) * k`` FMAs, k the summed length.

    A 0-d operand makes it an elementwise multiply: ``numel(other)``.
    """
    if len(a) == 0 or len(b) == 0:
        return numel(b if len(a) == 0 else a)
    k = a[-1]
    k2 = b[0] if len(b) == 1 else b[-2]
    if k != k2:
        raise ValueError(
            f"shapes {tuple(a)} and {tuple(b)} not aligned: {k} (dim {len(a) - 1}) != {k2}"
        )
    out = tuple(a[:-1]) + (tuple(b[:-2]) + tuple(b[-1:]) if len(b) > 1 else ())
    return numel(out) * k


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def parse_einsum(subscripts: str, shapes: Sequence[Shape]) -> tuple[list[str], str, dict[str, int]]:
    """Split ``subscripts`` into input terms and the output term, ellipses expanded.

    Returns (input terms, output term, index -> dimension). Raises ``ValueError`` for a
    malformed string, a term whose length does not match its operand, or an index whose
    dimensions disagree.
    """
    if not isinstance(subscripts, str):
        raise ValueError(f"einsum subscripts must be a string, got {subscripts!r}")
    spec = subscripts.replace(" ", "")
    if "->" in spec:
        lhs, out = spec.split("->", 1)
        if "->" in out:
            raise ValueError(f"einsum subscripts {subscripts!r} contain more than one '->'")
        explicit = True
    else:
        lhs, out, explicit = spec, "", False
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(
            f"einsum subscripts {subscripts!r} name {len(terms)} operand(s) but "
            f"{len(shapes)} were given"
        )
    for ch in lhs.replace(",", "").replace("...", "") + out.replace("...", ""):
        if ch not in _LETTERS:
            raise ValueError(f"einsum subscripts {subscripts!r}: invalid character {ch!r}")
    used = set(lhs.replace(",", "").replace("...", ""))
    free_letters = [c for c in _LETTERS if c not in used and c not in out]
    ell_ndim = 0
    for term, shape in zip(terms, shapes):
        if term.count("...") > 1 or ("." in term.replace("...", "")):
            raise ValueError(f"einsum subscripts {subscripts!r}: malformed ellipsis in {term!r}")
        if "..." in term:
            ell_ndim = max(ell_ndim, len(shape) - (len(term) - 3))
    ell = "".join(free_letters[:ell_ndim])
    expanded: list[str] = []
    dims: dict[str, int] = {}
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        if "..." in term:
            n_ell = len(shape) - (len(term) - 3)
            if n_ell < 0:
                raise ValueError(
                    f"einsum operand {i} has {len(shape)} dimension(s), fewer than term {term!r}"
                )
            term = term.replace("...", ell[ell_ndim - n_ell :] if n_ell else "")
        if len(term) != len(shape):
            raise ValueError(
                f"einsum operand {i} has shape {tuple(shape)} ({len(shape)} dimensions) but "
                f"its subscripts {term!r} name {len(term)}"
            )
        within: dict[str, int] = {}
        for ch, dim in zip(term, shape):
            dim = int(dim)
            if within.setdefault(ch, dim) != dim:
                raise ValueError(
                    f"einsum operand {i} repeats index {ch!r} with different sizes "
                    f"({within[ch]} and {dim})"
                )
            seen = dims.get(ch)
            if seen is None or seen == 1:
                dims[ch] = dim
            elif dim != 1 and dim != seen:
                raise ValueError(
                    f"einsum index {ch!r} has size {dim} in operand {i} but {seen} elsewhere"
                )
        expanded.append(term)
    if explicit:
        if "..." in out:
            out = out.replace("...", ell)
        for ch in out:
            if ch not in dims:
                raise ValueError(
                    f"einsum output index {ch!r} in {subscripts!r} appears in no input"
                )
        if len(set(out)) != len(out):
            raise ValueError(f"einsum output in {subscripts!r} repeats an index")
    else:
        counts: dict[str, int] = {}
        for term in expanded:
            for ch in term:
                counts[ch] = counts.get(ch, 0) + 1
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    return expanded, out, dims


def einsum(subscripts: str, shapes: Sequence[Shape], same_operands: bool = False) -> int:
    """``einsum``: the product of every index dimension (FMAs).

    ``'ij,jk->ik'`` on ``(m,k),(k,n)`` is ``m*k*n``; ``'ij,j->i'`` on ``(m,n),(n,)`` is
    ``m*n``; indices covered by an ellipsis count like named ones.

    ``same_operands``: the two operands are one array. If exchanging them only permutes
    the output's axes (``'ij,ik->jk'``: R[j,k] = R[k,j]), the output is symmetric and
    only its distinct entries are computed: ``distinct(output) * product of the summed
    dimensions``, where distinct counts the orbits of that axis permutation
    ((N + fixed) / 2 by Burnside). ``'ij,ik->jk'`` on one 100x100 array:
    5,050 * 100 = 505,000 instead of 1,000,000.
    """
    terms, out, dims = parse_einsum(subscripts, [tuple(s) for s in shapes])
    dense = numel(list(dims.values()))
    if not same_operands or len(terms) != 2:
        return dense
    symmetry = _exchange_symmetry(terms[0], terms[1], out, dims)
    if symmetry is None:
        return dense
    distinct, summed = symmetry
    return distinct * summed


def _exchange_symmetry(a: str, b: str, out: str, dims: dict[str, int]) -> tuple[int, int] | None:
    """(distinct output entries, product of summed dims) when exchanging two identical
    operands ``a`` and ``b`` permutes the output's axes non-trivially; else None."""
    if len(a) != len(b):
        return None
    swap: dict[str, str] = {}
    for x, y in zip(a, b):
        for u, v in ((x, y), (y, x)):
            if swap.setdefault(u, v) != v:
                return None  # not a consistent renaming of indices
    image = "".join(swap.get(ch, ch) for ch in out)
    if sorted(image) != sorted(out) or image == out:
        return None  # exchanging the operands does not just permute the output
    total = numel([dims[ch] for ch in out])
    fixed = 1
    for ch in out:
        partner = swap.get(ch, ch)
        if partner == ch:
            fixed *= dims[ch]
        elif ch < partner:  # a swapped pair of axes: fixed entries have equal indices
            fixed *= dims[ch]
    summed = numel([d for ch, d in dims.items() if ch not in out])
    return (total + fixed) // 2, summed


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
    (ax,) = _axis_tuple(axis, len(shape))
    n = shape[ax]
    return numel(shape) // n * n_log2_n(n) if n else 0


def searchsorted(sorted_len: int, n_queries: int) -> int:
    """Binary search: ``n_queries * ceil(log2(sorted_len + 1))`` comparisons."""
    return n_queries * math.ceil(math.log2(sorted_len + 1))


def svd(m: int, n: int, k: int | None = None) -> int:
    """Truncated SVD of an ``m x n`` matrix to rank ``k``: ``m * n * k`` FMAs
    (``k = min(m, n)`` for the full decomposition)."""
    for name, v in (("m", m), ("n", n), ("k", k)):
        if v is None and name == "k":
            continue
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise ValueError(f"svd_cost: {name} must be a non-negative integer, got {v!r}")
    m, n = int(m), int(n)
    k = min(m, n) if k is None else int(k)
    if k > min(m, n):
        raise ValueError(f"svd_cost: k={k} exceeds min(m, n)={min(m, n)}")
    return m * n * k


def trace(shape: Shape, offset: int = 0, axis1: int = 0, axis2: int = 1) -> int:
    """``trace``: one addition per diagonal element: ``numel(batch) * len(diagonal)``."""
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"trace needs an array of at least 2 dimensions, got shape {shape}")
    a1, a2 = _axis_tuple((axis1, axis2), len(shape))
    if a1 == a2:
        raise ValueError("trace: axis1 and axis2 cannot be the same")
    n1, n2 = shape[a1], shape[a2]
    diag = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    batch = [d for i, d in enumerate(shape) if i not in (a1, a2)]
    return numel(batch) * diag


# ------------------------------------------------------------------ argument rules
def _arg(args: tuple, kwargs: dict, pos: int, name: str, default: Any = None) -> Any:
    if len(args) > pos:
        return args[pos]
    return kwargs.get(name, default)


def reduction_rule(args: tuple, kwargs: dict) -> int:
    """``numel(input)``: each input element is combined once."""
    a = args[0] if args else kwargs.get("a")
    if type(a) is np.ndarray:
        return a.size
    return numel(shape_of(a))


def output_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output)`` of the broadcast of every array argument."""
    shapes = [shape_of(a) for a in args if not isinstance(a, (str, bytes))]
    return pointwise(*shapes) if shapes else 1


def first_input_rule(args: tuple, kwargs: dict) -> int:
    """``numel(input)`` of the first argument (one operation per element)."""
    return numel(shape_of(_arg(args, kwargs, 0, "a")))


def clip_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output)``: one bound check per output element (broadcast of a, min, max)."""
    shapes = [shape_of(_arg(args, kwargs, 0, "a"))]
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


def two_operand(formula: Callable[[Shape, Shape], int]) -> Rule:
    """The argument rule of a two-operand shape formula; ``rule.of_shapes`` is the formula
    (the dispatch fast path calls it with the shapes it already has)."""

    def rule(args: tuple, kwargs: dict) -> int:
        return formula(shape_of(args[0]), shape_of(args[1]))

    rule.of_shapes = formula  # type: ignore[attr-defined]
    rule.__doc__ = formula.__doc__
    rule.__name__ = f"{formula.__name__}_rule"
    return rule


matmul_rule = two_operand(matmul)
vecdot_rule = two_operand(vecdot)
matvec_rule = two_operand(matvec)
vecmat_rule = two_operand(vecmat)


def dot_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output) * k`` FMAs (see :func:`dot`)."""
    return dot(shape_of(_arg(args, kwargs, 0, "a")), shape_of(_arg(args, kwargs, 1, "b")))


def einsum_operands(args: tuple) -> tuple[str, list[Any]]:
    """(subscripts, operands) of an einsum call, either calling convention."""
    if args and isinstance(args[0], str):
        return args[0], list(args[1:])
    # interleaved form: op0, sublist0, op1, sublist1, ..., [sublist_out]
    ops = list(args[0::2])
    subs = list(args[1::2])
    out = None
    if len(ops) > len(subs):
        out = ops.pop()

    def letters(sub: Sequence[Any]) -> str:
        parts = []
        for s in sub:
            if s is Ellipsis:
                parts.append("...")
            else:
                if not isinstance(s, (int, np.integer)) or not 0 <= s < 52:
                    raise ValueError(f"einsum sublist entries must be ints in [0, 52), got {s!r}")
                parts.append(_LETTERS[int(s)])
        return "".join(parts)

    spec = ",".join(letters(s) for s in subs)
    if out is not None:
        spec += "->" + letters(out)
    return spec, ops


def einsum_rule(args: tuple, kwargs: dict) -> int:
    """Product of every index dimension, as FMAs; with one array passed as both operands,
    only the distinct entries of a symmetric output (see :func:`einsum`)."""
    subscripts, operands = einsum_operands(args)
    same = len(operands) == 2 and operands[0] is operands[1]
    return einsum(subscripts, [shape_of(o) for o in operands], same_operands=same)


def trace_rule(args: tuple, kwargs: dict) -> int:
    """One addition per diagonal element (see :func:`trace`)."""
    a = _arg(args, kwargs, 0, "a")
    return trace(
        shape_of(a),
        int(_arg(args, kwargs, 1, "offset", 0)),
        int(_arg(args, kwargs, 2, "axis1", 0)),
        int(_arg(args, kwargs, 3, "axis2", 1)),
    )


def sort_rule(args: tuple, kwargs: dict) -> int:
    """``n * ceil(log2 n)`` per sorted slice of length n (see :func:`sort`)."""
    return sort(shape_of(_arg(args, kwargs, 0, "a")), _arg(args, kwargs, 1, "axis", -1))


def partition_rule(args: tuple, kwargs: dict) -> int:
    """Introselect: ``numel(input)`` (linear in each slice's length)."""
    return numel(shape_of(_arg(args, kwargs, 0, "a")))


def searchsorted_rule(args: tuple, kwargs: dict) -> int:
    """``numel(v) * ceil(log2(len(a) + 1))`` comparisons (see :func:`searchsorted`)."""
    a = _arg(args, kwargs, 0, "a")
    v = _arg(args, kwargs, 1, "v")
    return searchsorted(numel(shape_of(a)), numel(shape_of(v)))


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
    x = _arg(args, kwargs, 0, "x")
    if isinstance(x, (int, np.integer)):
        return n_log2_n(int(x))
    shape = shape_of(x)
    if not shape:
        raise ValueError("x must be an integer or at least 1-dimensional")
    return n_log2_n(shape[0])


_PAD_COPY_MODES = frozenset({"constant", "edge", "reflect", "symmetric", "wrap", "empty"})
_PAD_STAT_MODES = frozenset({"maximum", "mean", "median", "minimum"})


def pad_rule(args: tuple, kwargs: dict) -> int:
    """``pad``: 0 for the copying modes (constant, edge, reflect, symmetric, wrap, empty);
    ``2 * ndim * numel(input)`` for a statistic mode (a reduction per side and axis);
    ``numel(output)`` for linear_ramp."""
    a = _arg(args, kwargs, 0, "array")
    mode = _arg(args, kwargs, 2, "mode", "constant")
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
        width = np.broadcast_to(np.asarray(_arg(args, kwargs, 1, "pad_width")), (len(shape), 2))
        return numel([d + int(w.sum()) for d, w in zip(shape, width)])
    raise ValueError(f"mode {mode!r} is not supported")


def linspace_rule(args: tuple, kwargs: dict) -> int:
    """``linspace``: one FMA-free step per output element: ``num * numel(broadcast(start, stop))``."""
    num = int(_arg(args, kwargs, 2, "num", 50))
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    start = shape_of(_arg(args, kwargs, 0, "start"))
    stop = shape_of(_arg(args, kwargs, 1, "stop"))
    return num * numel(broadcast_shape(tuple(start), tuple(stop)))
