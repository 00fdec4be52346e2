"""The calibration cases: one per counted row, each a call that runs and that its row's
rule prices, on the inputs its distributions promise."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from flopscope._registry import REGISTRY
from flopscope.calibration.cases import (
    CASES,
    CATEGORIES,
    NONFINITE_DISTRIBUTIONS,
    Call,
    Case,
)

#: the rows calibrated: counted, and priced under their own name (not an alias, not a twin)
CALIBRATED = sorted(
    name
    for name, op in REGISTRY.items()
    if op.category.startswith("counted") and op.alias_of is None and op.billed_as is None
)

#: every case at its smallest quick size, on each of its distributions
POINTS = [
    pytest.param(name, distribution, id=f"{name}-{distribution}")
    for name, case in sorted(CASES.items())
    for distribution in case.distributions
]

#: a pass over every case's quick sizes must stay this quick (seconds; it is about half a
#: second on two cores)
QUICK_PASS_LIMIT = 10.0


def _make(case: Case, size: int, distribution: str, seed: int = 0) -> Call:
    return case.make(size, distribution, np.random.default_rng(seed))


def _arrays(value: Any) -> Iterator[np.ndarray]:
    """The arrays in an argument (nested in lists and tuples too)."""
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _arrays(item)


def _inputs(call: Call) -> list[np.ndarray]:
    """The arrays the call reads (``out=`` is written, not read)."""
    kwargs = {k: v for k, v in call.kwargs.items() if k != "out"}
    return [*_arrays(call.args), *_arrays(list(kwargs.values()))]


def _run(call: Call) -> Any:
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # random_integers' deprecation, polyfit's rank
        return call.function(*call.args, **call.kwargs)


def test_every_calibrated_row_has_one_case():
    assert sorted(CASES) == CALIBRATED
    assert len(CASES) > 300


def test_cases_are_named_and_categorised():
    for name, case in CASES.items():
        assert case.name == name
        assert case.category in CATEGORIES, name
    # every category has rows to measure
    assert {case.category for case in CASES.values()} == set(CATEGORIES)


def test_sizes_and_distributions_are_well_formed():
    for name, case in CASES.items():
        assert case.sizes and case.quick_sizes, name
        assert all(isinstance(s, int) and s > 0 for s in case.sizes + case.quick_sizes), name
        assert list(case.sizes) == sorted(set(case.sizes)), name
        assert max(case.quick_sizes) <= max(case.sizes), name
        assert case.distributions, name
        assert len(set(case.distributions)) == len(case.distributions), name


def test_a_case_calls_what_flopscope_runs_for_its_row():
    """The row's backend where it has one (einsum, linalg.svd, poly*, stats.*), else
    NumPy's callable (the legacy module functions for random.*)."""
    for name, case in CASES.items():
        op = REGISTRY[name]
        call = _make(case, min(case.quick_sizes), case.distributions[0])
        assert call.function is (op.backend if op.backend is not None else op.impl), name


def test_ufuncs_write_into_a_preallocated_output():
    for name, case in CASES.items():
        op = REGISTRY[name]
        if not op.is_ufunc:
            continue
        call = _make(case, min(case.quick_sizes), case.distributions[0])
        outs = call.kwargs["out"]
        outs = outs if isinstance(outs, tuple) else (outs,)
        assert len(outs) == op.impl.nout, name
        results = _run(call)
        results = results if isinstance(results, tuple) else (results,)
        assert all(r is o for r, o in zip(results, outs)), name


def test_categories_follow_the_rows_nature():
    by_category: dict[str, set[str]] = {}
    for name, case in CASES.items():
        by_category.setdefault(case.category, set()).add(name)
    assert all(CASES[n].blas for n in by_category["linalg"])
    assert all(n.startswith("fft.") for n in by_category["fft"])
    assert by_category["random"] == {n for n in CASES if n.startswith("random.")}
    assert {"matmul", "dot", "einsum", "tensordot", "vdot"} <= by_category["contractions"]
    assert all(CASES[n].blas for n in ("matmul", "dot", "einsum", "tensordot", "vdot"))
    assert not CASES["add"].blas and not CASES["sum"].blas
    assert {"sum", "mean", "cumsum", "nanvar"} <= by_category["reductions"]
    assert {"gcd", "left_shift", "bitwise_and"} <= by_category["bitwise"]
    assert {"angle", "conjugate", "sort_complex"} <= by_category["complex"]
    for name in by_category["bitwise"] - {"packbits", "unpackbits"}:
        call = _make(CASES[name], min(CASES[name].quick_sizes), "normal")
        assert all(a.dtype == np.int64 for a in call.args), name
    for name in by_category["complex"] - {n for n in CASES if n.startswith("emath.")}:
        call = _make(CASES[name], min(CASES[name].quick_sizes), "normal")
        assert call.args[0].dtype == np.complex128, name


def test_make_is_reproducible():
    """The same generator seed builds the same inputs (the legacy samplers' seeding too)."""
    for name, case in CASES.items():
        size, distribution = min(case.quick_sizes), case.distributions[0]
        first, second = _make(case, size, distribution, 7), _make(case, size, distribution, 7)
        for a, b in zip(_inputs(first), _inputs(second)):
            np.testing.assert_array_equal(a, b, err_msg=name)
    np.random.seed(0)
    first = _run(_make(CASES["random.normal"], 100, "normal", 3))
    second = _run(_make(CASES["random.normal"], 100, "normal", 3))
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize(("name", "distribution"), POINTS)
def test_case_runs_and_is_priced(name: str, distribution: str):
    case = CASES[name]
    call = _make(case, min(case.quick_sizes), distribution)
    kwargs = {k: v for k, v in call.kwargs.items() if k != "out"}
    cost = REGISTRY[name].rule(call.args, kwargs)
    assert isinstance(cost, (int, np.integer)) and not isinstance(cost, bool)
    assert cost > 0
    inputs = [a for a in _inputs(call) if a.dtype.kind in "fc"]
    finite = all(np.isfinite(a).all() for a in inputs)
    # the distributions that promise NaN or infinities deliver them; no other has any
    assert finite is (distribution not in NONFINITE_DISTRIBUTIONS)
    _run(call)


def test_all_quick_sizes_run_in_seconds():
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    calls = 0
    for case in CASES.values():
        for size in case.quick_sizes:
            for distribution in case.distributions:
                _run(case.make(size, distribution, rng))
                calls += 1
    elapsed = time.perf_counter() - start
    print(f"{calls} quick calls, built and run once each: {elapsed:.2f} s")
    assert elapsed < QUICK_PASS_LIMIT
