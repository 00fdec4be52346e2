"""A brute-force reference for the symmetry-aware cost of an einsum path.

Everything here enumerates: index assignments, permutations of index labels, and the
monomials of products of operand entries. It reads the symmetry of an operand only from
the ``elements`` of the group given for it, and shares nothing else with the planner.

The model
---------
Operands that are one array form a *class*; a class has one group ``G`` acting on its
axes (``g[i]`` is the axis that axis ``i`` is sent to). Entry ``t`` of a class equals entry
``(t[g[0]], ..., t[g[r-1]])`` for every ``g`` in ``G``, so an entry is named canonically by
``(class, min over g in G of that tuple)``.

A path step contracts some current operands. A current operand is an original operand or
an intermediate: the contraction of a set of original operands onto its kept indices, its
value the sum over the indices internal to it of the product of their entries. The step's
involved indices ``V`` are the union of its inputs' indices; its result ``R`` is the part
of ``V`` that the output or a remaining operand needs (the output when nothing remains).
Its product at an assignment ``alpha`` of ``V`` is

    P(alpha) = prod over inputs x of value_x(alpha),

a sum, over the indices internal to its inputs, of the *summand*: the product of the
original operands' entries, a monomial written canonically as the sorted tuple of its
canonical entries. A permutation ``pi`` of all the labels of the step's operands (the
internal ones too) is a symmetry of the step when it keeps every label's size, maps
``R`` onto ``R`` and the rest of ``V`` onto itself, and leaves the summand unchanged as
a formal product (its multiset of canonical entries, named by labels): then ``P(alpha o pi) == P(alpha)``, the internal sum
being relabelled. Restricted to ``V`` these form a group ``H``. The relabellings that
map ``R`` onto itself but may move ``V``'s summed labels onto internal ones, restricted
to ``R``, form the step result's group ``H_R``. A step is computed either as its distinct
products or as its distinct output entries, each summed in full, whichever is cheaper:

    step cost = min(orbits of H on the assignments of V,
                    orbits of H_R on the assignments of R * prod(dims of V - R)),

which is ``prod(dims of V)`` when both groups are trivial. The output symmetry is the set of
permutations of the output's axes that such a relabelling of all the einsum's labels
(output onto output) induces: ``result.transpose(p) == result`` for every data.

Symmetries that the data has beyond the declared groups and the repeated operands (a
cyclic group on three axes of length 2 is all of S3; ``tr(X X X)`` summed over indices
of length 2 is unchanged by reversing the cycle) are not part of the model; :func:`product_polynomials` and
:func:`distinct_products` see them, and the tests keep such cases apart.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Perm = tuple[int, ...]
Entry = tuple[int, tuple[int, ...]]  # (class, canonical index tuple)
Monomial = tuple[Entry, ...]
Polynomial = tuple[Monomial, ...]


@dataclass(frozen=True)
class Einsum:
    """An einsum with explicit output, the sizes of its indices, and the symmetry of its
    operands: ``classes[i]`` is the first operand that is the same array as operand ``i``
    and ``elements[c]`` the permutations of the axes that class ``c`` is symmetric under."""

    terms: tuple[str, ...]
    output: str
    dims: dict[str, int]
    classes: tuple[int, ...]
    elements: dict[int, tuple[Perm, ...]]


@dataclass(frozen=True)
class PathCosts:
    """What the oracle finds for one path: per step, its cost, its involved indices and its
    result indices (as sets of labels), and the output symmetry of the whole einsum."""

    step_costs: tuple[int, ...]
    step_involved: tuple[frozenset[str], ...]
    step_results: tuple[frozenset[str], ...]
    output_symmetry: frozenset[Perm]

    @property
    def total(self) -> int:
        return sum(self.step_costs)


def _identity(rank: int) -> Perm:
    return tuple(range(rank))


def describe(
    subscripts: str,
    shapes: Sequence[Sequence[int]],
    same_operands: Sequence[int] | None = None,
    symmetries: Sequence[Any] | None = None,
) -> Einsum:
    """Parse explicit-output ``subscripts`` (no ellipsis) with the operands' shapes.

    ``same_operands[i]``: the first operand that is the same array as operand ``i``
    (None: all distinct). ``symmetries[i]``: None or an object with ``elements``, the
    permutations of operand ``i``'s axes; operands of one class must agree on it.
    """
    if "->" not in subscripts or "." in subscripts:
        raise ValueError(f"the oracle takes explicit outputs without ellipsis: {subscripts!r}")
    inputs, output = subscripts.replace(" ", "").split("->")
    terms = tuple(inputs.split(","))
    if len(terms) != len(shapes):
        raise ValueError(f"{len(terms)} terms for {len(shapes)} shapes")
    dims: dict[str, int] = {}
    for term, shape in zip(terms, shapes):
        if len(term) != len(shape):
            raise ValueError(f"term {term!r} has rank {len(term)}, shape {tuple(shape)!r}")
        for label, size in zip(term, shape):
            if dims.setdefault(label, int(size)) != int(size):
                raise ValueError(f"index {label!r} has sizes {dims[label]} and {size}")
    if len(set(output)) != len(output) or any(label not in dims for label in output):
        raise ValueError(f"bad output {output!r}")
    n = len(terms)
    classes = tuple(range(n)) if same_operands is None else tuple(int(c) for c in same_operands)
    elements: dict[int, tuple[Perm, ...]] = {}
    for i, cls in enumerate(classes):
        if classes[cls] != cls or tuple(shapes[cls]) != tuple(shapes[i]):
            raise ValueError(f"operand {i} cannot be the same array as operand {cls}")
        group = None if symmetries is None else symmetries[i]
        found = (
            (_identity(len(terms[i])),)
            if group is None
            else tuple(tuple(g) for g in group.elements)
        )
        if elements.setdefault(cls, found) != found:
            raise ValueError(f"operands {cls} and {i} are one array with different groups")
    return Einsum(terms, output, dims, classes, elements)


def _entry(einsum: Einsum, operand: int, index: tuple[int, ...]) -> Entry:
    """The canonical name of ``operand``'s entry at ``index``: the least index tuple of its
    orbit under the class's group."""
    cls = einsum.classes[operand]
    best = min(tuple(index[g[i]] for i in range(len(index))) for g in einsum.elements[cls])
    return (cls, best)


def _assignments(labels: Sequence[str], dims: dict[str, int]):
    return itertools.product(*(range(dims[label]) for label in labels))


def product_polynomials(
    einsum: Einsum, operands: Sequence[int], kept: Sequence[str]
) -> dict[tuple[int, ...], Polynomial]:
    """For every assignment of the labels ``kept``: the canonical polynomial that is the
    sum, over the other labels of ``operands``' terms, of the product of their entries."""
    labels = dict.fromkeys("".join(einsum.terms[o] for o in operands))
    summed = [label for label in labels if label not in kept]
    polynomials = {}
    for kept_values in _assignments(kept, einsum.dims):
        monomials = []
        for summed_values in _assignments(summed, einsum.dims):
            value = dict(zip(kept, kept_values)) | dict(zip(summed, summed_values))
            monomials.append(
                tuple(
                    sorted(
                        _entry(einsum, o, tuple(value[label] for label in einsum.terms[o]))
                        for o in operands
                    )
                )
            )
        polynomials[kept_values] = tuple(sorted(monomials))
    return polynomials


def _orbit_count(size: int, perms: Sequence[Perm], points: Sequence[tuple[int, ...]]) -> int:
    """Orbits of the permutations of positions ``perms`` on the tuples ``points`` (all of
    them, closed under the permutations), by union-find."""
    index = {point: k for k, point in enumerate(points)}
    parent = list(range(len(points)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for perm in perms:
        for k, point in enumerate(points):
            image = index[tuple(point[perm[p]] for p in range(size))]
            a, b = root(k), root(image)
            if a != b:
                parent[a] = b
    return sum(1 for k in range(len(points)) if root(k) == k)


def summand_symmetries(
    einsum: Einsum, operands: Sequence[int], involved: str, result: str
) -> list[dict[str, str]]:
    """Every relabelling of the labels of ``operands``' terms (sizes kept; ``result``
    onto itself, the rest of ``involved`` onto itself, the other labels onto
    themselves) that leaves the summand unchanged as a formal product: the multiset of
    its canonical entries, named by their labels, is the same after relabelling. (Checked
    on labels, not on values: values of short axes can agree by accident.)"""
    labels = "".join(dict.fromkeys("".join(einsum.terms[o] for o in operands)))

    def summand(pi: dict[str, str]) -> tuple:
        return tuple(
            sorted(_entry(einsum, o, tuple(pi[c] for c in einsum.terms[o])) for o in operands)
        )

    identity = summand({c: c for c in labels})
    kind = {c: (c in result, c in involved, einsum.dims[c]) for c in labels}
    found = []
    for images in itertools.permutations(labels):
        pi = dict(zip(labels, images))
        if all(kind[c] == kind[pi[c]] for c in labels) and summand(pi) == identity:
            found.append(pi)
    return found


def step_symmetry(
    einsum: Einsum, operands: Sequence[int], involved: str, result: str
) -> tuple[list[Perm], dict[tuple[int, ...], Polynomial]]:
    """The group ``H`` of a step (as permutations of the positions of ``involved``:
    ``(alpha o pi)[p] = alpha[pi[p]]``) and the step's products by assignment."""
    polynomials = product_polynomials(einsum, operands, involved)
    where = {c: k for k, c in enumerate(involved)}
    group = sorted(
        {
            tuple(where[pi[c]] for c in involved)
            for pi in summand_symmetries(einsum, operands, involved, result)
        }
    )
    return group, polynomials


def step_cost(einsum: Einsum, operands: Sequence[int], involved: str, result: str) -> int:
    """The cheaper of the orbits of the step's symmetry group on the assignments of its
    involved indices, and the orbits of its result's group on the assignments of the
    result times the summed extent (see the module's model)."""
    group, polynomials = step_symmetry(einsum, operands, involved, result)
    products = _orbit_count(len(involved), group, list(polynomials))
    summed = math.prod(einsum.dims[c] for c in involved if c not in result)
    where = {c: k for k, c in enumerate(result)}
    result_group = sorted(
        {
            tuple(where[pi[c]] for c in result)
            for pi in summand_symmetries(einsum, operands, result, result)
        }
    )
    points = list(_assignments(result, einsum.dims))
    outputs = _orbit_count(len(result), result_group, points) if result else 1
    return min(products, outputs * summed)


def distinct_products(einsum: Einsum, operands: Sequence[int], involved: str) -> int:
    """How many different polynomials the step's products are: at most the step cost,
    and fewer where products coincide without a label permutation relating them."""
    return len(set(product_polynomials(einsum, operands, involved).values()))


def output_symmetry(einsum: Einsum) -> frozenset[Perm]:
    """Permutations ``p`` of the output's axes induced by the relabellings of all the
    einsum's labels that keep the summand (:func:`summand_symmetries`): ``p[a] = b``
    when axis ``a``'s label goes to axis ``b``'s."""
    everything = range(len(einsum.terms))
    where = {c: k for k, c in enumerate(einsum.output)}
    return frozenset(
        tuple(where[pi[c]] for c in einsum.output)
        for pi in summand_symmetries(einsum, everything, einsum.output, einsum.output)
    )


def path_costs(einsum: Einsum, path: Sequence[Sequence[int]]) -> PathCosts:
    """Walk ``path`` (NumPy's convention: each step removes the listed positions from the
    current operand list and appends its result) and price every step."""
    # each current operand: (its index string, the original operands it contracts)
    current: list[tuple[str, tuple[int, ...]]] = [
        (term, (k,)) for k, term in enumerate(einsum.terms)
    ]
    costs, involved_sets, result_sets = [], [], []
    for positions in path:
        if len(set(positions)) != len(positions) or not all(
            0 <= p < len(current) for p in positions
        ):
            raise ValueError(f"bad step {positions} for {len(current)} operands")
        inputs = [current[p] for p in positions]
        current = [x for k, x in enumerate(current) if k not in positions]
        involved = "".join(dict.fromkeys("".join(term for term, _ in inputs)))
        if current:
            needed = set(einsum.output).union(*(term for term, _ in current))
            result = "".join(label for label in involved if label in needed)
        else:
            result = einsum.output
        originals = tuple(sorted(o for _, members in inputs for o in members))
        costs.append(step_cost(einsum, originals, involved, result))
        involved_sets.append(frozenset(involved))
        result_sets.append(frozenset(result))
        current.append((result, originals))
    if len(current) != 1:
        raise ValueError(f"the path leaves {len(current)} operands")
    return PathCosts(
        tuple(costs), tuple(involved_sets), tuple(result_sets), output_symmetry(einsum)
    )


def pairwise_paths(n: int) -> list[list[tuple[int, int]]]:
    """Every path of ``n - 1`` two-operand steps (``[(0,)]`` for one operand)."""
    if n == 1:
        return [[(0,)]]
    paths = []
    for first in itertools.combinations(range(n), 2):
        for rest in pairwise_paths(n - 1) if n > 2 else [[]]:
            paths.append([first, *rest])
    return paths


def dense_cost(einsum: Einsum, path: Sequence[Sequence[int]]) -> list[int]:
    """Per step, ``prod(dims of V)``: the loop nest with no symmetry used."""
    costs = []
    current = list(einsum.terms)
    for positions in path:
        involved = set("".join(current[p] for p in positions))
        current = [t for k, t in enumerate(current) if k not in positions]
        needed = set(einsum.output).union(*current) if current else set(einsum.output)
        current.append("".join(sorted(involved & needed)))
        costs.append(math.prod(einsum.dims[label] for label in involved))
    return costs
