"""``vectorize`` and ``frompyfunc``: the user's Python function, run on counted scalars.

NumPy calls the function once per element (``vectorize`` also once more on the first
element to find the output type, unless ``otypes`` is given). flopscope hands it counted
scalars (Python floats, ints and complex numbers become counted NumPy scalars of the
matching type; arrays, with ``signature=``, become counted arrays), so every arithmetic
operation the function does is charged like any counted scalar arithmetic. Building the
vectorized function is free; calling it charges exactly what the function computes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._ndarray import SCALAR_BASE, SCALAR_WRAP, counted_scalar
from ._ndarray import ndarray as _counted

__all__ = ["CountedPyFunc", "CountedVectorize"]

_PLAIN = np.ndarray
#: Python numbers NumPy hands to the function -> the counted NumPy scalar type
_PYTHON_NUMBERS = {
    float: SCALAR_WRAP[np.float64],
    int: SCALAR_WRAP[np.int64],
    complex: SCALAR_WRAP[np.complex128],
}


def _counted_arg(x: Any) -> Any:
    t = type(x)
    if t is _PLAIN:
        return x.view(_counted)
    number = _PYTHON_NUMBERS.get(t)
    if number is not None:
        try:
            return number(x)
        except OverflowError:  # a Python int beyond int64 stays a Python int
            return x
    return counted_scalar(x)


def _plain(x: Any) -> Any:
    t = type(x)
    if t is _counted:
        return x.view(_PLAIN)
    base = SCALAR_BASE.get(t)
    if base is not None:
        return base(x)
    if t is tuple or t is list:
        return t(map(_plain, x))
    return x


def _counted_result(x: Any) -> Any:
    t = type(x)
    if t is _PLAIN:
        return x.view(_counted)
    if t is tuple:
        return tuple(map(_counted_result, x))
    return counted_scalar(x)


#: counted results of these types go back to NumPy as the Python numbers it handed out
_BACK_TO_PYTHON = (np.float64, np.int64, np.complex128)


def _returned(x: Any) -> Any:
    x = _plain(x)
    if type(x) in _BACK_TO_PYTHON:
        return x.item()
    if type(x) is tuple:
        return tuple(map(_returned, x))
    return x


def _on_counted_values(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` called with counted arguments; its result handed back to NumPy plain (a
    counted float64, int64 or complex128 as the Python number NumPy would have seen)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return _returned(func(*map(_counted_arg, args), **kwargs))

    call.__name__ = getattr(func, "__name__", "pyfunc")
    call.__doc__ = getattr(func, "__doc__", None)
    return call


class CountedVectorize:
    """``flopscope.numpy.vectorize``: ``numpy.vectorize`` whose function receives counted
    scalars, so the arithmetic it does is charged. Same arguments and attributes."""

    __module__ = "flopscope.numpy"

    def __init__(self, pyfunc: Callable[..., Any] | None = None, *args: Any, **kwargs: Any):
        if pyfunc is None:  # used as a decorator with arguments: @vectorize(otypes=...)
            self._vectorized = None
            self._settings = (args, kwargs)
            return
        self.pyfunc = pyfunc
        self._vectorized = np.vectorize(_on_counted_values(pyfunc), *args, **kwargs)
        self.__doc__ = pyfunc.__doc__ if kwargs.get("doc") is None else kwargs["doc"]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._vectorized is None:  # the decorator's second step: receive the function
            settings_args, settings_kwargs = self._settings
            return CountedVectorize(args[0], *settings_args, **settings_kwargs)
        return _counted_result(self._vectorized(*map(_plain, args), **_plain_values(kwargs)))

    def __getattr__(self, name: str) -> Any:  # otypes, excluded, signature, cache, ...
        if name.startswith("__") or self.__dict__.get("_vectorized") is None:
            raise AttributeError(name)
        return getattr(self._vectorized, name)

    def __repr__(self) -> str:
        return f"counted {self._vectorized!r}"


class CountedPyFunc:
    """``flopscope.numpy.frompyfunc(func, nin, nout)``: NumPy's object ufunc whose function
    receives counted scalars. Calls and ufunc methods return counted (object) arrays;
    arithmetic on object arrays is refused like on any non-numeric data, so convert the
    result first (``.astype(float)``, free)."""

    __module__ = "flopscope.numpy"

    def __init__(self, func: Callable[..., Any], nin: int, nout: int, **kwargs: Any) -> None:
        self.func = func
        self._ufunc = np.frompyfunc(_on_counted_values(func), nin, nout, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _counted_result(self._ufunc(*map(_plain, args), **_plain_values(kwargs)))

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.__dict__["_ufunc"], name)
        if not callable(attribute):  # nin, nout, identity, types, ...
            return attribute

        def method(*args: Any, **kwargs: Any) -> Any:  # reduce, accumulate, outer, at
            return _counted_result(attribute(*map(_plain, args), **_plain_values(kwargs)))

        return method

    def __repr__(self) -> str:
        return f"counted {self._ufunc!r}"


def _plain_values(kwargs: dict) -> dict:
    return {k: _plain(v) for k, v in kwargs.items()} if kwargs else kwargs
