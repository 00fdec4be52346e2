"""The einsum planner: charged paths against a brute-force oracle, explicit paths,
einsum_path, refusals and the plan cache."""

from __future__ import annotations

import itertools

import numpy as np
import opt_einsum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import einsum_symmetry_oracle as oracle
import flopscope as flops
import flopscope.numpy as fnp
from flopscope import _einsum


# ---------------------------------------------------------------------- the oracle
def loop_nest_multiply_adds(inputs: list[str], dims: dict[str, int]) -> int:
    """Scalar multiply-adds of the naive loop nest of one step: one per iteration over
    every distinct index the step's inputs name (counted by running the loops)."""
    indices = sorted(set("".join(inputs)))
    return sum(1 for _ in itertools.product(*(range(dims[c]) for c in indices)))


def oracle_cost(terms: list[str], out: str, dims: dict[str, int], path) -> int:
    """The cost of ``path`` (NumPy's step list), step by step."""
    current = list(terms)
    total = 0
    for step in path:
        inputs = [current[p] for p in step]
        for p in sorted(step, reverse=True):
            del current[p]
        total += loop_nest_multiply_adds(inputs, dims)
        needed = set(out).union(*current)
        current.append("".join(sorted(set("".join(inputs)) & needed)))
    assert len(current) == 1
    return total


@st.composite
def contraction(draw):
    """(subscripts, terms, out, dims) of a random 2-4 operand contraction, small dims."""
    letters = draw(st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=6, unique=True))
    dims = {c: draw(st.integers(1, 3)) for c in letters}
    n = draw(st.integers(2, 4))
    terms = ["".join(draw(st.lists(st.sampled_from(letters), max_size=3))) for _ in range(n)]
    used = sorted(set("".join(terms)))
    out = "".join(draw(st.permutations(used))[: draw(st.integers(0, len(used)))])
    return ",".join(terms) + "->" + out, terms, out, {c: dims[c] for c in used}


def _operands(terms, dims, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(tuple(dims[c] for c in t)) for t in terms]


@settings(max_examples=120, deadline=None)
@given(contraction(), st.sampled_from([True, "optimal", "greedy", False]))
def test_charge_is_the_oracle_cost_of_the_path_that_runs(case, optimize):
    spec, terms, out, dims = case
    ops = _operands(terms, dims)
    with flops.BudgetContext(10**9, quiet=True) as budget:
        got = fnp.einsum(spec, *ops, optimize=optimize)
    plan = _einsum.plan(spec, [o.shape for o in ops], optimize)
    if optimize is False:  # NumPy's one fused loop over every index
        expected = loop_nest_multiply_adds(terms, dims)
    else:
        expected = oracle_cost(terms, out, dims, plan.path)
        # NumPy accepts the path as given (it is a valid path for this contraction)
        np.einsum_path(spec, *ops, optimize=plan.numpy_path)
    assert budget.flops_used == expected == plan.optimized_cost
    assert plan.naive_cost == loop_nest_multiply_adds(terms, dims)
    np.testing.assert_allclose(got, np.einsum(spec, *ops), rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(contraction())
def test_the_default_path_is_no_worse_than_opt_einsum_optimal_or_numpy_greedy(case):
    spec, terms, out, dims = case
    shapes = [tuple(dims[c] for c in t) for t in terms]
    cost = _einsum.plan(spec, shapes).optimized_cost
    ref, _ = opt_einsum.contract_path(spec, *shapes, shapes=True, optimize="optimal")
    assert cost <= oracle_cost(terms, out, dims, ref)
    np_path = np.einsum_path(spec, *_operands(terms, dims), optimize="greedy")[0][1:]
    assert cost <= oracle_cost(terms, out, dims, np_path)


def test_three_operand_chain_is_the_sum_of_its_steps(unit_weights):
    a, b, c = np.ones((10, 20)), np.ones((20, 30)), np.ones((30, 5))
    with flops.BudgetContext(10**9) as budget:
        r = fnp.einsum("ij,jk,kl->il", a, b, c)
    assert budget.flops_used == 20 * 30 * 5 + 10 * 20 * 5  # not 10*20*30*5
    np.testing.assert_allclose(r, a @ b @ c)
    assert flops.einsum_cost("ij,jk,kl->il", [(10, 20), (20, 30), (30, 5)]) == 4_000
    assert flops.einsum_cost("ij,jk,kl->il", [(10, 20), (20, 30), (30, 5)], optimize=False) == (
        10 * 20 * 30 * 5
    )


def test_seed_001_contraction_plans_far_below_the_naive_cost():
    shapes = [(8, 8, 8), (10, 8), (10, 8), (10, 8)]
    plan = _einsum.plan("ijk,ai,bj,ck->abc", shapes)
    assert plan.naive_cost == 8**3 * 10**3
    # ijk,ck->ijc; ijc,bj->ibc; ibc,ai->abc
    assert plan.optimized_cost == 8**3 * 10 + 8 * 8 * 10 * 10 + 8 * 10**3 == 19_520
    assert plan.speedup > 26


# ---------------------------------------------------------------------- explicit paths
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (["einsum_path", (0, 1), (0, 1)], 10 * 20 * 30 + 10 * 30 * 5),
        (["einsum_path", (1, 2), (0, 1)], 20 * 30 * 5 + 10 * 20 * 5),
        (["einsum_path", (0, 1, 2)], 10 * 20 * 30 * 5),  # one fused step
        (("einsum_path", [0, 2], [0, 1]), 2 * 10 * 20 * 30 * 5),  # outer product first
    ],
)
def test_an_explicit_path_is_priced_and_run_as_given(unit_weights, path, expected):
    a, b, c = (np.random.default_rng(1).standard_normal(s) for s in ((10, 20), (20, 30), (30, 5)))
    with flops.BudgetContext(10**9) as budget:
        r = fnp.einsum("ij,jk,kl->il", a, b, c, optimize=path)
    assert budget.flops_used == expected
    np.testing.assert_array_equal(r, np.einsum("ij,jk,kl->il", a, b, c, optimize=list(path)))


def test_optimize_false_is_the_fused_loop(unit_weights):
    a, b, c = np.ones((4, 5)), np.ones((5, 6)), np.ones((6, 7))
    with flops.BudgetContext(10**9) as budget:
        r = fnp.einsum("ij,jk,kl->il", a, b, c, optimize=False)
    assert budget.flops_used == 4 * 5 * 6 * 7
    np.testing.assert_array_equal(r, np.einsum("ij,jk,kl->il", a, b, c))


def test_interleaved_form_is_planned_like_the_string(unit_weights):
    a, b, c = np.ones((4, 5)), np.ones((5, 6)), np.ones((6, 7))
    with flops.BudgetContext(10**9) as budget:
        r = fnp.einsum(a, [0, 1], b, [1, 2], c, [2, 3], [0, 3])
    assert budget.flops_used == flops.einsum_cost("ab,bc,cd->ad", [(4, 5), (5, 6), (6, 7)])
    np.testing.assert_allclose(r, a @ b @ c)


def test_fma_cost_two_doubles_every_step(fma_two):
    assert flops.einsum_cost("ij,jk,kl->il", [(10, 20), (20, 30), (30, 5)]) == 8_000


# ---------------------------------------------------------------------- einsum_path
def test_einsum_path_returns_numpys_path_and_records_one_flop(unit_weights):
    a, b, c = np.ones((10, 20)), np.ones((20, 30)), np.ones((30, 5))
    with flops.BudgetContext(10**9) as budget:
        path, info = fnp.einsum_path("ij,jk,kl->il", a, b, c)
    assert path == np.einsum_path("ij,jk,kl->il", a, b, c)[0]
    assert isinstance(info, _einsum.EinsumPlan)
    assert info.optimized_cost == 4_000 and info.naive_cost == 30_000
    assert info.speedup == 7.5 and info.largest_intermediate == 100
    assert [s.subscripts for s in info.steps] == ["jk,kl->jl", "ij,jl->il"]
    assert [s.cost for s in info.steps] == [3_000, 1_000]
    table = str(info)
    assert "ij,jk,kl->il" in table and "jk,kl->jl" in table and "4,000" in table
    assert budget.flops_used == 1
    (record,) = budget.op_log
    assert record.op_name == "einsum_path" and record.flop_cost == 1


def test_einsum_path_does_not_contract(unit_weights):
    # operands whose contraction would take ~10**15 multiply-adds: planning only
    big = np.broadcast_to(np.zeros(()), (10**5, 10**5))
    vec = np.broadcast_to(np.zeros(()), (10**5,))
    with flops.BudgetContext(10) as budget:
        path, info = fnp.einsum_path("ij,jk,k->i", big, big, vec, optimize="optimal")
    assert path == ["einsum_path", (1, 2), (0, 1)]
    assert info.optimized_cost == 2 * 10**10 and budget.flops_used == 1


# ---------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("spec", "shapes", "optimize"),
    [
        ("ij,jk->iz", [(2, 3), (3, 4)], True),  # output index in no input
        ("ij,jk,kl->il", [(2, 3), (4, 4), (4, 5)], True),  # j: 3 vs 4
        ("ij,jk,kl->il", [(2, 3), (3, 4)], True),  # too few operands
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)], ["einsum_path", (0, 3)]),  # no operand 3
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)], ["einsum_path", (0, 0)]),  # one twice
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)], ["einsum_path", (0, 1)]),  # unfinished
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)], ["einsum_path", "x"]),  # not a step
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)], "fastest"),  # unknown strategy
    ],
)
def test_bad_calls_raise_value_error_and_charge_nothing(spec, shapes, optimize):
    ops = [np.ones(s) for s in shapes]
    with flops.BudgetContext(10**9, quiet=True) as budget:
        with pytest.raises(ValueError):
            fnp.einsum(spec, *ops, optimize=optimize)
        with pytest.raises(ValueError):
            fnp.einsum_path(spec, *ops, optimize=optimize)
    assert budget.flops_used == 0 and len(budget.op_log) == 0
    with pytest.raises(ValueError):
        flops.einsum_cost(spec, shapes=shapes, optimize=optimize)


# ---------------------------------------------------------------------- the cache
def test_a_repeated_call_does_not_plan_again(monkeypatch):
    calls = []
    original = _einsum._dp_path
    monkeypatch.setattr(_einsum, "_dp_path", lambda *a: calls.append(a) or original(*a))
    _einsum._plan.cache_clear()
    a, b, c = np.ones((3, 4)), np.ones((4, 5)), np.ones((5, 6))
    for _ in range(3):
        fnp.einsum("ij,jk,kl->il", a, b, c)
    assert len(calls) == 1
    fnp.einsum("ij,jk,kl->il", a, b, np.ones((5, 7)))  # another signature: planned once more
    assert len(calls) == 2
    assert _einsum._plan.cache_info().maxsize == _einsum.CACHE_SIZE


def test_beyond_the_exact_limit_planning_is_greedy_and_quick():
    n = _einsum.OPTIMAL_LIMIT + 4
    letters = "abcdefghijklmnopqrstuvwxyz"
    spec = ",".join(letters[i] + letters[i + 1] for i in range(n)) + "->a" + letters[n]
    plan = _einsum.plan(spec, [(3, 3)] * n)
    assert plan.strategy in ("greedy", "dynamic-programming") and len(plan.path) == n - 1
    assert plan.optimized_cost < plan.naive_cost


def _chain(dims):
    letters = "abcdefghijklmnopqrstuvwxyz"
    n = len(dims) - 1
    spec = ",".join(letters[i] + letters[i + 1] for i in range(n)) + "->a" + letters[n]
    return spec, [(dims[i], dims[i + 1]) for i in range(n)]


def test_a_long_chain_is_planned_as_well_as_opt_einsums_dynamic_programme():
    spec, shapes = _chain([9, 20, 7, 30, 5, 40, 8, 25, 6, 35, 10, 15, 12])
    plan = _einsum.plan(spec, shapes)
    reference = {
        strategy: opt_einsum.contract_path(spec, *shapes, shapes=True, optimize=strategy)[0]
        for strategy in ("greedy", "dp")
    }
    priced = {
        k: _einsum.plan(spec, shapes, ["einsum_path", *p]).optimized_cost
        for k, p in reference.items()
    }
    assert plan.optimized_cost <= min(priced.values())
    assert plan.optimized_cost < priced["greedy"]  # this chain: the programme beats greedy
    assert plan.strategy == "dynamic-programming"


def test_a_dense_contraction_is_not_given_to_the_dynamic_programme(monkeypatch):
    searched = []
    original = _einsum._opt_einsum_path
    monkeypatch.setattr(
        _einsum,
        "_opt_einsum_path",
        lambda terms, out, dims, strategy: (
            searched.append(strategy) or original(terms, out, dims, strategy)
        ),
    )
    # forty vectors sharing one index: every subset is connected (2**40 of them)
    n = 40
    plan = _einsum.plan(",".join(["i"] * n) + "->i", [(3,)] * n)
    assert "dynamic-programming" not in searched and plan.strategy == "greedy"
    assert not _einsum._few_subnetworks(["i"] * n, _einsum.DP_SUBNETWORK_LIMIT)
    # operands 0-1-2 in a line: {0}, {1}, {2}, {0, 1}, {1, 2}, {0, 1, 2}
    assert _einsum._few_subnetworks(["ab", "bc", "cd"], 6)
    assert not _einsum._few_subnetworks(["ab", "bc", "cd"], 5)


# ---------------------------------------------------------------------- one array twice
def all_pairwise_paths(n: int):
    if n == 1:
        yield []
        return
    for i, j in itertools.combinations(range(n), 2):
        for rest in all_pairwise_paths(n - 1):
            yield [(i, j), *rest]


@st.composite
def contraction_with_a_repeated_array(draw):
    """(subscripts, terms, out, dims): 3-4 operands, the first two one array ``X`` as
    ``'sj,sk'`` (shared letters s, exchanged letters j <-> k), so that contracting them
    first is symmetric whenever the rest needs both j and k."""
    d = draw(st.integers(2, 3))
    letters = list("abcdefgh")
    n_shared = draw(st.integers(0, 2))
    n_swapped = draw(st.integers(1, 2))
    shared = letters[:n_shared]
    j = letters[n_shared : n_shared + n_swapped]
    k = letters[n_shared + n_swapped : n_shared + 2 * n_swapped]
    pool = j + k + letters[n_shared + 2 * n_swapped :][:2]
    order = draw(st.permutations(range(n_shared + n_swapped)))
    first = "".join([*shared, *j][i] for i in order)
    second = "".join([*shared, *k][i] for i in order)
    n = draw(st.integers(3, 4))
    others = [
        "".join(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)))
        for _ in range(n - 2)
    ]
    terms = [first, second, *others]
    used = sorted(set("".join(terms)))
    out = "".join(draw(st.permutations(used))[: draw(st.integers(0, min(3, len(used))))])
    return ",".join(terms) + "->" + out, terms, out, {c: d for c in used}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=contraction_with_a_repeated_array())
def test_a_step_contracting_an_array_with_itself_is_charged_its_distinct_entries(
    case, unit_weights
):
    spec, terms, _, dims = case
    rng = np.random.default_rng(0)
    x = rng.standard_normal(tuple(dims[c] for c in terms[0]))
    rest = [rng.standard_normal(tuple(dims[c] for c in t)) for t in terms[2:]]
    twins = (0, 0, *range(2, len(terms)))
    with flops.BudgetContext(10**12, quiet=True) as budget:
        r = fnp.einsum(spec, x, x, *rest)
    plan = _einsum.plan(spec, [x.shape, x.shape] + [o.shape for o in rest], True, twins)
    assert budget.flops_used == plan.optimized_cost
    # each step's distinct products, counted by brute force (tests/einsum_symmetry_oracle)
    described = oracle.describe(spec, plan.shapes, twins)
    assert plan.optimized_cost == oracle.path_costs(described, plan.path).total
    # the exact search knows the saving: no pairwise path is cheaper (each priced as an
    # explicit path; explicit paths are checked step by step against the oracle in
    # test_einsum_symmetry_oracle)
    best = min(
        _einsum.plan(spec, plan.shapes, ["einsum_path", *p], twins).optimized_cost
        for p in all_pairwise_paths(len(terms))
    )
    assert plan.optimized_cost <= best
    np.testing.assert_allclose(r, np.einsum(spec, x, x, *rest), rtol=1e-10, atol=1e-10)


def test_the_symmetric_first_step_of_a_chain_is_charged_half(unit_weights):
    x, y = np.ones((50, 20)), np.ones((20, 7))
    with flops.BudgetContext(10**12) as budget:
        fnp.einsum("ij,ik,kl->jl", x, x, y)  # (X^T X) Y: the Gram step is symmetric
    gram = (20 * 21 // 2) * 50
    assert budget.flops_used == gram + 20 * 20 * 7
    info = fnp.einsum_path("ij,ik,kl->jl", x, x, y)[1]
    assert info.steps[0].saving == 20 * 20 * 50 - gram
    assert budget.flops_used < flops.einsum_cost("ij,ik,kl->jl", shapes=[x.shape, x.shape, y.shape])


# ---------------------------------------------------------------------- execution
EXECUTION_CASES = [
    ("ij,jk->ik", [(64, 48), (48, 32)]),  # a matrix product: BLAS
    ("ij,jk->ki", [(64, 48), (48, 32)]),  # transposed output
    ("ji,jk->ik", [(48, 64), (48, 32)]),  # transposed input
    ("ij,j->i", [(128, 64), (64,)]),  # matrix-vector
    ("i,ij->j", [(128,), (128, 64)]),
    ("i,i->", [(5000,), (5000,)]),  # a dot product
    ("bij,bjk->bik", [(8, 24, 16), (8, 16, 24)]),  # batched
    ("ibj,jbk->bki", [(24, 8, 16), (16, 8, 24)]),  # batched, scattered axes
    ("ijk,jkl->il", [(16, 8, 8), (8, 8, 16)]),  # two summed indices
    ("ij,kj->ik", [(64, 64), (64, 64)]),
    ("...ij,...jk->...ik", [(3, 32, 16), (16, 32)]),  # broadcast batch
    ("ij,jk->ik", [(1, 64), (64, 64)]),
    ("ij,jk->ik", [(64, 1), (3, 64)]),  # a size-1 axis broadcast against 3: NumPy's loop
    ("ii,ij->j", [(64, 64), (64, 64)]),  # a diagonal: NumPy's loop
    ("ij,jk,kl,lm->im", [(32, 16), (16, 64), (64, 8), (8, 32)]),  # a chain
    ("ij,ik,jl,km->lm", [(30, 20), (30, 20), (20, 10), (20, 10)]),
    ("ab,bc,cd,de,ef->af", [(8, 9), (9, 10), (10, 11), (11, 12), (12, 13)]),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64])
@pytest.mark.parametrize(("spec", "shapes"), EXECUTION_CASES)
def test_execution_equals_numpy_in_value_dtype_and_shape(spec, shapes, dtype):
    rng = np.random.default_rng(3)
    ops = [rng.integers(-3, 4, s).astype(dtype) for s in shapes]
    expected = np.einsum(spec, *ops)
    with flops.BudgetContext(10**12, quiet=True):
        r = fnp.einsum(spec, *ops)
    assert np.asarray(r).dtype == expected.dtype and np.shape(r) == expected.shape
    # small integers: every summation order gives the exact value
    np.testing.assert_array_equal(np.asarray(r), expected)


def test_a_large_matrix_product_runs_as_matmul(monkeypatch):
    seen = []
    monkeypatch.setattr(_einsum, "_matmul", lambda a, b: seen.append(1) or np.matmul(a, b))
    a, b = np.ones((64, 64)), np.ones((64, 64))
    fnp.einsum("ij,jk->ik", a, b)
    assert seen == [1]
    small = np.ones((4, 4))
    np.testing.assert_array_equal(
        fnp.einsum("ij,jk->ik", small, small), np.einsum("ij,jk->ik", small, small)
    )
    assert seen == [1]  # a small product stays in NumPy's loop: bitwise NumPy's default
    fnp.einsum("ij,jk->ik", a.astype(np.int64), b.astype(np.int64))
    assert seen == [1]  # integers: no BLAS


def test_keywords_run_through_numpy_on_the_same_path(unit_weights):
    a, b, c = np.arange(12.0).reshape(3, 4), np.arange(12.0).reshape(4, 3), np.ones((3, 2))
    out = np.empty((3, 2))
    with flops.BudgetContext(10**9) as budget:
        r = fnp.einsum("ij,jk,kl->il", a, b, c, out=out)
        d = fnp.einsum("ij,jk->ik", a, b, dtype=np.float32, casting="same_kind")
    assert r is out
    np.testing.assert_array_equal(out, np.einsum("ij,jk,kl->il", a, b, c))
    assert d.dtype == np.float32
    assert (
        budget.flops_used
        == flops.einsum_cost("ij,jk,kl->il", shapes=[a.shape, b.shape, c.shape]) + 36
    )


# ---------------------------------------------------------------------- operand limit
def test_one_fused_loop_takes_at_most_numpys_operand_limit():
    n = _einsum.MAX_FUSED_OPERANDS + 1
    v = np.full(3, 1.01)
    spec = ",".join(["i"] * n) + "->i"
    with flops.BudgetContext(10**9, quiet=True) as budget:
        with pytest.raises(ValueError, match="too many operands"):
            fnp.einsum(spec, *[v] * n, optimize=False)
        with pytest.raises(ValueError, match="too many operands"):
            fnp.einsum(spec, *[v] * n, optimize=["einsum_path", tuple(range(n))])
        assert budget.flops_used == 0
        # a pairwise path takes any number (NumPy's own default refuses them)
        r = fnp.einsum(spec, *[v] * n)
        assert budget.flops_used == (n - 1) * 3
    np.testing.assert_allclose(r, v**n)
