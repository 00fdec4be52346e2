"""Views of the records: summary dicts, the text summary and the live display.

Nothing here keeps a tally; every figure is computed from a budget's folded totals.
"""

from __future__ import annotations

from typing import Any

from ._config import NO_LIMIT
from ._records import FREE_OP_ID, Totals, add_totals, namespace_path, op_name

__all__ = ["format_summary", "summary_dict", "time_fields"]


def time_fields(wall_ns: int, backend_ns: int, overhead_ns: int) -> dict[str, float]:
    """The four timing fields, with ``wall == backend + overhead + residual`` exactly.

    Residual is what remains of the wall time outside counted backend calls and
    flopscope's own dispatch. The identity is made exact in floating point (summed in
    that order) by reporting the wall time as that sum: it differs from the measured
    nanoseconds by at most a rounding error of the last bit.
    """
    backend = backend_ns / 1e9
    overhead = overhead_ns / 1e9
    residual = (wall_ns - backend_ns - overhead_ns) / 1e9
    return {
        "wall_time_s": backend + overhead + residual,
        "flopscope_backend_time_s": backend,
        "flopscope_overhead_time_s": overhead,
        "residual_wall_time_s": residual,
    }


def _operations(groups: dict[str, Totals]) -> dict[str, dict[str, Any]]:
    ordered = sorted(groups.items(), key=lambda item: (-item[1].flop_cost, item[0]))
    return {
        name: {
            "flop_cost": tot.flop_cost,
            "calls": tot.calls,
            "flopscope_backend_time_s": tot.backend_ns / 1e9,
            "flopscope_overhead_time_s": tot.overhead_ns / 1e9,
        }
        for name, tot in ordered
    }


def summary_dict(
    *,
    flop_budget: int,
    flops_used: int,
    totals: dict[tuple[int, int], Totals],
    wall_ns: int,
    ns_wall: dict[int, int],
    by_namespace: bool,
) -> dict[str, Any]:
    """Plain-data summary.

    Keys: ``flop_budget``, ``flops_used``, ``flops_remaining``, ``operations`` (name ->
    ``{flop_cost, calls, flopscope_backend_time_s, flopscope_overhead_time_s}``, most
    expensive first), ``free_operations`` (``{calls, flopscope_backend_time_s,
    flopscope_overhead_time_s}`` of the calls that charged nothing) and the four time
    fields, which include the free calls' time. With ``by_namespace=True`` also
    ``by_namespace``: dotted path (``None`` where no namespace was set) -> ``{flops_used,
    operations, free_operations, <four time fields>}``, where a path's wall time is the
    time spent in its blocks outside nested namespaces.
    """
    by_op: dict[str, Totals] = {}
    by_ns: dict[int, dict[str, Totals]] = {}
    free = Totals()  # free calls: time only, no FLOPs, not an operation of the list
    free_by_ns: dict[int, Totals] = {}
    for (op_id, ns_id), tot in totals.items():
        if op_id == FREE_OP_ID:
            free.add(tot)
            if by_namespace:
                add_totals(free_by_ns, ns_id, tot)
            continue
        name = op_name(op_id)
        add_totals(by_op, name, tot)
        if by_namespace:
            add_totals(by_ns.setdefault(ns_id, {}), name, tot)
    backend = free.backend_ns + sum(t.backend_ns for t in by_op.values())
    overhead = free.overhead_ns + sum(t.overhead_ns for t in by_op.values())
    out: dict[str, Any] = {
        "flop_budget": flop_budget,
        "flops_used": flops_used,
        "flops_remaining": flop_budget - flops_used,
        "operations": _operations(by_op),
        "free_operations": _free_figures(free),
        **time_fields(wall_ns, backend, overhead),
    }
    if by_namespace:
        spaces: dict[str | None, dict[str, Any]] = {}
        live = set(by_ns) | set(free_by_ns) | {k for k, v in ns_wall.items() if v > 0}
        for ns_id in sorted(live):
            groups = by_ns.get(ns_id, {})
            ns_free = free_by_ns.get(ns_id, Totals())
            ns_backend = ns_free.backend_ns + sum(t.backend_ns for t in groups.values())
            ns_overhead = ns_free.overhead_ns + sum(t.overhead_ns for t in groups.values())
            ns_wall_ns = max(ns_wall.get(ns_id, 0), ns_backend + ns_overhead)
            spaces[namespace_path(ns_id)] = {
                "flops_used": sum(t.flop_cost for t in groups.values()),
                "operations": _operations(groups),
                "free_operations": _free_figures(ns_free),
                **time_fields(ns_wall_ns, ns_backend, ns_overhead),
            }
        out["by_namespace"] = spaces
    return out


def _free_figures(free: Totals) -> dict[str, Any]:
    return {
        "calls": free.calls,
        "flopscope_backend_time_s": free.backend_ns / 1e9,
        "flopscope_overhead_time_s": free.overhead_ns / 1e9,
    }


class BudgetSummary(str):
    """The summary text; shows as itself (not a quoted string) at the interactive prompt,
    and as a table where rich renders it (``rich.print(summary)``, a terminal:
    :func:`print_summary`)."""

    _data: dict[str, Any] | None = None  # the figures it was made from, when kept

    def __repr__(self) -> str:
        return str(self)

    def __rich__(self) -> Any:
        from rich.text import Text

        return summary_table(self._data) if self._data is not None else Text(str(self))


def summary_table(data: dict[str, Any]) -> Any:
    """A :func:`summary_dict` as a rich table: one row per operation (FLOPs, share,
    calls, backend time), the budget in the title, the time fields in the caption."""
    from rich.table import Table

    used, wall = data["flops_used"], data["wall_time_s"]
    caption = (
        f"wall {wall:.6f}s = backend {data['flopscope_backend_time_s']:.6f}s"
        f" + flopscope {data['flopscope_overhead_time_s']:.6f}s"
        f" + residual {data['residual_wall_time_s']:.6f}s"
    )
    table = Table(title=_title(data), caption=caption)
    table.add_column("operation")
    table.add_column("FLOPs", justify="right")
    table.add_column("share", justify="right")
    table.add_column("calls", justify="right")
    table.add_column("backend s", justify="right")
    for name, op in data["operations"].items():
        table.add_row(
            name,
            f"{op['flop_cost']:,}",
            f"{_pct(op['flop_cost'], used):.1f}%",
            f"{op['calls']:,}",
            f"{op['flopscope_backend_time_s']:.6f}",
        )
    return table


def print_summary(summary: str, file: Any = None) -> None:
    """Write ``summary`` to ``file`` (stdout by default): a rich table on a terminal, the
    text (unchanged) anywhere else."""
    import sys

    from rich.console import Console

    stream = sys.stdout if file is None else file
    console = Console(file=stream)
    if (
        isinstance(summary, BudgetSummary)
        and summary._data is not None
        and console.is_terminal
        and not console.is_dumb_terminal
    ):
        console.print(summary)
    else:
        stream.write(str(summary) + "\n")


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def _op_lines(operations: dict[str, dict[str, Any]], used: int, indent: str) -> list[str]:
    if not operations:
        return [f"{indent}(no counted operations)"]
    width = max(16, *(len(name) for name in operations))
    lines = []
    for name, op in operations.items():
        calls = op["calls"]
        lines.append(
            f"{indent}{name:<{width}} {op['flop_cost']:>15,} "
            f"({_pct(op['flop_cost'], used):5.1f}%) [{calls:,} call{'s' if calls != 1 else ''}]"
        )
    return lines


def format_summary(data: dict[str, Any]) -> str:
    """Render a :func:`summary_dict` as the text summary."""
    budget, used, left = data["flop_budget"], data["flops_used"], data["flops_remaining"]
    title = "flopscope FLOP Budget Summary"
    limits = (
        ["Total budget: no limit", f"Used:         {used:,}"]
        if budget >= NO_LIMIT
        else [
            f"Total budget: {budget:,}",
            f"Used:         {used:,} ({_pct(used, budget):.1f}%)",
            f"Remaining:    {left:,} ({_pct(left, budget):.1f}%)",
        ]
    )
    lines = [
        title,
        "=" * len(title),
        *limits,
        "",
        "By operation:",
        *_op_lines(data["operations"], used, "  "),
        "",
    ]
    wall = data["wall_time_s"]
    lines += [
        f"Total Wall Time:    {wall:.6f}s",
        f"Flopscope Backend:  {data['flopscope_backend_time_s']:.6f}s "
        f"({_pct(data['flopscope_backend_time_s'], wall):.1f}%)",
        f"Flopscope Overhead: {data['flopscope_overhead_time_s']:.6f}s "
        f"({_pct(data['flopscope_overhead_time_s'], wall):.1f}%)",
        f"Residual Wall Time: {data['residual_wall_time_s']:.6f}s "
        f"({_pct(data['residual_wall_time_s'], wall):.1f}%)",
    ]
    free = data["free_operations"]
    if free["calls"]:
        free_time = free["flopscope_backend_time_s"] + free["flopscope_overhead_time_s"]
        calls = free["calls"]
        lines.append(
            f"(free operations: {calls:,} call{'s' if calls != 1 else ''}, 0 FLOPs, "
            f"{free_time:.6f}s of the flopscope time above)"
        )
    if "by_namespace" in data:
        lines += ["", "By namespace:"]
        ordered = sorted(
            data["by_namespace"].items(), key=lambda item: (-item[1]["flops_used"], str(item[0]))
        )
        for path, ns in ordered:
            label = "(no namespace)" if path is None else path
            lines.append(
                f"  {label}: {ns['flops_used']:,} FLOPs ({_pct(ns['flops_used'], used):.1f}%)"
            )
            lines += _op_lines(ns["operations"], used, "    ")
    summary = BudgetSummary("\n".join(lines))
    summary._data = data
    return summary


_RATE_PREFIXES = ("", "k", "M", "G", "T", "P", "E")


def _rate(flops_per_second: float) -> str:
    """``1.23 GFLOP/s``: three significant digits under a decimal prefix."""
    value = float(flops_per_second)
    for prefix in _RATE_PREFIXES:
        if abs(value) < 1000.0 or prefix == _RATE_PREFIXES[-1]:
            return f"{value:.3g} {prefix}FLOP/s"
        value /= 1000.0
    raise AssertionError("unreachable")


def _title(data: dict[str, Any]) -> str:
    budget, used = data["flop_budget"], data["flops_used"]
    if budget >= NO_LIMIT:
        return f"flopscope: {used:,} FLOPs (no limit)"
    return f"flopscope: {used:,} / {budget:,} FLOPs ({_pct(used, budget):.1f}%)"


class budget_live:
    """Show the active budget live in the terminal (rich) while the block runs.

    ``with flops.budget_live(): ...`` draws the budget that a counted call made now would
    charge (the open explicit context, or the default) ``refresh_per_second`` times a
    second: a bar of the FLOPs used against the budget, the FLOP rate (over the last
    refresh, and ``flops_used / wall_time_s`` on average), the four time fields and the
    ``top`` most expensive operations. Rich's own refresh thread redraws it from the
    budget's running totals (``summary_dict()``, the same records as ``summary()``):
    counted calls do no work for it.

    The last frame stays on the screen; where the block's budget closed inside it, that
    frame shows the closed budget's final figures.

    On a console that is not a terminal (output to a file or a pipe) nothing is redrawn:
    the final figures are printed once when the block ends, as a table of the operations
    under the budget's title. ``console``: the rich ``Console`` to draw on (rich's global
    console by default).
    """

    def __init__(self, refresh_per_second: float = 4.0, top: int = 8, console: Any = None) -> None:
        self.refresh_per_second = refresh_per_second
        self.top = top
        self.console = console
        self._live: Any = None
        #: (budget, perf_counter reading, flops_used) at the previous refresh: the rate
        #: over the last interval. Only the refresh thread, then ``__exit__`` after that
        #: thread has stopped, touch it.
        self._previous: tuple[Any, float, int] | None = None
        #: the budget the last frame shows, when it differs from the one drawn live
        self._final_budget: Any = None

    def _data(self) -> tuple[Any, dict[str, Any]]:
        from ._budget import current_budget

        budget = self._final_budget if self._final_budget is not None else current_budget()
        return budget, budget.summary_dict()

    def _render(self) -> Any:
        """The live frame: title, bar, rates, time fields and the top operations."""
        from time import perf_counter

        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        budget, data = self._data()
        now = perf_counter()
        limit, used = data["flop_budget"], data["flops_used"]
        previous = self._previous
        if previous is not None and previous[0] is budget and now > previous[1]:
            recent = f"{_rate((used - previous[2]) / (now - previous[1]))} now, "
        else:
            recent = ""
        self._previous = (budget, now, used)
        wall = data["wall_time_s"]
        average = _rate(used / wall) if wall > 0 else _rate(0)
        share = _pct(used, limit)
        bar = ProgressBar(
            total=max(limit, 1),
            completed=min(used, limit),
            complete_style="red" if share >= 90.0 else "green",
            finished_style="red",
        )
        times = Text(
            f"wall {wall:.3f}s = backend {data['flopscope_backend_time_s']:.3f}s"
            f" + flopscope {data['flopscope_overhead_time_s']:.3f}s"
            f" + residual {data['residual_wall_time_s']:.3f}s"
        )
        table = Table(box=None, pad_edge=False)
        table.add_column("operation")
        table.add_column("FLOPs", justify="right")
        table.add_column("share", justify="right")
        table.add_column("calls", justify="right")
        table.add_column("backend s", justify="right")
        for name, op in list(data["operations"].items())[: self.top]:
            table.add_row(
                name,
                f"{op['flop_cost']:,}",
                f"{_pct(op['flop_cost'], used):.1f}%",
                f"{op['calls']:,}",
                f"{op['flopscope_backend_time_s']:.3f}",
            )
        # a bar yields no line end of its own: a grid row gives it one
        bar_row = Table.grid(expand=True, padding=(0, 1))
        bar_row.add_column(ratio=1)
        bar_row.add_column(justify="right")
        bar_row.add_row(bar, f"{share:.1f}%")
        return Group(
            Text(_title(data), style="bold"),
            bar_row,
            Text(f"rate: {recent}{average} average"),
            times,
            table,
        )

    def _final_table(self) -> Any:
        """The figures printed once at the end where the console is not a terminal."""
        from rich.table import Table

        _, data = self._data()
        table = Table(title=_title(data))
        table.add_column("operation")
        table.add_column("FLOPs", justify="right")
        table.add_column("calls", justify="right")
        for name, op in list(data["operations"].items())[: self.top]:
            table.add_row(name, f"{op['flop_cost']:,}", f"{op['calls']:,}")
        return table

    def __enter__(self) -> budget_live:
        from rich import get_console
        from rich.live import Live

        console = self.console if self.console is not None else get_console()
        self._previous = None
        if (console.is_terminal and not console.is_dumb_terminal) or console.is_jupyter:
            self._live = Live(
                get_renderable=self._render,
                console=console,
                refresh_per_second=self.refresh_per_second,
            )
        else:  # nothing to redraw: Live prints the final table when it stops
            self._live = Live(get_renderable=self._final_table, console=console, auto_refresh=False)
        self._live.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        from ._budget import current_budget

        # ``with budget_live(): with BudgetContext(...): ...``: the budget drawn live has
        # closed by now, and the last frame shows its final figures, not the default's
        shown = self._previous[0] if self._previous is not None else None
        if shown is not None and shown is not current_budget() and shown._t_enter is None:
            self._final_budget = shown
        try:
            self._live.__exit__(*exc)
        finally:
            self._final_budget = None
