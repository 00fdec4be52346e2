"""Output rules: what a counted call returns, as shapes, from its arguments.

A dry run (``flops.dry_run()``) prices every counted call exactly as a real run would and
then, instead of running NumPy, hands back *shape-only stand-ins* of the results. The
shapes come from the row's output rule, a small pure function with the cost rule's
signature ``(args, kwargs)``; it returns an :class:`Out` or a tuple of them, in the order
NumPy returns its results.

* ``Out(shape)`` leaves the dtype to the executor: it runs the call once on one-element
  arrays of the arguments' dtypes (so NumPy's own promotion rules decide, NEP 50
  included) and takes the result's dtypes and its kind of tuple (``SVDResult``, ...).
* ``Out(shape, dtype)`` states the dtype where the probe cannot run (a random draw with
  a ``size``) or needs no running.

In a dry run some arguments are *unknown*: arrays of the right shape, dtype and
layout whose values do not exist (:func:`unknown`: read-only zeros that take no memory). A rule that needs values (``repeat``'s
counts, ``unique``'s result size) calls :func:`values_of`, which refuses an unknown
argument with :class:`~flopscope.errors.DryRunValueError`: its result shape depends on
values the dry run does not have. Rules never read values otherwise.
"""

from __future__ import annotations

import math
import operator
import sys
import weakref
from typing import Any, NamedTuple

import numpy as np

from ..errors import DryRunValueError
from .core import Shape, axis_tuple, broadcast_shape, shape_of

__all__ = [
    "Computed",
    "Out",
    "broadcast_output",
    "emath_output",
    "first_shape_output",
    "from_values",
    "is_unknown",
    "outputs_of",
    "reduced_shape",
    "reduction_output",
    "sized_by_values",
    "truth_output",
    "unknown",
    "values_of",
]


class Out(NamedTuple):
    """One result of a call: its shape, and its dtype (None: learnt from a probe)."""

    shape: Shape
    dtype: Any = None


class Computed(NamedTuple):
    """A result known without the values (``einsum_path``'s plan): returned as it is."""

    value: Any


# ---------------------------------------------------------------------- unknown values
#: id -> the array that owns an unknown array's memory (while any view of it lives)
_OWNERS: weakref.WeakValueDictionary[int, np.ndarray] = weakref.WeakValueDictionary()
#: Linux's flag for a mapping that reserves no memory (Python's ``mmap`` names it only
#: from 3.12 on; ``mmap`` itself is loaded on first use)
_NORESERVE_LINUX = 0x4000
#: unknown arrays up to this size are plain zeros; larger ones are mapped
_SMALL_BYTES = 1 << 16


def _zero_pages(nbytes: int) -> Any:
    """A read-only anonymous mapping of ``nbytes``: every page is the system's shared
    zero page until written (and nothing writes it), so it takes address space, not
    memory. None where the system offers no such mapping."""
    import mmap

    noreserve = getattr(
        mmap, "MAP_NORESERVE", _NORESERVE_LINUX if sys.platform.startswith("linux") else 0
    )
    if not noreserve or not hasattr(mmap, "MAP_ANONYMOUS"):
        return None
    try:
        return mmap.mmap(
            -1,
            nbytes,
            flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | noreserve,
            prot=mmap.PROT_READ,
        )
    except (OSError, ValueError, OverflowError):
        return None


def unknown(shape: Shape, dtype: Any) -> np.ndarray:
    """A plain, read-only, C-contiguous array of ``shape`` and ``dtype`` whose values are
    unknown. It reads as zeros and takes no memory: a large one lies on zero pages that
    are never written (see :func:`_zero_pages`). Its strides are those of a real result,
    so that views of it (``X.T``, ``X[1:]``) relate to it as in a real run (one buffer,
    one the other's transpose), and two unknown arrays are never one buffer."""
    dt = np.dtype(dtype)
    shape = tuple(operator.index(n) for n in shape)
    size = math.prod(shape)
    nbytes = size * dt.itemsize
    owner: Any = None
    if nbytes > _SMALL_BYTES:
        pages = _zero_pages(nbytes)
        if pages is not None:
            owner = np.frombuffer(pages, dt)
    if owner is None:
        try:
            owner = np.zeros(size, dt)
        except MemoryError:  # no mapping and no memory: every element one zero
            owner = np.zeros((1,), dt)
            owner.flags.writeable = False
            _OWNERS[id(owner)] = owner
            return np.broadcast_to(owner[0], shape)
        owner.flags.writeable = False
    _OWNERS[id(owner)] = owner
    return owner.reshape(shape)


def is_unknown(x: Any) -> bool:
    """Whether ``x`` is (a view of) an unknown array."""
    for _ in range(8):  # NumPy collapses chains of plain views; subclass views add levels
        if not isinstance(x, np.ndarray):
            return False
        if _OWNERS.get(id(x)) is x:
            return True
        x = x.base
    return False


def values_of(x: Any, what: str) -> Any:
    """``x`` itself where its values are known; ``DryRunValueError`` where they are not
    (``what`` says which result needs them)."""
    if is_unknown(x):
        raise DryRunValueError(f"{what} depends on values, and a dry run computes none")
    if isinstance(x, (list, tuple)):
        for e in x:
            values_of(e, what)
    return x


# ---------------------------------------------------------------------- shapes
def reduced_shape(shape: Shape, axis: Any, keepdims: bool = False) -> Shape:
    """The shape ``shape`` keeps after reducing over ``axis`` (None: every axis)."""
    axes = axis_tuple(axis, len(shape))
    if keepdims:
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def broadcast_output(args: tuple, kwargs: dict) -> Out:
    """Every argument broadcast together (pointwise functions of several arrays)."""
    shapes = [shape_of(a) for a in args if not isinstance(a, (str, type(None)))]
    shapes += [
        shape_of(v)
        for k, v in kwargs.items()
        if k not in ("out", "dtype", "casting", "order", "where", "subok", "size")
        and not isinstance(v, (str, type(None), bool))
    ]
    return Out(broadcast_shape(*map(tuple, shapes)) if shapes else ())


def first_shape_output(args: tuple, kwargs: dict) -> Out:
    """The first argument's shape (functions applied to each element)."""
    a = args[0] if args else next(iter(kwargs.values()))
    return Out(shape_of(a))


def truth_output(args: tuple, kwargs: dict) -> Out:
    """One truth value (``allclose``, ``array_equal``: a Python ``bool`` in a real run)."""
    return Out((), np.dtype(np.bool_))


# Reductions: sum(a, axis=None, dtype=None, out=None, keepdims=False, ...) and the
# function forms that share its signature; the cumulative ones keep the shape (or
# flatten it when axis is None).
_CUMULATIVE = frozenset(
    {"cumsum", "cumprod", "nancumsum", "nancumprod", "cumulative_sum", "cumulative_prod"}
)


def reduction_output(name: str) -> Any:
    """The output rule of the reduction row ``name``."""
    cumulative = name in _CUMULATIVE
    cumulative_api = name.startswith("cumulative_")

    def output(args: tuple, kwargs: dict) -> Out:
        a = args[0] if args else kwargs.get("a", kwargs.get("x"))
        shape = shape_of(a)
        axis = args[1] if len(args) > 1 else kwargs.get("axis")
        if cumulative:
            if axis is None:
                if cumulative_api and len(shape) <= 1:
                    n = shape[0] if shape else 1
                    extra = 1 if kwargs.get("include_initial") else 0
                    return Out((n + extra,))
                return Out((int(np.prod(shape)),))
            if cumulative_api and kwargs.get("include_initial"):
                ax = axis_tuple(axis, len(shape))[0]
                return Out(tuple(n + (i == ax) for i, n in enumerate(shape)))
            axis_tuple(axis, len(shape))  # the same AxisError as NumPy
            return Out(shape)
        keepdims = kwargs.get("keepdims", False)
        if keepdims is np._NoValue:  # type: ignore[attr-defined]
            keepdims = False
        if name == "count_nonzero" and axis is None and not keepdims:
            return Out((), np.dtype(np.intp))
        if isinstance(axis, np.ndarray):
            axis = tuple(operator.index(i) for i in axis.tolist())
        return Out(reduced_shape(shape, axis, bool(keepdims)))

    output.__doc__ = f"The result shape of ``{name}``."
    return output


# numpy.emath: the result is complex where an input leaves the real domain, so its
# dtype depends on the values (known arrays are checked; unknown ones are refused)
_EMATH_DOMAIN: dict[str, tuple[Any, tuple]] = {
    "sqrt": (lambda x: x < 0, (-1.0,)),
    "log": (lambda x: x < 0, (-1.0,)),
    "log2": (lambda x: x < 0, (-1.0,)),
    "log10": (lambda x: x < 0, (-1.0,)),
    "arccos": (lambda x: abs(x) > 1, (2.0,)),
    "arcsin": (lambda x: abs(x) > 1, (2.0,)),
    "arctanh": (lambda x: abs(x) > 1, (2.0,)),
    "power": (lambda x, p: x < 0, (-1.0, 0.5)),
    "logn": (lambda n, x: (n < 0) | (x < 0), (-1.0, 2.0)),
}


def emath_output(name: str) -> Any:
    """The output rule of ``emath.<name>``: the broadcast shape; the dtype NumPy gives
    this call, complex where a (known) input leaves the real domain."""
    outside, outside_values = _EMATH_DOMAIN[name]
    fn = getattr(np.emath, name)

    def output(args: tuple, kwargs: dict) -> Out:
        shape = broadcast_output(args, kwargs).shape
        what = f"the dtype of emath.{name}'s result (complex outside the real domain)"
        inputs = [np.asarray(values_of(a, what)) for a in args]
        real = all(a.dtype.kind in "biuf" for a in inputs)
        with np.errstate(all="ignore"):
            leaves = real and bool(np.any(outside(*inputs)))
            sample = [
                np.array([v if leaves else 0.5]).astype(a.dtype)
                for a, v in zip(inputs, outside_values)
            ]
            if not real:
                sample = [np.ones(1, a.dtype) for a in inputs]
            return Out(shape, fn(*sample).dtype)

    output.__doc__ = f"The broadcast shape; emath.{name}'s dtype for these values."
    return output


# ---------------------------------------------------------------------- known values
def outputs_of(result: Any) -> Any:
    """The output template of a result computed from known values (a rule whose result
    shape depends on values it has been given): each array's shape and dtype (a scalar's,
    or a ``poly1d``'s coefficients'), a tuple's in order, a list's as a list (of 0-d
    stand-ins for the Python numbers of a sliced list). A named tuple's dtypes are left
    to the probe, which also gives its type (``UniqueCountsResult``, ...)."""
    if type(result) is list:
        return [outputs_of(r) for r in result]
    if isinstance(result, tuple):
        outs = tuple(outputs_of(r) for r in result)
        if hasattr(result, "_make"):
            return tuple(Out(o.shape) for o in outs)
        return outs
    r = np.asarray(result)
    return Out(r.shape, r.dtype)


def from_values(fn: Any, what: str, *args: Any, **kwargs: Any) -> Any:
    """The output template of ``fn(*args, **kwargs)`` run on the arguments' values (see
    :func:`outputs_of`): for a result whose shape depends on values. Every array argument
    must be known (:func:`values_of`), but an empty one, which has no values to know."""
    for a in (*args, *kwargs.values()):
        if not (isinstance(a, np.ndarray) and a.size == 0):
            values_of(a, what)
    return outputs_of(fn(*args, **kwargs))


def sized_by_values(fn: Any, what: str) -> Any:
    """The output rule of a row whose result size ``fn`` finds in the values (``unique``,
    the set operations, ``nonzero``): ``fn`` run on known values (see
    :func:`from_values`); ``what`` ends its docstring."""

    def output(args: tuple, kwargs: dict) -> Any:
        return from_values(fn, f"the size of {fn.__name__}'s result", *args, **kwargs)

    output.__doc__ = f"As many {what} as ``{fn.__name__}`` finds in the values."
    return output
