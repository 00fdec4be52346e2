"""Permutation groups acting on the axes of a tensor: the symmetry a tensor is declared
(or found) to have, and the exact counts that symmetry buys.

Convention
----------
A group element is a tuple ``p`` of length ``rank``, a permutation of ``range(rank)``:
``p[i]`` is the axis that axis ``i`` is sent to. It acts on an index tuple by carrying the
index of axis ``i`` to axis ``p[i]``::

    (p . idx)[p[i]] == idx[i]

so that ``x.transpose(p)[idx] == x[p . idx]`` for a NumPy array ``x``. A tensor ``x`` is
*symmetric* under ``p`` when ``x[p . idx] == x[idx]`` for every index, that is when
``x.transpose(p)`` equals ``x``; it is symmetric under a group when it is symmetric under
every element (equivalently, under every generator). Elements compose as functions:
applying ``p`` and then ``q`` is the element ``i -> q[p[i]]``.

Two entries of a symmetric tensor related by an element are equal, so only one entry per
*orbit* of index tuples is distinct; :meth:`SymmetryGroup.orbit_count` counts them. An
``n x n`` matrix symmetric in both axes has ``n * (n + 1) / 2`` of them.

Everything here is pure Python on tuples of ints; the only NumPy use is the data check
:meth:`SymmetryGroup.is_symmetric`.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

__all__ = ["MAX_GROUP_ORDER", "SymmetryGroup"]

#: The largest group order accepted: the order of the symmetric group on 8 axes. The
#: elements are enumerated and kept, and the counts visit them, so a larger group (a tensor
#: symmetric in 9 or more axes at once) is refused with a ValueError naming this limit.
MAX_GROUP_ORDER = math.factorial(8)

#: Default tolerances of :meth:`SymmetryGroup.is_symmetric`, those of ``numpy.allclose``.
DEFAULT_RTOL = 1e-05
DEFAULT_ATOL = 1e-08

Perm = tuple[int, ...]


# ---------------------------------------------------------------- tuple arithmetic


def _identity(rank: int) -> Perm:
    return tuple(range(rank))


def _compose(first: Perm, then: Perm) -> Perm:
    """Apply ``first``, then ``then``: the element ``i -> then[first[i]]``."""
    return tuple(then[image] for image in first)


def _inverse(perm: Perm) -> Perm:
    inverse = [0] * len(perm)
    for axis, image in enumerate(perm):
        inverse[image] = axis
    return tuple(inverse)


def _cycles(perm: Perm) -> list[tuple[int, ...]]:
    """The cycles of ``perm`` (fixed axes included, as cycles of length one), each
    starting at its smallest axis, in order of that axis."""
    seen = [False] * len(perm)
    cycles = []
    for start in range(len(perm)):
        if seen[start]:
            continue
        cycle = []
        axis = start
        while not seen[axis]:
            seen[axis] = True
            cycle.append(axis)
            axis = perm[axis]
        cycles.append(tuple(cycle))
    return cycles


def _cycle_notation(perm: Perm) -> str:
    moved = [cycle for cycle in _cycles(perm) if len(cycle) > 1]
    if not moved:
        return "()"
    return "".join("(" + " ".join(map(str, cycle)) + ")" for cycle in moved)


def _permutation_from_cycles(cycles: Iterable[Sequence[int]], rank: int) -> Perm:
    image = list(range(rank))
    for cycle in cycles:
        for position, axis in enumerate(cycle):
            image[axis] = cycle[(position + 1) % len(cycle)]
    return tuple(image)


def _closure(generators: Sequence[Perm], rank: int, start: Iterable[Perm] = ()) -> set[Perm]:
    """Every product of ``generators`` (and of the elements of ``start``, itself a group):
    a breadth-first search from the identity. Refuses, as soon as it is exceeded, an order
    above :data:`MAX_GROUP_ORDER`."""
    elements = set(start) or {_identity(rank)}
    frontier = list(elements)
    while frontier:
        next_frontier = []
        for element in frontier:
            for generator in generators:
                product = _compose(element, generator)
                if product not in elements:
                    elements.add(product)
                    next_frontier.append(product)
                    if len(elements) > MAX_GROUP_ORDER:
                        raise ValueError(
                            f"symmetry group on {rank} axes has order above "
                            f"MAX_GROUP_ORDER = {MAX_GROUP_ORDER:,} (the order of the "
                            "symmetric group on 8 axes); flopscope refuses groups this large"
                        )
        frontier = next_frontier
    return elements


def _generating_set(elements: Iterable[Perm], rank: int) -> tuple[Perm, ...]:
    """A small generating set of a group given by all its elements: scan them in order and
    keep each one the kept ones do not yet generate (at most log2(order) of them)."""
    identity = _identity(rank)
    generators: list[Perm] = []
    generated = {identity}
    for element in sorted(elements):
        if element not in generated:
            generators.append(element)
            generated = _closure(generators, rank, start=generated)
    return tuple(generators)


# ---------------------------------------------------------------- argument checks


def _check_rank(rank: Any) -> int:
    if isinstance(rank, bool):
        raise TypeError("rank must be an int, not bool")
    rank = operator.index(rank)
    if rank < 0:
        raise ValueError(f"rank must be >= 0, got {rank}")
    return rank


def _normalize_axis(axis: Any, rank: int) -> int:
    """One axis in ``[-rank, rank)`` (negative counts from the end, as in NumPy)."""
    if isinstance(axis, bool):
        raise TypeError(f"an axis must be an int, not bool ({axis!r})")
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"an axis must be an int, got {axis!r}") from None
    if not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of range for a tensor of rank {rank}")
    return axis % rank


def _normalize_axes(axes: Any, rank: int, what: str = "axes") -> tuple[int, ...]:
    if isinstance(axes, (str, bytes)) or not isinstance(axes, Iterable):
        raise TypeError(f"{what} must be a sequence of ints, got {axes!r}")
    normalized = tuple(_normalize_axis(axis, rank) for axis in axes)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"{what} {tuple(axes)!r} name an axis more than once")
    return normalized


def _check_permutation(generator: Any, rank: int) -> Perm:
    if isinstance(generator, (str, bytes)) or not isinstance(generator, Iterable):
        raise TypeError(f"a generator must be a sequence of ints, got {generator!r}")
    perm = tuple(generator)
    for image in perm:
        if isinstance(image, bool):
            raise TypeError(f"a generator must hold ints, got {generator!r}")
    try:
        perm = tuple(operator.index(image) for image in perm)
    except TypeError:
        raise TypeError(f"a generator must hold ints, got {generator!r}") from None
    if sorted(perm) != list(range(rank)):
        raise ValueError(
            f"generator {perm!r} is not a permutation of the {rank} axes 0..{rank - 1}: "
            f"element p has p[i] = the axis that axis i is sent to"
        )
    return perm


def _check_shape(shape: Any, rank: int) -> tuple[int, ...]:
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Iterable):
        shape = (shape,)
    sizes = []
    for size in shape:
        if isinstance(size, bool):
            raise TypeError(f"a size must be an int, got {shape!r}")
        size = operator.index(size)
        if size < 0:
            raise ValueError(f"negative size in shape {tuple(shape)!r}")
        sizes.append(size)
    if len(sizes) != rank:
        raise ValueError(
            f"shape {tuple(sizes)!r} has {len(sizes)} axes; the symmetry group acts on {rank}"
        )
    return tuple(sizes)


def _is_int_like(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        operator.index(value)
    except TypeError:
        return False
    return True


# ---------------------------------------------------------------- the group


def _rebuild_group(rank: int, generators: tuple[Perm, ...], elements: tuple[Perm, ...]):
    return SymmetryGroup._from_elements(elements, rank, generators)


class SymmetryGroup:
    """A permutation group acting on the axes of a tensor of rank ``rank``.

    ``SymmetryGroup(generators, rank)`` is the group the ``generators`` generate; each is a
    permutation ``p`` of ``range(rank)`` with ``p[i]`` the axis that axis ``i`` is sent to
    (see the module's docstring for the action on indices: a tensor ``x`` is symmetric under
    ``p`` when ``x.transpose(p)`` equals ``x``). The closure is computed once, when the
    group is made; a group of order above :data:`MAX_GROUP_ORDER` (8! = 40,320) raises
    ValueError. Named constructors: :meth:`symmetric`, :meth:`cyclic`, :meth:`dihedral`,
    :meth:`block`, :meth:`direct_product`, :meth:`trivial` and :meth:`from_spec`.

    Groups are immutable and hashable; two are equal when they have the same rank and the
    same elements, whatever generators made them.
    """

    __slots__ = ("_burnside_terms", "_element_set", "_elements", "_generators", "_hash", "_rank")

    _rank: int
    _generators: tuple[Perm, ...]
    _element_set: frozenset[Perm]
    _elements: tuple[Perm, ...]
    _burnside_terms: tuple[tuple[tuple[int, ...], int], ...]
    _hash: int

    def __init__(self, generators: Iterable[Sequence[int]], rank: int) -> None:
        rank = _check_rank(rank)
        if isinstance(generators, (str, bytes)) or not isinstance(generators, Iterable):
            raise TypeError(f"generators must be a sequence of permutations, got {generators!r}")
        identity = _identity(rank)
        checked: list[Perm] = []
        for generator in generators:
            perm = _check_permutation(generator, rank)
            if perm != identity and perm not in checked:
                checked.append(perm)
        self._set(rank, tuple(checked), frozenset(_closure(checked, rank)))

    def _set(self, rank: int, generators: tuple[Perm, ...], elements: frozenset[Perm]) -> None:
        object.__setattr__(self, "_rank", rank)
        object.__setattr__(self, "_generators", generators)
        object.__setattr__(self, "_element_set", elements)
        object.__setattr__(self, "_elements", tuple(sorted(elements)))
        object.__setattr__(self, "_hash", hash((rank, elements)))
        # Burnside's sum depends on an element only through which axes its cycles join:
        # group the elements by that (each cycle named by its smallest axis) once
        terms = Counter(tuple(cycle[0] for cycle in _cycles(element)) for element in elements)
        object.__setattr__(self, "_burnside_terms", tuple(sorted(terms.items())))

    @classmethod
    def _from_elements(
        cls,
        elements: Iterable[Perm],
        rank: int,
        generators: Sequence[Perm] | None = None,
    ) -> SymmetryGroup:
        """A group from the full set of its elements (already closed); generators found
        when not given."""
        element_set = frozenset(elements)
        if generators is None:
            generators = _generating_set(element_set, rank)
        group = cls.__new__(cls)
        group._set(rank, tuple(generators), element_set)
        return group

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("SymmetryGroup is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("SymmetryGroup is immutable")

    def __reduce__(self):
        return (_rebuild_group, (self._rank, self._generators, self.elements))

    def __copy__(self) -> SymmetryGroup:
        return self

    def __deepcopy__(self, memo: dict) -> SymmetryGroup:
        return self

    # ------------------------------------------------------------ constructors

    @classmethod
    def trivial(cls, rank: int) -> SymmetryGroup:
        """The group of the identity alone: no symmetry."""
        return cls((), rank)

    @classmethod
    def symmetric(cls, axes: Sequence[int], rank: int) -> SymmetryGroup:
        """Every permutation of ``axes`` (the other axes fixed): order ``len(axes)!``.
        Generated by the swap of the first two axes and the cycle through all of them."""
        rank = _check_rank(rank)
        axes = _normalize_axes(axes, rank)
        generators = []
        if len(axes) >= 2:
            generators.append(_permutation_from_cycles([axes[:2]], rank))
        if len(axes) >= 3:
            generators.append(_permutation_from_cycles([axes], rank))
        return cls(generators, rank)

    @classmethod
    def cyclic(cls, axes: Sequence[int], rank: int) -> SymmetryGroup:
        """The rotations of ``axes``: ``axes[k]`` goes to ``axes[k + 1]`` and the last to
        the first. Order ``len(axes)``."""
        rank = _check_rank(rank)
        axes = _normalize_axes(axes, rank)
        return cls([_permutation_from_cycles([axes], rank)], rank)

    @classmethod
    def dihedral(cls, axes: Sequence[int], rank: int) -> SymmetryGroup:
        """The symmetries of a polygon whose vertices are ``axes`` in order: the rotations
        of :meth:`cyclic` and the reflections. Order ``2 * len(axes)`` for three axes or
        more; on two axes it is the swap (order 2), on one or none the trivial group."""
        rank = _check_rank(rank)
        axes = _normalize_axes(axes, rank)
        rotation = _permutation_from_cycles([axes], rank)
        # the reflection fixing axes[0]: axes[k] <-> axes[-k]
        reflection = _permutation_from_cycles(
            [(axes[k], axes[len(axes) - k]) for k in range(1, (len(axes) + 1) // 2)], rank
        )
        return cls([rotation, reflection], rank)

    @classmethod
    def block(cls, blocks: Sequence[Sequence[int]], rank: int) -> SymmetryGroup:
        """Blocks of axes of equal length swapped together: every permutation of the
        blocks, moving block ``a``'s ``k``-th axis to block ``b``'s ``k``-th axis. For
        ``((0, 1), (2, 3))`` the one non-identity element exchanges 0 with 2 and 1 with 3
        at once (``x[i, j, k, l] == x[k, l, i, j]``). Order ``len(blocks)!``."""
        rank = _check_rank(rank)
        if isinstance(blocks, (str, bytes)) or not isinstance(blocks, Iterable):
            raise TypeError(f"blocks must be a sequence of sequences of axes, got {blocks!r}")
        normalized = [_normalize_axes(block, rank, what="block") for block in blocks]
        lengths = {len(block) for block in normalized}
        if len(lengths) > 1:
            raise ValueError(f"blocks {tuple(map(tuple, blocks))!r} differ in length")
        every_axis = [axis for block in normalized for axis in block]
        if len(set(every_axis)) != len(every_axis):
            raise ValueError(f"blocks {tuple(map(tuple, blocks))!r} share an axis")
        generators = []
        if len(normalized) >= 2:
            first, second = normalized[0], normalized[1]
            generators.append(_permutation_from_cycles(zip(first, second), rank))
        if len(normalized) >= 3:
            cycles = [tuple(block[k] for block in normalized) for k in range(len(normalized[0]))]
            generators.append(_permutation_from_cycles(cycles, rank))
        return cls(generators, rank)

    @classmethod
    def direct_product(cls, *groups: SymmetryGroup) -> SymmetryGroup:
        """The group of independent symmetries on disjoint axes: every product of one
        element from each group. The groups must have the same rank and move disjoint sets
        of axes. Order: the product of the orders."""
        if not groups:
            raise ValueError("direct_product needs at least one group (it cannot infer the rank)")
        for group in groups:
            if not isinstance(group, SymmetryGroup):
                raise TypeError(f"direct_product takes SymmetryGroups, got {group!r}")
        rank = groups[0].rank
        if any(group.rank != rank for group in groups):
            raise ValueError(
                "direct_product of groups of different ranks: "
                + ", ".join(str(group.rank) for group in groups)
            )
        moved: set[int] = set()
        order = 1
        for group in groups:
            if moved & set(group.symmetric_axes):
                raise ValueError(
                    f"direct_product of groups that move a common axis "
                    f"{sorted(moved & set(group.symmetric_axes))}: they must act on disjoint axes"
                )
            moved |= set(group.symmetric_axes)
            order *= group.order
        if order > MAX_GROUP_ORDER:
            raise ValueError(
                f"direct_product has order {order:,}, above MAX_GROUP_ORDER = "
                f"{MAX_GROUP_ORDER:,}; flopscope refuses groups this large"
            )
        return cls([generator for group in groups for generator in group.generators], rank)

    @classmethod
    def from_spec(cls, spec: Any, rank: int) -> SymmetryGroup:
        """The group a ``symmetry=`` argument names, on a tensor of rank ``rank``:

        * a :class:`SymmetryGroup` (of that rank) is returned as it is;
        * a sequence of axes, ``(0, 1)``: every permutation of those axes
          (:meth:`symmetric`);
        * a sequence of items, ``[(0, 1), (2, 3)]``: the direct product of one group per
          item, the items on disjoint axes; an item is a sequence of axes (all their
          permutations), a sequence of blocks, ``((0, 1), (2, 3))`` (:meth:`block`: the
          blocks swapped together), or a SymmetryGroup;
        * an empty sequence: the trivial group.

        Axes may be negative, counted from the end as in NumPy.
        """
        rank = _check_rank(rank)
        if isinstance(spec, SymmetryGroup):
            if spec.rank != rank:
                raise ValueError(f"symmetry group acts on {spec.rank} axes; the tensor has {rank}")
            return spec
        if isinstance(spec, (str, bytes)) or not isinstance(spec, Iterable):
            raise TypeError(
                "symmetry must be a SymmetryGroup, a sequence of axes or a sequence of "
                f"groups of axes, got {spec!r}"
            )
        items = list(spec)
        if not items:
            return cls.trivial(rank)
        if all(_is_int_like(item) for item in items):
            return cls.symmetric(items, rank)
        groups = []
        declared: set[int] = set()
        for item in items:
            if isinstance(item, SymmetryGroup):
                group = cls.from_spec(item, rank)
                axes = set(group.symmetric_axes)
            elif isinstance(item, (str, bytes)) or not isinstance(item, Iterable):
                raise TypeError(
                    "each group in symmetry must be a sequence of axes, a sequence of "
                    f"blocks or a SymmetryGroup, got {item!r}"
                )
            else:
                parts = list(item)
                if all(_is_int_like(part) for part in parts):
                    group = cls.symmetric(parts, rank)
                    axes = set(_normalize_axes(parts, rank))
                else:
                    group = cls.block(parts, rank)
                    axes = {axis for block in parts for axis in _normalize_axes(block, rank)}
            if declared & axes:
                raise ValueError(
                    f"symmetry {spec!r} names axes {sorted(declared & axes)} in more than one "
                    "group; groups must be on disjoint axes (build a SymmetryGroup from "
                    "generators for anything else)"
                )
            declared |= axes
            groups.append(group)
        return cls.direct_product(*groups)

    # ------------------------------------------------------------ properties

    @property
    def rank(self) -> int:
        """The number of axes the group acts on."""
        return self._rank

    @property
    def generators(self) -> tuple[Perm, ...]:
        """The generators (identity and repeats dropped); for derived groups, a small
        generating set."""
        return self._generators

    @property
    def elements(self) -> tuple[Perm, ...]:
        """Every element, sorted (the identity first)."""
        return self._elements

    @property
    def order(self) -> int:
        """The number of elements."""
        return len(self._elements)

    @property
    def is_trivial(self) -> bool:
        """Whether the identity is the only element."""
        return len(self._elements) == 1

    @property
    def symmetric_axes(self) -> tuple[int, ...]:
        """The axes some element moves, sorted."""
        return tuple(
            axis
            for axis in range(self._rank)
            if any(element[axis] != axis for element in self._generators)
        )

    @property
    def axis_orbits(self) -> tuple[tuple[int, ...], ...]:
        """The sets of axes the group moves onto each other (only those of two axes or
        more), each sorted, in order of their smallest axis."""
        parent = list(range(self._rank))

        def root(axis: int) -> int:
            while parent[axis] != axis:
                parent[axis] = parent[parent[axis]]
                axis = parent[axis]
            return axis

        for generator in self._generators:
            for axis, image in enumerate(generator):
                parent[root(axis)] = root(image)
        orbits: dict[int, list[int]] = {}
        for axis in range(self._rank):
            orbits.setdefault(root(axis), []).append(axis)
        return tuple(sorted(tuple(orbit) for orbit in orbits.values() if len(orbit) > 1))

    def __contains__(self, perm: object) -> bool:
        return perm in self._element_set

    def __iter__(self) -> Iterator[Perm]:
        return iter(self.elements)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SymmetryGroup):
            return NotImplemented
        return self._rank == other._rank and self._element_set == other._element_set

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        generators = ", ".join(_cycle_notation(generator) for generator in self._generators)
        return f"SymmetryGroup(rank={self._rank}, order={self.order}, generators=[{generators}])"

    # ------------------------------------------------------------ shapes and counts

    def validate(self, shape: Sequence[int]) -> tuple[int, ...]:
        """Check that ``shape`` has ``rank`` axes and that axes the group moves onto each
        other have the same size; return the shape as a tuple of ints. Raises ValueError
        naming the first pair of axes that differ."""
        sizes = _check_shape(shape, self._rank)
        for generator in self._generators:
            for axis, image in enumerate(generator):
                if sizes[axis] != sizes[image]:
                    raise ValueError(
                        f"shape {sizes!r} does not fit the symmetry group: axes {axis} and "
                        f"{image} are moved onto each other but have sizes {sizes[axis]} and "
                        f"{sizes[image]}"
                    )
        return sizes

    def orbit_count(self, shape: Sequence[int]) -> int:
        """The number of distinct entries of a tensor of ``shape`` symmetric under the group:
        the orbits of its index tuples. By Burnside's lemma,

            orbits = (1 / order) * sum over elements g of prod over the cycles c of g of
                     shape[an axis of c]

        (a fixed index tuple of ``g`` takes one free index per cycle). Exact integer; the
        dense ``prod(shape)`` for the trivial group, ``n * (n + 1) / 2`` for an ``n x n``
        symmetric matrix. Validates ``shape`` first."""
        sizes = self.validate(shape)
        total = 0
        for cycle_axes, count in self._burnside_terms:
            fixed = 1
            for axis in cycle_axes:
                fixed *= sizes[axis]
            total += count * fixed
        orbits, remainder = divmod(total, self.order)
        assert remainder == 0, "Burnside's sum is a multiple of the group order"
        return orbits

    # ------------------------------------------------------------ derived groups

    def stabilizer_of(self, axes: Sequence[int]) -> SymmetryGroup:
        """The elements that map the set ``axes`` onto itself (a subgroup, same rank)."""
        axis_set = frozenset(_normalize_axes(axes, self._rank))
        kept = [
            element
            for element in self._elements
            if all(element[axis] in axis_set for axis in axis_set)
        ]
        if len(kept) == len(self._elements):
            return self
        return SymmetryGroup._from_elements(kept, self._rank)

    def drop_axes(self, axes: Sequence[int]) -> SymmetryGroup:
        """The symmetry left once ``axes`` are reduced away (summed over, or each indexed by
        the same integer): the elements of :meth:`stabilizer_of` ``axes``, restricted to the
        kept axes, which are renumbered ``0..`` in their original order. Rank ``rank -
        len(axes)``. (An element that maps the reduced axes onto themselves permutes the
        terms of each reduced entry, so the result keeps its restriction.)"""
        dropped = frozenset(_normalize_axes(axes, self._rank))
        kept_axes = [axis for axis in range(self._rank) if axis not in dropped]
        new_position = {axis: position for position, axis in enumerate(kept_axes)}
        restricted = {
            tuple(new_position[element[axis]] for axis in kept_axes)
            for element in self.stabilizer_of(tuple(dropped))._elements
        }
        return SymmetryGroup._from_elements(restricted, len(kept_axes))

    def permute(self, perm: Sequence[int]) -> SymmetryGroup:
        """The group of ``x.transpose(perm)`` for ``x`` symmetric under this group, with
        ``perm`` as NumPy's ``transpose`` takes it (new axis ``i`` is old axis
        ``perm[i]``): each element ``g`` becomes ``q`` with ``q[i] = perm.index(g[perm[i]])``
        (conjugation by ``perm``). ``perm=None`` reverses the axes, as NumPy does."""
        if perm is None:
            order: Perm = tuple(reversed(range(self._rank)))
        else:
            order = _check_permutation(_normalize_axes(perm, self._rank), self._rank)
        inverse = _inverse(order)

        def conjugate(element: Perm) -> Perm:
            return tuple(inverse[element[old]] for old in order)

        return SymmetryGroup._from_elements(
            (conjugate(element) for element in self._elements),
            self._rank,
            tuple(conjugate(generator) for generator in self._generators),
        )

    def intersect(self, other: SymmetryGroup) -> SymmetryGroup:
        """The elements in both groups (the symmetry a binary pointwise operation keeps when
        its operands carry these groups). Both must have the same rank (see
        :meth:`expand` for broadcasting a lower-rank operand's group)."""
        if not isinstance(other, SymmetryGroup):
            raise TypeError(f"intersect takes a SymmetryGroup, got {other!r}")
        if other._rank != self._rank:
            raise ValueError(
                f"cannot intersect symmetry groups of ranks {self._rank} and {other._rank}"
            )
        if self._element_set <= other._element_set:
            return self
        if other._element_set <= self._element_set:
            return other
        return SymmetryGroup._from_elements(self._element_set & other._element_set, self._rank)

    def expand(self, rank: int, offset: int | None = None) -> SymmetryGroup:
        """The same symmetry on a tensor of ``rank`` axes, this group's axis ``i`` becoming
        axis ``i + offset``; the new axes are fixed. ``offset`` defaults to ``rank -
        self.rank``, NumPy's broadcasting alignment (axes matched from the end)."""
        rank = _check_rank(rank)
        if offset is None:
            offset = rank - self._rank
        offset = operator.index(offset)
        if offset < 0 or offset + self._rank > rank:
            raise ValueError(
                f"cannot place a symmetry group on {self._rank} axes at offset {offset} of "
                f"a tensor of rank {rank}"
            )

        def lift(element: Perm) -> Perm:
            return (
                tuple(range(offset))
                + tuple(image + offset for image in element)
                + tuple(range(offset + self._rank, rank))
            )

        return SymmetryGroup._from_elements(
            (lift(element) for element in self._elements),
            rank,
            tuple(lift(generator) for generator in self._generators),
        )

    # ------------------------------------------------------------ the data check

    def is_symmetric(
        self, array: Any, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
    ) -> bool:
        """Whether ``array`` is symmetric under the group: for each generator ``g``,
        ``x.transpose(g)`` equals ``x`` entry by entry, within ``numpy.allclose``'s
        tolerance ``|a - b| <= atol + rtol * |b|`` (defaults ``rtol=1e-05``, ``atol=1e-08``;
        NaN equals NaN) for floating and complex data, exactly for integer and boolean
        data. A shape the group does not fit (moved axes of different sizes) is not
        symmetric; an array of another rank raises ValueError. The comparisons this makes
        are :meth:`check_cost`."""
        import numpy as np

        x = np.asarray(array)
        if x.ndim != self._rank:
            raise ValueError(f"array has {x.ndim} axes; the symmetry group acts on {self._rank}")
        try:
            self.validate(x.shape)
        except ValueError:
            return False
        inexact = np.issubdtype(x.dtype, np.inexact)
        for generator in self._generators:
            moved = x.transpose(generator)
            if inexact:
                if not np.allclose(x, moved, rtol=rtol, atol=atol, equal_nan=True):
                    return False
            elif not np.array_equal(x, moved):
                return False
        return True

    def check_cost(self, shape: Sequence[int]) -> int:
        """The comparisons :meth:`is_symmetric` makes on an array of ``shape``: one per
        entry per generator, ``numel * len(generators)`` (0 for the trivial group)."""
        sizes = _check_shape(shape, self._rank)
        return math.prod(sizes) * len(self._generators)
