"""``flops.budget_live()``: redrawn by rich's refresh thread on a terminal, printed once
at the end elsewhere."""

from __future__ import annotations

import io
import re
import time

from rich.console import Console

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._display import _rate

_TITLE = re.compile(r"flopscope: ([\d,]+) / ([\d,]+) FLOPs")


def _frames_used(text: str) -> list[int]:
    """The FLOPs used shown by each frame drawn, in order."""
    return [int(used.replace(",", "")) for used, _ in _TITLE.findall(text)]


def test_on_a_terminal_the_display_is_redrawn_while_the_block_runs():
    screen = io.StringIO()
    console = Console(force_terminal=True, file=screen, width=100)
    x = fnp.ones((20, 20))
    with flops.BudgetContext(flop_budget=10**13) as budget:
        with flops.budget_live(refresh_per_second=20, console=console) as live:
            assert live._live._refresh_thread is not None
            start = time.perf_counter()
            # about 0.3 s of counted work; longer only on a machine too busy to have
            # drawn a frame by then
            while time.perf_counter() - start < 0.3 or (
                not _frames_used(screen.getvalue()) and time.perf_counter() - start < 5.0
            ):
                x @ x
            drawn_during_the_block = _frames_used(screen.getvalue())
    shown = screen.getvalue()
    assert drawn_during_the_block, "no frame was drawn while the block ran"
    assert drawn_during_the_block[0] < budget.flops_used  # drawn mid-run, not at the end
    assert _frames_used(shown)[-1] == budget.flops_used  # the last frame: the final figures
    assert "━" in shown  # the bar of the budget used
    assert "rate:" in shown and "FLOP/s" in shown
    assert re.search(r"wall [\d.]+s = backend [\d.]+s \+ flopscope [\d.]+s \+ residual", shown)
    assert "matmul" in shown


def test_a_budget_closed_inside_the_display_keeps_the_last_frame():
    screen = io.StringIO()
    console = Console(force_terminal=True, file=screen, width=100)
    x = fnp.ones((20, 20))
    with flops.budget_live(refresh_per_second=20, console=console):
        with flops.BudgetContext(flop_budget=10**13) as budget:
            start = time.perf_counter()
            while not _frames_used(screen.getvalue()) and time.perf_counter() - start < 5.0:
                x @ x
    assert _frames_used(screen.getvalue())[-1] == budget.flops_used > 0


def test_a_frame_shows_the_rate_since_the_last_refresh_and_the_average():
    x = fnp.ones((10, 10))
    with flops.BudgetContext(flop_budget=10**9):
        live = flops.budget_live()
        x @ x
        first = live._render()
        x @ x
        second = live._render()
    screen = io.StringIO()
    Console(file=screen, width=100).print(first, second)
    first_text, second_text = screen.getvalue().split("flopscope: 2,000")
    assert "now," not in first_text  # no previous refresh to measure from
    assert re.search(
        r"rate: [\d.]+ [kMGTPE]?FLOP/s now, [\d.]+ [kMGTPE]?FLOP/s average", second_text
    )


def test_off_a_terminal_the_final_table_is_printed_once_as_before():
    output = io.StringIO()
    console = Console(file=output, width=100)
    with flops.BudgetContext(flop_budget=10**6):
        with flops.budget_live(refresh_per_second=20, console=console) as live:
            assert live._live._refresh_thread is None  # nothing redraws off a terminal
            fnp.ones((10, 10)) @ fnp.ones((10, 10))
            assert output.getvalue() == ""
    assert output.getvalue() == (
        "flopscope: 1,000 / 1,000,000 \n"
        "        FLOPs (0.1%)         \n"
        "┏━━━━━━━━━━━┳━━━━━━━┳━━━━━━━┓\n"
        "┃ operation ┃ FLOPs ┃ calls ┃\n"
        "┡━━━━━━━━━━━╇━━━━━━━╇━━━━━━━┩\n"
        "│ matmul    │ 1,000 │     1 │\n"
        "└───────────┴───────┴───────┘"  # as Live leaves it: no line end
    )


def test_rates_read_with_a_decimal_prefix():
    assert _rate(0) == "0 FLOP/s"
    assert _rate(999) == "999 FLOP/s"
    assert _rate(1.5e9) == "1.5 GFLOP/s"
    assert _rate(2.345e6) == "2.35 MFLOP/s"
    assert _rate(1e21) == "1e+03 EFLOP/s"
