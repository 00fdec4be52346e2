"""The demonstration: the MLP forward pass of the front page, counted."""

from __future__ import annotations

import flopscope as flops
import flopscope.numpy as fnp


def mlp_forward(depth: int = 5, width: int = 256) -> fnp.ndarray:
    """Random-weight ReLU network, written exactly as NumPy code would be."""
    scale = fnp.sqrt(2 / width)
    weights = [fnp.random.randn(width, width) * scale for _ in range(depth)]
    x = fnp.random.randn(width)
    h = x
    for i, w in enumerate(weights):
        h = fnp.einsum("ij,j->i", w, h)
        if i < depth - 1:
            h = fnp.maximum(h, 0)
    return h


def run(depth: int = 5, width: int = 256, fma_cost: int = 2) -> flops.BudgetContext:
    previous = flops.configure()["fma_cost"]
    flops.configure(fma_cost=fma_cost)
    try:
        with flops.BudgetContext(flop_budget=10**8, wall_time_limit_s=5.0) as budget:
            mlp_forward(depth, width)
    finally:
        flops.configure(fma_cost=previous)
    return budget


def main() -> None:
    budget = run()
    print("MLP forward pass (depth 5, width 256), FMA counted as 2 FLOPs as on the front page:")
    print()
    print(budget.summary())
