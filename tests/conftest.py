"""Shared fixtures: the cost model's global settings, set for a test and restored after."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import flopscope as flops
from samples import unit_weights as unit_weights_block


@pytest.fixture
def unit_weights():
    """Every operation weighs 1.0 and an FMA counts 1; the packaged table comes back after."""
    with unit_weights_block():
        yield


@pytest.fixture
def unit_weights_fma_two():
    """Every operation weighs 1.0 and a fused multiply-add counts 2: the FMA convention
    alone shapes a charge; the packaged table and FMA = 1 come back after."""
    with unit_weights_block(fma_cost=2):
        yield


@pytest.fixture
def fma_two():
    """The front page's convention: a fused multiply-add counts as 2 FLOPs."""
    flops.configure(fma_cost=2)
    try:
        yield
    finally:
        flops.configure(fma_cost=1)


def _run_python(code: str, **env_vars: str | None) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter with flopscope's environment variables cleared,
    then set to ``env_vars`` (None leaves one unset)."""
    env = dict(os.environ)
    for name in ("FLOPSCOPE_DEFAULT_BUDGET", "FLOPSCOPE_WEIGHTS_FILE", "FLOPSCOPE_DISABLE_WEIGHTS"):
        env.pop(name, None)
    env.update({name: value for name, value in env_vars.items() if value is not None})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def run_python():
    """A fresh interpreter for import-time behaviour (environment variables)."""
    return _run_python
