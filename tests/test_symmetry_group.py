"""Property tests of SymmetryGroup: orbit counts against a brute-force enumeration of index
tuples, group orders against their closed forms, and the derived groups (drop_axes,
permute, intersect, expand) against the symmetries NumPy arrays built to be symmetric
actually have."""

from __future__ import annotations

import copy
import itertools
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
from flopscope._symmetry import MAX_GROUP_ORDER, SymmetryGroup

SETTINGS = settings(max_examples=80, deadline=None)


# ---------------------------------------------------------------- the oracle


def _act(perm: tuple[int, ...], index: tuple[int, ...]) -> tuple[int, ...]:
    """The index tuple ``perm`` carries ``index`` to: axis i's index moves to axis perm[i]."""
    moved = [0] * len(index)
    for axis, image in enumerate(perm):
        moved[image] = index[axis]
    return tuple(moved)


def _index_classes(shape, generators) -> dict[tuple[int, ...], tuple[int, ...]]:
    """Every index tuple of ``shape`` -> a representative of its class, the classes being
    those of the smallest equivalence in which ``index ~ g(index)`` for every generator:
    union-find over all index tuples."""
    parent = {index: index for index in itertools.product(*(range(size) for size in shape))}

    def root(index):
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for index in list(parent):
        for generator in generators:
            a, b = root(index), root(_act(generator, index))
            if a != b:
                parent[a] = b
    return {index: root(index) for index in parent}


def _brute_orbit_count(shape, generators) -> int:
    return len(set(_index_classes(shape, generators).values()))


def _swap(a: int, b: int, rank: int) -> tuple[int, ...]:
    perm = list(range(rank))
    perm[a], perm[b] = b, a
    return tuple(perm)


def _map_to_perm(mapping: dict[int, int], rank: int) -> tuple[int, ...]:
    return tuple(mapping.get(axis, axis) for axis in range(rank))


def _symmetrize(array: np.ndarray, group: SymmetryGroup) -> np.ndarray:
    """The sum of ``array`` over the group's transpositions: symmetric under the group
    (integer data keeps the sum exact)."""
    return sum(array.transpose(element) for element in group.elements)


def _exact_symmetries(array: np.ndarray) -> set[tuple[int, ...]]:
    """Every permutation of the axes under which ``array`` is (exactly) symmetric."""
    return {
        perm
        for perm in itertools.permutations(range(array.ndim))
        if array.shape == tuple(array.shape[axis] for axis in perm)
        and np.array_equal(array, array.transpose(perm))
    }


def _random_ints(shape, seed) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**40, size=shape, dtype=np.int64)


# ---------------------------------------------------------------- generated groups


@st.composite
def components(draw, rank: int, min_rank: int = 1, max_rank: int = 5):
    """(group, oracle generators, order): a direct product of named groups on disjoint
    chunks of a random ordering of the axes. The oracle generators and the order are
    written from each group's definition, independently of the constructors."""
    axes = list(draw(st.permutations(range(rank))))
    groups, oracle, order = [], [], 1
    position = 0
    while position < rank:
        remaining = rank - position
        kind = draw(st.sampled_from(["fixed", "symmetric", "cyclic", "dihedral", "block"]))
        if kind == "block" and remaining >= 2:
            length = draw(st.integers(1, remaining // 2))
            count = draw(st.integers(2, remaining // length))
            chunk = axes[position : position + length * count]
            blocks = [tuple(chunk[k * length : (k + 1) * length]) for k in range(count)]
            groups.append(SymmetryGroup.block(blocks, rank))
            for first, second in itertools.combinations(blocks, 2):
                swap = dict(zip(first, second)) | dict(zip(second, first))
                oracle.append(_map_to_perm(swap, rank))
            order *= math.factorial(count)
            position += length * count
            continue
        if kind == "block":
            kind = "symmetric"
        n = draw(st.integers(1, remaining))
        chunk = axes[position : position + n]
        position += n
        if kind == "fixed":
            groups.append(SymmetryGroup.trivial(rank))
        elif kind == "symmetric":
            groups.append(SymmetryGroup.symmetric(chunk, rank))
            oracle += [_swap(a, b, rank) for a, b in itertools.combinations(chunk, 2)]
            order *= math.factorial(n)
        else:
            rotation = {chunk[k]: chunk[(k + 1) % n] for k in range(n)}
            oracle.append(_map_to_perm(rotation, rank))
            if kind == "cyclic":
                groups.append(SymmetryGroup.cyclic(chunk, rank))
                order *= n
            else:
                groups.append(SymmetryGroup.dihedral(chunk, rank))
                reflection = {chunk[k]: chunk[(-k) % n] for k in range(n)}
                oracle.append(_map_to_perm(reflection, rank))
                order *= 2 * n if n >= 3 else n
    return SymmetryGroup.direct_product(*groups), oracle, order


@st.composite
def generated_groups(draw, min_rank: int = 1, max_rank: int = 5):
    """(group, oracle generators, order or None): a named-group product, or the group of
    1..3 random permutations (order unknown in closed form)."""
    rank = draw(st.integers(min_rank, max_rank))
    if draw(st.integers(0, 3)) == 0:
        generators = draw(st.lists(st.permutations(range(rank)), min_size=1, max_size=3))
        generators = [tuple(generator) for generator in generators]
        return SymmetryGroup(generators, rank), generators, None
    return draw(components(rank))


def _axis_orbits(rank, generators) -> list[set[int]]:
    orbits = {axis: {axis} for axis in range(rank)}
    for generator in generators:
        for axis, image in enumerate(generator):
            if orbits[axis] is not orbits[image]:
                merged = orbits[axis] | orbits[image]
                for member in merged:
                    orbits[member] = merged
    return list({id(orbit): orbit for orbit in orbits.values()}.values())


@st.composite
def fitting_shapes(draw, rank, generators, max_size: int = 4):
    """A shape with one size (1..max_size) per set of axes the generators join."""
    shape = [0] * rank
    for orbit in _axis_orbits(rank, generators):
        size = draw(st.integers(1, max_size))
        for axis in orbit:
            shape[axis] = size
    return tuple(shape)


# ---------------------------------------------------------------- orbit counts and orders


@SETTINGS
@given(st.data())
def test_orbit_count_equals_brute_force_enumeration(data):
    group, oracle, order = data.draw(generated_groups())
    shape = data.draw(fitting_shapes(group.rank, oracle))
    assert group.orbit_count(shape) == _brute_orbit_count(shape, oracle)
    if order is not None:
        assert group.order == order


@SETTINGS
@given(st.data())
def test_orbit_count_is_the_number_of_distinct_entries_of_a_symmetrized_array(data):
    group, oracle, _ = data.draw(generated_groups())
    shape = data.draw(fitting_shapes(group.rank, oracle))
    symmetric = _symmetrize(_random_ints(shape, data.draw(st.integers(0, 2**32))), group)
    assert group.is_symmetric(symmetric)
    assert len(np.unique(symmetric)) == group.orbit_count(shape)


@SETTINGS
@given(st.data())
def test_elements_are_the_closure_of_the_generators(data):
    group, oracle, _ = data.draw(generated_groups())
    elements = set(group.elements)
    rank = group.rank
    identity = tuple(range(rank))
    assert identity in elements and group.elements[0] == identity
    assert set(oracle) <= elements
    # closed under composition, and every element a product of the oracle generators
    for a, b in itertools.product(elements, repeat=2):
        assert tuple(b[image] for image in a) in elements
    generated = {identity}
    while True:
        grown = generated | {tuple(g[image] for image in p) for p in generated for g in oracle}
        if grown == generated:
            break
        generated = grown
    assert generated == elements
    assert group.order == len(elements) and math.factorial(rank) % group.order == 0


@SETTINGS
@given(st.data())
def test_a_generic_symmetrized_array_has_exactly_the_groups_symmetries(data):
    # with every size equal to the rank, an index tuple of distinct values exists, so an
    # array symmetrized with random integers is symmetric under no other permutation
    group, _, _ = data.draw(generated_groups())
    shape = (group.rank,) * group.rank
    symmetric = _symmetrize(_random_ints(shape, data.draw(st.integers(0, 2**32))), group)
    assert _exact_symmetries(symmetric) == set(group.elements)


@pytest.mark.parametrize("n", range(7))
def test_symmetric_matrix_has_n_times_n_plus_one_over_two_entries(n):
    group = SymmetryGroup.symmetric((0, 1), 2)
    assert group.orbit_count((n, n)) == n * (n + 1) // 2
    assert SymmetryGroup.from_spec((0, 1), 2).orbit_count((n, n)) == n * (n + 1) // 2


@pytest.mark.parametrize(("k", "n"), [(1, 5), (2, 7), (3, 4), (4, 3), (5, 6), (8, 5), (8, 2)])
def test_fully_symmetric_tensor_counts_multisets(k, n):
    # distinct entries of a tensor symmetric in all k axes: multisets of k indices from n
    group = SymmetryGroup.symmetric(range(k), k)
    assert group.orbit_count((n,) * k) == math.comb(n + k - 1, k)


def test_orbit_count_of_the_trivial_group_is_the_number_of_entries():
    assert SymmetryGroup.trivial(3).orbit_count((2, 3, 4)) == 24
    assert SymmetryGroup.trivial(0).orbit_count(()) == 1
    assert SymmetryGroup.symmetric((0, 1), 3).orbit_count((0, 0, 5)) == 0


def test_orbit_count_with_symmetric_axes_among_others():
    # S2 on the last two axes of a (3, 4, 4) tensor: 3 * (4 * 5 / 2)
    assert SymmetryGroup.symmetric((1, 2), 3).orbit_count((3, 4, 4)) == 30
    # two independent symmetric pairs of sizes 3 and 5
    group = SymmetryGroup.from_spec([(0, 2), (1, 3)], 4)
    assert group.order == 4
    assert group.orbit_count((3, 5, 3, 5)) == 6 * 15
    # one block swap: (i, j, k, l) ~ (k, l, i, j) on (n, m, n, m): (nm)(nm + 1)/2
    block = SymmetryGroup.block(((0, 1), (2, 3)), 4)
    assert block.orbit_count((3, 2, 3, 2)) == 6 * 7 // 2


@pytest.mark.parametrize("n", range(1, 9))
def test_closure_orders(n):
    axes = tuple(range(n))
    assert SymmetryGroup.symmetric(axes, n).order == math.factorial(n)
    assert SymmetryGroup.cyclic(axes, n).order == n
    assert SymmetryGroup.dihedral(axes, n).order == (2 * n if n >= 3 else n)
    assert SymmetryGroup.symmetric(axes, n).orbit_count((2,) * n) == n + 1


def test_block_orders_and_action():
    group = SymmetryGroup.block(((0, 1), (2, 3), (4, 5)), 6)
    assert group.order == 6
    assert (2, 3, 0, 1, 4, 5) in group
    assert (4, 5, 2, 3, 0, 1) in group
    assert (1, 0, 2, 3, 4, 5) not in group
    assert group.axis_orbits == ((0, 2, 4), (1, 3, 5))
    assert SymmetryGroup.block(((0,), (1,), (2,)), 3) == SymmetryGroup.symmetric((0, 1, 2), 3)
    assert SymmetryGroup.block(((0, 1),), 2).is_trivial


# ---------------------------------------------------------------- specs, equality, repr


def test_from_spec_forms():
    assert SymmetryGroup.from_spec((0, 1), 3) == SymmetryGroup.symmetric((0, 1), 3)
    assert SymmetryGroup.from_spec((-2, -1), 3) == SymmetryGroup.symmetric((1, 2), 3)
    pairs = SymmetryGroup.from_spec([(0, 1), (2, 3)], 4)
    assert pairs == SymmetryGroup.direct_product(
        SymmetryGroup.symmetric((0, 1), 4), SymmetryGroup.symmetric((2, 3), 4)
    )
    assert pairs.order == 4
    block = SymmetryGroup.from_spec([((0, 1), (2, 3))], 4)
    assert block == SymmetryGroup.block(((0, 1), (2, 3)), 4)
    mixed = SymmetryGroup.from_spec(
        [(0, 1), ((2, 3), (4, 5)), SymmetryGroup.cyclic((6, 7, 8), 9)], 9
    )
    assert mixed.order == 2 * 2 * 3
    cyclic = SymmetryGroup.cyclic((0, 1, 2), 3)
    assert SymmetryGroup.from_spec(cyclic, 3) is cyclic
    assert SymmetryGroup.from_spec([], 2) == SymmetryGroup.trivial(2)
    assert SymmetryGroup.from_spec(np.array([0, 1]), 2) == SymmetryGroup.symmetric((0, 1), 2)


def test_equality_and_hash_follow_the_elements():
    by_transpositions = SymmetryGroup([(1, 0, 2), (0, 2, 1), (2, 1, 0)], 3)
    named = SymmetryGroup.symmetric((0, 1, 2), 3)
    assert by_transpositions == named and hash(by_transpositions) == hash(named)
    assert len({by_transpositions, named, SymmetryGroup.from_spec((0, 1, 2), 3)}) == 1
    assert SymmetryGroup.cyclic((0, 1, 2), 3) != named
    assert SymmetryGroup.trivial(2) != SymmetryGroup.trivial(3)
    assert SymmetryGroup.symmetric((0, 1), 2) != (0, 1)
    # identity and repeated generators are dropped
    assert SymmetryGroup([(0, 1), (1, 0), (1, 0)], 2).generators == ((1, 0),)


def test_groups_are_immutable_picklable_and_readable():
    group = SymmetryGroup.symmetric((0, 1, 2), 4)
    with pytest.raises(AttributeError):
        group._rank = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        group.order = 3  # type: ignore[misc]
    restored = pickle.loads(pickle.dumps(group))
    assert restored == group and restored.generators == group.generators
    assert restored.orbit_count((3, 3, 3, 2)) == group.orbit_count((3, 3, 3, 2)) == 20
    assert copy.deepcopy(group) is group
    assert repr(group) == "SymmetryGroup(rank=4, order=6, generators=[(0 1), (0 1 2)])"
    assert repr(SymmetryGroup.trivial(2)) == "SymmetryGroup(rank=2, order=1, generators=[])"
    assert repr(SymmetryGroup.block(((0, 1), (2, 3)), 4)).endswith("generators=[(0 2)(1 3)])")


def test_symmetric_axes_and_axis_orbits():
    group = SymmetryGroup.from_spec([(3, 1), ((0,), (4,))], 6)
    assert group.symmetric_axes == (0, 1, 3, 4)
    assert group.axis_orbits == ((0, 4), (1, 3))
    assert SymmetryGroup.trivial(3).symmetric_axes == ()
    assert SymmetryGroup.trivial(3).axis_orbits == ()


def test_exported_names():
    assert flops.SymmetryGroup is SymmetryGroup
    assert issubclass(flops.SymmetryError, flops.FlopscopeError)
    assert issubclass(flops.SymmetryError, ValueError)
    assert issubclass(flops.SymmetryLossWarning, UserWarning)
    for name in ("SymmetryGroup", "SymmetryError", "SymmetryLossWarning"):
        assert name in flops.__all__
        assert name in dir(flops)
    assert {"SymmetryError", "SymmetryLossWarning"} <= set(flops.errors.__all__)


# ---------------------------------------------------------------- derived groups


@st.composite
def subsets(draw, rank):
    return tuple(sorted(draw(st.sets(st.integers(0, rank - 1), max_size=rank)))) if rank else ()


@SETTINGS
@given(st.data())
def test_drop_axes_keeps_the_symmetry_a_sum_or_an_index_keeps(data):
    group, oracle, _ = data.draw(generated_groups())
    shape = data.draw(fitting_shapes(group.rank, oracle))
    reduced = data.draw(subsets(group.rank))
    symmetric = _symmetrize(_random_ints(shape, data.draw(st.integers(0, 2**32))), group)
    dropped = group.drop_axes(reduced)
    assert dropped.rank == group.rank - len(reduced)
    summed = symmetric.sum(axis=reduced)
    kept_shape = tuple(size for axis, size in enumerate(shape) if axis not in reduced)
    assert summed.shape == kept_shape
    assert dropped.is_symmetric(summed)
    assert dropped.orbit_count(kept_shape) == _brute_orbit_count(kept_shape, dropped.generators)
    # the same integer on every reduced axis
    indexer = tuple(0 if axis in reduced else slice(None) for axis in range(group.rank))
    assert dropped.is_symmetric(symmetric[indexer])
    # the stabilizer maps the reduced set onto itself and is a subgroup
    stabilizer = group.stabilizer_of(reduced)
    assert set(stabilizer.elements) == {
        g for g in group.elements if {g[axis] for axis in reduced} == set(reduced)
    }


@SETTINGS
@given(st.data())
def test_drop_axes_is_exactly_the_symmetry_of_a_generic_sum(data):
    group, _, _ = data.draw(generated_groups())
    shape = (group.rank,) * group.rank
    reduced = data.draw(subsets(group.rank))
    symmetric = _symmetrize(_random_ints(shape, data.draw(st.integers(0, 2**32))), group)
    summed = symmetric.sum(axis=reduced)
    assert _exact_symmetries(summed) == set(group.drop_axes(reduced).elements)


def test_drop_axes_examples():
    s3 = SymmetryGroup.symmetric((0, 1, 2), 3)
    assert s3.drop_axes((0,)) == SymmetryGroup.symmetric((0, 1), 2)
    assert s3.drop_axes((-1,)) == SymmetryGroup.symmetric((0, 1), 2)
    assert s3.drop_axes((0, 1, 2)) == SymmetryGroup.trivial(0)
    assert SymmetryGroup.cyclic((0, 1, 2), 3).drop_axes((0,)).is_trivial
    block = SymmetryGroup.block(((0, 1), (2, 3)), 4)
    assert block.drop_axes((0, 2)) == SymmetryGroup.symmetric((0, 1), 2)
    assert block.drop_axes((0,)).is_trivial
    assert block.drop_axes(()) == block
    assert block.stabilizer_of((0, 2)) == block
    assert block.stabilizer_of((0, 1)).is_trivial


@SETTINGS
@given(st.data())
def test_permute_is_the_symmetry_of_the_transpose(data):
    group, oracle, _ = data.draw(generated_groups())
    shape = data.draw(fitting_shapes(group.rank, oracle))
    perm = tuple(data.draw(st.permutations(range(group.rank))))
    symmetric = _symmetrize(_random_ints(shape, data.draw(st.integers(0, 2**32))), group)
    transposed = symmetric.transpose(perm)
    permuted = group.permute(perm)
    assert permuted.is_symmetric(transposed)
    assert permuted.order == group.order
    assert permuted.orbit_count(transposed.shape) == group.orbit_count(shape)
    # the index classes are those of the array's, carried by the transposition:
    # transposed[j] is symmetric[k] with k[perm[m]] = j[m]
    classes = _index_classes(shape, group.generators)
    transposed_classes = _index_classes(transposed.shape, permuted.generators)

    def source(j):
        k = [0] * len(j)
        for m, axis in enumerate(perm):
            k[axis] = j[m]
        return tuple(k)

    pairs = {(here, classes[source(j)]) for j, here in transposed_classes.items()}
    assert len(pairs) == len(set(transposed_classes.values())) == len(set(classes.values()))
    generic_shape = (group.rank,) * group.rank
    generic = _symmetrize(_random_ints(generic_shape, 7), group).transpose(perm)
    assert _exact_symmetries(generic) == set(permuted.elements)


def test_permute_examples():
    group = SymmetryGroup.symmetric((0, 1), 3)
    assert group.permute((2, 0, 1)) == SymmetryGroup.symmetric((1, 2), 3)
    assert group.permute(None) == SymmetryGroup.symmetric((1, 2), 3)
    assert group.permute((-1, 0, 1)) == SymmetryGroup.symmetric((1, 2), 3)
    x = np.arange(18.0).reshape(3, 3, 2)
    x = x + x.transpose(1, 0, 2)
    assert group.is_symmetric(x)
    assert group.permute((2, 0, 1)).is_symmetric(x.transpose(2, 0, 1))
    assert not group.is_symmetric(x.transpose(2, 0, 1))
    assert group.permute((0, 1, 2)) == group


@SETTINGS
@given(st.data())
def test_intersect_is_the_symmetry_of_a_sum_of_two_symmetric_arrays(data):
    rank = data.draw(st.integers(1, 5))
    first, _, _ = data.draw(components(rank))
    second, _, _ = data.draw(components(rank))
    both = first.intersect(second)
    assert set(both.elements) == set(first.elements) & set(second.elements)
    assert both == second.intersect(first)
    seed = data.draw(st.integers(0, 2**32))
    shape = (rank,) * rank
    total = _symmetrize(_random_ints(shape, seed), first) + _symmetrize(
        _random_ints(shape, seed + 1), second
    )
    assert both.is_symmetric(total)
    assert _exact_symmetries(total) == set(both.elements)


def test_intersect_examples():
    s3 = SymmetryGroup.symmetric((0, 1, 2), 3)
    pair = SymmetryGroup.symmetric((0, 1), 3)
    assert s3.intersect(pair) == pair
    assert s3.intersect(SymmetryGroup.cyclic((0, 1, 2), 3)) == SymmetryGroup.cyclic((0, 1, 2), 3)
    assert pair.intersect(SymmetryGroup.symmetric((1, 2), 3)).is_trivial
    with pytest.raises(ValueError, match="ranks 3 and 2"):
        s3.intersect(SymmetryGroup.trivial(2))


def test_expand_for_broadcasting():
    pair = SymmetryGroup.symmetric((0, 1), 2)
    expanded = pair.expand(4)
    assert expanded == SymmetryGroup.symmetric((2, 3), 4)
    assert pair.expand(4, offset=1) == SymmetryGroup.symmetric((1, 2), 4)
    x = np.arange(9).reshape(3, 3)
    x = x + x.T
    broadcast = np.broadcast_to(x, (2, 5, 3, 3))
    assert expanded.is_symmetric(broadcast)
    with pytest.raises(ValueError, match="offset 3"):
        pair.expand(4, offset=3)
    with pytest.raises(ValueError):
        pair.expand(1)


# ---------------------------------------------------------------- the data check


def test_is_symmetric_tolerance_and_dtypes():
    group = SymmetryGroup.symmetric((0, 1), 2)
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 4))
    sym = a + a.T
    assert group.is_symmetric(sym)
    nudged = sym.copy()
    nudged[0, 1] += 1e-12
    assert group.is_symmetric(nudged)
    nudged[0, 1] += 1e-3
    assert not group.is_symmetric(nudged)
    assert group.is_symmetric(nudged, atol=1e-2)
    assert not group.is_symmetric(a)
    # integers and booleans exactly
    ints = np.array([[1, 2], [2, 5]])
    assert group.is_symmetric(ints)
    assert not group.is_symmetric(ints + np.array([[0, 1], [0, 0]]))
    assert group.is_symmetric(ints > 1)
    # NaN at mirrored places counts as equal; complex data compares with tolerance
    with_nan = sym.copy()
    with_nan[1, 2] = with_nan[2, 1] = np.nan
    assert group.is_symmetric(with_nan)
    assert group.is_symmetric(sym + 1j * sym)
    # a shape the group does not fit is not symmetric; another rank is a usage error
    assert not group.is_symmetric(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="3 axes"):
        group.is_symmetric(np.zeros((2, 2, 2)))
    assert SymmetryGroup.trivial(1).is_symmetric([1.0, 2.0])


def test_check_cost_is_one_comparison_per_entry_per_generator():
    assert SymmetryGroup.symmetric((0, 1), 2).check_cost((5, 5)) == 25
    assert SymmetryGroup.symmetric((0, 1, 2), 3).check_cost((4, 4, 4)) == 2 * 64
    assert SymmetryGroup.from_spec([(0, 1), (2, 3)], 4).check_cost((2, 2, 3, 3)) == 2 * 36
    assert SymmetryGroup.trivial(2).check_cost((3, 4)) == 0
    with pytest.raises(ValueError):
        SymmetryGroup.trivial(2).check_cost((3,))


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: SymmetryGroup.symmetric((0, 2), 2), "out of range"),
        (lambda: SymmetryGroup.symmetric((0, -3), 2), "out of range"),
        (lambda: SymmetryGroup.symmetric((0, 0), 2), "more than once"),
        (lambda: SymmetryGroup.symmetric((1, -1), 2), "more than once"),
        (lambda: SymmetryGroup.cyclic((0, 1, 3), 3), "out of range"),
        (lambda: SymmetryGroup.dihedral((0, 1, 1), 3), "more than once"),
        (lambda: SymmetryGroup([(0, 0)], 2), "not a permutation"),
        (lambda: SymmetryGroup([(0, 1, 2)], 2), "not a permutation"),
        (lambda: SymmetryGroup([(1, 0)], -1), "rank"),
        (lambda: SymmetryGroup.block(((0, 1), (2,)), 3), "differ in length"),
        (lambda: SymmetryGroup.block(((0, 1), (1, 2)), 3), "share an axis"),
        (lambda: SymmetryGroup.from_spec([(0, 1), (1, 2)], 3), "more than one group"),
        (lambda: SymmetryGroup.from_spec((0, 1, 2), 2), "out of range"),
        (
            lambda: SymmetryGroup.from_spec(SymmetryGroup.symmetric((0, 1), 2), 3),
            "acts on 2 axes",
        ),
        (
            lambda: SymmetryGroup.direct_product(
                SymmetryGroup.symmetric((0, 1), 3), SymmetryGroup.symmetric((1, 2), 3)
            ),
            "common axis",
        ),
        (
            lambda: SymmetryGroup.direct_product(
                SymmetryGroup.symmetric((0, 1), 2), SymmetryGroup.symmetric((0, 1), 3)
            ),
            "different ranks",
        ),
        (lambda: SymmetryGroup.direct_product(), "at least one"),
        (lambda: SymmetryGroup.symmetric(range(9), 9), "MAX_GROUP_ORDER"),
        (lambda: SymmetryGroup.block([(k,) for k in range(9)], 9), "MAX_GROUP_ORDER"),
        (
            lambda: SymmetryGroup.direct_product(
                SymmetryGroup.symmetric(range(6), 12), SymmetryGroup.symmetric(range(6, 12), 12)
            ),
            "MAX_GROUP_ORDER",
        ),
        (lambda: SymmetryGroup([(*range(1, 9), 0), (1, 0, *range(2, 9))], 9), "40,320"),
        (lambda: SymmetryGroup.symmetric((0, 1), 2).validate((2, 3)), "sizes 2 and 3"),
        (lambda: SymmetryGroup.symmetric((0, 1), 2).orbit_count((2, 3)), "sizes 2 and 3"),
        (lambda: SymmetryGroup.cyclic((0, 1, 2), 3).orbit_count((2, 2, 4)), "moved onto"),
        (lambda: SymmetryGroup.symmetric((0, 1), 2).orbit_count((2, 2, 2)), "3 axes"),
        (lambda: SymmetryGroup.symmetric((0, 1), 2).orbit_count((2, -2)), "negative"),
        (lambda: SymmetryGroup.symmetric((0, 1), 3).drop_axes((3,)), "out of range"),
        (lambda: SymmetryGroup.symmetric((0, 1), 3).drop_axes((1, 1)), "more than once"),
        (lambda: SymmetryGroup.symmetric((0, 1), 3).permute((0, 1)), "not a permutation"),
        (lambda: SymmetryGroup.symmetric((0, 1), 3).permute((0, 1, 1)), "more than once"),
    ],
)
def test_bad_input_raises_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    "make",
    [
        lambda: SymmetryGroup.symmetric((0, 1.0), 2),
        lambda: SymmetryGroup.symmetric((True, 0), 2),
        lambda: SymmetryGroup.symmetric(3, 4),
        lambda: SymmetryGroup.from_spec("01", 2),
        lambda: SymmetryGroup.from_spec(None, 2),
        lambda: SymmetryGroup.direct_product(SymmetryGroup.trivial(2), (0, 1)),
        lambda: SymmetryGroup.trivial(2).intersect((1, 0)),
    ],
)
def test_wrong_types_raise_type_error(make):
    with pytest.raises(TypeError):
        make()


def test_the_order_limit_admits_the_symmetric_group_on_eight_axes():
    group = SymmetryGroup.symmetric(range(8), 8)
    assert group.order == MAX_GROUP_ORDER == 40_320
    assert group.orbit_count((3,) * 8) == math.comb(10, 8)
