"""Set routines, ``lexsort``, ``trim_zeros`` and bit packing: comparison counts.

NumPy finds unique values by sorting and comparing neighbours, and its set operations
(``intersect1d``, ``union1d``, ``setdiff1d``, ``setxor1d``, ``isin``) by taking the
unique values of each input, sorting their concatenation and comparing neighbours. The
size of a unique step's output depends on the data, so every later step is priced at
its worst case, the input size: the same shapes always cost the same.

The building block is ``U(n) = n * ceil(log2 n) + n``: a sort of n values plus one pass
comparing each value with its neighbour (:func:`unique_values_cost`).

Neither the dtype nor ``sorted=False`` changes a count (NumPy 2.3+ finds the unique
values of some integer dtypes with a hash table, but falls back to the sort for floating
point; the price is the sort for every dtype).
"""

from __future__ import annotations

import inspect
import operator
from typing import Any

import numpy as np

from .core import BAD_KINDS, arg, axis_tuple, dtype_error, numel, shape_of
from .outputs import Out, from_values, sized_by_values
from .sorting import n_log2_n, sort

__all__ = [
    "intersect1d_rule",
    "isin",
    "isin_rule",
    "lexsort_rule",
    "packbits_rule",
    "setdiff1d_rule",
    "setxor1d_rule",
    "trim_zeros_rule",
    "union1d_rule",
    "unique",
    "unique_all_rule",
    "unique_counts_rule",
    "unique_inverse_rule",
    "unique_rule",
    "unique_values_cost",
    "unique_values_rule",
    "unpackbits_rule",
]


_ISIN_KINDS = (None, "sort", "table")
_TRIM_SPECS = ("fb", "bf", "f", "b")


def _trim_zeros_takes_axis_tuples() -> bool:
    """Whether the installed NumPy's ``trim_zeros`` takes a tuple of axes and returns
    its input as it is when no axis is trimmed (NumPy 2.2 takes one int and ignores it
    for 1-D input, trimming anyway)."""
    return np.trim_zeros(np.zeros(1), axis=()).shape == (1,)


#: NumPy 2.2 added ``trim_zeros(..., axis=None)`` (2.0 scans a 1-D sequence only)
_TRIM_AXIS = "axis" in inspect.signature(np.trim_zeros).parameters
#: later versions take a tuple of axes (checked, ``()`` trims nothing) for every input
_TRIM_AXES = _TRIM_AXIS and _trim_zeros_takes_axis_tuples()


def unique_values_cost(n: int) -> int:
    """``U(n) = n * ceil(log2 n) + n``: sort n values, then compare each with its
    neighbour."""
    return n_log2_n(n) + n


def unique(
    shape: tuple[int, ...],
    axis: Any = None,
    *,
    return_inverse: bool = False,
    return_counts: bool = False,
) -> int:
    """Unique values of an array of ``shape``: ``U(n) = n * ceil(log2 n) + n`` with
    ``n = numel``, ``+ n`` for the inverse (a running count of the run starts) and
    ``+ n`` for the counts (differences of the run starts, at most n of them).

    With ``axis``, the n slices along ``axis`` are compared as whole rows of
    ``m = numel / n`` elements, one comparison per element: ``m * U(n)``, and the
    inverse and counts passes are over the n rows.
    """
    shape = tuple(shape)
    if axis is None:
        n, m = numel(shape), 1
    else:
        (ax,) = axis_tuple(operator.index(axis), len(shape))
        n = shape[ax]
        m = numel(shape[:ax] + shape[ax + 1 :])
    return m * unique_values_cost(n) + n * (int(return_inverse) + int(return_counts))


def _isin_loops(n1: int, n2: int) -> bool:
    """NumPy's branch (shapes only): with few test values it compares every element
    with every test value instead of sorting."""
    return n2 < 10 * n1**0.145


def isin(n1: int, n2: int, *, assume_unique: bool = False, kind: Any = None) -> int:
    """Membership of n1 elements among n2 test values, following NumPy's algorithm.

    ``kind='table'``: a counting pass, ``n1 + n2`` (mark each test value in a table, look
    each element up). Otherwise, when ``n2 < 10 * n1**0.145`` NumPy compares every
    element with every test value: ``n1 * n2``; else it sorts:
    ``U(n1) + n1 + U(n2) + U(n1 + n2)`` (unique of each input, with the inverse of the
    first, then the sorted concatenation compared with neighbours), or ``U(n1 + n2)``
    with ``assume_unique``. ``kind=None`` is priced like ``'sort'`` for every dtype
    (NumPy picks the table for some integer data, depending on the values' range).
    """
    if kind not in _ISIN_KINDS:
        raise ValueError(f"Invalid kind: '{kind}'. Please use None, 'sort' or 'table'.")
    if kind == "table":
        return n1 + n2
    if _isin_loops(n1, n2):
        return n1 * n2
    merged = unique_values_cost(n1 + n2)
    if assume_unique:
        return merged
    return unique_values_cost(n1) + n1 + unique_values_cost(n2) + merged


def _x_shape(args: tuple, kwargs: dict, fn: str) -> tuple[int, ...]:
    """The shape of the array API ``unique_*`` functions' ``x``, which NumPy takes by
    position only."""
    if "x" in kwargs:
        raise TypeError(
            f"{fn}() got some positional-only arguments passed as keyword arguments: 'x'"
        )
    if not args:
        raise TypeError(f"{fn}() missing 1 required positional argument: 'x'")
    return shape_of(args[0])


def _flag(args: tuple, kwargs: dict, pos: int, name: str) -> bool:
    return bool(arg(args, kwargs, pos, name, False))


def _two_sizes(
    args: tuple, kwargs: dict, first: str = "ar1", second: str = "ar2"
) -> tuple[int, int]:
    n1 = numel(shape_of(arg(args, kwargs, 0, first)))
    n2 = numel(shape_of(arg(args, kwargs, 1, second)))
    return n1, n2


def unique_rule(args: tuple, kwargs: dict) -> int:
    """``n * ceil(log2 n) + n`` with n = numel (sort, then compare neighbours);
    ``+ n`` each for ``return_inverse`` (a running count) and ``return_counts``
    (differences of run starts); ``return_index``, ``equal_nan`` and ``sorted`` add
    nothing. With ``axis``: n rows along the axis, compared whole (m = numel / n
    elements each): ``m * (n * ceil(log2 n) + n)``, plus n per inverse / counts pass.

    ``return_index`` uses a stable argsort, which makes the sort's comparisons; the
    first-occurrence indices are then a selection. See :func:`unique`.
    """
    return unique(
        shape_of(arg(args, kwargs, 0, "ar")),
        arg(args, kwargs, 4, "axis", None),
        return_inverse=_flag(args, kwargs, 2, "return_inverse"),
        return_counts=_flag(args, kwargs, 3, "return_counts"),
    )


def unique_values_rule(args: tuple, kwargs: dict) -> int:
    """``n * ceil(log2 n) + n`` with n = numel(x): sort, then compare neighbours (the
    hash path NumPy takes for some integer dtypes is priced like the sort)."""
    return unique(_x_shape(args, kwargs, "unique_values"))


def unique_counts_rule(args: tuple, kwargs: dict) -> int:
    """``n * ceil(log2 n) + 2 * n`` with n = numel(x): sort, compare neighbours, then
    the counts as differences of the (at most n) run starts."""
    return unique(_x_shape(args, kwargs, "unique_counts"), return_counts=True)


def unique_inverse_rule(args: tuple, kwargs: dict) -> int:
    """``n * ceil(log2 n) + 2 * n`` with n = numel(x): sort, compare neighbours, then
    the inverse as a running count of the run starts."""
    return unique(_x_shape(args, kwargs, "unique_inverse"), return_inverse=True)


def unique_all_rule(args: tuple, kwargs: dict) -> int:
    """``n * ceil(log2 n) + 3 * n`` with n = numel(x): a stable argsort, compare
    neighbours, the inverse pass and the counts pass (the indices are a selection)."""
    return unique(_x_shape(args, kwargs, "unique_all"), return_inverse=True, return_counts=True)


def union1d_rule(args: tuple, kwargs: dict) -> int:
    """``U(N) = N * ceil(log2 N) + N`` with N = numel(ar1) + numel(ar2): the unique
    values of the concatenation."""
    n1, n2 = _two_sizes(args, kwargs)
    return unique_values_cost(n1 + n2)


def _merge_rule(args: tuple, kwargs: dict) -> int:
    n1, n2 = _two_sizes(args, kwargs)
    merged = unique_values_cost(n1 + n2)
    if _flag(args, kwargs, 2, "assume_unique"):
        return merged
    return unique_values_cost(n1) + unique_values_cost(n2) + merged


def intersect1d_rule(args: tuple, kwargs: dict) -> int:
    """``U(n1) + U(n2) + U(n1 + n2)`` with ``U(n) = n * ceil(log2 n) + n``: unique
    values of each input, then their concatenation sorted and compared with neighbours
    (each unique output priced at its input size); ``assume_unique``: ``U(n1 + n2)``.

    ``return_indices`` adds nothing: a stable argsort makes the same comparisons and the
    indices are selections.
    """
    return _merge_rule(args, kwargs)


def setxor1d_rule(args: tuple, kwargs: dict) -> int:
    """``U(n1) + U(n2) + U(n1 + n2)`` with ``U(n) = n * ceil(log2 n) + n``: unique
    values of each input, then their concatenation sorted and compared with neighbours
    (each unique output priced at its input size); ``assume_unique``: ``U(n1 + n2)``."""
    return _merge_rule(args, kwargs)


def setdiff1d_rule(args: tuple, kwargs: dict) -> int:
    """``U(n1) + U(n2) + isin(n1, n2)`` with ``U(n) = n * ceil(log2 n) + n``: unique
    values of each input (priced at the input sizes), then membership of the first among
    the second with unique inputs: ``n1 * n2`` when ``n2 < 10 * n1**0.145``, else
    ``U(n1 + n2)``. ``assume_unique`` drops the two unique steps."""
    n1, n2 = _two_sizes(args, kwargs)
    member = isin(n1, n2, assume_unique=True)
    if _flag(args, kwargs, 2, "assume_unique"):
        return member
    return unique_values_cost(n1) + unique_values_cost(n2) + member


def isin_rule(args: tuple, kwargs: dict) -> int:
    """n1 = numel(element), n2 = numel(test_elements), ``U(n) = n * ceil(log2 n) + n``:
    ``kind='table'``: ``n1 + n2`` (a counting pass); else ``n1 * n2`` when
    ``n2 < 10 * n1**0.145`` (NumPy compares each element with each test value), else
    ``U(n1) + n1 + U(n2) + U(n1 + n2)`` (unique of each with the first's inverse, then
    the sorted concatenation compared with neighbours), ``U(n1 + n2)`` with
    ``assume_unique``. ``invert`` changes nothing.

    See :func:`isin`.
    """
    n1, n2 = _two_sizes(args, kwargs, "element", "test_elements")
    return isin(
        n1,
        n2,
        assume_unique=_flag(args, kwargs, 2, "assume_unique"),
        kind=kwargs.get("kind"),
    )


def lexsort_rule(args: tuple, kwargs: dict) -> int:
    """``k * n * ceil(log2 n)`` per slice of length n along ``axis``, for k keys: each
    of the sort's comparisons may compare every key."""
    keys = arg(args, kwargs, 0, "keys")
    axis = operator.index(arg(args, kwargs, 1, "axis", -1))
    if isinstance(keys, (list, tuple)):
        k = len(keys)
        shapes = [shape_of(key) for key in keys]
        for key in keys:
            dtype = getattr(key, "dtype", None)
            if dtype is not None and dtype.kind in BAD_KINDS:
                raise dtype_error(key, "lexsort")
        key_shape = shapes[0] if shapes else ()
        if any(s != key_shape for s in shapes):
            raise ValueError("all keys need to be the same shape")
    else:
        shape = shape_of(keys)
        k, key_shape = (shape[0], tuple(shape[1:])) if shape else (0, ())
    if k == 0:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    if not key_shape:  # 0-d keys: nothing to sort (NumPy checks the axis as for 1-d)
        axis_tuple(axis, 1)
        return 0
    return k * sort(key_shape, axis)


def trim_zeros_rule(args: tuple, kwargs: dict) -> int:
    """``numel(filt)``: one scan for the first and last nonzero (priced at the whole
    array, the most it reads); 0 when no axis is trimmed (a 0-d input, ``axis=()``)."""
    # 0 too where nothing else is trimmed: on NumPy 2.0, a ``trim`` with neither 'f'
    # nor 'b' (NumPy 2.2's 1-D input ignores ``axis``, ``()`` included)
    shape = shape_of(arg(args, kwargs, 0, "filt"))
    trim = arg(args, kwargs, 1, "trim", "fb")
    whole = numel(shape) if shape else 0
    if not _TRIM_AXIS:
        # NumPy 2.0: no ``axis`` (NumPy refuses it), any string: each end trimmed when
        # its letter is in ``trim``, either case, other characters ignored
        if isinstance(trim, str) and not {"F", "B"} & set(trim.upper()):
            return 0
        return whole
    if isinstance(trim, str) and trim.lower() not in _TRIM_SPECS:
        raise ValueError(f"unexpected character(s) in `trim`: {trim.lower()!r}")
    axis = arg(args, kwargs, 2, "axis", None)
    if _TRIM_AXES:
        return whole if axis_tuple(axis, len(shape)) else 0
    # NumPy 2.2: ``axis`` is one int, checked (and used) for input of 2 dimensions or more
    # or 0 dimensions, ignored for 1-D input
    if len(shape) != 1 and axis is not None:
        axis_tuple(operator.index(axis), len(shape))
    return whole


def packbits_rule(args: tuple, kwargs: dict) -> int:
    """``numel(a)``: one bit operation per input element (test it, shift it into its
    byte)."""
    return numel(shape_of(arg(args, kwargs, 0, "a")))


def unpackbits_rule(args: tuple, kwargs: dict) -> int:
    """``numel(a)``: one operation per input byte (NumPy expands each byte into its
    eight bits with one table lookup); ``count`` and ``bitorder`` change nothing."""
    return numel(shape_of(arg(args, kwargs, 0, "a")))


# ---------------------------------------------------------------------- output rules
# What each call returns (for a dry run: see ``outputs``). The unique values of an
# array, and every set operation built on them, have as many elements as the values
# make: those rules need the values (and, given them, run NumPy's function to count).
def unique_output(args: tuple, kwargs: dict) -> Any:
    """As many unique values (rows with ``axis``) as the values make: the values, and
    the indices, inverse and counts asked for."""
    return from_values(np.unique, "the size of unique's result", *args, **kwargs)


unique_values_output = sized_by_values(np.unique_values, "unique values")
unique_counts_output = sized_by_values(np.unique_counts, "unique values (and counts)")
unique_inverse_output = sized_by_values(np.unique_inverse, "unique values (and the inverse)")
unique_all_output = sized_by_values(np.unique_all, "unique values (and their indices)")
union1d_output = sized_by_values(np.union1d, "values")
intersect1d_output = sized_by_values(np.intersect1d, "values")
setxor1d_output = sized_by_values(np.setxor1d, "values")
setdiff1d_output = sized_by_values(np.setdiff1d, "values")


def in1d_output(args: tuple, kwargs: dict) -> Out:
    """``(numel(ar1),)``: one truth value per element, flattened (the dtype from the
    probe, which also meets NumPy's refusals of its keywords)."""
    return Out((numel(shape_of(arg(args, kwargs, 0, "ar1"))),))


def isin_output(args: tuple, kwargs: dict) -> Out:
    """``element``'s shape: one truth value per element."""
    return Out(tuple(shape_of(arg(args, kwargs, 0, "element"))))


def lexsort_output(args: tuple, kwargs: dict) -> Out:
    """One key's shape (a key array's first axis holds the keys)."""
    keys = arg(args, kwargs, 0, "keys")
    if isinstance(keys, (list, tuple)):
        return Out(tuple(shape_of(keys[0])))
    return Out(tuple(shape_of(keys))[1:])


def trim_zeros_output(args: tuple, kwargs: dict) -> Any:
    """What is left without the leading and trailing zeros: as many as the values make."""
    return from_values(np.trim_zeros, "the size of trim_zeros' result", *args, **kwargs)


def packbits_output(args: tuple, kwargs: dict) -> Out:
    """Eight elements to a byte: ``(ceil(numel / 8),)`` flattened, or ``axis`` of
    ``ceil(n / 8)``."""
    shape = tuple(shape_of(arg(args, kwargs, 0, "a")))
    axis = arg(args, kwargs, 1, "axis")
    if axis is None:
        return Out((-(-numel(shape) // 8),))
    (ax,) = axis_tuple(operator.index(axis), len(shape))
    return Out((*shape[:ax], -(-shape[ax] // 8), *shape[ax + 1 :]))


def unpackbits_output(args: tuple, kwargs: dict) -> Out:
    """Eight bits to a byte: ``(8 * numel,)`` flattened, or ``axis`` of ``8 * n``;
    ``count`` bits instead when given (a negative count drops that many from the end)."""
    shape = tuple(shape_of(arg(args, kwargs, 0, "a")))
    axis = arg(args, kwargs, 1, "axis")
    count = arg(args, kwargs, 2, "count")
    if axis is None:
        shape, ax = (numel(shape),), 0
    else:
        (ax,) = axis_tuple(operator.index(axis), len(shape))
    bits = 8 * shape[ax]
    if count is not None:
        count = operator.index(count)
        if count < 0 and -count > bits:
            raise ValueError("-count larger than number of elements")
        bits = count if count >= 0 else bits + count
    return Out((*shape[:ax], bits, *shape[ax + 1 :]))
