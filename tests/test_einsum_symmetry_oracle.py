"""The symmetry-aware einsum costs of ``plan`` against a brute-force oracle.

The oracle (``einsum_symmetry_oracle``) prices a step by the orbits of the label
permutations that leave the step's symbolic product unchanged, and finds the output's
symmetry by comparing the full result as a polynomial in the operands' distinct entries.
It is checked first on cases worked by hand and against NumPy on data built to have the
declared symmetry; then ``plan`` is compared with it on drawn einsums, explicit paths and
the exact optimum.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import einsum_symmetry_oracle as oracle
from flopscope import SymmetryGroup
from flopscope._einsum import plan

S2 = SymmetryGroup.symmetric((0, 1), 2)


# ---------------------------------------------------------------- cases worked by hand


@dataclass(frozen=True)
class HandCase:
    """An einsum, a path, the operands' sameness and groups, and the costs and output
    symmetry derived by hand (in ``why``)."""

    subscripts: str
    shapes: tuple[tuple[int, ...], ...]
    path: tuple[tuple[int, ...], ...]
    same_operands: tuple[int, ...] | None
    symmetries: tuple[Any, ...] | None
    step_costs: tuple[int, ...]
    output_symmetry: frozenset[tuple[int, ...]]
    why: str
    #: the data has a symmetry its declaration does not name (axes too short to tell a
    #: group from a larger one, or of size 1): the planner prices what is declared and
    #: what repeated operands induce, so it may charge more than the oracle, never less
    accidental: bool = False


def _all_perms(rank: int) -> frozenset[tuple[int, ...]]:
    return frozenset(itertools.permutations(range(rank)))


HAND_CASES = [
    HandCase(
        "ij,ik->jk",
        ((4, 3), (4, 3)),
        ((0, 1),),
        (0, 0),
        None,
        (24,),
        _all_perms(2),
        "X[i,j] X[i,k]: (j k) swaps the two factors. Orbits on (i, j, k): "
        "4 * (3 * 4 / 2) = 24 of the 36 dense",
    ),
    HandCase(
        "ij,ik->jk",
        ((5, 5), (5, 5)),
        ((0, 1),),
        (0, 0),
        None,
        (75,),
        _all_perms(2),
        "the same with 5 x 5: 5 * 15 = 75 (and 100 * 5050 = 505,000 for 100 x 100)",
    ),
    HandCase(
        "i,j->ij",
        ((3,), (3,)),
        ((0, 1),),
        (0, 0),
        None,
        (6,),
        _all_perms(2),
        "x[i] x[j]: (i j); orbits (9 + 3) / 2 = 6",
    ),
    HandCase(
        "i,j,k->ijk",
        ((3,), (3,), (3,)),
        ((0, 1), (0, 1)),
        (0, 0, 0),
        None,
        (6, 10),
        _all_perms(3),
        "step 0 as above; step 1 'ij,k->ijk' has x[i] x[j] x[k]: H = S3, "
        "orbits = multisets of 3 from 3 = 10",
    ),
    HandCase(
        "ij,jk->ik",
        ((3, 3), (3, 3)),
        ((0, 1),),
        (0, 0),
        (S2, S2),
        (18,),
        _all_perms(2),
        "S[i,j] S[j,k] -> S[k,j] S[j,i] under (i k), the same monomial: (27 + 9) / 2 = 18",
    ),
    HandCase(
        "ij,ij->",
        ((3, 3), (3, 3)),
        ((0, 1),),
        None,
        (S2, S2),
        (6,),
        frozenset({()}),
        "A[i,j] B[i,j], both symmetric: (i j) keeps both entries: (9 + 3) / 2 = 6",
    ),
    HandCase(
        "ijk,jk->i",
        ((3, 3, 3), (3, 3)),
        ((0, 1),),
        None,
        (SymmetryGroup.symmetric((1, 2), 3), None),
        (27,),
        frozenset({(0,)}),
        "(j k) keeps T[i,j,k] but not the plain M[j,k]: no symmetry, 27",
    ),
    HandCase(
        "ijk,jk->i",
        ((3, 3, 3), (3, 3)),
        ((0, 1),),
        None,
        (SymmetryGroup.symmetric((1, 2), 3), S2),
        (18,),
        frozenset({(0,)}),
        "with M symmetric too, (j k) keeps both: 3 * 6 = 18",
    ),
    HandCase(
        "ab,bc->ac",
        ((2, 3), (3, 4)),
        ((0, 1),),
        None,
        None,
        (24,),
        frozenset({(0, 1)}),
        "plain distinct operands: dense 2 * 3 * 4",
    ),
    HandCase(
        "ij,jk->ik",
        ((3, 3), (3, 3)),
        ((0, 1),),
        (0, 0),
        None,
        (27,),
        frozenset({(0, 1)}),
        "X[i,j] X[j,k], X not symmetric: (i k) gives X[k,j] X[j,i], another monomial; "
        "X @ X is not symmetric either",
    ),
    HandCase(
        "i,j->i",
        ((3,), (3,)),
        ((0, 1),),
        (0, 0),
        None,
        (9,),
        frozenset({(0,)}),
        "x[i] x[j] is symmetric under (i j), but (i j) moves the summed j onto the kept "
        "i, so it is not a symmetry of the step: dense 9",
    ),
    HandCase(
        "ab,bc,cd->ad",
        ((3, 3), (3, 3), (3, 3)),
        ((0, 1), (0, 1)),
        (0, 0, 0),
        (S2, S2, S2),
        (18, 18),
        _all_perms(2),
        "step 0 'ab,bc->ac' as S S: 18. Step 1 'ac,cd->ad': its products (S S)[a,c] S[c,d] "
        "are not exchanged by (a d) without moving c, so all 27 differ; but (a d)(b c) "
        "keeps the summand S[a,b] S[b,c] S[c,d], so the output S^3 is symmetric and only "
        "its 6 distinct entries are computed, each a sum over c: 6 * 3 = 18",
    ),
    HandCase(
        "ijk->ijk",
        ((3, 3, 3),),
        ((0,),),
        None,
        (SymmetryGroup.symmetric((0, 1, 2), 3),),
        (10,),
        _all_perms(3),
        "one fully symmetric operand: multisets of 3 from 3 = 10",
    ),
    HandCase(
        "ijk->ijk",
        ((3, 3, 3),),
        ((0,),),
        None,
        (SymmetryGroup.cyclic((0, 1, 2), 3),),
        (11,),
        frozenset({(0, 1, 2), (1, 2, 0), (2, 0, 1)}),
        "cyclic on three axes of 3: Burnside (27 + 3 + 3) / 3 = 11",
    ),
    HandCase(
        "ijk->ijk",
        ((2, 2, 2),),
        ((0,),),
        None,
        (SymmetryGroup.cyclic((0, 1, 2), 3),),
        (4,),
        _all_perms(3),
        "cyclic on three axes of 2: the rotation orbits of {0,1}^3 are the sorted ones "
        "(000, 001, 011, 111), so the data is symmetric under all of S3: the output "
        "symmetry is larger than the declared group",
        accidental=True,
    ),
    HandCase(
        "abc->a",
        ((2, 2, 2),),
        ((0,),),
        None,
        (SymmetryGroup.cyclic((0, 1, 2), 3),),
        (6,),
        frozenset({(0,)}),
        "cyclic on axes of 2 is all of S3 on the data, so (b c), which fixes the kept a, "
        "keeps T[a,b,c]: 2 * 3 = 6, though no element of the declared group swaps b and c",
        accidental=True,
    ),
    HandCase(
        "ijk,ij->ijk",
        ((2, 2, 2), (2, 2)),
        ((0, 1),),
        None,
        (SymmetryGroup.cyclic((0, 1, 2), 3), S2),
        (6,),
        frozenset({(0, 1, 2), (1, 0, 2)}),
        "T cyclic on axes of 2 (so symmetric under S3), M symmetric: (i j) keeps both "
        "entries: 3 * 2 = 6",
        accidental=True,
    ),
    HandCase(
        "ijk,ij->ijk",
        ((3, 3, 3), (3, 3)),
        ((0, 1),),
        None,
        (SymmetryGroup.cyclic((0, 1, 2), 3), S2),
        (27,),
        frozenset({(0, 1, 2)}),
        "on axes of 3, (i j) sends T[0,1,2] to T[1,0,2], another rotation orbit: 27",
    ),
    HandCase(
        "ijkl->ijkl",
        ((2, 2, 2, 2),),
        ((0,),),
        None,
        (SymmetryGroup.block(((0, 1), (2, 3)), 4),),
        (10,),
        frozenset({(0, 1, 2, 3), (2, 3, 0, 1)}),
        "the block swap on 2^4: (16 + 4) / 2 = 10",
    ),
    HandCase(
        "ij->ij",
        ((1, 1),),
        ((0,),),
        None,
        None,
        (1,),
        _all_perms(2),
        "axes of size 1: any permutation of them leaves the one entry where it is",
        accidental=True,
    ),
    HandCase(
        "ij,kj->ik",
        ((2, 3), (2, 3)),
        ((0, 1),),
        (0, 0),
        None,
        (9,),
        _all_perms(2),
        "X X^T: X[i,j] X[k,j] under (i k); orbits on (i, j, k): 3 * (4 + 2) / 2 = 9",
    ),
]


def _oracle_for(case: HandCase) -> oracle.PathCosts:
    einsum = oracle.describe(case.subscripts, case.shapes, case.same_operands, case.symmetries)
    return oracle.path_costs(einsum, case.path)


@pytest.mark.parametrize("case", HAND_CASES, ids=lambda c: f"{c.subscripts}:{c.shapes}")
def test_oracle_reproduces_hand_derivation(case: HandCase) -> None:
    found = _oracle_for(case)
    if case.accidental:  # beyond the model: the model's count is dearer, never cheaper
        assert all(f >= c for f, c in zip(found.step_costs, case.step_costs)), case.why
        assert found.output_symmetry <= case.output_symmetry, case.why
        assert found.step_costs != case.step_costs or found.output_symmetry != (
            case.output_symmetry
        )
        return
    assert found.step_costs == case.step_costs, case.why
    assert found.output_symmetry == case.output_symmetry, case.why


def test_oracle_distinct_products_can_be_fewer_than_orbits() -> None:
    # S[i,j] S[j,k] with S symmetric: (0,1,0) and (1,0,1) both give S[0,1]^2, yet no label
    # permutation relates them (both are fixed by (i k)); three such pairs, so 15 distinct
    # products against 18 orbits. The cost counts orbits: a loop nest cannot share them
    einsum = oracle.describe("ij,jk->ik", [(3, 3), (3, 3)], [0, 0], [S2, S2])
    assert oracle.distinct_products(einsum, (0, 1), "ijk") == 15
    assert oracle.path_costs(einsum, [(0, 1)]).step_costs == (18,)


def test_oracle_pairwise_paths_are_every_order() -> None:
    # C(4,2) * C(3,2) * C(2,2) = 18 paths of 3 pair steps for 4 operands
    assert len(oracle.pairwise_paths(4)) == 18
    assert oracle.pairwise_paths(3) == [[(0, 1), (0, 1)], [(0, 2), (0, 1)], [(1, 2), (0, 1)]]
    assert oracle.pairwise_paths(1) == [[(0,)]]


# ---------------------------------------------------------------- drawn einsums


def data_symmetry(group: SymmetryGroup, shape: tuple[int, ...]) -> frozenset[tuple[int, ...]]:
    """Every size-keeping permutation of the axes under which ANY tensor of ``shape``
    symmetric under ``group`` is symmetric: each index tuple moved into its own orbit."""
    rank = len(shape)
    tuples = list(itertools.product(*(range(d) for d in shape)))
    orbit = {t: min(tuple(t[g[i]] for i in range(rank)) for g in group.elements) for t in tuples}
    return frozenset(
        p
        for p in itertools.permutations(range(rank))
        if all(shape[p[i]] == shape[i] for i in range(rank))
        and all(orbit[tuple(t[p[i]] for i in range(rank))] == orbit[t] for t in tuples)
    )


def groups_fitting(shape: tuple[int, ...]) -> list[SymmetryGroup]:
    """Groups of every named kind whose moved axes have one size in ``shape`` (short axes
    included: the model counts what the groups declare, and :func:`data_symmetry` shows
    what the data may have beyond it)."""
    rank = len(shape)
    found: list[SymmetryGroup] = []
    for count in range(2, rank + 1):
        for axes in itertools.combinations(range(rank), count):
            if len({shape[a] for a in axes}) != 1:
                continue
            found.append(SymmetryGroup.symmetric(axes, rank))
            if count >= 3:
                found.append(SymmetryGroup.cyclic(axes, rank))
                found.append(SymmetryGroup.cyclic((axes[1], axes[0], *axes[2:]), rank))
            if count >= 4:
                found.append(SymmetryGroup.dihedral(axes, rank))
    if rank == 4:
        for a, b, c, d in ((0, 1, 2, 3), (0, 2, 1, 3), (0, 3, 1, 2)):
            if shape[a] == shape[c] and shape[b] == shape[d]:
                found.append(SymmetryGroup.block(((a, b), (c, d)), rank))
            if shape[a] == shape[b] and shape[c] == shape[d]:
                found.append(
                    SymmetryGroup.direct_product(
                        SymmetryGroup.symmetric((a, b), rank),
                        SymmetryGroup.symmetric((c, d), rank),
                    )
                )
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class DrawnEinsum:
    subscripts: str
    shapes: tuple[tuple[int, ...], ...]
    same_operands: tuple[int, ...]
    symmetries: tuple[SymmetryGroup | None, ...]
    path: tuple[tuple[int, ...], ...]

    def described(self) -> oracle.Einsum:
        return oracle.describe(self.subscripts, self.shapes, self.same_operands, self.symmetries)


@st.composite
def drawn_einsums(draw: Any) -> DrawnEinsum:
    """1-4 operands of rank 1-4 over at most 5 indices of sizes 1-3 (at most 3**5 = 243
    assignments of any step's indices; few sizes, so that axes often match), an explicit output, operands made one array where their shapes
    agree, a fitting group per array, and a random pairwise path."""
    # sampled, not integers(): hypothesis leans on the ends of a range, and the cases with
    # something to share need several operands over several indices of one size
    n = draw(st.sampled_from([1, 2, 2, 3, 3, 4, 4]))
    letters = "abcde"[: draw(st.sampled_from([1, 2, 3, 3, 4, 4, 5]))]
    size_pool = draw(st.sampled_from([(2,), (3,), (2, 3), (1, 2), (2, 2, 3), (1, 3)]))
    dims = {label: draw(st.sampled_from(size_pool)) for label in letters}
    repeats = draw(st.integers(0, 3)) == 0  # a quarter of the cases repeat labels in a term
    terms = []
    for _ in range(n):
        rank = draw(st.sampled_from([1, 2, 2, 3, 3, 4]))
        if repeats:
            term = draw(st.lists(st.sampled_from(letters), min_size=rank, max_size=rank))
        else:
            rank = min(rank, len(letters))
            term = draw(st.permutations(letters))[:rank]
        terms.append("".join(term))
    used = sorted(set("".join(terms)))
    output = "".join(draw(st.permutations(used))[: draw(st.integers(0, len(used)))])
    shapes = tuple(tuple(dims[label] for label in term) for term in terms)
    same: list[int] = []
    for i, shape in enumerate(shapes):
        earlier = [j for j in range(i) if same[j] == j and shapes[j] == shape]
        same.append(draw(st.sampled_from([i, *earlier])))
    group_of = {
        cls: draw(st.sampled_from([None, *groups_fitting(shapes[cls])])) for cls in set(same)
    }
    symmetries = tuple(group_of[cls] for cls in same)
    path = []
    for left in range(n, 1, -1):
        path.append(tuple(sorted(draw(st.permutations(range(left)))[:2])))
    if n == 1:
        path = [(0,)]
    return DrawnEinsum(
        ",".join(terms) + "->" + output, shapes, tuple(same), symmetries, tuple(path)
    )


def _symmetric_data(case: DrawnEinsum, seed: int) -> list[np.ndarray]:
    """Random operands with exactly the declared equalities: each entry is the entry at
    the least index tuple of its orbit, and operands of one class are one array."""
    rng = np.random.default_rng(seed)
    arrays: dict[int, np.ndarray] = {}
    for cls, group in zip(case.same_operands, case.symmetries):
        if cls in arrays:
            continue
        shape = case.shapes[cls]
        raw = rng.standard_normal(shape)
        elements = [tuple(range(len(shape)))] if group is None else group.elements
        data = np.empty(shape)
        for index in itertools.product(*map(range, shape)):
            data[index] = raw[min(tuple(index[g[i]] for i in range(len(index))) for g in elements)]
        arrays[cls] = data
    return [arrays[cls] for cls in case.same_operands]


@settings(max_examples=150, deadline=None)
@given(case=drawn_einsums())
def test_oracle_output_symmetry_matches_numpy(case: DrawnEinsum) -> None:
    # every permutation the oracle lists leaves NumPy's result unchanged; where the data
    # has no symmetry beyond the model (no axis of length 1 or 2, where values agree by
    # accident), exactly those do
    found = oracle.output_symmetry(case.described())
    operands = _symmetric_data(case, seed=len(case.subscripts))
    result = np.einsum(case.subscripts, *operands)
    output = case.subscripts.split("->")[1]
    for p in itertools.permutations(range(result.ndim)):
        if any(result.shape[p[i]] != result.shape[i] for i in range(result.ndim)):
            continue
        unchanged = np.allclose(result.transpose(p), result, rtol=1e-9, atol=1e-9)
        if p in found:
            assert unchanged, (p, output)
        elif min(min(s) for s in case.shapes if s) > 2:
            assert not unchanged, (p, output)


@settings(max_examples=150, deadline=None)
@given(case=drawn_einsums())
def test_oracle_is_dense_without_symmetry(case: DrawnEinsum) -> None:
    # distinct arrays with no declared group: no permutation of labels keeps a product,
    # except among labels of size 1, which moves no assignment
    einsum = oracle.describe(case.subscripts, case.shapes)
    costs = oracle.path_costs(einsum, case.path).step_costs
    assert list(costs) == oracle.dense_cost(einsum, case.path)


@settings(max_examples=100, deadline=None)
@given(
    shape=st.lists(st.integers(1, 3), min_size=1, max_size=4).map(tuple),
    choice=st.integers(0, 100),
)
def test_oracle_one_operand_counts_the_groups_orbits(shape: tuple[int, ...], choice: int) -> None:
    # 'abc->abc' with group G: the step's products are the entries themselves, so the cost
    # is the number of distinct entries, G's orbit count
    groups = [SymmetryGroup.trivial(len(shape)), *groups_fitting(shape)]
    group = groups[choice % len(groups)]
    term = "abcd"[: len(shape)]
    einsum = oracle.describe(f"{term}->{term}", [shape], None, [group])
    found = oracle.path_costs(einsum, [(0,)])
    assert found.step_costs == (group.orbit_count(shape),)
    assert set(group.elements) <= found.output_symmetry


# ---------------------------------------------------------------- the planner against it


def _plan(case: DrawnEinsum, optimize: Any):
    return plan(
        case.subscripts,
        case.shapes,
        optimize=optimize,
        same_operands=case.same_operands,
        symmetries=case.symmetries,
    )


def _assert_plan_matches(p: Any, expected: oracle.PathCosts) -> None:
    assert [step.cost for step in p.steps] == list(expected.step_costs)
    assert p.optimized_cost == expected.total
    for step, involved, result in zip(p.steps, expected.step_involved, expected.step_results):
        inputs, step_result = step.subscripts.split("->")
        assert set(inputs.replace(",", "")) == involved
        assert set(step_result) == result
    assert set(p.output_symmetry.elements) == expected.output_symmetry


@pytest.mark.parametrize("case", HAND_CASES, ids=lambda c: f"{c.subscripts}:{c.shapes}")
def test_plan_prices_hand_cases(case: HandCase) -> None:
    p = plan(
        case.subscripts,
        case.shapes,
        optimize=["einsum_path", *case.path],
        same_operands=case.same_operands if case.same_operands is not None else False,
        symmetries=case.symmetries,
    )
    if case.accidental:  # the declared structure alone: the model's count, not the data's
        _assert_plan_matches(p, _oracle_for(case))
        assert all(c >= e for c, e in zip((s.cost for s in p.steps), case.step_costs))
        assert set(p.output_symmetry.elements) <= case.output_symmetry, case.why
        return
    assert [step.cost for step in p.steps] == list(case.step_costs), case.why
    assert p.optimized_cost == sum(case.step_costs)
    assert set(p.output_symmetry.elements) == case.output_symmetry, case.why


@settings(max_examples=200, deadline=None)
@given(case=drawn_einsums())
def test_plan_prices_explicit_paths_as_the_oracle(case: DrawnEinsum) -> None:
    p = _plan(case, ["einsum_path", *case.path])
    assert p.path == case.path
    _assert_plan_matches(p, oracle.path_costs(case.described(), case.path))


@settings(max_examples=100, deadline=None)
@given(case=drawn_einsums())
def test_plan_optimum_beats_every_pairwise_path(case: DrawnEinsum) -> None:
    einsum = case.described()
    p = _plan(case, True)
    _assert_plan_matches(p, oracle.path_costs(einsum, p.path))
    cheapest = min(
        oracle.path_costs(einsum, path).total for path in oracle.pairwise_paths(len(case.shapes))
    )
    assert p.optimized_cost <= cheapest


def test_hand_case_costs_stay_within_dense() -> None:
    # a symmetry can only merge assignments: never above the loop nest with none
    for case in HAND_CASES:
        einsum = oracle.describe(case.subscripts, case.shapes, case.same_operands, case.symmetries)
        dense = oracle.dense_cost(einsum, case.path)
        assert all(c <= d for c, d in zip(case.step_costs, dense))


def test_declared_groups_can_be_smaller_than_the_datas_symmetry() -> None:
    # the model prices the declared group; on axes of length 2 a rotation group's data is
    # symmetric under every permutation (the hand cases marked accidental), on longer
    # axes only under the rotations
    rotations = SymmetryGroup.cyclic((0, 1, 2), 3)
    assert data_symmetry(rotations, (2, 2, 2)) == _all_perms(3)
    assert data_symmetry(rotations, (3, 3, 3)) == frozenset(rotations.elements)
