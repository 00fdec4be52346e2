"""Shared fixtures: the cost model's global settings, set for a test and restored after."""

from __future__ import annotations

import pytest

import flopscope as flops


@pytest.fixture
def unit_weights():
    """Every operation weighs 1.0 and an FMA counts 1; the packaged table comes back after."""
    flops.reset_weights()
    previous_fma = flops.configure()["fma_cost"]
    flops.configure(fma_cost=1)
    try:
        yield
    finally:
        flops.configure(fma_cost=previous_fma)
        flops.load_weights()


@pytest.fixture
def fma_two():
    """The front page's convention: a fused multiply-add counts as 2 FLOPs."""
    flops.configure(fma_cost=2)
    try:
        yield
    finally:
        flops.configure(fma_cost=1)
