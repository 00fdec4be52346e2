"""SymmetricTensor, as_symmetric, is_symmetric and symmetrize: declaring, checking and
charging symmetry, and the tensor's immutability (no instance can hold data that violates
its group)."""

from __future__ import annotations

import copy
import itertools
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import SymmetricTensor, SymmetryGroup
from flopscope._symmetric_tensor import _rebuild

pytestmark = pytest.mark.usefixtures("unit_weights")

RNG = np.random.default_rng(20261129)


def symmetric_data(shape, group, dtype=np.float64):
    """Random data exactly symmetric under ``group`` (computed without flopscope)."""
    x = RNG.standard_normal(shape).astype(dtype)
    total = sum(x.transpose(g) for g in group.elements)
    flat_index = np.arange(x.size).reshape(shape)
    smallest = flat_index.copy()
    for g in group.elements:
        smallest = np.minimum(smallest, flat_index.transpose(g))
    return total.reshape(-1)[smallest.reshape(-1)].reshape(shape)


def exactly_symmetric(tensor: SymmetricTensor) -> bool:
    data = np.asarray(tensor)
    return all(np.array_equal(data, data.transpose(g)) for g in tensor.symmetry.elements)


def assert_honest(value):
    """Every SymmetricTensor holds data its group accepts, and cannot be written."""
    if isinstance(value, SymmetricTensor):
        assert value.symmetry.rank == value.ndim
        assert value.symmetry.is_symmetric(np.asarray(value))
        if not value.symmetry.is_trivial:
            assert not value.flags.writeable
            with pytest.raises(ValueError):
                value.setflags(write=True)


# ---------------------------------------------------------------------- declaring

SPECS = [
    ((3, 3), (0, 1)),
    ((3, 3), [0, 1]),
    ((3, 3, 3), (0, 1, 2)),
    ((3, 3, 4), (0, 1)),
    ((4, 3, 3), (-2, -1)),
    ((2, 2, 3, 3), [(0, 1), (2, 3)]),
    ((2, 3, 2, 3), [((0, 1), (2, 3))]),
    ((3, 3, 3), SymmetryGroup.cyclic((0, 1, 2), 3)),
    ((2, 3, 2, 3), SymmetryGroup.block(((0, 1), (2, 3)), 4)),
    (
        (2, 2, 3, 3, 3),
        SymmetryGroup.direct_product(
            SymmetryGroup.symmetric((0, 1), 5), SymmetryGroup.cyclic((2, 3, 4), 5)
        ),
    ),
    ((4, 4, 4, 4), SymmetryGroup.dihedral((0, 1, 2, 3), 4)),
]


@pytest.mark.parametrize(("shape", "spec"), SPECS)
def test_declaring_every_spec_form(shape, spec):
    group = SymmetryGroup.from_spec(spec, len(shape))
    data = symmetric_data(shape, group)
    with flops.BudgetContext(flop_budget=10**9) as budget:
        tensor = flops.as_symmetric(fnp.asarray(data), symmetry=spec)
    assert type(tensor) is SymmetricTensor
    assert tensor.symmetry == group
    assert tensor.symmetric_axes == group.symmetric_axes
    assert np.array_equal(np.asarray(tensor), data)
    assert budget.flops_used == data.size * len(group.generators)
    (entry,) = budget.op_log
    assert (entry.op_name, entry.shapes) == ("as_symmetric", (shape,))
    assert flops.is_symmetric(tensor)
    assert_honest(tensor)


def test_declaring_plain_numpy_data_and_lists():
    tensor = flops.as_symmetric([[1, 2], [2, 5]], symmetry=(0, 1))
    assert tensor.dtype == np.array([[1, 2]]).dtype
    assert tensor.symmetry == SymmetryGroup.symmetric((0, 1), 2)


@pytest.mark.parametrize(
    ("shape", "spec"),
    [
        ((3, 4), (0, 1)),  # moved axes of different sizes
        ((3, 3), (0, 2)),  # no axis 2
        ((3, 3), (0, 0)),  # an axis twice
        ((3, 3, 3), [(0, 1), (1, 2)]),  # overlapping groups
        ((3, 3), SymmetryGroup.symmetric((0, 1), 3)),  # a group of another rank
        ((2, 3, 3, 3), [((0, 1), (2, 3))]),  # blocks of different shapes
    ],
)
def test_bad_specs_and_shapes_raise_value_error_charging_nothing(shape, spec):
    with flops.BudgetContext(flop_budget=10**6) as budget:
        with pytest.raises(ValueError):
            flops.as_symmetric(fnp.ones(shape), symmetry=spec)
        with pytest.raises(ValueError):
            flops.symmetrize(fnp.ones(shape), symmetry=spec)
    assert budget.flops_used == 0
    assert len(budget.op_log) == 0


def test_non_numeric_data_raises_type_error():
    with pytest.raises(TypeError, match="numeric"):
        flops.as_symmetric(np.array([["a", "b"], ["b", "a"]]), symmetry=(0, 1))


def test_asymmetric_data_raises_symmetry_error_naming_group_and_deviation():
    data = np.array([[1.0, 2.0], [2.5, 1.0]])
    with flops.BudgetContext(flop_budget=10**6) as budget:
        with pytest.raises(flops.SymmetryError, match=r"order=2.*0\.5") as info:
            flops.as_symmetric(data, symmetry=(0, 1))
    assert isinstance(info.value, ValueError)
    assert budget.flops_used == 0
    assert len(budget.op_log) == 0


@pytest.mark.parametrize(
    "data",
    [
        np.array([[1, 2], [3, 1]]),
        np.array([[True, False], [True, True]]),
        np.array([[1 + 1j, 2j], [-2j, 0]]),
    ],
)
def test_integer_boolean_and_complex_asymmetry_is_refused(data):
    with pytest.raises(flops.SymmetryError):
        flops.as_symmetric(data, symmetry=(0, 1))


def test_tolerance_is_numpy_allclose():
    data = symmetric_data((4, 4), SymmetryGroup.symmetric((0, 1), 2))
    nearly = data.copy()
    nearly[0, 1] += 1e-12
    assert flops.as_symmetric(nearly, symmetry=(0, 1)).symmetry.order == 2
    far = data.copy()
    far[0, 1] += 1e-3
    with pytest.raises(flops.SymmetryError):
        flops.as_symmetric(far, symmetry=(0, 1))
    exact_integers = np.array([[0, 1], [2, 0]])
    with pytest.raises(flops.SymmetryError):
        flops.as_symmetric(exact_integers, symmetry=(0, 1))


def test_the_check_is_charged_before_it_runs():
    group = SymmetryGroup.symmetric((0, 1, 2), 3)  # two generators
    data = symmetric_data((4, 4, 4), group)
    with flops.BudgetContext(flop_budget=2 * 64 - 1) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            flops.as_symmetric(data, symmetry=(0, 1, 2))
    assert budget.flops_used == 0
    with flops.BudgetContext(flop_budget=2 * 64) as budget:
        flops.as_symmetric(data, symmetry=(0, 1, 2))
    assert budget.flops_used == 128


def test_redeclaring_the_same_group_is_free_and_another_is_checked():
    data = symmetric_data((3, 3, 3), SymmetryGroup.symmetric((0, 1, 2), 3))
    tensor = flops.as_symmetric(data, symmetry=(0, 1))
    with flops.BudgetContext(flop_budget=10**6) as budget:
        assert flops.as_symmetric(tensor, symmetry=[(1, 0)]) is tensor
        assert budget.flops_used == 0
        wider = flops.as_symmetric(tensor, symmetry=(0, 1, 2))
        assert budget.flops_used == 2 * 27
    assert wider.symmetry.order == 6
    assert np.shares_memory(wider, tensor)


@pytest.mark.parametrize(("shape", "spec"), SPECS)
def test_the_queries_equal_the_charges(shape, spec, fma_two):
    data = symmetric_data(shape, SymmetryGroup.from_spec(spec, len(shape)))
    with flops.BudgetContext(flop_budget=10**9) as budget:
        flops.as_symmetric(data, symmetry=spec)
        assert budget.flops_used == flops.symmetry_check_cost(shape, spec)
        flops.is_symmetric(data, symmetry=spec)
        assert budget.flops_used == 2 * flops.symmetry_check_cost(shape, spec)
    with flops.BudgetContext(flop_budget=10**9) as budget:
        flops.symmetrize(data, symmetry=spec)
    assert budget.flops_used == flops.accounting.symmetrize_cost(shape, spec)


def test_the_queries_validate():
    with pytest.raises(ValueError):
        flops.symmetry_check_cost((3, 4), (0, 1))
    with pytest.raises(ValueError):
        flops.symmetrize_cost((3, 3), (0, 2))


def test_a_weight_applies(tmp_path):
    path = tmp_path / "weights.json"
    path.write_text('{"weights": {"as_symmetric": 3.0, "symmetrize": 2.0}}')
    flops.load_weights(path)
    try:
        with flops.BudgetContext(flop_budget=10**6) as budget:
            flops.as_symmetric(np.eye(3), symmetry=(0, 1))
            assert budget.flops_used == 27
            flops.symmetrize(np.eye(3), symmetry=(0, 1))
            assert budget.flops_used == 27 + 36
    finally:
        flops.reset_weights()


def test_a_symmetric_tensor_cannot_be_constructed_directly():
    with pytest.raises(TypeError, match="as_symmetric"):
        SymmetricTensor((2, 2))


# ---------------------------------------------------------------------- is_symmetric


def test_is_symmetric():
    data = symmetric_data((3, 3), SymmetryGroup.symmetric((0, 1), 2))
    tensor = flops.as_symmetric(data, symmetry=(0, 1))
    with flops.BudgetContext(flop_budget=10**6) as budget:
        assert flops.is_symmetric(tensor) is True
        assert budget.flops_used == 0
        assert flops.is_symmetric(tensor, symmetry=(0, 1)) is True
        assert budget.flops_used == 9
        skewed = data + np.triu(np.ones((3, 3)), 1)
        assert flops.is_symmetric(skewed, symmetry=(0, 1)) is False
        assert budget.flops_used == 18
        assert [e.op_name for e in budget.op_log] == ["is_symmetric", "is_symmetric"]
        # a shape the group does not fit is not symmetric: no comparison is made
        assert flops.is_symmetric(np.ones((2, 3)), symmetry=(0, 1)) is False
        assert budget.flops_used == 18
    with pytest.raises(TypeError, match="symmetry="):
        flops.is_symmetric(data)
    with pytest.raises(ValueError):
        flops.is_symmetric(data, symmetry=(0, 5))


# ---------------------------------------------------------------------- symmetrize


@pytest.mark.parametrize(("shape", "spec"), SPECS)
def test_symmetrize_is_the_exact_group_average(shape, spec):
    group = SymmetryGroup.from_spec(spec, len(shape))
    data = RNG.standard_normal(shape)
    with flops.BudgetContext(flop_budget=10**9) as budget:
        tensor = flops.symmetrize(fnp.asarray(data), symmetry=spec)
    expected = sum(data.transpose(g) for g in group.elements) / group.order
    assert np.allclose(np.asarray(tensor), expected, rtol=1e-13, atol=1e-13)
    assert tensor.symmetry == group
    assert exactly_symmetric(tensor)
    assert budget.flops_used == group.order * data.size
    assert [e.op_name for e in budget.op_log] == ["symmetrize"]
    assert_honest(tensor)


def test_symmetrize_dtypes():
    ints = flops.symmetrize(np.array([[1, 2], [4, 1]]), symmetry=(0, 1))
    assert ints.dtype == np.float64
    assert np.array_equal(np.asarray(ints), [[1.0, 3.0], [3.0, 1.0]])
    single = flops.symmetrize(np.ones((2, 2), dtype=np.float32), symmetry=(0, 1))
    assert single.dtype == np.float32
    cplx = flops.symmetrize(np.array([[1j, 2], [0, 1]]), symmetry=(0, 1))
    assert cplx.dtype == np.complex128
    assert exactly_symmetric(cplx)


def test_symmetrize_is_charged_before_it_runs():
    with flops.BudgetContext(flop_budget=6 * 27 - 1) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            flops.symmetrize(np.ones((3, 3, 3)), symmetry=(0, 1, 2))
    assert budget.flops_used == 0


# ---------------------------------------------------------------------- derived groups


def exact_group(data: np.ndarray) -> set[tuple[int, ...]]:
    """Every axis permutation the data is exactly symmetric under (brute force)."""
    return {
        p
        for p in itertools.permutations(range(data.ndim))
        if np.array_equal(data, data.transpose(p))
    }


@pytest.mark.parametrize(
    "spec",
    [
        (0, 1),
        (1, 2),
        (0, 2),
        (0, 1, 2),
        SymmetryGroup.cyclic((0, 1, 2), 3),
        SymmetryGroup.cyclic((2, 1, 0), 3),
    ],
)
@pytest.mark.parametrize("perm", list(itertools.permutations(range(3))))
def test_transpose_carries_the_exact_group_of_the_transposed_data(spec, perm):
    tensor = flops.symmetrize(RNG.standard_normal((4, 4, 4)), symmetry=spec)
    # generic data: its exact symmetry is the declared group, nothing more
    assert exact_group(np.asarray(tensor)) == set(tensor.symmetry.elements)
    for moved in (tensor.transpose(perm), tensor.transpose(*perm), np.transpose(tensor, perm)):
        assert np.array_equal(np.asarray(moved), np.asarray(tensor).transpose(perm))
    moved = tensor.transpose(perm)
    assert type(moved) is SymmetricTensor
    assert set(moved.symmetry.elements) == exact_group(np.asarray(moved))
    assert_honest(moved)


def test_T_and_mT():
    tensor = flops.symmetrize(RNG.standard_normal((3, 4, 4)), symmetry=(1, 2))
    assert tensor.T.symmetry == SymmetryGroup.symmetric((0, 1), 3)
    assert np.array_equal(np.asarray(tensor.T), np.asarray(tensor).T)
    assert tensor.mT.symmetry == tensor.symmetry
    other = flops.symmetrize(RNG.standard_normal((4, 4, 3)), symmetry=(0, 1))
    assert set(other.mT.symmetry.elements) == exact_group(np.asarray(other.mT))
    with pytest.raises(ValueError):
        tensor.transpose(0, 1)
    with pytest.raises(ValueError):
        tensor.transpose(0, 0, 1)


def test_views_that_keep_the_group_and_those_that_give_plain_arrays():
    tensor = flops.symmetrize(RNG.standard_normal((3, 3)), symmetry=(0, 1))
    assert tensor.view().symmetry == tensor.symmetry
    assert tensor.real.symmetry == tensor.symmetry
    assert type(tensor.view(np.int64)) is fnp.ndarray
    assert type(tensor.view(np.ndarray)) is np.ndarray
    # indexing alike on both axes and reshapes that keep both axes keep the group
    for kept in (
        tensor[...],
        tensor[:2, :2],
        tensor[None],
        tensor.reshape(1, 3, 3, 1),
        tensor.squeeze(),
        tensor.swapaxes(0, 1),
    ):
        assert type(kept) is SymmetricTensor and kept.symmetric_axes == (
            tuple(a for a, d in enumerate(kept.shape) if d == 3 or d == 2)
        )
        assert not kept.flags.writeable
    for plain in (
        tensor[0],
        tensor[:, :2],
        tensor[[0, 1]],
        tensor.reshape(9),
        tensor.ravel(),
        tensor.flatten(),
        tensor.diagonal(),
        tensor.astype(np.float32),
        tensor.copy(),
        tensor.imag,
        tensor.sum(axis=0),
        fnp.asarray(tensor),
    ):
        assert type(plain) is fnp.ndarray
    product = tensor @ tensor  # symmetric by construction: a computed SymmetricTensor
    assert type(product) is SymmetricTensor
    product[0, 0] = product[0, 0]  # computed: its own API writes into it
    assert product.symmetry == SymmetryGroup.symmetric((0, 1), 2)
    for pointwise in (tensor + 0, np.sin(tensor)):  # pointwise ufuncs keep the group
        assert type(pointwise) is SymmetricTensor
        assert pointwise.symmetry == tensor.symmetry
        assert_honest(pointwise)
    complex_tensor = flops.symmetrize(np.array([[1j, 2], [0, 1 + 1j]]), symmetry=(0, 1))
    assert complex_tensor.real.symmetry == complex_tensor.symmetry
    assert exactly_symmetric(complex_tensor.real)
    assert type(complex_tensor.imag) is fnp.ndarray


def test_unknown_derivations_claim_nothing():
    tensor = flops.symmetrize(RNG.standard_normal((3, 3)), symmetry=(0, 1))
    copied = np.array(tensor, subok=True)  # NumPy's own subclass-preserving copy
    assert type(copied) is SymmetricTensor
    assert copied.symmetry.is_trivial
    assert copied.symmetric_axes == ()
    copied[0, 1] = 100.0  # writable, but it claims no symmetry
    assert_honest(copied)
    assert tensor[0, 1] != 100.0
    # declaring such an instance copies its (writable) data like any other array's
    copied[0, 1] = copied[1, 0]
    redeclared = flops.as_symmetric(copied, symmetry=(0, 1))
    assert not np.shares_memory(redeclared, copied)
    copied[0, 1] = 100.0
    assert_honest(redeclared)
    assert redeclared[0, 1] != 100.0


def test_copy_pickle_and_forged_pickles():
    tensor = flops.symmetrize(RNG.standard_normal((3, 3, 3)), symmetry=(0, 1, 2))
    for duplicate in (copy.copy(tensor), copy.deepcopy(tensor), pickle.loads(pickle.dumps(tensor))):
        assert type(duplicate) is SymmetricTensor
        assert duplicate.symmetry == tensor.symmetry
        assert np.array_equal(np.asarray(duplicate), np.asarray(tensor))
        assert_honest(duplicate)
    writable = tensor.copy()
    assert type(writable) is fnp.ndarray and writable.flags.writeable
    with pytest.raises(flops.SymmetryError):
        _rebuild(np.arange(9.0).reshape(3, 3), SymmetryGroup.symmetric((0, 1), 2))
    with pytest.raises(ValueError):
        tensor.__setstate__(pickle.loads(pickle.dumps(np.arange(27.0))).__reduce__()[2])


# ---------------------------------------------------------------------- forgery


def declared():
    source = symmetric_data((3, 3), SymmetryGroup.symmetric((0, 1), 2))
    return source, flops.as_symmetric(source, symmetry=(0, 1))


def _set_item(s):
    s[0, 1] = 5.0


def _set_slice(s):
    s[0, :] = 5.0


def _set_mask(s):
    s[np.asarray(s) > 0] = 5.0


def _set_fancy(s):
    s[[0], [1]] = 5.0


def _iadd(s):
    s += 1


def _imul(s):
    s *= fnp.arange(3.0)


def _imatmul(s):
    s @= s


def _set_through_T(s):
    s.T[0, 1] = 5.0


def _set_through_row(s):
    s[0][1] = 5.0


def _set_through_view(s):
    s.view()[0, 1] = 5.0


def _set_through_plain_view(s):
    s.view(np.ndarray)[0, 1] = 5.0


def _set_through_asarray(s):
    np.asarray(s)[0, 1] = 5.0


def _set_through_reshape(s):
    s.reshape(9)[1] = 5.0


def _set_through_flat(s):
    s.flat[1] = 5.0


def _assign_flat(s):
    s.flat = 5.0


def _set_through_real(s):
    s.real[0, 1] = 5.0


def _assign_real(s):
    s.real = np.zeros((3, 3))


def _assign_shape(s):
    s.shape = (9,)


def _assign_dtype(s):
    s.dtype = np.int64


def _make_writeable(s):
    s.setflags(write=True)


def _make_base_writeable(s):
    s.base.setflags(write=True)


def _make_plain_view_writeable(s):
    np.ndarray.view(s, np.ndarray).setflags(write=True)


def _as_strided_writeable(s):
    np.lib.stride_tricks.as_strided(s, writeable=True)[0, 1] = 5.0


WRITES = [
    _set_item,
    _set_slice,
    _set_mask,
    _set_fancy,
    _iadd,
    _imul,
    _imatmul,
    _set_through_T,
    _set_through_row,
    _set_through_view,
    _set_through_plain_view,
    _set_through_asarray,
    _set_through_reshape,
    _set_through_flat,
    _assign_flat,
    _set_through_real,
    _assign_real,
    _assign_shape,
    _assign_dtype,
    _make_writeable,
    _make_base_writeable,
    _make_plain_view_writeable,
    _as_strided_writeable,
    lambda s: s.fill(5.0),
    lambda s: s.put([1], [5.0]),
    lambda s: s.sort(),
    lambda s: s.partition(1),
    lambda s: s.resize((9,)),
    lambda s: s.byteswap(inplace=True),
    lambda s: s.setfield(5.0, np.float64),
    lambda s: np.copyto(s, np.arange(9.0).reshape(3, 3)),
    lambda s: fnp.copyto(s, fnp.arange(9.0).reshape(3, 3)),
    lambda s: np.put(s, [1], [5.0]),
    lambda s: np.place(s, np.asarray(s) > 0, [5.0]),
    lambda s: np.putmask(s, np.asarray(s) > 0, 5.0),
    lambda s: np.fill_diagonal(s.T, 5.0),
    lambda s: np.add(s, 1, out=s),
    lambda s: fnp.add(s, 1, out=s),
    lambda s: np.add(np.ones((3, 3)), np.arange(9.0).reshape(3, 3), out=s),
    lambda s: fnp.multiply(s, fnp.arange(3.0), out=(s,)),
    lambda s: np.negative(s, out=s),
    lambda s: np.add.at(s, ([0], [1]), 5.0),
    lambda s: fnp.add.at(s, ([0], [1]), 5.0),
    lambda s: np.sum(np.ones((2, 3, 3)), axis=0, out=s),
    lambda s: fnp.matmul(np.ones((3, 3)), np.arange(9.0).reshape(3, 3), out=s),
    lambda s: np.cumsum(np.arange(9.0), out=s.reshape(9)),
    lambda s: np.add.at(s[0], [1], 5.0),
    lambda s: fnp.add.at(s.T[0], [1], 5.0),
    lambda s: np.ndarray.__setitem__(s, (0, 1), 5.0),
    lambda s: np.ndarray.fill(s, 5.0),
    lambda s: np.ndarray.__iadd__(s, 1.0),
]


@pytest.mark.parametrize("write", WRITES)
def test_every_write_path_fails_and_leaves_the_tensor_unchanged(write):
    _, tensor = declared()
    before = np.asarray(tensor).copy()
    with flops.BudgetContext(flop_budget=10**6) as budget:
        with pytest.raises(ValueError, match=r"read-only|WRITEABLE"):
            write(tensor)
    assert budget.flops_used == 0
    assert np.array_equal(np.asarray(tensor), before)
    assert_honest(tensor)


def test_writes_to_the_source_do_not_reach_the_tensor():
    source, tensor = declared()
    before = np.asarray(tensor).copy()
    source[0, 1] = 99.0
    source += 1
    assert np.array_equal(np.asarray(tensor), before)
    counted_source = fnp.asarray(symmetric_data((3, 3), SymmetryGroup.symmetric((0, 1), 2)))
    tensor = flops.as_symmetric(counted_source, symmetry=(0, 1))
    counted_source[0, 1] = 99.0
    assert tensor[0, 1] != 99.0
    assert not np.shares_memory(tensor, counted_source)
    assert_honest(tensor)


def test_ufunc_at_refuses_read_only_counted_arrays():
    frozen = fnp.zeros(3)
    frozen.setflags(write=False)
    with flops.BudgetContext(flop_budget=10**6) as budget:
        with pytest.raises(ValueError, match="read-only"):
            fnp.add.at(frozen, [0], 1.0)
    assert budget.flops_used == 0
    assert not frozen.any()


def test_read_only_errors_say_why():
    _, tensor = declared()
    with pytest.raises(ValueError, match=r"SymmetricTensor is read-only.*copy"):
        tensor[0, 1] = 1.0
    with pytest.raises(ValueError, match="SymmetricTensor is read-only"):
        np.add(tensor, 1, out=tensor)


# ---------------------------------------------------------------------- no forged results

#: (operation, whether it needs exactly three axes)
OPERATIONS = [
    (lambda t: t.T, False),
    (lambda t: t.mT, False),
    (lambda t: t.transpose(2, 0, 1), True),
    (lambda t: t.transpose((1, 2, 0)), True),
    (lambda t: t.view(), False),
    (lambda t: t.view(SymmetricTensor), False),
    (lambda t: t.real, False),
    (lambda t: t.imag, False),
    (lambda t: t[0], False),
    (lambda t: t[..., ::-1], False),
    (lambda t: t[:, ::-1, :], True),
    (lambda t: t[1:], False),
    (lambda t: t[None], False),
    (lambda t: t.reshape(t.shape[::-1]), False),
    (lambda t: t.swapaxes(0, 2), True),
    (lambda t: t.squeeze(), False),
    (lambda t: t.copy(), False),
    (lambda t: copy.copy(t), False),
    (lambda t: np.asanyarray(t), False),
    (lambda t: np.array(t, subok=True), False),
    (lambda t: np.flip(t, 0), False),
    (lambda t: np.moveaxis(t, 0, -1), False),
    (lambda t: t + 1, False),
    (lambda t: -t, False),
    (lambda t: t * t, False),
    (lambda t: t.sum(axis=0, keepdims=True), False),
    (lambda t: np.sqrt(np.abs(t)), False),
]


@settings(max_examples=80, deadline=None)
@given(
    spec=st.sampled_from([(0, 1), (1, 2), (0, 1, 2), SymmetryGroup.cyclic((0, 1, 2), 3)]),
    steps=st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=5),
)
def test_no_operation_yields_a_symmetric_tensor_with_asymmetric_data(spec, steps):
    value = flops.symmetrize(RNG.standard_normal((3, 3, 3)), symmetry=spec)
    for operation, three_axes in steps:
        if value.ndim < 2:
            break
        if three_axes and value.ndim != 3:
            continue
        try:
            expected = operation(np.asarray(value))
        except IndexError:  # an index past an empty axis: the counted call raises too
            with pytest.raises(IndexError):
                operation(value)
            break
        value = operation(value)
        assert np.allclose(np.asarray(value), expected)
        assert_honest(value)


@pytest.mark.filterwarnings("ignore::flopscope.SymmetryLossWarning")  # tensor + other
def test_operations_give_numpy_values():
    data = symmetric_data((4, 4), SymmetryGroup.symmetric((0, 1), 2))
    tensor = flops.as_symmetric(data, symmetry=(0, 1))
    other = RNG.standard_normal((4, 4))
    for got, want in [
        (tensor + other, data + other),
        (tensor @ other, data @ other),
        (other @ tensor, other @ data),
        (np.exp(tensor), np.exp(data)),
        (fnp.einsum("ij,jk->ik", tensor, tensor), data @ data),
        (tensor.sum(axis=1), data.sum(axis=1)),
        (fnp.linalg.eigvalsh(tensor), np.linalg.eigvalsh(data)),
        (tensor.max(), data.max()),
        (tensor[1:3, 0], data[1:3, 0]),
        (tensor.T, data.T),
    ]:
        assert type(got) is not np.ndarray
        assert np.allclose(np.asarray(got), want, rtol=1e-12, atol=1e-12)


@pytest.mark.filterwarnings("ignore::flopscope.SymmetryLossWarning")  # cumsum drops it
def test_operations_on_a_symmetric_tensor_are_charged_as_on_plain_arrays_but_pointwise_ones():
    data = symmetric_data((5, 5), SymmetryGroup.symmetric((0, 1), 2))
    tensor = flops.as_symmetric(data, symmetry=(0, 1))
    plain = fnp.asarray(data)
    for operation in (lambda x: x.sum(), lambda x: fnp.cumsum(x, axis=0)):
        with flops.BudgetContext(flop_budget=10**6) as on_tensor:
            operation(tensor)
        with flops.BudgetContext(flop_budget=10**6) as on_plain:
            operation(plain)
        assert on_tensor.flops_used == on_plain.flops_used > 0
    # the contraction family prices the products the group leaves distinct: S @ S is
    # symmetric, (125 + 25) / 2 orbits of (i, j, k) under (i k)
    with flops.BudgetContext(flop_budget=10**6) as on_tensor:
        tensor @ tensor
    with flops.BudgetContext(flop_budget=10**6) as on_plain:
        plain @ plain
    assert (on_tensor.flops_used, on_plain.flops_used) == (75, 125)
    # pointwise ufuncs price the distinct elements: 5 * 6 / 2 of the 25
    for operation in (lambda x: x + 1, lambda x: x * x, lambda x: np.sin(x)):
        with flops.BudgetContext(flop_budget=10**6) as on_tensor:
            operation(tensor)
        with flops.BudgetContext(flop_budget=10**6) as on_plain:
            operation(plain)
        assert (on_tensor.flops_used, on_plain.flops_used) == (15, 25)


def test_repr_names_the_group():
    tensor = flops.as_symmetric(np.eye(2), symmetry=(0, 1))
    assert "SymmetricTensor" in repr(tensor) and "order=2" in repr(tensor)
    assert str(tensor) == str(np.eye(2))
