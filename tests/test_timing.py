"""Time inside flopscope is flopscope's: free calls book backend and overhead time.

Free operations charge 0 FLOPs and add no ``OpRecord``, but their NumPy time is backend
time and their own time overhead time, never the user's residual (SPEC decision 10).
"""

from __future__ import annotations

import copy
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp


def _free(budget: flops.BudgetContext) -> dict:
    return budget.summary_dict()["free_operations"]


def _residual_ns_is_never_negative(data: dict) -> None:
    """Booked intervals are disjoint parts of the wall time: nothing is counted twice."""
    booked = data["flopscope_backend_time_s"] + data["flopscope_overhead_time_s"]
    assert booked <= data["wall_time_s"] + 1e-9
    assert data["residual_wall_time_s"] >= -1e-9


def _identity(data: dict) -> None:
    assert data["wall_time_s"] == (
        data["flopscope_backend_time_s"]
        + data["flopscope_overhead_time_s"]
        + data["residual_wall_time_s"]
    )


# Every kind of free call: function, method, operator-free indexing, NumPy's own
# functions on counted arrays, creation; each books exactly one free call.
_X = np.arange(24.0).reshape(4, 6)
FREE_CALLS = {
    "fnp.copy": lambda x: fnp.copy(x),
    "fnp.concatenate": lambda x: fnp.concatenate([x, x]),
    "fnp.stack": lambda x: fnp.stack([x, x]),
    "fnp.reshape": lambda x: fnp.reshape(x, (6, 4)),
    "fnp.astype": lambda x: fnp.astype(x, np.float32),
    "fnp.zeros_like": lambda x: fnp.zeros_like(x),
    "fnp.take": lambda x: fnp.take(x, [0, 2]),
    "np.concatenate on counted": lambda x: np.concatenate([x, x]),
    "np.stack on counted": lambda x: np.stack([x, x]),
    "np.take on counted": lambda x: np.take(x, [0, 2]),
    "x.copy()": lambda x: x.copy(),
    "x.astype()": lambda x: x.astype(np.float32),
    "x.reshape()": lambda x: x.reshape(6, 4),
    "x.flatten()": lambda x: x.flatten(),
    "x.ravel()": lambda x: x.ravel(),
    "x.repeat()": lambda x: x.repeat(2),
    "x.take()": lambda x: x.take([1, 2]),
    "x.tolist()": lambda x: x.tolist(),
    "x[int array]": lambda x: x[np.array([0, 3])],
    "x[list]": lambda x: x[[0, 3]],
    "x[mask]": lambda x: x[x.view(np.ndarray) > 3],
    "x[tuple with array]": lambda x: x[1:, [0, 2]],
    "x[mask] = 0": lambda x: x.__setitem__(x.view(np.ndarray) > 30, 0.0),
    "x[:, 0] = column": lambda x: x.__setitem__((slice(None), 0), np.ones(4)),
}


@pytest.mark.parametrize("call", FREE_CALLS.values(), ids=FREE_CALLS.keys())
def test_a_free_call_books_one_call_and_charges_nothing(call):
    x = fnp.asarray(_X.copy())
    with flops.BudgetContext(0) as budget:
        call(x)
    assert budget.flops_used == 0
    assert len(budget.op_log) == 0
    free = _free(budget)
    assert free["calls"] == 1
    assert free["flopscope_backend_time_s"] > 0
    assert free["flopscope_overhead_time_s"] >= 0
    data = budget.summary_dict()
    assert data["flopscope_backend_time_s"] >= free["flopscope_backend_time_s"]
    assert data["operations"] == {}
    _identity(data)
    _residual_ns_is_never_negative(data)


BASIC_INDEXING = {
    "x[0]": lambda x: x[0],
    "x[1:3]": lambda x: x[1:3],
    "x[1, 2]": lambda x: x[1, 2],
    "x[..., None]": lambda x: x[..., None],
    "x[np.int64(1)]": lambda x: x[np.int64(1)],
    "x[0] = 1.0": lambda x: x.__setitem__(0, 1.0),
    "x[1, 2] = 3": lambda x: x.__setitem__((1, 2), 3),
}


@pytest.mark.parametrize("call", BASIC_INDEXING.values(), ids=BASIC_INDEXING.keys())
def test_basic_indexing_is_not_timed(call):
    """A view or one element: timing it would cost more than it measures."""
    x = fnp.asarray(_X.copy())
    with flops.BudgetContext(0) as budget:
        call(x)
    assert _free(budget)["calls"] == 0


def test_indexing_results_match_numpy_and_stay_counted():
    x = fnp.asarray(_X.copy())
    idx = np.array([3, 0, 3])
    mask = _X > 10
    for key in (idx, [1, 2], mask, (slice(1, None), [0, 2]), (idx, 1)):
        got = x[key]
        np.testing.assert_array_equal(got, _X[key])
        assert type(got) is fnp.ndarray
    y = fnp.asarray(_X.copy())
    plain = _X.copy()
    y[mask] = -1.0
    plain[mask] = -1.0
    np.testing.assert_array_equal(y, plain)
    y[:, 1] = fnp.arange(4.0)
    plain[:, 1] = np.arange(4.0)
    np.testing.assert_array_equal(y, plain)


def test_copying_methods_keep_numpy_semantics():
    x = fnp.asarray(_X.copy())
    assert type(x.copy()) is fnp.ndarray
    assert x.astype(np.int32).dtype == np.int32
    assert x.tolist() == _X.tolist()
    scalar = x.take(3)
    assert isinstance(scalar, np.float64) and type(scalar) is not np.float64  # counted
    assert scalar == _X.take(3)

    assert type(copy.deepcopy(x)) is fnp.ndarray
    np.testing.assert_array_equal(copy.copy(x), _X)
    z = fnp.zeros(3)
    z.fill(2.5)
    np.testing.assert_array_equal(z, [2.5, 2.5, 2.5])
    z.put([0], [7.0])
    assert z[0] == 7.0


def test_a_loop_of_large_copies_leaves_residual_near_zero():
    """The challenge's residual cap must not count flopscope's own copying."""
    x = fnp.asarray(np.random.default_rng(0).random((1000, 1000)))
    idx = np.random.default_rng(1).integers(0, 1000, 1000)
    with flops.BudgetContext(10**9) as budget:
        for _ in range(5):
            y = x.copy()
            z = fnp.concatenate([x, y])
            w = z[idx]
            v = np.stack([x, w])
            u = v.astype(np.float32)
            x[:, 0] = u[0, :, 1]
            _ = x[x.view(np.ndarray) > 0.5]
    data = budget.summary_dict()
    assert data["free_operations"]["calls"] == 5 * 7
    _identity(data)
    _residual_ns_is_never_negative(data)
    assert data["residual_wall_time_s"] < 0.1 * data["wall_time_s"]
    assert data["flopscope_backend_time_s"] > 0.8 * data["wall_time_s"]


def test_free_time_is_booked_to_its_namespace_and_to_the_session():
    x = fnp.asarray(np.ones((500, 500)))
    flops.budget_reset()
    with flops.BudgetContext(100, namespace="predict") as budget:
        with flops.namespace("load"):
            fnp.concatenate([x, x])
            x.copy()
        fnp.add(fnp.ones(2), 1)
    spaces = budget.summary_dict(by_namespace=True)["by_namespace"]
    assert spaces["predict.load"]["free_operations"]["calls"] == 2
    assert spaces["predict.load"]["flopscope_backend_time_s"] > 0
    assert spaces["predict.load"]["operations"] == {}
    assert spaces["predict"]["free_operations"]["calls"] == 1  # fnp.ones
    for space in spaces.values():
        _identity(space)
    session = flops.budget_summary_dict()
    assert session["free_operations"]["calls"] >= 3
    _identity(session)
    _residual_ns_is_never_negative(session)


def test_free_calls_outside_a_context_go_to_the_default_budget():
    flops.budget_reset()
    fnp.concatenate([fnp.ones(3), fnp.ones(3)])
    assert flops.budget_summary_dict()["free_operations"]["calls"] == 3


def test_a_thread_started_inside_a_context_books_its_free_time_there():
    x = fnp.asarray(np.ones((300, 300)))
    with flops.BudgetContext(100) as budget:
        worker = threading.Thread(target=lambda: [x.copy() for _ in range(4)])
        worker.start()
        worker.join()
    assert _free(budget)["calls"] == 4


def test_free_rows_with_user_callbacks_time_only_the_callbacks_counted_calls():
    """``apply_along_axis`` runs user code: its counted calls time themselves, and the
    free call around them is not timed, so nothing is counted twice."""
    x = fnp.asarray(np.ones((50, 4)))
    with flops.BudgetContext(10**6) as budget:
        out = fnp.apply_along_axis(lambda row: fnp.sum(row * 2.0), 1, x)
    np.testing.assert_array_equal(out, np.full(50, 8.0))
    data = budget.summary_dict()
    assert data["operations"]["sum"]["calls"] == 50
    _residual_ns_is_never_negative(data)


# ---------------------------------------------------------------- hypothesis programs
PROGRAM_STEPS = {
    "add": lambda x: fnp.add(x, x),
    "exp": lambda x: fnp.exp(x),
    "sum": lambda x: fnp.sum(x),
    "matmul": lambda x: x @ x.T,
    "in-place": lambda x: x.__iadd__(1.0),
    "copy": lambda x: x.copy(),
    "concatenate": lambda x: fnp.concatenate([x, x]),
    "np.stack": lambda x: np.stack([x, x]),
    "fancy index": lambda x: x[[0, 0]],
    "mask": lambda x: x[x.view(np.ndarray) > 0],
    "astype": lambda x: x.astype(np.float32),
    "reshape": lambda x: fnp.reshape(x, (-1,)),
    "basic index": lambda x: x[0],
    "namespace": None,  # the next step runs inside a namespace
}


@settings(max_examples=50, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(sorted(PROGRAM_STEPS)), st.integers(1, 30)),
        min_size=1,
        max_size=20,
    ),
    budget_size=st.integers(0, 5000),
)
def test_the_time_identity_holds_exactly_for_any_program(steps, budget_size):
    with flops.BudgetContext(budget_size, quiet=True) as budget:
        in_namespace = False
        for name, size in steps:
            if PROGRAM_STEPS[name] is None:
                in_namespace = True
                continue
            x = fnp.ones((size, 3))
            try:
                if in_namespace:
                    with flops.namespace("inner"):
                        PROGRAM_STEPS[name](x)
                else:
                    PROGRAM_STEPS[name](x)
            except flops.BudgetExhaustedError:
                pass
            in_namespace = False
    data = budget.summary_dict(by_namespace=True)
    _identity(data)
    _residual_ns_is_never_negative(data)
    for space in data["by_namespace"].values():
        _identity(space)
    assert data["flops_used"] <= budget_size
