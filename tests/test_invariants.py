"""Properties of any sequence of counted calls under any budget (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp

OPS = {
    "add": lambda x: fnp.add(x, x),
    "exp": lambda x: fnp.exp(x),
    "sum": lambda x: fnp.sum(x),
    "matmul": lambda x: x @ x.T,
    "operator": lambda x: x * 2.0 - 1.0,
    "einsum": lambda x: fnp.einsum("ij,kj->ik", x, x),
    "sort": lambda x: fnp.sort(x, axis=None),
    "free": lambda x: fnp.reshape(x, (-1,)),
}

calls = st.lists(
    st.tuples(st.sampled_from(sorted(OPS)), st.integers(1, 6), st.integers(1, 6)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(calls=calls, budget=st.integers(0, 3000), multiplier=st.sampled_from([1.0, 2.0, 0.5]))
def test_budget_is_never_exceeded_and_every_view_agrees(calls, budget, multiplier):
    with flops.BudgetContext(budget, flop_multiplier=multiplier, quiet=True) as ctx:
        for name, rows, cols in calls:
            x = fnp.ones((rows, cols))
            before = ctx.flops_used
            try:
                OPS[name](x)
            except flops.BudgetExhaustedError as err:
                assert err.flop_cost > err.flops_remaining
                # a compound call (x * 2.0 - 1.0) may have paid for its first step
                assert err.flops_remaining == budget - ctx.flops_used
                assert ctx.flops_used >= before
            assert 0 <= ctx.flops_used <= budget
    log = ctx.op_log
    data = ctx.summary_dict()
    assert ctx.flops_used == sum(r.flop_cost for r in log)
    assert ctx.flops_used == sum(op["flop_cost"] for op in data["operations"].values())
    assert len(log) == sum(op["calls"] for op in data["operations"].values())
    assert [r.cumulative for r in log] == list(np.cumsum([r.flop_cost for r in log]))
    assert data["flops_remaining"] == budget - ctx.flops_used
    assert all(type(r.flop_cost) is int for r in log)


@settings(max_examples=40, deadline=None)
@given(calls=calls)
def test_same_calls_give_the_same_charges(calls):
    def run() -> list[tuple[str, int]]:
        with flops.BudgetContext(10**9) as ctx:
            for name, rows, cols in calls:
                OPS[name](fnp.asarray(np.random.default_rng().random((rows, cols))))
        return [(r.op_name, r.flop_cost) for r in ctx.op_log]

    assert run() == run()
