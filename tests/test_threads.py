"""Threads: where their work is charged, and why a thread cannot leave its budget."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import flopscope as flops
import flopscope.numpy as fnp


def _run(target, *args) -> None:
    thread = threading.Thread(target=target, args=args)
    thread.start()
    thread.join()


def test_a_thread_started_inside_a_budget_cannot_open_its_own(unit_weights):
    outcome: list[object] = []

    def escape() -> None:
        try:
            with flops.BudgetContext(10**18):
                fnp.ones(10) + 1
        except RuntimeError as err:
            outcome.append(err)
        fnp.ones(10) + 1  # still charged to the budget it was started in

    with flops.BudgetContext(100) as budget:
        _run(escape)
    assert len(outcome) == 1 and "started inside an explicit BudgetContext" in str(outcome[0])
    assert budget.flops_used == 10


def test_nor_can_a_thread_started_by_such_a_thread(unit_weights):
    outcome: list[object] = []

    def grandchild() -> None:
        try:
            with flops.BudgetContext(10**18):
                pass
        except RuntimeError as err:
            outcome.append(err)
        fnp.ones(4) * 2

    with flops.BudgetContext(100) as budget:
        _run(lambda: _run(grandchild))
    assert len(outcome) == 1
    assert budget.flops_used == 4


def test_independent_threads_each_open_their_own_budget(unit_weights):
    """A grader scoring programs side by side: threads started outside every budget."""
    used: dict[int, int] = {}
    barrier = threading.Barrier(4)

    def program(i: int) -> None:
        with flops.BudgetContext(1000) as budget:
            barrier.wait()  # every budget is open at once
            x = fnp.ones(10)
            for _ in range(i + 1):
                x = x + 1
            # a helper thread of this program is charged to this program
            _run(lambda: fnp.ones(5) * 2)
        used[i] = budget.flops_used

    threads = [threading.Thread(target=program, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert used == {i: 10 * (i + 1) + 5 for i in range(4)}


def test_a_worker_pool_started_outside_budgets_serves_budgets_opened_in_its_workers(
    unit_weights,
):
    def program(n: int) -> int:
        with flops.BudgetContext(1000) as budget:
            fnp.ones(n) + 1
        return budget.flops_used

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(program, [3, 7, 11])) == [3, 7, 11]


def test_a_thread_outliving_its_budget_charges_the_default(unit_weights):
    flops.budget_reset()
    started = threading.Event()
    release = threading.Event()

    def late_work() -> None:
        started.set()
        release.wait(5)
        fnp.ones(6) + 1  # its budget has closed by now

    with flops.BudgetContext(100) as budget:
        thread = threading.Thread(target=late_work)
        thread.start()
        started.wait(5)
    release.set()
    thread.join()
    assert budget.flops_used == 0
    assert flops.budget_summary_dict()["operations"]["add"]["flop_cost"] == 6


def test_the_main_thread_may_open_budgets_one_after_another():
    for _ in range(3):
        with flops.BudgetContext(10):
            pass
    with flops.BudgetContext(10), pytest.raises(RuntimeError, match="nested"):
        with flops.BudgetContext(10):
            pass
