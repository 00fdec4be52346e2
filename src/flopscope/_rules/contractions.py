"""Contractions (matmul family, dot, einsum, trace): fused multiply-adds."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .core import Rule, Shape, arg, axis_tuple, broadcast_shape, numel, shape_of
from .outputs import Computed, Out

__all__ = [
    "contraction_subscripts",
    "dot",
    "dot_rule",
    "einsum",
    "einsum_operands",
    "einsum_path_rule",
    "einsum_rule",
    "gram_matmul",
    "inner",
    "inner_rule",
    "kron_rule",
    "matmul",
    "matmul_rule",
    "matvec",
    "matvec_rule",
    "may_be_one_buffer",
    "outer_rule",
    "parse_einsum",
    "same_memory_permutation",
    "tensordot",
    "tensordot_rule",
    "trace",
    "trace_rule",
    "two_operand",
    "vdot_rule",
    "vecdot",
    "vecdot_rule",
    "vecmat",
    "vecmat_rule",
]


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


def einsum(
    subscripts: str, shapes: Sequence[Shape], same_operands: bool = False, optimize: Any = True
) -> int:
    """``einsum``: the sum of the steps of its contraction path (FMAs).

    Each pairwise step costs the product of the dimensions of every index it involves;
    the path is the cheapest under that cost (``optimize=True``, see
    :mod:`flopscope._einsum`). Two operands are one step: ``'ij,jk->ik'`` on
    ``(m,k),(k,n)`` is ``m*k*n``; ``'ij,j->i'`` on ``(m,n),(n,)`` is ``m*n``.
    ``optimize=False`` is NumPy's one fused loop: the product of every index dimension.

    ``same_operands``: the operands that are one array (True for two). A step then costs
    only its distinct work (:mod:`flopscope._rules.contraction_symmetry`): for
    ``'ij,ik->jk'`` (R[j,k] = R[k,j]) the distinct output entries times the summed
    dimensions, on one 100x100 array 5,050 * 100 = 505,000 instead of 1,000,000.
    """
    return _planner().plan(subscripts, shapes, optimize, same_operands).optimized_cost


def _planner() -> Any:
    """flopscope._einsum (imported on first use: it imports this module)."""
    global _PLANNER
    if _PLANNER is None:
        from .. import _einsum

        _PLANNER = _einsum
    return _PLANNER


_PLANNER: Any = None


def trace(shape: Shape, offset: int = 0, axis1: int = 0, axis2: int = 1) -> int:
    """``trace``: one addition per diagonal element: ``numel(batch) * len(diagonal)``."""
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"trace needs an array of at least 2 dimensions, got shape {shape}")
    a1, a2 = axis_tuple((axis1, axis2), len(shape))
    if a1 == a2:
        raise ValueError("trace: axis1 and axis2 cannot be the same")
    n1, n2 = shape[a1], shape[a2]
    diag = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    batch = [d for i, d in enumerate(shape) if i not in (a1, a2)]
    return numel(batch) * diag


# ---------------------------------------------------------------------- one buffer twice
_ND = np.ndarray


def _data_address(x: np.ndarray) -> int:
    return x.__array_interface__["data"][0]


def _owner(x: np.ndarray) -> Any:
    """The array at the end of ``x``'s chain of bases (views of one buffer share it)."""
    while True:
        base = x.base
        if not isinstance(base, _ND):
            return x
        x = base


def same_memory_permutation(a: Any, b: Any, alike: bool = True) -> tuple[int, ...] | None:
    """``perm`` such that ``b`` is ``a.transpose(perm)`` over the same memory (``X`` and
    ``X.T``; the identity when ``b is a``), else None. Cheap checks first: only arrays of
    one rank whose strides are a permutation of each other get their addresses read.
    ``alike=False`` skips two views of one layout (the identity; einsum's many operands
    are mostly alike, and it checks ``is`` itself)."""
    if b is a:
        return tuple(range(np.ndim(a)))
    if not isinstance(a, _ND) or not isinstance(b, _ND) or a.ndim != b.ndim or a.ndim < 2:
        return None
    sa, sb = a.strides, b.strides
    if sa == sb and a.shape == b.shape:  # one layout: the same data if at one address
        if not alike or _owner(a) is not _owner(b):
            return None
        return tuple(range(a.ndim)) if _data_address(a) == _data_address(b) else None
    if sorted(sa) != sorted(sb):
        return None
    perm: list[int] = []
    for dim, stride in zip(b.shape, sb):
        matches = [
            i
            for i, (d, st) in enumerate(zip(a.shape, sa))
            if d == dim and st == stride and i not in perm
        ]
        if len(matches) != 1 and not (matches and dim == 1):
            return None  # ambiguous (equal strides, longer than 1): no claim
        perm.append(matches[0])  # axes of length 1 hold one index: any of them will do
    if _data_address(a) != _data_address(b):
        return None
    return tuple(perm)


def gram_matmul(a: Any, b: Any, sa: Shape, sb: Shape) -> int | None:
    """``a @ b`` when ``b`` is ``a`` with its last two axes swapped over the same memory
    (``X.T @ X``, ``A @ A.T``): the output is symmetric, so only its ``m (m + 1) / 2``
    distinct entries are computed per matrix, each a sum of ``k`` products:
    ``numel(batch) * m (m + 1) / 2 * k`` FMAs. None for any other pair.

    The shapes are checked first (``sa`` is ``sb`` with the last two axes swapped), so a
    product of unrelated arrays pays two comparisons."""
    if len(sa) < 2 or len(sa) != len(sb) or sa[-1] != sb[-2] or sa[-2] != sb[-1]:
        return None
    if sa[:-2] != sb[:-2] or type(a) is not _ND or type(b) is not _ND:
        return None
    st_a, st_b = a.strides, b.strides
    if st_a[-1] != st_b[-2] or st_a[-2] != st_b[-1] or st_a[:-2] != st_b[:-2]:
        return None
    if _data_address(a) != _data_address(b):
        return None
    m, k = sa[-2], sa[-1]
    return numel(sa[:-2]) * (m * (m + 1) // 2) * k


def _core_last(shape: Shape, core: Any, n_core: int, name: str) -> Shape:
    """``shape`` with its core axes (``core``: an axis or a tuple of axes, as a gufunc's
    ``axes=`` / ``axis=`` names them) moved to the end, in that order."""
    shape = tuple(shape)
    if n_core == 0:
        return shape
    wanted = (core,) if isinstance(core, (int, np.integer)) else tuple(core)
    if len(wanted) != n_core:
        raise ValueError(
            f"{name}: axes entry {core!r} names {len(wanted)} core axes of shape {shape}, "
            f"which has {n_core}"
        )
    moved = axis_tuple(wanted, len(shape))
    return tuple(d for i, d in enumerate(shape) if i not in moved) + tuple(shape[i] for i in moved)


def two_operand(
    formula: Callable[[Shape, Shape], int], core: tuple[int, int] | None = None
) -> Rule:
    """The argument rule of a two-operand shape formula; ``rule.of_shapes`` is the formula
    (the dispatch fast path calls it with the shapes it already has).

    ``core``: the number of core axes of each operand of a generalized ufunc (``None``:
    matmul's, two or one for a vector); its ``axes=`` / ``axis=`` keywords say where
    they are, and the formula sees them moved last."""

    def rule(args: tuple, kwargs: dict) -> int:
        a, b = shape_of(args[0]), shape_of(args[1])
        if kwargs:
            axes, axis = kwargs.get("axes"), kwargs.get("axis")
            n_a, n_b = core if core is not None else (min(2, len(a)), min(2, len(b)))
            name = formula.__name__
            if axes is not None:
                if len(axes) < 2:
                    raise ValueError(f"{name}: axes={axes!r} needs an entry per operand")
                a = _core_last(a, axes[0], n_a, name)
                b = _core_last(b, axes[1], n_b, name)
            elif axis is not None:
                if n_a != 1 or n_b != 1:
                    raise TypeError(f"{name}: axis= is only for one core axis; use axes=")
                a = _core_last(a, axis, 1, name)
                b = _core_last(b, axis, 1, name)
        return formula(a, b)

    rule.of_shapes = formula  # type: ignore[attr-defined]
    rule.__doc__ = formula.__doc__
    rule.__name__ = f"{formula.__name__}_rule"
    return rule


_matmul_formula_rule = two_operand(matmul)


def matmul_rule(args: tuple, kwargs: dict) -> int:
    """``numel(batch) * m * k * n`` FMAs for ``(..., m, k) @ (..., k, n)``; ``X.T @ X``
    (one buffer, transposed): ``numel(batch) * m (m + 1) / 2 * k`` (see
    :func:`gram_matmul`)."""
    if not kwargs:
        a, b = args[0], args[1]
        gram = gram_matmul(a, b, shape_of(a), shape_of(b))
        if gram is not None:
            return gram
    return _matmul_formula_rule(args, kwargs)


matmul_rule.of_shapes = matmul  # type: ignore[attr-defined]
#: the fast path's check for the Gram pair (it has the operands and their shapes)
matmul_rule.of_arrays = gram_matmul  # type: ignore[attr-defined]


vecdot_rule = two_operand(vecdot, (1, 1))


matvec_rule = two_operand(matvec, (2, 1))


vecmat_rule = two_operand(vecmat, (1, 2))


def dot_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output) * k`` FMAs (see :func:`dot`); one buffer on both sides
    (``dot(X.T, X)``): its distinct work, ``m (m + 1) / 2 * k`` as ``X.T @ X``."""
    a, b = arg(args, kwargs, 0, "a"), arg(args, kwargs, 1, "b")
    cost = dot(shape_of(a), shape_of(b))
    one = _one_buffer_cost("dot", a, b)
    return cost if one is None else one


def _matmul_subscripts(na: int, nb: int) -> str | None:
    """``a @ b`` for operands of ``na`` and ``nb`` axes, as einsum subscripts (a 1-D
    operand is a vector; batch axes broadcast)."""
    if na == 0 or nb == 0:
        return None
    left, kept_a = ("j", "") if na == 1 else ("...ij", "i")
    right, kept_b = ("j", "") if nb == 1 else ("...jk", "k")
    batch = "..." if na > 1 or nb > 1 else ""
    return f"{left},{right}->{batch}{kept_a}{kept_b}"


def _dot_subscripts(na: int, nb: int) -> str | None:
    """``dot(a, b)``: the last axis of ``a`` with the second-to-last of ``b`` (its only
    axis when 1-D); the output is ``a``'s other axes, then ``b``'s."""
    if na == 0 or nb == 0 or na + nb > len(_LETTERS) - 1:
        return None
    a = _LETTERS[: na - 1]
    b = _LETTERS[na - 1 : na - 1 + nb - 1]
    summed = _LETTERS[-1]
    term_b = summed if nb == 1 else b[:-1] + summed + b[-1:]
    return f"{a}{summed},{term_b}->{a}{b}"


def _inner_subscripts(na: int, nb: int) -> str | None:
    """``inner(a, b)``: the last axes summed; the output is ``a``'s other axes, then ``b``'s."""
    if na == 0 or nb == 0 or na + nb > len(_LETTERS) - 1:
        return None
    a = _LETTERS[: na - 1]
    b = _LETTERS[na - 1 : na - 1 + nb - 1]
    summed = _LETTERS[-1]
    return f"{a}{summed},{b}{summed}->{a}{b}"


def _tensordot_subscripts(na: int, nb: int, axes: Any) -> str | None:
    """``tensordot(a, b, axes)``: the named axes summed pairwise; the output is ``a``'s
    free axes, then ``b``'s."""
    if na + nb > len(_LETTERS):
        return None
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(na, nb):
            return None
        axes_a, axes_b = list(range(na - n, na)), list(range(n))
    else:
        try:
            first, second = axes
        except (TypeError, ValueError):
            return None
        axes_a = [int(first)] if isinstance(first, (int, np.integer)) else list(first)
        axes_b = [int(second)] if isinstance(second, (int, np.integer)) else list(second)
        if len(axes_a) != len(axes_b):
            return None
        try:
            axes_a = [int(i) % na for i in axes_a] if na else []
            axes_b = [int(j) % nb for j in axes_b] if nb else []
        except TypeError:
            return None
        if len(set(axes_a)) != len(axes_a) or len(set(axes_b)) != len(axes_b):
            return None
    term_a = list(_LETTERS[:na])
    term_b = list(_LETTERS[na : na + nb])
    for i, j in zip(axes_a, axes_b):
        term_b[j] = term_a[i]
    out = [c for k, c in enumerate(term_a) if k not in axes_a]
    out += [c for k, c in enumerate(term_b) if k not in axes_b]
    return "".join(term_a) + "," + "".join(term_b) + "->" + "".join(out)


def contraction_subscripts(name: str, na: int, nb: int, axes: Any = None) -> str | None:
    """``name(a, b)`` (``matmul``, ``dot``, ``inner``, ``tensordot`` with ``axes``,
    ``outer`` of vectors) for operands of ``na`` and ``nb`` axes, written as the einsum it
    is; None where NumPy treats the call otherwise (0-d operands, ``outer`` of arrays,
    which it flattens) or ``axes`` names no valid pairing."""
    if name == "matmul":
        return _matmul_subscripts(na, nb)
    if name == "dot":
        return _dot_subscripts(na, nb)
    if name == "inner":
        return _inner_subscripts(na, nb)
    if name == "tensordot":
        return _tensordot_subscripts(na, nb, 2 if axes is None else axes)
    if name == "outer":
        return "i,j->ij" if na == nb == 1 else None
    return None


def may_be_one_buffer(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` may be one buffer, as is or transposed, by the cheap
    tests (:func:`same_memory_permutation` decides): the same array object; views of
    one rank whose strides are a permutation of each other's; or two views alike of one
    base (``X.T`` taken twice)."""
    if a is b:
        return isinstance(a, _ND)
    if not isinstance(a, _ND) or not isinstance(b, _ND) or a.ndim != b.ndim or a.ndim < 2:
        return False
    sa, sb = a.strides, b.strides
    if sa == sb and a.shape == b.shape:
        return a.base is not None and a.base is b.base
    return sorted(sa) == sorted(sb)


def _one_buffer_cost(name: str, a: Any, b: Any, axes: Any = None) -> int | None:
    """The cost of ``name(a, b)`` when ``a`` and ``b`` are one buffer (the same array,
    two views alike, or one the other's transpose): the einsum it is, planned with the
    two operands known as one array, so only its distinct work is priced
    (:mod:`flopscope._rules.contraction_symmetry`). None when they are not one buffer,
    or the call is no einsum."""
    if not may_be_one_buffer(a, b):
        return None
    perm = same_memory_permutation(a, b)
    if perm is None:
        return None
    spec = contraction_subscripts(name, a.ndim, b.ndim, axes)
    if spec is None:
        return None
    if perm == tuple(range(a.ndim)):
        b = a  # alike views: one object, as the planner recognises it
    return _planner().plan_call((spec, a, b), True).optimized_cost


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
    """The sum of the steps of the contraction path (FMAs): each step the product of the
    dimensions of the indices it involves; ``optimize=False``: the product of every index
    dimension; one array passed as both operands: only the distinct entries of a
    symmetric output (see :func:`einsum`)."""
    return _planner().plan_call(args, kwargs.get("optimize", True)).optimized_cost


def einsum_path_rule(args: tuple, kwargs: dict) -> int:
    """1: a nominal planning event (the path is computed and validated, nothing runs)."""
    _planner().plan_call(args, kwargs.get("optimize", "greedy"))
    return 1


def trace_rule(args: tuple, kwargs: dict) -> int:
    """One addition per diagonal element (see :func:`trace`)."""
    a = arg(args, kwargs, 0, "a")
    return trace(
        shape_of(a),
        int(arg(args, kwargs, 1, "offset", 0)),
        int(arg(args, kwargs, 2, "axis1", 0)),
        int(arg(args, kwargs, 3, "axis2", 1)),
    )


def outer_rule(args: tuple, kwargs: dict) -> int:
    """``numel(a) * numel(b)``: one multiplication per output element (inputs flattened);
    one vector with itself (``outer(v, v)``): its ``n (n + 1) / 2`` distinct entries."""
    a, b = arg(args, kwargs, 0, "a"), arg(args, kwargs, 1, "b")
    one = _one_buffer_cost("outer", a, b) if a is b else None
    return numel(shape_of(a)) * numel(shape_of(b)) if one is None else one


def kron_rule(args: tuple, kwargs: dict) -> int:
    """``numel(a) * numel(b)``: one multiplication per output element."""
    return numel(shape_of(arg(args, kwargs, 0, "a"))) * numel(shape_of(arg(args, kwargs, 1, "b")))


def inner(a: Shape, b: Shape) -> int:
    """``inner(a, b)``: ``numel(a.shape[:-1]) * numel(b.shape[:-1]) * k`` FMAs over the
    shared last axis of length k; a scalar operand: ``numel`` of the other."""
    a, b = tuple(a), tuple(b)
    if not a or not b:
        return numel(a) * numel(b)
    if a[-1] != b[-1]:
        raise ValueError(
            f"shapes {a} and {b} not aligned: {a[-1]} (dim {len(a) - 1}) != "
            f"{b[-1]} (dim {len(b) - 1})"
        )
    return numel(a[:-1]) * numel(b[:-1]) * a[-1]


def inner_rule(args: tuple, kwargs: dict) -> int:
    """``numel(a.shape[:-1]) * numel(b.shape[:-1]) * k`` FMAs (k: the shared last axis);
    one buffer on both sides (``inner(X, X)``, a Gram matrix): its distinct work,
    ``N (N + 1) / 2 * k`` with ``N = numel(a.shape[:-1])``."""
    a, b = arg(args, kwargs, 0, "a"), arg(args, kwargs, 1, "b")
    cost = inner(shape_of(a), shape_of(b))
    one = _one_buffer_cost("inner", a, b)
    return cost if one is None else one


def vdot_rule(args: tuple, kwargs: dict) -> int:
    """``n`` FMAs for two inputs of n elements each (both flattened)."""
    n_a = numel(shape_of(arg(args, kwargs, 0, "a")))
    n_b = numel(shape_of(arg(args, kwargs, 1, "b")))
    if n_a != n_b:
        raise ValueError("cannot reshape array: vdot needs inputs with the same number of elements")
    return n_a


def tensordot(a: Shape, b: Shape, axes: Any = 2) -> int:
    """``numel(free axes of a) * numel(free axes of b) * numel(summed axes)`` FMAs."""
    a, b = tuple(a), tuple(b)
    if type(axes) is int and 0 <= axes <= len(a) and axes <= len(b):  # the common form
        split = len(a) - axes
        if a[split:] != b[:axes]:
            raise ValueError(
                f"shape-mismatch for sum: the last {axes} axes of {a} and the first of {b}"
            )
        return numel(a[:split]) * numel(b[axes:]) * numel(b[:axes])
    try:
        n = operator.index(axes)
    except TypeError:
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, int) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, int) else list(axes_b)
    else:
        if n < 0 or n > min(len(a), len(b)):
            raise ValueError(f"tensordot: axes={n} does not fit shapes {a} and {b}")
        axes_a, axes_b = list(range(len(a) - n, len(a))), list(range(n))
    if len(axes_a) != len(axes_b):
        raise ValueError("shape-mismatch for sum")
    summed = 1
    for i, j in zip(axes_a, axes_b):
        if not (-len(a) <= i < len(a)) or not (-len(b) <= j < len(b)) or a[i] != b[j]:
            raise ValueError(f"shape-mismatch for sum: axes {axes_a} of {a}, {axes_b} of {b}")
        summed *= a[i]
    summed_a = {i % len(a) for i in axes_a}
    summed_b = {j % len(b) for j in axes_b}
    free_a = numel([d for k, d in enumerate(a) if k not in summed_a])
    free_b = numel([d for k, d in enumerate(b) if k not in summed_b])
    return free_a * free_b * summed


def tensordot_rule(args: tuple, kwargs: dict) -> int:
    """``numel(free axes of a) * numel(free axes of b) * numel(summed axes)`` FMAs; one
    buffer on both sides, summed and free axes corresponding (``tensordot(X, X, ([0],
    [0]))``, ``tensordot(X.T, X, 1)``): the output is symmetric, ``F (F + 1) / 2 *
    numel(summed)`` with ``F = numel(free axes of a)``."""
    a, b = arg(args, kwargs, 0, "a"), arg(args, kwargs, 1, "b")
    axes = arg(args, kwargs, 2, "axes", 2)
    sa, sb = shape_of(a), shape_of(b)
    cost = tensordot(sa, sb, axes)
    one = _one_buffer_cost("tensordot", a, b, axes)
    return cost if one is None else one


# ---------------------------------------------------------------------- output rules
# What each contraction returns (for a dry run: see ``outputs``). The shape is the
# output term of the einsum the call is; 0-d operands multiply elementwise.
def _einsum_shape(spec: str, shapes: Sequence[Shape]) -> Shape:
    _, out, dims = parse_einsum(spec, shapes)
    return tuple(dims[c] for c in out)


def einsum_output(args: tuple, kwargs: dict) -> Out:
    """The output term's dimensions."""
    spec, operands = einsum_operands(args)
    return Out(_einsum_shape(spec, [shape_of(o) for o in operands]))


def einsum_path_output(args: tuple, kwargs: dict) -> Computed:
    """``(path, report)``: known from the shapes alone, so computed as in a real run."""
    from .._einsum import einsum_path_backend

    return Computed(einsum_path_backend(*args, **kwargs))


def _pair_output(name: str) -> Any:
    def output(args: tuple, kwargs: dict) -> Out:
        a, b = arg(args, kwargs, 0, "a"), arg(args, kwargs, 1, "b")
        sa, sb = tuple(shape_of(a)), tuple(shape_of(b))
        if not sa or not sb:  # a scalar operand: the product broadcast
            return Out(sb if not sa else sa)
        axes = arg(args, kwargs, 2, "axes", 2) if name == "tensordot" else None
        spec = contraction_subscripts(name, len(sa), len(sb), axes)
        if spec is None:
            raise ValueError(f"{name}: operands of shapes {sa} and {sb} do not pair")
        return Out(_einsum_shape(spec, [sa, sb]))

    output.__doc__ = f"The einsum that ``{name}`` is: its output term."
    return output


dot_output = _pair_output("dot")
inner_output = _pair_output("inner")
tensordot_output = _pair_output("tensordot")


def matmul_output(args: tuple, kwargs: dict) -> Out:
    """``(..., m, n)``: the broadcast batch, then the rows of ``a`` and the columns of
    ``b`` (a 1-D operand's axis dropped)."""
    sa = tuple(shape_of(arg(args, kwargs, 0, "x1")))
    sb = tuple(shape_of(arg(args, kwargs, 1, "x2")))
    return Out(_einsum_shape(_matmul_subscripts(len(sa), len(sb)) or "", [sa, sb]))


def vecdot_output(args: tuple, kwargs: dict) -> Out:
    """The broadcast of both operands without the summed axis (``axis``, default -1)."""
    sa = tuple(shape_of(arg(args, kwargs, 0, "x1")))
    sb = tuple(shape_of(arg(args, kwargs, 1, "x2")))
    axis = kwargs.get("axis", -1)
    a = _core_last(sa, axis, 1, "vecdot")
    b = _core_last(sb, axis, 1, "vecdot")
    return Out(broadcast_shape(a[:-1], b[:-1]))


def matvec_output(args: tuple, kwargs: dict) -> Out:
    """``(..., m)`` for ``(..., m, n) x (..., n)``."""
    sa = tuple(shape_of(arg(args, kwargs, 0, "x1")))
    sb = tuple(shape_of(arg(args, kwargs, 1, "x2")))
    return Out((*broadcast_shape(sa[:-2], sb[:-1]), sa[-2]))


def vecmat_output(args: tuple, kwargs: dict) -> Out:
    """``(..., m)`` for ``(..., n) x (..., n, m)``."""
    sa = tuple(shape_of(arg(args, kwargs, 0, "x1")))
    sb = tuple(shape_of(arg(args, kwargs, 1, "x2")))
    return Out((*broadcast_shape(sa[:-1], sb[:-2]), sb[-1]))


def vdot_output(args: tuple, kwargs: dict) -> Out:
    """A scalar."""
    return Out(())


def outer_output(args: tuple, kwargs: dict) -> Out:
    """``(numel(a), numel(b))``: both inputs flattened."""
    a, b = arg(args, kwargs, 0, "a"), arg(args, kwargs, 1, "b")
    return Out((numel(shape_of(a)), numel(shape_of(b))))


def kron_output(args: tuple, kwargs: dict) -> Out:
    """Each axis the product of the two (the shorter shape padded with leading 1s)."""
    sa = tuple(shape_of(arg(args, kwargs, 0, "a")))
    sb = tuple(shape_of(arg(args, kwargs, 1, "b")))
    n = max(len(sa), len(sb))
    sa, sb = (1,) * (n - len(sa)) + sa, (1,) * (n - len(sb)) + sb
    return Out(tuple(x * y for x, y in zip(sa, sb)))


def trace_output(args: tuple, kwargs: dict) -> Out:
    """The shape without ``axis1`` and ``axis2``."""
    shape = tuple(shape_of(arg(args, kwargs, 0, "a")))
    a1 = int(arg(args, kwargs, 2, "axis1", 0)) % len(shape)
    a2 = int(arg(args, kwargs, 3, "axis2", 1)) % len(shape)
    return Out(tuple(d for i, d in enumerate(shape) if i not in (a1, a2)))
