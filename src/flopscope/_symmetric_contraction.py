"""The contraction family on symmetric tensors: ``einsum``, ``matmul`` (``@``), ``dot``,
``inner``, ``tensordot`` and ``outer`` (of vectors) with a :class:`~flopscope.SymmetricTensor` operand (and
``einsum_path``, whose plan then shows each step's saving under the groups).

Each call is written as the einsum it is (``a @ b`` on matrices is ``'ij,jk->ik'``,
``inner`` sums the last axes, ``tensordot`` the named ones) and priced by the einsum
planner with every operand's group (:mod:`flopscope._rules.contraction_symmetry`): each
step costs the distinct products the groups and repeated operands leave, and the path
search uses that cost. A SymmetricTensor and a transposed view of its memory count as
one array. A result that the groups make symmetric (``S @ S`` for a symmetric ``S``,
``einsum('ij,jk,kl->il', S, S, S)``) is a computed :class:`SymmetricTensor` (its own
API writes into it; its claim is checked after a write); any other is a plain counted
array.

``einsum`` runs the priced path (flopscope's step loop); the other functions run as
NumPy's own. A call with keywords other than einsum's ``optimize`` (``out=``, ``dtype=``,
matmul's ``axes=``) or with operands NumPy would treat specially (0-d operands) is priced
and run as on plain arrays: at the dense price, never below it.
"""

from __future__ import annotations

from time import perf_counter_ns as _now
from typing import TYPE_CHECKING, Any

import numpy as np

from ._budget import ACTIVE, ShapeOnlyCall, charge, fallback_scope, record, refund
from ._config import SETTINGS
from ._dispatch import wrap
from ._dry_run import STAND_IN_TYPES, shape_only_result, stand_in_plain
from ._records import intern_key, intern_name
from ._registry import REGISTRY
from ._rules.contractions import contraction_subscripts, einsum_operands, same_memory_permutation
from ._symmetric_tensor import SymmetricTensor, _Hooks, computed

if TYPE_CHECKING:
    from . import _einsum

__all__: list[str] = []

_ND = np.ndarray
_view = _ND.view


def _as_einsum(name: str, args: tuple, kwargs: dict) -> tuple[str, list[Any], Any] | None:
    """(subscripts, operands, optimize) of a contraction-family call, or None when it is
    left to the plain path."""
    if name in ("einsum", "einsum_path"):
        if any(k not in ("optimize", "einsum_call") for k in kwargs) or (
            name == "einsum" and "einsum_call" in kwargs
        ):
            return None
        subscripts, operands = einsum_operands(args)
        default = True if name == "einsum" else "greedy"  # as NumPy's einsum_path
        return subscripts, operands, kwargs.get("optimize", default)
    if kwargs and not (name == "tensordot" and set(kwargs) == {"axes"}):
        return None
    if len(args) < 2:
        return None
    a, b = args[0], args[1]
    if not isinstance(a, _ND) or not isinstance(b, _ND):
        return None  # scalars and lists: the plain path
    if name in ("tensordot", "linalg.tensordot"):
        if len(args) > 3:
            return None
        axes = args[2] if len(args) > 2 else kwargs.get("axes", 2)
    elif len(args) != 2:
        return None
    else:
        axes = None
    spec = contraction_subscripts(name.removeprefix("linalg."), a.ndim, b.ndim, axes)
    if spec is None:
        return None
    return spec, [a, b], True


def _run_numpy(name: str, args: tuple, kwargs: dict) -> Any:
    function: Any = {
        "matmul": np.matmul,
        "linalg.matmul": np.matmul,
        "dot": np.dot,
        "inner": np.inner,
        "tensordot": np.tensordot,
        "linalg.tensordot": np.tensordot,
        "outer": np.outer,
    }[name]
    return function(*args, **kwargs)


def symmetric_contraction(name: str, args: tuple, kwargs: dict) -> Any:
    """A contraction-family call with a SymmetricTensor operand, priced under the
    operands' groups (see the module's documentation); NotImplemented when the call is
    left to the plain path."""
    t0 = _now()
    from . import _einsum  # (loaded on first use: import time)

    spec = _as_einsum(name, args, kwargs)
    if spec is None:
        return NotImplemented
    subscripts, operands, optimize = spec
    if not isinstance(subscripts, str):
        return NotImplemented
    plain_operands: list[Any] = []
    groups: dict[int, Any] = {}  # id of the plain view -> the group its data has
    unchecked: dict[int, SymmetricTensor] = {}  # computed tensors: claims not yet checked
    views: dict[int, Any] = {}  # one object passed twice stays one view
    for x in operands:
        view = views.get(id(x))
        if view is None:
            if not isinstance(x, _ND):
                return NotImplemented
            if type(x) in STAND_IN_TYPES:
                stand_in_plain(x)  # type: ignore[arg-type]  # outside its dry run: raises
            view = views[id(x)] = _view(x, _ND)
            if isinstance(x, SymmetricTensor):
                group = x._claim()
                if not group.is_trivial:
                    groups[id(view)] = group
                    if not x._trusted:
                        unchecked[id(view)] = x
        plain_operands.append(view)
    if (
        len(plain_operands) == 2
        and plain_operands[0] is not plain_operands[1]
        and groups.get(id(plain_operands[0])) == groups.get(id(plain_operands[1]))
        and same_memory_permutation(plain_operands[0], plain_operands[1])
        == tuple(range(plain_operands[0].ndim))
    ):
        plain_operands[1] = plain_operands[0]  # two views alike of one buffer
    for x in plain_operands:
        if x.dtype.kind not in "biufc":
            return NotImplemented  # the plain path names the bad dtype
    subscripts, canonical = _einsum._canonical(subscripts, plain_operands)
    twins = _einsum._twins(canonical)
    shapes = tuple(x.shape for x in canonical)
    key_optimize = _einsum._optimize_key(optimize)

    def planned(known: dict[int, Any]) -> _einsum.EinsumPlan:
        elements = tuple(known.get(id(x)) for x in canonical)
        present = any(e is not None for e in elements)
        return _einsum._plan(subscripts, shapes, key_optimize, twins, elements if present else None)

    plan = planned(groups)
    if unchecked:
        # a computed tensor's claim is checked (a pass over its data) only when it
        # changes the price or the result: G @ v costs the same either way
        bare = planned({k: g for k, g in groups.items() if k not in unchecked})
        if bare.optimized_cost == plan.optimized_cost and bare.symmetry == plan.symmetry:
            plan = bare
        else:
            ended = [k for k, x in unchecked.items() if x.symmetry.is_trivial]
            if ended:  # written out of symmetry: priced as the data now is
                plan = planned({k: g for k, g in groups.items() if k not in ended})
    # einsum_path plans: one nominal FLOP, nothing runs (as on plain arrays)
    if name == "einsum_path":
        work = 1
    elif name == "outer":  # multiplications only: no fused multiply-adds to weigh
        work = plan.optimized_cost
    else:
        work = plan.optimized_cost * SETTINGS.fma_cost
    budget, ns, _ = ACTIVE.get() or fallback_scope()
    key = intern_key(
        intern_name(name),
        ns,
        tuple(x.shape for x in operands),
        subscripts if name in ("einsum", "einsum_path") else None,
    )
    try:
        cost = charge(budget, name, work, t0)
    except ShapeOnlyCall as call:  # a dry run: booked, not run
        if name == "einsum_path":
            record(budget, key, call.cost, t0, t0, t0, _now(), None)
            return plan.numpy_path, plan
        pargs = (
            (subscripts, *canonical)
            if name == "einsum"
            else (plain_operands[0], plain_operands[1], *args[2:])
        )
        numpy = np.einsum if name == "einsum" else lambda *a, **k: _run_numpy(name, a, k)
        stood_in = shape_only_result(
            budget, REGISTRY[name], key, call.cost, t0, pargs, kwargs, None, numpy
        )
        if plan.symmetry is not None and isinstance(stood_in, _ND) and stood_in.ndim > 1:
            return computed(stood_in, plan.symmetry)
        return stood_in
    t1 = _now()
    if name == "einsum_path":
        record(budget, key, cost, t0, t1, _now(), _now(), None)
        return plan.numpy_path, plan
    result: Any
    try:
        if name == "einsum":
            result = _einsum.run_plan(plan, canonical)
        else:
            plain_args = (_view(args[0], _ND), _view(args[1], _ND), *args[2:])
            result = _run_numpy(name, plain_args, kwargs)
    except BaseException:
        refund(budget, cost)
        raise
    t2 = _now()
    if plan.symmetry is not None and isinstance(result, _ND) and result.ndim > 1:
        result = computed(result, plan.symmetry)
    else:
        result = wrap(result)
    record(budget, key, cost, t0, t1, t2, _now(), result)
    return result


_Hooks.contraction = staticmethod(symmetric_contraction)
