"""The dry run: the cost of a program before running it.

``with flops.dry_run() as plan:`` runs a program's counted calls on *shape-only
stand-ins*: each call is priced, checked against the budget and recorded exactly as in a
real run, and then, instead of NumPy's arithmetic, the shape-only executor here hands
back :class:`ShapeOnlyArray` results - exact shapes and dtypes, no values, no memory
(a stand-in reads as zeros from memory that is never written: see ``_rules.outputs.unknown``).
``plan.flops_used`` equals the real run's for a program whose control flow does not
depend on values; reading a value back into Python (``float(x)``, ``if x > 0``,
``x.tolist()``) raises :class:`~flopscope.errors.DryRunValueError` naming the line.

How the dispatch reaches the executor without a test on its hot path: a dry run is a
budget (:class:`DryRun`) whose inner limit is -1, so every charge takes the over-budget
branch, where ``_budget.refusal`` asks the budget what to do. A real budget answers with
the ``BudgetExhaustedError`` to raise; a dry run books the charge against its own limit
and answers with a :class:`ShapeOnlyCall`, and the body that charged hands its call to
:func:`shape_only_result` (or, for the ufunc bodies, :func:`shape_only_ufunc`) instead of
running NumPy. Free rows meet stand-ins when unwrapping their arguments (``plain`` raises
:class:`StandInArgument` for them) and run on the stand-ins' plain views; the
creation functions that take only a shape (``zeros``, ``empty``, ``eye``, ...) ask the
active budget, as they are few.

What a dry run cannot do is documented in ``docs/dry_run.md``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from time import perf_counter_ns as _now
from typing import Any

import numpy as np

from ._budget import ACTIVE, BudgetContext, ShapeOnlyCall, fallback_scope, record, refund
from ._config import NO_LIMIT
from ._lines import user_line
from ._ndarray import ndarray as _CA
from ._rules.core import axis_tuple, broadcast_shape, shape_of
from ._rules.outputs import Computed, Out, is_unknown, outputs_of, reduced_shape, unknown
from .errors import BudgetExhaustedError, DryRunValueError

__all__ = [
    "DryRun",
    "ShapeOnlyArray",
    "ShapeOnlyCall",
    "StandInArgument",
    "dry_run",
    "shape_only_free",
    "shape_only_result",
    "shape_only_ufunc",
    "stand_in",
]

_ND = np.ndarray
_view = np.ndarray.view
#: a dry run without a budget counts everything (shown as "no limit")
_UNLIMITED = NO_LIMIT


class StandInArgument(DryRunValueError):
    """A shape-only stand-in reached a function that unwraps its arguments for NumPy
    (internal: the bodies that can take one catch it and answer shape-only)."""


# ---------------------------------------------------------------------- the budget
class DryRun(BudgetContext):
    """A budget that prices and records every counted call and runs none of them.

    ``flop_budget=None`` counts without a limit; with a limit, the call that would pass
    it raises :class:`BudgetExhaustedError`, as in the real run. Everything a budget
    offers (``flops_used``, ``summary()``, ``op_log``, ``by_line()``, ``to_json()``) is
    there. A dry run has no time limit: it does no work to time.
    """

    __slots__ = ("_dry_limit",)
    _shape_only = True

    def __init__(
        self,
        flop_budget: float | None = None,
        *,
        flop_multiplier: float = 1.0,
        namespace: str | None = None,
        quiet: bool = False,
        keep_log: bool = True,
        track_lines: bool = False,
    ) -> None:
        super().__init__(
            _UNLIMITED if flop_budget is None else flop_budget,
            flop_multiplier=flop_multiplier,
            namespace=namespace,
            quiet=quiet,
            keep_log=keep_log,
            track_lines=track_lines,
        )
        self._dry_limit = self._limit
        self._limit = -1  # every charge takes the branch that asks ``refusal``

    @property
    def flops_remaining(self) -> int:
        return self._dry_limit - self.flops_used

    def __call__(self, func: Any) -> Any:
        """As a decorator: each call of ``func`` is a dry run of its own with these
        settings; the latest is ``decorated.budget_context``."""
        limit = None if self._dry_limit == _UNLIMITED else self.flop_budget
        settings: dict[str, Any] = {
            "flop_multiplier": self.flop_multiplier,
            "namespace": self.namespace,
            "quiet": self.quiet,
            "keep_log": self._records.keep_log,
            "track_lines": self.track_lines,
        }

        @functools.wraps(func)
        def dry_run_of(*args: Any, **kwargs: Any) -> Any:
            plan = DryRun(limit, **settings)
            dry_run_of.budget_context = plan  # type: ignore[attr-defined]
            with plan:
                return func(*args, **kwargs)

        dry_run_of.budget_context = None  # type: ignore[attr-defined]
        return dry_run_of

    def _describe(self) -> str:
        if self._dry_limit == _UNLIMITED:
            return f"dry run: {self.flops_used:,} FLOPs"
        return f"dry run: used {self.flops_used:,} of {self.flop_budget:,} FLOPs"

    def __repr__(self) -> str:
        return f"<DryRun {self._describe()}>"

    def _reserve(self, name: str, cost: int, shared: bool) -> Exception:
        """Book ``cost`` against the dry run's own limit: the :class:`ShapeOnlyCall` to
        answer with, or the ``BudgetExhaustedError`` the real run would raise. ``shared``:
        the caller holds the records' lock and is not the owner thread."""
        if self._used + self._shared_used + cost > self._dry_limit:
            return BudgetExhaustedError(name, flop_cost=cost, flops_remaining=self.flops_remaining)
        if shared:
            self._shared_used += cost
        else:
            self._used += cost
        return ShapeOnlyCall(cost)


#: ``with flops.dry_run() as plan:`` - the program's counted calls priced and recorded on
#: shape-only stand-ins; ``plan.flops_used`` is what the real run would be charged (for
#: control flow that does not depend on values). The same arguments as :class:`DryRun`.
dry_run = DryRun


def in_dry_run() -> bool:
    return bool((ACTIVE.get() or fallback_scope())[0]._shape_only)


# ---------------------------------------------------------------------- the stand-in
def _where() -> str:
    filename, line = user_line(sys._getframe(2))
    return f"{filename}:{line}"


def _no_values(what: str, x: Any) -> DryRunValueError:
    return DryRunValueError(
        f"{what} needs the values of a shape-only stand-in (shape {x.shape}, dtype "
        f"{x.dtype}) at {_where()}: a dry run computes no values. A program whose control "
        "flow depends on values cannot be dry-run past this point"
    )


def _refuse(what: str) -> Callable[..., Any]:
    def refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise _no_values(what, self)

    refuse.__name__ = what
    return refuse


class ShapeOnlyArray(_CA):
    """A result of a dry run: its shape and dtype are exact; it has no values.

    Arithmetic on it is priced and gives stand-ins; views (indexing, ``.T``,
    ``reshape``) are stand-ins; writing into it is accepted and changes nothing. Reading
    a value back (``float``, ``int``, ``bool``, ``item``, ``tolist``, formatting with a
    spec) raises :class:`~flopscope.errors.DryRunValueError` naming the line, and so does
    computing on it outside the dry run that made it.
    """

    __module__ = "flopscope"

    def __repr__(self) -> str:
        return f"ShapeOnlyArray(shape={self.shape}, dtype={self.dtype})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if spec:
            raise _no_values(f"format(x, {spec!r})", self)
        return repr(self)

    __float__ = _refuse("float(x)")
    __int__ = _refuse("int(x)")
    __complex__ = _refuse("complex(x)")
    __index__ = _refuse("using x as an index")
    __bool__ = _refuse("the truth value of x (if, while, and, or)")
    item = _refuse("x.item()")
    tolist = _refuse("x.tolist()")
    tobytes = _refuse("x.tobytes()")
    tofile = _refuse("x.tofile()")
    __buffer__ = _refuse("the buffer of x")
    __dlpack__ = _refuse("x.__dlpack__()")

    def __reduce__(self) -> Any:
        return (stand_in, (self.shape, self.dtype.str))

    def __copy__(self) -> Any:
        return stand_in(self.shape, self.dtype)

    def __deepcopy__(self, memo: Any) -> Any:
        return stand_in(self.shape, self.dtype)

    def copy(self, order: Any = "C") -> ShapeOnlyArray:
        return stand_in(self.shape, self.dtype)

    def astype(self, dtype: Any, *args: Any, **kwargs: Any) -> ShapeOnlyArray:
        return stand_in(self.shape, np.dtype(dtype))

    def flatten(self, order: Any = "C") -> ShapeOnlyArray:
        return stand_in((self.size,), self.dtype)

    def ravel(self, order: Any = "C") -> ShapeOnlyArray:
        return stand_in((self.size,), self.dtype)

    def byteswap(self, inplace: bool = False) -> ShapeOnlyArray:
        return self if inplace else stand_in(self.shape, self.dtype)

    def fill(self, value: Any) -> None:
        return None  # the values stay unknown

    def __iter__(self) -> Any:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self.shape[0]))

    def __getitem__(self, key: Any) -> Any:
        return _as_stand_in(_ND.__getitem__(_view(self, _ND), _index_key(key)))

    def __setitem__(self, key: Any, value: Any) -> None:
        # NumPy's checks (bounds, broadcasting) on the plain view; nothing written
        target = _ND.__getitem__(_view(self, _ND), _index_key(key))
        np.broadcast_shapes(np.shape(target), shape_of(_plain_value(value)))

    def take(self, indices: Any, axis: Any = None, out: Any = None, mode: str = "raise") -> Any:
        r = _ND.take(_view(self, _ND), _plain_value(indices), axis=axis, mode=mode)  # type: ignore[call-overload]
        return _written(out) if out is not None else _as_stand_in(r)

    def put(self, indices: Any, values: Any, mode: str = "raise") -> None:
        return None

    def repeat(self, repeats: Any, axis: Any = None) -> Any:
        from ._rules.outputs import values_of

        counts = values_of(_plain_value(repeats), "the shape of repeat's result")
        probe = _ND.repeat(np.zeros(self.shape, np.bool_), counts, axis)
        return stand_in(probe.shape, self.dtype)

    def compress(self, condition: Any, axis: Any = None, out: Any = None) -> Any:
        from ._rules.outputs import values_of

        values_of(_plain_value(condition), "the shape of compress's result")
        r = _ND.compress(_view(self, _ND), _plain_value(condition), axis)
        return _written(out) if out is not None else _as_stand_in(r)


#: the stand-in types (the symmetric tensor module adds its symmetric stand-in)
STAND_IN_TYPES: set[type] = {ShapeOnlyArray}


def stand_in(shape: Any, dtype: Any) -> ShapeOnlyArray:
    """A shape-only stand-in of ``shape`` and ``dtype`` (no memory, no values)."""
    return _view(unknown(tuple(shape), dtype), ShapeOnlyArray)


def _as_stand_in(r: Any) -> Any:
    """A result computed on stand-ins' plain views, as stand-ins: a view of one
    stays a view (no memory); a copy is replaced by a fresh stand-in; a NumPy scalar read
    out of one becomes a 0-d stand-in."""
    if isinstance(r, _ND):
        if is_unknown(r):
            return _view(r, ShapeOnlyArray)
        return stand_in(r.shape, r.dtype)
    if isinstance(r, np.generic):
        return stand_in((), r.dtype)
    if type(r) is tuple or type(r) is list:
        return type(r)(map(_as_stand_in, r))
    return r


def _plain_value(x: Any) -> Any:
    """The plain view of a stand-in; anything else unchanged."""
    if type(x) in STAND_IN_TYPES:
        return _view(x, _ND)
    if type(x) is list or type(x) is tuple:
        return type(x)(map(_plain_value, x))
    return x


def _index_key(key: Any) -> Any:
    """An index with stand-ins in it: integer ones index their plain views (the
    shape of the result is exact; bounds cannot be checked); a boolean one is refused,
    as the size of its result depends on its values."""
    if type(key) is tuple:
        return tuple(map(_index_key, key))
    if type(key) in STAND_IN_TYPES:
        if key.dtype == np.bool_:
            raise DryRunValueError(
                f"indexing with a boolean stand-in at {_where()}: the size of the result "
                "depends on the mask's values, which a dry run does not compute"
            )
        return _view(key, _ND)
    return key


def _written(target: Any) -> Any:
    """A caller's array that a dry run's call writes into: its new values are unknown.
    A counted array of the caller's becomes a stand-in in place (its type changes, so
    that reading it raises); a plain NumPy array cannot, and is refused."""
    if type(target) is tuple:
        return tuple(_written(t) for t in target)
    if target is None or type(target) in STAND_IN_TYPES:
        return target
    if isinstance(target, _CA) and type(target) is _CA:
        target.__class__ = ShapeOnlyArray
        return target
    raise DryRunValueError(
        f"a dry run cannot write into a {type(target).__name__} at {_where()}: its values "
        "would be unknown, and only flopscope's arrays can say so (create the array with "
        "flopscope.numpy)"
    )


def stand_in_index(array: Any, key: Any) -> Any:
    """``array[key]`` for an index holding stand-ins: a stand-in of the result's shape (in
    its dry run; the error outside one)."""
    for k in key if type(key) is tuple else (key,):
        if type(k) in STAND_IN_TYPES:
            stand_in_plain(k)
    return _as_stand_in(_ND.__getitem__(_view(array, _ND), _index_key(key)))


def stand_in_assign(array: Any, key: Any, value: Any) -> None:
    """``array[key] = value`` with a stand-in in the index or the value: NumPy's shape
    checks, then ``array``'s values are unknown (it becomes a stand-in)."""
    for k in (*(key if type(key) is tuple else (key,)), value):
        if type(k) in STAND_IN_TYPES:
            stand_in_plain(k)
    target = _ND.__getitem__(_view(array, _ND), _index_key(key))
    np.broadcast_to(np.empty(shape_of(_plain_value(value)), np.bool_), np.shape(target))
    _written(array)


def stand_in_plain(x: ShapeOnlyArray) -> np.ndarray:
    """The plain view of a stand-in for a counted body, inside a dry run; outside
    one, the error that it has no values."""
    if not in_dry_run():
        raise DryRunValueError(
            f"a shape-only stand-in (shape {x.shape}, dtype {x.dtype}) was used at "
            f"{_where()}, outside the dry run that made it: it has no values to compute on"
        )
    return _view(x, _ND)


# ---------------------------------------------------------------------- the executor
#: (op name, argument signature) -> the result's dtypes and its kind of tuple
_PROBES: dict[Any, Any] = {}


def _signature(x: Any) -> Any:
    if isinstance(x, _ND):
        return (x.dtype, x.ndim)
    if type(x) is list or type(x) is tuple:
        return (type(x), tuple(map(_signature, x)))
    if isinstance(x, np.generic):
        return (type(x),)
    return x if x is None or type(x) in (int, float, bool, complex, str) else (type(x),)


def _one_element(x: Any) -> Any:
    """``x`` with every array replaced by a one-element array of its dtype and rank."""
    if isinstance(x, _ND):
        return np.ones((1,) * x.ndim, x.dtype)
    if type(x) is list or type(x) is tuple:
        if any(isinstance(e, (_ND, list, tuple)) for e in x):
            return type(x)(map(_one_element, x))
    return x


def _leaves(r: Any) -> list[Any]:
    if type(r) is tuple or type(r) is list or (isinstance(r, tuple) and hasattr(r, "_make")):
        out: list[Any] = []
        for e in r:
            out.extend(_leaves(e))
        return out
    return [r]


def _probe(name: str, call: Callable[..., Any], args: tuple, kwargs: dict) -> tuple:
    """(dtypes of the result's arrays in order, the result's tuple type or None), from the
    call run once on one-element arrays of the same dtypes and ranks."""
    kwargs = {k: v for k, v in kwargs.items() if k != "out"}
    try:
        key: Any = (
            name,
            _signature(args),
            tuple(sorted((k, _signature(v)) for k, v in kwargs.items())),
        )
        hash(key)
    except TypeError:
        key = None
    found = _PROBES.get(key) if key is not None else None
    if found is not None:
        return found
    # What NumPy refuses here (a ufunc given a type it has no loop for) it refuses for
    # the real call too: the error is NumPy's own.
    with np.errstate(all="ignore"):
        r = call(*_one_element(args), **{k: _one_element(v) for k, v in kwargs.items()})
    leaves = _leaves(r)
    dtypes = tuple(np.asarray(leaf).dtype if leaf is not None else None for leaf in leaves)
    kind = type(r) if isinstance(r, tuple) else None
    found = (dtypes, kind)
    if key is not None:
        _PROBES[key] = found
    return found


def _build(
    template: Any, name: str, call: Callable[..., Any] | None, args: tuple, kwargs: dict
) -> Any:
    """Stand-ins for an output rule's template (an Out or a tuple of them)."""
    if isinstance(template, Computed):
        return template.value
    outs = [template] if isinstance(template, Out) else list(template)
    # a template in NumPy's named tuple (EigResult of Outs) keeps it without a probe
    kind: Any = (
        None if isinstance(template, Out) or not hasattr(template, "_make") else type(template)
    )
    dtypes: tuple = tuple(o.dtype for o in outs)
    if any(d is None for d in dtypes):
        if call is None:
            raise DryRunValueError(f"{name}: a dry run cannot tell the type of its result")
        probed, kind = _probe(name, call, args, kwargs)
        if len(probed) != len(outs):
            raise DryRunValueError(
                f"{name}: its output rule gives {len(outs)} results, NumPy {len(probed)}"
            )
        dtypes = tuple(d if d is not None else p for d, p in zip(dtypes, probed))
    results = [stand_in(o.shape, d) for o, d in zip(outs, dtypes)]
    if isinstance(template, Out):
        return results[0]
    if kind is not None and hasattr(kind, "_make"):
        return kind._make(results)
    return tuple(results) if not isinstance(template, list) else results


def _answered(budget: Any, key: int, cost: int, t0: int, answer: Callable[[], Any]) -> Any:
    """``answer()`` (a dry run's stand-ins for a call charged ``cost``, already booked),
    then the call's record under ``key``; the charge is refunded if it raises."""
    try:
        r = answer()
    except BaseException:
        refund(budget, cost)
        raise
    t2 = _now()
    record(budget, key, cost, t0, t2, t2, t2, None)  # no NumPy ran: all flopscope's time
    return r


def shape_only_result(
    budget: Any,
    op: Any,
    key: int,
    cost: int,
    t0: int,
    args: tuple,
    kwargs: dict,
    out: Any = None,
    call: Callable[..., Any] | None = None,
    output: Callable[..., Any] | None = None,
) -> Any:
    """The answer of a counted call in a dry run: its result's stand-ins, recorded at
    ``cost`` (already booked) under ``key``. ``args``/``kwargs`` are what the cost rule
    saw; ``call`` runs the call's NumPy function (for the dtype probe); ``out`` is the
    caller's ``out=`` object, returned with its values unknown."""

    def answer() -> Any:
        rule = output or op.output
        if rule is None:
            hint = "" if hasattr(op, "category") else " (register it with output=...)"
            raise DryRunValueError(
                f"{op.name} has no output rule, so a dry run cannot tell what it returns{hint}"
            )
        if out is not None:
            rule(args, kwargs)  # the shape checks NumPy would make
            return _written(out)
        template = rule(args, kwargs)
        arrays = [a for a in args if isinstance(a, _ND)]
        if call is not None and arrays and all(a.size == 0 for a in arrays):
            # every array is empty: NumPy has nothing to compute, and running it gives its
            # exact answer (or its refusal: a maximum of nothing)
            if not op.name.startswith("random."):  # a draw of nothing may still draw
                template = outputs_of(call(*args, **kwargs))
        return _build(template, op.name, call, args, kwargs)

    return _answered(budget, key, cost, t0, answer)


def _ufunc_shapes(uf: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> tuple:
    """The shape of a ufunc call's (or method's) results."""
    shapes = [shape_of(i) for i in inputs]
    if method == "__call__":
        out = kwargs.get("out")
        outs = out if type(out) is tuple else (out,)
        return broadcast_shape(*shapes, *(o.shape for o in outs if o is not None))
    if method == "outer":
        return tuple(shapes[0]) + tuple(shapes[1])
    if method == "accumulate":
        axis_tuple(kwargs.get("axis", inputs[1] if len(inputs) > 1 else 0), len(shapes[0]))
        return shapes[0]
    if method == "reduceat":
        axis = kwargs.get("axis", inputs[2] if len(inputs) > 2 else 0)
        (ax,) = axis_tuple(axis, len(shapes[0]))
        n = len(np.atleast_1d(inputs[1]))
        return tuple(n if i == ax else d for i, d in enumerate(shapes[0]))
    # reduce
    axis = kwargs.get("axis", inputs[1] if len(inputs) > 1 else 0)
    return reduced_shape(shapes[0], axis, bool(kwargs.get("keepdims", False)))


def shape_only_ufunc(
    budget: Any,
    op: Any,
    method: str,
    key: int,
    cost: int,
    t0: int,
    inputs: tuple,
    kwargs: dict,
    out: Any = None,
) -> Any:
    """A ufunc call (or method) in a dry run: the broadcast (or reduced) shape, the dtype
    NumPy's type resolution gives. ``out``: the caller's ``out=`` object(s)."""
    uf: np.ufunc = op.impl
    if op.category == "counted_custom" and method == "__call__":  # the matmul family
        return shape_only_result(budget, op, key, cost, t0, inputs, kwargs, out, uf)

    def answer() -> Any:
        if method == "at":
            _written(inputs[0])
            return None
        shape = _ufunc_shapes(uf, method, inputs, kwargs)
        if out is not None:
            return _written(out)
        keywords = {
            k: v
            for k, v in kwargs.items()
            if k in ("dtype", "casting", "signature", "axis", "keepdims")
            or (method == "__call__" and k != "where")
        }
        name = op.name if method == "__call__" else f"{op.name}.{method}"
        probed = inputs if method == "__call__" else inputs[:1]
        dtypes, _ = _probe(name, getattr(uf, method), probed, keywords)
        results = [stand_in(shape, d) for d in dtypes]
        return results[0] if len(results) == 1 else tuple(results)

    return _answered(budget, key, cost, t0, answer)


# ---------------------------------------------------------------------- free rows
def shape_only_free(op: Any, impl: Any, args: tuple, kwargs: dict, raw: bool = False) -> Any:
    """A free row called with stand-ins (or, in a dry run, a creation function that takes
    only a shape): run on the stand-ins' plain views, the results as stand-ins.
    Rows that write into an argument leave it with unknown values."""
    from ._dispatch import WRITE_INTO_FIRST, plain

    if not in_dry_run():
        stand_in_plain(_first_stand_in(args, kwargs))  # raises: used outside its dry run
    rule = FREE_OUTPUTS.get(op.name)
    _refuse_value_arguments(op, args, kwargs)
    pargs = tuple(plain(_plain_value(a)) for a in args)
    pkwargs = {k: plain(_plain_value(v)) for k, v in kwargs.items()}
    if op.name in WRITE_INTO_FIRST:
        _written(args[0])
        return None
    out = kwargs.get("out")
    if rule is not None:
        template = rule(pargs, pkwargs)
        if out is not None:
            return _written(out)
        return _build(template, op.name, None, pargs, pkwargs)
    pkwargs.pop("out", None)
    r = impl(*pargs, **pkwargs)
    if out is not None:
        return _written(out)
    if raw and isinstance(r, _ND) and is_unknown(r):  # a view, for the caller to type
        return r
    return _as_stand_in(r)


def shape_only_callbacks(
    op: Any, impl: Any, args: tuple, kwargs: dict, callbacks: tuple[int, ...]
) -> Any:
    """A free row that calls back into user code (``apply_along_axis``, ``piecewise``),
    given stand-ins: NumPy runs its loop on their plain views, each call back is given
    stand-ins (so the user's counted calls are priced as in a real run) and its result
    is read as zeros; the row's result is a stand-in."""
    from ._dispatch import plain

    _refuse_value_arguments(op, args, kwargs)
    if not in_dry_run():
        stand_in_plain(_first_stand_in(args, kwargs))  # raises: used outside its dry run

    def called_back(fn: Any) -> Any:
        if not callable(fn):
            return fn

        def callback(*a: Any, **k: Any) -> Any:
            return _plain_value(plain_or_view(fn(*map(_as_stand_in, a), **k)))

        return callback

    replaced = list(args)
    for pos in callbacks:
        if pos < len(replaced):
            arg = replaced[pos]
            is_list = isinstance(arg, (list, tuple))
            replaced[pos] = type(arg)(map(called_back, arg)) if is_list else called_back(arg)
    pargs = tuple(plain(_plain_value(a)) for a in replaced)
    pkwargs = {k: plain(_plain_value(v)) for k, v in kwargs.items()}
    return _as_stand_in(impl(*pargs, **pkwargs))


def plain_or_view(x: Any) -> Any:
    """A callback's result for NumPy: a stand-in's plain view, a counted array's plain
    array, anything else as it is."""
    if type(x) in STAND_IN_TYPES:
        return _view(x, _ND)
    if isinstance(x, _CA):
        return _view(x, _ND)
    return x


def _refuse_value_arguments(op: Any, args: tuple, kwargs: dict) -> None:
    """``DryRunValueError`` when a stand-in is given where the row's result shape depends
    on the values (:data:`FREE_VALUE_ARGS`)."""
    needs_values = FREE_VALUE_ARGS.get(op.name)
    if needs_values is None:
        return
    pos, key = needs_values
    given: Any = args[pos] if len(args) > pos else kwargs.get(key)
    if type(given) in STAND_IN_TYPES or (
        isinstance(given, (list, tuple)) and not STAND_IN_TYPES.isdisjoint(map(type, given))
    ):
        raise DryRunValueError(
            f"{op.name}'s result depends on the values of its {key!r} at {_where()}, "
            "which a dry run does not compute"
        )


def _first_stand_in(args: tuple, kwargs: dict) -> Any:
    for a in (*args, *kwargs.values()):
        if type(a) in STAND_IN_TYPES:
            return a
        if type(a) is list or type(a) is tuple:
            for e in a:
                if type(e) in STAND_IN_TYPES:
                    return e
    return stand_in((), np.float64)


def _shape_arg(args: tuple, kwargs: dict, name: str = "shape") -> tuple:
    s = args[0] if args else kwargs[name]
    return (int(s),) if np.ndim(s) == 0 else tuple(int(n) for n in s)


def _dtype_arg(args: tuple, kwargs: dict, pos: int, default: Any = np.float64) -> Any:
    d = args[pos] if len(args) > pos else kwargs.get("dtype")
    return np.dtype(default if d is None else d)


def _like(args: tuple, kwargs: dict, dtype_pos: int = 1) -> Out:
    proto = args[0] if args else kwargs["a"]
    shape = kwargs.get("shape") or shape_of(proto)
    d = args[dtype_pos] if len(args) > dtype_pos else kwargs.get("dtype")
    return Out(
        tuple(shape) if not isinstance(shape, int) else (shape,),
        np.dtype(d) if d is not None else np.asarray(proto).dtype,
    )


def _eye(args: tuple, kwargs: dict) -> Out:
    n = int(args[0] if args else kwargs["N"])
    m = args[1] if len(args) > 1 else kwargs.get("M")
    return Out((n, n if m is None else int(m)), _dtype_arg(args, kwargs, 3))


def _concatenate(args: tuple, kwargs: dict) -> Out:
    arrays = args[0]
    axis = args[1] if len(args) > 1 else kwargs.get("axis", 0)
    shapes = [shape_of(a) for a in arrays]
    if axis is None:
        shape: tuple = (sum(int(np.prod(s)) for s in shapes),)
    else:
        (ax,) = axis_tuple(axis, len(shapes[0]))
        first = list(shapes[0])
        first[ax] = sum(s[ax] for s in shapes)
        shape = tuple(first)
    dtype = kwargs.get("dtype")
    return Out(shape, np.dtype(dtype) if dtype is not None else np.result_type(*arrays))


def _joined(pieces: Any, axis: Any) -> Any:
    """A join of ``pieces`` (views made from the arguments: no memory) along ``axis``."""

    def output(args: tuple, kwargs: dict) -> Out:
        arrays = [np.asarray(a) for a in (args[0] if args else kwargs["arrays"])]
        views = pieces(arrays)
        ax = axis(arrays) if callable(axis) else kwargs.get("axis", args[1] if len(args) > 1 else 0)
        return _concatenate((views, ax), {"dtype": kwargs.get("dtype")})

    return output


def _copied(args: tuple, kwargs: dict) -> Out:
    x = np.asarray(args[0] if args else kwargs["a"])
    dtype = kwargs.get("dtype", args[1] if len(args) > 1 else None)
    shape = (1,) * max(0, int(kwargs.get("ndmin", 0)) - x.ndim) + x.shape
    return Out(shape, x.dtype if dtype is None else np.dtype(dtype))


def _tiled(args: tuple, kwargs: dict) -> Out:
    x = np.asarray(args[0] if args else kwargs["A"])
    reps = args[1] if len(args) > 1 else kwargs["reps"]
    reps = (int(reps),) if np.ndim(reps) == 0 else tuple(int(r) for r in reps)
    n = max(len(reps), x.ndim)
    shape = (1,) * (n - x.ndim) + x.shape
    reps = (1,) * (n - len(reps)) + reps
    return Out(tuple(d * r for d, r in zip(shape, reps)), x.dtype)


#: free rows whose stand-in results are shaped here, so that no memory is taken for
#: them (the creation functions that take only a shape, the joins and the copies)
FREE_OUTPUTS: dict[str, Callable[[tuple, dict], Any]] = {
    "empty": lambda a, k: Out(_shape_arg(a, k), _dtype_arg(a, k, 1)),
    "zeros": lambda a, k: Out(_shape_arg(a, k), _dtype_arg(a, k, 1)),
    "ones": lambda a, k: Out(_shape_arg(a, k), _dtype_arg(a, k, 1)),
    "full": lambda a, k: Out(
        _shape_arg(a, k),
        _dtype_arg(a, k, 2, np.asarray(a[1] if len(a) > 1 else k["fill_value"]).dtype),
    ),
    "empty_like": _like,
    "zeros_like": _like,
    "ones_like": _like,
    "full_like": lambda a, k: _like(a, k, 2),
    "eye": _eye,
    "identity": lambda a, k: Out((int(a[0]),) * 2, _dtype_arg(a, k, 1)),
    "concatenate": _concatenate,
    "stack": lambda a, k: _joined(
        lambda xs: [np.expand_dims(x, k.get("axis", a[1] if len(a) > 1 else 0)) for x in xs],
        lambda xs: k.get("axis", a[1] if len(a) > 1 else 0),
    )(a, k),
    "vstack": _joined(lambda xs: [np.atleast_2d(x) for x in xs], lambda xs: 0),
    "row_stack": _joined(lambda xs: [np.atleast_2d(x) for x in xs], lambda xs: 0),
    "hstack": _joined(
        lambda xs: [np.atleast_1d(x) for x in xs],
        lambda xs: 0 if np.atleast_1d(xs[0]).ndim == 1 else 1,
    ),
    "dstack": _joined(lambda xs: [np.atleast_3d(x) for x in xs], lambda xs: 2),
    "column_stack": _joined(
        lambda xs: [x.reshape(-1, 1) if x.ndim < 2 else x for x in xs], lambda xs: 1
    ),
    "copy": _copied,
    "array": _copied,
    "asfortranarray": _copied,
    "tile": _tiled,
}

#: free rows whose result's shape depends on the values of an argument (position,
#: keyword): a stand-in there is refused
FREE_VALUE_ARGS: dict[str, tuple[int, str]] = {
    "repeat": (1, "repeats"),
    "extract": (0, "condition"),
    "compress": (0, "condition"),
    "delete": (1, "obj"),
    "insert": (1, "obj"),
    "split": (1, "indices_or_sections"),
    "array_split": (1, "indices_or_sections"),
    "poly1d": (0, "c_or_r"),  # its leading zeros are trimmed
    "piecewise": (1, "condlist"),  # which elements each function is given
    "from_dlpack": (0, "x"),  # reads the memory of its argument
    "array2string": (0, "a"),  # the text of its values
    "array_repr": (0, "arr"),
    "array_str": (0, "a"),
}

#: the free rows that make a stand-in in a dry run although no argument is one
SHAPE_ONLY_CREATION = frozenset(
    "empty zeros ones full empty_like zeros_like ones_like full_like eye identity".split()
)
