"""Every figure in SPEC.md's "Numbers that must come out exactly" that this release reaches."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._demo import mlp_forward


def test_cost_queries(unit_weights):
    assert flops.einsum_cost("ij,jk->ik", shapes=[(256, 256), (256, 256)]) == 16_777_216
    assert flops.svd_cost(m=256, n=256, k=10) == 655_360
    assert flops.pointwise_cost("exp", shape=(256, 256)) == 65_536
    assert flops.reduction_cost("sum", input_shape=(256, 256)) == 65_536


def test_cost_queries_are_also_under_accounting():
    assert flops.accounting.einsum_cost("ij,jk->ik", shapes=[(256, 256), (256, 256)]) == 16_777_216
    assert flops.accounting.svd_cost(m=256, n=256, k=10) == 655_360
    assert flops.accounting.pointwise_cost("exp", shape=(256, 256)) == 65_536
    assert flops.accounting.reduction_cost("sum", input_shape=(256, 256)) == 65_536


def test_cost_queries_are_unweighted_even_with_weights_loaded():
    assert flops.get_weight("exp") > 1.0  # exp carries its measured weight
    assert flops.pointwise_cost("exp", shape=(256, 256)) == 65_536


def test_matmul_deducts_m_k_n(unit_weights):
    a, b = np.ones((100, 200)), np.ones((200, 50))
    with flops.BudgetContext(flop_budget=10**7) as budget:
        fnp.matmul(a, b)
    assert budget.flops_used == 1_000_000


def test_einsum_matvec_deducts_m_n(unit_weights):
    a, x = np.ones((256, 256)), np.ones(256)
    with flops.BudgetContext(flop_budget=10**7) as budget:
        fnp.einsum("ij,j->i", a, x)
    assert budget.flops_used == 65_536


def test_fma_two_doubles_the_contraction_model(fma_two):
    assert flops.einsum_cost("ij,jk->ik", shapes=[(256, 256), (256, 256)]) == 33_554_432
    with flops.BudgetContext(flop_budget=10**8) as budget:
        fnp.ones((100, 200)) @ fnp.ones((200, 50))
    assert budget.flops_used == 2_000_000


def _summary_lines(text: str) -> dict[str, tuple[int, int]]:
    found = {}
    for m in re.finditer(r"^\s+(\S+)\s+([\d,]+)\s+\(\s*[\d.]+%\)\s+\[(\d+) calls?\]", text, re.M):
        found[m.group(1)] = (int(m.group(2).replace(",", "")), int(m.group(3)))
    return found


def test_mlp_example_with_default_weights_and_fma_two(fma_two):
    with flops.BudgetContext(flop_budget=10**8) as budget:
        mlp_forward(depth=5, width=256)
    lines = _summary_lines(budget.summary())
    assert lines == {
        "random.randn": (5_246_976, 6),
        "einsum": (655_360, 5),
        "multiply": (327_680, 5),
        "maximum": (1_024, 4),
        "sqrt": (1, 1),
    }
    assert budget.flops_used == 6_231_041
    assert "6,231,041" in budget.summary()


def test_mlp_example_outside_any_context_counts_in_the_session_view(fma_two):
    flops.budget_reset()
    mlp_forward(depth=5, width=256)
    data = flops.budget_summary_dict()
    assert data["flops_used"] == 6_231_041
    assert data["operations"]["random.randn"]["calls"] == 6
    assert "6,231,041" in flops.budget_summary()
    assert fnp.budget_summary is flops.budget_summary


def test_demo_command_prints_the_front_page_figures():
    done = subprocess.run(
        [sys.executable, "-m", "flopscope", "demo"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = _summary_lines(done.stdout)
    assert lines["random.randn"] == (5_246_976, 6)
    assert lines["einsum"] == (655_360, 5)
    assert "6,231,041" in done.stdout


def test_einsum_of_one_array_with_itself_prices_only_the_symmetric_output(unit_weights):
    x = fnp.ones((100, 100))
    with flops.BudgetContext(flop_budget=10**8) as budget:
        gram = fnp.einsum("ij,ik->jk", x, x)
    assert budget.flops_used == 100 * 101 // 2 * 100  # 505,000: about half of 1,000,000
    np.testing.assert_array_equal(
        gram, np.einsum("ij,ik->jk", np.ones((100, 100)), np.ones((100, 100)))
    )


@pytest.mark.parametrize(
    ("spec", "shape", "same", "expected"),
    [
        ("ij,ik->jk", (100, 100), False, 1_000_000),  # two arrays: dense
        ("ij,jk->ik", (30, 30), True, 27_000),  # X @ X is not symmetric
        ("ij,ij->ij", (4, 5), True, 20),  # exchanging changes nothing
        ("i,j->ij", (10,), True, 55),  # outer(x, x): 10*11/2 distinct entries
        ("bij,bik->bjk", (2, 5, 3), True, 2 * 6 * 5),  # batched Gram matrices
        ("ij,ji->i", (6, 6), True, 36),  # exchange maps the output to a summed index
    ],
)
def test_equal_operand_rule(unit_weights, spec, shape, same, expected):
    a = fnp.ones(shape)
    b = a if same else fnp.ones(shape)
    with flops.BudgetContext(flop_budget=10**8) as budget:
        result = fnp.einsum(spec, a, b)
    assert budget.flops_used == expected
    np.testing.assert_array_equal(result, np.einsum(spec, np.ones(shape), np.ones(shape)))
