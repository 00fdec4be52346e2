"""The accumulation-cost queries (einsum_accumulation_cost, reduction_accumulation_cost)
against the specification's numbers and against loop nests run by hand, counting each
multiplication and addition they perform."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._accumulation import AccumulationStep
from samples import unit_weights as unit_weights_block

SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# ---------------------------------------------------------------------- the oracles
def _loop_nest(terms: list[str], result: str, arrays: list[np.ndarray]):
    """Run ``terms -> result`` as its naive loop nest into a zeroed output: every
    assignment of the involved indices forms one product of the operands' entries and
    adds it to the output. Returns (output, multiplications, additions)."""
    dims: dict[str, int] = {}
    for term, x in zip(terms, arrays):
        for c, d in zip(term, x.shape):
            dims[c] = d
    letters = list(dict.fromkeys("".join(terms)))
    out = np.zeros(tuple(dims[c] for c in result))
    multiplications = additions = 0
    for values in itertools.product(*(range(dims[c]) for c in letters)):
        at = dict(zip(letters, values))
        product = arrays[0][tuple(at[c] for c in terms[0])]
        for term, x in zip(terms[1:], arrays[1:]):
            product = product * x[tuple(at[c] for c in term)]
            multiplications += 1
        out[tuple(at[c] for c in result)] += product
        additions += 1
    return out, multiplications, additions


def _run_path(subscripts: str, arrays: list[np.ndarray], path: list[tuple[int, ...]]):
    """Contract ``arrays`` along ``path`` (positions in the current operand list, the
    result appended), each step by :func:`_loop_nest`. Returns (output, per step:
    (subscripts, multiplications, additions))."""
    inputs, out = subscripts.split("->")
    terms = inputs.split(",")
    current = list(zip(terms, arrays))
    counted = []
    for positions in path:
        chosen = [current[p] for p in positions]
        for p in sorted(positions, reverse=True):
            del current[p]
        involved = "".join(dict.fromkeys("".join(t for t, _ in chosen)))
        needed = set(out).union(*(t for t, _ in current))
        result = "".join(c for c in involved if c in needed) if current else out
        value, mults, adds = _loop_nest([t for t, _ in chosen], result, [x for _, x in chosen])
        counted.append((",".join(t for t, _ in chosen) + "->" + result, mults, adds))
        current.append((result, value))
    assert len(current) == 1
    return current[0][1], counted


@st.composite
def contractions(draw, min_operands=1, max_operands=4):
    """Explicit subscripts of 1 to max_operands operands (indices may repeat within an
    operand: diagonals) over small dimensions (0 included), with matching shapes."""
    letters = "abcde"
    dims = {c: draw(st.sampled_from([0, 1, 2, 2, 3, 3])) for c in letters}
    n = draw(st.integers(min_operands, max_operands))
    terms = [
        "".join(draw(st.lists(st.sampled_from(letters), min_size=0, max_size=3))) for _ in range(n)
    ]
    used = list(dict.fromkeys("".join(terms)))
    out = draw(st.permutations(used)) if used else []
    out = "".join(out[: draw(st.integers(0, len(used)))])
    shapes = [tuple(dims[c] for c in t) for t in terms]
    return ",".join(terms) + "->" + out, shapes


# ---------------------------------------------------------------------- the specification
def test_spec_matmul_accumulation_total():
    a, b = np.zeros((256, 256)), np.zeros((256, 256))
    cost = flops.einsum_accumulation_cost("ij,jk->ik", a, b)
    assert isinstance(cost, flops.AccumulationCost)
    assert (cost.multiplications, cost.additions) == (256**3, 256**3)
    assert cost.total == 33_554_432


def test_spec_full_sum_accumulation_total():
    cost = flops.reduction_accumulation_cost(np.zeros((256, 256)), op_factor=1)
    assert (cost.multiplications, cost.additions, cost.total) == (0, 65_535, 65_535)


def test_shapes_and_arrays_give_the_same_counts():
    by_shape = flops.einsum_accumulation_cost("ij,jk->ik", (256, 256), (256, 256))
    assert by_shape == flops.einsum_accumulation_cost(
        "ij,jk->ik", np.zeros((256, 256)), np.zeros((256, 256))
    )
    assert flops.reduction_accumulation_cost((256, 256)).total == 65_535


def test_the_queries_are_in_accounting_and_on_flopscope():
    for name in ("einsum_accumulation_cost", "reduction_accumulation_cost"):
        assert name in flops.accounting.__all__ and name in flops.__all__
        assert getattr(flops, name) is getattr(flops.accounting, name)
    assert "AccumulationCost" in flops.__all__


# ---------------------------------------------------------------------- einsum
def _check_against_loop_nests(subscripts, arrays, cost):
    path = [s.positions for s in cost.steps]
    result, counted = _run_path(subscripts, arrays, path)
    assert [(s.subscripts, s.multiplications, s.additions) for s in cost.steps] == counted
    assert cost.multiplications == sum(m for _, m, _ in counted)
    assert cost.additions == sum(a for _, _, a in counted)
    assert cost.total == cost.multiplications + cost.additions
    np.testing.assert_allclose(result, np.einsum(subscripts, *arrays), atol=1e-9)


@SETTINGS
@given(contraction=contractions(), seed=st.integers(0, 2**16))
def test_einsum_counts_are_those_of_the_naive_loop_nests(contraction, seed):
    subscripts, shapes = contraction
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) for s in shapes]
    cost = flops.einsum_accumulation_cost(subscripts, *arrays)
    _check_against_loop_nests(subscripts, arrays, cost)


@SETTINGS
@given(contraction=contractions(min_operands=2), seed=st.integers(0, 2**16), data=st.data())
def test_einsum_counts_along_any_pairwise_path(contraction, seed, data):
    # an explicit path: every pairwise step counted as its loop nest runs
    subscripts, shapes = contraction
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) for s in shapes]
    path = []
    for remaining in range(len(shapes), 1, -1):
        pair = data.draw(
            st.lists(st.integers(0, remaining - 1), min_size=2, max_size=2, unique=True)
        )
        path.append(tuple(sorted(pair)))
    cost = flops.einsum_accumulation_cost(subscripts, *arrays, optimize=["einsum_path", *path])
    assert [s.positions for s in cost.steps] == path
    _check_against_loop_nests(subscripts, arrays, cost)


@SETTINGS
@given(contraction=contractions(), seed=st.integers(0, 2**16))
def test_einsum_one_fused_loop_counts_every_index_once(contraction, seed):
    # optimize=False: one loop over every index, (operands - 1) multiplications each
    subscripts, shapes = contraction
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) for s in shapes]
    cost = flops.einsum_accumulation_cost(subscripts, *shapes, optimize=False)
    inputs, out = subscripts.split("->")
    result, mults, adds = _loop_nest(inputs.split(","), out, arrays)
    assert (cost.multiplications, cost.additions) == (mults, adds)
    assert len(cost.steps) == 1
    np.testing.assert_allclose(result, np.einsum(subscripts, *arrays), atol=1e-9)


@SETTINGS
@given(contraction=contractions(max_operands=4))
def test_einsum_additions_are_what_einsum_charges(contraction, unit_weights):
    # one addition per product: the additions are einsum's multiply-add count
    subscripts, shapes = contraction
    cost = flops.einsum_accumulation_cost(subscripts, *shapes)
    assert cost.additions == flops.einsum_cost(subscripts, shapes)
    with flops.BudgetContext(10**12) as budget:
        fnp.einsum(subscripts, *[np.ones(s) for s in shapes])
    assert budget.flops_used == cost.additions


@SETTINGS
@given(contraction=contractions(max_operands=2), fma=st.sampled_from([1, 2]))
def test_two_operand_total_is_einsum_cost_at_fma_cost_two(contraction, fma):
    subscripts, shapes = contraction
    if len(shapes) != 2:
        return
    flops.configure(fma_cost=fma)
    try:
        cost = flops.einsum_accumulation_cost(subscripts, *shapes)
        # not scaled by fma_cost: the counts are those of fma_cost=1's products
        assert (
            cost.multiplications == cost.additions == flops.einsum_cost(subscripts, shapes) // fma
        )
    finally:
        flops.configure(fma_cost=1)
    flops.configure(fma_cost=2)
    try:
        assert cost.total == flops.einsum_cost(subscripts, shapes)
    finally:
        flops.configure(fma_cost=1)


def test_matmul_relation_at_fma_cost_two(fma_two):
    shapes = [(30, 40), (40, 50)]
    cost = flops.einsum_accumulation_cost("ij,jk->ik", *shapes)
    assert cost.total == flops.einsum_cost("ij,jk->ik", shapes) == 2 * 30 * 40 * 50


def test_single_operand_steps_only_add():
    trace = flops.einsum_accumulation_cost("ii->", (7, 7))
    assert (trace.multiplications, trace.additions) == (0, 7)
    total = flops.einsum_accumulation_cost("ijk->", (2, 3, 4))
    assert (total.multiplications, total.additions) == (0, 24)
    assert total.steps == (AccumulationStep((0,), "ijk->", 24, 0, 24),)


def test_three_operand_path_counts_each_pairwise_step():
    cost = flops.einsum_accumulation_cost("ij,jk,kl->il", (10, 20), (20, 30), (30, 5))
    assert [(s.subscripts, s.products) for s in cost.steps] == [
        ("jk,kl->jl", 20 * 30 * 5),
        ("ij,jl->il", 10 * 20 * 5),
    ]
    assert cost.multiplications == cost.additions == 3_000 + 1_000
    fused = flops.einsum_accumulation_cost(
        "ij,jk,kl->il", (10, 20), (20, 30), (30, 5), optimize=False
    )
    n = 10 * 20 * 30 * 5
    assert (fused.multiplications, fused.additions) == (2 * n, n)


def test_counted_arrays_and_lists_are_operands():
    a = fnp.ones((3, 4))
    cost = flops.einsum_accumulation_cost("ij,j->i", a, [1.0, 2.0, 3.0, 4.0])
    assert (cost.multiplications, cost.additions) == (12, 12)
    assert flops.reduction_accumulation_cost(a, axis=1).additions == 3 * 3
    assert flops.reduction_accumulation_cost([[1, 2], [3, 4]]).additions == 3
    assert flops.reduction_accumulation_cost(5.0).total == 0


# ---------------------------------------------------------------------- one array twice
def _symmetric_loop_nest(a: str, b: str, result: str, x: np.ndarray):
    """``a,b -> result`` with both operands ``x``, computing only one entry of each pair
    that exchanging the operands maps onto each other (the output is symmetric under
    it), the other copied. Returns (output, multiplications, additions)."""
    swap = {}
    for u, v in zip(a, b):
        swap[u], swap[v] = v, u
    dims = {**dict(zip(a, x.shape)), **dict(zip(b, x.shape))}
    summed = [c for c in dict.fromkeys(a + b) if c not in result]
    out = np.zeros(tuple(dims[c] for c in result))
    multiplications = additions = 0
    for entry in itertools.product(*(range(dims[c]) for c in result)):
        at = dict(zip(result, entry))
        image = tuple(at[swap.get(c, c)] for c in result)
        if image < entry:
            continue  # its partner is computed
        for values in itertools.product(*(range(dims[c]) for c in summed)):
            full = {**at, **dict(zip(summed, values))}
            out[entry] += x[tuple(full[c] for c in a)] * x[tuple(full[c] for c in b)]
            multiplications += 1
            additions += 1
        out[image] = out[entry]
    return out, multiplications, additions


@pytest.mark.parametrize(
    ("subscripts", "shape"),
    [
        ("ij,ik->jk", (6, 4)),
        ("ij,ik->kj", (5, 3)),
        ("ji,ki->jk", (4, 6)),
        ("i,j->ij", (7,)),
        ("ijk,ilk->jl", (3, 4, 2)),
        ("ijk,ikj->jk", (2, 3, 3)),
    ],
)
def test_one_array_twice_counts_the_distinct_entries(subscripts, shape, unit_weights):
    x = np.random.default_rng(0).standard_normal(shape)
    cost = flops.einsum_accumulation_cost(subscripts, x, x)
    inputs, result = subscripts.split("->")
    a, b = inputs.split(",")
    out, mults, adds = _symmetric_loop_nest(a, b, result, x)
    np.testing.assert_allclose(out, np.einsum(subscripts, x, x), atol=1e-9)
    assert (cost.multiplications, cost.additions) == (mults, adds)
    assert mults < flops.einsum_accumulation_cost(subscripts, x, x.copy()).multiplications
    with flops.BudgetContext(10**9) as budget:
        fnp.einsum(subscripts, x, x)
    assert budget.flops_used == cost.additions


@SETTINGS
@given(m=st.integers(1, 6), n=st.integers(1, 6))
def test_gram_matrix_products_are_the_distinct_entries(m, n):
    x = np.ones((m, n))
    cost = flops.einsum_accumulation_cost("ij,ik->jk", x, x)
    products = n * (n + 1) // 2 * m
    assert (cost.multiplications, cost.additions) == (products, products)
    assert cost.steps[0].products == products


def test_gram_matrix_at_the_spec_size():
    x = np.ones((100, 100))
    assert flops.einsum_accumulation_cost("ij,ik->jk", x, x).total == 2 * 5_050 * 100


def test_one_array_in_a_longer_chain():
    x, y = np.ones((8, 5)), np.ones((5, 3))
    cost = flops.einsum_accumulation_cost("ij,ik,kl->jl", x, x, y)
    distinct = flops.einsum_accumulation_cost("ij,ik,kl->jl", x, x.copy(), y)
    assert cost.total < distinct.total


def test_a_shape_passed_twice_is_not_one_array():
    shape = (100, 30)
    cost = flops.einsum_accumulation_cost("ij,ik->jk", shape, shape)
    assert cost.multiplications == 100 * 30 * 30


# ---------------------------------------------------------------------- reductions
def _all_axes(ndim: int):
    for r in range(ndim + 1):
        yield from itertools.combinations(range(ndim), r)


def _combining_steps(x: np.ndarray, axes: tuple[int, ...]):
    """Fold the values of each output entry one by one; count the combining steps.
    Returns (folded output, steps)."""
    kept = [i for i in range(x.ndim) if i not in axes]
    out = np.zeros(tuple(x.shape[i] for i in kept))
    steps = 0
    for entry in itertools.product(*(range(x.shape[i]) for i in kept)):
        at = dict(zip(kept, entry))
        total = None
        for values in itertools.product(*(range(x.shape[i]) for i in axes)):
            at.update(zip(axes, values))
            value = x[tuple(at[i] for i in range(x.ndim))]
            if total is None:
                total = value
            else:
                total = total + value
                steps += 1
        out[entry] = 0.0 if total is None else total
    return out, steps


@SETTINGS
@given(
    shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
    op_factor=st.integers(0, 3),
)
def test_reductions_over_every_axis_combination(shape, op_factor):
    x = np.arange(math.prod(shape), dtype=float).reshape(shape)
    for axes in _all_axes(len(shape)):
        out, steps = _combining_steps(x, axes)
        np.testing.assert_allclose(out, x.sum(axis=axes))
        expected = (0, steps * op_factor)
        negative = tuple(a - len(shape) for a in axes)
        for axis in (axes, negative, list(axes)):
            cost = flops.reduction_accumulation_cost(x, op_factor=op_factor, axis=axis)
            assert (cost.multiplications, cost.additions) == expected
            assert cost.total == steps * op_factor
        if len(axes) == 1:
            cost = flops.reduction_accumulation_cost(shape, op_factor, axes[0])
            assert cost.additions == steps * op_factor
        if x.size and all(shape[a] for a in axes):
            assert steps == x.size - out.size
    everything = flops.reduction_accumulation_cost(shape, op_factor)
    assert everything == flops.reduction_accumulation_cost(
        shape, op_factor, tuple(range(len(shape)))
    )


def test_op_factor_scales_the_combining_steps():
    cost = flops.reduction_accumulation_cost((10, 10), op_factor=2, axis=0)
    assert (cost.multiplications, cost.additions) == (0, 2 * 9 * 10)
    numpy_ints = flops.reduction_accumulation_cost(
        (10, 10), op_factor=np.int64(2), axis=np.int64(0)
    )
    assert numpy_ints == cost


# ---------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("subscripts", "operands", "match"),
    [
        ("ij,jk->ik", [(2, 3), (4, 5)], "dimension|size|mismatch|match"),
        ("ij,jk->ik", [(2, 3)], "operand"),
        ("ij->k", [(2, 3)], "k"),
        ("i$,j->i", [(2, 3), (3,)], "invalid"),
        ("ij,jk->ik", [(2, -3), (3, 4)], "non-negative"),
        ("ij,jk->ik", [(2, 3.5), (3, 4)], "non-negative"),
        ("ij", [object()], "array or a shape"),
        (3, [(2, 3)], "string"),
        ("ij->", [], "at least one operand"),
    ],
)
def test_einsum_bad_input_raises_value_error(subscripts, operands, match):
    with pytest.raises(ValueError, match=match):
        flops.einsum_accumulation_cost(subscripts, *operands)


def test_einsum_unknown_optimize_raises():
    with pytest.raises(ValueError, match="optimize"):
        flops.einsum_accumulation_cost("ij,jk->ik", (2, 3), (3, 4), optimize="fastest")


@pytest.mark.parametrize("op_factor", [-1, 1.5, True, "2", None])
def test_reduction_bad_op_factor(op_factor):
    with pytest.raises(ValueError, match="op_factor"):
        flops.reduction_accumulation_cost((3, 4), op_factor=op_factor)


@pytest.mark.parametrize("axis", [2, -3, (0, 2), (5,)])
def test_reduction_axis_out_of_range_is_numpys_axis_error(axis):
    with pytest.raises(np.exceptions.AxisError):
        flops.reduction_accumulation_cost((3, 4), axis=axis)
    with pytest.raises(np.exceptions.AxisError):
        np.sum(np.ones((3, 4)), axis=axis)


def test_reduction_axis_of_a_scalar_is_out_of_range():
    with pytest.raises(np.exceptions.AxisError):
        flops.reduction_accumulation_cost((), axis=0)


@pytest.mark.parametrize(
    ("axis", "match"),
    [
        ((0, 0), "duplicate"),
        ((1, -1), "duplicate"),
        (1.0, "axis"),
        (True, "axis"),
        ((0, "1"), "axis"),
    ],
)
def test_reduction_bad_axis_raises_value_error(axis, match):
    with pytest.raises(ValueError, match=match):
        flops.reduction_accumulation_cost((3, 4), axis=axis)


@pytest.mark.parametrize("x", [(3, -1), "abc", object(), (2.0, 3)])
def test_reduction_bad_input_raises_value_error(x):
    with pytest.raises(ValueError):
        flops.reduction_accumulation_cost(x)


# ---------------------------------------------------------------------- queries only
def test_nothing_is_charged_inside_a_budget():
    x = fnp.ones((300, 300))
    with flops.BudgetContext(flop_budget=10) as budget:
        einsum = flops.einsum_accumulation_cost("ij,jk->ik", x, x)
        reduction = flops.reduction_accumulation_cost(x, op_factor=2)
        gram = flops.einsum_accumulation_cost("ij,ik->jk", x, x)
        assert budget.flops_used == 0
        assert len(budget.op_log) == 0
    assert einsum.total == 2 * 300**3
    assert reduction.total == 2 * (300 * 300 - 1)
    assert gram.additions == 300 * 301 // 2 * 300


def test_not_weighted():
    assert flops.get_weight("exp") != 1.0  # the packaged weights are active
    with flops.BudgetContext(10**9) as budget:
        weighted = flops.reduction_accumulation_cost((64, 64))
    assert budget.flops_used == 0
    with unit_weights_block():
        assert flops.reduction_accumulation_cost((64, 64)) == weighted


# ---------------------------------------------------------------------- the value object
def test_value_object_is_frozen_and_totals():
    cost = flops.einsum_accumulation_cost("ij,j->i", (3, 4), (4,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        cost.additions = 0  # type: ignore[misc]
    assert cost.total == 24
    assert cost.steps[0].total == 24
    assert flops.AccumulationCost(3, 4).total == 7


@pytest.mark.parametrize(("multiplications", "additions"), [(-1, 0), (0, -1), (1.5, 0), (True, 0)])
def test_value_object_refuses_bad_counts(multiplications, additions):
    with pytest.raises(ValueError):
        flops.AccumulationCost(multiplications, additions)


def test_value_object_refuses_steps_that_do_not_add_up():
    step = AccumulationStep((0, 1), "ij,jk->ik", 8, 8, 8)
    with pytest.raises(ValueError, match="add up"):
        flops.AccumulationCost(8, 9, (step,))


def test_str_shows_each_step():
    cost = flops.einsum_accumulation_cost("ij,jk,kl->il", (10, 20), (20, 30), (30, 5))
    text = str(cost)
    lines = text.splitlines()
    assert lines[0] == (
        "einsum 'ij,jk,kl->il' of shapes (10, 20), (20, 30), (30, 5): 8,000 operations "
        "(4,000 multiplications + 4,000 additions)"
    )
    assert lines[1].split() == ["step", "subscripts", "products", "multiplications", "additions"]
    assert lines[2].split() == ["0", "jk,kl->jl", "3,000", "3,000", "3,000"]
    assert lines[3].split() == ["1", "ij,jl->il", "1,000", "1,000", "1,000"]
    assert len(lines) == 4


def test_str_shows_how_a_reduction_counts():
    text = str(flops.reduction_accumulation_cost((256, 256), op_factor=2, axis=1))
    assert text.splitlines() == [
        "reduction of shape (256, 256) over axes (1,): 130,560 operations "
        "(0 multiplications + 130,560 additions)",
        "  256 output value(s), each combining 256 input value(s): 65,280 combining steps",
        "  x op_factor 2 = 130,560 operations, counted as additions",
    ]


# ---------------------------------------------------------------------- symmetric operands
def test_symmetric_operands_lower_the_einsum_accumulation_exactly():
    data = np.random.default_rng(3).standard_normal((10, 10))
    s = flops.symmetrize(data, symmetry=(0, 1))
    cost = flops.einsum_accumulation_cost("ij,jk->ik", s, s)
    # S S is symmetric: (1000 + 100) / 2 orbits of (i, j, k), one product each
    assert cost.steps[0].products == 550
    assert (cost.multiplications, cost.additions) == (550, 550)
    dense = flops.einsum_accumulation_cost("ij,jk->ik", data, data.copy())
    assert dense.total == 2000
    with flops.BudgetContext(flop_budget=10**6, quiet=True) as budget:
        fnp.einsum("ij,jk->ik", s, s)
    assert budget.flops_used == cost.steps[0].products  # what the call charges (FMA = 1)


def test_symmetric_operands_lower_the_reduction_accumulation_exactly():
    s = flops.symmetrize(np.random.default_rng(4).standard_normal((10, 10)), symmetry=(0, 1))
    # every axis reduced: the 55 distinct values combined, 54 steps
    assert flops.reduction_accumulation_cost(s).total == 54
    assert flops.reduction_accumulation_cost(np.asarray(s)).total == 99
    # one axis of a symmetric 3-tensor: the 10 distinct outputs (multisets of 2 from 4)
    # combine the 40 orbits of the group that fixes the reduced axis
    t = flops.symmetrize(np.random.default_rng(5).standard_normal((4, 4, 4)), (0, 1, 2))
    assert flops.reduction_accumulation_cost(t, axis=2).total == 40 - 10
    assert flops.reduction_accumulation_cost(t, op_factor=2, axis=2).total == 2 * 30
