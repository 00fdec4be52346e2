"""How well charged FLOPs predict the work NumPy does: rank correlation with CPU time.

    python benchmarks/fidelity.py                    # full spread (about a minute)
    python benchmarks/fidelity.py --quick            # fewer sizes and repeats
    python benchmarks/fidelity.py --weights FILE     # evaluate another weights table

Over a fixed spread of operations (pointwise, reductions, contractions, linalg, fft,
sorting, random) at sizes whose element counts span 10^3 to 10^6, each call is run by
NumPy directly and timed (CPU time, ``time.process_time``: the work of every thread, so
a BLAS call on two cores counts both; the median over repeats of a loop long enough to
time), and priced by the registry row's own cost rule, as a budget prices it::

    charged(call) = rule(args, kwargs) * (fma_cost if the row counts FMAs) * weight(row)

with ``weight`` the billing name's weight in (a) unit weights (every weight 1.0) and
(b) the packaged table (or ``--weights FILE``). Calls are made as a program makes them
(results allocated), so what is timed is what a counted call costs its caller.

It prints, per operation, its time share and FLOP share (its summed seconds and charged
FLOPs over its sizes, as fractions of the spread's totals) and their ratio::

    ratio(op) = (seconds(op) / seconds(all)) / (charged(op) / charged(all))

1 where an operation's FLOPs cost the spread's average time; above 1 it is undercharged,
below 1 overcharged. Then the Spearman rank correlation between charged FLOPs and
CPU time over every (operation, size) point under (a) and (b) (goal: >= 0.9 with the
packaged weights), the same among operations at each element count (where size no
longer ranks the points, only the weights and rules do), and the ten operations whose
ratio is furthest from 1 under (b).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import spearmanr

import flopscope as flops
from flopscope._config import SETTINGS
from flopscope._registry import REGISTRY
from flopscope._weights import _parse, packaged_weights

#: the goal: charged FLOPs rank calls by CPU time at least this well (packaged weights)
GOAL = 0.9

#: element counts of the main input (a matrix's side is the square root)
SIZES = (10**3, 10**4, 10**5, 10**6)
QUICK_SIZES = (10**3, 10**4, 10**5)
REPEATS, QUICK_REPEATS = 5, 3
#: each timing loop runs at least this long (seconds), so that short calls are timed
#: over many repetitions
MIN_TIME, QUICK_MIN_TIME = 0.02, 0.005

GROUPS = ("pointwise", "reductions", "contractions", "linalg", "fft", "sorting", "random")

Call = tuple[Callable[..., Any], tuple, dict]


@dataclass(frozen=True)
class Entry:
    """One operation of the spread: ``make(elements, rng)`` builds its call, whose main
    input has about ``elements`` elements."""

    label: str  # what the tables print (einsum appears with two signatures)
    name: str  # the registry row that prices it
    group: str
    make: Callable[[int, np.random.Generator], Call]


@dataclass(frozen=True)
class Point:
    """One measured call: its analytical work (FLOPs at unit weight) and CPU seconds."""

    label: str
    name: str
    group: str
    elements: int
    work: int
    seconds: float


# ---------------------------------------------------------------- the spread
def _vector(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal(n)


def _side(n: int) -> int:
    return max(2, round(math.sqrt(n)))


def _matrix(n: int, rng: np.random.Generator) -> np.ndarray:
    side = _side(n)
    return rng.standard_normal((side, side))


def _spd(n: int, rng: np.random.Generator) -> np.ndarray:
    """A symmetric positive definite matrix (cholesky, eigh)."""
    a = _matrix(n, rng)
    return a @ a.T + a.shape[0] * np.eye(a.shape[0])


def _unary(function: Callable[..., Any], positive: bool = False) -> Callable[..., Call]:
    def make(n: int, rng: np.random.Generator) -> Call:
        x = _vector(n, rng)
        return function, (np.abs(x) + 0.1 if positive else x,), {}

    return make


def _binary(function: Callable[..., Any], base: str = "normal") -> Callable[..., Call]:
    def make(n: int, rng: np.random.Generator) -> Call:
        x, y = _vector(n, rng), _vector(n, rng)
        if base == "power":  # positive bases, moderate exponents
            x, y = np.abs(x) + 0.5, rng.uniform(0.5, 2.5, n)
        elif base == "mod":  # divisors away from 0
            y = rng.uniform(1.0, 2.0, n)
        return function, (x, y), {}

    return make


def _of_matrix(function: Callable[..., Any], build: Callable[..., np.ndarray] = _matrix):
    def make(n: int, rng: np.random.Generator) -> Call:
        return function, (build(n, rng),), {}

    return make


def _two_matrices(function: Callable[..., Any], *leading: Any, **kwargs: Any):
    def make(n: int, rng: np.random.Generator) -> Call:
        return function, (*leading, _matrix(n, rng), _matrix(n, rng)), dict(kwargs)

    return make


def _solve(n: int, rng: np.random.Generator) -> Call:
    a = _matrix(n, rng) + _side(n) * np.eye(_side(n))
    return np.linalg.solve, (a, rng.standard_normal(a.shape[0])), {}


def _unique(n: int, rng: np.random.Generator) -> Call:
    # rounded normals: repeated values, as unique usually meets them
    return np.unique, (np.round(_vector(n, rng), 2),), {}


def _draw(function: Callable[..., Any]) -> Callable[..., Call]:
    def make(n: int, rng: np.random.Generator) -> Call:
        return function, (), {"size": n}

    return make


SPREAD: tuple[Entry, ...] = (
    Entry("add", "add", "pointwise", _binary(np.add)),
    Entry("multiply", "multiply", "pointwise", _binary(np.multiply)),
    Entry("exp", "exp", "pointwise", _unary(np.exp)),
    Entry("sin", "sin", "pointwise", _unary(np.sin)),
    Entry("sqrt", "sqrt", "pointwise", _unary(np.sqrt, positive=True)),
    Entry("power", "power", "pointwise", _binary(np.power, "power")),
    Entry("mod", "mod", "pointwise", _binary(np.mod, "mod")),
    Entry("arctan2", "arctan2", "pointwise", _binary(np.arctan2)),
    Entry("tanh", "tanh", "pointwise", _unary(np.tanh)),
    Entry("abs", "abs", "pointwise", _unary(np.abs)),
    Entry("sum", "sum", "reductions", _unary(np.sum)),
    Entry("mean", "mean", "reductions", _unary(np.mean)),
    Entry("var", "var", "reductions", _unary(np.var)),
    Entry("max", "max", "reductions", _unary(np.max)),
    Entry("cumsum", "cumsum", "reductions", _unary(np.cumsum)),
    Entry("matmul", "matmul", "contractions", _two_matrices(np.matmul)),
    Entry(
        "einsum ij,jk->ik",
        "einsum",
        "contractions",
        _two_matrices(np.einsum, "ij,jk->ik", optimize=True),
    ),
    Entry("einsum ij,ij->i", "einsum", "contractions", _two_matrices(np.einsum, "ij,ij->i")),
    Entry("dot", "dot", "contractions", _two_matrices(np.dot)),
    Entry("linalg.svd", "linalg.svd", "linalg", _of_matrix(np.linalg.svd)),
    Entry("linalg.qr", "linalg.qr", "linalg", _of_matrix(np.linalg.qr)),
    Entry("linalg.inv", "linalg.inv", "linalg", _of_matrix(np.linalg.inv, _spd)),
    Entry("linalg.eigh", "linalg.eigh", "linalg", _of_matrix(np.linalg.eigh, _spd)),
    Entry("linalg.solve", "linalg.solve", "linalg", _solve),
    Entry("linalg.cholesky", "linalg.cholesky", "linalg", _of_matrix(np.linalg.cholesky, _spd)),
    Entry("fft.fft", "fft.fft", "fft", _unary(np.fft.fft)),
    Entry("fft.rfft", "fft.rfft", "fft", _unary(np.fft.rfft)),
    Entry("sort", "sort", "sorting", _unary(np.sort)),
    Entry("argsort", "argsort", "sorting", _unary(np.argsort)),
    Entry("unique", "unique", "sorting", _unique),
    Entry("random.normal", "random.normal", "random", _draw(np.random.normal)),
    Entry("random.uniform", "random.uniform", "random", _draw(np.random.uniform)),
    Entry(
        "random.standard_normal",
        "random.standard_normal",
        "random",
        _draw(np.random.standard_normal),
    ),
)


# ---------------------------------------------------------------- measuring
def work_of(name: str, args: tuple, kwargs: dict) -> int:
    """The analytical FLOPs a budget charges ``name`` at unit weight:
    ``rule(args, kwargs)``, times ``fma_cost`` where the row counts FMAs."""
    op = REGISTRY[name]
    assert op.rule is not None, f"{name} is not a counted row"
    work = int(op.rule(args, kwargs))
    return work * SETTINGS.fma_cost if op.fma else work


def seconds_per_call(
    call: Callable[[], object],
    repeats: int,
    min_time: float,
    clock: Callable[[], float] = time.process_time,
) -> float:
    """The median over ``repeats`` loops of ``clock`` seconds per call; each loop runs
    the call enough times to last about ``min_time`` (after one warm-up call)."""
    call()
    start = clock()
    call()
    once = clock() - start
    number = max(1, int(min_time / max(once, 1e-7)))
    times = []
    for _ in range(repeats):
        start = clock()
        for _ in range(number):
            call()
        times.append((clock() - start) / number)
    return statistics.median(times)


def measure(
    spread: Sequence[Entry],
    sizes: Sequence[int],
    repeats: int,
    min_time: float,
    clock: Callable[[], float] = time.process_time,
    progress: Callable[[str], None] | None = None,
) -> list[Point]:
    """One point per entry and element count: its work and its CPU seconds per call."""
    rng = np.random.default_rng(0)
    points = []
    for entry in spread:
        for elements in sizes:
            function, args, kwargs = entry.make(elements, rng)
            seconds = seconds_per_call(
                lambda f=function, a=args, k=kwargs: f(*a, **k), repeats, min_time, clock
            )
            work = work_of(entry.name, args, kwargs)
            points.append(Point(entry.label, entry.name, entry.group, elements, work, seconds))
        if progress is not None:
            progress(entry.label)
    return points


# ---------------------------------------------------------------- evaluating
@dataclass(frozen=True)
class Share:
    """One operation's share of the spread's time and of its charged FLOPs."""

    label: str
    group: str
    weight: float
    seconds: float
    time_share: float
    flop_share: float

    @property
    def ratio(self) -> float:
        """``time_share / flop_share``: 1 is charged in proportion to its time."""
        if self.flop_share == 0:
            return math.inf if self.time_share > 0 else 1.0
        return self.time_share / self.flop_share

    @property
    def distance(self) -> float:
        """How far the ratio is from 1, either way: ``|log ratio|``."""
        ratio = self.ratio
        return math.inf if ratio in (0.0, math.inf) else abs(math.log(ratio))


@dataclass(frozen=True)
class Fidelity:
    """Charged FLOPs against CPU time under one weights table."""

    spearman: float  # over every point
    by_size: dict[int, float]  # among the operations at each element count
    shares: list[Share]  # in the spread's order

    def worst(self, count: int = 10) -> list[Share]:
        """The ``count`` operations whose ratio is furthest from 1."""
        return sorted(self.shares, key=lambda s: (-s.distance, s.label))[:count]


def charged(point: Point, weights: Mapping[str, float]) -> float:
    """The point's FLOPs as a budget charges them under ``weights`` (names missing from
    the table weigh 1.0, as in a budget)."""
    return point.work * weights.get(REGISTRY[point.name].billing_name, 1.0)


def _spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho; NaN where either side is constant or there are fewer than 3."""
    if len(x) < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return math.nan
    return float(spearmanr(x, y)[0])


def evaluate(points: Sequence[Point], weights: Mapping[str, float]) -> Fidelity:
    """The rank correlations and the shares of ``points`` under ``weights``."""
    flops_charged = [charged(p, weights) for p in points]
    seconds = [p.seconds for p in points]
    by_size = {}
    for elements in sorted({p.elements for p in points}):
        at = [k for k, p in enumerate(points) if p.elements == elements]
        by_size[elements] = _spearman([flops_charged[k] for k in at], [seconds[k] for k in at])
    total_time, total_flops = sum(seconds), sum(flops_charged)
    labels: dict[str, list[int]] = {}
    for k, p in enumerate(points):
        labels.setdefault(p.label, []).append(k)
    shares = []
    for label, at in labels.items():
        first = points[at[0]]
        op_time = sum(seconds[k] for k in at)
        op_flops = sum(flops_charged[k] for k in at)
        shares.append(
            Share(
                label,
                first.group,
                weights.get(REGISTRY[first.name].billing_name, 1.0),
                op_time,
                op_time / total_time if total_time else 0.0,
                op_flops / total_flops if total_flops else 0.0,
            )
        )
    return Fidelity(_spearman(flops_charged, seconds), by_size, shares)


# ---------------------------------------------------------------- printing
def _rho(value: float) -> str:
    return "   n/a" if math.isnan(value) else f"{value:6.3f}"


def _ratio(value: float) -> str:
    return "inf" if value == math.inf else f"{value:.3g}"


def _elements(n: int) -> str:
    power = math.log10(n)
    return f"10^{power:.0f}" if power.is_integer() else f"{n:,}"


def table(points: Sequence[Point], weights: Mapping[str, float], label: str) -> str:
    """The printed report of ``points`` under unit weights and under ``weights``."""
    unit = evaluate(points, {})
    weighted = evaluate(points, weights)
    lines = [
        f"{'operation':<26}{'group':<14}{'weight':>8}{'CPU s':>11}{'time %':>9}"
        f"{'FLOP % unit':>13}{'ratio':>8}{'FLOP % w':>10}{'ratio':>8}"
    ]
    for u, w in zip(unit.shares, weighted.shares, strict=True):
        lines.append(
            f"  {u.label:<24}{u.group:<14}{w.weight:>8.3g}{u.seconds:>11.5f}"
            f"{100 * u.time_share:>8.2f}%{100 * u.flop_share:>12.3f}%{_ratio(u.ratio):>8}"
            f"{100 * w.flop_share:>9.3f}%{_ratio(w.ratio):>8}"
        )
    lines.append("  (ratio = time share / FLOP share: 1 charged in proportion to its time,")
    lines.append("   above 1 undercharged, below 1 overcharged; 'w' = " + label + ")")
    lines.append("")
    verdict = "ok" if weighted.spearman >= GOAL else "BELOW"
    lines.append(f"Spearman rank correlation, charged FLOPs vs CPU time, {len(points)} points:")
    lines.append(f"  unit weights:       {_rho(unit.spearman)}")
    lines.append(f"  {label + ':':<20}{_rho(weighted.spearman)}   goal: >= {GOAL}  {verdict}")
    lines.append("")
    lines.append("among the operations at one element count (size no longer ranks them):")
    lines.append(f"  {'elements':<12}{'unit':>8}{'weighted':>10}")
    for elements, rho in unit.by_size.items():
        lines.append(
            f"  {_elements(elements):<12}{_rho(rho):>8}{_rho(weighted.by_size[elements]):>10}"
        )
    lines.append("")
    lines.append(f"worst ten by time share / FLOP share ({label}):")
    for share in weighted.worst(10):
        side = "undercharged" if share.ratio > 1 else "overcharged"
        lines.append(f"  {share.label:<26}{share.group:<14}ratio {_ratio(share.ratio):>8}  {side}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and repeats")
    parser.add_argument("--weights", metavar="FILE", help="evaluate this weights table")
    args = parser.parse_args(argv)
    if args.weights:
        weights, label = _parse(Path(args.weights)), f"weights of {args.weights}"
    else:
        weights, label = packaged_weights(), "packaged weights"
    sizes = QUICK_SIZES if args.quick else SIZES
    repeats = QUICK_REPEATS if args.quick else REPEATS
    min_time = QUICK_MIN_TIME if args.quick else MIN_TIME

    print(f"flopscope {flops.__version__}, NumPy {np.__version__}, Python {sys.version.split()[0]}")
    print(
        f"{len(SPREAD)} operations x {len(sizes)} sizes ({_elements(sizes[0])} to "
        f"{_elements(sizes[-1])} elements), CPU time (process_time), median of {repeats}, "
        f"fma_cost {SETTINGS.fma_cost}"
    )
    print()
    points = measure(SPREAD, sizes, repeats, min_time)
    print(table(points, weights, label))
    return 0


if __name__ == "__main__":
    sys.exit(main())
