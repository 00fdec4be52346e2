"""The fidelity benchmark's computation: charged FLOPs against measured time.

No timing threshold: the correlations and shares are checked on synthetic measurements
whose answer is known, and the measuring on a tiny spread for what it records.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from flopscope._registry import REGISTRY

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "fidelity.py"
_SPEC = importlib.util.spec_from_file_location("benchmarks_fidelity", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
fidelity = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = fidelity  # the dataclasses look their module up
_SPEC.loader.exec_module(fidelity)
Point = fidelity.Point

SIZES = (1_000, 10_000, 100_000)


def synthetic(true_weights: dict[str, float], noise: float = 0.0) -> list:
    """Points whose seconds are exactly ``work * true weight`` (times ``1 + noise`` on
    every other point), one unit of work per element."""
    points = []
    for k, (name, weight) in enumerate(true_weights.items()):
        for j, n in enumerate(SIZES):
            wobble = 1 + noise * ((k + j) % 2)
            points.append(Point(name, name, "pointwise", n, n, n * weight * 1e-9 * wobble))
    return points


def test_the_true_weights_give_perfect_rank_correlation():
    true = {"add": 1.0, "exp": 7.0, "sin": 40.0}
    points = synthetic(true)
    result = fidelity.evaluate(points, true)
    assert result.spearman == pytest.approx(1.0)
    assert all(rho == pytest.approx(1.0) for rho in result.by_size.values())
    # every operation is charged in proportion to its time
    assert [s.ratio for s in result.shares] == pytest.approx([1.0, 1.0, 1.0])


def test_unit_weights_rank_worse_when_the_operations_cost_differently():
    true = {"add": 1.0, "exp": 7.0, "sin": 40.0}
    points = synthetic(true)
    unit = fidelity.evaluate(points, {})
    assert unit.spearman < 0.9
    # at one size every call is charged the same: no ranking at all
    assert all(math.isnan(rho) for rho in unit.by_size.values())
    # exp: 7 / 48 of the time, 1 / 3 of the FLOPs
    shares = {s.label: s for s in unit.shares}
    assert shares["exp"].time_share == pytest.approx(7 / 48)
    assert shares["exp"].flop_share == pytest.approx(1 / 3)
    assert shares["exp"].ratio == pytest.approx(7 / 16)
    # furthest from 1 either way: add (1 / 16, |log| 2.77) before sin (40 / 16, |log| 0.92)
    assert [s.label for s in unit.worst(2)] == ["add", "sin"]


def test_weights_apply_under_the_billing_name():
    # ``mod`` and ``abs`` are billed as ``remainder`` and ``absolute``
    assert REGISTRY["mod"].billing_name == "remainder"
    points = [Point("mod", "mod", "pointwise", 10, 10, 1.0)]
    assert fidelity.charged(points[0], {"remainder": 3.0, "mod": 100.0}) == 30.0
    assert fidelity.charged(points[0], {}) == 10.0  # missing names weigh 1.0


def test_the_printed_table_quotes_both_correlations_and_the_worst_ten():
    true = {f"op{k}": float(k + 1) for k in range(12)}
    points = [
        Point(p.label, "add", p.group, p.elements, p.work, p.seconds) for p in synthetic(true)
    ]
    text = fidelity.table(points, {}, "packaged weights")
    assert "unit weights:" in text and "packaged weights:" in text
    assert "goal: >= 0.9" in text
    worst = text.split("worst ten by time share / FLOP share (packaged weights):\n")[1]
    assert len(worst.splitlines()) == 10
    assert worst.splitlines()[0].split()[0] == "op0"  # 1 / 6.5 of the mean cost
    for name in true:
        assert f"  {name} " in text


def test_measuring_a_tiny_spread_records_the_rule_s_work_and_positive_times():
    spread = [e for e in fidelity.SPREAD if e.label in ("add", "sum", "matmul", "linalg.svd")]
    points = fidelity.measure(spread, (100, 400), repeats=1, min_time=1e-4)
    assert [(p.label, p.elements) for p in points] == [
        (label, n) for label in ("add", "sum", "matmul", "linalg.svd") for n in (100, 400)
    ]
    assert all(p.seconds > 0 for p in points)
    work = {(p.label, p.elements): p.work for p in points}
    assert work["add", 400] == 400 and work["sum", 100] == 100
    assert work["matmul", 100] == 10**3 and work["matmul", 400] == 20**3  # n^3 FMAs
    result = fidelity.evaluate(points, {})
    assert -1.0 <= result.spearman <= 1.0
    assert sum(s.time_share for s in result.shares) == pytest.approx(1.0)
    assert sum(s.flop_share for s in result.shares) == pytest.approx(1.0)


def test_the_spread_covers_every_group_with_counted_rows_at_the_smallest_size():
    assert {e.group for e in fidelity.SPREAD} == set(fidelity.GROUPS)
    rng = np.random.default_rng(0)
    for entry in fidelity.SPREAD:
        assert REGISTRY[entry.name].category.startswith("counted"), entry.name
        function, args, kwargs = entry.make(fidelity.SIZES[0], rng)
        assert fidelity.work_of(entry.name, args, kwargs) > 0, entry.label
        function(*args, **kwargs)  # the call runs as built
    assert fidelity.SIZES[0] == 10**3 and fidelity.SIZES[-1] == 10**6
