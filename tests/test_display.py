"""The text summary and the live display read the same records as summary_dict."""

from __future__ import annotations

import io

from rich.console import Console

import flopscope as flops
import flopscope.numpy as fnp


def test_summary_text_lists_operations_most_expensive_first():
    with flops.BudgetContext(10**6, namespace="solver") as budget:
        x = fnp.ones((10, 10))
        x @ x
        fnp.exp(x)
        with fnp.namespace("init"):
            fnp.add(x, 1)
    text = budget.summary(by_namespace=True)
    lines = [ln.strip() for ln in text.splitlines()]
    assert lines[0] == "flopscope FLOP Budget Summary"
    rows = [ln.split() for ln in lines[lines.index("By operation:") + 1 :] if ln][:3]
    shown = [(row[0], int(row[1].replace(",", ""))) for row in rows]
    analytical = {"matmul": 1000, "exp": 100, "add": 100}
    weighted = {name: round(cost * flops.get_weight(name)) for name, cost in analytical.items()}
    # the weighted charge, most expensive first (ties by name)
    assert shown == sorted(weighted.items(), key=lambda item: (-item[1], item[0]))
    assert "[1 call]" in text
    assert "solver.init: 100 FLOPs" in text
    assert repr(budget.summary()) == str(budget.summary())  # shows as text at the prompt


def test_budget_live_renders_the_active_budget():
    buffer = io.StringIO()
    with flops.BudgetContext(10**6) as budget:
        live = flops.budget_live(refresh_per_second=20)
        fnp.ones((10, 10)) @ fnp.ones((10, 10))
        table = live._render()
    Console(file=buffer, width=100).print(table)
    shown = buffer.getvalue()
    assert "matmul" in shown and "1,000" in shown
    assert f"{budget.flops_used:,} / 1,000,000" in shown


def test_budget_live_context_runs_around_counted_work(unit_weights):
    with flops.budget_live(refresh_per_second=20):
        with flops.BudgetContext(10**6) as budget:
            fnp.sum(fnp.ones(100))
    assert budget.flops_used == 100


def test_summary_text_shows_free_calls_only_when_there_are_some():
    with flops.BudgetContext(10**6) as budget:
        fnp.sum(fnp.ones(10))  # fnp.ones is a free call
    assert "(free operations: 1 call, 0 FLOPs," in budget.summary()
    with flops.BudgetContext(10**6) as budget:
        fnp.sum([1.0, 2.0])
    assert "free operations" not in budget.summary()


def test_the_summary_is_a_rich_table_on_a_terminal_and_the_text_elsewhere():
    with flops.BudgetContext(flop_budget=10**6, quiet=True) as budget:
        fnp.exp(fnp.ones((4, 4)))
        fnp.ones((3, 3)) @ fnp.ones((3, 3))
    piped = io.StringIO()
    budget.print_summary(piped)  # not a terminal: today's text, unchanged
    assert piped.getvalue() == budget.summary() + "\n"
    drawn = io.StringIO()
    Console(file=drawn, force_terminal=True, width=100).print(budget.summary())
    text = drawn.getvalue()
    assert "operation" in text and "FLOPs" in text and "exp" in text and "matmul" in text
    assert "│" in text or "┃" in text  # drawn as a table
    assert f"{budget.flops_used:,}" in text
