"""``flopscope.numpy.poly1d``: NumPy's one-dimensional polynomial class, counted.

A plain ``numpy.poly1d`` evaluates and combines polynomials with NumPy's own functions,
uncounted. :class:`CountedPoly1d` (a subclass, so ``isinstance(p, numpy.poly1d)`` holds)
has the same API, and each of its operations calls the counted callable of the same
work, charged by that row's rule:

==========================================  ====================================
``p(x)``                                    ``polyval``
``p + q``, ``p - q``                        ``polyadd``, ``polysub``
``p * q``, ``p ** n``                       ``polymul`` (``n`` products)
``p / q``                                   ``polydiv``
``p * 2``, ``p / 2``, ``-p``                ``multiply``, ``divide``, ``negative``
``p.deriv(m)``, ``p.integ(m, k)``           ``polyder``, ``polyint``
``p.roots``                                 ``roots``
``p == q``                                  ``equal`` and ``all``
==========================================  ====================================

Constructing one from coefficients is free; from roots (``poly1d(r, True)``) it is
charged as ``poly``. Coefficients are counted arrays; indexing, ``repr``, ``str``,
``len``, ``order`` and ``variable`` are free.

The ``poly*`` rows run NumPy's functions through :func:`numpy_backend`, which hands
NumPy plain ``numpy.poly1d`` objects and turns the ``numpy.poly1d`` NumPy returns into
:class:`CountedPoly1d`, so no polynomial leaves a counted function uncounted.
"""

from __future__ import annotations

import functools
import operator
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ._ndarray import ndarray as _counted

__all__ = ["POLY_FUNCTIONS", "CountedPoly1d", "numpy_backend"]

_ND = np.ndarray
_view = np.ndarray.view

#: NumPy's functions that take or return ``poly1d`` objects (their rows run through
#: :func:`numpy_backend`)
POLY_FUNCTIONS = (
    "poly",
    "polyadd",
    "polyder",
    "polydiv",
    "polyfit",
    "polyint",
    "polymul",
    "polysub",
    "polyval",
    "roots",
)


_POLY_NUMPY = frozenset(getattr(np, name) for name in POLY_FUNCTIONS)


def _counted_fn(name: str) -> Callable[..., Any]:
    from ._dispatch import COUNTED  # the dispatch imports the registry, which imports us

    return COUNTED[name]


def _plain(x: Any) -> Any:
    """A plain NumPy value of ``x`` (counted arrays as ndarray views)."""
    from ._dispatch import plain

    return plain(x)


def _as_counted(a: _ND) -> _counted:
    return a if type(a) is _counted else _view(a, _counted)


class CountedPoly1d(np.poly1d):
    """A one-dimensional polynomial whose arithmetic is counted (NumPy's ``poly1d`` API).

    ``poly1d(c_or_r, r=False, variable=None)``: coefficients in decreasing powers, or
    the roots when ``r`` is true (charged as ``poly``). Evaluating (``p(x)``: ``polyval``),
    adding, subtracting, multiplying, dividing, powers, ``deriv``, ``integ`` and
    ``roots`` are charged by the rows of the same work.
    """

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, c_or_r: Any, r: bool = False, variable: str | None = None) -> None:
        if isinstance(c_or_r, np.poly1d):
            self._variable = c_or_r.__dict__["_variable"]
            self._coeffs = _as_counted(c_or_r.__dict__["coeffs"])
            extra = set(c_or_r.__dict__) - set(self.__dict__)
            if extra:  # NumPy's own behaviour, warning included
                warnings.warn(
                    "In the future extra properties will not be copied across when "
                    "constructing one poly1d from another",
                    FutureWarning,
                    stacklevel=2,
                )
                self.__dict__.update({k: c_or_r.__dict__[k] for k in extra})
            if variable is not None:
                self._variable = variable
            return
        if r:
            c_or_r = _counted_fn("poly")(c_or_r)
        c = np.atleast_1d(np.asarray(_plain(c_or_r)))
        if c.ndim > 1:
            raise ValueError("Polynomial must be 1d only.")
        c = np.trim_zeros(c, trim="f")
        if len(c) == 0:
            c = np.array([0], dtype=c.dtype)
        self._coeffs = _as_counted(c)
        self._variable = "x" if variable is None else variable

    # ------------------------------------------------------------------ attributes
    @property
    def coeffs(self) -> Any:
        """The polynomial coefficients (a counted array)."""
        return self.__dict__["coeffs"]

    @coeffs.setter
    def coeffs(self, value: Any) -> None:
        # allowing this makes p.coeffs *= 2 legal (counted: the array is counted)
        if value is not self.__dict__["coeffs"]:
            raise AttributeError("Cannot set attribute")

    c = coef = coefficients = coeffs

    @property
    def variable(self) -> str:
        """The name of the polynomial variable."""
        return self._variable

    @property
    def order(self) -> int:
        """The order or degree of the polynomial."""
        return len(self.__dict__["coeffs"]) - 1

    o = order

    @property
    def roots(self) -> Any:
        """The roots of the polynomial, where self(x) == 0 (charged as ``roots``)."""
        return _counted_fn("roots")(self.coeffs)

    r = roots

    def _plain_coeffs(self) -> _ND:
        return _view(self.__dict__["coeffs"], _ND)

    def _numpy(self) -> np.poly1d:
        """This polynomial as a plain ``numpy.poly1d`` (same coefficients, no copy)."""
        p = np.poly1d.__new__(np.poly1d)
        p.__dict__.update(self.__dict__)
        p.__dict__["coeffs"] = self._plain_coeffs()
        return p

    # ------------------------------------------------------------------ free
    def __array__(self, t: Any = None, copy: Any = None) -> _ND:  # type: ignore[override]
        if t:
            return np.asarray(self._plain_coeffs(), t, copy=copy)
        return np.asarray(self._plain_coeffs(), copy=copy)

    def __repr__(self) -> str:
        return repr(self._numpy())

    def __str__(self) -> str:
        return str(self._numpy())

    def __len__(self) -> int:
        return self.order

    def __getitem__(self, val: Any) -> Any:
        coeffs = self.coeffs
        if val > self.order or val < 0:
            return coeffs.dtype.type(0)
        return coeffs[self.order - val]

    def __setitem__(self, key: Any, val: Any) -> None:
        if key < 0:
            raise ValueError("Does not support negative powers.")
        if key > self.order:
            plain = self._plain_coeffs()
            zeros = np.zeros(key - self.order, plain.dtype)
            self._coeffs = _as_counted(np.concatenate((zeros, plain)))
        self.coeffs[self.order - key] = val

    def __iter__(self) -> Any:
        return iter(self.coeffs)

    # ------------------------------------------------------------------ counted
    def __call__(self, val: Any) -> Any:
        return _counted_fn("polyval")(self.coeffs, val)

    def __neg__(self) -> CountedPoly1d:
        return CountedPoly1d(_counted_fn("negative")(self.coeffs))

    def __pos__(self) -> CountedPoly1d:
        return self

    def __mul__(self, other: Any) -> CountedPoly1d:
        if np.isscalar(other):
            return CountedPoly1d(_counted_fn("multiply")(self.coeffs, other))
        other = CountedPoly1d(other)
        return CountedPoly1d(_counted_fn("polymul")(self.coeffs, other.coeffs))

    def __rmul__(self, other: Any) -> CountedPoly1d:
        if np.isscalar(other):
            return CountedPoly1d(_counted_fn("multiply")(other, self.coeffs))
        other = CountedPoly1d(other)
        return CountedPoly1d(_counted_fn("polymul")(self.coeffs, other.coeffs))

    def __add__(self, other: Any) -> CountedPoly1d:
        other = CountedPoly1d(other)
        return CountedPoly1d(_counted_fn("polyadd")(self.coeffs, other.coeffs))

    def __radd__(self, other: Any) -> CountedPoly1d:
        other = CountedPoly1d(other)
        return CountedPoly1d(_counted_fn("polyadd")(self.coeffs, other.coeffs))

    def __pow__(self, val: Any) -> CountedPoly1d:  # type: ignore[override]
        scalar: bool = np.isscalar(val)  # (a plain bool: no narrowing of val)
        if not scalar or int(val) != val or val < 0:
            raise ValueError("Power to non-negative integers only.")
        polymul = _counted_fn("polymul")
        res: Any = [1]
        for _ in range(operator.index(val)):
            res = polymul(self.coeffs, res)
        return CountedPoly1d(res)

    def __sub__(self, other: Any) -> CountedPoly1d:
        other = CountedPoly1d(other)
        return CountedPoly1d(_counted_fn("polysub")(self.coeffs, other.coeffs))

    def __rsub__(self, other: Any) -> CountedPoly1d:
        other = CountedPoly1d(other)
        return CountedPoly1d(_counted_fn("polysub")(other.coeffs, self.coeffs))

    def __truediv__(self, other: Any) -> Any:
        if np.isscalar(other):
            return CountedPoly1d(_counted_fn("divide")(self.coeffs, other))
        other = CountedPoly1d(other)
        return _counted_fn("polydiv")(self, other)

    def __rtruediv__(self, other: Any) -> Any:
        if np.isscalar(other):
            return CountedPoly1d(_counted_fn("divide")(other, self.coeffs))
        other = CountedPoly1d(other)
        return _counted_fn("polydiv")(other, self)

    def __eq__(self, other: object) -> Any:
        if not isinstance(other, np.poly1d):
            return NotImplemented
        if self.coeffs.shape != other.coeffs.shape:
            return False
        return _counted_fn("equal")(self.coeffs, other.coeffs).all()

    def __ne__(self, other: object) -> Any:
        if not isinstance(other, np.poly1d):
            return NotImplemented
        return not self.__eq__(other)

    def integ(self, m: Any = 1, k: Any = 0) -> CountedPoly1d:
        """An antiderivative (indefinite integral) of this polynomial (charged as
        ``polyint``; see there)."""
        return CountedPoly1d(_counted_fn("polyint")(self.coeffs, m=m, k=k))

    def deriv(self, m: Any = 1) -> CountedPoly1d:
        """A derivative of this polynomial (charged as ``polyder``; see there)."""
        return CountedPoly1d(_counted_fn("polyder")(self.coeffs, m=m))

    # ------------------------------------------------------------------ NumPy protocols
    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """NumPy's ufuncs treat a polynomial as its coefficient array: counted."""
        from ._array_protocol import array_ufunc

        return array_ufunc(self.coeffs, ufunc, method, *map(_coefficients, inputs), **kwargs)

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        """NumPy's functions called on a counted polynomial are counted: the ``poly*``
        functions take it as a polynomial, the others as its coefficient array."""
        from ._array_protocol import array_function

        if func not in _POLY_NUMPY:
            args = tuple(map(_coefficients, args))
            kwargs = {k: _coefficients(v) for k, v in kwargs.items()}
        return array_function(self.coeffs, func, types, args, kwargs)


def _coefficients(x: Any) -> Any:
    """A counted polynomial as its counted coefficient array (one level into lists)."""
    if isinstance(x, CountedPoly1d):
        return x.coeffs
    if type(x) is list or type(x) is tuple:
        return type(x)(_coefficients(e) if isinstance(e, CountedPoly1d) else e for e in x)
    return x


# ---------------------------------------------------------------------- row backends
def _to_numpy(x: Any) -> Any:
    return x._numpy() if isinstance(x, CountedPoly1d) else x


def _to_counted(r: Any) -> Any:
    if type(r) is np.poly1d:
        p = CountedPoly1d.__new__(CountedPoly1d)
        p.__dict__.update(r.__dict__)
        p.__dict__["coeffs"] = _as_counted(r.__dict__["coeffs"])
        return p
    if type(r) is tuple:
        return tuple(map(_to_counted, r))
    return r


def numpy_backend(func: Callable[..., Any]) -> Callable[..., Any]:
    """NumPy's ``func`` (a ``poly*`` function) for a registry row: counted polynomials
    reach it as plain ``numpy.poly1d`` (so NumPy's own arithmetic on them is not routed
    back into the counted methods), and the ``numpy.poly1d`` it returns comes back as
    :class:`CountedPoly1d`."""
    impl = getattr(func, "_implementation", func)

    @functools.wraps(func)
    def backend(*args: Any, **kwargs: Any) -> Any:
        args = tuple(map(_to_numpy, args))
        if kwargs:
            kwargs = {k: _to_numpy(v) for k, v in kwargs.items()}
        return _to_counted(impl(*args, **kwargs))

    return backend
