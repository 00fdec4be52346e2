"""Symmetry carried through reductions, elementwise functions, indexing and reshaping.

Soundness is a property: whatever group a derived SymmetricTensor claims, its data is
exactly symmetric under it (hypothesis draws groups, shapes, axes and indices). The
expected groups of named cases are written out by hand.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import SymmetricTensor, SymmetryGroup

pytestmark = pytest.mark.usefixtures("unit_weights")

RNG = np.random.default_rng(7)
S3 = SymmetryGroup.symmetric((0, 1, 2), 3)


def exactly_symmetric(x) -> bool:
    data = np.asarray(x)
    return all(np.array_equal(data, data.transpose(g)) for g in x.symmetry.generators)


def charged(fn):
    with flops.BudgetContext(flop_budget=10**9, quiet=True) as budget:
        result = fn()
    return result, budget.flops_used


@pytest.fixture
def tensor():
    return flops.symmetrize(RNG.standard_normal((4, 4, 4)), symmetry=(0, 1, 2))


# ---------------------------------------------------------------------- by hand
@pytest.mark.parametrize(
    ("reduce", "expected"),
    [
        (lambda t: fnp.sum(t, axis=0), SymmetryGroup.symmetric((0, 1), 2)),
        (lambda t: t.sum(axis=2), SymmetryGroup.symmetric((0, 1), 2)),
        (lambda t: np.max(t, axis=1), SymmetryGroup.symmetric((0, 1), 2)),
        (lambda t: fnp.mean(t, axis=-1), SymmetryGroup.symmetric((0, 1), 2)),
        (lambda t: fnp.argmax(t, axis=0), SymmetryGroup.symmetric((0, 1), 2)),
        # keepdims: the reduced axis stays, of length 1, fixed
        (lambda t: fnp.sum(t, axis=1, keepdims=True), SymmetryGroup.symmetric((0, 2), 3)),
    ],
)
def test_reductions_keep_what_the_reduced_axes_leave(tensor, reduce, expected):
    result, cost = charged(lambda: reduce(tensor))
    assert type(result) is SymmetricTensor and result.symmetry == expected
    assert exactly_symmetric(result)
    assert cost == 64  # reductions are priced as on plain data
    assert np.allclose(np.asarray(result), reduce(np.asarray(tensor)))


def test_reductions_to_one_axis_or_a_scalar_are_plain(tensor):
    matrix = flops.symmetrize(RNG.standard_normal((3, 3)), symmetry=(0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reductions drop axes without a warning
        assert type(fnp.sum(matrix, axis=0)) is fnp.ndarray
        assert type(tensor.sum()) is not SymmetricTensor
        assert type(fnp.sum(tensor, axis=(0, 1))) is fnp.ndarray


def test_elementwise_functions_that_are_no_ufuncs_keep_the_group(tensor):
    for function in (lambda t: fnp.round(t, 2), fnp.nan_to_num, fnp.sinc, fnp.isposinf):
        result, cost = charged(lambda f=function: f(tensor))
        assert type(result) is SymmetricTensor and result.symmetry == S3
        assert cost == 20  # the multisets of 3 indices from 4
        assert exactly_symmetric(result)


def test_indexing_alike_keeps_the_group(tensor):
    assert tensor[0].symmetry == SymmetryGroup.symmetric((0, 1), 2)
    assert tensor[1:3, 1:3, 1:3].symmetry == S3
    assert tensor[:2, :2].symmetry == SymmetryGroup.symmetric((0, 1), 3)
    assert tensor[:, :2].symmetry == SymmetryGroup.symmetric((0, 2), 3)
    assert tensor[None, ..., 1].symmetry == SymmetryGroup.symmetric((1, 2), 3)
    assert tensor[::2, ::2, ::2].symmetry == S3
    for plain in (tensor[0, 1], tensor[:2, 1:3], tensor[[0, 1]], tensor[tensor > 0]):
        assert type(plain) is not SymmetricTensor


def test_reshapes_that_keep_the_moved_axes_keep_the_group():
    data = RNG.standard_normal((2, 3, 5, 5))
    batch = flops.as_symmetric(data + data.transpose(0, 1, 3, 2), [(2, 3)])
    assert batch.reshape(6, 5, 5).symmetry == SymmetryGroup.symmetric((1, 2), 3)
    assert batch.reshape(1, 6, 1, 5, 5).symmetry == SymmetryGroup.symmetric((3, 4), 5)
    assert type(batch.reshape(6, 25)) is fnp.ndarray  # the symmetric axes merged
    assert type(batch.reshape(2, 3, 25)) is fnp.ndarray


def test_numpys_functions_that_move_axes_keep_what_survives():
    data = RNG.standard_normal((2, 3, 4, 4))
    batch = flops.as_symmetric(data + data.transpose(0, 1, 3, 2), [(2, 3)])
    pair = SymmetryGroup.symmetric
    for moved, expected in (
        (fnp.transpose(batch), pair((0, 1), 4)),
        (np.transpose(batch, (2, 3, 0, 1)), pair((0, 1), 4)),
        (np.moveaxis(batch, 0, -1), pair((1, 2), 4)),
        (fnp.swapaxes(batch, 2, 3), pair((2, 3), 4)),
        (fnp.linalg.matrix_transpose(batch), pair((2, 3), 4)),
        (fnp.reshape(batch, (6, 4, 4)), pair((1, 2), 3)),
        (np.expand_dims(batch, 0), pair((3, 4), 5)),
        (fnp.squeeze(batch[None]), pair((2, 3), 4)),
    ):
        assert type(moved) is SymmetricTensor and moved.symmetry == expected
        assert not moved.flags.writeable  # views of the declared data
        assert exactly_symmetric(moved)
    assert type(fnp.reshape(batch, (6, 16))) is fnp.ndarray


def test_a_reshape_that_copies_declared_data_is_a_computed_tensor():
    data = RNG.standard_normal((2, 3, 4, 4))
    declared = flops.as_symmetric(data + data.transpose(0, 1, 3, 2), [(2, 3)])
    # the batch axes swapped, then merged: not expressible as a view, NumPy copies
    copied = declared.transpose(1, 0, 2, 3).reshape(6, 4, 4)
    assert type(copied) is SymmetricTensor and not copied._trusted
    assert copied.symmetry == SymmetryGroup.symmetric((1, 2), 3)
    copied[0, 1, 0] = 99.0  # computed: writable through its API, checked when used
    assert copied.symmetry.is_trivial


# ---------------------------------------------------------------------- properties
@st.composite
def symmetric_tensors(draw):
    rank = draw(st.integers(2, 4))
    size = draw(st.integers(1, 3))
    shape = [size] * rank
    axes = draw(
        st.lists(st.integers(0, rank - 1), min_size=2, max_size=rank, unique=True).map(sorted)
    )
    kind = draw(st.sampled_from(["symmetric", "cyclic"])) if len(axes) > 2 else "symmetric"
    group = getattr(SymmetryGroup, kind)(tuple(axes), rank)
    for axis in range(rank):  # axes the group fixes may have any length
        if axis not in axes:
            shape[axis] = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**16))
    data = np.random.default_rng(seed).integers(-3, 4, size=shape)
    return flops.symmetrize(data, symmetry=group)


@st.composite
def basic_indices(draw, shape):
    entries = []
    for size in shape:
        kind = draw(st.sampled_from(["all", "slice", "int", "none"]))
        if kind == "all":
            entries.append(slice(None))
        elif kind == "slice":
            start = draw(st.integers(-size, size))
            stop = draw(st.integers(-size, size))
            entries.append(slice(start, stop, draw(st.sampled_from([1, 2, -1]))))
        elif kind == "int":
            entries.append(draw(st.integers(-size, size - 1)))
        else:
            entries.extend([None, slice(None)])
    return tuple(entries)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_claimed_group_holds_after_indexing(data):
    tensor = data.draw(symmetric_tensors())
    key = data.draw(basic_indices(tensor.shape))
    result = tensor[key]
    np.testing.assert_array_equal(np.asarray(result), np.asarray(tensor)[key])
    if type(result) is SymmetricTensor:
        assert exactly_symmetric(result)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_claimed_group_holds_after_a_reduction(data):
    tensor = data.draw(symmetric_tensors())
    rank = tensor.ndim
    axes = data.draw(st.lists(st.integers(0, rank - 1), min_size=1, max_size=rank - 1, unique=True))
    keepdims = data.draw(st.booleans())
    result = fnp.sum(tensor, axis=tuple(axes), keepdims=keepdims)
    expected = np.asarray(tensor).sum(axis=tuple(axes), keepdims=keepdims)
    np.testing.assert_array_equal(np.asarray(result), expected)
    if type(result) is SymmetricTensor:
        assert exactly_symmetric(result)
        # nothing more is claimed than the stabilizer of the reduced axes leaves
        if not keepdims:
            assert result.symmetry == tensor.symmetry.drop_axes(axes)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_claimed_group_holds_after_a_reshape(data):
    tensor = data.draw(symmetric_tensors())
    sizes = [d for d in tensor.shape if d != 1]
    ones = data.draw(st.lists(st.integers(0, len(sizes)), max_size=2))
    new = list(sizes)
    for position in sorted(ones, reverse=True):
        new.insert(position, 1)
    merge = data.draw(st.integers(0, max(0, len(new) - 2)))
    if len(new) > 1 and data.draw(st.booleans()):
        new[merge : merge + 2] = [new[merge] * new[merge + 1]]
    result = tensor.reshape(tuple(new) or (1,))
    np.testing.assert_array_equal(
        np.asarray(result), np.asarray(tensor).reshape(tuple(new) or (1,))
    )
    if type(result) is SymmetricTensor:
        assert exactly_symmetric(result)


def test_itertools_is_used_for_the_hand_groups():
    # the symmetric group of three axes acts on the 4**3 entries with 20 orbits
    orbits = {tuple(sorted(t)) for t in itertools.product(range(4), repeat=3)}
    assert len(orbits) == S3.orbit_count((4, 4, 4)) == 20


def test_other_functions_of_a_declared_tensor_warn_when_a_same_shaped_result_drops_it():
    s = flops.symmetrize(RNG.standard_normal((4, 4)), symmetry=(0, 1))
    with pytest.warns(flops.SymmetryLossWarning, match="cumsum"):
        fnp.cumsum(s, axis=0)
    with pytest.warns(flops.SymmetryLossWarning, match="sort"):
        fnp.sort(s)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fnp.linalg.eigh(s)  # results of other shapes: nothing to keep, no warning
        fnp.trace(s)
        flops.configure(symmetry_warnings=False)
        try:
            fnp.cumsum(s, axis=0)
        finally:
            flops.configure(symmetry_warnings=True)
        x = fnp.asarray(RNG.standard_normal((5, 4)))
        fnp.cumsum(x.T @ x, axis=0)  # computed, not declared: silent
