"""The dry run against the real run, row by row: every counted row x its samples.

For each sample call of each counted row (the samples of ``test_registry_ops``), the
call is made in a real budget and in a dry run. The dry run must charge exactly what the
real run charged and hand back stand-ins of exactly the real results' shapes and dtypes,
in the same kind of tuple. The same call is then made with every array argument
replaced by a stand-in (values unknown): it must agree again, or - for the rows whose
result shape depends on values - refuse with ``DryRunValueError`` and charge nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import flopscope as flops
from flopscope._dispatch import COUNTED
from flopscope._dry_run import FREE_VALUE_ARGS, ShapeOnlyArray, stand_in
from flopscope.errors import DryRunValueError
from test_registry_ops import COUNTED_NAMES, FREE_CASES, counted_cases

pytestmark = pytest.mark.usefixtures("unit_weights")

#: rows whose result's shape or dtype depends on the values of their arguments: a dry run
#: refuses them when those arguments are stand-ins (eig and eigvals of real data before
#: NumPy 2.5: the result's type, real or complex; emath: complex outside the domain)
VALUE_DEPENDENT = frozenset(
    """
    nonzero flatnonzero argwhere unique unique_values unique_counts unique_inverse
    unique_all union1d intersect1d setxor1d setdiff1d trim_zeros bincount roots
    polydiv polyadd polysub polymul polyder polyint poly real_if_close histogram
    histogram_bin_edges histogram2d histogramdd random.choice
    emath.sqrt emath.log emath.log2 emath.log10 emath.arccos emath.arcsin emath.arctanh
    emath.power emath.logn
    linalg.eig linalg.eigvals
    where polyval polyfit
    """.split()
)


def _all_cases():
    for name in COUNTED_NAMES:
        for i, case in enumerate(counted_cases(name)):
            yield pytest.param(name, case, id=f"{name}-{i}")


def _leaves(r: Any) -> list[Any]:
    if isinstance(r, (tuple, list)):
        out: list[Any] = []
        for e in r:
            out.extend(_leaves(e))
        return out
    return [r]


def _copy(x: Any) -> Any:
    return x.copy() if isinstance(x, np.ndarray) else x


def _stand_ins(x: Any) -> Any:
    if isinstance(x, np.ndarray) and x.dtype.kind in "biufc":
        return stand_in(x.shape, x.dtype)
    if type(x) is list and x and all(isinstance(e, np.ndarray) for e in x):
        return [_stand_ins(e) for e in x]
    return x


def _run(budget: Any, name: str, case: Any, args: list, kwargs: dict) -> Any:
    with budget, np.errstate(all="ignore"):
        if case.seed is not None:
            np.random.seed(case.seed)
        return COUNTED[name](*args, **kwargs)


def _assert_stands_for(dry: Any, real: Any) -> None:
    if isinstance(real, tuple) and real and type(real[0]) is list:  # einsum_path
        assert dry[0] == real[0]
        return
    assert type(dry) is type(real) or not isinstance(real, tuple), (type(dry), type(real))
    dry_leaves, real_leaves = _leaves(dry), _leaves(real)
    assert len(dry_leaves) == len(real_leaves)
    for d, r in zip(dry_leaves, real_leaves):
        if r is None:
            assert d is None
            continue
        assert type(d) is ShapeOnlyArray, type(d)
        assert d.shape == np.shape(r)
        assert d.dtype == np.asarray(r).dtype, (d.dtype, np.asarray(r).dtype)


@pytest.mark.parametrize(("name", "case"), list(_all_cases()))
def test_a_dry_run_charges_and_shapes_like_the_real_run(name, case):
    try:
        real_budget = flops.BudgetContext(10**12, quiet=True)
        real = _run(real_budget, name, case, [_copy(a) for a in case.args], dict(case.kwargs))
    except Exception as exc:  # refused for its input: refused in a dry run too, free
        plan = flops.dry_run(quiet=True)
        if isinstance(exc, np.linalg.LinAlgError):
            # refused for its shape (not square: refused alike, free) or for its values (a
            # singular matrix: only running finds that; a dry run takes it to succeed)
            try:
                _run(plan, name, case, [_copy(a) for a in case.args], dict(case.kwargs))
            except np.linalg.LinAlgError:
                assert plan.flops_used == 0
            return
        with pytest.raises(type(exc)):
            _run(plan, name, case, [_copy(a) for a in case.args], dict(case.kwargs))
        assert plan.flops_used == 0
        return
    plan = flops.dry_run(quiet=True)
    dry = _run(plan, name, case, [_copy(a) for a in case.args], dict(case.kwargs))
    assert plan.flops_used == real_budget.flops_used
    assert [(r.op_name, r.flop_cost) for r in plan.op_log] == [
        (r.op_name, r.flop_cost) for r in real_budget.op_log
    ]
    _assert_stands_for(dry, real)

    # the same call on stand-ins: values unknown
    plan = flops.dry_run(quiet=True)
    args = [_stand_ins(a) for a in case.args]
    kwargs = {k: _stand_ins(v) if k != "out" else v for k, v in case.kwargs.items()}
    try:
        dry = _run(plan, name, case, args, kwargs)
    except DryRunValueError:
        assert name in VALUE_DEPENDENT or REGISTRY_BILLED.get(name) in VALUE_DEPENDENT, name
        assert plan.flops_used == 0
        return
    assert plan.flops_used == real_budget.flops_used
    _assert_stands_for(dry, real)


def _billed() -> dict[str, str]:
    from flopscope._registry import REGISTRY

    return {n: op.billed_as for n, op in REGISTRY.items() if op.billed_as}


REGISTRY_BILLED = _billed()


def test_every_counted_row_has_an_output_rule():
    from flopscope._registry import REGISTRY

    missing = [
        n
        for n in COUNTED_NAMES
        if REGISTRY[n].output is None
        and not (REGISTRY[n].is_ufunc and REGISTRY[n].category != "counted_custom")
    ]
    assert missing == []


# ---------------------------------------------------------------- free rows
#: free rows whose result's shape depends on the values of an array argument: a dry run
#: refuses them when that argument is a stand-in
FREE_VALUE_DEPENDENT = frozenset(FREE_VALUE_ARGS)


def _free_cases():
    for name in sorted(FREE_CASES):
        for i, make in enumerate(FREE_CASES[name]):
            yield pytest.param(name, make, id=f"{name}-{i}")


@pytest.mark.parametrize(("name", "make"), list(_free_cases()))
def test_a_free_row_on_stand_ins_gives_the_real_results_shapes(name, make):
    args, kwargs = make()
    if not any(isinstance(a, np.ndarray) and a.dtype.kind in "biufc" for a in args):
        return  # no array to stand in for (creation functions: tested in test_dry_run)
    try:
        with np.errstate(all="ignore"):
            real = COUNTED[name](*[_copy(a) for a in args], **kwargs)
    except Exception:
        return
    with flops.dry_run(quiet=True) as plan:
        stand_ins = [_stand_ins(a) for a in args]
        try:
            dry = COUNTED[name](*stand_ins, **kwargs)
        except DryRunValueError:
            assert name in FREE_VALUE_DEPENDENT, name
            return
    assert plan.flops_used == 0
    _assert_free_stands_for(dry, real)


def _assert_free_stands_for(dry: Any, real: Any) -> None:
    if isinstance(real, np.ndarray):
        assert isinstance(dry, ShapeOnlyArray), type(dry)
        assert (dry.shape, dry.dtype) == (real.shape, real.dtype)
    elif isinstance(real, (list, tuple)):
        assert len(dry) == len(real)
        for d, r in zip(dry, real):
            _assert_free_stands_for(d, r)
    elif isinstance(real, np.generic):
        assert isinstance(dry, ShapeOnlyArray) and dry.dtype == real.dtype
    elif isinstance(real, str):  # printing: the stand-in's description
        assert isinstance(dry, str)
    else:
        assert dry == real
