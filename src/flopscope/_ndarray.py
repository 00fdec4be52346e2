"""The counted array type and the counted scalar types.

``flopscope.numpy.ndarray`` is a subclass of ``numpy.ndarray`` (``isinstance(x,
np.ndarray)`` holds). Its operators, its computing methods, NumPy's ufuncs and every
ufunc method (``__array_ufunc__``) and NumPy's functions (``__array_function__``) called
on it are charged through the one dispatch path; ``_array_protocol.install_array_protocol``
puts those methods on the classes here, generated from the registry.

Scalars that counted operations return (``fnp.sum(x)``, ``x[0]``, ``fnp.sqrt(2.0)``) are
instances of subclasses of NumPy's scalar types (``isinstance(s, np.float64)`` and
``isinstance(s, float)`` hold), so arithmetic on them is counted too. ``numpy.bool_``
cannot be subclassed (its two values are singletons): boolean scalars stay plain.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["SCALAR_BASE", "SCALAR_WRAP", "counted_scalar", "flatiter", "ndarray", "ndenumerate"]

_plain_ndarray = np.ndarray


class ndarray(np.ndarray):
    """A NumPy array whose arithmetic is counted against the active FLOP budget."""

    __module__ = "flopscope.numpy"

    # Display is free: format the data as a plain array (NumPy's printing calls ufuncs
    # internally, which must not be charged to the user).
    def __repr__(self) -> str:
        return repr(self.view(_plain_ndarray))

    def __str__(self) -> str:
        return str(self.view(_plain_ndarray))

    def __format__(self, spec: str) -> str:
        return format(self.view(_plain_ndarray), spec)


#: counted scalar type -> its NumPy base type, and the reverse.
SCALAR_BASE: dict[type, type] = {}
SCALAR_WRAP: dict[type, type] = {}


def _base_repr(self) -> str:
    return repr(SCALAR_BASE[type(self)](self))


def _base_str(self) -> str:
    return str(SCALAR_BASE[type(self)](self))


def _base_format(self, spec: str) -> str:
    return format(SCALAR_BASE[type(self)](self), spec)


def _reduce(self):
    return (type(self), (SCALAR_BASE[type(self)](self),))


def _make_scalar_types() -> None:
    # Integer scalar subclasses may not add __slots__ or mixins (NumPy crashes on them),
    # so each counted scalar type is a plain subclass with methods attached afterwards.
    seen: set[type] = set()
    for base in np.sctypeDict.values():
        if base in seen or not issubclass(base, np.number) or base is np.timedelta64:
            continue
        seen.add(base)
        name = "counted_" + base.__name__
        cls = type(name, (base,), {"__module__": __name__})
        globals()[name] = cls  # importable by name, so counted scalars pickle
        for dunder, method in (
            ("__repr__", _base_repr),
            ("__str__", _base_str),
            ("__format__", _base_format),
            ("__reduce__", _reduce),
        ):
            setattr(cls, dunder, method)
        SCALAR_BASE[cls] = base
        SCALAR_WRAP[base] = cls


_make_scalar_types()


# ---------------------------------------------------------------------- iteration
def counted_scalar(value: object) -> object:
    """A NumPy scalar as its counted type (other values unchanged)."""
    wrap = SCALAR_WRAP.get(type(value))
    return value if wrap is None else wrap(value)


def _counted_value(value: object) -> object:
    if type(value) is _plain_ndarray:
        return value.view(ndarray)  # type: ignore[union-attr]
    return counted_scalar(value)


class flatiter:
    """``a.flat`` of a counted array: NumPy's flat iterator, handing out counted scalars
    (so ``for v in a.flat: s + v * v`` is charged as ``for v in a`` is). Indexing,
    assignment, ``len``, ``base``, ``coords``, ``index`` and ``copy()`` are NumPy's."""

    __slots__ = ("_iter",)
    __module__ = "flopscope.numpy"

    def __init__(self, iterator: np.flatiter) -> None:
        self._iter = iterator

    def __iter__(self) -> flatiter:
        return self

    def __next__(self) -> object:
        return counted_scalar(next(self._iter))

    def __len__(self) -> int:
        return len(self._iter)

    def __getitem__(self, key: Any) -> object:
        return _counted_value(self._iter[key])

    def __setitem__(self, key: Any, value: Any) -> None:
        self._iter[key] = value

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.asarray(self._iter.copy(), dtype=dtype)

    def copy(self) -> object:
        return _counted_value(self._iter.copy())

    @property
    def base(self) -> object:
        return self._iter.base

    @property
    def coords(self) -> tuple[int, ...]:
        return self._iter.coords

    @property
    def index(self) -> int:
        return self._iter.index


class ndenumerate:
    """``flopscope.numpy.ndenumerate``: NumPy's ``ndenumerate`` handing out counted
    scalars, so arithmetic on them is charged."""

    __slots__ = ("_iter",)
    __module__ = "flopscope.numpy"

    def __init__(self, arr: object) -> None:
        self._iter = np.ndenumerate(np.ndarray.view(np.asarray(arr), _plain_ndarray))

    def __iter__(self) -> ndenumerate:
        return self

    def __next__(self) -> tuple[tuple[int, ...], object]:
        index, value = next(self._iter)
        return index, counted_scalar(value)
