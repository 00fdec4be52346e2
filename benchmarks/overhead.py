"""What flopscope costs in time and memory, measured side by side with plain NumPy.

    python benchmarks/overhead.py            # full run (about a minute)
    python benchmarks/overhead.py --quick    # fewer rounds

Every figure is taken in this one process, NumPy and flopscope interleaved round by
round (shared machines are noisy; interleaving keeps drift out of the ratios), and
printed as a median with its ratio to NumPy. The small calls are measured as pairs of
short batches, NumPy's and flopscope's back to back in alternating order, with the full
op log kept: their rows give the medians of the per-pair ratios and differences, and
NumPy's own time, which shows the speed the host ran at. Targets (the issue's):

* small calls (10-element float64 inputs): median at most 1.5 us above NumPy;
* large calls (1e6 elements, a 512x512 matmul): within 3 % of NumPy;
* memory: 1e6 counted calls with the full op log grow memory by at most 100 bytes per
  call; with ``keep_log=False`` memory stays bounded;
* the seed-003 MLP forward pass end to end: at most 1.2x NumPy;
* free calls (creation, copying, joining, fancy indexing): their time is booked as
  flopscope's, and that booking adds at most 0.3 us to a free call. The "timing adds"
  column compares each free call with the same call untimed (the free row's untimed
  body for functions; ndarray's own method or indexing, which is what ran before free
  calls were timed);
* in-place operators and ``out=``: at most 0.5 us above ``a + b``;
* line tracking (``track_lines=True``): off, a budget runs the code of every other row
  (nothing added); on, what it costs per call is printed as its own rows;
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


def small_calls(rounds: int) -> list[tuple[str, float, float, float]]:
    a, b, fa, fb, m, fm = _small_inputs(0)
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
    with flops.BudgetContext(10**15, keep_log=True, quiet=True):  # the full op log
        for _, base, counted in cases:  # warm every path (and the CPU) before timing any
            side_by_side(base, counted, number=2_000, rounds=2)
        for name, base, counted in cases:
            t_np, ratio, added = paired(base, counted, number=1_000, pairs=8 * rounds)
            rows.append((name, t_np, ratio, added))
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

    def np_iadd() -> None:
        nonlocal a
        a += b

    def fs_iadd() -> None:
        nonlocal fa
        fa += fb

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
        f"{'small calls (10 elements)':<28}{'NumPy':>10}{'added':>10}{'ratio':>8}"
        "  target: added <= 1.5 us  (medians of interleaved pairs; NumPy's time shows"
        " the speed the host ran at)"
    )
    for name, t_np, ratio, added in small_calls(rounds):
        print(
            f"  {name:<26}{t_np * 1e6:>8.2f}us{added * 1e6:>8.2f}us{ratio:>8.2f}"
            f"  {'ok' if added * 1e6 <= 1.5 else 'OVER'}"
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
    print(f"{'dry run (no arithmetic)':<28}{'NumPy':>10}{'dry run':>12}{'ratio':>18}")
    for name, t_np, t_dry in dry_run_calls(rounds):
        print(f"  {name:<26}{t_np * 1e3:>8.3f}ms{t_dry * 1e3:>10.3f}ms{t_dry / t_np:>18.3f}")
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
