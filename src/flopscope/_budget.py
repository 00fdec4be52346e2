"""Budgets: the active-budget state, ``BudgetContext``, namespaces and the session view.

Where a charge goes
-------------------
The active budget and namespace live in one ``contextvars.ContextVar`` holding a
``(budget, namespace id)`` pair. ``BudgetContext.__enter__`` and ``namespace()`` set it
and keep the token; ``__exit__`` resets it. asyncio tasks copy the context they were
created in, so a task started inside a ``with`` block charges that block's budget.

A new thread starts with an empty context. A thread started inside an explicit budget
belongs to it (see "thread parentage" below): its work is charged there while that
budget is open, and it may not open a budget of its own (nesting). A thread that belongs
to no open budget is charged to the most recently entered explicit ``BudgetContext``
still open anywhere in the process, and to the global default budget when none is open;
no work is ever charged to nothing. The main thread is started inside no budget: outside
its own ``with`` blocks it charges the default.

The global default budget (``FLOPSCOPE_DEFAULT_BUDGET``, 1e15 if unset) counts every
operation made outside an explicit context. ``budget_summary()`` is the session view:
the default budget plus every explicit context entered since the last ``budget_reset()``.
"""

from __future__ import annotations

import functools
import math
import operator
import os
import sys
import threading
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from numbers import Rational
from threading import get_ident
from time import perf_counter_ns
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from . import _lines
from ._config import ON_CHANGE, SETTINGS
from ._records import (
    INSTRUMENTED,
    INT64_MAX,
    KEYS,
    RECORD_BYTES,
    BudgetRecords,
    Totals,
    add_totals,
    intern_key,
    intern_name,
    intern_namespace,
    namespace_path,
    op_name,
    pack_record,
    signature,
)
from ._weights import WEIGHTS
from .errors import BudgetExhaustedError, NonFiniteResultError, TimeExhaustedError

if TYPE_CHECKING:
    from ._op_log import OpLog

__all__ = [
    "BudgetContext",
    "budget",
    "budget_reset",
    "budget_summary",
    "budget_summary_dict",
    "current_budget",
    "namespace",
]

_F = TypeVar("_F", bound=Callable[..., Any])
_NO_DEADLINE = 1 << 62  # perf_counter_ns never gets here


#: The active scope: (budget, namespace id, that namespace's accumulator of free-call
#: time). ``None`` where no ``with`` block set one: then :func:`fallback_scope` decides.
Scope = tuple["BudgetContext", int, Totals]
ACTIVE: ContextVar[Scope | None] = ContextVar("flopscope_active_scope", default=None)
#: Explicit contexts open anywhere in the process, oldest first (fallback for threads).
_OPEN: list[BudgetContext] = []
_OPEN_LOCK = threading.Lock()
_MAIN_THREAD = threading.main_thread().ident


def _display() -> Any:
    """flopscope._display, the summaries' formatting (loaded on first use: import time)."""
    from . import _display as display

    return display


def _validate_budget(value: object) -> int:
    if isinstance(value, (np.integer, np.floating)):  # NumPy scalars are numbers too
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float, Rational)):
        raise ValueError(f"flop_budget must be a non-negative finite number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"flop_budget must be a non-negative finite number, got {value!r}")
    if value < 0:
        raise ValueError(f"flop_budget must be a non-negative finite number, got {value!r}")
    return int(math.floor(value))  # noqa: RUF046  (typed: floor of a Rational)


def _validate_positive(name: str, value: object, *, allow_zero: bool) -> float:
    bad = isinstance(value, bool) or not isinstance(value, (int, float))
    if not bad:
        fvalue = float(value)  # type: ignore[arg-type]
        bad = not math.isfinite(fvalue) or fvalue < 0 or (fvalue == 0 and not allow_zero)
    if bad:
        what = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be a {what} finite number, got {value!r}")
    return float(value)  # type: ignore[arg-type]


def scaled_cost(analytical: int, factor: float) -> int:
    """``analytical * factor`` as an exact int (factor = weight * flop_multiplier).

    Integral factors multiply exactly; others round to the nearest integer, through
    exact rational arithmetic once the product leaves float's exact-integer range.
    """
    if factor.is_integer():
        return analytical * int(factor)
    if analytical < (1 << 52):
        return round(analytical * factor)
    from fractions import Fraction  # (loaded on first use: import time)

    return round(Fraction(analytical) * Fraction(factor))


class BudgetContext:
    """A FLOP budget; a context manager and a decorator.

    Inside ``with BudgetContext(flop_budget=N) as b:`` every counted operation deducts
    ``analytical * flop_multiplier * weight(op)`` FLOPs before it runs; one that would
    take ``b.flops_used`` past ``N`` raises :class:`BudgetExhaustedError` and does not
    run. ``wall_time_limit_s`` adds a cooperative deadline checked before and after every
    counted call (:class:`TimeExhaustedError`). ``keep_log=False`` keeps memory bounded:
    records are folded into the exact aggregates every 16,384 calls and then dropped, so
    ``op_log`` holds only the latest records while every total stays exact. ``namespace``
    prefixes the namespace path of every charge. Unless ``quiet``, a block that ends in
    ``BudgetExhaustedError`` or ``TimeExhaustedError`` also writes one line to stderr
    naming the operation and the budget's state. ``track_lines=True`` books every charge
    to the user's source line that made it, for ``summary(by="line")`` and ``by_line()``
    (off by default; when off, counted calls pay nothing for it).

    As a decorator, each call of the decorated function runs in a fresh context with
    these settings; the latest one is ``decorated.budget_context``.
    """

    __slots__ = (
        "__weakref__",
        "_deadline",
        "_entered",
        "_explicit",
        "_limit",
        "_mult",
        "_ns_wall",
        "_records",
        "_reported",
        "_root_ns",
        "_root_scope",
        "_shared_used",
        "_t0",
        "_t_enter",
        "_token",
        "_used",
        "_wall_closed",
        "flop_budget",
        "flop_multiplier",
        "namespace",
        "quiet",
        "wall_time_limit_s",
    )

    #: a dry run (``_dry_run.DryRun``) prices calls without running them
    _shape_only = False

    def __init__(
        self,
        flop_budget: float,
        *,
        flop_multiplier: float = 1.0,
        namespace: str | None = None,
        wall_time_limit_s: float | None = None,
        quiet: bool = False,
        keep_log: bool = True,
        track_lines: bool = False,
    ) -> None:
        self.flop_budget: int = _validate_budget(flop_budget)
        self.flop_multiplier: float = _validate_positive(
            "flop_multiplier", flop_multiplier, allow_zero=True
        )
        if namespace is not None:
            _validate_namespace_name(namespace)
        self.namespace = namespace
        self.wall_time_limit_s = (
            None
            if wall_time_limit_s is None
            else _validate_positive("wall_time_limit_s", wall_time_limit_s, allow_zero=False)
        )
        self.quiet = bool(quiet)
        self._limit = self.flop_budget
        self._mult = self.flop_multiplier
        #: FLOPs charged by the thread that owns the budget (written without a lock) and
        #: by every other thread (written under ``_records.lock``): two counters, so that
        #: no interleaving of threads can lose a charge, whatever the interpreter version
        self._used = 0
        self._shared_used = 0
        self._records = (
            _lines.LineRecords(keep_log) if track_lines else BudgetRecords(keep_log=keep_log)
        )
        self._root_ns = intern_namespace(namespace)
        self._root_scope: Scope = self._scope(self._root_ns)
        self._t0 = perf_counter_ns()
        self._t_enter: int | None = None
        self._wall_closed = 0
        self._deadline = _NO_DEADLINE
        self._token: Any = None
        self._explicit = True
        self._entered = False
        #: namespace id -> exclusive wall ns spent inside ``namespace()`` blocks
        self._ns_wall: dict[int, int] = {}
        #: what the session view has already counted of this context
        self._reported: _Figures | None = None

    # ------------------------------------------------------------ context protocol
    def __enter__(self) -> BudgetContext:
        scope = ACTIVE.get()
        if self._t_enter is not None:
            raise RuntimeError("this BudgetContext is already active; it cannot be re-entered")
        if scope is not None and scope[0]._explicit:
            raise RuntimeError(
                "an explicit BudgetContext is already active; nested explicit budgets are "
                "not allowed (use flops.namespace(...) to attribute phases of one budget)"
            )
        if scope is None and get_ident() != _MAIN_THREAD:
            inherited = _started_in()
            if inherited is not None and inherited[0]._t_enter is not None:
                raise RuntimeError(
                    "this thread was started inside an explicit BudgetContext that is still "
                    "open; a budget of its own would be nested in it, and nested explicit "
                    "budgets are not allowed (the thread's work is charged to that budget)"
                )
        now = perf_counter_ns()
        if not self._entered:
            self._t0 = now
            self._entered = True
        self._t_enter = now
        if self.wall_time_limit_s is not None:
            # The limit counts from the first entry; re-entering does not extend it.
            self._deadline = self._t0 + int(self.wall_time_limit_s * 1e9)
        records = self._records
        records.thread = get_ident()
        records.owner = INSTRUMENTED if SETTINGS.instrumented else records.thread
        self._token = ACTIVE.set(self._root_scope)
        with _OPEN_LOCK:
            _OPEN.append(self)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        now = perf_counter_ns()
        if self._t_enter is not None:
            self._wall_closed += now - self._t_enter
            self._t_enter = None
        token, self._token = self._token, None
        if token is not None:
            try:
                ACTIVE.reset(token)
            except ValueError:  # exited in another context (e.g. another task)
                ACTIVE.set(None)
        with _OPEN_LOCK:
            if self in _OPEN:
                _OPEN.remove(self)
        _SESSION.absorb(self)
        if (
            not self.quiet
            and exc is not None
            and isinstance(exc, (BudgetExhaustedError, TimeExhaustedError))
        ):
            print(f"flopscope: {exc} [{self._describe()}]", file=sys.stderr)

    def __call__(self, func: _F) -> _F:
        settings: dict[str, Any] = {
            "flop_budget": self.flop_budget,
            "flop_multiplier": self.flop_multiplier,
            "namespace": self.namespace,
            "wall_time_limit_s": self.wall_time_limit_s,
            "quiet": self.quiet,
            "keep_log": self._records.keep_log,
            "track_lines": self.track_lines,
        }

        @functools.wraps(func)
        def run_in_budget(*args: Any, **kwargs: Any) -> Any:
            ctx = BudgetContext(**settings)
            run_in_budget.budget_context = ctx  # type: ignore[attr-defined]
            with ctx:
                return func(*args, **kwargs)

        run_in_budget.budget_context = None  # type: ignore[attr-defined]
        return run_in_budget  # type: ignore[return-value]

    def _scope(self, ns_id: int) -> Scope:
        return (self, ns_id, self._records.free_totals(ns_id))

    def _describe(self) -> str:
        return f"used {self.flops_used:,} of {self.flop_budget:,} FLOPs"

    def __repr__(self) -> str:
        kind = "BudgetContext" if self._explicit else "default budget"
        return f"<{kind}: {self._describe()}, {len(self._records)} operations>"

    # ------------------------------------------------------------ counters
    @property
    def flops_used(self) -> int:
        return self._used + self._shared_used

    @property
    def flops_remaining(self) -> int:
        return self._limit - self.flops_used

    @property
    def op_log(self) -> OpLog:
        """Every charge as an :class:`OpRecord` (the latest ones only if ``keep_log=False``)."""
        from ._op_log import OpLog  # (loaded on first use: counting builds no records)

        return OpLog(self._records, self._t0)

    def _wall_ns(self) -> int:
        if not self._explicit:
            return perf_counter_ns() - self._t0
        running = perf_counter_ns() - self._t_enter if self._t_enter is not None else 0
        return self._wall_closed + running

    def _time_totals(self) -> tuple[int, int, int]:
        totals = self._records.totals()
        backend = sum(t.backend_ns for t in totals.values())
        overhead = sum(t.overhead_ns for t in totals.values())
        return self._wall_ns(), backend, overhead

    @property
    def wall_time_s(self) -> float:
        return _display().time_fields(*self._time_totals())["wall_time_s"]

    @property
    def flopscope_backend_time_s(self) -> float:
        return self._time_totals()[1] / 1e9

    @property
    def flopscope_overhead_time_s(self) -> float:
        return self._time_totals()[2] / 1e9

    @property
    def residual_wall_time_s(self) -> float:
        return _display().time_fields(*self._time_totals())["residual_wall_time_s"]

    # ------------------------------------------------------------ charging
    def deduct(
        self,
        op_name: str,
        *,
        flop_cost: int,
        shapes: tuple = (),
        subscripts: str | None = None,
    ) -> int:
        """Charge ``flop_cost * flop_multiplier * weight(op_name)`` to this budget.

        The public form of what every counted call does: check the deadline and the
        budget (raising before anything is recorded), then record the charge. Returns
        the FLOPs charged. Use it to price work flopscope cannot see.
        """
        if not isinstance(op_name, str) or not op_name:
            raise ValueError(f"op_name must be a non-empty string, got {op_name!r}")
        if isinstance(flop_cost, bool):
            raise ValueError(f"flop_cost must be a non-negative integer, got {flop_cost!r}")
        if not isinstance(flop_cost, int):
            try:
                flop_cost = operator.index(flop_cost)
            except TypeError:
                raise ValueError(
                    f"flop_cost must be a non-negative integer, got {flop_cost!r}"
                ) from None
        if flop_cost < 0:
            raise ValueError(f"flop_cost must be a non-negative integer, got {flop_cost!r}")
        try:
            shape_key = tuple(tuple(int(d) for d in s) for s in shapes)
        except TypeError:
            raise ValueError(f"shapes must be a tuple of shapes, got {shapes!r}") from None
        t0 = perf_counter_ns()
        scope = ACTIVE.get()
        ns_id = scope[1] if scope is not None and scope[0] is self else self._root_ns
        try:
            cost = charge(self, op_name, flop_cost, t0)
        except ShapeOnlyCall as call:  # a dry run: booked all the same
            cost = call.cost
        t1 = perf_counter_ns()
        key = intern_key(intern_name(op_name), ns_id, shape_key, subscripts)
        record(self, key, cost, t0, t1, t1, t1)
        return cost

    # ------------------------------------------------------------ summaries
    def summary_dict(self, by_namespace: bool = False) -> dict[str, Any]:
        """The figures of this budget as plain data (see ``_display.summary_dict``)."""
        return _display().summary_dict(
            flop_budget=self.flop_budget,
            flops_used=self.flops_used,
            totals=self._records.totals(),
            wall_ns=self._wall_ns(),
            ns_wall=self._ns_wall_view(),
            by_namespace=by_namespace,
        )

    def summary(self, by_namespace: bool = False, *, by: str | None = None) -> str:
        """A human-readable breakdown, most expensive operation first.

        ``by="op"`` is the default form, ``by="namespace"`` is ``by_namespace=True``, and
        ``by="line"`` the by-line table of a budget opened with ``track_lines=True``.
        """
        if by == "line":
            return _lines.format_lines(self.flop_budget, self.flops_used, self.by_line())
        if by is not None:
            if by not in ("op", "namespace"):
                raise ValueError(f"by must be 'op', 'namespace' or 'line', got {by!r}")
            by_namespace = by == "namespace"
        return _display().format_summary(self.summary_dict(by_namespace=by_namespace))

    def print_summary(self, file: Any = None, *, by: str | None = None) -> None:
        """Write :meth:`summary` to ``file`` (stdout by default): a rich table on a
        terminal, the text (unchanged) anywhere else (a file, a pipe)."""
        _display().print_summary(self.summary(by=by), file)

    def _ns_wall_view(self) -> dict[int, int]:
        view = dict(self._ns_wall)
        view[self._root_ns] = view.get(self._root_ns, 0) + self._wall_ns()
        return view

    # ------------------------------------------------------------ reports (see _report)
    def to_json(self, indent: int | None = None) -> str:
        """This budget as JSON text: ``schema_version``, ``settings`` (limit, multiplier,
        ``fma_cost``, the weight table and where it came from), ``totals``, the
        per-operation summary and every logged record with all OpRecord fields. Weights
        and ``fma_cost`` are process-wide: export under those the run was charged at."""
        from . import _report

        return _report.to_json(self, indent)

    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write one row per logged record to ``path`` (header: OpRecord field names)."""
        from . import _report

        _report.to_csv(self, path)

    def to_dataframe(self) -> Any:
        """The logged records as a ``pandas.DataFrame`` (pandas is optional)."""
        from . import _report

        return _report.to_dataframe(self)

    def explain(self, op_name: str) -> Any:
        """How the costliest logged call of ``op_name`` was priced (an Explanation)."""
        from . import _report

        return _report.explain_op(self, op_name)

    def _repr_html_(self) -> str:
        from . import _report

        return _report.to_html(self)

    # ------------------------------------------------------------ line attribution
    @property
    def track_lines(self) -> bool:
        """Whether this budget books each charge to the user's source line."""
        return isinstance(self._records, _lines.LineRecords)

    def by_line(self) -> list[dict[str, Any]]:
        """Each user source line that charged this budget, most FLOPs first: ``file``,
        ``line``, ``source``, ``flop_cost``, ``calls``, ``share``; the ``flop_cost`` of
        the rows sum to ``flops_used``. Needs ``track_lines=True``."""
        records = self._records
        if not isinstance(records, _lines.LineRecords):
            raise ValueError(
                "this budget does not track lines; open it with track_lines=True "
                "to see FLOPs by line"
            )
        return records.line_rows(self.flops_used)

    # ------------------------------------------------------------ the HTML report
    def to_html_report(self, path: str | os.PathLike[str] | None = None) -> str:
        """This budget as one self-contained HTML page (inline CSS and SVG, nothing
        fetched): totals, a treemap of the FLOPs by namespace and operation, the time
        fields as a stacked bar, and the tables by line (when tracked), by operation and
        by namespace. Returns the page; also writes it to ``path`` when given."""
        from . import _html_report

        return _html_report.write(self, path)


# ---------------------------------------------------------------- the charge itself
class ShapeOnlyCall(Exception):
    """A charge made in a dry run: booked, and to be answered by the shape-only executor
    instead of NumPy (``_dry_run``). Internal: every body that charges catches it."""

    __slots__ = ("cost",)

    def __init__(self, cost: int) -> None:
        self.cost = cost


def charge(budget: BudgetContext, weight_key: str, analytical: int, t0: int) -> int:
    """Price ``analytical`` for ``budget`` and reserve it; raise if it does not fit.

    This is where weights and the multiplier are applied (the two ufunc fast bodies in
    ``_dispatch`` inline these lines; keep them in step). Nothing is recorded here: the
    caller records after the operation succeeds, or refunds if it fails.
    """
    factor = weight_get(weight_key, 1.0) * budget._mult
    cost = analytical if factor == 1.0 else scaled_cost(analytical, factor)
    if get_ident() != budget._records.owner:
        charge_shared(budget, weight_key, cost, t0)
        return cost
    # The owner thread is the only writer of ``_used``: its read and store cannot
    # interleave with another writer's.
    used = budget._used + cost
    if used + budget._shared_used > budget._limit or t0 > budget._deadline:
        raise refusal(budget, weight_key, cost, t0)
    budget._used = used
    return cost


def charge_shared(budget: BudgetContext, weight_key: str, cost: int, t0: int) -> None:
    """Reserve ``cost`` for a thread that does not own ``budget`` (or while every charge
    takes the slow path), under the budget's lock."""
    with budget._records.lock:
        if budget._used + budget._shared_used + cost > budget._limit or t0 > budget._deadline:
            raise refusal(budget, weight_key, cost, t0, shared=True)
        budget._shared_used += cost


def refund(budget: BudgetContext, cost: int) -> None:
    """Give back a reservation whose operation failed (by the thread that made it)."""
    if get_ident() == budget._records.owner:
        budget._used -= cost
    else:
        with budget._records.lock:
            budget._shared_used -= cost


weight_get = WEIGHTS.get


def refusal(
    budget: BudgetContext, name: str, cost: int, t0: int, shared: bool = False
) -> Exception:
    """What a charge that does not fit raises. A dry run's every charge lands here (its
    inner limit is -1): it books the charge and answers with the ``ShapeOnlyCall`` that
    sends the call to the shape-only executor (``_dry_run``)."""
    if budget._shape_only:
        return budget._reserve(name, cost, shared)  # type: ignore[attr-defined]
    if t0 > budget._deadline:
        return late(budget, name, t0)
    return BudgetExhaustedError(name, flop_cost=cost, flops_remaining=budget.flops_remaining)


def record(
    budget: BudgetContext,
    key: int,
    cost: int,
    t0: int,
    t1: int,
    t2: int,
    t3: int,
    result: Any = None,
) -> None:
    """Write one record: the op ran from t1 to t2; t0..t1 and t2..t3 were flopscope's.

    The ufunc fast bodies in ``_dispatch`` inline these lines; keep them in step.
    """
    records = budget._records
    buf = records.own
    offset = buf.offset
    if get_ident() != records.owner:
        t3 = record_slow(budget, key, cost, t0, t1, t2, t3, result)
    elif offset < buf.capacity and cost <= INT64_MAX:
        pack_record(buf.data, offset, key, cost, t0, t1, t2, t3)
        buf.offset = offset + RECORD_BYTES
    else:
        records.add_own(key, cost, t0, t1, t2, t3)
    if t3 > budget._deadline:
        raise late(budget, op_name(KEYS[key][0]), t3)


def record_slow(
    budget: BudgetContext,
    key: int,
    cost: int,
    t0: int,
    t1: int,
    t2: int,
    t3: int,
    result: Any,
) -> int:
    """The record path for everything but the owner thread's plain case: a thread that
    does not own the budget (locked buffer), and instrumented settings (the checks run
    here, after the operation, their time booked as overhead). Returns the final t3.

    The fast paths take it when the calling thread is not ``records.owner``, which is
    never the case while ``SETTINGS.instrumented`` (see :func:`_reroute`): the settings
    choose this path once, when they change, instead of a test on every call.
    """
    records = budget._records
    problem: str | None = None
    if SETTINGS.check_nan_inf and result is not None and not _all_finite(result):
        problem = str(SETTINGS.check_nan_inf)
    t3 = perf_counter_ns() if SETTINGS.instrumented else t3
    if get_ident() == records.thread:
        records.add_own(key, cost, t0, t1, t2, t3)
    else:
        records.add_foreign(key, cost, t0, t1, t2, t3)
    if problem is not None:
        _report_non_finite(budget, key, problem)
    return t3


def _all_finite(result: Any) -> bool:
    """Whether a result (array, scalar, or tuple of them) holds no NaN or Inf."""
    if type(result) is tuple or type(result) is list:
        return all(_all_finite(r) for r in result)
    if isinstance(result, np.ndarray):
        if result.dtype.kind not in "fc":
            return True
        plain = np.ndarray.view(result, np.ndarray)  # plain: the check is not charged
        return bool(np.isfinite(plain).all())
    if isinstance(result, (np.floating, float)):
        return math.isfinite(float(result))
    if isinstance(result, (np.complexfloating, complex)):
        import cmath  # (loaded on first use: import time)

        return cmath.isfinite(complex(result))
    return True


def _report_non_finite(budget: BudgetContext, key: int, action: str) -> None:
    op_id, ns_id, _ = KEYS[key]
    name = op_name(op_id)
    shapes, _ = signature(key)
    index = len(budget._records) - 1
    ns = namespace_path(ns_id)
    where = f", namespace {ns!r}" if ns is not None else ""
    message = (
        f"{name} produced NaN or Inf (op_log[{index}]: {name}, shapes {shapes}{where}); "
        "flops.configure(check_nan_inf=...) asked for this check"
    )
    if action == "warn":
        warnings.warn(message, RuntimeWarning, stacklevel=_user_stacklevel())
        return
    raise NonFiniteResultError(message, op_name=name, record_index=index)


def _user_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside flopscope."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("flopscope"):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def book_free(t0: int, t1: int, t2: int, t3: int) -> None:
    """Book the time of one free call (no FLOPs, no record) to the active scope: NumPy
    ran from t1 to t2; t0..t1 and t2..t3 were flopscope's.

    The free body in ``_dispatch`` inlines the owner's case of these lines.
    """
    free = (ACTIVE.get() or fallback_scope())[2]
    free.calls += 1
    free.backend_ns += t2 - t1
    free.overhead_ns += (t3 - t0) - (t2 - t1)


def _reroute() -> None:
    """Point the fast paths of every live budget at the slow path while a setting needs
    a check after each call, and back when none does (a hook of ``configure``)."""
    budgets = [_SESSION.default, *list(_OPEN)]
    for b in budgets:
        records = b._records
        records.owner = INSTRUMENTED if SETTINGS.instrumented else records.thread


ON_CHANGE.append(_reroute)


def late(budget: BudgetContext, name: str, now: int) -> TimeExhaustedError:
    limit = budget.wall_time_limit_s or 0.0
    return TimeExhaustedError(name, elapsed_s=(now - budget._t0) / 1e9, limit_s=limit)


def active_scope() -> Scope:
    """The (budget, namespace id) that a charge made now goes to."""
    scope = ACTIVE.get()
    if scope is not None:
        return scope
    return fallback_scope()


def fallback_scope() -> Scope:
    """For a context with no budget of its own. In a thread other than the main one: the
    scope the thread was started in while that budget is open (see "thread parentage"
    below), else the latest open explicit budget (a thread started before any budget
    opened, as a worker pool's), else the default. The main thread was started inside no
    budget: its unbudgeted work is the default's."""
    if get_ident() != _MAIN_THREAD:
        inherited = _started_in()
        if inherited is not None and inherited[0]._t_enter is not None:
            return inherited
        if _OPEN:
            try:
                return _OPEN[-1]._root_scope
            except IndexError:  # closed by another thread just now
                pass
    return _SESSION.default._root_scope


# ---------------------------------------------------------------- thread parentage
# A thread started inside a budget belongs to it: it is charged there, and opening a
# budget of its own would be nesting (a way out of the budget it runs in). Threads
# started outside every explicit budget (a grader running programs side by side, each
# thread opening its own context) are independent. The starting thread's scope is noted
# on the ``threading.Thread`` object when it starts: through the interpreter's audit
# event for thread starts (Python 3.12+), or, where the interpreter has no such event,
# by wrapping the one function ``threading.Thread.start`` calls to start a thread.
_SCOPE_ATTRIBUTE = "_flopscope_started_in"


def _started_in() -> Scope | None:
    """The explicit scope the current thread was started in (None if none)."""
    return getattr(threading.current_thread(), _SCOPE_ATTRIBUTE, None)


def _note_start(function: Any) -> None:
    """In the starting thread: note its explicit scope on the thread about to start."""
    thread = getattr(function, "__self__", None)
    if not isinstance(thread, threading.Thread):
        return
    scope = ACTIVE.get()
    if scope is None or not scope[0]._explicit:
        scope = None if get_ident() == _MAIN_THREAD else _started_in()
    setattr(thread, _SCOPE_ATTRIBUTE, scope)


_THREAD_START_EVENTS = frozenset({"_thread.start_new_thread", "_thread.start_joinable_thread"})


def _on_audit(event: str, args: tuple) -> None:
    if event in _THREAD_START_EVENTS and args:
        _note_start(args[0])


def _install_thread_parentage() -> None:
    if sys.version_info >= (3, 12):
        sys.addaudithook(_on_audit)
        return
    start = threading._start_new_thread  # type: ignore[attr-defined]

    def start_new_thread(function: Any, *args: Any) -> Any:
        _note_start(function)
        return start(function, *args)

    threading._start_new_thread = start_new_thread  # type: ignore[attr-defined]


_install_thread_parentage()


# ---------------------------------------------------------------- namespaces
def _validate_namespace_name(name: object) -> None:
    if not isinstance(name, str) or not name or "" in name.split("."):
        raise ValueError(
            f"a namespace must be a non-empty dotted name with no empty parts, got {name!r}"
        )


class namespace:
    """Attribute the operations in a ``with`` block to a dotted namespace path.

    ``with namespace("fallback"):`` inside a context opened with ``namespace="predict"``
    records its operations under ``"predict.fallback"``; nesting appends further parts.
    Namespaces label charges; they do not split the budget.
    """

    __slots__ = ("_budget", "_ns_id", "_parent_ns", "_start", "_token", "name")

    def __init__(self, name: str) -> None:
        _validate_namespace_name(name)
        self.name = name

    def __enter__(self) -> namespace:
        budget, parent, _ = active_scope()
        parent_path = namespace_path(parent)
        path = self.name if parent_path is None else f"{parent_path}.{self.name}"
        self._budget, self._parent_ns = budget, parent
        self._ns_id = intern_namespace(path)
        self._token = ACTIVE.set(budget._scope(self._ns_id))
        self._start = perf_counter_ns()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        spent = perf_counter_ns() - self._start
        walls = self._budget._ns_wall
        # exclusive wall time: the block's time counts for its path, not its parent's
        walls[self._ns_id] = walls.get(self._ns_id, 0) + spent
        walls[self._parent_ns] = walls.get(self._parent_ns, 0) - spent
        try:
            ACTIVE.reset(self._token)
        except ValueError:
            ACTIVE.set(self._budget._scope(self._parent_ns))

    @property
    def path(self) -> str | None:
        return namespace_path(self._ns_id)


# ---------------------------------------------------------------- the session
def _default_budget_value() -> float:
    raw = os.environ.get("FLOPSCOPE_DEFAULT_BUDGET")
    if raw is None or not raw.strip():
        return 1e15
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"FLOPSCOPE_DEFAULT_BUDGET must be a number, got {raw!r}") from None


def _new_default() -> BudgetContext:
    b = BudgetContext(_default_budget_value(), quiet=True)
    b._explicit = False
    if SETTINGS.instrumented:
        b._records.owner = INSTRUMENTED
    return b


class _Figures:
    """The additive figures of budgets: FLOPs used, per-(op, namespace) totals, and
    per-namespace wall time. The session view is a sum of these."""

    __slots__ = ("ns_wall", "totals", "used")

    def __init__(self) -> None:
        self.used = 0
        self.totals: dict[tuple[int, int], Totals] = {}
        self.ns_wall: dict[int, int] = {}

    @classmethod
    def of(cls, b: BudgetContext, *, with_root_wall: bool = True) -> _Figures:
        fig = cls()
        fig.used = b.flops_used
        fig.totals = b._records.totals()
        fig.ns_wall = b._ns_wall_view() if with_root_wall else dict(b._ns_wall)
        return fig

    def add(self, other: _Figures, sign: int = 1) -> None:
        self.used += sign * other.used
        for key, tot in other.totals.items():
            add_totals(self.totals, key, tot, sign)
        for ns_id, spent in other.ns_wall.items():
            self.ns_wall[ns_id] = self.ns_wall.get(ns_id, 0) + sign * spent


class _Session:
    """The default budget, plus what explicit contexts counted since the last reset.

    An explicit context is folded in when it exits (only the figures it added since it
    was last folded, so re-entering never double-counts) and then forgotten: the
    session holds no reference to closed contexts, so creating many costs no memory.
    """

    __slots__ = ("closed", "default", "t0")

    def __init__(self) -> None:
        self.default = _new_default()
        self.closed = _Figures()
        self.t0 = perf_counter_ns()

    def absorb(self, b: BudgetContext) -> None:
        current = _Figures.of(b)
        self.closed.add(current)
        if b._reported is not None:
            self.closed.add(b._reported, -1)
        b._reported = current

    def figures(self) -> _Figures:
        total = _Figures()
        total.add(_Figures.of(self.default, with_root_wall=False))
        total.add(self.closed)
        for b in list(_OPEN):
            total.add(_Figures.of(b))
            if b._reported is not None:
                total.add(b._reported, -1)
        # Time outside every explicit context and nested namespace is the default's.
        wall = perf_counter_ns() - self.t0
        root = self.default._root_ns
        total.ns_wall[root] = total.ns_wall.get(root, 0) + max(
            0, wall - sum(total.ns_wall.values())
        )
        return total


_SESSION = _Session()


#: ``flops.budget(...)`` is ``BudgetContext(...)`` (a context manager and a decorator).
budget = BudgetContext


def current_budget() -> BudgetContext:
    """The budget a counted call made here would charge (explicit or the default)."""
    return active_scope()[0]


def budget_summary_dict(by_namespace: bool = False) -> dict[str, Any]:
    """The session view: the default budget plus every explicit context since the last reset."""
    figures = _SESSION.figures()
    return _display().summary_dict(
        flop_budget=_SESSION.default.flop_budget,
        flops_used=figures.used,
        totals=figures.totals,
        wall_ns=perf_counter_ns() - _SESSION.t0,
        ns_wall=figures.ns_wall,
        by_namespace=by_namespace,
    )


def budget_summary(by_namespace: bool = False) -> str:
    """The session view as text (see :func:`budget_summary_dict`)."""
    return _display().format_summary(budget_summary_dict(by_namespace=by_namespace))


def budget_reset() -> None:
    """Start a new session: a fresh default budget; closed contexts are forgotten, and
    contexts still open count only what they do from now on."""
    global _SESSION
    _SESSION = _Session()
    for b in list(_OPEN):
        b._reported = _Figures.of(b)
