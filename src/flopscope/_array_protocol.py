"""The array protocol: operators, methods, indexing and iteration of the counted types.

:func:`install_array_protocol` puts on ``flopscope.numpy.ndarray`` (and the counted scalar
types) the operators and in-place operators, the computing methods, ``__array_ufunc__``
and ``__array_function__`` (NumPy's own ufuncs and functions called on counted values),
indexing that books the time of copies, the timed data-moving methods and ``flat`` -
every one routed to the counted callables of :mod:`flopscope._dispatch`. It runs once,
when ``flopscope.numpy`` is imported.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from time import perf_counter_ns as _now
from typing import Any

import numpy as np

from ._budget import ACTIVE, fallback_scope
from ._dispatch import (
    COUNTED,
    HANDLED,
    UFUNCS,
    WRAPPERS,
    counted_ufunc,
    handled,
    make_counted,
    pending_message,
    plain,
    wrap,
)
from ._dry_run import STAND_IN_TYPES, stand_in_assign, stand_in_index
from ._hotpath_loader import hotpath as _hotpath
from ._ndarray import SCALAR_BASE, flatiter
from ._ndarray import ndarray as _CA
from ._registry import BLOCKED_METHODS, REGISTRY
from ._rules.sorting import IN_PLACE_OUTPUTS
from .errors import UnsupportedFunctionError

__all__ = ["ARRAY_METHODS", "TIMED_METHODS", "array_function", "array_ufunc", "public_name"]

_ND = np.ndarray
_active_get = ACTIVE.get
_wrapper_get = WRAPPERS.get


# ---------------------------------------------------------------------- array protocol
_BINARY_OPERATORS = {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "truediv": "divide",
    "floordiv": "floor_divide",
    "mod": "remainder",
    "pow": "power",
    "matmul": "matmul",
    "and": "bitwise_and",
    "or": "bitwise_or",
    "xor": "bitwise_xor",
    "lshift": "left_shift",
    "rshift": "right_shift",
}
_COMPARISONS = {
    "lt": "less",
    "le": "less_equal",
    "gt": "greater",
    "ge": "greater_equal",
    "eq": "equal",
    "ne": "not_equal",
}
_UNARY_OPERATORS = {"neg": "negative", "pos": "positive", "abs": "absolute", "invert": "invert"}
#: ndarray methods that compute, each priced by the row of the same name. On counted
#: arrays they run ndarray's own method (its signature and semantics: ``.clip(min=...)``,
#: the in-place ``.sort()`` / ``.partition()``); counted scalars use the function form.
ARRAY_METHODS = (
    "sum prod mean var std min max argmin argmax all any cumsum cumprod clip round dot "
    "trace argsort argpartition searchsorted nonzero conj conjugate sort partition"
).split()
#: in-place methods have no meaning on an immutable scalar
_ARRAY_ONLY_METHODS = frozenset({"sort", "partition"})
#: free ndarray methods that move data: run as ndarray's own, their time booked as
#: flopscope's. Methods that return a view (``transpose``, ``squeeze``, ``view``, ...) are
#: not timed: timing them would cost more than they take.
TIMED_METHODS = (
    "copy astype flatten ravel reshape repeat take put fill compress choose tolist tobytes "
    "byteswap resize __copy__ __deepcopy__"
).split()


def _reflected(fn: Callable[..., Any]) -> Callable[..., Any]:
    if _hotpath is not None and type(fn) is _hotpath.HotUfunc:  # its compiled form
        return fn.form(_hotpath.MODE_REFLECTED)  # type: ignore[attr-defined]

    def reflected(self: Any, other: Any) -> Any:
        return fn(other, self)

    return reflected


def _in_place(fn: Callable[..., Any]) -> Callable[..., Any]:
    # out=self keeps ``a += b`` in the fast ufunc body
    if _hotpath is not None and type(fn) is _hotpath.HotUfunc:  # its compiled form
        return fn.form(_hotpath.MODE_IN_PLACE)  # type: ignore[attr-defined]

    def in_place(self: Any, other: Any) -> Any:
        return fn(self, other, out=self)

    return in_place


def _equality(fn: Callable[..., Any], dunder: str) -> Callable[..., Any]:
    """``==`` / ``!=``: counted between numbers; against None or a string, NumPy's answer
    (all False / all True), free, as no arithmetic happens."""
    plain_method = getattr(_ND, f"__{dunder}__")

    def equality(self: Any, other: Any) -> Any:
        if other is None or isinstance(other, (str, bytes)):
            return wrap(plain_method(plain(self), other))
        return fn(self, other)

    return equality


def _pow(self: Any, other: Any, mod: Any = None) -> Any:
    if mod is not None:
        return NotImplemented
    return COUNTED["power"](self, other)


# ``scalar ** number`` takes NumPy's scalar power, not the ufunc loop: the two may differ
# in the last bit, and a NumPy user's scalar code must give NumPy's scalar answer. Priced
# by the ``power`` row all the same (one element).
_scalar_power = make_counted(REGISTRY["power"].replace(impl=operator.pow))
_scalar_rpower = make_counted(REGISTRY["power"].replace(impl=lambda a, b: operator.pow(b, a)))
_NUMBERS = (int, float, complex, np.generic)


def _scalar_pow(self: Any, other: Any, mod: Any = None) -> Any:
    if mod is not None:
        return NotImplemented
    if isinstance(other, _NUMBERS):
        return _scalar_power(self, other)
    return COUNTED["power"](self, other)


def _scalar_rpow(self: Any, other: Any) -> Any:
    if isinstance(other, _NUMBERS):
        return _scalar_rpower(self, other)
    return COUNTED["power"](other, self)


def _divmod(self: Any, other: Any) -> Any:
    return COUNTED["divmod"](self, other)


def _rdivmod(self: Any, other: Any) -> Any:
    return COUNTED["divmod"](other, self)


def array_ufunc(self: Any, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
    """``__array_ufunc__``: NumPy's ufuncs on counted values go through the registry."""
    fn = UFUNCS.get(ufunc) or counted_ufunc(ufunc)
    if fn is None:
        raise UnsupportedFunctionError(
            f"ufunc {ufunc.__name__!r} is not in flopscope's registry, so it cannot run on "
            "counted arrays"
        )
    if method == "__call__":
        return fn(*inputs, **kwargs)
    return getattr(fn, method)(*inputs, **kwargs)


def array_function(self: Any, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
    """``__array_function__``: NumPy's functions on counted arrays go through the registry;
    one the registry does not know raises instead of running uncounted."""
    fn = HANDLED.get(func) or handled(func)
    if fn is None:
        raise UnsupportedFunctionError(pending_message(public_name(func)))
    return fn(*args, **kwargs)


#: NumPy's public modules, searched for the name a function is known by
_PUBLIC_MODULES = ("", "linalg", "fft", "random", "emath", "lib.stride_tricks", "ma", "polynomial")


def public_name(func: Any) -> str:
    """The name ``func`` has in NumPy's public API, without ``numpy.`` (``linalg.svd``,
    ``lib.stride_tricks.sliding_window_view``); its own module path if none is found."""
    short = getattr(func, "__name__", repr(func))
    for path in _PUBLIC_MODULES:
        module: Any = np
        for part in path.split(".") if path else ():
            module = getattr(module, part, None)
        if module is not None and getattr(module, short, None) is func:
            return f"{path}.{short}" if path else short
    module_name = getattr(func, "__module__", None) or "numpy"
    return f"{module_name.removeprefix('numpy.')}.{short}"


def _basic_index(key: Any) -> bool:
    """Whether ``key`` is basic indexing (ints, slices, None, Ellipsis): a view or one
    element, whose time is too small to be worth measuring."""
    t = type(key)
    if t is int or t is slice:
        return True
    if t is tuple:
        for k in key:
            tk = type(k)
            if not (tk is int or tk is slice or k is None or k is Ellipsis or tk in _NP_INTS):
                return False
        return True
    return key is None or key is Ellipsis or t in _NP_INTS


_NP_INTS = frozenset(
    t for t in set(np.sctypeDict.values()) if issubclass(t, np.integer)
) | frozenset(t for t in SCALAR_BASE if issubclass(t, np.integer))


def _getitem(self: Any, key: Any) -> Any:
    """Indexing is free. Basic indexing (a view, or one element) is not timed; indexing
    that copies (integer arrays, masks) books its time as flopscope's."""
    t = type(key)
    if t is int or t is slice or (t is not _ND and t is not list and _basic_index(key)):
        r = _ND.__getitem__(self, key)
        w = _wrapper_get(type(r))
        return r if w is None else w(r)
    if t in STAND_IN_TYPES or (t is tuple and not STAND_IN_TYPES.isdisjoint(map(type, key))):
        return stand_in_index(self, key)  # a dry run's stand-in in the index
    # _timed_method's body, inlined: a call frame is a quarter of what timing costs here
    t1 = _now()
    try:
        r = _ND.__getitem__(self, key)
    finally:
        t2 = _now()
    if type(r) is not _CA:
        w = _wrapper_get(type(r))
        if w is not None:
            r = w(r)
    free = (_active_get() or fallback_scope())[2]
    free.calls += 1
    free.backend_ns += t2 - t1
    free.overhead_ns += _now() - t2
    return r


def _setitem(self: Any, key: Any, value: Any) -> None:
    """Assignment is free. A scalar stored at a basic index is not timed; anything that
    copies an array's worth of data books its time as flopscope's."""
    tv = type(value)
    if (tv is float or tv is int or tv is bool or tv is complex) and _basic_index(key):
        _ND.__setitem__(self, key, value)
    elif tv in STAND_IN_TYPES or _stand_in_key(key):
        stand_in_assign(self, key, value)  # a dry run's stand-in: the values are unknown
    else:
        _timed_setitem(self, key, value)


def _stand_in_key(key: Any) -> bool:
    t = type(key)
    return t in STAND_IN_TYPES or (t is tuple and not STAND_IN_TYPES.isdisjoint(map(type, key)))


def _timed_method(name: str) -> Callable[..., Any]:
    """ndarray's own method ``name`` (free: copying, converting, rearranging data), its
    time booked as flopscope's."""
    method = getattr(_ND, name)

    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        t1 = _now()
        try:
            if kwargs:
                r = method(self, *args, **kwargs)
            elif not args:
                r = method(self)
            elif len(args) == 1:  # x.astype(dtype), x.reshape(shape), x.take(idx)
                r = method(self, args[0])
            else:
                r = method(self, *args)
        finally:
            t2 = _now()
        if type(r) is not _CA:  # a NumPy scalar gets its counted type
            w = _wrapper_get(type(r))
            if w is not None:
                r = w(r)
        # book_free(t1, t1, t2, now), inlined
        free = (_active_get() or fallback_scope())[2]
        free.calls += 1
        free.backend_ns += t2 - t1
        free.overhead_ns += _now() - t2
        return r

    timed.__name__ = timed.__qualname__ = name
    timed.__doc__ = method.__doc__
    if _hotpath is not None:  # its compiled form
        hot = _hotpath.HotUfunc(timed, method, name, None, mode=_hotpath.MODE_METHOD)
        hot.__name__ = hot.__qualname__ = name
        hot.__doc__ = method.__doc__
        return hot
    return timed


_timed_setitem = _timed_method("__setitem__")


def _blocked_method(name: str, why: str) -> property:
    message = f"numpy.ndarray.{name} is blocked in flopscope: {why}"

    def blocked(self: Any) -> Any:
        raise UnsupportedFunctionError(message)

    return property(blocked, doc=message)


def _iter(self: Any) -> Any:
    it = _ND.__iter__(self)
    if self.ndim > 1:
        return it
    return map(_wrap_scalar, it)


def _wrap_scalar(r: Any) -> Any:
    w = _wrapper_get(type(r))
    return r if w is None else w(r)


def install_array_protocol() -> None:
    """Put the counted operators and methods on the array and scalar types."""
    targets: list[type] = [_CA, *SCALAR_BASE]
    # one reflected form of each operator, put on every class
    reflected = {row: _reflected(COUNTED[row]) for row in _BINARY_OPERATORS.values()}
    for cls in targets:
        is_array = cls is _CA
        for dunder, row in _BINARY_OPERATORS.items():
            fn = COUNTED[row]
            if dunder == "pow" and is_array:
                setattr(cls, "__pow__", _pow)  # noqa: B010  (takes the modulo argument)
            elif dunder == "pow":  # a counted scalar
                setattr(cls, "__pow__", _scalar_pow)  # noqa: B010
                setattr(cls, "__rpow__", _scalar_rpow)  # noqa: B010
                continue
            else:
                setattr(cls, f"__{dunder}__", fn)
            setattr(cls, f"__r{dunder}__", reflected[row])
            if is_array:
                setattr(cls, f"__i{dunder}__", _in_place(fn))
        for dunder, row in _COMPARISONS.items():
            fn = COUNTED[row]
            setattr(cls, f"__{dunder}__", _equality(fn, dunder) if dunder in ("eq", "ne") else fn)
        for dunder, row in _UNARY_OPERATORS.items():
            setattr(cls, f"__{dunder}__", COUNTED[row])
        protocol: tuple[tuple[str, Callable[..., Any]], ...] = (
            ("__divmod__", _divmod),
            ("__rdivmod__", _rdivmod),
            ("__array_ufunc__", array_ufunc),
            ("__array_function__", array_function),
        )
        for dunder, impl in protocol:
            setattr(cls, dunder, impl)
    if not hasattr(_CA, "__hash__") or _CA.__hash__ is not None:
        _CA.__hash__ = None  # type: ignore[assignment]
    for method in ARRAY_METHODS:
        op = REGISTRY[method]
        canonical = REGISTRY[op.alias_of] if op.alias_of else op
        if method in IN_PLACE_OUTPUTS:  # ``a.sort()`` answers None, in a dry run too
            op = op.replace(output=IN_PLACE_OUTPUTS[method])
        as_method = (
            COUNTED[method] if canonical.is_ufunc else make_counted(op, getattr(_ND, method))
        )
        setattr(_CA, method, as_method)
        if method not in _ARRAY_ONLY_METHODS:
            for cls in SCALAR_BASE:  # counted scalars have the array methods too
                setattr(cls, method, COUNTED[method])
    for method in TIMED_METHODS:
        setattr(_CA, method, _timed_method(method))
    for method, why in BLOCKED_METHODS.items():
        setattr(_CA, method, _blocked_method(method, why))
    _CA.flat = property(  # type: ignore[assignment]
        lambda self: flatiter(_ND.flat.__get__(self)),
        lambda self, value: _ND.flat.__set__(self, value),  # type: ignore[attr-defined]
        doc="A flat iterator over the array, handing out counted scalars.",
    )
    _CA.__getitem__ = (  # type: ignore[method-assign]
        _getitem
        if _hotpath is None
        else _hotpath.HotUfunc(
            _getitem, _ND.__getitem__, "__getitem__", None, mode=_hotpath.MODE_GETITEM
        )
    )
    _CA.__setitem__ = _setitem  # type: ignore[method-assign]
    _CA.__iter__ = _iter  # type: ignore[method-assign]


install_array_protocol()
