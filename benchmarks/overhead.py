"""What flopscope costs in time and memory, measured side by side with plain NumPy.

    python benchmarks/overhead.py            # full run (about two minutes)
    python benchmarks/overhead.py --quick    # fewer rounds

Every figure is taken in this one process, NumPy and flopscope interleaved round by
round (shared machines are noisy; interleaving keeps drift out of the ratios), and
printed as a median with its ratio to NumPy. The small calls are measured as pairs of
short batches, NumPy's and flopscope's back to back in alternating order, with the full
op log kept: their rows give the medians of the per-pair ratios and differences, and
NumPy's own time, which shows the speed the host ran at. Where the compiled hot path is
built, its rows also show the pure-Python body (the reference the compiled one falls back
to, what ``FLOPSCOPE_PURE_PYTHON=1`` runs), measured the same way in the same run.
Targets (the issue's):

* small calls (10-element float64 inputs, full op log): the ufunc rows (``add``,
  ``multiply``, ``exp``, ``maximum``, ``a + b``, ``a @ b`` 8x8, ``a += b``) at most 1.0 us
  added, ``add`` at most 3.2x NumPy; ``sum``, ``mean``, ``reshape``, ``x[0]`` and other
  generic rows at most 1.2 us added; a cached two-operand einsum at most 3 us added;
* the mean-propagation loop (3,100 small ``multiply``, ``sum``, ``add``, ``maximum``
  calls on width-8 vectors) at most 2.5x NumPy end to end;
* ``import flopscope, flopscope.numpy`` adds at most 30 ms to ``import numpy`` (whole
  processes, median of 20 alternating runs, bytecode cached);
* large calls (1e6 elements, a 512x512 matmul): within 2 % of NumPy (each measured in
  several fresh processes, read by the median: a process's own state moves some rows);
* memory: 1e6 counted calls with the full op log grow memory by at most 48 bytes per
  call; with ``keep_log=False`` memory stays bounded;
* the seed-003 MLP forward pass end to end: at most 1.2x NumPy;
* free calls (creation, copying, joining, fancy indexing): their time is booked as
  flopscope's, and that booking adds at most 0.3 us to a free call. The "timing adds"
  column compares each free call with the same call untimed (the free row's untimed
  Python body for functions; ndarray's own method or indexing, which is what ran before
  free calls were timed). With the compiled hot path the timed call is compiled and the
  figure can be below zero: the booking costs less than the Python it replaces;
* in-place operators and ``out=``: at most 0.5 us above ``a + b``;
* line tracking (``track_lines=True``): off, a budget runs the code of every other row
  (nothing added); on, what it costs per call is printed as its own rows;
* ``add`` into an ``out=`` buffer of 1e4, 1e5 and 1e6 elements: what a counted call adds
  as the data outgrows the caches (no target: it explains the large-call rows);
* the dry run (``flops.dry_run()``): every other row runs in a real budget, whose
  counted calls take no step for it; its own rows show what a call costs in a dry run
  (pricing and a stand-in, no arithmetic) against the same call run by NumPy.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import _dispatch
from flopscope._registry import REGISTRY


def _per_call(fn: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def side_by_side(
    base: Callable[[], object], counted: Callable[[], object], number: int, rounds: int
) -> tuple[float, float]:
    """Median per-call seconds of (NumPy, flopscope), interleaved A B B A in every round so
    that neither side always runs first."""
    base_times, counted_times = [], []
    base(), counted()  # warm up
    for _ in range(rounds):
        b1 = _per_call(base, number)
        c1 = _per_call(counted, number)
        c2 = _per_call(counted, number)
        b2 = _per_call(base, number)
        base_times.append((b1 + b2) / 2)
        counted_times.append((c1 + c2) / 2)
    return statistics.median(base_times), statistics.median(counted_times)


def paired(
    base: Callable[[], object], counted: Callable[[], object], number: int, pairs: int
) -> tuple[float, float, float]:
    """(NumPy's median seconds per call, the median of the per-pair ratios, the median
    of the per-pair differences in seconds per call).

    Each pair is one short batch of NumPy and one of flopscope, back to back, in
    alternating order. The host may change speed (some run at two speeds about 1.9x
    apart, switching every few seconds or minutes); a pair is short enough to run at one
    speed, so its ratio and difference are honest, where two medians taken at different
    times need not be."""
    ratios, differences, base_times = [], [], []
    base(), counted()  # warm up
    for i in range(pairs):
        if i % 2:
            c = _per_call(counted, number)
            b = _per_call(base, number)
        else:
            b = _per_call(base, number)
            c = _per_call(counted, number)
        ratios.append(c / b)
        differences.append(c - b)
        base_times.append(b)
    return statistics.median(base_times), statistics.median(ratios), statistics.median(differences)


def _small_inputs(seed: int) -> tuple[Any, ...]:
    """Two 10-element vectors and an 8x8 matrix, plain and counted."""
    rng = np.random.default_rng(seed)
    a, b = rng.random(10), rng.random(10)
    m = rng.random((8, 8))
    return a, b, fnp.asarray(a), fnp.asarray(b), m, fnp.asarray(m)


def _in_place_adds(a: Any, b: Any, fa: Any, fb: Any) -> tuple[Callable[[], None], ...]:
    """``a += b`` in NumPy and ``fa += fb`` counted, as two calls."""

    def np_iadd() -> None:
        nonlocal a
        a += b

    def fs_iadd() -> None:
        nonlocal fa
        fa += fb

    return np_iadd, fs_iadd


#: (row, target in us added): ufunc rows 1.0 us, generic rows 1.2 us, einsum 3 us
SMALL_TARGETS = {"ufunc": 1.0, "generic": 1.2, "einsum": 3.0}


def _python_body(fn: Any) -> Any:
    """The pure-Python body of a counted callable (itself where nothing is compiled)."""
    return getattr(fn, "_fallback", fn)


def small_calls(rounds: int) -> list[tuple[str, str, float, float, float, float | None]]:
    """(name, kind, NumPy seconds, ratio, added seconds, added by the pure-Python body
    or None) per small call."""
    a, b, fa, fb, m, fm = _small_inputs(0)
    v = np.random.default_rng(5).random(8)
    fv = fnp.asarray(v)
    a2, fa2 = a.copy(), fnp.asarray(a.copy())
    np_iadd, fs_iadd = _in_place_adds(a2, b, fa2, fb)
    py = {name: _python_body(getattr(fnp, name)) for name in ("add", "multiply", "exp")}
    py.update({name: _python_body(getattr(fnp, name)) for name in ("maximum", "matmul")})
    py.update({name: _python_body(getattr(fnp, name)) for name in ("sum", "mean")})
    py_iadd = _python_body(fnp.add)
    cases: list[tuple[str, str, Callable[[], object], Callable[[], object], Any]] = [
        ("add", "ufunc", lambda: np.add(a, b), lambda: fnp.add(fa, fb), lambda: py["add"](fa, fb)),
        (
            "multiply",
            "ufunc",
            lambda: np.multiply(a, b),
            lambda: fnp.multiply(fa, fb),
            lambda: py["multiply"](fa, fb),
        ),
        ("exp", "ufunc", lambda: np.exp(a), lambda: fnp.exp(fa), lambda: py["exp"](fa)),
        (
            "maximum",
            "ufunc",
            lambda: np.maximum(a, b),
            lambda: fnp.maximum(fa, fb),
            lambda: py["maximum"](fa, fb),
        ),
        ("a + b", "ufunc", lambda: a + b, lambda: fa + fb, lambda: py["add"](fa, fb)),
        ("a @ b (8x8)", "ufunc", lambda: m @ m, lambda: fm @ fm, lambda: py["matmul"](fm, fm)),
        ("a += b", "ufunc", np_iadd, fs_iadd, lambda: py_iadd(fa2, fb, out=fa2)),
        ("sum", "generic", lambda: np.sum(a), lambda: fnp.sum(fa), lambda: py["sum"](fa)),
        ("mean", "generic", lambda: np.mean(a), lambda: fnp.mean(fa), lambda: py["mean"](fa)),
        ("x.sum()", "generic", lambda: a.sum(), lambda: fa.sum(), None),
        ("x[0]", "generic", lambda: a[0], lambda: fa[0], None),
        (
            "reshape",
            "generic",
            lambda: np.reshape(a, (2, 5)),
            lambda: fnp.reshape(fa, (2, 5)),
            None,
        ),
        (
            "einsum ij,j->i (8x8)",
            "einsum",
            lambda: np.einsum("ij,j->i", m, v),
            lambda: fnp.einsum("ij,j->i", fm, fv),
            None,
        ),
    ]
    compiled = flops.HOT_PATH == "compiled"
    rows = []
    with flops.BudgetContext(10**15, keep_log=True, quiet=True):  # the full op log
        for _, _, base, counted, python in cases:  # warm every path (and the CPU) first
            side_by_side(base, counted, number=2_000, rounds=2)
            if python is not None and compiled:
                side_by_side(base, python, number=2_000, rounds=2)
        for name, kind, base, counted, python in cases:
            t_np, ratio, added = paired(base, counted, number=1_000, pairs=8 * rounds)
            py_added = None
            if python is not None and compiled:
                py_added = paired(base, python, number=1_000, pairs=4 * rounds)[2]
            rows.append((name, kind, t_np, ratio, added, py_added))
    return rows


def _untimed(name: str) -> Callable[..., object]:
    """The free row ``name`` without the time booking (the body it had before)."""
    impl = REGISTRY[name].impl
    return _dispatch._untimed_free_callable(getattr(impl, "_implementation", impl), ())


def free_calls(rounds: int) -> list[tuple[str, float, float, float]]:
    """(name, NumPy, untimed, flopscope) per-call seconds on 10-element inputs."""
    rng = np.random.default_rng(2)
    a, b = rng.random(10), rng.random(10)
    fa, fb = fnp.asarray(a), fnp.asarray(b)
    idx = np.array([1, 3, 5])
    mask = a > 0.5
    reshape, concatenate, copy = _untimed("reshape"), _untimed("concatenate"), _untimed("copy")
    nd_copy, nd_astype, nd_getitem = np.ndarray.copy, np.ndarray.astype, np.ndarray.__getitem__
    cases = [
        (
            "reshape",
            lambda: np.reshape(a, (2, 5)),
            lambda: reshape(fa, (2, 5)),
            lambda: fnp.reshape(fa, (2, 5)),
        ),
        (
            "concatenate",
            lambda: np.concatenate([a, b]),
            lambda: concatenate([fa, fb]),
            lambda: fnp.concatenate([fa, fb]),
        ),
        ("fnp.copy", lambda: np.copy(a), lambda: copy(fa), lambda: fnp.copy(fa)),
        ("x.copy()", lambda: a.copy(), lambda: nd_copy(fa), lambda: fa.copy()),
        (
            "x.astype(f4)",
            lambda: a.astype(np.float32),
            lambda: nd_astype(fa, np.float32),
            lambda: fa.astype(np.float32),
        ),
        ("x[idx]", lambda: a[idx], lambda: nd_getitem(fa, idx), lambda: fa[idx]),
        ("x[mask]", lambda: a[mask], lambda: nd_getitem(fa, mask), lambda: fa[mask]),
    ]
    rows = []
    with flops.BudgetContext(10**15, keep_log=False, quiet=True):
        for _, base, untimed, counted in cases:
            side_by_side(base, counted, number=2_000, rounds=2)
            side_by_side(untimed, counted, number=2_000, rounds=2)
        for name, base, untimed, counted in cases:
            t_np, t_fs = side_by_side(base, counted, number=10_000, rounds=rounds)
            t_untimed, t_fs2 = side_by_side(untimed, counted, number=10_000, rounds=rounds)
            rows.append((name, t_np, t_untimed, (t_fs + t_fs2) / 2))
    return rows


def in_place_calls(rounds: int) -> list[tuple[str, float, float]]:
    rng = np.random.default_rng(3)
    a, b, c = rng.random(10), rng.random(10), rng.random(10)
    fa, fb, fc = fnp.asarray(a), fnp.asarray(b), fnp.asarray(c)
    np_iadd, fs_iadd = _in_place_adds(a, b, fa, fb)

    def np_imul() -> None:
        nonlocal a
        a *= 1.0

    def fs_imul() -> None:
        nonlocal fa
        fa *= 1.0

    cases = [
        ("a + b", lambda: a + b, lambda: fa + fb),
        ("a += b", np_iadd, fs_iadd),
        ("a *= 1.0", np_imul, fs_imul),
        ("add(a, b, out=c)", lambda: np.add(a, b, out=c), lambda: fnp.add(fa, fb, out=fc)),
    ]
    rows = []
    with flops.BudgetContext(10**15, keep_log=False, quiet=True):
        for _, base, counted in cases:
            side_by_side(base, counted, number=2_000, rounds=2)
        for name, base, counted in cases:
            t_np, t_fs = side_by_side(base, counted, number=10_000, rounds=rounds)
            rows.append((name, t_np, t_fs))
    return rows


def line_tracking(rounds: int) -> list[tuple[str, float, float, float]]:
    """(name, NumPy, tracking off, tracking on) per-call seconds on 10-element inputs.

    Tracking off is the plain budget of every other row: it runs the same code as before
    ``track_lines`` existed. Tracking on captures the user's frame on every call."""
    a, b, fa, fb, m, fm = _small_inputs(4)
    cases = [
        ("add", lambda: np.add(a, b), lambda: fnp.add(fa, fb)),
        ("sum", lambda: np.sum(a), lambda: fnp.sum(fa)),
        ("a @ b (8x8)", lambda: m @ m, lambda: fm @ fm),
    ]
    rows = []
    off = flops.BudgetContext(10**15, keep_log=False, quiet=True)
    on = flops.BudgetContext(10**15, keep_log=False, quiet=True, track_lines=True)
    for name, base, counted in cases:
        with off:
            t_np, t_off = side_by_side(base, counted, number=10_000, rounds=rounds)
        with on:
            t_np2, t_on = side_by_side(base, counted, number=10_000, rounds=rounds)
        rows.append((name, (t_np + t_np2) / 2, t_off, t_on))
    return rows


def large_calls(rounds: int) -> list[tuple[str, float, float]]:
    """(name, NumPy seconds, median ratio of interleaved pairs) on 1e6-element inputs."""
    rng = np.random.default_rng(1)
    a, b = rng.random(10**6), rng.random(10**6)
    fa, fb = fnp.asarray(a), fnp.asarray(b)
    m = rng.random((512, 512))
    fm = fnp.asarray(m)
    out = np.empty(10**6)
    fout = fnp.asarray(out)  # one buffer: the same placement on both sides
    cases = [
        ("add 1e6", lambda: np.add(a, b), lambda: fnp.add(fa, fb)),
        ("exp 1e6", lambda: np.exp(a), lambda: fnp.exp(fa)),
        ("sum 1e6", lambda: np.sum(a), lambda: fnp.sum(fa)),
        ("a * b 1e6", lambda: a * b, lambda: fa * fb),
        ("matmul 512x512", lambda: m @ m, lambda: fm @ fm),
        # the same calls into one output buffer (see LARGE_NOTE)
        ("add 1e6, out=", lambda: np.add(a, b, out=out), lambda: fnp.add(fa, fb, out=fout)),
        ("exp 1e6, out=", lambda: np.exp(a, out=out), lambda: fnp.exp(fa, out=fout)),
        # NumPy against itself: the noise of these ratios on this host, in this run
        ("control: NumPy's exp 1e6", lambda: np.exp(a), lambda: np.exp(a)),
    ]
    rows = []
    with flops.BudgetContext(10**15, keep_log=False, quiet=True):
        for name, base, counted in cases:
            t_np, ratio, _ = paired(base, counted, number=3, pairs=4 * rounds)
            rows.append((name, t_np, ratio))
    return rows


def large_calls_in_processes(rounds: int, processes: int) -> list[tuple[str, float, list[float]]]:
    """(name, NumPy seconds, the ratio in each of ``processes`` fresh processes) of the
    large calls: a process's own state (where malloc puts buffers, the core it runs on)
    moves some of these ratios by more than the wrapper costs, so each is measured in
    several processes and read by its median."""
    import json
    import subprocess

    runs = []
    for _ in range(processes):
        out = subprocess.run(
            [sys.executable, __file__, "--large-only", str(rounds)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(out))
    return [
        (name, statistics.median(run[i][1] for run in runs), [run[i][2] for run in runs])
        for i, (name, _, _) in enumerate(runs[0])
    ]


def _add_into_out(n: int, rounds: int) -> tuple[int, float, float, float | None]:
    a, b, out = np.random.rand(n), np.random.rand(n), np.empty(n)
    fa, fb, fout = fnp.asarray(a), fnp.asarray(b), fnp.asarray(out)
    body = _python_body(fnp.add)
    pairs = 8 * rounds if n < 10**6 else 4 * rounds
    number = max(1, 10**5 // n)

    def base() -> object:
        return np.add(a, b, out=out)

    t_np, _, added = paired(base, lambda: fnp.add(fa, fb, out=fout), number, pairs)
    python = None
    if flops.HOT_PATH == "compiled":
        _, _, python = paired(base, lambda: body(fa, fb, out=fout), number, pairs)
    return n, t_np, added, python


def by_size(rounds: int) -> list[tuple[int, float, float, float | None]]:
    """(elements, NumPy seconds, added seconds, added by the pure-Python body or None) of
    ``add`` into an ``out=`` buffer, by size: what a counted call adds grows once a call
    streams more data than the caches hold (the wrapper's own objects then come back from
    memory), where NumPy's time grows with the data."""
    with flops.BudgetContext(10**15, keep_log=False, quiet=True):
        return [_add_into_out(n, rounds) for n in (10**4, 10**5, 10**6)]


#: why the large rows without ``out=`` can stray: where malloc puts a call's output
LARGE_NOTE = (
    "  (the control row is NumPy against itself: how far these ratios stray on this host."
    " Without out=, each call's\n   output goes where malloc puts it, and its alignment"
    " moves NumPy's own time: np.exp of 1e6 float64 takes\n   0.62-0.81 ms by the output's"
    " offset mod 64 bytes. The out= rows write both sides into one buffer. A process's"
    "\n   state moves some rows as a whole, hence several processes.)"
)


def _mlp(xp, depth: int = 5, width: int = 256):
    scale = xp.sqrt(2 / width)
    weights = [xp.random.randn(width, width) * scale for _ in range(depth)]
    h = xp.random.randn(width)
    for i, w in enumerate(weights):
        h = xp.einsum("ij,j->i", w, h)
        if i < depth - 1:
            h = xp.maximum(h, 0)
    return h


def mlp(rounds: int) -> tuple[float, float]:
    def counted() -> None:
        with flops.BudgetContext(10**8, quiet=True):
            _mlp(fnp)

    return side_by_side(lambda: _mlp(np), counted, number=5, rounds=rounds)


def dry_run_calls(rounds: int) -> list[tuple[str, float, float]]:
    """(call, NumPy's time, the same call's time in a dry run)."""
    rng = np.random.default_rng(2)
    a = rng.random(10**6)
    m = rng.random((512, 512))
    fa, fm = fnp.asarray(a), fnp.asarray(m)
    cases = [
        ("exp 1e6", lambda: np.exp(a), lambda: fnp.exp(fa)),
        ("sum 1e6", lambda: np.sum(a), lambda: fnp.sum(fa)),
        ("matmul 512x512", lambda: m @ m, lambda: fm @ fm),
        ("MLP forward (seed 003)", lambda: _mlp(np), lambda: _mlp(fnp)),
    ]
    rows = []
    with flops.dry_run(keep_log=False, quiet=True):
        for name, base, counted in cases:
            t_np, t_dry = side_by_side(base, counted, number=5, rounds=rounds)
            rows.append((name, t_np, t_dry))
    return rows


def _mean_propagation(xp: Any, weights: list, biases: list, x: Any) -> Any:
    """A challenge-style loop of small calls: the mean of a width-8 ReLU network's
    activations pushed through 775 layers (multiply, sum, add, maximum: 3,100 calls)."""
    h = x
    for w, c in zip(weights, biases):
        h = xp.maximum(xp.sum(w * h, axis=1) + c, 0.0)
    return h


def propagation_loop(rounds: int) -> tuple[float, float, int]:
    """(NumPy seconds, flopscope seconds, counted calls) of one mean-propagation pass."""
    rng = np.random.default_rng(6)
    layers = 775
    weights = [rng.normal(0, 0.4, (8, 8)) for _ in range(layers)]
    biases = [rng.normal(0, 0.1, 8) for _ in range(layers)]
    x = rng.random(8)
    f_weights = [fnp.asarray(w) for w in weights]
    f_biases = [fnp.asarray(c) for c in biases]
    fx = fnp.asarray(x)
    with flops.BudgetContext(10**12, quiet=True) as budget:
        got = _mean_propagation(fnp, f_weights, f_biases, fx)
    np.testing.assert_allclose(got, _mean_propagation(np, weights, biases, x))

    def counted() -> None:
        with flops.BudgetContext(10**12, quiet=True):
            _mean_propagation(fnp, f_weights, f_biases, fx)

    t_np, t_fs = side_by_side(
        lambda: _mean_propagation(np, weights, biases, x), counted, number=3, rounds=rounds
    )
    return t_np, t_fs, len(budget.op_log)


def import_time(runs: int = 20) -> tuple[float, float, float]:
    """(``import numpy``, ``import flopscope, flopscope.numpy``, the median of the
    differences) in seconds: whole processes, alternating, bytecode cached."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        return time.perf_counter() - start

    run("import flopscope, flopscope.numpy")  # write the bytecode caches
    plain, counted = [], []
    for i in range(runs):
        for which in (0, 1) if i % 2 else (1, 0):
            if which == 0:
                plain.append(run("import numpy"))
            else:
                counted.append(run("import flopscope, flopscope.numpy"))
    differences = [c - p for p, c in zip(plain, counted)]
    return statistics.median(plain), statistics.median(counted), statistics.median(differences)


def memory_per_call(calls: int, keep_log: bool) -> tuple[float, float]:
    """(bytes of traced Python memory still held per counted call made in one context,
    the same less the unwritten tail of the open record buffer, which is allocated a
    chunk of 16,384 records at a time)."""
    x = fnp.ones(1)
    gc.collect()
    tracemalloc.start()
    with flops.BudgetContext(10**15, keep_log=keep_log, quiet=True) as budget:
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(calls):
            fnp.add(x, x)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - start
        own = budget._records.own
        tail = own.capacity - own.offset
    tracemalloc.stop()
    assert budget.summary_dict()["operations"]["add"]["calls"] == calls
    return grown / calls, (grown - tail) / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and calls")
    parser.add_argument("--large-only", type=int, metavar="ROUNDS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.large_only:  # one process's large calls, as JSON (large_calls_in_processes)
        import json

        print(json.dumps(large_calls(args.large_only)))
        return 0
    rounds = 9 if args.quick else 31
    calls = 200_000 if args.quick else 1_000_000

    print(
        f"flopscope {flops.__version__} ({flops.HOT_PATH} hot path), NumPy {np.__version__}, "
        f"Python {sys.version.split()[0]}"
    )
    print()
    compiled = flops.HOT_PATH == "compiled"
    print(
        f"{'small calls (10 elements)':<28}{'NumPy':>10}{'added':>10}{'ratio':>8}"
        f"{'pure Python':>13}  target: added <= 1.0 us (ufuncs), 1.2 us (generic), 3 us"
        " (einsum); add <= 3.2x  (medians of interleaved pairs; NumPy's time shows the"
        " speed the host ran at; 'pure Python': what the Python body adds"
        + (")" if compiled else ", not built here)")
    )
    for name, kind, t_np, ratio, added, py_added in small_calls(rounds):
        ok = added * 1e6 <= SMALL_TARGETS[kind] and (name != "add" or ratio <= 3.2)
        python = "" if py_added is None else f"{py_added * 1e6:>9.2f}us"
        print(
            f"  {name:<26}{t_np * 1e6:>8.2f}us{added * 1e6:>8.2f}us{ratio:>8.2f}{python:>13}"
            f"  {'ok' if ok else 'OVER'}"
        )
    print()
    t_np, t_fs, loop_calls = propagation_loop(rounds)
    ratio = t_fs / t_np
    print(
        f"{f'propagation loop ({loop_calls:,} calls)':<28}{t_np * 1e3:>8.3f}ms{t_fs * 1e3:>10.3f}ms"
        f"{ratio:>18.3f}  target: <= 2.5  {'ok' if ratio <= 2.5 else 'OVER'}"
    )
    print()
    t_plain, t_counted, added_import = import_time(10 if args.quick else 20)
    print(
        f"{'import (whole processes)':<28}{t_plain * 1e3:>8.1f}ms{t_counted * 1e3:>10.1f}ms"
        f"{added_import * 1e3:>16.1f}ms added  target: <= 30 ms  "
        f"{'ok' if added_import * 1e3 <= 30 else 'OVER'}"
    )
    print()
    print(
        f"{'free calls (10 elements)':<28}{'NumPy':>10}{'untimed':>10}{'flopscope':>12}"
        f"{'timing adds':>13}  target: timing adds <= 0.3 us"
    )
    for name, t_np, t_untimed, t_fs in free_calls(rounds):
        adds = (t_fs - t_untimed) * 1e6
        print(
            f"  {name:<26}{t_np * 1e6:>8.2f}us{t_untimed * 1e6:>8.2f}us{t_fs * 1e6:>10.2f}us"
            f"{adds:>11.2f}us  {'ok' if adds <= 0.3 else 'OVER'}"
        )
    print()
    in_place = in_place_calls(rounds)
    reference = (in_place[0][2] - in_place[0][1]) * 1e6
    print(
        f"{'in place (10 elements)':<28}{'NumPy':>10}{'flopscope':>12}{'added':>10}"
        f"{'vs a + b':>10}  target: <= 0.5 us above a + b"
    )
    for name, t_np, t_fs in in_place:
        added = (t_fs - t_np) * 1e6
        print(
            f"  {name:<26}{t_np * 1e6:>8.2f}us{t_fs * 1e6:>10.2f}us{added:>8.2f}us"
            f"{added - reference:>8.2f}us  {'ok' if added - reference <= 0.5 else 'OVER'}"
        )
    print()
    print(
        f"{'line tracking (10 elements)':<28}{'NumPy':>10}{'off':>10}{'on':>10}"
        f"{'on adds':>10}  (off is every other row's budget)"
    )
    for name, t_np, t_off, t_on in line_tracking(rounds):
        print(
            f"  {name:<26}{t_np * 1e6:>8.2f}us{t_off * 1e6:>8.2f}us{t_on * 1e6:>8.2f}us"
            f"{(t_on - t_off) * 1e6:>8.2f}us"
        )
    print()
    print(
        f"{'large calls':<28}{'NumPy':>10}{'flopscope':>12}{'ratio':>8}{'(processes)':>14}"
        "  target: <= 1.02  (each process: the median of interleaved pairs; the row: the"
        " median over fresh processes, their range beside it)"
    )
    for name, t_np, ratios in large_calls_in_processes(rounds, 3 if args.quick else 5):
        ratio = statistics.median(ratios)
        spread = f"({min(ratios):.3f}-{max(ratios):.3f})"
        print(
            f"  {name:<26}{t_np * 1e3:>8.3f}ms{t_np * ratio * 1e3:>10.3f}ms{ratio:>8.3f} {spread:>13}"
            f"  {'' if name.startswith('control') else 'ok' if ratio <= 1.02 else 'OVER'}"
        )
    print(LARGE_NOTE)
    print()
    print(
        f"{'add into out=, by size':<28}{'NumPy':>10}{'added':>10}{'pure Python':>13}"
        "  (what a counted call adds once its data outgrows the caches)"
    )
    for n, t_np, added, py in by_size(rounds):
        python = "" if py is None else f"{py * 1e6:>9.2f}us"
        print(f"  {f'{n:.0e} elements':<26}{t_np * 1e6:>8.1f}us{added * 1e6:>8.2f}us{python:>13}")
    print()
    t_np, t_fs = mlp(rounds)
    ratio = t_fs / t_np
    print(
        f"{'MLP forward (seed 003)':<28}{t_np * 1e3:>8.3f}ms{t_fs * 1e3:>10.3f}ms{ratio:>18.3f}"
        f"  target: <= 1.2  {'ok' if ratio <= 1.2 else 'OVER'}"
    )
    print()
    print(f"{'dry run (no arithmetic)':<28}{'NumPy':>10}{'dry run':>12}{'ratio':>18}")
    for name, t_np, t_dry in dry_run_calls(rounds):
        print(f"  {name:<26}{t_np * 1e3:>8.3f}ms{t_dry * 1e3:>10.3f}ms{t_dry / t_np:>18.3f}")
    print()
    full, full_records = memory_per_call(calls, keep_log=True)
    bounded, _ = memory_per_call(calls, keep_log=False)
    print(f"memory per counted call over {calls:,} calls (tracemalloc):")
    print(
        f"  full op log:     {full:8.1f} bytes/call, {full_records:.2f} held per record"
        f" (the open buffer's unwritten tail aside)   target: <= 48 per record  "
        # (what is above 48.0 is each full chunk's array object, about 0.01 per record)
        f"{'ok' if round(full_records, 1) <= 48 else 'OVER'}"
    )
    print(f"  keep_log=False:  {bounded:8.1f} bytes/call   (bounded: one reused buffer)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
