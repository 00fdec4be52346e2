"""Generators, RandomState, SeedSequence and the bit generators.

Every counted method of ``numpy.random.Generator`` and ``numpy.random.RandomState`` is
called from one table, with the same seed in NumPy and in flopscope: the values are
NumPy's bit for bit (and so is the generator's state afterwards), and the charge is the
cost written from the documented formula. Seeding, spawning and the bit generators are
free. The module-level samplers are compared with NumPy's the same way in
``test_registry_ops.py`` (each case reseeds NumPy's global generator).
"""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._registry import GENERATOR_FREE, GENERATOR_METHODS, REGISTRY
from flopscope.numpy.random import CountedGenerator, CountedRandomState
from samples import log2ceil, unit_weights

pytestmark = pytest.mark.usefixtures("unit_weights")

BIG = 10**12
SETTINGS = settings(max_examples=60, deadline=None)

P3 = [0.2, 0.3, 0.5]
MEAN = np.array([0.5, -1.0, 2.0])
COV = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, 0.2], [0.1, 0.2, 1.5]])
GRID = np.arange(12.0).reshape(3, 4)

#: samplers both classes have: (parameters, called with size=5, so 5 draws)
SAMPLERS: dict[str, tuple] = {
    "beta": (2.0, 3.0),
    "binomial": (10, 0.3),
    "chisquare": (3.0,),
    "exponential": (1.0,),
    "f": (3.0, 4.0),
    "gamma": (2.0, 1.0),
    "geometric": (0.3,),
    "gumbel": (0.0, 1.0),
    "hypergeometric": (5, 5, 3),
    "laplace": (0.0, 1.0),
    "logistic": (0.0, 1.0),
    "lognormal": (0.0, 1.0),
    "logseries": (0.5,),
    "negative_binomial": (5, 0.5),
    "noncentral_chisquare": (3.0, 1.0),
    "noncentral_f": (3.0, 4.0, 1.0),
    "normal": (0.0, 1.0),
    "pareto": (2.0,),
    "poisson": (3.0,),
    "power": (2.0,),
    "random": (),
    "rayleigh": (1.0,),
    "standard_cauchy": (),
    "standard_exponential": (),
    "standard_gamma": (2.0,),
    "standard_normal": (),
    "standard_t": (3.0,),
    "triangular": (0.0, 0.5, 1.0),
    "uniform": (0.0, 1.0),
    "vonmises": (0.0, 1.0),
    "wald": (1.0, 1.0),
    "weibull": (2.0,),
    "zipf": (2.0,),
}


#: the factorisations of a 3 x 3 covariance, as linalg counts them: the full SVD
#: ceil(21 n^3 / 2), eigh ceil(9 n^3 / 2), Cholesky n (n + 1) (n + 2) / 6
SVD_3, EIGH_3, CHOLESKY_3 = 284, 122, 10


def _mvn(n: int, samples: int, factor: int) -> int:
    """factorisation, then per sample n draws, n*n multiply-adds and n additions"""
    return factor + samples * (n * n + 2 * n)


#: (method, args, kwargs, cost), shared by both classes
COMMON: list[tuple[str, tuple, dict, int]] = [
    *((name, params, {"size": 5}, 5) for name, params in SAMPLERS.items()),
    ("normal", (np.zeros((2, 3)), 1.0), {}, 6),  # size from the parameters
    ("bytes", (10,), {}, 3),
    ("choice", (10, (2, 3)), {}, 6),
    ("choice", (10, 4), {"replace": False}, 4 + 10 * log2ceil(10)),
    ("choice", (6, 3), {"p": [0.1, 0.1, 0.2, 0.2, 0.2, 0.2]}, 3 + 6),
    ("dirichlet", ([1.0, 2.0, 3.0], 4), {}, 4 * (3 * 3 - 1)),
    ("multinomial", (10, P3, 4), {}, 12),
    ("multivariate_normal", (MEAN, COV, 5), {}, _mvn(3, 5, SVD_3 + 27)),  # SVD + its check
    ("multivariate_normal", (MEAN, COV, 5, "ignore"), {}, _mvn(3, 5, SVD_3)),
    ("permutation", (10,), {}, 10 * 4),
    ("permutation", (GRID,), {}, 3 * 2),
    ("shuffle", (np.arange(10.0),), {}, 10 * 4),
]

GENERATOR_CALLS = [
    *COMMON,
    ("integers", (0, 10, (2, 3)), {}, 6),
    ("integers", (0, 10), {"size": 4, "endpoint": True}, 4),
    ("random", (), {"out": np.empty((3, 4))}, 12),  # out= gives the shape
    ("standard_normal", (), {"out": np.empty(7)}, 7),
    ("standard_exponential", (4,), {"method": "inv"}, 4),
    ("choice", (GRID, 2), {"axis": 1}, 2),
    ("choice", (GRID, 3), {"replace": False, "shuffle": False}, 3 + 3 * 2),
    ("multinomial", ([5, 10, 15], [0.5, 0.5]), {}, 6),
    ("multinomial", (10, [[0.5, 0.5], [0.2, 0.8]]), {}, 4),
    ("multivariate_normal", (MEAN, COV, 5), {"method": "eigh"}, _mvn(3, 5, EIGH_3)),
    ("multivariate_normal", (MEAN, COV, 5), {"method": "cholesky"}, _mvn(3, 5, CHOLESKY_3)),
    ("multivariate_hypergeometric", ([3, 2, 4], 5), {"size": 4}, 12),
    ("multivariate_hypergeometric", ([3, 2, 4], 5), {"method": "count"}, 3),
    ("permutation", (GRID,), {"axis": 1}, 4 * 2),
    ("permuted", (GRID,), {"axis": 1}, 3 * 4 * 2),
    ("permuted", (GRID,), {}, 12 * 4),
    ("shuffle", (GRID.copy(),), {"axis": 1}, 4 * 2),
]

RANDOM_STATE_CALLS = [
    *COMMON,
    ("rand", (3, 4), {}, 12),
    ("randn", (2, 3), {}, 6),
    ("randint", (0, 10, 5), {}, 5),
    ("random_integers", (1, 10, 5), {}, 5),
    ("random_sample", (5,), {}, 5),
    ("tomaxint", (5,), {}, 5),
]


def _public_methods(cls: type) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n))}


def _counted_methods(cls: type) -> set[str]:
    names = set()
    for n in _public_methods(cls):
        op = REGISTRY.get(f"random.{n}")
        if n in GENERATOR_METHODS or (op is not None and op.category.startswith("counted")):
            names.add(n)
    return names


@pytest.mark.parametrize(
    ("cls", "calls"),
    [(np.random.Generator, GENERATOR_CALLS), (np.random.RandomState, RANDOM_STATE_CALLS)],
    ids=["Generator", "RandomState"],
)
def test_the_table_calls_every_counted_method(cls, calls):
    assert _counted_methods(cls) == {name for name, *_ in calls}


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


def _check_same_stream(make_numpy, make_counted, method, args, kwargs, cost):
    reference = make_numpy()
    rng = make_counted()
    np_args = [_copy(a) for a in args]
    np_kwargs = {k: _copy(v) for k, v in kwargs.items()}
    expected = getattr(reference, method)(*np_args, **np_kwargs)
    fn_args = [_copy(a) for a in args]
    fn_kwargs = {k: _copy(v) for k, v in kwargs.items()}
    with flops.BudgetContext(BIG, quiet=True) as budget:
        result = getattr(rng, method)(*fn_args, **fn_kwargs)
    assert budget.flops_used == cost
    (record,) = budget.op_log
    assert record.op_name == f"random.{method}" and record.flop_cost == cost
    if "out" in kwargs:  # the caller's buffer comes back, as from NumPy
        assert result is fn_kwargs["out"]
    elif isinstance(expected, np.ndarray):
        assert type(result) is fnp.ndarray
        assert result.dtype == expected.dtype
        np.testing.assert_array_equal(result.view(np.ndarray), expected)
    else:
        assert result == expected and type(result) is type(expected)
    for got, want in zip([*fn_args, *fn_kwargs.values()], [*np_args, *np_kwargs.values()]):
        if isinstance(want, np.ndarray):  # in-place draws (shuffle, out=) write alike
            np.testing.assert_array_equal(got, want)
    # the stream continues where NumPy's does
    np.testing.assert_array_equal(rng.random(3), reference.random(3))
    # one FLOP short: refused, nothing drawn, the stream untouched
    if cost:
        before = rng.random(2), reference.random(2)
        with flops.BudgetContext(cost - 1, quiet=True) as short:
            with pytest.raises(flops.BudgetExhaustedError):
                getattr(rng, method)(*[_copy(a) for a in args], **kwargs)
        assert short.flops_used == 0
        np.testing.assert_array_equal(*before)
        np.testing.assert_array_equal(rng.random(3), reference.random(3))


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "cost"),
    GENERATOR_CALLS,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(GENERATOR_CALLS)],
)
def test_generator_draws_numpys_stream_and_charges_its_formula(method, args, kwargs, cost):
    _check_same_stream(
        lambda: np.random.default_rng(2024),
        lambda: fnp.random.default_rng(2024),
        method,
        args,
        kwargs,
        cost,
    )


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "cost"),
    RANDOM_STATE_CALLS,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(RANDOM_STATE_CALLS)],
)
def test_random_state_draws_numpys_stream_and_charges_its_formula(method, args, kwargs, cost):
    _check_same_stream(
        lambda: np.random.RandomState(2024),
        lambda: fnp.random.RandomState(2024),
        method,
        args,
        kwargs,
        cost,
    )


# ---------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error"),
    [
        ("multinomial", (10, 0.5), {}, ValueError),
        ("dirichlet", ([[1.0, 2.0]],), {}, ValueError),
        ("multivariate_normal", (MEAN, COV), {"method": "qr"}, ValueError),
        ("multivariate_normal", (MEAN, COV[:2]), {}, ValueError),
        ("multivariate_hypergeometric", ([[3, 2]], 2), {}, ValueError),
        ("choice", (5, 6), {"replace": False}, ValueError),
        ("permuted", (GRID,), {"axis": 2}, np.exceptions.AxisError),
    ],
)
def test_bad_input_raises_numpys_error_and_charges_nothing(method, args, kwargs, error):
    with pytest.raises(error):
        getattr(np.random.default_rng(0), method)(*args, **kwargs)
    with flops.BudgetContext(BIG, quiet=True) as budget:
        with pytest.raises(error):
            getattr(fnp.random.default_rng(0), method)(*args, **kwargs)
    assert budget.flops_used == 0 and len(budget.op_log) == 0


def test_a_method_no_row_classifies_is_refused_not_run():
    class FutureGenerator:
        def new_sampler(self, size=None):
            raise AssertionError("ran uncounted")

    rng = CountedGenerator(FutureGenerator())
    with pytest.raises(flops.UnsupportedFunctionError, match="new_sampler"):
        rng.new_sampler(3)
    with pytest.raises(AttributeError, match="no attribute 'no_such_method'"):
        rng.no_such_method  # noqa: B018
    # the Generator-only sampler is not a RandomState method
    with pytest.raises(AttributeError):
        fnp.random.RandomState(0).multivariate_hypergeometric  # noqa: B018


# ---------------------------------------------------------------- free: seeding
def test_seeding_state_and_spawning_are_free_and_match_numpy():
    with flops.BudgetContext(0) as budget:  # anything charged would raise
        rs = fnp.random.RandomState(3)
        rs.seed(11)
        state = rs.get_state()
        rng = fnp.random.default_rng(5)
        children = rng.spawn(2)
        bit_generator = rng.bit_generator
    assert budget.flops_used == 0 and len(budget.op_log) == 0
    reference = np.random.RandomState(11)
    assert state[0] == "MT19937"
    np.testing.assert_array_equal(state[1], reference.get_state()[1])
    a = rs.random_sample(4)
    rs.set_state(state)
    np.testing.assert_array_equal(rs.random_sample(4), a)
    np.testing.assert_array_equal(a, reference.random_sample(4))
    assert all(isinstance(c, CountedGenerator) for c in children)
    for child, expected in zip(children, np.random.default_rng(5).spawn(2)):
        np.testing.assert_array_equal(child.normal(size=3), expected.normal(size=3))
    assert isinstance(bit_generator, np.random.PCG64)
    assert isinstance(rs, CountedRandomState)


def test_seed_sequence_spawn_and_generate_state_are_numpys():
    with flops.BudgetContext(0) as budget:
        seq = fnp.random.SeedSequence(1234)
        children = seq.spawn(3)
        words = seq.generate_state(4)
        rngs = [fnp.random.default_rng(c) for c in children]
    assert budget.flops_used == 0
    reference = np.random.SeedSequence(1234)
    np.testing.assert_array_equal(words, reference.generate_state(4))
    for rng, child in zip(rngs, reference.spawn(3)):
        assert isinstance(rng, CountedGenerator)
        np.testing.assert_array_equal(
            rng.standard_normal(4), np.random.default_rng(child).standard_normal(4)
        )


@pytest.mark.parametrize("name", ["PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"])
def test_each_bit_generator_is_free_and_its_generator_counted(name):
    with flops.BudgetContext(0) as budget:
        bit_generator = getattr(fnp.random, name)(77)
        rng = fnp.random.Generator(bit_generator)
    assert budget.flops_used == 0
    assert isinstance(rng, CountedGenerator)
    reference = np.random.Generator(getattr(np.random, name)(77))
    with flops.BudgetContext(BIG) as budget:
        drawn = rng.normal(size=(2, 3))
    assert budget.flops_used == 6
    np.testing.assert_array_equal(drawn, reference.normal(size=(2, 3)))


def test_random_state_over_a_bit_generator_and_the_global_one():
    rs = fnp.random.RandomState(fnp.random.MT19937(9))
    reference = np.random.RandomState(np.random.MT19937(9))
    with flops.BudgetContext(BIG) as budget:
        drawn = rs.standard_normal(4)
    assert budget.flops_used == 4
    np.testing.assert_array_equal(drawn, reference.standard_normal(4))
    with flops.BudgetContext(0):
        assert isinstance(fnp.random.get_bit_generator(), np.random.MT19937)


def test_a_counted_generator_passed_back_to_numpy_is_the_generator_it_holds():
    rng = fnp.random.default_rng(8)
    with flops.BudgetContext(0):
        same = fnp.random.default_rng(rng)  # NumPy returns the generator it is given
        again = fnp.random.Generator(rng.bit_generator)
    reference = np.random.default_rng(8)
    np.testing.assert_array_equal(same.random(3), reference.random(3))
    np.testing.assert_array_equal(rng.random(3), reference.random(3))
    np.testing.assert_array_equal(again.random(3), reference.random(3))


def test_a_counted_generator_pickles_and_copies_with_its_state():
    rng = fnp.random.default_rng(4)
    rng.random(5)
    for clone in (pickle.loads(pickle.dumps(rng)), copy.deepcopy(rng)):
        assert isinstance(clone, CountedGenerator)
        with flops.BudgetContext(BIG) as budget:
            drawn = clone.random(3)
        assert budget.flops_used == 3
        reference = np.random.default_rng(4)
        reference.random(5)
        np.testing.assert_array_equal(drawn, reference.random(3))
    rs = pickle.loads(pickle.dumps(fnp.random.RandomState(6)))
    np.testing.assert_array_equal(rs.rand(2), np.random.RandomState(6).rand(2))


def test_size_given_as_a_counted_integer():
    with flops.BudgetContext(BIG) as budget:
        drawn = fnp.random.default_rng(0).normal(size=fnp.asarray(3))
    assert drawn.shape == (3,) and budget.flops_used == 3


def test_draws_from_a_plain_numpy_generator_are_not_counted():
    """The documented sharp edge: a NumPy Generator is NumPy's; its draws are never seen,
    even with counted parameters. Draw from fnp.random.default_rng to count them."""
    loc = fnp.ones(3)
    with flops.BudgetContext(BIG) as budget:
        drawn = np.random.default_rng(0).normal(loc=loc)
    assert budget.flops_used == 0
    assert type(drawn) is np.ndarray


# ---------------------------------------------------------------- properties
def _charged(fn, *args, **kwargs) -> int:
    with unit_weights(), flops.BudgetContext(BIG, quiet=True) as budget:
        fn(*args, **kwargs)
    return budget.flops_used


@SETTINGS
@given(
    n=st.integers(1, 40),
    size=st.integers(0, 6),
    replace=st.booleans(),
    with_p=st.booleans(),
)
def test_choice_prices_draws_distribution_and_permutation(n, size, replace, with_p):
    if not replace and size > n:
        size = n
    p = np.full(n, 1 / n) if with_p else None
    expected = size + (n if with_p else 0)
    if not replace:
        expected += n * math.ceil(math.log2(n)) if n > 1 else 0
    rng = fnp.random.default_rng(n)
    assert _charged(rng.choice, n, size, replace, p) == expected
    assert _charged(fnp.random.choice, n, size, replace, p) == expected


@SETTINGS
@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=6), data=st.data())
def test_permuted_shuffles_each_slice_along_its_axis(shape, data):
    axis = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    x = np.zeros(shape)
    total = math.prod(shape)
    if axis is None:
        expected = total * math.ceil(math.log2(total)) if total > 1 else 0
    else:
        n = shape[axis]
        expected = total * math.ceil(math.log2(n)) if n > 1 else 0
    assert _charged(fnp.random.default_rng(0).permuted, x, axis=axis) == expected


@SETTINGS
@given(
    k=st.integers(1, 5),
    size=st.none() | hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=4),
)
def test_multivariate_samplers_price_each_sample(k, size):
    samples = 1 if size is None else math.prod(size)
    alpha = np.arange(1.0, k + 1)
    pvals = np.full(k, 1 / k)
    rng = fnp.random.default_rng(0)
    assert _charged(rng.dirichlet, alpha, size) == samples * (3 * k - 1)
    assert _charged(rng.multinomial, 7, pvals, size) == samples * k
    assert _charged(rng.multivariate_hypergeometric, [2] * k, 2, size) == samples * k
    full_svd = -(-21 * k**3 // 2)  # linalg.svd's count, ceil(21 k^3 / 2)
    assert _charged(rng.multivariate_normal, np.zeros(k), np.eye(k), size) == (
        full_svd + k**3 + samples * (k * k + 2 * k)
    )


def test_free_generator_attributes_are_named_with_their_reasons():
    for name, why in GENERATOR_FREE.items():
        assert why and hasattr(np.random.default_rng(0), name)
