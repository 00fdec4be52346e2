"""The einsum planner: one contraction path, priced step by step, then run as priced.

:func:`plan` turns an einsum signature (subscripts, operand shapes, ``optimize``, whether
one array object is passed as both operands) into an :class:`EinsumPlan`: the pairwise
path, a record per step, and the totals. ``fnp.einsum`` charges ``plan.optimized_cost``
and runs ``numpy.einsum`` with ``optimize=plan.numpy_path``, so what is charged and what
runs are the same path; ``fnp.einsum_path`` returns the plan as its ``info``.

Pricing (multiply-adds; the FMA convention is applied by the caller):

* a step costs the product of the dimensions of every index it involves (its naive loop
  nest). A one-operand step that only sums or takes a diagonal therefore costs the
  product of its distinct index sizes: ``numel(input)`` for a sum, the diagonal's length
  for a trace (as ``trace`` charges it);
* a planned path costs the sum of its steps; ``optimize=False`` is NumPy's single fused
  loop over every index: the product of all index dimensions (``naive_cost``);
* two operands that are one array, with an output symmetric under exchanging them
  (``'ij,ik->jk'`` with ``X, X``), cost only the distinct output entries (see
  :func:`~flopscope._rules.contractions._exchange_symmetry`).

Strategies (``optimize``): ``True`` (fnp.einsum's default), ``'optimal'`` and
``('optimal', limit)``: the exact optimum under this cost function, by dynamic
programming over operand subsets (or one fused step where that is cheaper), for up to :data:`OPTIMAL_LIMIT` operands (about 3**n / 2
candidate steps: about 2 ms at 8); beyond it, the cheaper (under this cost) of NumPy's
and opt_einsum's greedy paths. ``'greedy'``: NumPy's greedy path, so
``fnp.einsum_path(..., optimize='greedy')`` returns the path NumPy's does. An explicit ``['einsum_path', (0, 1), ...]`` list is validated
and priced as given. A memory limit in ``(name, limit)`` is accepted and ignored.

Plans are cached (:data:`CACHE_SIZE` signatures, least recently used first out), so a
repeated call costs one dictionary lookup.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ._rules.contractions import _exchange_symmetry, einsum_operands, parse_einsum
from ._rules.core import shape_of

__all__ = [
    "CACHE_SIZE",
    "OPTIMAL_LIMIT",
    "EinsumPlan",
    "EinsumStep",
    "einsum_backend",
    "einsum_path_backend",
    "plan",
    "plan_call",
]

#: the most operands planned exactly ('optimal'); more are planned greedily
OPTIMAL_LIMIT = 8
#: distinct signatures whose plans are kept
CACHE_SIZE = 2048

Shape = tuple[int, ...]

_DEFAULT: Any = object()  # optimize not given


@dataclass(frozen=True, slots=True)
class EinsumStep:
    """One step of a path: the operands it contracts (positions in the current list)."""

    positions: tuple[int, ...]
    subscripts: str  # e.g. 'ij,jk->ik'
    input_shapes: tuple[Shape, ...]
    output_shape: Shape
    cost: int  # multiply-adds
    saving: int = 0  # multiply-adds saved by the equal-operand symmetry


@dataclass(frozen=True, slots=True)
class EinsumPlan:
    """A priced contraction path (``info`` of ``fnp.einsum_path``); costs in multiply-adds."""

    subscripts: str  # expanded: ellipses replaced by letters, explicit output
    shapes: tuple[Shape, ...]
    strategy: str  # 'fused', 'optimal', 'greedy' or 'explicit'
    path: tuple[tuple[int, ...], ...]
    steps: tuple[EinsumStep, ...]
    optimized_cost: int
    naive_cost: int
    largest_intermediate: int

    @property
    def speedup(self) -> float:
        """``naive_cost / optimized_cost`` (1.0 when both are 0)."""
        if self.optimized_cost == 0:
            return 1.0 if self.naive_cost == 0 else math.inf
        return self.naive_cost / self.optimized_cost

    @property
    def numpy_path(self) -> list[Any]:
        """The path as ``numpy.einsum``'s ``optimize=`` takes it."""
        return ["einsum_path", *self.path]

    def __str__(self) -> str:
        lines = [
            f"  Complete contraction:  {self.subscripts}",
            f"         Strategy:  {self.strategy}",
            f"         Naive cost (multiply-adds):  {self.naive_cost:,}",
            f"     Optimized cost (multiply-adds):  {self.optimized_cost:,}",
            f"      Theoretical speedup:  {self.speedup:.3f}",
            f"     Largest intermediate:  {self.largest_intermediate:,} elements",
            "-" * 74,
            f"{'step':>4}  {'positions':<12}{'subscripts':<24}{'cost':>16}{'saving':>12}  output",
            "-" * 74,
        ]
        for i, s in enumerate(self.steps):
            pos = ",".join(map(str, s.positions))
            lines.append(
                f"{i:>4}  {pos:<12}{s.subscripts:<24}{s.cost:>16,}{s.saving:>12,}  {s.output_shape}"
            )
        return "\n".join(lines)


# ---------------------------------------------------------------------- planning
def _optimize_key(optimize: Any) -> Any:
    """A hashable form of ``optimize`` (as NumPy accepts it); ValueError otherwise."""
    if optimize is False or optimize is None:
        return "fused"
    if optimize is True:
        return "optimal"
    if isinstance(optimize, str):
        if optimize in ("optimal", "greedy"):
            return optimize
        raise ValueError(
            f"einsum: unknown optimize strategy {optimize!r} (use False, True, 'greedy', "
            "'optimal' or an explicit ['einsum_path', (0, 1), ...] list)"
        )
    if isinstance(optimize, (list, tuple)):
        if len(optimize) and isinstance(optimize[0], str) and optimize[0] == "einsum_path":
            steps = []
            for step in optimize[1:]:
                if not isinstance(step, (list, tuple)) or not step:
                    raise ValueError(f"einsum: invalid step {step!r} in the explicit path")
                for p in step:
                    if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
                        raise ValueError(f"einsum: invalid step {step!r} in the explicit path")
                steps.append(tuple(int(p) for p in step))
            return ("explicit", tuple(steps))
        if (
            len(optimize) == 2
            and optimize[0] in ("optimal", "greedy")
            and isinstance(optimize[1], (int, float))
        ):
            return optimize[0]  # a memory limit: accepted, not applied
    raise ValueError(f"einsum: did not understand optimize={optimize!r}")


def _prod(dims: dict[str, int], chars: Any) -> int:
    n = 1
    for c in chars:
        n *= dims[c]
    return n


def _dp_path(terms: list[str], out: str, dims: dict[str, int]) -> list[tuple[int, ...]]:
    """The cheapest pairwise path under the step cost, by DP over operand subsets."""
    n = len(terms)
    full = (1 << n) - 1
    sets = [frozenset(t) for t in terms]
    out_set = frozenset(out)
    union: list[frozenset] = [frozenset()] * (1 << n)
    for mask in range(1, 1 << n):
        low = mask & -mask
        union[mask] = union[mask ^ low] | sets[low.bit_length() - 1]
    # the indices an intermediate of a subset keeps: needed by the output or the rest;
    # a single operand enters a step with all its indices (those only it has are summed
    # in that step, so the step loops over them too)
    kept = [
        union[m] if m & (m - 1) == 0 else union[m] & (out_set | union[full ^ m])
        for m in range(1 << n)
    ]
    best: dict[int, tuple[int, int]] = {1 << i: (0, 0) for i in range(n)}
    for mask in sorted(range(1, 1 << n), key=int.bit_count):
        if mask & (mask - 1) == 0:
            continue
        low = mask & -mask
        rest = mask ^ low
        choice = None
        sub = rest
        while True:  # left always holds the lowest operand: each split once
            left = low | sub
            right = mask ^ left
            if right:
                cost = best[left][0] + best[right][0] + _prod(dims, kept[left] | kept[right])
                if choice is None or cost < choice[0]:
                    choice = (cost, left)
            if sub == 0:
                break
            sub = (sub - 1) & rest
        assert choice is not None
        best[mask] = choice
    # post-order walk: contract both halves, then the pair
    current = [1 << i for i in range(n)]
    path: list[tuple[int, ...]] = []

    def walk(mask: int) -> None:
        if mask & (mask - 1) == 0:
            return
        left = best[mask][1]
        right = mask ^ left
        walk(left)
        walk(right)
        i, j = sorted((current.index(left), current.index(right)))
        path.append((i, j))
        del current[j], current[i]
        current.append(mask)

    walk(full)
    return path


def _greedy_path(terms: list[str], out: str, dims: dict[str, int]) -> list[tuple[int, ...]]:
    """NumPy's own greedy path (what ``numpy.einsum_path(..., 'greedy')`` returns)."""
    spec = ",".join(terms) + "->" + out
    stand_ins = [np.broadcast_to(np.zeros(()), tuple(dims[c] for c in t)) for t in terms]
    path = np.einsum_path(spec, *stand_ins, optimize="greedy")[0][1:]
    return [tuple(int(p) for p in step) for step in path]


def _opt_einsum_greedy(terms: list[str], out: str, dims: dict[str, int]) -> list[tuple[int, ...]]:
    """opt_einsum's greedy path."""
    import opt_einsum

    spec = ",".join(terms) + "->" + out
    shapes = [tuple(dims[c] for c in t) for t in terms]
    path, _ = opt_einsum.contract_path(spec, *shapes, shapes=True, optimize="greedy")
    return [tuple(int(p) for p in step) for step in path]


def _price(
    terms: list[str],
    out: str,
    dims: dict[str, int],
    shapes: tuple[Shape, ...],
    path: Sequence[tuple[int, ...]],
    same_operands: bool,
) -> tuple[tuple[EinsumStep, ...], int, int]:
    """(steps, total cost, largest intermediate) of ``path``; ValueError if invalid."""
    current = list(terms)
    current_shapes = list(shapes)
    steps = []
    total = 0
    largest = 0
    for k, positions in enumerate(path):
        if len(set(positions)) != len(positions) or any(
            not 0 <= p < len(current) for p in positions
        ):
            raise ValueError(
                f"einsum: invalid explicit path: step {k} {positions} names an operand "
                f"outside 0..{len(current) - 1} or names one twice"
            )
        inputs = [current[p] for p in positions]
        in_shapes = tuple(current_shapes[p] for p in positions)
        for p in sorted(positions, reverse=True):
            del current[p], current_shapes[p]
        involved = "".join(dict.fromkeys("".join(inputs)))
        if current:
            needed = set(out).union(*current)
            result = "".join(c for c in involved if c in needed)
        else:
            result = out
        cost = _prod(dims, involved)
        saving = 0
        if same_operands and len(terms) == 2 and len(path) == 1 and len(positions) == 2:
            symmetry = _exchange_symmetry(inputs[0], inputs[1], out, dims)
            if symmetry is not None:
                saving = cost - symmetry[0] * symmetry[1]
                cost -= saving
        out_shape = tuple(dims[c] for c in result)
        if current:
            largest = max(largest, _prod(dims, result))
        steps.append(
            EinsumStep(
                tuple(positions),
                ",".join(inputs) + "->" + result,
                in_shapes,
                out_shape,
                cost,
                saving,
            )
        )
        total += cost
        current.append(result)
        current_shapes.append(out_shape)
    if len(current) != 1 or not steps:
        raise ValueError(
            f"einsum: invalid explicit path: it leaves {len(current)} operand(s) instead of "
            "contracting them all into one"
        )
    return tuple(steps), total, largest


@lru_cache(maxsize=CACHE_SIZE)
def _plan(subscripts: str, shapes: tuple[Shape, ...], key: Any, same: bool) -> EinsumPlan:
    terms, out, dims = parse_einsum(subscripts, shapes)
    n = len(terms)
    naive = _prod(dims, dims)
    fused = [tuple(range(n))]
    if key == "fused" or n == 1:
        candidates, strategy = [fused], "fused" if key == "fused" else "optimal"
    elif isinstance(key, tuple):
        candidates, strategy = [list(key[1])], "explicit"
    elif n == 2:
        candidates, strategy = [[(0, 1)]], key
    elif key == "optimal" and n <= OPTIMAL_LIMIT:
        # tiny dims: one fused step may beat any pairwise path
        candidates, strategy = [_dp_path(terms, out, dims), fused], "optimal"
    elif key == "greedy":
        candidates, strategy = [_greedy_path(terms, out, dims)], "greedy"
    else:  # beyond the exact search: the cheapest of NumPy's and opt_einsum's greedy paths
        candidates = [_greedy_path(terms, out, dims), _opt_einsum_greedy(terms, out, dims), fused]
        strategy = "greedy"
    priced = [_price(terms, out, dims, shapes, c, same) for c in candidates]
    best = min(range(len(candidates)), key=lambda i: priced[i][1])  # first of equals
    steps, total, largest = priced[best]
    return EinsumPlan(
        ",".join(terms) + "->" + out,
        shapes,
        strategy,
        tuple(candidates[best]),
        steps,
        total,
        naive,
        largest,
    )


def plan(
    subscripts: str,
    shapes: Sequence[Sequence[int]],
    optimize: Any = True,
    same_operands: bool = False,
) -> EinsumPlan:
    """The priced plan of ``einsum(subscripts, *operands of these shapes)`` (cached).

    Raises ``ValueError`` for bad subscripts, mismatched dimensions, an unknown strategy
    or an invalid explicit path.
    """
    if not isinstance(subscripts, str):
        raise ValueError(f"einsum subscripts must be a string, got {subscripts!r}")
    key = _optimize_key(optimize)
    return _plan(
        subscripts,
        tuple(tuple(int(d) for d in s) for s in shapes),
        key,
        bool(same_operands),
    )


def plan_call(args: tuple, optimize: Any) -> EinsumPlan:
    """The plan of an einsum call's plain positional arguments (either calling form)."""
    subscripts, operands = einsum_operands(args)
    same = len(operands) == 2 and operands[0] is operands[1]
    if not isinstance(subscripts, str):
        raise ValueError(f"einsum subscripts must be a string, got {subscripts!r}")
    # array shapes are tuples of Python ints already: straight to the cache
    return _plan(subscripts, tuple(shape_of(o) for o in operands), _optimize_key(optimize), same)


# ---------------------------------------------------------------------- backends
#: NumPy's single-loop einsum (what ``numpy.einsum(..., optimize=False)`` runs, after
#: its argument checks, which the dispatch has already made)
def _numpy_fused_einsum() -> Callable[..., Any]:
    c_einsum = getattr(getattr(getattr(np, "_core", None), "einsumfunc", None), "c_einsum", None)
    return c_einsum if c_einsum is not None else functools.partial(np.einsum, optimize=False)


_fused_einsum = _numpy_fused_einsum()


def einsum_backend(*operands: Any, optimize: Any = _DEFAULT, **kwargs: Any) -> Any:
    """numpy.einsum on the plan's path (the path that was priced).

    One or two operands are one step whatever the path: by default they run NumPy's
    single loop (``optimize=False``), so results and result types are bitwise NumPy's
    default; a caller's explicit ``optimize`` runs the priced path (BLAS where NumPy can).
    """
    if optimize is False or optimize is None:
        return _fused_einsum(*operands, **kwargs)
    if optimize is _DEFAULT and type(operands[0]) is str and len(operands) <= 3:
        return _fused_einsum(*operands, **kwargs)  # one or two operands: one step
    p = plan_call(operands, True if optimize is _DEFAULT else optimize)
    if len(p.shapes) == 1 or (len(p.shapes) == 2 and optimize is _DEFAULT):
        return np.einsum(*operands, optimize=False, **kwargs)
    return np.einsum(*operands, optimize=p.numpy_path, **kwargs)


einsum_backend.__doc__ = np.einsum.__doc__
# NumPy's signature (its default reads optimize=False); flopscope's default is the planned
# path, which for one or two operands is the same single step NumPy's default runs
einsum_backend.__signature__ = inspect.signature(np.einsum)  # type: ignore[attr-defined]


def einsum_path_backend(*operands: Any, optimize: Any = "greedy", einsum_call: bool = False) -> Any:
    """(path, info): NumPy's path list and the :class:`EinsumPlan`; nothing is contracted."""
    p = plan_call(operands, optimize)
    return p.numpy_path, p


einsum_path_backend.__doc__ = np.einsum_path.__doc__
einsum_path_backend.__signature__ = inspect.signature(np.einsum_path)  # type: ignore[attr-defined]
