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
* operands that are one array, or carry declared groups, make a step cost only its
  distinct work (``'ij,ik->jk'`` with ``X, X``: the distinct output entries; see
  :mod:`flopscope._rules.contraction_symmetry`).

Strategies (``optimize``): ``True`` (fnp.einsum's default), ``'optimal'`` and
``('optimal', limit)``: the exact optimum under this cost function, by dynamic
programming over operand subsets (or one fused step where that is cheaper), for up to
:data:`OPTIMAL_LIMIT` operands (about 3**n / 2 candidate steps: about 2 ms at 8). Beyond
it, the cheapest (under this cost) of NumPy's and opt_einsum's greedy paths and, where
the operands form at most :data:`DP_SUBNETWORK_LIMIT` connected sub-networks (chains,
trees and tensor-network strips of any length; about 10 ms of search), opt_einsum's
``'dynamic-programming'`` path. Planning is thus bounded: a contraction too dense for the
dynamic programme is planned greedily, in about a millisecond per ten operands.
``'greedy'``: NumPy's greedy path, so ``fnp.einsum_path(..., optimize='greedy')``
returns the path NumPy's does. An explicit ``['einsum_path', (0, 1), ...]`` list is
validated and priced as given. A memory limit in ``(name, limit)`` is accepted and
ignored. Planning runs in the cost rule, before the charge: its time is flopscope's
overhead, never the caller's residual time.

Plans are cached (:data:`CACHE_SIZE` signatures, least recently used first out), so a
repeated call costs one dictionary lookup. The signature includes which operands are one
array object, so the symmetric saving applies to every pairwise step that contracts an
array with itself (``'ij,ik,kl->jl'`` with ``X, X, Y``: the first step is symmetric).

Execution runs the priced path step by step. A two-operand step that is a (batched)
matrix product, on float or complex operands of one dtype and costing at least
:data:`BLAS_MIN_COST`, runs as ``numpy.matmul`` on reshaped views (BLAS, as
``numpy.einsum(..., optimize=True)`` does through ``tensordot``); every other step runs
NumPy's single einsum loop on that step's subscripts. One fused loop takes at most
:data:`MAX_FUSED_OPERANDS` operands (NumPy's iterator limit); a pairwise path takes any
number.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from ._rules import contraction_symmetry
from ._rules.contractions import (
    einsum_operands,
    parse_einsum,
    same_memory_permutation,
)
from ._rules.core import shape_of
from ._symmetry import MAX_GROUP_ORDER, SymmetryGroup

__all__ = [
    "BLAS_MIN_COST",
    "CACHE_SIZE",
    "DP_SUBNETWORK_LIMIT",
    "MAX_FUSED_OPERANDS",
    "OPTIMAL_LIMIT",
    "EinsumPlan",
    "EinsumStep",
    "einsum_backend",
    "einsum_path_backend",
    "plan",
    "plan_call",
    "planned_call",
]

#: the most operands planned exactly ('optimal'); more are planned greedily
OPTIMAL_LIMIT = 8
#: beyond OPTIMAL_LIMIT, opt_einsum's dynamic programme is also tried when the operands
#: (joined where they share an index) form at most this many connected sub-networks:
#: its search time grows with them (about 10 ms at 300)
DP_SUBNETWORK_LIMIT = 300
#: distinct signatures whose plans are kept
CACHE_SIZE = 2048
#: the smallest two-operand step (multiply-adds) run as a matrix product: below it
#: NumPy's single loop is as fast (16 x 16 matrices), and its results are bitwise those
#: of ``numpy.einsum``'s default
BLAS_MIN_COST = 4096
#: the most operands one fused loop takes (NumPy's iterator: 64 arrays, the output one)
MAX_FUSED_OPERANDS = 63

Shape = tuple[int, ...]
Perm = tuple[int, ...]

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
class _MatmulRecipe:
    """A two-operand step as ``matmul`` of reshaped operands: ``a`` to
    ``(*batch, m, k)``, ``b`` to ``(*batch, k, n)`` (1-D where m or n is empty and there
    is no batch), the product reshaped and transposed to the step's output."""

    perm_a: tuple[int, ...] | None  # None: already in order
    shape_a: tuple[int, ...]
    perm_b: tuple[int, ...] | None
    shape_b: tuple[int, ...]
    shape_out: tuple[int, ...] | None  # None: matmul's output shape is the step's
    perm_out: tuple[int, ...] | None


def _matmul_recipe(
    a: str, b: str, result: str, dims: dict[str, int], shape_a: Shape, shape_b: Shape
) -> _MatmulRecipe | None:
    """The recipe of step ``a,b->result``, or None when it is no plain matrix product:
    a repeated index (diagonal), an index summed within one operand, a broadcast size-1
    axis, or nothing summed (an outer product)."""
    sa, sb, sr = set(a), set(b), set(result)
    if len(sa) != len(a) or len(sb) != len(b) or (sa - sb - sr) or (sb - sa - sr):
        return None
    if any(dims[c] != d for c, d in zip(a, shape_a)) or any(
        dims[c] != d for c, d in zip(b, shape_b)
    ):
        return None
    batch = [c for c in a if c in sb and c in sr]
    summed = [c for c in a if c in sb and c not in sr]
    left = [c for c in a if c not in sb]
    right = [c for c in b if c not in sa]
    if not summed:
        return None
    m, k, n = _prod(dims, left), _prod(dims, summed), _prod(dims, right)
    batch_dims = tuple(dims[c] for c in batch)

    def perm(term: str, order: list[str]) -> tuple[int, ...] | None:
        p = tuple(term.index(c) for c in order)
        return None if p == tuple(range(len(term))) else p

    if batch:
        new_a, new_b, product = (*batch_dims, m, k), (*batch_dims, k, n), (*batch_dims, m, n)
    else:
        new_a = (m, k) if left else (k,)
        new_b = (k, n) if right else (k,)
        product = (m,) * bool(left) + (n,) * bool(right)
    order = batch + left + right
    shape_out = tuple(dims[c] for c in order)
    perm_out = tuple(order.index(c) for c in result)
    return _MatmulRecipe(
        perm(a, batch + left + summed),
        new_a,
        perm(b, batch + summed + right),
        new_b,
        None if shape_out == product else shape_out,
        None if perm_out == tuple(range(len(order))) else perm_out,
    )


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
    #: how each step runs: a matrix-product recipe, or None for NumPy's einsum loop
    recipes: tuple[_MatmulRecipe | None, ...] = field(default=(), compare=False, repr=False)
    #: the group of the result's axes it is symmetric under by construction (the
    #: operands' declared groups and repeated arrays induce it); None: no symmetry
    symmetry: SymmetryGroup | None = field(default=None, compare=False, repr=False)

    @property
    def output_symmetry(self) -> SymmetryGroup:
        """The group the result is symmetric under (the trivial group when none)."""
        if self.symmetry is None:
            return SymmetryGroup.trivial(len(self.subscripts.split("->")[1]))
        return self.symmetry

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


def _dp_path(
    terms: list[str], out: str, dims: dict[str, int], symmetric: _SymmetricSteps | None
) -> list[tuple[int, ...]]:
    """The cheapest pairwise path under the step cost, by DP over operand subsets.

    ``symmetric``: the prices of steps whose operands carry symmetry (declared groups,
    one array passed twice), which make them cheaper than their loop nest."""
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
                if symmetric is not None and symmetric.movable(mask):
                    step = symmetric.cost(mask, kept[left] | kept[right], kept[mask])
                else:
                    step = _prod(dims, kept[left] | kept[right])
                cost = best[left][0] + best[right][0] + step
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


def _opt_einsum_path(
    terms: list[str], out: str, dims: dict[str, int], strategy: str
) -> list[tuple[int, ...]]:
    """opt_einsum's path by ``strategy`` ('greedy' or 'dynamic-programming')."""
    import opt_einsum

    spec = ",".join(terms) + "->" + out
    shapes = [tuple(dims[c] for c in t) for t in terms]
    path, _ = opt_einsum.contract_path(spec, *shapes, shapes=True, optimize=strategy)
    return [tuple(int(p) for p in step) for step in path]


def _few_subnetworks(terms: list[str], limit: int) -> bool:
    """Whether the operands, joined where they share an index, form at most ``limit``
    connected sub-networks (counted breadth-first over bitmasks, stopping past limit)."""
    n = len(terms)
    sets = [set(t) for t in terms]
    neighbours = [sum(1 << j for j in range(n) if j != i and sets[i] & sets[j]) for i in range(n)]
    seen = {1 << i for i in range(n)}
    frontier = list(seen)
    while frontier:
        grown = []
        for mask in frontier:
            adjacent, rest = 0, mask
            while rest:
                low = rest & -rest
                adjacent |= neighbours[low.bit_length() - 1]
                rest ^= low
            adjacent &= ~mask
            while adjacent:
                low = adjacent & -adjacent
                adjacent ^= low
                if mask | low not in seen:
                    seen.add(mask | low)
                    grown.append(mask | low)
                    if len(seen) > limit:
                        return False
        frontier = grown
    return True


class _SymmetricSteps:
    """Step prices under the symmetry of the operands (see
    :mod:`flopscope._rules.contraction_symmetry`): each operand a factor with its class
    (operands that are one array share one) and its group's elements."""

    __slots__ = ("_classes", "_found", "_grouped", "dims", "factors")

    def __init__(
        self,
        terms: list[str],
        dims: dict[str, int],
        twins: tuple[int, ...] | None,
        groups: tuple[SymmetryGroup | None, ...] | None,
    ) -> None:
        n = len(terms)
        self.dims = dims
        self.factors = tuple(
            (
                twins[i] if twins is not None else i,
                terms[i],
                _elements(groups[i]) if groups is not None else None,
            )
            for i in range(n)
        )
        self._grouped = sum(1 << i for i, f in enumerate(self.factors) if f[2] is not None)
        classes: dict[int, int] = {}
        for i, f in enumerate(self.factors):
            classes[f[0]] = classes.get(f[0], 0) | (1 << i)
        self._classes = [m for m in classes.values() if m & (m - 1)]
        self._found: dict[tuple[int, frozenset], Any] = {}

    def movable(self, mask: int) -> bool:
        """Whether the operands of ``mask`` can have a symmetry: one has a group, or two
        are one array."""
        if mask & self._grouped:
            return True
        return any((mask & m) & ((mask & m) - 1) for m in self._classes)

    def relabellings(self, mask: int, result: Any) -> tuple[dict[str, str], ...]:
        key = (mask, frozenset(result))
        found = self._found.get(key)
        if found is None:
            factors = tuple(f for i, f in enumerate(self.factors) if mask >> i & 1)
            labels = sorted(set("".join(f[1] for f in factors)))
            found = self._found[key] = contraction_symmetry.symmetries(
                factors, tuple((c, self.dims[c]) for c in labels), "".join(sorted(result))
            )
        return found

    def cost(self, mask: int, involved: Any, result: Any) -> int:
        """The multiply-adds of a step contracting the operands of ``mask`` over the
        indices ``involved`` into ``result`` (see
        :func:`~flopscope._rules.contraction_symmetry.step_cost`)."""
        return contraction_symmetry.step_cost(
            self.relabellings(mask, result), "".join(involved), "".join(result), self.dims
        )

    def output_group(self, out: str) -> frozenset[Perm]:
        """The permutations of the result's axes it is symmetric under."""
        full = (1 << len(self.factors)) - 1
        return contraction_symmetry.output_group(self.relabellings(full, out), out)


def _price(
    terms: list[str],
    out: str,
    dims: dict[str, int],
    shapes: tuple[Shape, ...],
    path: Sequence[tuple[int, ...]],
    symmetric: _SymmetricSteps | None,
) -> tuple[tuple[EinsumStep, ...], int, int, tuple[_MatmulRecipe | None, ...]]:
    """(steps, total cost, largest intermediate, recipes) of ``path``; ValueError if it
    is invalid. ``symmetric``: the operands' symmetry, which prices steps lower."""
    current = list(terms)
    current_shapes = list(shapes)
    # the original operands each current operand holds, as a bitmask
    held = [1 << i for i in range(len(terms))]
    steps = []
    recipes = []
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
        if len(positions) > MAX_FUSED_OPERANDS:
            raise ValueError(
                f"einsum: too many operands: step {k} contracts {len(positions)} operands in "
                f"one loop, and NumPy's einsum loop takes at most {MAX_FUSED_OPERANDS} "
                "(a pairwise path, optimize=True, takes any number)"
            )
        inputs = [current[p] for p in positions]
        in_shapes = tuple(current_shapes[p] for p in positions)
        mask = 0
        for p in positions:
            mask |= held[p]
        for p in sorted(positions, reverse=True):
            del current[p], current_shapes[p], held[p]
        involved = "".join(dict.fromkeys("".join(inputs)))
        if current:
            needed = set(out).union(*current)
            result = "".join(c for c in involved if c in needed)
        else:
            result = out
        full = _prod(dims, involved)
        cost = full
        if symmetric is not None and symmetric.movable(mask):
            cost = symmetric.cost(mask, involved, result)
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
                full - cost,
            )
        )
        recipes.append(
            _matmul_recipe(inputs[0], inputs[1], result, dims, in_shapes[0], in_shapes[1])
            if len(positions) == 2 and full >= BLAS_MIN_COST
            else None
        )
        total += cost
        current.append(result)
        current_shapes.append(out_shape)
        held.append(mask)
    if len(current) != 1 or not steps:
        raise ValueError(
            f"einsum: invalid explicit path: it leaves {len(current)} operand(s) instead of "
            "contracting them all into one"
        )
    return tuple(steps), total, largest, tuple(recipes)


@lru_cache(maxsize=CACHE_SIZE)
def _plan(
    subscripts: str,
    shapes: tuple[Shape, ...],
    key: Any,
    twins: tuple[int, ...] | None,
    groups: tuple[SymmetryGroup | None, ...] | None = None,
) -> EinsumPlan:
    terms, out, dims = parse_einsum(subscripts, shapes)
    n = len(terms)
    symmetric = (
        _SymmetricSteps(terms, dims, twins, groups)
        if twins is not None or groups is not None
        else None
    )
    naive = _prod(dims, dims)
    fused = [tuple(range(n))]
    strategies: list[str] | None = None  # per candidate, for the bounded searches
    if key == "fused" and n > MAX_FUSED_OPERANDS:
        raise ValueError(
            f"einsum: too many operands: optimize=False runs one loop over all {n} operands, "
            f"and NumPy's einsum loop takes at most {MAX_FUSED_OPERANDS} (optimize=True "
            "contracts them pairwise)"
        )
    if key == "fused" or n == 1:
        candidates, strategy = [fused], "fused" if key == "fused" else "optimal"
    elif isinstance(key, tuple):
        candidates, strategy = [list(key[1])], "explicit"
    elif n == 2:
        candidates, strategy = [[(0, 1)]], key
    elif key == "optimal" and n <= OPTIMAL_LIMIT:
        # tiny dims: one fused step may beat any pairwise path
        candidates, strategy = [_dp_path(terms, out, dims, symmetric), fused], "optimal"
    elif key == "greedy":
        candidates, strategy = [_greedy_path(terms, out, dims)], "greedy"
        if max(map(len, candidates[0])) > MAX_FUSED_OPERANDS:  # NumPy's fuses them all
            candidates = [_opt_einsum_path(terms, out, dims, "greedy")]
    else:  # beyond the exact search: the cheapest of the bounded searches
        candidates = [
            _greedy_path(terms, out, dims),
            _opt_einsum_path(terms, out, dims, "greedy"),
            fused,
        ]
        candidates = [c for c in candidates if max(map(len, c)) <= MAX_FUSED_OPERANDS]
        strategies = ["greedy"] * len(candidates)
        if _few_subnetworks(terms, DP_SUBNETWORK_LIMIT):
            candidates.append(_opt_einsum_path(terms, out, dims, "dynamic-programming"))
            strategies.append("dynamic-programming")
    priced = [_price(terms, out, dims, shapes, c, symmetric) for c in candidates]
    best = min(range(len(candidates)), key=lambda i: priced[i][1])  # first of equals
    if strategies is not None:  # the bounded searches: name the one that won
        strategy = strategies[best]
    steps, total, largest, recipes = priced[best]
    output_symmetry = None
    if symmetric is not None and len(out) > 1 and symmetric.movable((1 << n) - 1):
        elements = symmetric.output_group(out)
        if 1 < len(elements) <= MAX_GROUP_ORDER:
            output_symmetry = SymmetryGroup._from_elements(elements, len(out))
    return EinsumPlan(
        ",".join(terms) + "->" + out,
        shapes,
        strategy,
        tuple(candidates[best]),
        steps,
        total,
        naive,
        largest,
        recipes,
        output_symmetry,
    )


def plan(
    subscripts: str,
    shapes: Sequence[Sequence[int]],
    optimize: Any = True,
    same_operands: bool | Sequence[int] = False,
    symmetries: Sequence[SymmetryGroup | None] | None = None,
) -> EinsumPlan:
    """The priced plan of ``einsum(subscripts, *operands of these shapes)`` (cached).

    ``same_operands``: True when two operands are one array; or, for any number of
    operands, a sequence giving for each operand the position of the first operand that
    is the same array (``[0, 0, 2]``: the first two are one array).

    ``symmetries``: for each operand, the :class:`~flopscope.SymmetryGroup` (of rank
    ``ndim``) its data is symmetric under, or None. Operands that are one array must
    carry one group.

    Raises ``ValueError`` for bad subscripts, mismatched dimensions, an unknown strategy,
    an invalid explicit path or too many operands for one loop.
    """
    if not isinstance(subscripts, str):
        raise ValueError(f"einsum subscripts must be a string, got {subscripts!r}")
    key = _optimize_key(optimize)
    n = len(shapes)
    twins: tuple[int, ...] | None
    if same_operands is True:
        if n != 2:
            raise ValueError("same_operands=True describes two operands that are one array")
        twins = (0, 0)
    elif same_operands is False or same_operands is None:
        twins = None
    else:
        twins = tuple(int(t) for t in same_operands)
        if len(twins) != n or any(not 0 <= t <= i or twins[t] != t for i, t in enumerate(twins)):
            raise ValueError(
                f"same_operands {same_operands!r}: give, for each of the {n} operands, the "
                "position of the first operand that is the same array"
            )
        if twins == tuple(range(n)):
            twins = None
    sizes = tuple(tuple(int(d) for d in s) for s in shapes)
    groups = None
    if symmetries is not None:
        if len(symmetries) != n:
            raise ValueError(
                f"symmetries: give one entry (a SymmetryGroup or None) per operand ({n})"
            )
        groups = _declared_groups(symmetries, sizes)
        if groups and twins and any(groups[i] != groups[t] for i, t in enumerate(twins)):
            raise ValueError("symmetries: operands that are one array must carry one group")
    return _plan(subscripts, sizes, key, twins, groups)


def _declared_groups(
    symmetries: Sequence[SymmetryGroup | None], shapes: Sequence[Shape]
) -> tuple[SymmetryGroup | None, ...] | None:
    """Each operand's group (None: trivial); None when all are trivial (groups hash once,
    so a plan is found in the cache cheaply).
    ValueError for a group of the wrong rank or one its operand's shape does not fit."""
    groups: list[SymmetryGroup | None] = []
    for i, (group, shape) in enumerate(zip(symmetries, shapes)):
        if group is None or (isinstance(group, SymmetryGroup) and group.is_trivial):
            groups.append(None)
            continue
        if not isinstance(group, SymmetryGroup):
            raise TypeError(f"symmetries[{i}]: expected a SymmetryGroup or None, got {group!r}")
        if group.rank != len(shape):
            raise ValueError(
                f"symmetries[{i}]: a group of rank {group.rank} for an operand of shape {shape}"
            )
        group.validate(shape)
        groups.append(group)
    return tuple(groups) if any(g is not None for g in groups) else None


def _elements(group: SymmetryGroup | None) -> tuple[Perm, ...] | None:
    """A group's elements (None for none): the form the step search reads."""
    return None if group is None else group.elements


def _twins(operands: list[Any]) -> tuple[int, ...] | None:
    """For each operand, the first operand that is the same object; None if all differ."""
    if len(operands) == 2:
        return (0, 0) if operands[0] is operands[1] else None
    ids = [id(o) for o in operands]
    if len(set(ids)) == len(ids):
        return None
    return tuple(ids.index(i) for i in ids)


def _canonical(subscripts: str, operands: list[Any]) -> tuple[str, list[Any]]:
    """The same call with every operand that is a transposed view of an earlier operand's
    memory (``X.T`` beside ``X``) replaced by that operand, its term permuted to match
    (``'ij,jk->ik'`` on ``X.T, X`` is ``'ji,jk->ik'`` on ``X, X``): the same values, and
    the planner then sees one array twice. Ellipses are written out as letters first
    when no operand broadcasts against another along them."""
    if len(operands) > OPTIMAL_LIMIT or len(subscripts.split(",")) != len(operands):
        return subscripts, operands
    # of two views of one buffer, one transposed from the other, at least one has its
    # strides out of strictly decreasing order: if none has, there is nothing to find
    for o in operands:
        if type(o) is _ND and o.ndim > 1:
            st = o.strides
            if st[0] <= st[1] or (
                len(st) > 2 and any(x <= y for x, y in itertools.pairwise(st[1:]))
            ):
                break  # not strictly decreasing: maybe a transposed view
    else:
        return subscripts, operands
    if "..." in subscripts:
        subscripts = _without_ellipsis(subscripts, operands)
        if "..." in subscripts:
            return subscripts, operands
    if "->" in subscripts:
        lhs, out = subscripts.split("->", 1)
        arrow = "->" + out
    else:
        lhs, arrow = subscripts, ""
    terms = lhs.split(",")
    # a transposed view has its strides permuted: only such pairs are looked at closely
    layouts = [
        (o.strides, sorted(o.strides)) if type(o) is _ND and o.ndim > 1 else None for o in operands
    ]
    operands = list(operands)
    changed = False
    for j in range(1, len(operands)):
        lj = layouts[j]
        if lj is None:
            continue
        for i in range(j):
            li = layouts[i]
            if li is None or li[1] != lj[1] or operands[i] is operands[j]:
                continue
            if li[0] == lj[0] and operands[i].shape == operands[j].shape:
                continue  # alike views: not checked (it would tax every call)
            perm = same_memory_permutation(operands[i], operands[j], alike=False)
            if perm is None or len(terms[j].replace(" ", "")) != len(perm):
                continue
            term = terms[j].replace(" ", "")
            permuted = [""] * len(perm)
            for t, axis in enumerate(perm):  # operand j's axis t is operand i's axis perm[t]
                permuted[axis] = term[t]
            terms[j], operands[j] = "".join(permuted), operands[i]
            changed = True
            break
    if not changed:
        return subscripts, operands
    return ",".join(terms) + arrow, operands


def _without_ellipsis(subscripts: str, operands: list[Any]) -> str:
    """``subscripts`` with its ellipses written out as letters (and the output made
    explicit), or unchanged when an operand broadcasts along them (a letter must have
    one size everywhere in NumPy's einsum)."""
    shapes = [shape_of(o) for o in operands]
    try:
        terms, out, dims = parse_einsum(subscripts, shapes)
    except ValueError:
        return subscripts  # the planner names the problem
    for term, shape in zip(terms, shapes):
        if any(dims[c] != d for c, d in zip(term, shape)):
            return subscripts
    return ",".join(terms) + "->" + out


def planned_call(args: tuple, optimize: Any) -> tuple[EinsumPlan, list[Any]]:
    """(plan, operands to run it on) of an einsum call's plain positional arguments
    (either calling form); the operands are the canonical ones (see :func:`_canonical`)."""
    if len(args) == 3 and optimize is True and type(args[0]) is str:
        a, b = args[1], args[2]  # two arrays by default: the repeated call, kept short
        if type(a) is _ND and type(b) is _ND:
            if a is b:
                return _plan(args[0], (a.shape, b.shape), "optimal", (0, 0)), [a, b]
            # not one buffer transposed (strides that are no permutation of each other),
            # or two views alike (checking those would tax every call): plan directly
            sa, sb = a.strides, b.strides
            if a.ndim != b.ndim or (sa == sb and a.shape == b.shape) or sorted(sa) != sorted(sb):
                return _plan(args[0], (a.shape, b.shape), "optimal", None), [a, b]
    subscripts, operands = einsum_operands(args)
    if not isinstance(subscripts, str):
        raise ValueError(f"einsum subscripts must be a string, got {subscripts!r}")
    subscripts, operands = _canonical(subscripts, operands)
    # array shapes are tuples of Python ints already: straight to the cache
    plan = _plan(
        subscripts,
        tuple(shape_of(o) for o in operands),
        _optimize_key(optimize),
        _twins(operands),
    )
    return plan, operands


def plan_call(args: tuple, optimize: Any) -> EinsumPlan:
    """The plan of an einsum call's plain positional arguments (either calling form)."""
    return planned_call(args, optimize)[0]


# ---------------------------------------------------------------------- execution
#: NumPy's single-loop einsum (what ``numpy.einsum(..., optimize=False)`` runs, after
#: its argument checks, which the dispatch has already made)
def _numpy_fused_einsum() -> Callable[..., Any]:
    c_einsum = getattr(getattr(getattr(np, "_core", None), "einsumfunc", None), "c_einsum", None)
    return c_einsum if c_einsum is not None else functools.partial(np.einsum, optimize=False)


_fused_einsum = _numpy_fused_einsum()
_matmul = np.matmul
_ND = np.ndarray
_BLAS_TYPES = frozenset("fdFD")  # float32, float64, complex64, complex128


def _run_step(subscripts: str, recipe: _MatmulRecipe | None, xs: list[Any]) -> Any:
    """One step: a matrix product where the recipe and the operands allow, else NumPy's
    einsum loop on the step's subscripts."""
    if recipe is not None:
        a, b = xs
        if type(a) is _ND and type(b) is _ND and a.dtype == b.dtype and a.dtype.char in _BLAS_TYPES:
            if recipe.perm_a is not None:
                a = a.transpose(recipe.perm_a)
            if recipe.perm_b is not None:
                b = b.transpose(recipe.perm_b)
            r = _matmul(a.reshape(recipe.shape_a), b.reshape(recipe.shape_b))
            if recipe.shape_out is not None:
                r = r.reshape(recipe.shape_out)
            if recipe.perm_out is not None:
                r = r.transpose(recipe.perm_out)
            return r
    return _fused_einsum(subscripts, *xs)


def run_plan(p: EinsumPlan, operands: list[Any]) -> Any:
    """Contract ``operands`` along the plan's path, each step as :func:`_run_step`."""
    ops = list(operands)
    for step, recipe in zip(p.steps, p.recipes):
        positions = step.positions
        xs = [ops[i] for i in positions]
        for i in sorted(positions, reverse=True):
            del ops[i]
        ops.append(_run_step(step.subscripts, recipe, xs))
    return ops[0]


def einsum_backend(*operands: Any, optimize: Any = _DEFAULT, **kwargs: Any) -> Any:
    """numpy.einsum on the plan's path (the path that was priced).

    By default (``optimize`` not given) flopscope runs the planned path itself, step by
    step (:func:`run_plan`): one or two operands are one step, NumPy's single loop unless
    it is a matrix product of at least :data:`BLAS_MIN_COST` multiply-adds on float or
    complex operands, which runs as ``matmul`` (BLAS). With ``out``, ``dtype``, ``order``
    or ``casting``, or an ``optimize`` the caller gives, NumPy's einsum runs the priced
    path as it would (its single loop for one or two operands by default), so results
    are bitwise those of ``numpy.einsum`` on that path.
    """
    if optimize is False or optimize is None:
        return _fused_einsum(*operands, **kwargs)
    if optimize is _DEFAULT and len(operands) <= 3 and type(operands[0]) is str:
        if len(operands) == 3 and not kwargs:  # two operands: a matrix product?
            a, b = operands[1], operands[2]
            if type(a) is _ND and type(b) is _ND and a.size * b.size >= BLAS_MIN_COST:
                p, pair = planned_call(operands, True)
                return _symmetric_result(p, _run_step(p.steps[0].subscripts, p.recipes[0], pair))
            if a is b:  # one array twice: its result may be symmetric
                return _symmetric_result(planned_call(operands, True)[0], _fused_einsum(*operands))
        return _fused_einsum(*operands, **kwargs)
    if optimize is not _DEFAULT:  # NumPy runs the priced path as it would run it
        p = plan_call(operands, optimize)
        if len(p.shapes) == 1:
            return np.einsum(*operands, optimize=False, **kwargs)
        return np.einsum(*operands, optimize=p.numpy_path, **kwargs)
    if kwargs:
        if len(operands) <= 3:  # the interleaved form of one or two operands: one loop
            return np.einsum(*operands, optimize=False, **kwargs)
        return np.einsum(*operands, optimize=plan_call(operands, True).numpy_path, **kwargs)
    p, canonical = planned_call(operands, True)
    return _symmetric_result(p, run_plan(p, canonical))


def _symmetric_result(p: EinsumPlan, result: Any) -> Any:
    """The result of plan ``p``: a computed SymmetricTensor when the plan says it is
    symmetric (one array contracted with itself: ``'ij,ik->jk'`` on ``X, X``)."""
    if p.symmetry is None or not isinstance(result, _ND) or result.ndim < 2:
        return result
    from . import _dispatch  # the symmetric tensor module registers itself there

    return _dispatch._SYMMETRY.computed(result, p.symmetry)


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
