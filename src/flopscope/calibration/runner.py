"""The calibration runner: measure every case, write ``weights.json`` (seed 004).

    python -m benchmarks.runner --dtype float64 --output weights.json --html report.html
    flopscope calibrate --output weights.json --quick --compare old.json

Each category of :data:`.cases.CATEGORIES` is measured in its own subprocess
(``python -m flopscope.calibration.runner --worker CATEGORY ...``, which writes its
measurements as JSON to a file the parent merges), one after the other, so no category
runs beside another or inherits another's heap. BLAS runs on one thread
(``OPENBLAS_NUM_THREADS`` and its kin default to 1 in the workers): a weight prices work
per FLOP, which ufuncs do on one core.

Timing mode (the default wherever the hardware counter is unavailable). For each case,
size and distribution the call is built once (inputs and a preallocated ``out``), run once
to warm up, then timed ``repeats`` times over a loop long enough to take at least
:data:`LOOP_SECONDS`; its cost is the median seconds per call. Its analytical FLOPs come
from the row's own cost rule, ``REGISTRY[name].rule(args, kwargs)`` (``kwargs`` without
``out``; a fused-multiply-add rule times ``fma_cost``, 1 by default). Then::

    dispatch         = seconds of np.abs(a, out=c) on one element: a ufunc call's own
                       cost, no arithmetic (seed 004's overhead, measured from np.abs)
    add_per_element  = (seconds of np.add(a, b, out=c) on n float64 elements
                        - dispatch) / n
    alpha(sample)    = (seconds / flops) / add_per_element(n)
    overhead(sample) = (dispatch / flops) / add_per_element(n)   (0 for BLAS-backed ops)
    alpha(op)        = median over the op's samples on its typical distribution (the
                       case's first: values as programs mostly give them) and every size
                       (spread: 25th and 75th percentiles)
    weight(op)       = max(median over those samples of alpha - overhead, 0)

The other distributions (magnitudes at the ends of the range, the edges of a domain) are
measured and kept per distribution in ``meta["ops"][name]["distributions"]``: they show
how far the cost moves with the data (``fmod`` of numbers 1e300 apart takes 40 times
longer than of ordinary ones), without letting the rare case set the price.

So ``np.add`` weighs 1 by construction, and the overhead subtracted is the ufunc
machinery's cost per call spread over the call's FLOPs. (Seed 004 subtracts ``np.abs``'s
cost per element. In timing mode that is the wrong quantity: ``abs`` and ``add`` are both
bound by memory traffic, ``abs`` costs 0.8-0.95 of ``add`` per element on the machines
measured, and subtracting it would price ``add`` itself, and every cheap operation, at
about 0. Perf mode keeps the seed's per-element form: there ``abs`` retires almost no
floating-point instructions.) For the elementwise categories
(:data:`ELEMENTWISE`) ``n`` is the call's element count (its largest array) and the
reference is measured at exactly that count; for the others ``n`` is the sample's
analytical FLOPs and the reference is interpolated (log-log) between the sizes of
:data:`REFERENCE_GRID`, clamped at its ends.

Perf mode (``--mode perf``, or ``auto`` where ``perf stat -x, -e instructions -- true``
prints a count). The cost of a call is retired instructions instead of seconds: ``perf
stat`` counts a harness process (``--harness``) that builds the call, warms up and runs it
``L`` times, minus the same harness calling a no-op ``L`` times with the same arguments;
``L`` is chosen from the call's timing so the loop runs about :data:`PERF_LOOP_SECONDS`.
The reference kernels are counted the same way, so ``alpha`` is instructions per
analytical FLOP relative to ``np.add``'s instructions per element, and the formulas
above hold with instructions in place of seconds. The counter is not available on the
machines this was developed on: perf mode is written to this description but has not
been run against real hardware counters.

Afterwards: free registry rows weigh 0.0 (not measured); aliases and twins carry their
billing row's weight; weights are rounded to 3 significant figures; SPEC decision 3 pins
add, multiply, maximum, sqrt, einsum and matmul to 1.0 (``--pin NAME=VALUE`` pins
others), their measured weights kept in ``meta["pinned"]``. The file's schema is in
:mod:`flopscope.calibration`.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime
import gc
import importlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from . import cases as cases_module_default
from .cases import CATEGORIES, Call, Case

__all__ = [
    "ELEMENTWISE",
    "PINNED_TO_ONE",
    "ROUNDING",
    "build_weights",
    "choose_mode",
    "compare_weights",
    "main",
    "measure_category",
    "perf_status",
]

#: SPEC decision 3: these weigh 1.0 whatever the measurement says
PINNED_TO_ONE = ("add", "multiply", "maximum", "sqrt", "einsum", "matmul")
#: categories whose reference ``np.add`` is measured at the call's own element count
ELEMENTWISE = frozenset({"pointwise", "bitwise", "complex"})
ROUNDING = "3 significant figures"
SCHEMA_VERSION = 1
#: element counts ``np.add`` / ``np.abs`` are measured at for interpolation: 10 to 1e7
#: in half decades (``--quick``: up to 1e6)
REFERENCE_GRID = tuple(round(10 ** (k / 2)) for k in range(2, 15))
QUICK_GRID_TOP = 10**6
#: a timed loop runs at least this long (``--quick``: QUICK_LOOP_SECONDS)
LOOP_SECONDS = 2e-3
QUICK_LOOP_SECONDS = 5e-4
QUICK_MAX_REPEATS = 3
#: a counted loop (perf mode) runs about this long, so the call's instructions dominate
#: the harness process's own
PERF_LOOP_SECONDS = 5e-2
QUICK_PERF_LOOP_SECONDS = 1e-2
DEFAULT_CASES_MODULE = "flopscope.calibration.cases"
#: the worker's progress lines on its stdout start with this
PROGRESS_MARK = "calibrated\t"
#: BLAS and OpenMP thread counts the workers run with unless the caller set them
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
ADD_KERNEL = "@add"
ABS_KERNEL = "@abs"


# ---------------------------------------------------------------------- the mode


def perf_status() -> tuple[bool, str]:
    """Whether ``perf stat -e instructions`` counts here, and why not if it does not.

    Runs ``perf stat -x, -e instructions -- true``: perf missing, a nonzero exit
    (permission denied, ``perf_event_paranoid``), or ``<not supported>`` / ``<not
    counted>`` in its output (virtual machines without counters) mean no."""
    try:
        proc = subprocess.run(
            ["perf", "stat", "-x,", "-e", "instructions", "--", "true"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except FileNotFoundError:
        return False, "perf is not installed"
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"perf could not run: {exc}"
    output = f"{proc.stdout}\n{proc.stderr}"
    if "<not supported>" in output or "<not counted>" in output:
        return False, "the instructions event is not supported here"
    if proc.returncode != 0:
        first = next((line for line in output.splitlines() if line.strip()), "")
        return False, f"perf stat failed (exit {proc.returncode}): {first.strip()}"
    if _instructions_in(output) is None:
        return False, "perf stat printed no instruction count"
    return True, "perf stat counts instructions"


def choose_mode(requested: str) -> tuple[str, str]:
    """(the mode to run, why): ``auto`` is perf where it works, timing elsewhere; an
    explicit ``perf`` where it does not work is an error."""
    if requested == "timing":
        return "timing", "requested"
    ok, why = perf_status()
    if requested == "perf":
        if not ok:
            raise SystemExit(f"flopscope calibrate: --mode perf is unavailable: {why}")
        return "perf", "requested"
    return ("perf", why) if ok else ("timing", f"perf unavailable: {why}")


def _instructions_in(perf_output: str) -> int | None:
    """The count on perf's ``-x,`` line for the instructions event (None if absent)."""
    for line in perf_output.splitlines():
        fields = line.split(",")
        if len(fields) >= 3 and fields[2].split(":")[0] == "instructions":
            try:
                return int(float(fields[0]))
            except ValueError:
                return None
    return None


# ---------------------------------------------------------------------- measuring


def _load_cases(module_name: str) -> ModuleType:
    """The module whose ``CASES`` is measured (looked up at each use, so a test may
    replace the table in place)."""
    if module_name == DEFAULT_CASES_MODULE:
        return cases_module_default
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        raise SystemExit(f"flopscope calibrate: --cases-module {module_name}: {exc}") from None


def _sample_seed(name: str, size: int, distribution: str) -> int:
    return zlib.crc32(f"{name}|{size}|{distribution}".encode())


def _reference_call(kernel: str, elements: int) -> Call:
    rng = np.random.default_rng(elements)
    a = rng.standard_normal(elements)
    out = np.empty(elements)
    if kernel == ADD_KERNEL:
        return Call(np.add, (a, rng.standard_normal(elements)), {"out": out})
    return Call(np.abs, (a,), {"out": out})


def _build(cases: dict[str, Case], name: str, size: int, distribution: str) -> Call:
    """The call of one sample: a reference kernel (``@add``, ``@abs``) or a case's."""
    if name in (ADD_KERNEL, ABS_KERNEL):
        return _reference_call(name, size)
    seed = _sample_seed(name, size, distribution)
    return cases[name].make(size, distribution, np.random.default_rng(seed))


def _noop(*args: Any, **kwargs: Any) -> None:
    return None


def _loop(function: Callable[..., Any], args: tuple, kwargs: dict, loops: int) -> float:
    clock = time.perf_counter
    start = clock()
    for _ in range(loops):
        function(*args, **kwargs)
    return clock() - start


def time_call(call: Call, repeats: int, loop_seconds: float) -> tuple[float, int]:
    """(median seconds per call over ``repeats`` timed loops, the loop's length).

    One warm-up call first; the loop is lengthened until it takes ``loop_seconds``."""
    function, args, kwargs = call.function, call.args, call.kwargs
    function(*args, **kwargs)
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()  # no collection pauses inside a timed loop
    try:
        loops = 1
        while True:
            took = _loop(function, args, kwargs, loops)
            if took >= loop_seconds:
                break
            grow = 1.25 * loop_seconds / took if took > 0 else 1000.0
            loops = max(2 * loops, math.ceil(loops * min(grow, 1000.0)))
        per_call = [_loop(function, args, kwargs, loops) / loops for _ in range(repeats)]
    finally:
        if collecting:
            gc.enable()
    return statistics.median(per_call), loops


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No warnings from inputs at the edges of a domain (they are measured on purpose)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


class Meter:
    """Measures calls and the reference kernels in one mode, caching the references."""

    def __init__(self, mode: str, repeats: int, quick: bool, cases_module: str) -> None:
        self.mode = mode
        self.repeats = min(repeats, QUICK_MAX_REPEATS) if quick else repeats
        self.loop_seconds = QUICK_LOOP_SECONDS if quick else LOOP_SECONDS
        self.perf_loop_seconds = QUICK_PERF_LOOP_SECONDS if quick else PERF_LOOP_SECONDS
        self.grid = tuple(n for n in REFERENCE_GRID if not quick or n <= QUICK_GRID_TOP)
        self.cases_module = cases_module
        self._per_element: dict[tuple[str, int], float] = {}
        self._dispatch: float | None = None

    def cost(self, name: str, size: int, distribution: str, call: Call) -> dict[str, float]:
        """``{"seconds": per call}``, and in perf mode ``"instructions"`` per call."""
        seconds, _ = time_call(call, self.repeats, self.loop_seconds)
        measured = {"seconds": seconds}
        if self.mode == "perf":
            loops = max(1, math.ceil(self.perf_loop_seconds / max(seconds, 1e-9)))
            real = self._count(name, size, distribution, loops, noop=False)
            idle = self._count(name, size, distribution, loops, noop=True)
            measured["instructions"] = (real - idle) / loops
        return measured

    def _count(self, name: str, size: int, distribution: str, loops: int, noop: bool) -> int:
        """Instructions retired by a harness process running the call (or a no-op)."""
        command = [
            "perf", "stat", "-x,", "-e", "instructions", "--",
            sys.executable, "-m", "flopscope.calibration.runner",
            "--harness", name, "--size", str(size), "--distribution", distribution,
            "--loops", str(loops), "--cases-module", self.cases_module,
        ]  # fmt: skip
        if noop:
            command.append("--noop")
        proc = subprocess.run(command, capture_output=True, text=True, env=_worker_env())
        count = _instructions_in(proc.stderr)
        if proc.returncode != 0 or count is None:
            raise RuntimeError(f"perf stat of {name} failed: {proc.stderr.strip()[-500:]}")
        return count

    def _cost_value(self, measured: dict[str, float]) -> float:
        return measured["instructions"] if self.mode == "perf" else measured["seconds"]

    def dispatch(self) -> float:
        """Timing mode's overhead: the cost of one ``np.abs`` call on one element (the
        ufunc machinery, no arithmetic); 0 in perf mode (there the overhead is per
        element: see :meth:`per_element`)."""
        if self.mode == "perf":
            return 0.0
        if self._dispatch is None:
            call = _reference_call(ABS_KERNEL, 1)
            self._dispatch = self._cost_value(self.cost(ABS_KERNEL, 1, "normal", call))
        return self._dispatch

    def per_element(self, kernel: str, elements: int) -> float:
        """The reference kernel's cost per element at exactly ``elements`` (in timing
        mode without the call's dispatch cost).

        ``np.add`` and ``np.abs`` are measured together, one right after the other, so
        the overhead ratio of a size is not skewed by the machine's drift in between."""
        key = (kernel, elements)
        if key not in self._per_element:
            dispatch = self.dispatch()
            for both in (ADD_KERNEL, ABS_KERNEL):
                call = _reference_call(both, elements)
                cost = self._cost_value(self.cost(both, elements, "normal", call))
                # a reference below a tenth of its raw cost would be all dispatch and
                # noise (tiny arrays): the tenth is its floor, so no ratio divides by 0
                self._per_element[both, elements] = max(cost - dispatch, cost / 10) / elements
        return self._per_element[key]

    def reference(self, kernel: str, elements: float, exact: bool) -> float:
        """The kernel's cost per element at ``elements``: measured there (``exact``), or
        interpolated log-log between the grid sizes around it, clamped at the grid's ends."""
        if exact:
            return self.per_element(kernel, max(1, round(elements)))
        grid = self.grid
        n = min(max(elements, grid[0]), grid[-1])
        i = bisect.bisect_left(grid, n)
        if grid[i] == n:
            return self.per_element(kernel, grid[i])
        low, high = grid[i - 1], grid[i]
        w = (math.log(n) - math.log(low)) / (math.log(high) - math.log(low))
        y_low = math.log(self.per_element(kernel, low))
        y_high = math.log(self.per_element(kernel, high))
        return math.exp((1 - w) * y_low + w * y_high)

    def references(self) -> dict[str, dict[str, float]]:
        table: dict[str, dict[str, float]] = {ADD_KERNEL[1:]: {}, ABS_KERNEL[1:]: {}}
        for (kernel, n), value in sorted(self._per_element.items()):
            table[kernel[1:]][str(n)] = value
        return table


def _rule_of(name: str) -> tuple[Callable[[tuple, dict], Any], bool]:
    """(the cost rule that prices ``name``, whether it counts fused multiply-adds)."""
    from .._registry import GENERATOR_METHODS, REGISTRY

    op = REGISTRY.get(name)
    if op is not None and op.rule is not None:
        return op.rule, op.fma
    short = name.removeprefix("random.")
    if name.startswith("random.") and short in GENERATOR_METHODS:
        return GENERATOR_METHODS[short], False
    raise KeyError(f"{name!r} is not a counted registry row")


def analytical_flops(name: str, call: Call) -> float:
    """The FLOPs the budget charges ``call`` before weights (``fma_cost`` applied)."""
    from .._config import SETTINGS

    rule, fma = _rule_of(name)
    kwargs = {k: v for k, v in call.kwargs.items() if k != "out"}
    flops = float(rule(call.args, kwargs))
    return flops * SETTINGS.fma_cost if fma else flops


def _element_count(call: Call, fallback: float) -> float:
    """The element count of an elementwise call: its largest array (the output's)."""
    arrays = [*call.args, *call.kwargs.values()]
    sizes = [a.size for a in arrays if isinstance(a, np.ndarray)]
    return float(max(sizes)) if sizes else fallback


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def measure_category(
    category: str,
    *,
    mode: str = "timing",
    repeats: int = 5,
    quick: bool = False,
    cases_module: str = DEFAULT_CASES_MODULE,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Measure every case of ``category`` in this process (what a worker does).

    Returns ``{"category", "overhead", "ops": {name: {category, blas, alpha, spread,
    weight_measured, samples}}, "failed": {name: why}, "skipped": {name: why},
    "reference": {"add": {n: cost per element}, "abs": {...}}}``."""
    from .._registry import REGISTRY

    table: dict[str, Case] = _load_cases(cases_module).CASES
    meter = Meter(mode, repeats, quick, cases_module)
    exact = category in ELEMENTWISE
    ops: dict[str, dict[str, Any]] = {}
    failed: dict[str, str] = {}
    skipped: dict[str, str] = {}
    counts: set[float] = set()  # the reference element counts this category used
    with _quiet():
        for name, case in table.items():
            if case.category != category:
                continue
            row = REGISTRY.get(name)
            if row is not None and not row.category.startswith("counted"):
                skipped[name] = f"a {row.category} row is not measured"
            else:
                _measure_op(name, case, meter, quick, exact, counts, ops, failed)
            if progress is not None:
                progress(name)
        overhead = 0.0
        if counts and mode == "perf":  # the seed's form: abs's instructions per element
            overhead = statistics.median(
                meter.reference(ABS_KERNEL, n, exact) / meter.reference(ADD_KERNEL, n, exact)
                for n in sorted(counts)
            )
    per_sample = [s["overhead"] for e in ops.values() if not e["blas"] for s in e["samples"]]
    if mode != "perf" and per_sample:
        overhead = statistics.median(per_sample)  # reported: the category's typical one
    for entry in ops.values():
        if mode == "perf":
            net = entry["alpha"] - (0.0 if entry["blas"] else overhead)
        else:
            net = statistics.median(
                s["alpha"] - s["overhead"]
                for s in entry["samples"]
                if s["distribution"] == entry["typical"]
            )
        entry["weight_measured"] = max(net, 0.0)
    return {
        "category": category,
        "overhead": overhead,
        "ops": ops,
        "failed": failed,
        "skipped": skipped,
        "reference": meter.references(),
    }


def _measure_op(
    name: str,
    case: Case,
    meter: Meter,
    quick: bool,
    exact: bool,
    counts: set[float],
    ops: dict[str, dict[str, Any]],
    failed: dict[str, str],
) -> None:
    """Measure one case into ``ops`` (its alpha and samples), or say why not in ``failed``."""
    try:
        samples = _measure_case(name, case, meter, quick, exact, counts)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
        return
    if not samples:
        failed[name] = "no sample had a positive analytical FLOP count and cost"
        return
    typical = case.distributions[0]
    if all(s["distribution"] != typical for s in samples):
        typical = samples[0]["distribution"]
    alphas = [s["alpha"] for s in samples if s["distribution"] == typical]
    by_distribution = {
        d: statistics.median(s["alpha"] for s in samples if s["distribution"] == d)
        for d in dict.fromkeys(s["distribution"] for s in samples)
    }
    ops[name] = {
        "category": case.category,
        "blas": case.blas,
        "typical": typical,
        "alpha": statistics.median(alphas),
        "spread": [_percentile(alphas, 25), _percentile(alphas, 75)],
        "distributions": by_distribution,
        "samples": samples,
    }


def _measure_case(
    name: str, case: Case, meter: Meter, quick: bool, exact: bool, counts: set[float]
) -> list[dict[str, Any]]:
    """The samples of one case: every size and distribution (``--quick``: its quick
    sizes, or its first size, on its first distribution)."""
    sizes = (case.quick_sizes or case.sizes[:1]) if quick else case.sizes
    distributions = case.distributions[:1] if quick else case.distributions
    samples: list[dict[str, Any]] = []
    for size in sizes:
        for distribution in distributions:
            call = case.make(
                size, distribution, np.random.default_rng(_sample_seed(name, size, distribution))
            )
            flops = analytical_flops(name, call)
            measured = meter.cost(name, size, distribution, call)
            cost = meter._cost_value(measured)
            if flops <= 0 or cost <= 0:
                continue
            n = _element_count(call, flops) if exact else flops
            counts.add(n)
            per_flop_of_add = meter.reference(ADD_KERNEL, n, exact)
            alpha = (cost / flops) / per_flop_of_add
            overhead = 0.0 if case.blas else (meter.dispatch() / flops) / per_flop_of_add
            samples.append(
                {
                    "size": size,
                    "distribution": distribution,
                    **measured,
                    "flops": flops,
                    "alpha": alpha,
                    "overhead": overhead,
                }
            )
    return samples


# ---------------------------------------------------------------------- the table


def _round(value: float) -> float:
    return float(f"{value:.3g}")


def build_weights(
    measured: dict[str, dict[str, Any]], pins: dict[str, float]
) -> tuple[dict[str, float], dict[str, float | None]]:
    """(the weights table, the pinned rows' measured weights) from the merged ``ops``.

    Free registry rows 0.0; measured rows their rounded weight; every alias or twin its
    billing row's; pins (SPEC decision 3's and ``pins``) their value."""
    from .._registry import REGISTRY

    weights: dict[str, float] = {}
    for name, op in REGISTRY.items():
        if op.category == "free":
            weights[name] = 0.0
    for name, entry in measured.items():
        weights[name] = _round(entry["weight_measured"])
    pinned: dict[str, float | None] = {}
    for name, value in {**dict.fromkeys(PINNED_TO_ONE, 1.0), **pins}.items():
        pinned[name] = weights.get(name) if name in measured else None
        weights[name] = _round(value)
    for name, op in REGISTRY.items():
        billing = op.billing_name
        if op.category.startswith("counted") and billing != name and billing in weights:
            weights[name] = weights[billing]
    return dict(sorted(weights.items())), pinned


def compare_weights(
    new: dict[str, float], old: dict[str, float], factor: float = 1.5
) -> list[tuple[str, float, float, float]]:
    """The names in both tables whose weight moved by more than ``factor`` either way,
    as ``(name, old, new, ratio)`` with ``ratio = max/min`` (infinite for zero against
    nonzero), largest first."""
    moved = []
    for name in sorted(new.keys() & old.keys()):
        a, b = old[name], new[name]
        if a == b:
            continue
        low, high = min(a, b), max(a, b)
        ratio = math.inf if low == 0 else high / low
        if ratio > factor:
            moved.append((name, a, b, ratio))
    moved.sort(key=lambda m: (-m[3], m[0]))
    return moved


def _blas() -> str:
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '?')}".strip()
    except Exception:
        return "unknown"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _machine_meta() -> dict[str, str]:
    return {
        "machine": f"{platform.node()} ({platform.machine()})",
        "cpu": _cpu(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": _blas(),
    }


def packaged_derivative(data: dict[str, Any]) -> dict[str, Any]:
    """The slim table flopscope ships: the weights and where they were measured."""
    meta = data["meta"]
    keys = ("mode", "dtype", "date", "machine", "cpu", "numpy", "blas", "rounding")
    return {
        "weights": data["weights"],
        "meta": {**{k: meta[k] for k in keys}, "source": "flopscope calibrate"},
    }


# ---------------------------------------------------------------------- the parent


def _worker_env() -> dict[str, str]:
    """The parent's environment, flopscope importable, BLAS on one thread by default."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    for variable in THREAD_VARIABLES:
        env.setdefault(variable, "1")
    return env


def _module_root(module: ModuleType) -> str | None:
    """The sys.path entry ``module`` was imported from (for the workers to import it)."""
    path = getattr(module, "__file__", None)
    if path is None:
        return None
    root = Path(path).resolve().parent
    for _ in range(module.__name__.count(".")):
        root = root.parent
    return str(root)


class _Progress:
    """A rich progress bar on a terminal, a plain line per case elsewhere."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self._bar: Any = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description:<40}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            self._task = self._bar.add_task("calibrating", total=total)

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def step(self, category: str, name: str) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=f"{category}: {name}")
        else:
            print(f"[{self.done}/{self.total}] {category}: {name}", file=sys.stderr, flush=True)


def _run_worker(
    category: str, args: argparse.Namespace, mode: str, progress: _Progress, folder: Path
) -> dict[str, Any]:
    """Measure ``category`` in a subprocess; its result, or every case failed with why."""
    output = folder / f"{category}.json"
    errors = folder / f"{category}.stderr"
    command = [
        sys.executable, "-m", "flopscope.calibration.runner", "--worker", category,
        "--worker-output", str(output), "--mode", mode, "--repeats", str(args.repeats),
        "--dtype", args.dtype, "--cases-module", args.cases_module,
    ]  # fmt: skip
    if args.quick:
        command.append("--quick")
    env = _worker_env()
    extra = _module_root(_load_cases(args.cases_module))
    if extra is not None:
        env["PYTHONPATH"] = os.pathsep.join((env["PYTHONPATH"], extra))
    with (
        errors.open("w") as stderr,
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env
        ) as proc,
    ):
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(PROGRESS_MARK):
                progress.step(category, line[len(PROGRESS_MARK) :].strip())
        code = proc.wait()
    if code == 0 and output.exists():
        result: dict[str, Any] = json.loads(output.read_text())
        return result
    tail = errors.read_text()[-2000:].strip()
    return {"category": category, "crashed": f"worker exited {code}: {tail}"}


def _parse_pin(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    try:
        weight = float(value)
    except ValueError:
        weight = math.nan
    if not sep or not name or not math.isfinite(weight) or weight < 0:
        raise argparse.ArgumentTypeError(f"expected NAME=WEIGHT (WEIGHT >= 0), got {text!r}")
    return name, weight


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flopscope calibrate",
        description="Measure per-operation weights and write weights.json.",
    )
    parser.add_argument(
        "--dtype",
        default="float64",
        choices=("float64",),
        help="the dtype the cases run in (float64 only)",
    )
    parser.add_argument(
        "--output",
        default="weights.json",
        type=Path,
        help="where the weights and measurements go (default weights.json)",
    )
    parser.add_argument("--html", type=Path, help="also write the HTML report here")
    parser.add_argument("--repeats", type=int, default=5, help="timed loops per sample (median)")
    parser.add_argument(
        "--category",
        action="append",
        choices=CATEGORIES,
        help="measure only this category (repeatable)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer sizes, one distribution, at most 3 repeats, shorter loops",
    )
    parser.add_argument("--mode", choices=("auto", "timing", "perf"), default="auto")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="OTHER.json",
        help="print the ops whose weight moved by more than 1.5x from OTHER",
    )
    parser.add_argument(
        "--packaged",
        type=Path,
        metavar="PATH",
        help="also write the slim table flopscope ships (data/weights.json)",
    )
    parser.add_argument(
        "--pin",
        action="append",
        type=_parse_pin,
        default=[],
        metavar="NAME=WEIGHT",
        help="write WEIGHT for NAME whatever is measured",
    )
    parser.add_argument(
        "--cases-module",
        default=DEFAULT_CASES_MODULE,
        help="the module whose CASES table is measured",
    )
    # the worker and the perf harness (run by the runner itself)
    parser.add_argument("--worker", choices=CATEGORIES, help=argparse.SUPPRESS)
    parser.add_argument("--worker-output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--harness", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--distribution", help=argparse.SUPPRESS)
    parser.add_argument("--loops", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--noop", action="store_true", help=argparse.SUPPRESS)
    return parser


def _worker_main(args: argparse.Namespace) -> int:
    def report(name: str) -> None:
        print(f"{PROGRESS_MARK}{name}", flush=True)

    result = measure_category(
        args.worker,
        mode=args.mode,
        repeats=args.repeats,
        quick=args.quick,
        cases_module=args.cases_module,
        progress=report,
    )
    args.worker_output.write_text(json.dumps(result))
    return 0


def _harness_main(args: argparse.Namespace) -> int:
    """Build one call, warm up, run it (or a no-op with its arguments) ``--loops`` times:
    the process ``perf stat`` counts."""
    table = _load_cases(args.cases_module).CASES
    call = _build(table, args.harness, args.size, args.distribution)
    with _quiet():
        call.function(*call.args, **call.kwargs)
        _loop(_noop if args.noop else call.function, call.args, call.kwargs, args.loops)
    return 0


def _resolve_pins(pairs: list[tuple[str, float]]) -> dict[str, float]:
    from .._registry import GENERATOR_METHODS, REGISTRY

    pins: dict[str, float] = {}
    for name, value in pairs:
        if name in REGISTRY:
            name = REGISTRY[name].billing_name
        elif name.removeprefix("random.") not in GENERATOR_METHODS:
            raise SystemExit(f"flopscope calibrate: --pin {name}: no such operation")
        pins[name] = value
    return pins


def main(argv: list[str] | None = None) -> int:
    """Run the calibration (or, with the hidden ``--worker`` / ``--harness``, one part)."""
    args = _parser().parse_args(sys.argv[1:] if argv is None else list(argv))
    if args.repeats < 1:
        raise SystemExit("flopscope calibrate: --repeats must be at least 1")
    if args.worker is not None:
        return _worker_main(args)
    if args.harness is not None:
        return _harness_main(args)

    from .._weights import _parse, packaged_weights

    other = None
    if args.compare is not None:
        try:
            other = _parse(args.compare)
        except ValueError as exc:
            raise SystemExit(f"flopscope calibrate: --compare: {exc}") from None
    pins = _resolve_pins(args.pin)
    for path in (args.output, args.html, args.packaged):  # before minutes of measuring
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    mode, why = choose_mode(args.mode)
    print(f"mode: {mode} ({why})", file=sys.stderr)

    table: dict[str, Case] = _load_cases(args.cases_module).CASES
    chosen = [c for c in CATEGORIES if not args.category or c in args.category]
    per_category = {c: sum(case.category == c for case in table.values()) for c in chosen}
    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory() as folder, _Progress(sum(per_category.values())) as bar:
        for category in chosen:
            if per_category[category]:
                results.append(_run_worker(category, args, mode, bar, Path(folder)))

    data = _assemble(results, args, mode, why, pins, table, time.perf_counter() - started)
    args.output.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    meta = data["meta"]
    print(f"wrote {args.output}: {len(meta['ops'])} ops measured, {len(data['weights'])} weights")
    for name, why_failed in sorted(meta["failed"].items()):
        print(f"  not measured: {name}: {why_failed}", file=sys.stderr)
    if args.packaged is not None:
        slim = packaged_derivative(data)
        args.packaged.write_text(
            json.dumps(slim, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"wrote {args.packaged} (the packaged table)")
    if args.html is not None:
        _write_html(data, args.html, packaged_weights())
    if other is not None:
        _print_comparison(data["weights"], other, args.compare)
    return 1 if meta["crashed"] else 0


def _assemble(
    results: list[dict[str, Any]],
    args: argparse.Namespace,
    mode: str,
    why: str,
    pins: dict[str, float],
    table: dict[str, Case],
    seconds: float,
) -> dict[str, Any]:
    from .._config import SETTINGS
    from .._registry import REGISTRY

    ops: dict[str, dict[str, Any]] = {}
    failed: dict[str, str] = {}
    skipped: dict[str, str] = {}
    crashed: dict[str, str] = {}
    overhead: dict[str, float] = {}
    reference: dict[str, Any] = {}
    for result in results:
        category = result["category"]
        if "crashed" in result:
            crashed[category] = result["crashed"]
            failed.update(
                {
                    n: "its category's worker crashed"
                    for n, c in table.items()
                    if c.category == category
                }
            )
            continue
        ops.update(result["ops"])
        failed.update(result["failed"])
        skipped.update(result["skipped"])
        overhead[category] = result["overhead"]
        reference[category] = result["reference"]
    weights, pinned = build_weights(ops, pins)
    uncovered: list[str] = []
    if not args.category:  # every category ran: a counted row without a case is a gap
        uncovered = sorted(
            {
                op.billing_name
                for op in REGISTRY.values()
                if op.category.startswith("counted") and op.billing_name not in table
            }
        )
    meta = {
        "schema_version": SCHEMA_VERSION,
        "source": "flopscope calibrate",
        "mode": mode,
        "mode_reason": why,
        "dtype": args.dtype,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        **_machine_meta(),
        "threads": {v: _worker_env()[v] for v in THREAD_VARIABLES},
        "repeats": args.repeats,
        "quick": args.quick,
        "fma_cost": SETTINGS.fma_cost,
        "rounding": ROUNDING,
        "pinned": pinned,
        "overhead": overhead,
        "categories": sorted({r["category"] for r in results}, key=CATEGORIES.index),
        "ops": ops,
        "failed": failed,
        "skipped": skipped,
        "crashed": crashed,
        "uncovered": uncovered,
        "reference": reference,
        "seconds": round(seconds, 1),
    }
    return {"weights": weights, "meta": meta}


def _write_html(data: dict[str, Any], path: Path, previous: dict[str, float]) -> None:
    try:  # the report module is optional: without it the run still writes its table
        report = importlib.import_module("flopscope.calibration.report")
    except ImportError:
        print(
            f"no HTML report written to {path}: flopscope.calibration.report is not available",
            file=sys.stderr,
        )
        return
    report.write(data, path, previous=previous)
    print(f"wrote {path}")


def _print_comparison(new: dict[str, float], old: dict[str, float], old_path: Path) -> None:
    moved = compare_weights(new, old)
    print(f"weights that moved by more than 1.5x against {old_path}: {len(moved)}")
    if moved:
        width = max(len(m[0]) for m in moved)
        print(f"  {'operation':<{width}}  {'was':>10}  {'now':>10}  {'factor':>8}")
        for name, was, now, ratio in moved:
            print(f"  {name:<{width}}  {was:>10.4g}  {now:>10.4g}  {ratio:>8.3g}")


if __name__ == "__main__":
    sys.exit(main())
