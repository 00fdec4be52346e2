"""Each polynomial cost query equals what the call it describes charges (unit weights),
on hypothesis-generated sizes, under both FMA conventions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
RNG = np.random.default_rng(11)


def _charged(fn, *args, **kwargs) -> int:
    with flops.BudgetContext(10**12, quiet=True) as budget:
        fn(*args, **kwargs)
    return budget.flops_used


def _coeffs(n: int) -> np.ndarray:
    return RNG.random(n) + 0.5  # a nonzero leading coefficient


@pytest.fixture(params=[1, 2], ids=["fma1", "fma2"])
def fma(request, unit_weights):
    flops.configure(fma_cost=request.param)
    yield
    flops.configure(fma_cost=1)


@SETTINGS
@given(n=st.integers(1, 8), x=st.lists(st.integers(0, 4), max_size=2))
def test_polyval(n, x, fma):
    assert flops.polyval_cost(n, tuple(x)) == _charged(fnp.polyval, _coeffs(n), np.ones(x))


@SETTINGS
@given(extra=st.integers(2, 25), deg=st.integers(0, 5), k=st.integers(1, 3), cov=st.booleans())
def test_polyfit(extra, deg, k, cov, fma):
    m = deg + extra  # more points than coefficients: a well-posed fit
    x = np.linspace(0, 1, m)
    y = RNG.random((m, k)) if k != 1 else RNG.random(m)
    charged = _charged(fnp.polyfit, x, y, deg, cov=cov)
    assert flops.polyfit_cost(m, deg, n_columns=k, cov=cov) == charged


@SETTINGS
@given(n=st.integers(1, 7))
def test_roots_and_poly(n, fma):
    assert flops.roots_cost(n) == _charged(fnp.roots, _coeffs(n))
    assert flops.poly_cost(n) == _charged(fnp.poly, RNG.random(n))


@SETTINGS
@given(n1=st.integers(1, 8), n2=st.integers(1, 8))
def test_two_polynomial_arithmetic(n1, n2, fma):
    a, b = _coeffs(n1), _coeffs(n2)
    assert flops.polymul_cost(n1, n2) == _charged(fnp.polymul, a, b)
    assert flops.polydiv_cost(n1, n2) == _charged(fnp.polydiv, a, b)
    assert flops.polyadd_cost(n1, n2) == _charged(fnp.polyadd, a, b)
    assert flops.polyadd_cost(n1, n2) == _charged(fnp.polysub, a, b)


@SETTINGS
@given(n=st.integers(1, 8), m=st.integers(0, 4))
def test_derivatives_and_integrals(n, m, fma):
    assert flops.polyder_cost(n, m) == _charged(fnp.polyder, _coeffs(n), m)
    assert flops.polyint_cost(n, m) == _charged(fnp.polyint, _coeffs(n), m)


@pytest.mark.parametrize(
    "query",
    [
        lambda: flops.polyval_cost(-1),
        lambda: flops.roots_cost(2.5),
        lambda: flops.polyfit_cost(5, -1),
    ],
)
def test_bad_sizes_raise_value_error(query):
    with pytest.raises(ValueError):
        query()
