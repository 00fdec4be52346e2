"""Counted operations of the user's own: a compiled kernel, a SciPy call, any function.

``register(fn, cost=rule, name=...)`` (or the decorator ``@counted(cost=rule)``) gives
``fn`` the life of a registry row: each call prices ``rule(*args, **kwargs)`` before
``fn`` runs, charges it to the active budget through the same path as NumPy's rows, and
records it under ``name``::

    charged = rule(*args, **kwargs) * flop_multiplier * weight(name)

``weight(name)`` is 1.0 unless the loaded weights table names the operation. Over budget
the call raises ``BudgetExhaustedError`` and ``fn`` does not run; if ``fn`` raises, the
charge is refunded. The result is wrapped as flopscope results are (a NumPy array comes
back a counted array).

Both the rule and ``fn`` receive the call's arguments with counted arrays unwrapped to
plain NumPy arrays (``np.shape(a)`` reads a shape), so NumPy or SciPy code inside ``fn``
runs uncounted: the rule is the price of all the work ``fn`` does with them. Counted
calls ``fn`` makes itself (``fnp.sum(...)``, arithmetic on counted arrays it builds) are
charged and recorded as well, on top of the rule: a rule prices what flopscope cannot
see, and every counted call pays for itself. Their time is theirs: ``fn``'s backend time
leaves it out, so the time fields still add up. (It stays in where it cannot be told
apart: for a call made in a thread other than the one that opened the budget, and, with
``keep_log=False``, for a call during which the record buffer filled and was reused.)

User operations live in their own table (:data:`USER_OPS`), apart from the registry of
NumPy's names that the namespaces, ``python -m flopscope ops`` and the catalog are built
from. A name is registered once: a second registration of it, and a name flopscope
already charges under (a registry row such as ``"matmul"``, ``"symmetrize"``), are
refused.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from threading import get_ident
from time import perf_counter_ns as _now
from typing import Any, TypeVar

import numpy as np

from ._budget import ACTIVE, ShapeOnlyCall, charge, fallback_scope, late, record, refund
from ._config import SETTINGS
from ._dispatch import (
    _inspect_args,
    _plain_kwargs,
    _refuse_read_only,
    plain,
    stand_in_arguments,
    wrap,
)
from ._dry_run import StandInArgument, shape_only_result
from ._records import (
    FIELDS,
    FREE_OP_ID,
    RECORD_BYTES,
    BudgetRecords,
    intern_key,
    intern_name,
    op_name,
)
from ._registry import REGISTRY
from ._rules.outputs import Out

__all__ = ["USER_OPS", "counted", "register"]

_F = TypeVar("_F", bound=Callable[..., Any])

#: name -> the counted callable registered under it
USER_OPS: dict[str, Callable[..., Any]] = {}
_REGISTER_LOCK = threading.Lock()

#: names flopscope charges outside the registry (symmetric tensors' checks and
#: projection, the free calls' time): a user operation may not record under them
_OWN_NAMES = frozenset({"as_symmetric", "is_symmetric", "symmetrize", op_name(FREE_OP_ID)})


def _validated_cost(name: str, value: Any) -> int:
    """``value`` as a FLOP count: a non-negative integer (TypeError / ValueError)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"the cost of {name!r} must be a non-negative int, got {value!r} "
            f"({type(value).__name__})"
        )
    value = int(value)
    if value < 0:
        raise ValueError(f"the cost of {name!r} must be a non-negative int, got {value}")
    return value


def _cost_rule(name: str, cost: Any) -> Callable[[tuple, dict], int]:
    """The registry-style rule ``(plain args, plain kwargs) -> FLOPs`` for ``cost``: a
    callable taking the call's arguments, or a fixed count."""
    if callable(cost):

        def rule(args: tuple, kwargs: dict) -> int:
            return _validated_cost(name, cost(*args, **kwargs))

    else:
        fixed = _validated_cost(name, cost)

        def rule(args: tuple, kwargs: dict) -> int:
            return fixed

    return rule


def _free_ns(records: BudgetRecords) -> int:
    total = 0
    for t in list(records.free.values()):
        total += t.backend_ns + t.overhead_ns
    return total


def _inner_ns(records: BudgetRecords, mark: tuple) -> int:
    """The time booked since ``mark`` (``(buffer, folded records, offset, free time)``
    of the owner's buffer) by counted and free calls the owner thread made: those calls
    record their own time, which a user operation's backend time must leave out."""
    data, folded, offset, free = mark
    own = records.own
    inner = _free_ns(records) - free
    if own.data is data and own.folded_records == folded:
        if own.offset == offset:  # no counted call inside (a kernel's usual case)
            return inner
        count = (own.offset - offset) // 8
        rows = np.frombuffer(data, dtype=np.int64, count=count, offset=offset)
    elif own.keep_log:  # the buffer filled and was kept: the rows from the mark on
        with records.lock:
            _, logged = own.logged_rows()
        rows = logged[folded + offset // RECORD_BYTES :].reshape(-1)
    else:  # filled and reused: the rows are folded into totals, their time is not known
        return inner
    rows = rows.reshape(-1, FIELDS)
    return inner + int((rows[:, 5] - rows[:, 2]).sum())


class _UserRow:
    """What the dry run's executor reads of a row, for a user operation."""

    __slots__ = ("name", "output")

    def __init__(self, name: str, output: Callable[[tuple, dict], Any] | None) -> None:
        self.name = name
        self.output = output


def _output_rule(name: str, output: Any) -> Callable[[tuple, dict], Any] | None:
    """The user's ``output`` (a function of the call's arguments returning a shape, a
    ``(shape, dtype)`` pair, or a tuple of those) as an output rule."""
    if output is None:
        return None
    if not callable(output):
        raise TypeError(f"output= of {name!r} must be a function of the call's arguments")

    def leaf(spec: Any) -> Out:
        if len(spec) == 2 and isinstance(spec[0], tuple):
            return Out(tuple(int(n) for n in spec[0]), np.dtype(spec[1]))
        return Out(tuple(int(n) for n in spec))

    def rule(args: tuple, kwargs: dict) -> Any:
        spec = output(*args, **kwargs)
        if isinstance(spec, list):
            return tuple(leaf(s) for s in spec)
        return leaf(spec)

    return rule


def _counted_body(
    name: str,
    fn: Callable[..., Any],
    rule: Callable[[tuple, dict], int],
    output: Callable[[tuple, dict], Any] | None = None,
) -> Any:
    """The counted callable of a user operation: the registry rows' generic body (price,
    charge, run on plain values, refund on failure, wrap, record), less what only NumPy's
    rows need (symmetric pricing), plus one thing theirs need not: counted calls the
    function makes itself record their own time, which is left out of its backend time,
    so that the time fields still add up (``wall = backend + overhead + residual``)."""
    op_id = intern_name(name)
    keys: dict = {}
    row = _UserRow(name, output)

    def counted(*args: Any, **kwargs: Any) -> Any:
        t0 = _now()
        try:
            pargs = tuple(map(plain, args))
            out, pkwargs = _plain_kwargs(kwargs) if kwargs else (None, kwargs)
        except StandInArgument:  # a dry run's stand-ins: their plain views
            pargs, out, pkwargs = stand_in_arguments(args, kwargs)
        if out is not None:
            _refuse_read_only(pkwargs["out"], name)
        shapes = _inspect_args(pargs, name)
        work = rule(pargs, pkwargs)
        budget, ns, _ = ACTIVE.get() or fallback_scope()
        k = (ns, shapes)
        key = keys.get(k)
        if key is None:
            key = keys[k] = intern_key(op_id, ns, shapes)
        try:
            cost = charge(budget, name, work, t0)
        except ShapeOnlyCall as call:  # a dry run: its output rule instead of fn
            return shape_only_result(budget, row, key, call.cost, t0, pargs, pkwargs, out, fn)
        records = budget._records
        # a thread other than the budget's writes into a buffer other threads share:
        # there its inner calls cannot be told apart, and its time is left whole
        own = records.own if get_ident() == records.thread else None
        if own is not None:
            mark = (own.data, own.folded_records, own.offset, _free_ns(records))
        t1 = _now()
        try:
            r = fn(*pargs, **pkwargs)
        except BaseException:
            refund(budget, cost)
            raise
        t2 = _now()
        inner = min(max(_inner_ns(records, mark), 0), t2 - t1) if own is not None else 0
        r = out if out is not None and r is pkwargs.get("out") else wrap(r)
        t3 = _now()
        if SETTINGS.instrumented:
            # the checks' path stamps the record's end itself: the inner time comes off
            # the start instead (the record's start offset moves, its durations are right)
            record(budget, key, cost, t0 + inner, t1 + inner, t2, t3, r)
        else:
            record(budget, key, cost, t0, t1, t2 - inner, t3 - inner, r)
        if t3 > budget._deadline:
            raise late(budget, name, t3)
        return r

    return counted


def _formula(cost: Any) -> str:
    """How the docstring states the cost: a fixed count, or the rule's docstring's first
    paragraph (its name where it has none)."""
    if not callable(cost):
        return f"{int(cost):,} per call"
    doc = (getattr(cost, "__doc__", None) or "").strip().split("\n\n")[0]
    if doc:
        return " ".join(doc.split())
    label = getattr(cost, "__qualname__", None) or type(cost).__name__
    return f"{label}(arguments)"


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError(f"an operation name must be a non-empty string, got {name!r}")
    if name in REGISTRY or name in _OWN_NAMES:
        raise ValueError(
            f"{name!r} is an operation flopscope already counts; register the function "
            "under another name (name=...)"
        )
    return name


def register(
    fn: Callable[..., Any], *, cost: Any, name: str | None = None, output: Any = None
) -> Callable[..., Any]:
    """Make ``fn`` a counted operation named ``name`` (default ``fn.__name__``; a lambda
    needs one) and return the counted callable.

    ``cost``: a function called with the same arguments as ``fn`` (counted arrays as plain
    NumPy arrays) returning the analytical FLOPs of the call, a non-negative int; or a
    fixed non-negative int. Each call charges
    ``cost(*args, **kwargs) * flop_multiplier * weight(name)`` before ``fn`` runs:
    ``BudgetExhaustedError`` over budget (``fn`` does not run), a refund if ``fn`` raises,
    ``TypeError`` / ``ValueError`` before anything is charged if the cost is not a
    non-negative int. Records and summaries show the calls under ``name``.

    A name already registered, or one flopscope counts itself (``"matmul"``), raises
    ``ValueError``.

    ``output`` (for :func:`flopscope.dry_run`): a function called with the same arguments
    returning what the call returns, as a shape (a tuple of ints), a ``(shape, dtype)``
    pair, or a list of those for several results; a dry run hands back stand-ins of them
    instead of running ``fn`` (a shape without a dtype: ``fn`` is run once on
    one-element arrays to learn it). Without it, a dry run refuses the call.
    """
    if not callable(fn):
        raise TypeError(f"register takes a callable, got {type(fn).__name__}")
    if name is None:
        name = getattr(fn, "__name__", None)
        if not isinstance(name, str) or name == "<lambda>":
            raise ValueError(f"{fn!r} has no name to record its calls under: pass name=...")
    name = _check_name(name)
    rule = _cost_rule(name, cost)
    wrapper = _counted_body(name, fn, rule, _output_rule(name, output))
    functools.update_wrapper(wrapper, fn)
    line = f"flopscope: counted operation {name!r}; FLOP cost: {_formula(cost)}"
    doc = getattr(fn, "__doc__", None)
    wrapper.__doc__ = f"{doc.rstrip()}\n\n{line}" if doc else line
    with _REGISTER_LOCK:
        if name in USER_OPS:
            raise ValueError(f"an operation named {name!r} is already registered")
        USER_OPS[name] = wrapper
    return wrapper


def counted(*, cost: Any, name: str | None = None, output: Any = None) -> Callable[[_F], _F]:
    """Decorator form of :func:`register`: ``@counted(cost=rule)`` above a function makes
    it a counted operation named ``name`` (default: the function's name). The counted
    function keeps the original's name and docstring; the docstring gains a line stating
    the cost."""

    def decorate(fn: _F) -> _F:
        return register(fn, cost=cost, name=name, output=output)  # type: ignore[return-value]

    return decorate
