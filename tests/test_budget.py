"""Budgets: validation, enforcement, nesting, the default budget, namespaces, the op log,
``deduct``, timing fields, memory bounds, threads and tasks."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import math
import sys
import threading
import time

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp

TIME_FIELDS = (
    "wall_time_s",
    "flopscope_backend_time_s",
    "flopscope_overhead_time_s",
    "residual_wall_time_s",
)
SUMMARY_KEYS = {
    "flop_budget",
    "flops_used",
    "flops_remaining",
    "operations",
    "free_operations",
    *TIME_FIELDS,
}
OPERATION_KEYS = {
    "flop_cost",
    "calls",
    "flopscope_backend_time_s",
    "flopscope_overhead_time_s",
}
NAMESPACE_KEYS = {"flops_used", "operations", "free_operations", *TIME_FIELDS}
OPRECORD_FIELDS = (
    "op_name",
    "namespace",
    "subscripts",
    "shapes",
    "flop_cost",
    "cumulative",
    "flopscope_context_start_offset_s",
    "flopscope_backend_duration_s",
    "flopscope_overhead_duration_s",
)


def _plain(a) -> np.ndarray:
    """A plain-NumPy view, so that reading values charges nothing."""
    return a.view(np.ndarray)


def _assert_time_identity(fields: dict) -> None:
    wall = fields["wall_time_s"]
    backend = fields["flopscope_backend_time_s"]
    overhead = fields["flopscope_overhead_time_s"]
    residual = fields["residual_wall_time_s"]
    assert wall == backend + overhead + residual
    for name in TIME_FIELDS:
        assert isinstance(fields[name], float), name
        assert fields[name] >= 0.0, (name, fields[name])


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "bad",
    [-1, -0.5, float("nan"), float("inf"), float("-inf"), "100", None, True, False, [10], 1j],
    ids=repr,
)
def test_invalid_flop_budget_raises_value_error(bad):
    with pytest.raises(ValueError, match="flop_budget"):
        flops.BudgetContext(flop_budget=bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (0.0, 0), (10, 10), (2.9, 2), (10**30, 10**30), (np.int64(7), 7), (1e6, 10**6)],
    ids=repr,
)
def test_valid_flop_budget_is_an_int(value, expected):
    b = flops.BudgetContext(flop_budget=value)
    assert b.flop_budget == expected
    assert type(b.flop_budget) is int
    assert b.flops_used == 0
    assert b.flops_remaining == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"flop_multiplier": -1},
        {"flop_multiplier": float("nan")},
        {"flop_multiplier": float("inf")},
        {"flop_multiplier": "2"},
        {"flop_multiplier": None},
        {"flop_multiplier": True},
        {"wall_time_limit_s": 0},
        {"wall_time_limit_s": -1.0},
        {"wall_time_limit_s": float("nan")},
        {"wall_time_limit_s": float("inf")},
        {"wall_time_limit_s": "1"},
        {"wall_time_limit_s": True},
    ],
    ids=repr,
)
def test_invalid_multiplier_or_time_limit_raises_value_error(kwargs):
    (name,) = kwargs
    with pytest.raises(ValueError, match=name):
        flops.BudgetContext(flop_budget=100, **kwargs)


def test_valid_multiplier_and_time_limit_are_kept():
    b = flops.BudgetContext(100, flop_multiplier=0, wall_time_limit_s=2)
    assert b.flop_multiplier == 0.0
    assert b.wall_time_limit_s == 2.0
    assert flops.BudgetContext(100).wall_time_limit_s is None
    assert flops.BudgetContext(100).flop_multiplier == 1.0


# ---------------------------------------------------------------- the check comes first
def test_over_budget_raises_before_running_and_charges_nothing(unit_weights):
    x = fnp.ones(1000)
    with flops.BudgetContext(flop_budget=1500) as b:
        fnp.add(x, x)
        assert b.flops_used == 1000
        with pytest.raises(flops.BudgetExhaustedError) as info:
            fnp.multiply(x, x)
        assert b.flops_used == 1000
        assert b.flops_remaining == 500
        assert len(b.op_log) == 1
    err = info.value
    assert isinstance(err, flops.FlopscopeError)
    assert err.op_name == "multiply"
    assert err.flop_cost == 1000
    assert err.flops_remaining == 500
    assert "multiply" in str(err)
    assert set(b.summary_dict()["operations"]) == {"add"}


_OUT_CASES = {
    "fnp.add(out=)": lambda x, y, out: fnp.add(x, y, out=out),
    "fnp.multiply(out=)": lambda x, y, out: fnp.multiply(x, y, out=out),
    "fnp.exp(out=)": lambda x, y, out: fnp.exp(x, out=out),
    "np.add(out=plain)": lambda x, y, out: np.add(x, y, out=_plain(out)),
    "np.subtract(out=counted)": lambda x, y, out: np.subtract(x, y, out=out),
}


@pytest.mark.parametrize("call", list(_OUT_CASES.values()), ids=list(_OUT_CASES))
def test_refused_op_leaves_out_buffer_unchanged(unit_weights, call):
    x = fnp.full(1000, 2.0)
    y = fnp.full(1000, 5.0)
    out = fnp.full(1000, 7.0)
    with flops.BudgetContext(flop_budget=999) as b:
        with pytest.raises(flops.BudgetExhaustedError) as info:
            call(x, y, out)
        assert b.flops_used == 0
        assert len(b.op_log) == 0
    assert info.value.flop_cost == 1000
    assert info.value.flops_remaining == 999
    assert np.array_equal(_plain(out), np.full(1000, 7.0))


def _iadd(a, b):
    a += b


def _isub(a, b):
    a -= b


def _imul(a, b):
    a *= b


def _itruediv(a, b):
    a /= b


@pytest.mark.parametrize("op", [_iadd, _isub, _imul, _itruediv], ids=lambda f: f.__name__)
def test_refused_in_place_op_leaves_target_unchanged(unit_weights, op):
    a = fnp.full(100, 3.0)
    other = fnp.full(100, 2.0)
    with flops.BudgetContext(flop_budget=99) as b:
        with pytest.raises(flops.BudgetExhaustedError) as info:
            op(a, other)
        assert b.flops_used == 0
    assert info.value.flop_cost == 100
    assert np.array_equal(_plain(a), np.full(100, 3.0))


def test_in_place_op_within_budget_runs_and_charges(unit_weights):
    a = fnp.full(100, 3.0)
    with flops.BudgetContext(flop_budget=100) as b:
        a += fnp.full(100, 2.0)
    assert b.flops_used == 100
    assert np.array_equal(_plain(a), np.full(100, 5.0))


def test_refused_random_draw_does_not_advance_the_generator():
    fnp.random.seed(1234)
    with flops.BudgetContext(flop_budget=100) as b:
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.random.randn(10)  # 10 * 16 = 160 > 100
        drawn = fnp.random.randn(2)  # 32
    assert b.flops_used == 32
    np.random.seed(1234)
    assert _plain(drawn).tolist() == np.random.randn(2).tolist()


def test_exact_fit_is_allowed_and_one_more_is_not(unit_weights):
    x = fnp.ones(10)
    with flops.BudgetContext(flop_budget=20) as b:
        fnp.add(x, x)
        fnp.add(x, x)
        assert b.flops_remaining == 0
        with pytest.raises(flops.BudgetExhaustedError) as info:
            fnp.add(x[:1], x[:1])
    assert info.value.flops_remaining == 0
    assert b.flops_used == 20


def test_zero_budget_allows_free_operations():
    with flops.BudgetContext(flop_budget=0) as b:
        z = fnp.zeros((3, 4)).reshape(12)
        assert z.shape == (12,)
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.add(z, z)
    assert b.flops_used == 0


# ---------------------------------------------------------------- nesting and the default
def test_explicit_inside_explicit_raises_runtime_error():
    with flops.BudgetContext(100) as outer:
        with pytest.raises(RuntimeError, match="nested"):
            with flops.BudgetContext(50):
                pass
        assert flops.current_budget() is outer
    assert flops.current_budget() is not outer


def test_explicit_context_replaces_the_default(unit_weights):
    default = flops.current_budget()
    assert repr(default).startswith("<default budget")
    before = default.flops_used
    x = fnp.ones(7)
    with flops.BudgetContext(100) as b:
        assert flops.current_budget() is b
        fnp.add(x, x)
    assert b.flops_used == 7
    assert default.flops_used == before
    assert flops.current_budget() is default


def test_charges_outside_a_context_go_to_the_default_budget(unit_weights):
    flops.budget_reset()
    default = flops.current_budget()
    assert default.flop_budget == 10**15
    x = fnp.ones(11)
    fnp.add(x, x)
    fnp.add(x, x)
    assert default.flops_used == 22
    session = flops.budget_summary_dict()
    assert session["flops_used"] == 22
    assert session["operations"]["add"]["calls"] == 2
    assert session["operations"]["add"]["flop_cost"] == 22
    assert session["flop_budget"] == 10**15
    assert fnp.budget_summary_dict()["flops_used"] == 22


def test_session_view_includes_explicit_contexts_and_reset_clears_it(unit_weights):
    flops.budget_reset()
    x = fnp.ones(5)
    fnp.add(x, x)  # default: 5
    with flops.BudgetContext(100):
        fnp.multiply(x, x)  # explicit: 5
        fnp.multiply(x, x)
    session = flops.budget_summary_dict()
    assert session["flops_used"] == 15
    assert session["operations"]["multiply"]["flop_cost"] == 10
    assert session["operations"]["multiply"]["calls"] == 2
    assert session["operations"]["add"]["flop_cost"] == 5
    assert "flopscope FLOP Budget Summary" in flops.budget_summary()
    flops.budget_reset()
    cleared = flops.budget_summary_dict()
    assert cleared["flops_used"] == 0
    assert cleared["operations"] == {}
    assert flops.current_budget().flops_used == 0


def test_budget_function_is_the_same_as_budget_context(unit_weights):
    b = flops.budget(50, flop_multiplier=2, namespace="ns", quiet=True)
    assert isinstance(b, flops.BudgetContext)
    assert (b.flop_budget, b.flop_multiplier, b.namespace, b.quiet) == (50, 2.0, "ns", True)
    with b:
        fnp.add(fnp.ones(3), 1)
    assert b.flops_used == 6
    with pytest.raises(ValueError):
        flops.budget(-1)


def test_decorator_runs_each_call_in_a_fresh_context(unit_weights):
    @flops.budget(100, namespace="dec")
    def step(n):
        fnp.add(fnp.ones(n), 1)
        return flops.current_budget()

    assert step.__name__ == "step"
    assert step.budget_context is None
    first = step(3)
    assert step.budget_context is first
    second = step(5)
    assert step.budget_context is second
    assert first is not second
    assert (first.flops_used, second.flops_used) == (3, 5)
    assert first.flop_budget == second.flop_budget == 100
    assert second.op_log[0].namespace == "dec"
    assert flops.current_budget() is not second


def test_decorated_function_over_budget_raises_each_call(unit_weights):
    @flops.budget(10, quiet=True)
    def heavy():
        fnp.add(fnp.ones(8), 1)
        fnp.add(fnp.ones(8), 1)

    for _ in range(2):
        with pytest.raises(flops.BudgetExhaustedError):
            heavy()
        assert heavy.budget_context.flops_used == 8


def test_default_budget_env_var_in_subprocess(run_python):
    code = """
        import json
        import flopscope as flops
        import flopscope.numpy as fnp
        flops.reset_weights()
        out = {"budget": flops.current_budget().flop_budget}
        fnp.add(fnp.ones(600), 1)
        try:
            fnp.add(fnp.ones(600), 1)
        except flops.BudgetExhaustedError as err:
            out["remaining"] = err.flops_remaining
        out["used"] = flops.budget_summary_dict()["flops_used"]
        flops.budget_reset()
        out["after_reset"] = flops.current_budget().flop_budget
        print(json.dumps(out))
    """
    proc = run_python(code, FLOPSCOPE_DEFAULT_BUDGET="1000")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "budget": 1000,
        "remaining": 400,
        "used": 600,
        "after_reset": 1000,
    }
    proc = run_python(
        "import flopscope as f; print(f.current_budget().flop_budget)",
        FLOPSCOPE_DEFAULT_BUDGET="2.5e3",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "2500"


def test_default_budget_env_var_unset_and_invalid_in_subprocess(run_python):
    proc = run_python("import flopscope as f; print(f.current_budget().flop_budget)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(10**15)
    bad = run_python("import flopscope", FLOPSCOPE_DEFAULT_BUDGET="lots")
    assert bad.returncode != 0
    assert "ValueError" in bad.stderr
    assert "FLOPSCOPE_DEFAULT_BUDGET" in bad.stderr


# ---------------------------------------------------------------- wall-time limit
def test_wall_time_limit_raises_time_exhausted_error():
    x = fnp.ones(4)
    with pytest.raises(flops.TimeExhaustedError) as info:
        with flops.BudgetContext(10**6, wall_time_limit_s=0.05, quiet=True) as b:
            fnp.add(x, x)  # well within the limit
            used_before = b.flops_used
            time.sleep(0.06)
            fnp.multiply(x, x)
    err = info.value
    assert isinstance(err, flops.FlopscopeError)
    assert err.op_name == "multiply"
    assert err.limit_s == 0.05
    assert err.elapsed_s >= 0.06
    assert "multiply" in str(err)
    assert b.flops_used == used_before  # the late op did not run


def test_wall_time_limit_applies_to_deduct():
    with flops.BudgetContext(10**6, wall_time_limit_s=0.001, quiet=True) as b:
        time.sleep(0.01)
        with pytest.raises(flops.TimeExhaustedError) as info:
            b.deduct("custom", flop_cost=5)
    assert info.value.op_name == "custom"
    assert b.flops_used == 0
    assert len(b.op_log) == 0


def test_generous_wall_time_limit_does_not_interfere(unit_weights):
    with flops.BudgetContext(10**6, wall_time_limit_s=60) as b:
        for _ in range(10):
            fnp.add(fnp.ones(3), 1)
    assert b.flops_used == 30


# ---------------------------------------------------------------- timing fields
def test_timing_fields_decompose_wall_time_exactly():
    a = fnp.ones((64, 64))
    with flops.BudgetContext(10**9) as b:
        for _ in range(20):
            c = a @ a
            fnp.exp(c / 64)
        time.sleep(0.05)
        _assert_time_identity(b.summary_dict())  # while the context is open
    data = b.summary_dict()
    _assert_time_identity(data)
    attrs = {name: getattr(b, name) for name in TIME_FIELDS}
    _assert_time_identity(attrs)
    assert attrs == {name: data[name] for name in TIME_FIELDS}
    assert b.residual_wall_time_s >= 0.05 * 0.95  # the sleep is residual time
    assert b.flopscope_backend_time_s > 0.0
    assert b.flopscope_overhead_time_s > 0.0
    assert b.wall_time_s >= 0.05
    ops = data["operations"]
    assert math.isclose(
        sum(op["flopscope_backend_time_s"] for op in ops.values()),
        data["flopscope_backend_time_s"],
        rel_tol=1e-9,
        abs_tol=1e-12,
    )


@settings(max_examples=300, deadline=None)
@example(wall=98_733, backend=20_791, overhead=14_201)
@example(wall=116_321, backend=3_305, overhead=20_580)
@example(wall=26_329, backend=2_915, overhead=4_356)
@given(
    wall=st.integers(0, 10**12),
    backend=st.integers(0, 10**12),
    overhead=st.integers(0, 10**12),
)
def test_time_fields_identity_holds_for_any_nanosecond_counts(wall, backend, overhead):
    """The helper every summary uses: the identity must hold for any ns readings."""
    from flopscope._display import time_fields

    backend, overhead = min(backend, wall), min(overhead, wall - min(backend, wall))
    fields = time_fields(wall, backend, overhead)
    # Exactness of the identity can need the last bit of one field: wall is the sum.
    assert math.isclose(fields["wall_time_s"], wall / 1e9, rel_tol=4e-16, abs_tol=1e-24)
    assert (
        fields["wall_time_s"]
        == fields["flopscope_backend_time_s"]
        + fields["flopscope_overhead_time_s"]
        + fields["residual_wall_time_s"]
    )
    assert math.isclose(
        fields["residual_wall_time_s"], (wall - backend - overhead) / 1e9, abs_tol=1e-15
    )


def test_session_timing_fields_decompose_wall_time_exactly():
    fnp.add(fnp.ones(3), 1)
    _assert_time_identity(flops.budget_summary_dict())
    for fields in flops.budget_summary_dict(by_namespace=True)["by_namespace"].values():
        _assert_time_identity(fields)


def test_closed_context_wall_time_is_frozen():
    with flops.BudgetContext(100) as b:
        time.sleep(0.005)
    first = b.wall_time_s
    time.sleep(0.01)
    assert b.wall_time_s == first
    assert first >= 0.005


# ---------------------------------------------------------------- summary_dict shape
def test_summary_dict_keys_and_operation_order():
    a = fnp.ones((10, 10))
    analytical = {"add": 100, "matmul": 1000, "exp": 100, "sum": 100, "maximum": 10}
    with flops.BudgetContext(10**7) as b:
        fnp.add(a, a)
        a @ a
        fnp.exp(a)
        fnp.sum(a)
        fnp.maximum(a[0], 0)
    weighted = {name: round(cost * flops.get_weight(name)) for name, cost in analytical.items()}
    data = b.summary_dict()
    assert set(data) == SUMMARY_KEYS
    assert data["flop_budget"] == 10**7
    assert data["flops_used"] == b.flops_used
    assert data["flops_remaining"] == 10**7 - b.flops_used
    ops = data["operations"]
    assert set(ops) == {"add", "matmul", "exp", "sum", "maximum"}
    for entry in ops.values():
        assert set(entry) == OPERATION_KEYS
        assert type(entry["flop_cost"]) is int
        assert type(entry["calls"]) is int
        assert entry["flopscope_backend_time_s"] >= 0
        assert entry["flopscope_overhead_time_s"] >= 0
    costs = [entry["flop_cost"] for entry in ops.values()]
    assert costs == sorted(costs, reverse=True)
    assert {name: entry["flop_cost"] for name, entry in ops.items()} == weighted
    # most expensive (weighted) first, ties by name
    assert list(ops) == sorted(weighted, key=lambda name: (-weighted[name], name))
    assert sum(costs) == data["flops_used"]
    assert set(flops.budget_summary_dict()) == SUMMARY_KEYS
    text = b.summary()
    assert "flopscope FLOP Budget Summary" in text
    assert "matmul" in text


def test_summary_dict_by_namespace_only_adds_that_key():
    with flops.BudgetContext(100) as b:
        fnp.add(fnp.ones(2), 1)
    data = b.summary_dict(by_namespace=True)
    assert set(data) == SUMMARY_KEYS | {"by_namespace"}
    assert set(data["by_namespace"]) == {None}
    assert set(data["by_namespace"][None]) == NAMESPACE_KEYS


# ---------------------------------------------------------------- namespaces
@pytest.mark.parametrize("outer_ns", [flops.namespace, fnp.namespace], ids=["flops", "fnp"])
@pytest.mark.parametrize("inner_ns", [flops.namespace, fnp.namespace], ids=["flops", "fnp"])
def test_namespaces_nest_into_dotted_paths(unit_weights, outer_ns, inner_ns):
    with flops.BudgetContext(flop_budget=1000, namespace="predict") as b:
        x = fnp.ones((1,))
        fnp.add(x, 1)
        with outer_ns("fallback") as fallback:
            assert fallback.path == "predict.fallback"
            fnp.add(fnp.ones(2), 1)
            with inner_ns("sampling") as sampling:
                assert sampling.path == "predict.fallback.sampling"
                fnp.add(fnp.ones(4), 1)
            fnp.multiply(fnp.ones(8), 1)
        fnp.multiply(fnp.ones(16), 1)
    assert [(r.op_name, r.namespace, r.flop_cost) for r in b.op_log] == [
        ("add", "predict", 1),
        ("add", "predict.fallback", 2),
        ("add", "predict.fallback.sampling", 4),
        ("multiply", "predict.fallback", 8),
        ("multiply", "predict", 16),
    ]
    spaces = b.summary_dict(by_namespace=True)["by_namespace"]
    assert set(spaces) == {"predict", "predict.fallback", "predict.fallback.sampling"}
    assert spaces["predict.fallback.sampling"]["flops_used"] == 4
    assert spaces["predict.fallback"]["flops_used"] == 10
    assert spaces["predict"]["flops_used"] == 17
    assert sum(s["flops_used"] for s in spaces.values()) == b.flops_used == 31
    for fields in spaces.values():
        assert set(fields) == NAMESPACE_KEYS
        assert all(fields[name] >= 0.0 for name in TIME_FIELDS)
    sampling_ops = spaces["predict.fallback.sampling"]["operations"]
    assert set(sampling_ops) == {"add"}
    assert sampling_ops["add"]["flop_cost"] == 4
    assert sampling_ops["add"]["calls"] == 1
    assert set(sampling_ops["add"]) == OPERATION_KEYS
    assert "predict.fallback.sampling" in b.summary(by_namespace=True)


def test_namespace_is_the_same_object_in_both_modules():
    assert fnp.namespace is flops.namespace


def test_no_namespace_is_keyed_none(unit_weights):
    with flops.BudgetContext(100) as b:
        fnp.add(fnp.ones(3), 1)
        with flops.namespace("phase.one"):
            fnp.add(fnp.ones(5), 1)
    spaces = b.summary_dict(by_namespace=True)["by_namespace"]
    assert spaces[None]["flops_used"] == 3
    assert spaces["phase.one"]["flops_used"] == 5
    assert b.op_log[0].namespace is None
    assert b.op_log[1].namespace == "phase.one"


def test_namespace_outside_a_context_labels_default_budget_charges(unit_weights):
    flops.budget_reset()
    with flops.namespace("loose"):
        fnp.add(fnp.ones(6), 1)
    spaces = flops.budget_summary_dict(by_namespace=True)["by_namespace"]
    assert spaces["loose"]["flops_used"] == 6
    assert flops.current_budget().op_log[-1].namespace == "loose"


def test_namespace_wall_time_covers_its_block():
    with flops.BudgetContext(100) as b:
        with flops.namespace("slow"):
            time.sleep(0.02)
    spaces = b.summary_dict(by_namespace=True)["by_namespace"]
    assert spaces["slow"]["wall_time_s"] >= 0.02
    assert spaces["slow"]["flops_used"] == 0
    assert spaces["slow"]["residual_wall_time_s"] >= 0.02 * 0.95


def test_by_namespace_timing_fields_decompose_wall_time_exactly():
    a = fnp.ones((32, 32))
    with flops.BudgetContext(10**9, namespace="run") as b:
        a @ a
        with flops.namespace("inner"):
            fnp.exp(a)
            time.sleep(0.005)
    spaces = b.summary_dict(by_namespace=True)["by_namespace"]
    assert set(spaces) == {"run", "run.inner"}
    for fields in spaces.values():
        _assert_time_identity(fields)


@pytest.mark.parametrize("bad", ["", ".a", "a.", "a..b", 3, b"ns"], ids=repr)
def test_invalid_namespace_names_raise_value_error(bad):
    with pytest.raises(ValueError, match="namespace"):
        flops.namespace(bad)
    with pytest.raises(ValueError, match="namespace"):
        fnp.namespace(bad)
    with pytest.raises(ValueError, match="namespace"):
        flops.BudgetContext(100, namespace=bad)


def test_namespace_block_needs_a_name_but_a_context_may_have_none():
    with pytest.raises(ValueError, match="namespace"):
        flops.namespace(None)
    assert flops.BudgetContext(100, namespace=None).namespace is None


# ---------------------------------------------------------------- the op log
def test_op_record_fields():
    names = tuple(f.name for f in dataclasses.fields(flops.OpRecord))
    assert names == OPRECORD_FIELDS


def test_op_log_records_each_charge(unit_weights):
    a = fnp.ones((3, 4))
    bm = fnp.ones((4, 5))
    with flops.BudgetContext(10**6) as b:
        fnp.einsum("ij,jk->ik", a, bm)  # 60
        a @ bm  # 60
        fnp.exp(a)  # 12
        fnp.add(a, a[0])  # 12, broadcast
        fnp.sum(a, axis=0)  # 12
    log = b.op_log
    assert len(log) == 5
    rows = [(r.op_name, r.subscripts, r.shapes, r.flop_cost, r.cumulative) for r in log]
    assert rows == [
        ("einsum", "ij,jk->ik", ((3, 4), (4, 5)), 60, 60),
        ("matmul", None, ((3, 4), (4, 5)), 60, 120),
        ("exp", None, ((3, 4),), 12, 132),
        ("add", None, ((3, 4), (4,)), 12, 144),
        ("sum", None, ((3, 4),), 12, 156),
    ]
    assert log[-1].cumulative == b.flops_used
    offsets = [r.flopscope_context_start_offset_s for r in log]
    assert offsets == sorted(offsets)
    for r in log:
        assert isinstance(r, flops.OpRecord)
        assert r.flopscope_context_start_offset_s >= 0
        assert r.flopscope_backend_duration_s >= 0
        assert r.flopscope_overhead_duration_s >= 0
        assert type(r.flop_cost) is int and type(r.cumulative) is int
    assert [r.op_name for r in log[1:3]] == ["matmul", "exp"]
    assert log[-1] == log[4]
    with pytest.raises(IndexError):
        log[5]
    with pytest.raises(dataclasses.FrozenInstanceError):
        log[0].flop_cost = 0  # type: ignore[misc]


# ---------------------------------------------------------------- deduct
def test_deduct_records_with_weight_and_multiplier():
    exp_charge = round(10 * (flops.get_weight("exp") * 2))  # analytical * weight * multiplier
    assert flops.get_weight("exp") != 1.0 and flops.get_weight("my_kernel") == 1.0
    with flops.BudgetContext(10**6, flop_multiplier=2, namespace="ext") as b:
        charged = b.deduct("exp", flop_cost=10, shapes=((2, 5),))
        assert charged == exp_charge
        with flops.namespace("inner"):
            charged2 = b.deduct("my_kernel", flop_cost=7, subscripts="ij->i")
        assert charged2 == 7 * 1 * 2
    assert b.flops_used == exp_charge + 14
    first, second = b.op_log
    assert (first.op_name, first.namespace, first.shapes, first.subscripts) == (
        "exp",
        "ext",
        ((2, 5),),
        None,
    )
    assert (first.flop_cost, first.cumulative) == (exp_charge, exp_charge)
    assert (second.op_name, second.namespace, second.shapes, second.subscripts) == (
        "my_kernel",
        "ext.inner",
        (),
        "ij->i",
    )
    assert (second.flop_cost, second.cumulative) == (14, exp_charge + 14)
    ops = b.summary_dict()["operations"]
    assert ops["exp"]["flop_cost"] == exp_charge and ops["my_kernel"]["calls"] == 1


def test_deduct_accepts_numpy_integer_cost(unit_weights):
    with flops.BudgetContext(100) as b:
        charged = b.deduct("custom", flop_cost=np.int64(9))
    assert charged == 9 and type(charged) is int
    assert b.flops_used == 9


@pytest.mark.parametrize(
    ("name", "cost"),
    [
        ("custom", -1),
        ("custom", 1.5),
        ("custom", 2.0),
        ("custom", "3"),
        ("custom", None),
        ("custom", True),
        ("", 3),
        (None, 3),
        (5, 3),
    ],
    ids=repr,
)
def test_deduct_rejects_bad_input_and_charges_nothing(name, cost):
    with flops.BudgetContext(100) as b:
        with pytest.raises(ValueError):
            b.deduct(name, flop_cost=cost)
    assert b.flops_used == 0
    assert len(b.op_log) == 0


def test_deduct_over_budget_raises_and_records_nothing(unit_weights):
    with flops.BudgetContext(100, quiet=True) as b:
        b.deduct("custom", flop_cost=60)
        with pytest.raises(flops.BudgetExhaustedError) as info:
            b.deduct("custom", flop_cost=41)
    assert (info.value.op_name, info.value.flop_cost, info.value.flops_remaining) == (
        "custom",
        41,
        40,
    )
    assert b.flops_used == 60
    assert len(b.op_log) == 1
    assert b.summary_dict()["operations"]["custom"]["calls"] == 1


def test_deduct_over_budget_reports_the_weighted_cost():
    weighted = round(70 * flops.get_weight("exp"))
    assert weighted > 70  # over a budget of 70 only through the weight
    with flops.BudgetContext(70) as b:
        with pytest.raises(flops.BudgetExhaustedError) as info:
            b.deduct("exp", flop_cost=70)
    assert info.value.flop_cost == weighted
    assert b.flops_used == 0


# ---------------------------------------------------------------- multiplier
@pytest.mark.parametrize(
    ("multiplier", "expected"),
    [(1, 24 + 6 + 5), (3, 3 * (24 + 6 + 5)), (0.5, 12 + 3 + 2), (0, 0)],
)
def test_flop_multiplier_scales_every_charge(unit_weights, multiplier, expected):
    with flops.BudgetContext(10**6, flop_multiplier=multiplier) as b:
        fnp.ones((2, 3)) @ fnp.ones((3, 4))  # 24
        fnp.add(fnp.ones(6), 1)  # 6
        b.deduct("custom", flop_cost=4 if multiplier == 0.5 else 5)  # 5 (2 at 0.5)
    assert b.flops_used == expected
    assert sum(r.flop_cost for r in b.op_log) == expected
    assert b.summary_dict()["flops_used"] == expected


def test_flop_multiplier_combines_with_weights():
    with flops.BudgetContext(10**6, flop_multiplier=2) as b:
        fnp.exp(fnp.ones(100))
    assert flops.get_weight("exp") * 2 != 2
    assert b.flops_used == round(100 * (flops.get_weight("exp") * 2))


# ---------------------------------------------------------------- exact integers
def test_costs_beyond_int64_stay_exact(unit_weights):
    big = 2**70
    with flops.BudgetContext(2**80) as b:
        b.deduct("huge", flop_cost=big)
        b.deduct("huge", flop_cost=big + 1)
        fnp.add(fnp.ones(3), 1)
    total = 2 * big + 1 + 3
    assert b.flops_used == total
    assert type(b.flops_used) is int
    assert b.flops_remaining == 2**80 - total
    data = b.summary_dict()
    assert data["flops_used"] == total
    assert data["flops_remaining"] == 2**80 - total
    assert data["operations"]["huge"]["flop_cost"] == 2 * big + 1
    assert data["operations"]["huge"]["calls"] == 2
    assert [r.flop_cost for r in b.op_log] == [big, big + 1, 3]
    assert [r.cumulative for r in b.op_log] == [big, 2 * big + 1, total]
    assert list(data["operations"]) == ["huge", "add"]


@pytest.mark.parametrize("keep_log", [True, False])
def test_big_costs_stay_exact_across_log_chunks(unit_weights, keep_log):
    big = 2**66
    expected = 0
    with flops.BudgetContext(2**90, keep_log=keep_log) as b:
        for i in range(1000):
            cost = big + i if i % 3 == 0 else i
            b.deduct("big" if i % 3 == 0 else "small", flop_cost=cost)
            expected += cost
    ops = b.summary_dict()["operations"]
    assert b.flops_used == expected
    assert ops["big"]["flop_cost"] + ops["small"]["flop_cost"] == expected
    assert ops["big"]["calls"] == 334 and ops["small"]["calls"] == 666
    assert b.op_log[-1].cumulative == expected
    if keep_log:
        assert [r.flop_cost for r in b.op_log] == [
            big + i if i % 3 == 0 else i for i in range(1000)
        ]


# ---------------------------------------------------------------- memory bounds
def test_keep_log_false_keeps_totals_exact_with_a_bounded_log(unit_weights):
    calls = 65_536 + 50
    x = fnp.ones(1)
    add = fnp.add
    with flops.BudgetContext(10**9, keep_log=False) as b:
        for _ in range(calls):
            add(x, x)
        fnp.multiply(fnp.ones(3), 2)
    data = b.summary_dict()
    assert b.flops_used == calls + 3
    assert data["flops_used"] == calls + 3
    assert data["operations"]["add"]["calls"] == calls
    assert data["operations"]["add"]["flop_cost"] == calls
    assert data["operations"]["multiply"]["calls"] == 1
    log = b.op_log
    assert 0 < len(log) < calls
    assert log[-1].cumulative == b.flops_used
    assert log[-1].op_name == "multiply"
    cumulative = [r.cumulative for r in log]
    assert cumulative == sorted(cumulative)


def test_keep_log_true_keeps_every_record(unit_weights):
    calls = 20_000
    x = fnp.ones(1)
    with flops.BudgetContext(10**9) as b:
        for _ in range(calls):
            fnp.add(x, x)
    assert len(b.op_log) == calls
    assert b.op_log[-1].cumulative == calls
    assert b.op_log[12_345].cumulative == 12_346
    assert b.summary_dict()["operations"]["add"]["calls"] == calls


# ---------------------------------------------------------------- threads and tasks
def test_thread_started_inside_a_context_charges_it(unit_weights):
    seen = {}

    def work():
        seen["budget"] = flops.current_budget()
        fnp.multiply(fnp.ones(9), 2)

    with flops.BudgetContext(1000) as b:
        t = threading.Thread(target=work)
        t.start()
        t.join()
        assert b.flops_used == 9
    assert seen["budget"] is b
    assert b.summary_dict()["operations"]["multiply"]["calls"] == 1
    assert b.op_log[0].op_name == "multiply"


def test_thread_outside_any_context_charges_the_default(unit_weights):
    flops.budget_reset()
    default = flops.current_budget()
    t = threading.Thread(target=lambda: fnp.add(fnp.ones(4), 1))
    t.start()
    t.join()
    assert default.flops_used == 4
    assert flops.budget_summary_dict()["operations"]["add"]["calls"] == 1


def test_many_threads_charge_one_context_exactly(unit_weights):
    threads, per_thread = 8, 5000
    x = fnp.ones(2)
    errors = []

    def hammer():
        try:
            for _ in range(per_thread):
                fnp.add(x, x)
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, to expose races
    try:
        with flops.BudgetContext(10**9) as b:
            pool = [threading.Thread(target=hammer) for _ in range(threads)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
    finally:
        sys.setswitchinterval(old)
    calls = threads * per_thread
    assert errors == []
    assert b.flops_used == 2 * calls
    add = b.summary_dict()["operations"]["add"]
    assert add["calls"] == calls
    assert add["flop_cost"] == 2 * calls
    assert len(b.op_log) == calls
    assert b.op_log[-1].cumulative == 2 * calls


def test_asyncio_tasks_charge_the_context_they_were_created_in(unit_weights):
    async def child(n):
        await asyncio.sleep(0)
        fnp.add(fnp.ones(n), 1)
        await asyncio.sleep(0)
        return flops.current_budget()

    async def main():
        with flops.BudgetContext(1000) as b:
            seen = await asyncio.gather(*(asyncio.create_task(child(n)) for n in (1, 2, 3)))
        return b, seen

    b, seen = asyncio.run(main())
    assert b.flops_used == 6
    assert all(s is b for s in seen)
    assert b.summary_dict()["operations"]["add"]["calls"] == 3


def test_asyncio_tasks_with_their_own_contexts_stay_separate(unit_weights):
    async def worker(n):
        with flops.BudgetContext(1000) as b:
            for _ in range(5):
                fnp.add(fnp.ones(n), 1)
                await asyncio.sleep(0)
        return b

    async def main():
        return await asyncio.gather(worker(2), worker(3))

    b2, b3 = asyncio.run(main())
    assert (b2.flops_used, b3.flops_used) == (10, 15)
    assert len(b2.op_log) == len(b3.op_log) == 5


# ---------------------------------------------------------------- stderr on exhaustion
def test_exhausted_context_prints_one_line_to_stderr(capsys):
    with pytest.raises(flops.BudgetExhaustedError):
        with flops.BudgetContext(5):
            fnp.add(fnp.ones(10), 1)
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert "add" in lines[0]
    assert captured.out == ""


def test_time_exhausted_context_prints_one_line_to_stderr(capsys):
    with pytest.raises(flops.TimeExhaustedError):
        with flops.BudgetContext(100, wall_time_limit_s=0.001):
            time.sleep(0.01)
            fnp.add(fnp.ones(1), 1)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1


def test_quiet_context_prints_nothing(capsys):
    with pytest.raises(flops.BudgetExhaustedError):
        with flops.BudgetContext(5, quiet=True):
            fnp.add(fnp.ones(10), 1)
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_normal_exit_and_other_errors_print_nothing(capsys):
    with flops.BudgetContext(100):
        fnp.add(fnp.ones(3), 1)
    with pytest.raises(KeyError):
        with flops.BudgetContext(100):
            raise KeyError("x")
    assert capsys.readouterr().err == ""


def test_main_thread_work_is_not_charged_to_a_workers_budget():
    import threading

    opened, release = threading.Event(), threading.Event()
    holder = {}

    def worker():
        with flops.BudgetContext(10**6, quiet=True) as ctx:
            holder["ctx"] = ctx
            opened.set()
            release.wait(10)

    t = threading.Thread(target=worker)
    t.start()
    try:
        assert opened.wait(10)
        assert flops.current_budget() is not holder["ctx"]
        before = flops.current_budget().flops_used
        fnp.add(fnp.ones(5), 1)  # main thread, no budget of its own: the default
        assert flops.current_budget().flops_used == before + 5
        assert holder["ctx"].flops_used == 0
    finally:
        release.set()
        t.join()
