"""User functions as counted operations: ``flops.register`` and ``@flops.counted``."""

from __future__ import annotations

import json
import threading
import time

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._user_ops import USER_OPS


def _matmul_cost(a, b):
    """2 * m * k * n (one multiply and one add per product term)"""
    m, k = np.shape(a)
    return 2 * m * k * np.shape(b)[1]


def test_a_registered_function_charges_its_rule_and_returns_counted_arrays():
    seen = []

    def kernel(a, b):
        seen.append((type(a), type(b)))
        return a @ b

    counted_kernel = flops.register(kernel, cost=_matmul_cost, name="user_ops.kernel")
    a = fnp.ones((3, 4))
    with flops.BudgetContext(flop_budget=10**6) as budget:
        result = counted_kernel(a, np.ones((4, 5)))
    assert budget.flops_used == 2 * 3 * 4 * 5
    assert type(result) is fnp.ndarray
    np.testing.assert_array_equal(result, np.full((3, 5), 4.0))
    # the function (and the rule) are given plain NumPy arrays: the work inside is theirs
    assert seen == [(np.ndarray, np.ndarray)]
    assert USER_OPS["user_ops.kernel"] is counted_kernel


def test_records_and_summaries_name_the_operation():
    counted_kernel = flops.register(lambda a, b: a @ b, cost=_matmul_cost, name="user_ops.named")
    with flops.BudgetContext(flop_budget=10**6) as budget:
        counted_kernel(np.ones((2, 3)), np.ones((3, 4)))
        counted_kernel(np.ones((2, 3)), np.ones((3, 4)))
    (record, second) = budget.op_log
    assert record.op_name == "user_ops.named"
    assert record.shapes == ((2, 3), (3, 4))
    assert record.flop_cost == 48 and second.cumulative == 96
    operations = budget.summary_dict()["operations"]
    assert operations["user_ops.named"]["flop_cost"] == 96
    assert operations["user_ops.named"]["calls"] == 2
    assert "user_ops.named" in budget.summary() and "[2 calls]" in budget.summary()


def test_the_decorator_keeps_name_and_docstring_and_states_the_cost():
    @flops.counted(cost=lambda x: 3 * np.size(x), name="user_ops.tripled")
    def tripled(x):
        """Three times x."""
        return 3 * x

    assert tripled.__name__ == "tripled"
    assert tripled.__doc__.startswith("Three times x.")
    assert "FLOP cost:" in tripled.__doc__.splitlines()[-1]
    with flops.BudgetContext(flop_budget=10**6) as budget:
        result = tripled(np.arange(4.0))
    assert budget.flops_used == 12
    np.testing.assert_array_equal(result, [0.0, 3.0, 6.0, 9.0])


def test_the_decorator_names_the_operation_after_the_function_by_default():
    @flops.counted(cost=_matmul_cost)
    def user_ops_default_name(a, b):
        return a @ b

    assert "2 * m * k * n" in user_ops_default_name.__doc__
    with flops.BudgetContext(flop_budget=10**6) as budget:
        user_ops_default_name(np.ones((2, 2)), np.ones((2, 2)))
    assert budget.op_log[0].op_name == "user_ops_default_name"


def test_a_fixed_cost():
    counted_constant = flops.register(lambda: 7, cost=1000, name="user_ops.fixed")
    assert "1,000 per call" in counted_constant.__doc__
    with flops.BudgetContext(flop_budget=10**6) as budget:
        assert counted_constant() == 7
    assert budget.flops_used == 1000


def test_keywords_reach_the_rule_and_the_function():
    def scaled(x, *, factor=1.0):
        return x * factor

    def cost(x, *, factor=1.0):
        return np.size(x) * (1 if factor != 1.0 else 0)

    counted_scaled = flops.register(scaled, cost=cost, name="user_ops.scaled")
    with flops.BudgetContext(flop_budget=10**6) as budget:
        result = counted_scaled(np.ones(5), factor=2.0)
        counted_scaled(np.ones(5))
    assert budget.flops_used == 5
    np.testing.assert_array_equal(result, np.full(5, 2.0))


def test_a_function_that_raises_is_refunded():
    def failing(x):
        raise RuntimeError("kernel failed")

    counted_failing = flops.register(failing, cost=100, name="user_ops.failing")
    with flops.BudgetContext(flop_budget=10**6) as budget:
        with pytest.raises(RuntimeError, match="kernel failed"):
            counted_failing(np.ones(3))
        assert budget.flops_used == 0
    assert len(budget.op_log) == 0


def test_over_budget_it_raises_and_does_not_run():
    ran = []
    counted_kernel = flops.register(
        lambda x: ran.append(x), cost=lambda x: 10 * np.size(x), name="user_ops.too_big"
    )
    with flops.BudgetContext(flop_budget=50) as budget:
        counted_kernel(np.ones(5))
        with pytest.raises(flops.BudgetExhaustedError) as info:
            counted_kernel(np.ones(5))
        assert info.value.op_name == "user_ops.too_big"
        assert budget.flops_used == 50
    assert len(ran) == 1


def test_the_multiplier_applies():
    counted_kernel = flops.register(lambda x: x, cost=10, name="user_ops.multiplied")
    with flops.BudgetContext(flop_budget=10**6, flop_multiplier=2.5) as budget:
        counted_kernel(np.ones(1))
    assert budget.flops_used == 25


def test_a_weight_by_name_applies(tmp_path):
    counted_kernel = flops.register(lambda x: x, cost=10, name="user_ops.weighted")
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"weights": {"user_ops.weighted": 3.0}}))
    flops.load_weights(path)
    try:
        assert flops.get_weight("user_ops.weighted") == 3.0
        with flops.BudgetContext(flop_budget=10**6) as budget:
            counted_kernel(np.ones(1))
        assert budget.flops_used == 30
    finally:
        flops.load_weights()
    # a table that does not name it: weight 1
    with flops.BudgetContext(flop_budget=10**6) as budget:
        counted_kernel(np.ones(1))
    assert budget.flops_used == 10


@pytest.mark.parametrize(
    ("bad", "error"),
    [(-1, ValueError), (2.5, TypeError), (True, TypeError), (None, TypeError), ("3", TypeError)],
)
def test_a_bad_cost_is_refused_before_anything_is_charged_or_runs(bad, error):
    ran = []
    counted_kernel = flops.register(
        lambda x: ran.append(x), cost=lambda x: bad, name=f"user_ops.bad_{bad!r}"
    )
    with flops.BudgetContext(flop_budget=10**6) as budget:
        with pytest.raises(error, match="non-negative int"):
            counted_kernel(np.ones(2))
    assert budget.flops_used == 0 and len(budget.op_log) == 0
    assert ran == []


def test_a_numpy_integer_cost_is_accepted():
    counted_kernel = flops.register(lambda x: x, cost=lambda x: np.int64(6), name="user_ops.np_int")
    with flops.BudgetContext(flop_budget=10**6) as budget:
        counted_kernel(np.ones(1))
    assert budget.flops_used == 6


def test_a_bad_fixed_cost_is_refused_at_registration():
    with pytest.raises(ValueError, match="non-negative int"):
        flops.register(lambda: None, cost=-5, name="user_ops.negative_fixed")
    with pytest.raises(TypeError, match="non-negative int"):
        flops.register(lambda: None, cost=1.5, name="user_ops.float_fixed")
    assert "user_ops.negative_fixed" not in USER_OPS
    assert "user_ops.float_fixed" not in USER_OPS


def test_a_name_is_registered_once():
    flops.register(lambda: None, cost=1, name="user_ops.once")
    with pytest.raises(ValueError, match=r"'user_ops\.once' is already registered"):
        flops.register(lambda: None, cost=1, name="user_ops.once")


@pytest.mark.parametrize("name", ["matmul", "linalg.svd", "symmetrize", ""])
def test_flopscopes_own_names_and_empty_names_are_refused(name):
    with pytest.raises(ValueError, match=repr(name) if name else "non-empty string"):
        flops.register(lambda a, b: a @ b, cost=1, name=name)
    assert fnp.matmul.__name__ == "matmul"


def test_a_lambda_needs_a_name():
    with pytest.raises(ValueError, match="name="):
        flops.register(lambda a, b: a @ b, cost=1)


def test_a_non_callable_is_refused():
    with pytest.raises(TypeError, match="callable"):
        flops.register(42, cost=1, name="user_ops.not_callable")


def test_user_operations_stay_out_of_the_numpy_namespace_and_the_registry():
    from flopscope._registry import REGISTRY

    flops.register(lambda: None, cost=1, name="user_ops_hidden")
    assert "user_ops_hidden" not in REGISTRY
    assert not hasattr(fnp, "user_ops_hidden")


def test_counted_calls_inside_are_charged_on_top_of_the_rule():
    """The rule prices the work flopscope cannot see; a counted call the function makes
    itself pays for itself too (no counted call goes uncharged)."""

    @flops.counted(cost=lambda x: 1000, name="user_ops.nested")
    def with_inner_calls(x):
        # fnp.sum is counted; np.sum on the plain array the function is given is not
        return fnp.sum(x), np.sum(x)

    with flops.BudgetContext(flop_budget=10**6) as budget:
        with_inner_calls(fnp.ones(10))
    operations = budget.summary_dict()["operations"]
    inner_sum = round(10 * flops.get_weight("sum"))  # fnp.sum at its own weight
    assert operations["user_ops.nested"]["flop_cost"] == 1000
    assert operations["sum"]["flop_cost"] == inner_sum
    assert budget.flops_used == 1000 + inner_sum


def test_a_method_can_be_counted():
    class Model:
        def __init__(self, weight):
            self.weight = weight

        @flops.counted(cost=lambda self, x: 2 * np.size(x), name="user_ops.method")
        def apply(self, x):
            return self.weight * x

    with flops.BudgetContext(flop_budget=10**6) as budget:
        result = Model(2.0).apply(np.ones(3))
    assert budget.flops_used == 6
    np.testing.assert_array_equal(result, np.full(3, 2.0))


def test_threads_started_inside_a_budget_charge_it_exactly():
    counted_kernel = flops.register(lambda x: x + 1, cost=3, name="user_ops.threads")
    calls_per_thread = 200

    def work():
        for _ in range(calls_per_thread):
            counted_kernel(np.ones(2))

    with flops.BudgetContext(flop_budget=10**7) as budget:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        work()
        for t in threads:
            t.join()
    assert budget.flops_used == 3 * calls_per_thread * 5
    assert budget.summary_dict()["operations"]["user_ops.threads"]["calls"] == 5 * 200


def test_concurrent_registrations_of_one_name_let_exactly_one_through():
    outcomes = []
    barrier = threading.Barrier(8)

    def attempt():
        barrier.wait()
        try:
            flops.register(lambda: None, cost=1, name="user_ops.race")
            outcomes.append("registered")
        except ValueError:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["registered"]


def test_outside_any_context_the_default_budget_is_charged():
    counted_kernel = flops.register(lambda x: x, cost=11, name="user_ops.default")
    before = flops.current_budget().flops_used
    counted_kernel(np.ones(1))
    assert flops.current_budget().flops_used == before + 11


@pytest.mark.parametrize("check", [False, "warn"])
@pytest.mark.parametrize("inner_calls", [10, 20_000])  # 20,000 records fill a buffer
def test_the_time_of_counted_calls_inside_is_theirs_not_the_operations(inner_calls, check):
    """Inner counted and free calls record their own time: the operation's backend time
    leaves it out, so the time fields still add up (the residual is not negative)."""

    @flops.counted(cost=1, name=f"user_ops.timed_{inner_calls}_{check}")
    def with_inner_calls(x):
        for _ in range(inner_calls):
            fnp.sum(x)
        fnp.ones(3)  # a free call
        time.sleep(0.02)
        return x

    flops.configure(check_nan_inf=check)  # checked: every record takes the slow path
    try:
        with flops.BudgetContext(flop_budget=10**9) as budget:
            with_inner_calls(np.ones(10))
    finally:
        flops.configure(check_nan_inf=False)
    data = budget.summary_dict()
    own = data["operations"][f"user_ops.timed_{inner_calls}_{check}"]
    inner = data["operations"]["sum"]
    assert inner["calls"] == inner_calls and data["free_operations"]["calls"] == 1
    assert own["flopscope_backend_time_s"] >= 0.02  # the sleep is the function's own
    assert data["residual_wall_time_s"] >= 0.0
    assert (
        own["flopscope_backend_time_s"] + inner["flopscope_backend_time_s"] <= data["wall_time_s"]
    )


def test_a_user_operation_inside_another_keeps_the_time_fields_adding_up():
    @flops.counted(cost=5, name="user_ops.inner_op")
    def inner_op(x):
        fnp.sum(x)
        time.sleep(0.01)
        return x

    @flops.counted(cost=7, name="user_ops.outer_op")
    def outer_op(x):
        inner_op(x)
        time.sleep(0.01)
        return x

    with flops.BudgetContext(flop_budget=10**6) as budget:
        outer_op(np.ones(4))
    data = budget.summary_dict()
    assert budget.flops_used == 5 + 7 + round(4 * flops.get_weight("sum"))
    assert data["residual_wall_time_s"] >= 0.0
    for name in ("user_ops.inner_op", "user_ops.outer_op"):  # each its own sleep, once
        assert 0.01 <= data["operations"][name]["flopscope_backend_time_s"] < 0.02 + 0.05
