"""The dry run where the row-by-row comparison does not look: NumPy's in-place methods
(``a.sort()``, ``a.partition(k)`` answer None) and results that hold a list."""

from __future__ import annotations

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._dry_run import ShapeOnlyArray

pytestmark = pytest.mark.usefixtures("unit_weights")

DATA = np.array([[3.0, 1.0, 2.0, 5.0, 4.0], [9.0, 7.0, 8.0, 6.0, 0.0]])


@pytest.mark.parametrize(("method", "args"), [("sort", ()), ("partition", (2,))])
def test_an_in_place_method_on_a_stand_in_answers_none_and_charges_as_a_real_run(method, args):
    real = flops.BudgetContext(10**6, quiet=True)
    with real:
        assert getattr(fnp.array(DATA), method)(*args) is None
    with flops.dry_run(quiet=True) as plan:
        x = fnp.zeros(DATA.shape)
        assert type(x) is ShapeOnlyArray
        assert getattr(x, method)(*args) is None
        assert type(x) is ShapeOnlyArray and x.shape == DATA.shape
    assert plan.flops_used == real.flops_used > 0
    assert [r.op_name for r in plan.op_log] == [r.op_name for r in real.op_log]


def test_an_in_place_sort_of_known_values_leaves_them_as_a_real_run_does():
    x = fnp.array(DATA)
    with flops.dry_run(quiet=True) as plan:
        assert x.sort(axis=0) is None
    assert plan.flops_used == 5 * 2
    assert x.tolist() == np.sort(DATA, axis=0).tolist()


def test_an_in_place_partition_refuses_a_kth_outside_the_axis_and_charges_nothing():
    with flops.dry_run(quiet=True) as plan:
        x = fnp.zeros(DATA.shape)
        with pytest.raises(ValueError, match="out of bounds"):
            x.partition(5)
    assert plan.flops_used == 0


def test_histogramdd_hands_back_its_edges_as_a_list():
    with flops.dry_run(quiet=True):
        hist, edges = fnp.histogramdd(fnp.zeros((30, 3)), bins=(2, 3, [0.0, 0.5, 1.0]))
    assert type(hist) is ShapeOnlyArray and hist.shape == (2, 3, 2)
    assert type(edges) is list
    assert [e.shape for e in edges] == [(3,), (4,), (3,)]
    assert all(type(e) is ShapeOnlyArray and e.dtype == np.float64 for e in edges)
