"""Einsum paths: what flopscope's planner finds, against opt_einsum and NumPy.

    python benchmarks/einsum_paths.py

For a fixed set of contractions of 3 to 12 operands, every path is priced the same way,
by flopscope's own cost (``flops.einsum_cost`` with the path given explicitly: the sum
of the steps, each the product of the dimensions of the indices it involves), so the
ratios compare paths, not cost models. Printed from one run:

* cost ratio: flopscope's default path against opt_einsum's ``optimal`` (up to 8
  operands) or ``greedy`` (beyond), and against ``numpy.einsum_path``'s greedy path
  (target: at most 1.0 against the reference strategy);
* cold planning time of flopscope's default path (target: at most 1 ms up to 6
  operands), with opt_einsum's planning time beside it; a warm (cached) plan is a lookup;
* contractions with one array at several positions (a Gram matrix, X^T X Y, an MPS
  norm) or operands declared symmetric (S @ S, a symmetric 3-tensor applied to one
  vector three times, a ring of six symmetric matrices): the saving of the symmetry-aware plan and its cold planning time (target: at
  most 50 ms, operands up to 64 per axis and 6 operands), warm a cache hit.
"""

from __future__ import annotations

import string
import sys
import time

import numpy as np
import opt_einsum

import flopscope as flops
from flopscope import _einsum
from flopscope._rules import contraction_symmetry


def _chain(n: int, dims: list[int]) -> tuple[str, list[tuple[int, ...]]]:
    """A matrix chain of n operands: 'ab,bc,cd,...->a<last>'."""
    letters = string.ascii_letters
    terms = [letters[i] + letters[i + 1] for i in range(n)]
    spec = ",".join(terms) + "->" + letters[0] + letters[n]
    return spec, [(dims[i], dims[i + 1]) for i in range(n)]


def _network(n: int, bond: int, phys: int) -> tuple[str, list[tuple[int, ...]]]:
    """An open tensor-network chain (an MPS): 'Aa,aBb,bCc,...' with physical legs kept."""
    bonds = string.ascii_lowercase
    legs = string.ascii_uppercase
    terms = [legs[0] + bonds[0]]
    shapes: list[tuple[int, ...]] = [(phys, bond)]
    for i in range(1, n - 1):
        terms.append(bonds[i - 1] + legs[i] + bonds[i])
        shapes.append((bond, phys, bond))
    terms.append(bonds[n - 2] + legs[n - 1])
    shapes.append((bond, phys))
    return ",".join(terms) + "->" + legs[:n], shapes


CASES: list[tuple[str, str, list[tuple[int, ...]]]] = [
    (
        "seed 001 'ijk,ai,bj,ck->abc'",
        "ijk,ai,bj,ck->abc",
        [(16, 16, 16), (8, 16), (8, 16), (8, 16)],
    ),
    ("chain of 3", *_chain(3, [10, 200, 5, 300])),
    ("chain of 4", *_chain(4, [30, 5, 60, 10, 20])),
    ("chain of 6", *_chain(6, [40, 20, 30, 10, 30, 20, 50])),
    ("chain of 8", *_chain(8, [5, 30, 10, 40, 8, 20, 6, 30, 12])),
    ("network of 5 (MPS)", *_network(5, 8, 2)),
    ("network of 7 (MPS)", *_network(7, 6, 2)),
    ("bilinear 'ab,bc,cd,ab->ad'", "ab,bc,cd,ab->ad", [(20, 30), (30, 40), (40, 20), (20, 30)]),
    ("chain of 10", *_chain(10, [8, 30, 6, 40, 10, 25, 7, 35, 9, 20, 11])),
    ("chain of 12", *_chain(12, [9, 20, 7, 30, 5, 40, 8, 25, 6, 35, 10, 15, 12])),
]


_S2 = flops.SymmetryGroup.symmetric((0, 1), 2)
_S3 = flops.SymmetryGroup.symmetric((0, 1, 2), 3)

#: contractions with one array at several positions (``same``: for each operand, the
#: first operand that is the same array) or operands declared symmetric (``groups``),
#: up to 64 per axis and 6 operands: the symmetry-aware plan's saving against distinct
#: operands with no symmetry, and its planning time
SYMMETRIC_CASES: list[
    tuple[str, str, list[tuple[int, ...]], list[int], list[flops.SymmetryGroup | None] | None]
] = [
    ("Gram 'ij,ik->jk' (X, X)", "ij,ik->jk", [(64, 64)] * 2, [0, 0], None),
    ("X^T X Y 'ij,ik,kl->jl'", "ij,ik,kl->jl", [(64, 32), (64, 32), (32, 64)], [0, 0, 2], None),
    (
        "two Grams 'ai,aj,bk,bl,ik,jl->' (X,X,Y,Y)",
        "ai,aj,bk,bl,ik,jl->",
        [(64, 16), (64, 16), (64, 16), (64, 16), (16, 16), (16, 16)],
        [0, 0, 2, 2, 4, 5],
        None,
    ),
    (
        "MPS norm of 3 sites (6 operands)",
        "Pa,Qh,aRb,hRi,bS,iS->PQ",
        [(2, 16), (2, 16), (16, 2, 16), (16, 2, 16), (16, 2), (16, 2)],
        [0, 0, 2, 2, 4, 4],
        None,
    ),
    ("S @ S, S declared symmetric", "ij,jk->ik", [(64, 64)] * 2, [0, 0], [_S2, _S2]),
    (
        "T(x, x, x), T in S3, one x",
        "ijk,i,j,k->",
        [(64, 64, 64), (64,), (64,), (64,)],
        [0, 1, 1, 1],
        [_S3, None, None, None],
    ),
    (
        "ring of 6, one symmetric S",
        "ab,bc,cd,de,ef,fa->",
        [(64, 64)] * 6,
        [0] * 6,
        [_S2] * 6,
    ),
    (
        "three S3 tensors 'ijk,klm,mni->jln'",
        "ijk,klm,mni->jln",
        [(64, 64, 64)] * 3,
        [0, 1, 2],
        [_S3] * 3,
    ),
]


def _priced(spec: str, shapes: list[tuple[int, ...]], path: list) -> int:
    return flops.einsum_cost(spec, shapes=shapes, optimize=["einsum_path", *path])


def _numpy_path(spec: str, shapes: list[tuple[int, ...]]) -> list:
    stand_ins = [np.broadcast_to(np.zeros(()), s) for s in shapes]
    return np.einsum_path(spec, *stand_ins, optimize="greedy")[0][1:]


def _planning_seconds(spec: str, shapes: list[tuple[int, ...]], repeats: int = 5) -> float:
    """Median cold planning time (the plan cache cleared before each)."""
    times = []
    for _ in range(repeats):
        _einsum._plan.cache_clear()
        start = time.perf_counter()
        _einsum.plan(spec, shapes, optimize=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def _opt_einsum_seconds(spec: str, shapes: list[tuple[int, ...]], strategy: str) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        opt_einsum.contract_path(spec, *shapes, shapes=True, optimize=strategy)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main() -> int:
    print(
        f"flopscope {flops.__version__}, opt_einsum {opt_einsum.__version__}, NumPy {np.__version__}"
    )
    print(
        "costs: flopscope's step cost (multiply-adds) for every path; ratio <= 1.0 is as good or better\n"
    )
    header = (
        f"{'contraction':<32}{'n':>3}{'flopscope':>14}{'reference':>14}{'vs ref':>8}"
        f"{'vs numpy':>10}{'plan ms':>9}{'ref ms':>8}"
    )
    print(header)
    worst = 0.0
    for name, spec, shapes in CASES:
        n = len(shapes)
        ours = flops.einsum_cost(spec, shapes=shapes, optimize=True)
        strategy = "optimal" if n <= 8 else "greedy"
        reference_path, _ = opt_einsum.contract_path(spec, *shapes, shapes=True, optimize=strategy)
        reference = _priced(spec, shapes, list(reference_path))
        numpy_cost = _priced(spec, shapes, _numpy_path(spec, shapes))
        plan_ms = _planning_seconds(spec, shapes) * 1e3
        ref_ms = _opt_einsum_seconds(spec, shapes, strategy) * 1e3
        ratio = ours / reference
        worst = max(worst, ratio)
        flag = "" if ratio <= 1.0 and (n > 6 or plan_ms <= 1.0) else "  OVER"
        print(
            f"{name:<32}{n:>3}{ours:>14,}{reference:>14,}{ratio:>8.3f}{ours / numpy_cost:>10.3f}"
            f"{plan_ms:>9.3f}{ref_ms:>8.3f}{flag}"
        )
    print(f"\nworst cost ratio against the reference strategy: {worst:.3f} (target: <= 1.0)")
    print()
    print(
        f"{'one array at several positions':<44}{'n':>3}{'saving':>10}{'cold ms':>9}"
        f"{'warm us':>9}  target: cold <= 50 ms"
    )
    for name, spec, shapes, same, groups in SYMMETRIC_CASES:
        cold = []
        for _ in range(5):
            _einsum._plan.cache_clear()
            contraction_symmetry.symmetries.cache_clear()
            start = time.perf_counter()
            plan = _einsum.plan(spec, shapes, True, same, groups)
            cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(1000):
            _einsum.plan(spec, shapes, True, same, groups)
        warm_us = (time.perf_counter() - start) * 1e3
        dense = _einsum.plan(spec, shapes, True).optimized_cost
        cold_ms = sorted(cold)[2] * 1e3
        saving = 1 - plan.optimized_cost / dense
        flag = "ok" if cold_ms <= 50 else "OVER"
        print(f"{name:<44}{len(shapes):>3}{saving:>10.1%}{cold_ms:>9.3f}{warm_us:>9.2f}  {flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
