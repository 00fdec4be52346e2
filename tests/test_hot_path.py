"""The compiled hot path (``flopscope._hotpath``) against its reference, the pure-Python
bodies of ``_dispatch`` (each compiled callable keeps its Python body as ``_fallback``).

Every row with samples in the case tables runs both ways, on plain and on counted
arrays: same result, same charge, same record. Shapes, namespaces, weights and
multipliers are drawn by hypothesis. The cases the compiled body hands back (over budget,
a dry run, another thread, line tracking, non-finite checks, symmetric and stand-in
operands) charge as the Python body does. The whole suite also runs with
``FLOPSCOPE_PURE_PYTHON=1`` (CI runs it both ways); there these tests check that the
pure-Python path was selected.
"""

from __future__ import annotations

import shutil
import sysconfig
import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._dispatch import COUNTED
from flopscope._hotpath_loader import HOT_PATH, PURE_PYTHON, hotpath
from flopscope._registry import REGISTRY
from test_registry_ops import COUNTED_NAMES, FREE_CASES, FREE_NAMES, counted_cases

pytestmark = pytest.mark.usefixtures("unit_weights")

#: every row's callable (rows are built when first asked for)
ROWS = {n: COUNTED[n] for n in REGISTRY}
HOT = {} if hotpath is None else {n: f for n, f in ROWS.items() if type(f) is hotpath.HotUfunc}
compiled_only = pytest.mark.skipif(hotpath is None, reason="the pure-Python path is selected")


def _compiler() -> str | None:
    """The C compiler the build would use, where Python's headers are there too."""
    cc = sysconfig.get_config_var("CC")
    headers = Path(sysconfig.get_paths()["include"], "Python.h").exists()
    return shutil.which(cc.split()[0]) if cc and headers else None


def test_the_path_selected():
    if PURE_PYTHON:
        assert HOT_PATH == "python" and hotpath is None
        assert not any(type(f).__name__ == "HotUfunc" for f in ROWS.values())
    elif _compiler() is not None:  # built at install wherever a C compiler is found
        assert HOT_PATH == "compiled"
    assert flops.HOT_PATH == HOT_PATH


@compiled_only
def test_the_hot_rows():
    assert {"add", "multiply", "exp", "maximum", "matmul", "sum", "mean"} <= set(HOT)
    for name in ("add", "exp", "sum"):
        fn = HOT[name]
        assert fn.__name__ == name and "FLOP cost" in fn.__doc__ and callable(fn._fallback)
        assert fn.__module__ == "flopscope.numpy"
    assert callable(fnp.add.reduce) and callable(fnp.multiply.outer)


def _records(budget: flops.BudgetContext) -> list[tuple]:
    return [(r.op_name, r.flop_cost, r.shapes, r.namespace) for r in budget.op_log]


def _run(fn: Any, args: tuple, kwargs: dict, budget: int = 10**12, **ctx: Any) -> tuple:
    """(result or exception type, flops used, records, args after the call)."""
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
    with flops.BudgetContext(budget, quiet=True, **ctx) as b, np.errstate(all="ignore"):
        try:
            result: Any = fn(*args, **kwargs)
        except Exception as exc:
            result = type(exc)
    return result, b.flops_used, _records(b), args


def _same(x: Any, y: Any) -> None:
    assert type(x) is type(y)
    if isinstance(x, (tuple, list)):
        assert len(x) == len(y)
        for a, b in zip(x, y):
            _same(a, b)
    elif isinstance(x, (np.ndarray, np.generic)):
        assert x.dtype == y.dtype and np.shape(x) == np.shape(y)
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))
    else:
        assert x == y


def _hot_cases():
    for name in COUNTED_NAMES:
        if name in HOT:
            for i, maker in enumerate(counted_cases(name)):
                case = maker() if callable(maker) else maker
                if case.seed is None:  # (seeded draws are not hot rows)
                    yield pytest.param(name, maker, id=f"{name}-{i}")


@compiled_only
@pytest.mark.parametrize(("name", "maker"), list(_hot_cases()))
def test_compiled_and_python_bodies_agree(name, maker):
    case = maker() if callable(maker) else maker
    fn = HOT[name]
    for counted in (False, True):  # plain arrays, then counted ones
        args = tuple(fnp.asarray(a) if counted and type(a) is np.ndarray else a for a in case.args)
        got = _run(fn, args, case.kwargs)
        want = _run(fn._fallback, args, case.kwargs)
        _same(got[0], want[0])
        assert got[1:3] == want[1:3]
        for a, b in zip(got[3], want[3]):  # in-place effects
            _same(a, b)


@compiled_only
def test_plain_calls_take_the_compiled_body():
    a, b = fnp.arange(1.0, 11.0), fnp.ones((3, 10))
    m = fnp.ones((8, 8))
    calls = [
        (HOT["add"], lambda: a + b),
        (HOT["add"], lambda: fnp.add(a, 2.0)),
        (HOT["multiply"], lambda: 2.0 * a),
        (HOT["exp"], lambda: fnp.exp(a)),
        (HOT["maximum"], lambda: fnp.maximum(a, 0)),
        (HOT["matmul"], lambda: m @ m.T.copy()),
        (HOT["sum"], lambda: fnp.sum(b, axis=0)),
        (HOT["mean"], lambda: fnp.mean(b, 1, keepdims=True)),
    ]
    with flops.BudgetContext(10**9):
        for fn, call in calls:
            before = fn._declined
            call()
            assert fn._declined == before, fn.__name__


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int8])
def test_counted_scalars_as_operands(dtype):
    """``x / fnp.sum(x)``, ``s * 2``, ``s + t``: a counted scalar is NumPy's scalar of it
    (a strong type under NEP 50: float32 arrays times a float64 sum give float64)."""
    x = fnp.asarray(np.arange(1, 6, dtype=dtype))
    programs = {
        "x / s": lambda div, mul, add, s, t: div(x, s),
        "s * 2": lambda div, mul, add, s, t: mul(s, 2),
        "2.5 * s": lambda div, mul, add, s, t: mul(2.5, s),
        "s + t": lambda div, mul, add, s, t: add(s, t),
        "x + s": lambda div, mul, add, s, t: add(x, s),
    }
    rows = ("divide", "multiply", "add")
    for name, program in programs.items():
        got = []
        for body in (lambda f: f, lambda f: getattr(f, "_fallback", f)):
            fns = [body(COUNTED[r]) for r in rows]
            with flops.BudgetContext(10**6) as budget:
                s, t = fnp.sum(x), fnp.max(x)
                before = [getattr(f, "_declined", 0) for f in fns]
                r = program(*fns, s, t)
                taken = [getattr(f, "_declined", 0) for f in fns] == before
            got.append((r, type(r), budget.flops_used, _records(budget), taken))
        (r1, t1, u1, rec1, taken), (r2, t2, u2, rec2, _) = got
        assert t1 is t2 and u1 == u2 and rec1 == rec2, name
        _same(np.asarray(r1), np.asarray(r2))
        assert np.asarray(r1).dtype == np.asarray(r2).dtype, name
        if hotpath is not None:
            assert taken, f"{name}: the compiled body handed the call over"


@compiled_only
def test_calls_outside_any_budget_take_the_compiled_body():
    """No ``with`` block: the default budget's charge, as the Python body makes it."""
    x = fnp.arange(4.0)
    flops.budget_reset()
    before = fnp.add._declined
    x + x
    fnp.sum(x)
    assert fnp.add._declined == before
    summary = flops.budget_summary_dict()
    assert summary["flops_used"] == 8
    assert summary["operations"]["add"]["calls"] == 1
    flops.budget_reset()


def _free_figures(budget: flops.BudgetContext) -> tuple:
    free = budget.summary_dict()["free_operations"]
    return budget.flops_used, len(budget.op_log), free["calls"]


def _hot_free_cases():
    for name in FREE_NAMES:
        if name in HOT and name != "fromiter":  # (an iterator is used up by one call)
            for i, make in enumerate(FREE_CASES.get(name, [])):
                yield pytest.param(name, make, id=f"{name}-{i}")


@compiled_only
@pytest.mark.parametrize(("name", "make"), list(_hot_free_cases()))
def test_free_rows_agree(name, make):
    """Every free row with samples, both bodies, on plain and counted arrays: the same
    result (the same object where NumPy hands its argument back) and one free call
    booked, nothing charged."""
    fn = HOT[name]
    for counted in (False, True):
        args, kwargs = make()
        args = tuple(fnp.asarray(a) if counted and type(a) is np.ndarray else a for a in args)
        figures, results = [], []
        for body in (fn, fn._fallback):
            with flops.BudgetContext(0, quiet=True) as budget, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                copies = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
                r = body(*copies, **kwargs)
            results.append((r, r is copies[0] if copies else False))
            figures.append(_free_figures(budget))
        assert figures[0] == figures[1] and figures[0][:2] == (0, 0)
        (r1, same1), (r2, same2) = results
        assert same1 == same2
        if name in ("empty", "empty_like"):
            assert type(r1) is type(r2) and np.shape(r1) == np.shape(r2)
        else:
            _same(r1, r2)


@compiled_only
def test_timed_methods_and_indexing_agree():
    """``x.copy()``, ``x.astype``, ``x[idx]``, ``x[mask]``, ``x[i]``, ``x[i, j:k]`` and
    assignment through the compiled bodies: NumPy's results, one free call booked for
    each that copies data, none for basic indexing."""
    x = fnp.arange(12.0).reshape(3, 4)
    idx, mask = np.array([0, 2]), x > 5
    calls = {
        "copy": (lambda: x.copy(), 1),
        "astype": (lambda: x.astype(np.float32), 1),
        "x[idx]": (lambda: x[idx], 1),
        "x[mask]": (lambda: x[mask], 1),
        "x[1]": (lambda: x[1], 0),
        "x[1, 2]": (lambda: x[1, 2], 0),
        "x[1, 1:3]": (lambda: x[1, 1:3], 0),
        "x[..., None]": (lambda: x[..., None], 0),
        "tolist": (lambda: x.tolist(), 1),
    }
    plain = x.view(np.ndarray)
    expected = {
        "copy": plain.copy(),
        "astype": plain.astype(np.float32),
        "x[idx]": plain[idx],
        "x[mask]": plain[mask.view(np.ndarray)],
        "x[1]": plain[1],
        "x[1, 2]": plain[1, 2],
        "x[1, 1:3]": plain[1, 1:3],
        "x[..., None]": plain[..., None],
        "tolist": plain.tolist(),
    }
    for name, (call, booked) in calls.items():
        with flops.BudgetContext(0) as budget:
            r = call()
        assert _free_figures(budget) == (0, 0, booked), name
        if isinstance(r, list):
            assert r == expected[name]
        else:
            assert type(r) is (fnp.ndarray if np.ndim(r) else type(r)), name
            np.testing.assert_array_equal(np.asarray(r), expected[name])
            assert np.asarray(r).dtype == expected[name].dtype, name
    scalar = x[1, 2]
    assert isinstance(scalar, np.float64) and type(scalar) is not np.float64  # counted
    y = fnp.zeros(4)
    y[1:3] = fnp.ones(2)
    y[[0]] = 5.0
    np.testing.assert_array_equal(y, [5.0, 1.0, 1.0, 0.0])


def test_operator_forms():
    a = fnp.arange(1.0, 6.0)
    with flops.BudgetContext(10**6) as budget:
        r = 2.0 - a
        q = 1.0 / a
        a += r
        same = a
        a *= 2
        i = fnp.arange(5)
        i -= 1
    np.testing.assert_array_equal(r, 2.0 - np.arange(1.0, 6.0))
    np.testing.assert_array_equal(q, 1.0 / np.arange(1.0, 6.0))
    np.testing.assert_array_equal(a, 4.0)
    assert same is a and type(a) is fnp.ndarray
    np.testing.assert_array_equal(i, np.arange(5) - 1)
    assert [(x.op_name, x.flop_cost) for x in budget.op_log] == [
        ("subtract", 5),
        ("divide", 5),
        ("add", 5),
        ("multiply", 5),
        ("subtract", 5),
    ]


_dims = st.integers(1, 4)


@st.composite
def _broadcast_pair(draw: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    shape = draw(st.lists(_dims, min_size=0, max_size=3))
    other = [d if draw(st.booleans()) else 1 for d in shape]
    cut = draw(st.integers(0, len(other)))
    return tuple(shape), tuple(other[cut:])


@compiled_only
@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(_broadcast_pair(), min_size=1, max_size=9),
    multiplier=st.sampled_from([1.0, 0.5, 1.5, 3.0, 0.1]),
    weight=st.sampled_from([None, 0.3, 2.0, 2.5]),
    namespaces=st.lists(st.sampled_from([None, "phase"]), min_size=9, max_size=9),
)
def test_charges_agree_on_drawn_shapes(pairs, multiplier, weight, namespaces):
    """More signatures than the compiled cache holds, in two namespaces, under weights and
    multipliers that are not 1."""

    def program(add: Any, exp: Any, matmul: Any) -> list:
        out = []
        for (sa, sb), ns in zip(pairs, namespaces):
            x, y = fnp.ones(sa), fnp.full(sb, 2.0)
            with flops.namespace(ns) if ns else _nothing():
                out.append(add(x, y))
                out.append(exp(y))
                if len(sa) >= 1:
                    out.append(matmul(fnp.ones(sa[-1:]), fnp.ones((*sa[-1:], 2))))
        return out

    figures = []
    for body in (lambda f: f, lambda f: f._fallback):
        with _weights({"add": weight, "exp": weight}):
            with flops.BudgetContext(10**12, flop_multiplier=multiplier) as budget:
                values = program(body(HOT["add"]), body(HOT["exp"]), body(HOT["matmul"]))
        figures.append((budget.flops_used, _records(budget), [v.tolist() for v in values]))
    assert figures[0] == figures[1]


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class _weights:
    """Set some weights for a block (None: leave the row's weight as it is)."""

    def __init__(self, table: dict[str, float | None]) -> None:
        self.table = {k: v for k, v in table.items() if v is not None}

    def __enter__(self) -> None:
        from flopscope._weights import WEIGHTS

        self.before = {k: WEIGHTS.get(k) for k in self.table}
        WEIGHTS.update(self.table)

    def __exit__(self, *exc: object) -> None:
        from flopscope._weights import WEIGHTS

        for k, v in self.before.items():
            if v is None:
                WEIGHTS.pop(k, None)
            else:
                WEIGHTS[k] = v


@pytest.mark.parametrize("name", ["add", "exp", "sum", "matmul"])
def test_handed_back_cases_charge_as_the_python_body(name):
    """Over budget, a dry run, another thread, line tracking, non-finite checks: the
    compiled body hands the call over; the charge and the error are the Python body's."""
    fn = COUNTED[name]
    reference = getattr(fn, "_fallback", fn)
    x = fnp.ones((4, 4))
    args = (x,) if name in ("exp", "sum") else (x, x + 0)
    cost = _run(fn, args, {})[1]
    for body in (fn, reference):
        # one FLOP short: refused before anything runs, nothing charged
        result, used, records, _ = _run(body, args, {}, budget=cost - 1)
        assert result is flops.BudgetExhaustedError and used == 0 and records == []
        # line tracking books the line
        with flops.BudgetContext(10**6, track_lines=True) as lines:
            body(*args)
        assert lines.flops_used == cost and len(lines.by_line()) == 1
        # a dry run prices without running
        with flops.dry_run() as plan:
            r = body(*(fnp.ones(a.shape) for a in args))
        assert plan.flops_used == cost and isinstance(r, flops.ShapeOnlyArray)
        # another thread charges the budget it was started in
        with flops.BudgetContext(10**6) as shared:
            t = threading.Thread(target=body, args=args)
            t.start()
            t.join()
        assert shared.flops_used == cost and len(shared.op_log) == 1
        # the non-finite check sees the result
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            flops.configure(check_nan_inf="warn")
            try:
                with flops.BudgetContext(10**6, quiet=True):
                    body(*(a * np.inf for a in args))
            finally:
                flops.configure(check_nan_inf=False)
        assert any(
            "inf" in str(w.message).lower() or "nan" in str(w.message).lower() for w in caught
        )


def test_bad_input_charges_nothing_on_either_path():
    a, b = fnp.ones(3), fnp.ones(4)
    out = fnp.zeros(3)
    for fn in (COUNTED["add"], getattr(COUNTED["add"], "_fallback", None)):
        if fn is None:
            continue
        with flops.BudgetContext(10**6) as budget:
            with pytest.raises(ValueError):
                fn(a, b)
            with pytest.raises(ValueError):
                fn(a, b, out=out)
            with pytest.raises(TypeError):
                fn(a, np.array(["x"] * 3))
            with pytest.raises(TypeError):
                fnp.sum(np.array(["x"]))
        assert budget.flops_used == 0 and len(budget.op_log) == 0
        np.testing.assert_array_equal(out, 0.0)


def _changed_views() -> list[tuple[str, Any]]:
    """Counted arrays changed in place after ``fnp.asarray`` viewed a plain one: the
    compiled body hands NumPy the plain base only while the two describe the same
    memory the same way (``plain_array`` in ``_hotpath.c``)."""

    def reshaped() -> Any:
        x = fnp.asarray(np.arange(10.0))
        x.shape = (5, 2)
        return x

    def retyped() -> Any:
        x = fnp.asarray(np.arange(10.0))
        x.dtype = np.int64
        return x

    def base_reshaped() -> Any:
        a = np.arange(12.0)
        x = fnp.asarray(a)
        a.shape = (3, 4)  # the base changes, the counted view keeps (12,)
        return x

    def strided() -> Any:
        return fnp.asarray(np.arange(20.0))[::2]

    return [
        ("reshaped", reshaped),
        ("retyped", retyped),
        ("base reshaped", base_reshaped),
        ("strided", strided),
    ]


@pytest.mark.parametrize(("label", "make"), _changed_views())
def test_counted_views_changed_in_place(label, make):
    fn = COUNTED["add"]
    for body in (fn, getattr(fn, "_fallback", fn)):
        x = make()
        want = np.add(np.asarray(x), np.asarray(x))
        with flops.BudgetContext(10**6) as budget:
            got = body(x, x)
            total = fnp.sum(x)
            into = make()
            body(x, x, out=into)
        assert type(got) is type(x) and got.shape == x.shape and got.dtype == want.dtype
        np.testing.assert_array_equal(np.asarray(got), want)
        np.testing.assert_array_equal(np.asarray(into), want)
        assert total == np.asarray(x).sum()
        assert budget.flops_used == 3 * x.size  # two adds and a sum of n each


def test_a_read_only_counted_view_of_a_writeable_array_is_not_written():
    """``out=`` a read-only counted view: NumPy's error, nothing charged, the memory
    untouched, though the plain array under the view is writeable."""
    fn = COUNTED["add"]
    for body in (fn, getattr(fn, "_fallback", fn)):
        a = np.arange(4.0)
        x = fnp.asarray(a)
        x.flags.writeable = False
        with flops.BudgetContext(10**6) as budget:
            with pytest.raises(ValueError, match="read-only"):
                body(fnp.ones(4), fnp.ones(4), out=x)
            with pytest.raises(ValueError, match="read-only"):
                x += 1.0
        assert budget.flops_used == 0 and len(budget.op_log) == 0
        np.testing.assert_array_equal(a, np.arange(4.0))


def test_a_deadline_passed_during_the_call_raises_after_it():
    x = fnp.ones(10)
    with pytest.raises(flops.TimeExhaustedError):
        with flops.BudgetContext(10**6, wall_time_limit_s=1e-9, quiet=True):
            for _ in range(3):
                x + x


def test_a_budget_beyond_int64():
    x = fnp.ones(10)
    with flops.BudgetContext(10**30) as budget:
        x + x
        fnp.sum(x)
    assert budget.flops_used == 20 and budget.flops_remaining == 10**30 - 20


def test_counted_arrays_pickle_and_the_ufuncs_pickle_by_name():
    import pickle

    assert pickle.loads(pickle.dumps(fnp.add)) is fnp.add
    assert pickle.loads(pickle.dumps(fnp.sum)) is fnp.sum


@compiled_only
def test_numpy_is_entered_where_a_direct_call_enters_it():
    """A counted call enters NumPy at the stack position, modulo 4 KiB, at which Python
    code calling NumPy directly enters it (a kernel's speed can depend on that position
    relative to its arrays: ``call_numpy`` in ``_hotpath.c``). A function that answers
    its frame address stands in for NumPy's, called both ways."""
    import platform

    from flopscope._records import intern_key, intern_name

    probe = hotpath._frame_address
    if hotpath.stack_alignment() is None or probe() == 0:
        assert platform.machine().lower() not in ("x86_64", "amd64", "aarch64", "arm64") or (
            "gcc" not in platform.python_compiler().lower()
            and "clang" not in platform.python_compiler().lower()
        ), "the build should have calibrated the stack position"
        pytest.skip("this build calls NumPy plainly")
    key = intern_key(intern_name("sum"), 0, ((3,),))
    counted = hotpath.HotUfunc(
        fallback=lambda *a: pytest.fail("the compiled body declined"),
        impl=probe,
        name="sum",
        signature=lambda sa, sb, ns: (3, key),
        rule=lambda args, kwargs: 3,
    )
    x = fnp.ones(3)
    with flops.BudgetContext(10**6, quiet=True) as budget:
        through_body = counted(x)
        alone = probe(x)
    assert budget.flops_used == 3 and counted._declined == 0
    assert (through_body - alone) % 4096 == 0, (through_body - alone) % 4096
