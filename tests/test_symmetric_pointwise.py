"""Pointwise ufuncs on SymmetricTensors: the group the result keeps, its price (the
distinct elements: orbits of the index tuples), and the warning when a symmetry is lost.

The oracle enumerates index tuples of small shapes and joins those a generator maps onto
each other; the generators are written from each group's definition, and the
intersection of two groups is found by closing each set of generators over all
permutations of the axes, independently of ``SymmetryGroup``.
"""

from __future__ import annotations

import itertools
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import SymmetricTensor, SymmetryGroup, SymmetryLossWarning

pytestmark = pytest.mark.usefixtures("unit_weights")

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
BIG = 10**9

# ---------------------------------------------------------------------- the oracle


def _moved(index: tuple[int, ...], perm: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(index[perm[axis]] for axis in range(len(perm)))


def _orbits(shape: tuple[int, ...], generators) -> dict[tuple[int, ...], tuple[int, ...]]:
    """index tuple -> the smallest index tuple of its orbit, by union-find over every index
    tuple of ``shape`` and every generator."""
    parent = {index: index for index in itertools.product(*map(range, shape))}

    def root(index):
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for index in list(parent):
        for generator in generators:
            a, b = root(index), root(_moved(index, generator))
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {index: root(index) for index in parent}


def brute_orbit_count(shape, generators) -> int:
    return len(set(_orbits(tuple(shape), generators).values()))


def _closure(generators, rank: int) -> set[tuple[int, ...]]:
    identity = tuple(range(rank))
    elements = {identity}
    frontier = [identity]
    while frontier:
        element = frontier.pop()
        for generator in generators:
            product = tuple(element[generator[axis]] for axis in range(rank))
            if product not in elements:
                elements.add(product)
                frontier.append(product)
    return elements


def brute_intersection(generators_a, generators_b, rank: int) -> set[tuple[int, ...]]:
    return _closure(generators_a, rank) & _closure(generators_b, rank)


def oracle_symmetric_data(shape, generators, seed: int) -> np.ndarray:
    """Random integers (as floats), equal on each orbit of the generators."""
    rng = np.random.default_rng(seed)
    values = rng.integers(1, 9, size=shape).astype(np.float64)
    data = np.empty(shape)
    for index, representative in _orbits(tuple(shape), generators).items():
        data[index] = values[representative]
    return data


# ---------------------------------------------------------------------- generated groups


def _swap(a: int, b: int, rank: int) -> tuple[int, ...]:
    perm = list(range(rank))
    perm[a], perm[b] = b, a
    return tuple(perm)


def _from_mapping(mapping: dict[int, int], rank: int) -> tuple[int, ...]:
    return tuple(mapping.get(axis, axis) for axis in range(rank))


@st.composite
def groups(draw, rank: int):
    """(group, oracle generators): a direct product of symmetric, cyclic, block and fixed
    parts on disjoint chunks of a random ordering of the axes."""
    axes = list(draw(st.permutations(range(rank))))
    parts, oracle = [], []
    position = 0
    while position < rank:
        remaining = rank - position
        kind = draw(st.sampled_from(["fixed", "symmetric", "cyclic", "block"]))
        if kind == "block" and remaining >= 4:
            chunk = axes[position : position + 4]
            blocks = [tuple(chunk[:2]), tuple(chunk[2:])]
            parts.append(SymmetryGroup.block(blocks, rank))
            oracle.append(_from_mapping(dict(zip(chunk, chunk[2:] + chunk[:2])), rank))
            position += 4
            continue
        n = draw(st.integers(1, remaining))
        chunk = axes[position : position + n]
        position += n
        if kind == "cyclic":
            parts.append(SymmetryGroup.cyclic(chunk, rank))
            oracle.append(_from_mapping({chunk[k]: chunk[(k + 1) % n] for k in range(n)}, rank))
        elif kind == "fixed":
            parts.append(SymmetryGroup.trivial(rank))
        else:
            parts.append(SymmetryGroup.symmetric(chunk, rank))
            oracle += [_swap(a, b, rank) for a, b in itertools.combinations(chunk, 2)]
    return SymmetryGroup.direct_product(*parts), oracle


def _axis_classes(rank: int, generators) -> list[set[int]]:
    classes = {axis: {axis} for axis in range(rank)}
    for generator in generators:
        for axis, image in enumerate(generator):
            if classes[axis] is not classes[image]:
                merged = classes[axis] | classes[image]
                for member in merged:
                    classes[member] = merged
    return list({id(c): c for c in classes.values()}.values())


@st.composite
def fitting_shapes(draw, rank: int, generators, max_size: int = 3):
    shape = [0] * rank
    for axis_class in _axis_classes(rank, generators):
        size = draw(st.integers(1, max_size))
        for axis in axis_class:
            shape[axis] = size
    return tuple(shape)


# ---------------------------------------------------------------------- helpers


def declared(data: np.ndarray, group: SymmetryGroup) -> SymmetricTensor:
    with flops.BudgetContext(flop_budget=BIG, quiet=True):
        return flops.as_symmetric(data, symmetry=group)


@contextmanager
def no_symmetry_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", SymmetryLossWarning)
        yield


@contextmanager
def symmetry_warnings_counted():
    """A list that collects the SymmetryLossWarnings emitted inside the block."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        losses: list[warnings.WarningMessage] = []
        yield losses
        losses.extend(w for w in caught if issubclass(w.category, SymmetryLossWarning))


def charged(call) -> tuple[object, int]:
    with flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        result = call()
    return result, budget.flops_used


def assert_symmetric_result(result, group: SymmetryGroup, expected: np.ndarray) -> None:
    assert type(result) is SymmetricTensor
    assert result.symmetry == group
    data = np.asarray(result)
    np.testing.assert_array_equal(data, expected)
    assert group.is_symmetric(data)
    assert not result.flags.writeable


UNARY = {
    "negative": np.negative,
    "exp": np.exp,
    "absolute": np.absolute,
    "square": np.square,
    "sqrt": np.sqrt,
    "sin": np.sin,
    "isfinite": np.isfinite,
}
BINARY = {
    "add": np.add,
    "multiply": np.multiply,
    "subtract": np.subtract,
    "maximum": np.maximum,
    "arctan2": np.arctan2,
    "less": np.less,
    "power": np.power,
}


# ---------------------------------------------------------------------- unary


@SETTINGS
@given(st.data())
def test_unary_charges_the_orbits_and_keeps_the_group(data):
    rank = data.draw(st.integers(1, 4))
    group, oracle = data.draw(groups(rank))
    shape = data.draw(fitting_shapes(rank, oracle))
    name = data.draw(st.sampled_from(sorted(UNARY)))
    values = oracle_symmetric_data(shape, oracle, data.draw(st.integers(0, 2**32)))
    tensor = declared(values, group)
    with no_symmetry_warning():
        result, cost = charged(lambda: getattr(fnp, name)(tensor))
    assert cost == brute_orbit_count(shape, oracle)
    assert flops.pointwise_cost(name, shape, symmetry=group) == cost
    expected = UNARY[name](values)
    if group.is_trivial:  # claims nothing: a plain result, every element
        assert type(result) is fnp.ndarray
        np.testing.assert_array_equal(np.asarray(result), expected)
    else:
        assert_symmetric_result(result, group, expected)


# ---------------------------------------------------------------------- binary


@SETTINGS
@given(st.data())
def test_binary_keeps_the_intersection_and_charges_its_orbits(data):
    rank = data.draw(st.integers(1, 4))
    group_a, oracle_a = data.draw(groups(rank))
    group_b, oracle_b = data.draw(groups(rank))
    shape = data.draw(fitting_shapes(rank, oracle_a + oracle_b))
    name = data.draw(st.sampled_from(sorted(BINARY)))
    a = oracle_symmetric_data(shape, oracle_a, data.draw(st.integers(0, 2**32)))
    b = oracle_symmetric_data(shape, oracle_b, data.draw(st.integers(0, 2**32)))
    sa, sb = declared(a, group_a), declared(b, group_b)
    declared_any = not (group_a.is_trivial and group_b.is_trivial)
    if all(size == 1 for size in shape):
        # one value each: an operand claiming no group constrains nothing either
        every = list(itertools.permutations(range(rank)))
        oracle_a = every if len(_closure(oracle_a, rank)) == 1 else oracle_a
        oracle_b = every if len(_closure(oracle_b, rank)) == 1 else oracle_b
    common = brute_intersection(oracle_a, oracle_b, rank)
    with symmetry_warnings_counted() as losses:
        result, cost = charged(lambda: getattr(fnp, name)(sa, sb))
    expected = BINARY[name](a, b)
    if declared_any and len(common) > 1:
        assert cost == brute_orbit_count(shape, common)
        assert set(result.symmetry.elements) == common
        assert flops.pointwise_cost(name, shape, shape, symmetry=result.symmetry) == cost
        assert_symmetric_result(result, result.symmetry, expected)
        assert losses == []
    else:
        assert cost == int(np.prod(shape))
        assert type(result) is fnp.ndarray
        np.testing.assert_array_equal(np.asarray(result), expected)
        assert len(losses) == (1 if declared_any else 0)


def test_intersecting_overlapping_groups():
    full = SymmetryGroup.symmetric((0, 1, 2), 3)
    pair = SymmetryGroup.symmetric((1, 2), 3)
    x = oracle_symmetric_data((3, 3, 3), [_swap(0, 1, 3), _swap(1, 2, 3)], 1)
    y = oracle_symmetric_data((3, 3, 3), [_swap(1, 2, 3)], 2)
    s, t = declared(x, full), declared(y, pair)
    with no_symmetry_warning():
        result, cost = charged(lambda: s * t)
    assert_symmetric_result(result, pair, x * y)
    assert cost == 3 * 6  # axis 0 free, (1, 2) a symmetric pair of size 3

    first = declared(oracle_symmetric_data((3, 3, 3), [_swap(0, 1, 3)], 3), (0, 1))
    with symmetry_warnings_counted() as losses:
        result, cost = charged(lambda: first + t)  # (0 1) and (1 2) share only the identity
    assert type(result) is fnp.ndarray
    assert cost == 27
    assert len(losses) == 1
    assert "add" in str(losses[0].message)


def test_a_symmetric_matrix_costs_n_times_n_plus_one_over_two():
    n = 6
    x = oracle_symmetric_data((n, n), [(1, 0)], 4)
    s = declared(x, (0, 1))
    for call in (lambda: fnp.exp(s), lambda: s + s, lambda: s * 2.0):
        assert charged(call)[1] == n * (n + 1) // 2
    assert flops.pointwise_cost("exp", (n, n), symmetry=(0, 1)) == n * (n + 1) // 2
    assert flops.pointwise_cost("add", (n, n), (), symmetry=[(0, 1)]) == n * (n + 1) // 2
    assert flops.pointwise_cost("add", (2, n, n), (n, n), symmetry=(1, 2)) == n * (n + 1)
    with pytest.raises(ValueError):
        flops.pointwise_cost("exp", (n, n + 1), symmetry=(0, 1))  # the shape does not fit
    with pytest.raises(ValueError):
        flops.pointwise_cost("exp", (n, n), symmetry=(0, 1, 2))  # not on the result's axes


# ---------------------------------------------------------------------- scalars, broadcasting

SCALARS = [
    2.0,
    3,
    True,
    1.5 + 0.5j,
    np.float64(2.5),
    np.int32(2),
    np.array(3.0),
    fnp.asarray(3.0),
    np.ones((1, 1)),
    [[2.0]],
]


@pytest.mark.parametrize("scalar", SCALARS, ids=repr)
def test_a_scalar_operand_keeps_the_group(scalar):
    group = SymmetryGroup.symmetric((0, 1), 3)
    x = oracle_symmetric_data((4, 4, 2), [_swap(0, 1, 3)], 5)
    s = declared(x, group)
    orbits = 10 * 2
    with no_symmetry_warning():
        for call, expected in (
            (lambda: fnp.multiply(s, scalar), np.multiply(x, np.asarray(scalar))),
            (lambda: fnp.subtract(scalar, s), np.subtract(np.asarray(scalar), x)),
        ):
            result, cost = charged(call)
            assert cost == orbits
            assert_symmetric_result(result, group, expected)


def test_a_lower_rank_tensor_with_a_scalar_keeps_its_group():
    x = oracle_symmetric_data((3, 3), [(1, 0)], 6)
    s = declared(x, (0, 1))
    with no_symmetry_warning():
        result, cost = charged(lambda: fnp.add(np.float32(1), s))
    assert_symmetric_result(result, s.symmetry, np.add(np.float32(1), x))
    assert cost == 6


def test_broadcasting_two_symmetric_tensors_keeps_the_expanded_intersection():
    x = oracle_symmetric_data((3, 3), [(1, 0)], 7)
    y = oracle_symmetric_data((2, 3, 3), [(0, 2, 1)], 8)
    s, t = declared(x, (0, 1)), declared(y, (1, 2))
    with no_symmetry_warning():
        result, cost = charged(lambda: s + t)
    assert_symmetric_result(result, SymmetryGroup.symmetric((1, 2), 3), x + y)
    assert cost == 2 * 6

    # an all-ones operand enlarges the rank without constraining anything
    with no_symmetry_warning():
        result, cost = charged(lambda: s * np.full((1, 1, 1), 2.0))
    assert_symmetric_result(result, SymmetryGroup.symmetric((1, 2), 3), (x * 2.0)[None])
    assert cost == 6

    # a symmetric size-1 matrix broadcast against another symmetric one
    one = declared(np.full((1, 1), 4.0), (0, 1))
    with no_symmetry_warning():
        result, cost = charged(lambda: one - s)
    assert_symmetric_result(result, s.symmetry, 4.0 - x)
    assert cost == 6


@pytest.mark.parametrize(
    "other",
    [
        np.arange(9.0).reshape(3, 3),
        fnp.ones((3, 3)),
        np.ones((2, 3, 3)),
        np.ones(3),
        np.ones((3, 1)),
    ],
    ids=["ndarray", "counted", "larger", "row", "column"],
)
def test_any_other_operand_drops_the_symmetry_with_one_warning(other):
    x = oracle_symmetric_data((3, 3), [(1, 0)], 9)
    s = declared(x, (0, 1))
    numel = int(np.prod(np.broadcast_shapes((3, 3), np.shape(other))))
    for call, expected in (
        (lambda: fnp.add(s, other), x + np.asarray(other)),
        (lambda: fnp.add(other, s), np.asarray(other) + x),
    ):
        with symmetry_warnings_counted() as losses:
            result, cost = charged(call)
        assert len(losses) == 1
        assert type(result) is fnp.ndarray
        np.testing.assert_array_equal(np.asarray(result), expected)
        assert cost == numel


def test_two_shapes_that_do_not_broadcast_raise_before_any_warning():
    s = declared(oracle_symmetric_data((3, 3), [(1, 0)], 10), (0, 1))
    t = declared(oracle_symmetric_data((2, 2), [(1, 0)], 11), (0, 1))
    with symmetry_warnings_counted() as losses:
        with flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
            with pytest.raises(ValueError):
                fnp.add(s, t)
    assert losses == []
    assert budget.flops_used == 0


def test_the_warning_is_silenced_by_configure():
    s = declared(oracle_symmetric_data((3, 3), [(1, 0)], 12), (0, 1))
    assert flops.configure()["symmetry_warnings"] is True
    flops.configure(symmetry_warnings=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result, cost = charged(lambda: s + np.ones((3, 3)))
            assert type(result) is fnp.ndarray
            assert cost == 9
            result, cost = charged(lambda: fnp.exp(s, out=np.empty((3, 3))))
            assert cost == 9
    finally:
        flops.configure(symmetry_warnings=True)
    with symmetry_warnings_counted() as losses:
        charged(lambda: s + np.ones((3, 3)))
    assert len(losses) == 1


def test_a_tensor_claiming_no_group_neither_keeps_nor_warns():
    x = np.arange(6.0).reshape(2, 3)
    s = declared(x, ())
    with no_symmetry_warning():
        result, cost = charged(lambda: s * 2.0)
    assert type(result) is fnp.ndarray
    assert cost == 6


# ---------------------------------------------------------------------- keywords and out=


def test_out_is_priced_in_full_and_returns_the_buffer():
    x = oracle_symmetric_data((4, 4), [(1, 0)], 13)
    s = declared(x, (0, 1))
    for out in (np.empty((4, 4)), fnp.empty((4, 4))):
        with symmetry_warnings_counted() as losses:
            result, cost = charged(lambda out=out: fnp.exp(s, out=out))
        assert result is out
        assert cost == 16
        assert len(losses) == 1
        np.testing.assert_array_equal(np.asarray(out), np.exp(x))


def test_in_place_into_a_plain_array_is_priced_in_full():
    x = oracle_symmetric_data((3, 3), [(1, 0)], 14)
    s = declared(x, (0, 1))
    accumulator = fnp.zeros((3, 3))

    def add_in_place():
        nonlocal accumulator
        accumulator += s
        return accumulator

    with symmetry_warnings_counted() as losses:
        result, cost = charged(add_in_place)
    assert result is accumulator
    assert cost == 9
    assert len(losses) == 1
    np.testing.assert_array_equal(np.asarray(accumulator), x)


def test_where_drops_and_dtype_keeps():
    x = oracle_symmetric_data((3, 3), [(1, 0)], 15)
    s = declared(x, (0, 1))
    mask = np.eye(3, dtype=bool)
    with symmetry_warnings_counted() as losses:
        result, cost = charged(lambda: fnp.negative(s, where=mask, out=np.zeros((3, 3))))
    assert type(result) is np.ndarray
    assert cost == 9
    assert len(losses) == 1
    with no_symmetry_warning():
        result, cost = charged(lambda: fnp.add(s, s, dtype=np.float32))
    assert_symmetric_result(result, s.symmetry, np.add(x, x, dtype=np.float32))
    assert result.dtype == np.float32
    assert cost == 6
    with no_symmetry_warning():  # out= naming no buffer is no out=
        result, cost = charged(lambda: np.exp(s, out=(None,)))
        (quotient, _), divmod_cost = charged(lambda: fnp.divmod(s, 2, out=(None, None)))
    assert_symmetric_result(result, s.symmetry, np.exp(x))
    assert_symmetric_result(quotient, s.symmetry, x // 2)
    assert cost == divmod_cost == 6


def test_a_symmetric_out_is_refused_before_anything_is_charged():
    s = declared(oracle_symmetric_data((3, 3), [(1, 0)], 16), (0, 1))
    with flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        with pytest.raises(ValueError, match="read-only"):
            fnp.add(s, s, out=s)
        with pytest.raises(ValueError, match="read-only"):
            np.negative(s, out=s)
    assert budget.flops_used == 0


def test_several_outputs_each_keep_the_group():
    x = oracle_symmetric_data((3, 3), [(1, 0)], 17)
    s = declared(x, (0, 1))
    with no_symmetry_warning():
        (quotient, remainder), cost = charged(lambda: divmod(s, 3))
        (fraction, whole), _ = charged(lambda: fnp.modf(s / 7))
    assert cost == 6
    assert_symmetric_result(quotient, s.symmetry, x // 3)
    assert_symmetric_result(remainder, s.symmetry, x % 3)
    assert_symmetric_result(fraction, s.symmetry, np.modf(x / 7)[0])
    assert_symmetric_result(whole, s.symmetry, np.modf(x / 7)[1])


# ---------------------------------------------------------------------- operators


def test_operators_behave_like_the_functions():
    x = oracle_symmetric_data((4, 4), [(1, 0)], 18)
    s = declared(x, (0, 1))
    pairs = [
        (lambda: -s, lambda: fnp.negative(s), -x),
        (lambda: s * 2.0, lambda: fnp.multiply(s, 2.0), x * 2.0),
        (lambda: 2.0 * s, lambda: fnp.multiply(2.0, s), 2.0 * x),
        (lambda: s + s, lambda: fnp.add(s, s), x + x),
        (lambda: abs(s), lambda: fnp.absolute(s), abs(x)),
        (lambda: s**2, lambda: fnp.power(s, 2), x**2),
        (lambda: s < 3, lambda: fnp.less(s, 3), x < 3),
        (lambda: np.exp(s), lambda: fnp.exp(s), np.exp(x)),
        (lambda: s.conj(), lambda: fnp.conjugate(s), x.conj()),
        (lambda: 2**s, lambda: fnp.power(2, s), 2**x),
    ]
    with no_symmetry_warning():
        for operator_call, function_call, expected in pairs:
            by_operator, operator_cost = charged(operator_call)
            by_function, function_cost = charged(function_call)
            assert operator_cost == function_cost == 10
            assert_symmetric_result(by_operator, s.symmetry, expected)
            assert_symmetric_result(by_function, s.symmetry, expected)


# ---------------------------------------------------------------------- budgets and weights


def test_one_flop_short_raises_and_nothing_runs():
    x = oracle_symmetric_data((5, 5), [(1, 0)], 19)
    s = declared(x, (0, 1))
    for call in (lambda: fnp.exp(s), lambda: s * s, lambda: -s):
        with flops.BudgetContext(flop_budget=15 - 1, quiet=True) as budget:
            with pytest.raises(flops.BudgetExhaustedError):
                call()
        assert budget.flops_used == 0
        assert len(budget.op_log) == 0
        with flops.BudgetContext(flop_budget=15, quiet=True) as budget:
            call()
        assert budget.flops_used == 15


def test_non_finite_results_are_checked():
    s = declared(oracle_symmetric_data((2, 2), [(1, 0)], 22) - 1.0, (0, 1))
    flops.configure(check_nan_inf="raise")
    try:
        with np.errstate(all="ignore"):
            with pytest.raises(flops.NonFiniteResultError):
                charged(lambda: fnp.log(s - s))
    finally:
        flops.configure(check_nan_inf=False)


def test_weights_still_apply():
    flops.load_weights()  # the packaged table (the module's fixture set unit weights)
    x = oracle_symmetric_data((4, 4), [(1, 0)], 20)
    s = declared(x, (0, 1))
    weight = flops.get_weight("exp")
    assert weight != 1.0
    _, cost = charged(lambda: fnp.exp(s))
    assert cost == round(10 * weight)
    _, plain_cost = charged(lambda: fnp.exp(np.asarray(x)))
    assert plain_cost == round(16 * weight)


def test_other_operations_on_symmetric_tensors_keep_their_price():
    x = oracle_symmetric_data((4, 4), [(1, 0)], 21)
    s = declared(x, (0, 1))
    with no_symmetry_warning():
        assert charged(lambda: s.sum())[1] == 16
        assert charged(lambda: fnp.sum(s, axis=0))[1] == 16
        # S @ S for a symmetric S: (i k) exchanges S[i,j] S[j,k] with S[k,j] S[j,i],
        # so the (64 + 16) / 2 orbits of (i, j, k) are computed
        assert charged(lambda: s @ s)[1] == (4 * 4 * 4 + 4 * 4) // 2
        assert charged(lambda: fnp.add.reduce(s))[1] == 16
        assert charged(lambda: fnp.multiply.outer(s, s))[1] == 256
        # an elementwise function that is no ufunc keeps the group: 4 * 5 / 2 elements
        result, cost = charged(lambda: fnp.round(s))
    assert type(result) is SymmetricTensor and result.symmetry == s.symmetry
    assert cost == 10
