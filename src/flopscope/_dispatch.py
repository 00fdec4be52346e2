"""The one dispatch path: registry rows become counted callables.

Every counted call does the same four things, in this order:

1. compute the analytical work from the arguments' shapes (the row's cost rule);
2. price it and reserve it on the active budget (``_budget.charge``) - raising
   ``BudgetExhaustedError`` / ``TimeExhaustedError`` before anything runs;
3. run the NumPy implementation on plain arrays (a failure refunds the charge);
4. wrap the result in the counted array type and record the charge and its timings.

:func:`make_counted` is the one function that turns a row into a callable. One- and
two-operand ufuncs called positionally get a specialised fast body (every operator lands
there), other counted rows the generic body, ufunc keywords and methods the general ufunc
body. All three price and record through ``_budget.charge`` and ``_budget.record``; the
two hot bodies carry inlined copies of those few lines (a function call costs about a
tenth of the whole overhead), marked where they stand. :func:`install_array_protocol`
puts the operators, methods, ``__array_ufunc__`` and ``__array_function__`` on the counted
array and scalar types, all routed to these callables.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from contextvars import ContextVar
from threading import get_ident as _get_ident
from time import perf_counter_ns as _now
from typing import Any

import numpy as np

from . import _rules as rules
from ._budget import (
    ACTIVE,
    BudgetContext,
    ShapeOnlyCall,
    book_free,
    charge,
    charge_shared,
    fallback_scope,
    late,
    record,
    record_slow,
    refund,
    refusal,
    scaled_cost,
    weight_get,
)
from ._config import SETTINGS
from ._dry_run import (
    SHAPE_ONLY_CREATION,
    STAND_IN_TYPES,
    StandInArgument,
    shape_only_callbacks,
    shape_only_free,
    shape_only_result,
    shape_only_ufunc,
    stand_in_plain,
)
from ._dry_run import ShapeOnlyArray as _SO
from ._hotpath_loader import hotpath as _hotpath
from ._ndarray import SCALAR_BASE, SCALAR_WRAP
from ._ndarray import ndarray as _CA
from ._records import (
    INT64_MAX,
    RECORD_BYTES,
    BudgetRecords,
    RecordBuffer,
    Totals,
    intern_key,
    intern_name,
    pack_record,
)
from ._registry import (
    GENERATOR_METHODS,
    GENERATOR_OUTPUTS,
    REGISTRY,
    Deferred,
    Op,
    loaded,
    resolved,
)
from ._rules.contractions import may_be_one_buffer
from ._weights import WEIGHTS
from .errors import UnsupportedFunctionError

__all__ = [
    "COUNTED",
    "HANDLED",
    "UFUNCS",
    "counted_ufunc",
    "handled",
    "make_counted",
    "plain",
    "wrap",
]

_ND = np.ndarray
_view = np.ndarray.view  # ndarray's own view, whatever a subclass makes of .view
_active_get = ACTIVE.get
_prod = math.prod
_BAD_KINDS = rules.BAD_KINDS


class _CountedTable(dict):
    """public name -> counted callable. The ufunc rows are built at import; every other
    row when first asked for (its namespace's ``__getattr__``, ``__array_function__``,
    another module), which keeps hundreds of rows and their docstrings out of the
    import. A row whose NumPy callable is deferred (its submodule loads on first use)
    is resolved then too."""

    def __missing__(self, name: str) -> Callable[..., Any]:
        op = REGISTRY.get(name)
        if op is None:
            raise KeyError(name)
        if op.alias_of is not None and op.alias_of in REGISTRY:
            fn = self[op.alias_of]
        else:  # (a deferred row may have been resolved already, by another reader)
            fn = make_counted(resolved(name))
        self[name] = fn
        return fn


#: public name -> counted callable (aliases share one object)
COUNTED: dict[str, Callable[..., Any]] = _CountedTable()
#: NumPy callable -> counted callable, for ``__array_function__`` (filled by
#: :func:`handled` as NumPy's functions are first called on counted arrays)
HANDLED: dict[Any, Callable[..., Any]] = {}
#: NumPy callable -> the name of its row (the first row registered for it)
_IMPL_ROWS: dict[Any, str] = {}


#: ufunc -> counted callable, for ``__array_ufunc__`` (filled by :func:`counted_ufunc`)
UFUNCS: dict[np.ufunc, Callable[..., Any]] = {}


def _row_callable(table: dict[Any, Callable[..., Any]], impl: Any) -> Callable[..., Any] | None:
    """The counted callable of NumPy's ``impl`` (its row built on first use, then kept
    in ``table``), or None where no row has it."""
    fn = table.get(impl)
    if fn is None:
        name = _IMPL_ROWS.get(impl)
        if name is None and _DEFERRED_ROWS:
            _note_loaded_submodules()
            name = _IMPL_ROWS.get(impl)
        if name is None:
            return None
        fn = table[impl] = COUNTED[name]
    return fn


def handled(func: Any) -> Callable[..., Any] | None:
    """The counted callable for NumPy's function ``func``, or None."""
    return _row_callable(HANDLED, func)


def counted_ufunc(ufunc: np.ufunc) -> Callable[..., Any] | None:
    """The counted callable for NumPy's ``ufunc``, or None."""
    return _row_callable(UFUNCS, ufunc)


#: result type -> wrapper (counted scalars, counted random generators)
WRAPPERS: dict[type, Callable[[Any], Any]] = dict(SCALAR_WRAP)
_wrapper_get = WRAPPERS.get
#: types whose instances must be unwrapped before NumPy sees them
_COUNTED_TYPES: set[type] = {_CA, _SO, *SCALAR_BASE}
#: wrapper types that hold a NumPy object as ``_wrapped`` (counted generators)
_HOLDERS: set[type] = set()
_PY_SCALARS = (float, int, bool, complex)
#: the rows whose ufuncs compute each output element from the inputs' elements at the
#: same index: on operands declared symmetric they price the distinct elements
_POINTWISE = frozenset({"counted_unary", "counted_binary"})
#: array types that declare a symmetry group (``SymmetricTensor``); the fast ufunc body
#: sends them to ``_ufunc_general``, which asks ``_SYMMETRY.pointwise_group`` for the group
#: the result keeps and gives it to ``_SYMMETRY.pointwise_result``. Set by
#: :func:`register_symmetric`
#: (the symmetric tensor module imports this one).
_SYMMETRIC_TYPES: set[type] = set()
#: what the dispatch asks of symmetric tensors, in one place: the object the symmetric
#: tensor module registers (see :func:`register_symmetric` for its functions)
_SYMMETRY: Any = None
#: free rows that move a symmetric tensor's axes without changing its data (transposes,
#: reshapes): their result, a view or copy of it, keeps what survives of the group
SYMMETRY_LAYOUT = frozenset(
    "reshape transpose permute_dims matrix_transpose swapaxes moveaxis rollaxis squeeze "
    "expand_dims atleast_2d atleast_3d linalg.matrix_transpose".split()
)
#: free rows that write into their first argument
WRITE_INTO_FIRST = frozenset("fill_diagonal copyto put place putmask put_along_axis".split())
#: set while a call writing into a symmetric tensor runs again inside that context
_writing: ContextVar[bool] = ContextVar("flopscope_writing_symmetric", default=False)
#: ufunc keywords that do not touch which entries are computed or where they go: a call
#: with only these keeps its operands' symmetry
_SYMMETRY_NEUTRAL_KEYWORDS = frozenset({"dtype", "casting", "order", "signature"})


# ---------------------------------------------------------------------- wrap / unwrap
def wrap(result: Any) -> Any:
    """Give a NumPy result the counted types (arrays, scalars, tuples/lists of them)."""
    t = type(result)
    if t is _ND:
        return _view(result, _CA)
    w = _wrapper_get(t)
    if w is not None:
        return w(result)
    if t is tuple or t is list:
        return t(map(wrap, result))
    if isinstance(result, tuple) and hasattr(result, "_make"):  # named tuples
        return result._make(map(wrap, result))
    return result


def plain(x: Any) -> Any:
    """The plain NumPy value of ``x`` (one level into lists and tuples), so that NumPy
    computes on it without dispatching back into flopscope."""
    t = type(x)
    if t is _CA:
        return _view(x, _ND)
    if t is _ND or t is int or t is float or t is str:
        return x
    base = SCALAR_BASE.get(t)
    if base is not None:
        return base(x)
    if t is list or t is tuple:
        for e in x:  # shapes, axes, lists of numbers: nothing to unwrap
            te = type(e)
            if te is not int and te is not float:
                break
        else:
            return x
        if _COUNTED_TYPES.isdisjoint(map(type, x)) and not any(
            type(e) is list or type(e) is tuple for e in x[:1]
        ):
            return x
        return t(map(plain, x))
    if t in _HOLDERS:  # a counted generator: NumPy is given the generator it holds
        return x._wrapped
    if t in STAND_IN_TYPES:  # a dry run's stand-in: the bodies that can take one catch this
        raise StandInArgument(
            f"a shape-only stand-in (shape {x.shape}, dtype {x.dtype}) cannot be passed "
            "here: it has no values"
        )
    if isinstance(x, _CA):
        return _view(x, _ND)
    return x


def _dry_plain(x: Any) -> Any:
    """``plain`` for arguments that hold stand-ins: their plain views (in their
    dry run; outside it, ``DryRunValueError``)."""
    t = type(x)
    if t in STAND_IN_TYPES:
        return stand_in_plain(x)
    if t is list or t is tuple:
        return t(map(_dry_plain, x))
    return plain(x)


def stand_in_arguments(args: tuple, kwargs: dict) -> tuple[tuple, Any, dict]:
    """(plain arguments, the caller's ``out``, plain keywords) of a call holding a dry
    run's stand-ins: theirs are their plain views (``plain`` refused them)."""
    pkwargs = {k: _dry_plain(v) for k, v in kwargs.items()}
    return tuple(map(_dry_plain, args)), kwargs.get("out"), pkwargs


def _operand(x: Any, name: str) -> tuple[Any, tuple[int, ...]]:
    """(plain value, shape) of a ufunc operand that is not an ndarray."""
    t = type(x)
    if t is float or t is int or t is bool or t is complex:
        return x, ()
    a: Any
    if t in STAND_IN_TYPES:  # a dry run's stand-in: its plain view
        a = stand_in_plain(x)
        return a, a.shape
    base = SCALAR_BASE.get(t)
    if base is not None:
        return base(x), ()
    if isinstance(x, _ND):
        a = _view(x, _ND)
    elif isinstance(x, np.generic):
        a = x
    elif isinstance(x, (str, bytes)):
        raise rules.dtype_error(x, name)
    else:
        a = np.asarray(plain(x))
    if a.dtype.kind in _BAD_KINDS:
        raise rules.dtype_error(a, name)
    return a, a.shape


#: counted functions whose first string argument is priced (einsum's subscripts)
_STRING_ARGS_OK = frozenset({"einsum"})
#: counted functions priced lower when one array is passed twice (a symmetric output)
_IDENTITY_PRICED = frozenset(
    {"einsum", "einsum_path", "inner", "dot", "tensordot", "matmul", "outer"}
)
#: counted functions whose result keeps (part of) a symmetric first operand's group:
#: elementwise ones keep it and price its distinct elements; reductions keep what the
#: reduced axes leave (see the symmetric tensor module)
SYMMETRY_PROPAGATION = {
    **dict.fromkeys(
        "round nan_to_num angle iscomplex isreal isneginf isposinf sinc i0".split(),
        "elementwise",
    ),
    **dict.fromkeys(
        (
            "sum prod mean var std min max argmin argmax all any ptp count_nonzero nansum "
            "nanprod nanmean nanvar nanstd nanmin nanmax nanargmin nanargmax"
        ).split(),
        "reduction",
    ),
}


def _key_id(
    keys: dict, op_id: int, ns_id: int, shapes: tuple, subscripts: str | None = None
) -> int:
    """The record key of (op, namespace, shapes, subscripts), cached per callable."""
    k = (ns_id, shapes, subscripts)
    key = keys.get(k)
    if key is None:
        key = keys[k] = intern_key(op_id, ns_id, shapes, subscripts)
    return key


# ---------------------------------------------------------------------- ufunc bodies
if _hotpath is not None:  # what the compiled body reads: the same objects as the bodies here
    _hotpath.configure(
        _CA,
        ACTIVE,
        WEIGHTS,
        wrap,
        late,
        SETTINGS,
        "".join(sorted(_BAD_KINDS)),
        BudgetContext,
        BudgetRecords,
        RecordBuffer,
        SCALAR_BASE,
        WRAPPERS,
        fallback_scope,
        Totals,
        book_free,
    )


_NO_OPERAND: Any = object()  # the absent second operand of a unary ufunc


def _ufunc_callable(op: Op) -> Callable[..., Any]:
    """The fast body of a one- or two-operand ufunc called with positional operands and
    no keyword but one array ``out=`` (every operator, in-place ones included, lands
    here); anything else takes ``_ufunc_general``."""
    uf: np.ufunc = op.impl
    name = op.name
    op_id = intern_name(name)
    keys: dict = {}
    unary = uf.nin == 1
    # the matmul family (gufuncs) price by their contraction rule, in FMAs
    contraction = getattr(op.rule, "of_shapes", None) if op.category == "counted_custom" else None
    # matmul's check for one buffer and its transpose (X.T @ X: a symmetric output)
    gram = getattr(op.rule, "of_arrays", None)
    if op.category == "counted_custom" and contraction is None:
        raise TypeError(f"{name}: a gufunc row needs a two-operand shape rule")
    pointwise = op.category in _POINTWISE

    last: tuple = (None, None, None, -1)

    def counted(x1, x2=_NO_OPERAND, /, *rest, out=None, **kwargs):
        nonlocal last
        t0 = _now()
        if out is not None:  # one array out= (``a += b`` passes out=a): still this body
            o = out[0] if type(out) is tuple and len(out) == 1 else out
            t = type(o)
            po = _view(o, _ND) if t is _CA else o if t is _ND else None
        if rest or kwargs or (x2 is _NO_OPERAND) is not unary or (out is not None and po is None):
            operands = (x1,) if x2 is _NO_OPERAND else (x1, x2)
            if out is not None:
                kwargs["out"] = out
            return _ufunc_general(op, "__call__", (*operands, *rest), kwargs, t0)
        t = type(x1)
        if t is _CA or t is _ND:
            a = _view(x1, _ND) if t is _CA else x1
            if a.dtype.kind in _BAD_KINDS:
                raise rules.dtype_error(a, name)
            sa = a.shape
        elif t is float or t is int:  # 2.0 * x: the common scalar operand
            a = x1
            sa = ()
        else:
            if t in _SYMMETRIC_TYPES:
                if pointwise:  # priced by its distinct elements
                    operands = (x1,) if unary else (x1, x2)
                    return _ufunc_general(
                        op, "__call__", operands, {} if out is None else {"out": out}, t0
                    )
                if contraction is not None and out is None:  # priced under its group
                    r = _SYMMETRY.contraction(name, (x1, x2), {})
                    if r is not NotImplemented:
                        return r
            a, sa = _operand(x1, name)
        if unary:
            b = sb = None
            n = _prod(sa)
        else:
            t = type(x2)
            if t is _CA or t is _ND:
                b = _view(x2, _ND) if t is _CA else x2
                if b.dtype.kind in _BAD_KINDS:
                    raise rules.dtype_error(b, name)
                sb = b.shape
            elif t is float or t is int:  # x * 2.0: the common scalar operand
                b = x2
                sb = ()
            else:
                if t in _SYMMETRIC_TYPES:
                    if pointwise:  # priced by its distinct elements
                        return _ufunc_general(
                            op, "__call__", (x1, x2), {} if out is None else {"out": out}, t0
                        )
                    if contraction is not None and out is None:  # priced under its group
                        r = _SYMMETRY.contraction(name, (x1, x2), {})
                        if r is not NotImplemented:
                            return r
                b, sb = _operand(x2, name)
            if contraction is not None:
                n = contraction(sa, sb) * SETTINGS.fma_cost
                g = None
                if (
                    gram is not None
                    and len(sa) > 1
                    and sa[-2] == sb[-1]
                    and len(sb) == len(sa)
                    and a.strides[-1] == b.strides[-2]
                ):
                    g = gram(a, b, sa, sb)  # transposed shapes and strides: one buffer?
                    if g is not None:
                        n = g * SETTINGS.fma_cost
            elif sa == sb or not sb:
                n = _prod(sa)
            elif not sa:
                n = _prod(sb)
            else:
                n = _prod(rules.broadcast_shape(sa, sb))
        if out is not None and contraction is None and po.shape != sa:
            # the output's shape joins the broadcast (NumPy refuses what does not fit)
            n = rules.pointwise(sa, po.shape) if unary else rules.pointwise(sa, sb, po.shape)
        budget, ns, _ = _active_get() or fallback_scope()
        # record key of (namespace, shapes): the last one is kept as one immutable tuple
        # (read and replaced atomically), loops mostly repeat it
        seen = last
        if sa == seen[0] and sb == seen[1] and ns == seen[2]:
            key = seen[3]
        else:
            k = (ns, sa, sb)
            key = keys.get(k)
            if key is None:
                key = keys[k] = intern_key(op_id, ns, (sa,) if unary else (sa, sb))
            last = (sa, sb, ns, key)
        # charge(budget, name, n, t0), inlined: this is the hottest path
        factor = weight_get(name, 1.0) * budget._mult
        cost = n if factor == 1.0 else scaled_cost(n, factor)
        records = budget._records
        mine = _get_ident() == records.owner
        if mine:
            used = budget._used + cost
            if used + budget._shared_used > budget._limit or t0 > budget._deadline:
                refused = refusal(budget, name, cost, t0)
                if type(refused) is ShapeOnlyCall:  # a dry run: booked, not run
                    symmetric = contraction is not None and g is not None
                    return _shape_only_fast(budget, op, key, cost, t0, a, b, out, symmetric)
                raise refused
            budget._used = used
        else:
            try:
                charge_shared(budget, name, cost, t0)
            except ShapeOnlyCall:  # a dry run: booked, not run
                symmetric = contraction is not None and g is not None
                return _shape_only_fast(budget, op, key, cost, t0, a, b, out, symmetric)
        t1 = _now()
        try:
            if out is None:
                r = uf(a) if unary else uf(a, b)
            else:
                uf(a, out=po) if unary else uf(a, b, out=po)
        except BaseException:
            refund(budget, cost)
            raise
        t2 = _now()
        if out is None:
            if contraction is not None and g is not None:  # X.T @ X: symmetric
                r = _SYMMETRY.computed(r, _gram_group(r.ndim))
            else:
                r = _view(r, _CA) if type(r) is _ND else wrap(r)
        else:
            r = o  # the caller's own out object (``a += b`` returns a)
        t3 = _now()
        # record(budget, key, cost, t0, t1, t2, t3, r), inlined: this is the hottest path
        buf = records.own
        offset = buf.offset
        if not mine:
            t3 = record_slow(budget, key, cost, t0, t1, t2, t3, r)
        elif offset < buf.capacity and cost <= INT64_MAX:
            pack_record(buf.data, offset, key, cost, t0, t1, t2, t3)
            buf.offset = offset + RECORD_BYTES
        else:
            records.add_own(key, cost, t0, t1, t2, t3)
        if t3 > budget._deadline:
            raise late(budget, name, t3)
        return r

    for method in ("reduce", "accumulate", "reduceat", "outer", "at"):
        setattr(counted, method, _ufunc_method(op, method))
    if _hotpath is None:
        return counted

    def signature(sa: tuple, sb: tuple | None, ns: int) -> tuple[int, int] | None:
        """(work, record key) of a call on these shapes in namespace ``ns``, as the body
        above computes them (contractions before ``fma_cost``): the compiled body's cache
        asks here on a miss, so the cost rule stays in one place."""
        if contraction is not None:
            n = contraction(sa, sb)
        elif sb is None or sa == sb or not sb:
            n = _prod(sa)
        elif not sa:
            n = _prod(sb)
        else:
            n = _prod(rules.broadcast_shape(sa, sb))
        k = (ns, sa, sb)
        key = keys.get(k)
        if key is None:
            key = keys[k] = intern_key(op_id, ns, (sa,) if sb is None else (sa, sb))
        return n, key

    hot = _hotpath.HotUfunc(
        counted, uf, name, signature, unary, _hotpath.MODE_CALL, contraction is not None
    )
    for method in ("reduce", "accumulate", "reduceat", "outer", "at"):
        setattr(hot, method, getattr(counted, method))
    return hot


def _shape_only_fast(
    budget: Any, op: Op, key: int, cost: int, t0: int, a: Any, b: Any, out: Any, symmetric: bool
) -> Any:
    """The fast body's call in a dry run: its stand-in result (a Gram matrix's symmetric,
    as in a real run), or the caller's ``out`` object."""
    operands = (a,) if b is None and op.impl.nin == 1 else (a, b)
    if out is not None:
        out = out[0] if type(out) is tuple else out
    r = shape_only_ufunc(budget, op, "__call__", key, cost, t0, operands, {}, out)
    return _SYMMETRY.computed(r, _gram_group(r.ndim)) if symmetric and out is None else r


def _ufunc_method(op: Op, method: str) -> Callable[..., Any]:
    def counted_method(*args: Any, **kwargs: Any) -> Any:
        return _ufunc_general(op, method, args, kwargs, _now())

    counted_method.__name__ = f"{op.short_name}.{method}"
    counted_method.__doc__ = getattr(op.impl, method).__doc__
    return counted_method


_METHOD_IDS: dict[tuple[str, str], tuple[int, dict, str]] = {}


def _ufunc_work(op: Op, method: str, inputs: tuple, outs: tuple, kwargs: dict) -> int:
    """The work of a ufunc call or method, from plain inputs."""
    if method == "at":
        a, indices = inputs[0], inputs[1]
        # shape of a[indices] without reading a: index a zero-strided stand-in
        stand_in = np.lib.stride_tricks.as_strided(np.zeros(1), a.shape, (0,) * a.ndim)
        target = stand_in[indices].shape
        return rules.pointwise(target, *(np.shape(i) for i in inputs[2:]))
    shapes = [np.shape(i) for i in inputs]
    if method == "__call__":
        if op.category == "counted_custom":
            return op.rule(inputs, kwargs)  # type: ignore[misc]
        out_shapes = [o.shape for o in outs if o is not None]
        return rules.pointwise(*shapes, *out_shapes)
    if method in ("reduce", "accumulate", "reduceat"):
        if op.impl.nin != 2:
            raise ValueError(f"{method} only supported for binary functions")
        return rules.numel(shapes[0])
    if method == "outer":
        return rules.numel(shapes[0]) * rules.numel(shapes[1])
    raise ValueError(f"unknown ufunc method {method!r}")


def _plain_out(out: Any) -> tuple[Any, tuple]:
    """(plain ``out`` argument for NumPy, tuple of plain output arrays)."""
    if out is None:
        return None, ()
    p = (
        tuple(None if o is None else _dry_plain(o) for o in out)
        if type(out) is tuple
        else (_dry_plain(out),)
    )
    for o in p:
        if o is not None and not isinstance(o, _ND):  # NumPy's refusal, before any charge
            raise TypeError(f"return arrays must be of ArrayType, got {type(o).__name__}")
    return (p if type(out) is tuple else p[0]), p


def _restore_outs(result: Any, plain_outs: tuple, outs: Any) -> Any:
    """Map NumPy's returned out arrays back to the caller's (counted) objects."""
    originals = outs if type(outs) is tuple else (outs,)
    by_id = {id(p): o for p, o in zip(plain_outs, originals) if p is not None}
    if type(result) is tuple:
        return tuple(by_id.get(id(r), wrap(r)) if r is not None else r for r in result)
    return by_id.get(id(result), wrap(result))


def _ufunc_general(op: Op, method: str, inputs: tuple, kwargs: dict, t0: int) -> Any:
    """Any ufunc call: keywords, ``out=``, ``where=``, and every ufunc method. A call
    writing into a symmetric tensor (``out=``, ``ufunc.at``) runs in the context the
    symmetric tensor module gives it (refused, or let through and counted)."""
    if "out" in kwargs or method == "at" or len(inputs) > op.impl.nin:
        written = _written_symmetric(op.impl, method, inputs, kwargs)
        if written:
            with _SYMMETRY.writes(written, f"write the result of {op.name} into it"):
                return _ufunc_general_body(op, method, inputs, kwargs, t0)
    return _ufunc_general_body(op, method, inputs, kwargs, t0)


def _written_symmetric(uf: Any, method: str, inputs: tuple, kwargs: dict) -> list[Any]:
    """The symmetric tensors a ufunc call writes into."""
    out = kwargs.get("out")
    targets = list(out) if type(out) is tuple else [out]
    if method == "__call__":
        targets.extend(inputs[uf.nin :])  # outputs given by position
    elif method == "at" and inputs:
        targets.append(inputs[0])
    return [t for t in targets if type(t) in _SYMMETRIC_TYPES]


def _ufunc_general_body(op: Op, method: str, inputs: tuple, kwargs: dict, t0: int) -> Any:
    uf: np.ufunc = op.impl
    ids_key = (op.name, method)
    ids = _METHOD_IDS.get(ids_key)
    if ids is None:  # once per (ufunc, method): the recorded name and its key cache
        label = op.name if method == "__call__" else f"{op.name}.{method}"
        ids = _METHOD_IDS[ids_key] = (intern_name(label), {}, label)
    op_id, sigs, label = ids
    if method == "__call__" and len(inputs) > uf.nin:
        if "out" in kwargs:
            raise TypeError(f"{op.name}() got out both positionally and as a keyword")
        kwargs = dict(kwargs)
        outs = inputs[uf.nin :]
        kwargs["out"] = outs if len(outs) > 1 else outs[0]
        inputs = inputs[: uf.nin]
    if method == "at":
        # a is updated in place (through a plain view); indices may be a tuple of arrays
        first = inputs[0]
        if not isinstance(first, _ND):
            raise TypeError(f"{label}: the first argument must be an array")
        if not first.flags.writeable:  # NumPy's ufunc.at does not check (as of 2.4)
            raise ValueError(f"{label}: the array is read-only")
        pinputs = (
            _view(first, _ND),
            plain(inputs[1]),
            *(_operand(i, label)[0] for i in inputs[2:]),
        )
    else:
        # (subclasses, a dry run's stand-ins among them, are unwrapped by ``_operand``)
        pinputs = tuple(
            _view(i, _ND) if type(i) is _CA or type(i) is _ND else _operand(i, label)[0]
            for i in inputs
        )
    for i in pinputs:
        if isinstance(i, _ND) and i.dtype.kind in _BAD_KINDS:
            raise rules.dtype_error(i, label)
    out_arg = kwargs.get("out")
    try:
        pkwargs = {k: plain(v) for k, v in kwargs.items()} if kwargs else kwargs
    except StandInArgument:  # a dry run's stand-in (an ``out=``): its plain view
        pkwargs = {k: _dry_plain(v) for k, v in kwargs.items()}
    plain_outs: tuple = ()
    if out_arg is not None:
        pkwargs["out"], plain_outs = _plain_out(out_arg)
        _refuse_read_only(pkwargs["out"], label, out_arg)
    work = _ufunc_work(op, method, pinputs, plain_outs, pkwargs)
    claim = None  # (the group a pointwise result keeps, whether it was declared)
    if method == "__call__" and op.category in _POINTWISE:
        for i in inputs:
            if type(i) in _SYMMETRIC_TYPES:
                claim = _pointwise_symmetry(op, inputs, pinputs, kwargs, label)
                if claim is not None:
                    work = claim[0].orbit_count(np.broadcast_shapes(*map(np.shape, pinputs)))
                break
    if op.fma:
        work *= SETTINGS.fma_cost
    budget, ns, _ = _active_get() or fallback_scope()
    shapes = tuple(
        i.shape if isinstance(i, _ARRAYLIKE) else ()
        for i in pinputs
        if isinstance(i, _ARRAYLIKE) or type(i) in _PY_SCALARS
    )
    key = _key_id(sigs, op_id, ns, shapes)
    try:
        cost = charge(budget, op.name, work, t0)
    except ShapeOnlyCall as call:  # a dry run: booked, not run
        r = shape_only_ufunc(budget, op, method, key, call.cost, t0, pinputs, pkwargs, out_arg)
        return r if claim is None else _SYMMETRY.pointwise_result(r, claim)
    t1 = _now()
    try:
        r = getattr(uf, method)(*pinputs, **pkwargs)
    except BaseException:
        refund(budget, cost)
        raise
    t2 = _now()
    if claim is not None:
        r = _SYMMETRY.pointwise_result(r, claim)
    else:
        r = wrap(r) if out_arg is None else _restore_outs(r, plain_outs, out_arg)
    record(budget, key, cost, t0, t1, t2, _now(), r)
    return r


def _pointwise_symmetry(op: Op, inputs: tuple, pinputs: tuple, kwargs: dict, label: str) -> Any:
    """The group the result of a pointwise ufunc call keeps when an operand declares a
    symmetry, or None (the symmetry module warns when a declared symmetry is lost).
    Keywords that choose where the values go (``out=``, ``where=``) drop it: the result
    is then priced at every element, as any other call."""
    keeps = all(
        k in _SYMMETRY_NEUTRAL_KEYWORDS
        or (k == "out" and (v is None or (type(v) is tuple and v.count(None) == len(v))))
        or (k == "where" and v is True)
        for k, v in kwargs.items()
    )
    return _SYMMETRY.pointwise_group(label, inputs, tuple(map(np.shape, pinputs)), keeps)


def register_symmetric(cls: type, hooks: Any) -> None:
    """Counted calls on instances of ``cls`` ask ``hooks`` what their symmetry does:

    * ``pointwise_group(name, inputs, shapes, keeps)``: the claim a pointwise result
      keeps (its group and whether it was declared; None: a plain result, full price);
      ``pointwise_result(r, claim)``: NumPy's result ``r`` (an array or a tuple of
      arrays) carrying it;
    * ``computed(r, group)``: a result symmetric by construction (``X.T @ X``);
    * ``contraction(name, args, kwargs)``: a contraction-family call with a symmetric
      operand, or one buffer on both sides (NotImplemented: the plain path runs it);
    * ``propagated(kind, name, args, kwargs)``: the claim a
      :data:`SYMMETRY_PROPAGATION` row's result keeps; ``layout(x, r)``: the result of
      a :data:`SYMMETRY_LAYOUT` row on ``x`` with the group that survives; ``lost(name,
      x, r)``: warns when a same-shaped result drops a declared group;
    * ``writes(tensors, action)``: the context a call writing into them runs in."""
    global _SYMMETRY
    _SYMMETRIC_TYPES.add(cls)
    _SYMMETRY = hooks


def register_stand_in(cls: type) -> None:
    """Instances of ``cls`` are a dry run's stand-ins (values unknown) too."""
    STAND_IN_TYPES.add(cls)
    _COUNTED_TYPES.add(cls)


def _gram_group(rank: int) -> Any:
    """The symmetry of ``X.T @ X`` of ``rank`` axes: its last two axes exchanged."""
    group = _GRAM_GROUPS.get(rank)
    if group is None:
        from ._symmetry import SymmetryGroup

        group = _GRAM_GROUPS[rank] = SymmetryGroup.symmetric((rank - 2, rank - 1), rank)
    return group


_GRAM_GROUPS: dict[int, Any] = {}


# ---------------------------------------------------------------------- generic bodies
def _inspect_args(args: tuple, name: str) -> tuple[tuple[int, ...], ...]:
    """Shapes of the array arguments (for the record), refusing non-numeric data. A
    string passed by position is an option (``sort(a, -1, 'stable')``, ``pad(a, 1,
    'edge')``, ``sum(a, 0, 'f4')``), never data: NumPy decides what it means."""
    shapes = []
    for a in args:
        if isinstance(a, _ARRAYLIKE):
            if a.dtype.kind in _BAD_KINDS:
                raise rules.dtype_error(a, name)
            shapes.append(a.shape)
        elif type(a) is list:  # a sequence of arrays (``multi_dot``, ``choose``): theirs
            for e in a:
                if isinstance(e, _ARRAYLIKE):
                    if e.dtype.kind in _BAD_KINDS:
                        raise rules.dtype_error(e, name)
                    shapes.append(e.shape)
    return tuple(shapes)


_ARRAYLIKE = (_ND, np.generic)


def _keep_identity(args: tuple, pargs: tuple) -> tuple:
    """One object passed twice stays one object after unwrapping (einsum prices it)."""
    if len(args) == 3:  # subscripts and two operands, the common case
        if args[1] is args[2] and pargs[1] is not pargs[2]:
            return (pargs[0], pargs[1], pargs[1])
        return pargs
    if len(args) == 2:  # inner(a, b), dot(a, b)
        return (pargs[0], pargs[0]) if args[0] is args[1] else pargs
    first: dict[int, Any] = {}
    return tuple(first.setdefault(id(a), p) for a, p in zip(args, pargs))


def _refuse_read_only(out: Any, name: str, given: Any = None) -> None:
    """A read-only ``out=`` buffer is refused before anything is charged or runs (some
    NumPy versions' ``cumsum`` wrote into one: a symmetric tensor's data must not
    change). A dry run's stand-in (``given``: the caller's objects) is written by
    nothing, and passes."""
    outs = out if type(out) is tuple else (out,)
    givens = (given if type(given) is tuple else (given,)) if given is not None else outs
    for o, g in zip(outs, givens):
        if isinstance(o, _ND) and not o.flags.writeable and type(g) not in STAND_IN_TYPES:
            raise ValueError(f"{name}: output array is read-only")


def _plain_kwargs(kwargs: dict) -> tuple[Any, dict]:
    """(the caller's ``out`` argument, the keywords with plain values for NumPy)."""
    return kwargs.get("out"), {k: plain(v) for k, v in kwargs.items()}


def _generic_callable(op: Op, impl: Any, *, bound: bool = False) -> Callable[..., Any]:
    """The body for every other counted row. ``bound``: a method whose ``self`` wraps a
    NumPy object (``self._wrapped``) passed to ``impl`` first; the rule never sees it."""
    rule = op.rule
    name = op.billing_name
    op_id = intern_name(name)
    fma = op.fma
    takes_subscripts = name in _STRING_ARGS_OK
    keeps_identity = name in _IDENTITY_PRICED
    propagation = SYMMETRY_PROPAGATION.get(name) if not bound else None
    keys: dict = {}
    assert rule is not None

    last: tuple = (None, None, None, -1)

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal last
        t0 = _now()
        if bound:
            target, args = args[0]._wrapped, args[1:]
        if keeps_identity and _SYMMETRY is not None:
            # a symmetric operand, or (dot, inner, tensordot) one buffer on both sides
            # (X.T and X): priced under the symmetry, the result symmetric
            if not _SYMMETRIC_TYPES.isdisjoint(map(type, args)) or (
                not takes_subscripts and len(args) > 1 and may_be_one_buffer(args[0], args[1])
            ):
                r = _SYMMETRY.contraction(name, args, kwargs)
                if r is not NotImplemented:
                    return r
        n_args = len(args)
        pargs: tuple
        try:
            if n_args == 1:
                pargs = (plain(args[0]),)
            elif n_args == 2:
                pargs = (plain(args[0]), plain(args[1]))
            else:
                pargs = tuple(map(plain, args))
            out, pkwargs = _plain_kwargs(kwargs) if kwargs else (None, kwargs)
        except StandInArgument:  # a dry run's stand-in: its plain view
            pargs, out, pkwargs = stand_in_arguments(args, kwargs)
        if keeps_identity:
            pargs = _keep_identity(args, pargs)
        if out is not None:
            if type(out) in _SYMMETRIC_TYPES and not _writing.get():
                with _SYMMETRY.writes([out], f"write the result of {name} into it"):
                    token = _writing.set(True)  # the call again, inside the context
                    try:
                        return counted(*args, **kwargs)
                    finally:
                        _writing.reset(token)
            _refuse_read_only(pkwargs["out"], name, out)
        if n_args == 1 and isinstance(pargs[0], _ND):
            a = pargs[0]
            if a.dtype.kind in _BAD_KINDS:
                raise rules.dtype_error(a, name)
            shapes: tuple = (a.shape,)
        else:
            shapes = _inspect_args(pargs, name)
        work = rule(pargs, pkwargs)
        claim = None
        symmetric_first = bool(args) and type(args[0]) in _SYMMETRIC_TYPES
        if symmetric_first and propagation is not None:
            claim = _SYMMETRY.propagated(propagation, name, args, kwargs)
            if claim is not None and propagation == "elementwise":
                work = claim[0].orbit_count(args[0].shape)  # its distinct elements
        if fma:
            work *= SETTINGS.fma_cost
        budget, ns, _ = _active_get() or fallback_scope()
        subscripts = pargs[0] if takes_subscripts and pargs and type(pargs[0]) is str else None
        seen = last  # the last record key, as in the ufunc body
        if shapes == seen[0] and ns == seen[1] and subscripts == seen[2]:
            key = seen[3]
        else:
            k = (ns, shapes, subscripts)
            key = keys.get(k)
            if key is None:
                key = keys[k] = intern_key(op_id, ns, shapes, subscripts)
            last = (shapes, ns, subscripts, key)
        try:
            cost = charge(budget, name, work, t0)
        except ShapeOnlyCall as call:  # a dry run: booked, not run
            call_impl = (lambda *a, **k: impl(target, *a, **k)) if bound else impl
            r = shape_only_result(budget, op, key, call.cost, t0, pargs, pkwargs, out, call_impl)
            if out is None and claim is not None and isinstance(r, _ND) and r.ndim > 1:
                return _SYMMETRY.pointwise_result(r, claim)
            if out is None and symmetric_first and propagation is None:
                _SYMMETRY.lost(name, args[0], r)
            return r
        t1 = _now()
        try:
            r = impl(target, *pargs, **pkwargs) if bound else impl(*pargs, **pkwargs)
        except BaseException:
            refund(budget, cost)
            raise
        t2 = _now()
        if out is not None and r is pkwargs.get("out"):
            r = out
        elif claim is not None and isinstance(r, _ND) and r.ndim > 1:
            r = _SYMMETRY.pointwise_result(r, claim)
        else:
            r = wrap(r)
            if symmetric_first and propagation is None:
                _SYMMETRY.lost(name, args[0], r)  # warns if a declared group is lost
        record(budget, key, cost, t0, t1, t2, _now(), r)
        return r

    if _hotpath is None or bound or keeps_identity or takes_subscripts:
        return counted

    def signature(sa: tuple, sb: tuple | None, ns: int) -> tuple[int, int]:
        """(0, record key) of a call on arrays of these shapes in namespace ``ns``: the
        compiled body's key cache asks here on a miss (its work is the rule's)."""
        shapes = (sa,) if sb is None else (sa, sb)
        k = (ns, shapes, None)
        key = keys.get(k)
        if key is None:
            key = keys[k] = intern_key(op_id, ns, shapes, None)
        return 0, key

    return _hotpath.HotUfunc(counted, impl, name, signature, contraction=fma, rule=rule)


#: free functions that call back into user code: positions of the callable arguments.
#: The callbacks receive counted arrays, so the arithmetic they do is charged. A row
#: with no position listed makes counted calls of its own (``poly1d(roots, True)``
#: charges ``poly``). None of these is timed as a whole: its counted calls time
#: themselves, and timing the whole call too would count that time twice.
CALLBACK_ARGS: dict[str, tuple[int, ...]] = {
    "apply_along_axis": (0,),
    "apply_over_axes": (0,),
    "fromfunction": (0,),
    "piecewise": (2,),
    "mask_indices": (1,),
    "poly1d": (),
}


def _counted_callback(fn: Any) -> Any:
    if not callable(fn):
        return fn

    def callback(*args: Any, **kwargs: Any) -> Any:
        return plain(fn(*map(wrap, args), **kwargs))

    return callback


def _with_counted_callbacks(args: tuple, positions: tuple[int, ...]) -> tuple:
    replaced = list(args)
    for pos in positions:
        if pos < len(replaced):
            arg = replaced[pos]
            if isinstance(arg, (list, tuple)):
                replaced[pos] = type(arg)(map(_counted_callback, arg))
            else:
                replaced[pos] = _counted_callback(arg)
    return tuple(replaced)


def _free_callable(op: Op, impl: Any, *, bound: bool = False) -> Callable[..., Any]:
    """A free row: no charge, no record; NumPy runs on plain values, the result is wrapped.

    Its time is flopscope's all the same (NumPy's as backend, the rest as overhead),
    booked per namespace without a record. Rows that call back into user code
    (``CALLBACK_ARGS``) are not timed: the callbacks' counted calls time themselves, and
    timing the whole call too would count their time twice.
    """
    callbacks = CALLBACK_ARGS.get(op.name)
    if callbacks is not None:
        return _untimed_free_callable(impl, callbacks, bound=bound, op=op)
    layout = op.name in SYMMETRY_LAYOUT and not bound
    writes_first = op.name in WRITE_INTO_FIRST and not bound
    creates = op.name in SHAPE_ONLY_CREATION and not bound

    def free(*args: Any, **kwargs: Any) -> Any:
        if creates and (_active_get() or fallback_scope())[0]._shape_only:
            return shape_only_free(op, impl, args, kwargs)  # a dry run: no memory
        if writes_first and args and type(args[0]) in _SYMMETRIC_TYPES and not _writing.get():
            with _SYMMETRY.writes([args[0]], f"{op.name} into it"):
                token = _writing.set(True)
                try:
                    return free(*args, **kwargs)
                finally:
                    _writing.reset(token)
        t0 = _now()
        if bound:
            target, args = args[0]._wrapped, args[1:]
        try:
            if len(args) == 1:
                pargs: tuple = (plain(args[0]),)
            else:
                pargs = tuple(map(plain, args)) if args else args
            if kwargs:
                out, pkwargs = _plain_kwargs(kwargs)
            else:
                out, pkwargs = None, kwargs
        except StandInArgument:  # a dry run's stand-ins: shaped on their views
            if layout and args and type(args[0]) in _SYMMETRIC_TYPES:
                r = shape_only_free(op, impl, args, kwargs, raw=True)
                return _SYMMETRY.layout(args[0], r) if type(r) is _ND else r
            return shape_only_free(op, impl, args, kwargs)
        t1 = _now()
        try:
            r = impl(target, *pargs, **pkwargs) if bound else impl(*pargs, **pkwargs)
        finally:
            t2 = _now()
        if out is not None and r is pkwargs.get("out"):
            r = out
        elif pargs and r is pargs[0] and type(args[0]) is _CA:
            r = args[0]  # asarray(a) is a, as in NumPy, when a already qualifies
        elif layout and type(r) is _ND and args and type(args[0]) in _SYMMETRIC_TYPES:
            r = _SYMMETRY.layout(args[0], r)  # a transpose or reshape keeps the group
        else:
            r = _view(r, _CA) if type(r) is _ND else wrap(r)
        # book_free(t0, t1, t2, t3), inlined: the scope carries the accumulator
        booked = (_active_get() or fallback_scope())[2]
        booked.calls += 1
        booked.backend_ns += t2 - t1
        booked.overhead_ns += (_now() - t0) - (t2 - t1)
        return r

    if _hotpath is None or bound or writes_first:
        return free
    return _hotpath.HotUfunc(free, impl, op.name, None, mode=_hotpath.MODE_FREE)


def _untimed_free_callable(
    impl: Any, callbacks: tuple[int, ...], *, bound: bool = False, op: Op | None = None
) -> Callable[..., Any]:
    """A free row's body without the time booking (rows that call back into user code;
    the overhead benchmark's reference for what the booking costs)."""

    def free(*args: Any, **kwargs: Any) -> Any:
        if bound:
            target, args = args[0]._wrapped, args[1:]
        given = args
        if callbacks:
            args = _with_counted_callbacks(args, callbacks)
        try:
            pargs = tuple(map(plain, args))
            pkwargs = {k: plain(v) for k, v in kwargs.items()} if kwargs else kwargs
        except StandInArgument:  # a dry run's stand-ins: the callbacks are given stand-ins
            if op is None or bound:
                raise
            return shape_only_callbacks(op, impl, given, kwargs, callbacks)
        out = kwargs.get("out") if kwargs else None
        r = impl(target, *pargs, **pkwargs) if bound else impl(*pargs, **pkwargs)
        if out is not None and r is pkwargs.get("out"):
            return out
        return wrap(r)

    return free


def _blocked_callable(op: Op) -> Callable[..., Any]:
    message = blocked_message(op)

    def blocked(*args: Any, **kwargs: Any) -> Any:
        raise UnsupportedFunctionError(message)

    return blocked


def blocked_message(op: Op) -> str:
    return f"{op.module}.{op.short_name} is blocked in flopscope: {op.notes}"


def pending_message(name: str) -> str:
    """``name``: the function's public name without ``numpy.`` (``linalg.svd``)."""
    return (
        f"numpy.{name} is not supported by flopscope yet: it is not in the operation "
        "registry, and flopscope does not let an operation run uncounted"
    )


def make_counted(op: Op, impl: Any = None, *, bound: bool = False) -> Callable[..., Any]:
    """Turn a registry row into its callable (``impl`` overrides the row's NumPy callable,
    e.g. a generator method priced by the same row)."""
    op = loaded(op)  # (a backend of a module loaded on first use: now)
    own = op.backend is not None and impl is None
    impl = op.impl if impl is None else impl
    # NumPy's undispatched implementation: arguments reach it already unwrapped, so the
    # __array_function__ check of the public function would only cost time. A row with
    # a backend of flopscope's own runs that instead.
    backend = op.backend if own else getattr(impl, "_implementation", impl)
    if op.category == "blocked":
        fn = _blocked_callable(op)
    elif op.category == "free":
        fn = _free_callable(op, backend, bound=bound)
    elif op.is_ufunc and not bound and (op.impl.nin == 1 or op.impl.nin == 2):
        fn = _ufunc_callable(op)
    else:
        fn = _generic_callable(op, backend, bound=bound)
    short = op.short_name
    fn.__name__ = short
    fn.__qualname__ = short
    fn.__module__ = "flopscope." + op.module
    fn.__doc__ = _docstring(op, op.backend if own else impl)
    fn.__wrapped__ = op.backend if own else impl  # type: ignore[attr-defined]
    return fn


def _docstring(op: Op, impl: Any) -> str:
    """NumPy's docstring with the row's FLOP cost appended: docs and charges share the rule."""
    unit = " (fused multiply-adds: times fma_cost)" if op.fma else ""
    header = f"flopscope: {op.category}; FLOP cost: {op.formula}{unit}"
    if op.notes and op.category != "blocked":
        header += f" [{op.notes}]"
    doc = getattr(impl, "__doc__", None) or ""
    return f"{header}\n\n{doc}"


# ---------------------------------------------------------------------- building
#: rows of NumPy submodules loaded on first use (``fft.fft``): noted in ``_IMPL_ROWS``
#: once NumPy has loaded their submodule (:func:`_note_loaded_submodules`)
_DEFERRED_ROWS: dict[str, str] = {}


def _note(name: str, op: Op) -> None:
    if op.category != "free" or not isinstance(op.impl, type):
        _IMPL_ROWS.setdefault(op.impl, name)


def _build() -> None:
    """Note every NumPy callable's row, for ``__array_function__`` and
    ``__array_ufunc__``; ``COUNTED`` builds a row when it is first asked for (the array
    protocol asks for the operators' rows at import)."""
    for name, op in REGISTRY.items():
        if op.impl is None:
            continue
        if type(op.impl) is Deferred:
            if op.impl.module == "numpy":
                _DEFERRED_ROWS[name] = "numpy." + name.partition(".")[0]
            continue
        _note(name, op)


def _note_loaded_submodules() -> None:
    """Note the rows of deferred submodules that have loaded since (``np.fft.fft`` on a
    counted array: NumPy loaded ``numpy.fft`` to call it). Runs on a miss only."""
    for name, module in list(_DEFERRED_ROWS.items()):
        # (pop: another thread may note the same rows at the same time)
        if module in sys.modules and _DEFERRED_ROWS.pop(name, None) is not None:
            _note(name, resolved(name))


_build()


def generator_methods(cls: type, numpy_cls: type) -> None:
    """Give a wrapper class (``self._wrapped`` a NumPy generator) counted sampling methods,
    priced by the ``random.*`` rows."""
    for name in dir(numpy_cls):
        if name.startswith("_"):
            continue
        impl = getattr(numpy_cls, name)
        if not callable(impl):
            continue
        op = REGISTRY.get(f"random.{name}")
        if op is None and name in GENERATOR_METHODS:
            op = Op(
                f"random.{name}",
                impl,
                "counted_custom",
                GENERATOR_METHODS[name],
                output=GENERATOR_OUTPUTS.get(name),
            )
        if op is None:
            continue
        setattr(cls, name, make_counted(op, impl, bound=True))


def register_wrapper(numpy_type: type, wrapper: Callable[[Any], Any]) -> None:
    """Results of ``numpy_type`` are given to ``wrapper`` (e.g. counted generators). A
    wrapper class holding the NumPy object as ``_wrapped`` is unwrapped again wherever
    it is passed to NumPy (``default_rng(rng)``)."""
    WRAPPERS[numpy_type] = wrapper
    if isinstance(wrapper, type) and hasattr(wrapper, "_wrapped"):
        _HOLDERS.add(wrapper)
        _COUNTED_TYPES.add(wrapper)
