"""Einsum execution: how fast ``fnp.einsum`` runs, measured side by side with NumPy.

    python benchmarks/einsum_execution.py            # full run (about ten seconds)
    python benchmarks/einsum_execution.py --quick    # fewer rounds

Every figure comes from this one process, NumPy and flopscope interleaved round by round,
printed as medians and ratios. Targets (the issue's):

* large contractions: ``fnp.einsum`` (default ``optimize``) at most 1.05x
  ``numpy.einsum(..., optimize=True)`` on a 512x512 matrix product, on ``'ij,j->i'`` and
  on a 4-operand chain (NumPy's default single loop is shown beside it: it does not use
  BLAS and is often many times slower);
* overhead: a repeated two-operand einsum on small arrays at most 3 us above
  ``numpy.einsum``; a repeated 4-operand one at most 10 us above it (both NumPy's
  defaults, the calls a user writes).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import numpy as np

import flopscope as flops
import flopscope.numpy as fnp
from overhead import side_by_side


def _large_cases() -> list[tuple[str, str, list[np.ndarray], bool]]:
    """(name, subscripts, operands, has a target)."""
    rng = np.random.default_rng(0)

    def r(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape)

    a, b = r(512, 512), r(512, 512)
    return [
        ("'ij,jk->ik' 512x512", "ij,jk->ik", [a, b], True),
        ("'ij,j->i' 512x512", "ij,j->i", [a, r(512)], True),
        (
            "4-operand chain",
            "ij,jk,kl,lm->im",
            [r(512, 64), r(64, 512), r(512, 64), r(64, 512)],
            True,
        ),
        ("'ij,ik->jk' Gram 2000x256", "ij,ik->jk", [r(2000, 256), r(2000, 256)], False),
        ("batched 'bij,bjk->bik'", "bij,bjk->bik", [r(32, 128, 64), r(32, 64, 128)], False),
        (
            "seed 001 'ijk,ai,bj,ck->abc'",
            "ijk,ai,bj,ck->abc",
            [r(64, 64, 64), r(32, 64), r(32, 64), r(32, 64)],
            False,
        ),
    ]


def large(rounds: int) -> list[tuple[str, float, float, float | None, bool]]:
    """(name, NumPy optimize=True, flopscope, NumPy default or None, has a target)."""
    rows = []
    with flops.BudgetContext(10**15, keep_log=False, quiet=True):
        for name, spec, ops, target in _large_cases():
            fops = [fnp.asarray(o) for o in ops]

            def numpy_optimized(ops: list = ops, spec: str = spec) -> object:
                return np.einsum(spec, *ops, optimize=True)

            def counted(fops: list = fops, spec: str = spec) -> object:
                return fnp.einsum(spec, *fops)

            t_opt, t_fs = side_by_side(numpy_optimized, counted, number=3, rounds=rounds)
            # NumPy's default single loop: once per round is plenty (it is the slow one)
            default: float | None = None
            if len(ops) <= 2:
                t_default, _ = side_by_side(
                    lambda ops=ops, spec=spec: np.einsum(spec, *ops),
                    counted,
                    number=1,
                    rounds=3,
                )
                default = t_default
            rows.append((name, t_opt, t_fs, default, target))
    return rows


def repeated_small(rounds: int) -> list[tuple[str, float, float, float]]:
    """(name, NumPy default, flopscope, target us above NumPy)."""
    rng = np.random.default_rng(1)
    a, b, c, d = (rng.standard_normal((4, 4)) for _ in range(4))
    fa, fb, fc, fd = (fnp.asarray(x) for x in (a, b, c, d))
    v = rng.standard_normal(4)
    fv = fnp.asarray(v)
    cases: list[tuple[str, Callable[[], object], Callable[[], object], float]] = [
        (
            "'ij,jk->ik' 4x4",
            lambda: np.einsum("ij,jk->ik", a, b),
            lambda: fnp.einsum("ij,jk->ik", fa, fb),
            3.0,
        ),
        (
            "'ij,j->i' 4x4",
            lambda: np.einsum("ij,j->i", a, v),
            lambda: fnp.einsum("ij,j->i", fa, fv),
            3.0,
        ),
        (
            "'ij,jk,kl,lm->im' 4x4",
            lambda: np.einsum("ij,jk,kl,lm->im", a, b, c, d),
            lambda: fnp.einsum("ij,jk,kl,lm->im", fa, fb, fc, fd),
            10.0,
        ),
    ]
    rows = []
    with flops.BudgetContext(10**15, keep_log=False, quiet=True):
        for _, base, counted, _ in cases:
            side_by_side(base, counted, number=2_000, rounds=2)
        for name, base, counted, target in cases:
            t_np, t_fs = side_by_side(base, counted, number=5_000, rounds=rounds)
            rows.append((name, t_np, t_fs, target))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args(argv)
    rounds = 5 if args.quick else 15

    print(f"flopscope {flops.__version__}, NumPy {np.__version__}, Python {sys.version.split()[0]}")
    print()
    print(
        f"{'large contractions':<32}{'NumPy opt':>11}{'flopscope':>11}{'ratio':>8}"
        f"{'NumPy default':>15}  target: ratio <= 1.05"
    )
    for name, t_opt, t_fs, default, target in large(rounds):
        ratio = t_fs / t_opt
        verdict = ("ok" if ratio <= 1.05 else "OVER") if target else ""
        shown = f"{default * 1e3:>13.2f}ms" if default is not None else f"{'-':>15}"
        print(
            f"  {name:<30}{t_opt * 1e3:>9.2f}ms{t_fs * 1e3:>9.2f}ms{ratio:>8.3f}{shown}  {verdict}"
        )
    print()
    print(
        f"{'repeated small einsum':<32}{'NumPy':>11}{'flopscope':>11}{'added':>10}"
        "  target: added <= 3 us (2 operands), 10 us (4)"
    )
    for name, t_np, t_fs, target in repeated_small(rounds):
        added = (t_fs - t_np) * 1e6
        print(
            f"  {name:<30}{t_np * 1e6:>9.2f}us{t_fs * 1e6:>9.2f}us{added:>8.2f}us"
            f"  {'ok' if added <= target else 'OVER'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
