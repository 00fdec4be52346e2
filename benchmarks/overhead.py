"""What flopscope costs in time and memory, measured side by side with plain NumPy.

    python benchmarks/overhead.py            # full run (about a minute)
    python benchmarks/overhead.py --quick    # fewer rounds

Every figure is taken in this one process, NumPy and flopscope interleaved round by
round (shared machines are noisy; interleaving keeps drift out of the ratios), and
printed as a median with its ratio to NumPy. Targets (the issue's):

* small calls (10-element float64 inputs): median at most 1.5 us above NumPy;
* large calls (1e6 elements, a 512x512 matmul): within 3 % of NumPy;
* memory: 1e6 counted calls with the full op log grow memory by at most 100 bytes per
  call; with ``keep_log=False`` memory stays bounded;
* the seed-003 MLP forward pass end to end: at most 1.2x NumPy.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

import flopscope as flops
import flopscope.numpy as fnp


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


def small_calls(rounds: int) -> list[tuple[str, float, float]]:
    rng = np.random.default_rng(0)
    a, b = rng.random(10), rng.random(10)
    fa, fb = fnp.asarray(a), fnp.asarray(b)
    m = rng.random((8, 8))
    fm = fnp.asarray(m)
    cases = [
        ("add", lambda: np.add(a, b), lambda: fnp.add(fa, fb)),
        ("multiply", lambda: np.multiply(a, b), lambda: fnp.multiply(fa, fb)),
        ("exp", lambda: np.exp(a), lambda: fnp.exp(fa)),
        ("maximum", lambda: np.maximum(a, b), lambda: fnp.maximum(fa, fb)),
        ("sum", lambda: np.sum(a), lambda: fnp.sum(fa)),
        ("mean", lambda: np.mean(a), lambda: fnp.mean(fa)),
        ("a + b", lambda: a + b, lambda: fa + fb),
        ("a @ b (8x8)", lambda: m @ m, lambda: fm @ fm),
        ("x[0]", lambda: a[0], lambda: fa[0]),
        ("reshape", lambda: np.reshape(a, (2, 5)), lambda: fnp.reshape(fa, (2, 5))),
    ]
    rows = []
    with flops.BudgetContext(10**15, keep_log=False, quiet=True):
        for _, base, counted in cases:  # warm every path (and the CPU) before timing any
            side_by_side(base, counted, number=2_000, rounds=2)
        for name, base, counted in cases:
            t_np, t_fs = side_by_side(base, counted, number=10_000, rounds=rounds)
            rows.append((name, t_np, t_fs))
    return rows


def large_calls(rounds: int) -> list[tuple[str, float, float]]:
    rng = np.random.default_rng(1)
    a, b = rng.random(10**6), rng.random(10**6)
    fa, fb = fnp.asarray(a), fnp.asarray(b)
    m = rng.random((512, 512))
    fm = fnp.asarray(m)
    cases = [
        ("add 1e6", lambda: np.add(a, b), lambda: fnp.add(fa, fb)),
        ("exp 1e6", lambda: np.exp(a), lambda: fnp.exp(fa)),
        ("sum 1e6", lambda: np.sum(a), lambda: fnp.sum(fa)),
        ("a * b 1e6", lambda: a * b, lambda: fa * fb),
        ("matmul 512x512", lambda: m @ m, lambda: fm @ fm),
    ]
    rows = []
    with flops.BudgetContext(10**15, keep_log=False, quiet=True):
        for name, base, counted in cases:
            t_np, t_fs = side_by_side(base, counted, number=5, rounds=rounds)
            rows.append((name, t_np, t_fs))
    return rows


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


def memory_per_call(calls: int, keep_log: bool) -> float:
    """Bytes of traced Python memory still held per counted call made in one context."""
    x = fnp.ones(1)
    gc.collect()
    tracemalloc.start()
    with flops.BudgetContext(10**15, keep_log=keep_log, quiet=True) as budget:
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(calls):
            fnp.add(x, x)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - start
    tracemalloc.stop()
    assert budget.summary_dict()["operations"]["add"]["calls"] == calls
    return grown / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and calls")
    args = parser.parse_args(argv)
    rounds = 9 if args.quick else 31
    calls = 200_000 if args.quick else 1_000_000

    print(f"flopscope {flops.__version__}, NumPy {np.__version__}, Python {sys.version.split()[0]}")
    print()
    print(
        f"{'small calls (10 elements)':<28}{'NumPy':>10}{'flopscope':>12}{'added':>10}"
        f"{'ratio':>8}  target: added <= 1.5 us"
    )
    for name, t_np, t_fs in small_calls(rounds):
        added = (t_fs - t_np) * 1e6
        print(
            f"  {name:<26}{t_np * 1e6:>8.2f}us{t_fs * 1e6:>10.2f}us{added:>8.2f}us"
            f"{t_fs / t_np:>8.2f}  {'ok' if added <= 1.5 else 'OVER'}"
        )
    print()
    print(f"{'large calls':<28}{'NumPy':>10}{'flopscope':>12}{'ratio':>18}  target: <= 1.03")
    for name, t_np, t_fs in large_calls(rounds):
        ratio = t_fs / t_np
        print(
            f"  {name:<26}{t_np * 1e3:>8.3f}ms{t_fs * 1e3:>10.3f}ms{ratio:>18.3f}  "
            f"{'ok' if ratio <= 1.03 else 'OVER'}"
        )
    print()
    t_np, t_fs = mlp(rounds)
    ratio = t_fs / t_np
    print(
        f"{'MLP forward (seed 003)':<28}{t_np * 1e3:>8.3f}ms{t_fs * 1e3:>10.3f}ms{ratio:>18.3f}"
        f"  target: <= 1.2  {'ok' if ratio <= 1.2 else 'OVER'}"
    )
    print()
    full = memory_per_call(calls, keep_log=True)
    bounded = memory_per_call(calls, keep_log=False)
    print(f"memory per counted call over {calls:,} calls (tracemalloc):")
    print(
        f"  full op log:     {full:8.1f} bytes/call   target: <= 100  "
        f"{'ok' if full <= 100 else 'OVER'}"
    )
    print(f"  keep_log=False:  {bounded:8.1f} bytes/call   (bounded: one reused buffer)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
