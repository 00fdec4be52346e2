"""The dry run of random sampling: generator methods against the real run.

Every counted method of ``Generator`` and ``RandomState`` (the tables of
``test_random_generators``, and a few dtypes and shapes more) is called in a real budget
and, on a generator seeded alike, in a dry run. The dry run charges and records exactly
what the real run did and hands back stand-ins of the real results' shapes and dtypes;
and it draws nothing: the generator's stream afterwards is a fresh generator's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._dry_run import ShapeOnlyArray, stand_in
from test_dry_run_rows import _assert_stands_for
from test_random_generators import GENERATOR_CALLS, RANDOM_STATE_CALLS

pytestmark = pytest.mark.usefixtures("unit_weights")

SEED = 11

#: calls beyond the shared tables: dtypes chosen, sizes from parameters, scalars
MORE_GENERATOR_CALLS: list[tuple[str, tuple, dict]] = [
    ("normal", (), {"size": (3, 4)}),
    ("normal", (), {}),
    ("normal", ([0.0, 1.0], 1.0), {"size": (3, 2)}),
    ("integers", (5,), {}),
    ("integers", (0, 10), {"size": 3, "dtype": np.uint8}),
    ("integers", (0, 2, (2, 2), bool), {}),
    ("random", ((2, 3),), {}),
    ("random", (4, np.float32), {}),
    ("standard_normal", ((3,),), {}),
    ("standard_normal", (), {"size": 2, "dtype": np.float32}),
    ("standard_gamma", (2.0, 3, np.float32), {}),
    ("choice", (10,), {}),
    ("choice", (np.arange(6.0), (2, 2)), {}),
    ("choice", (np.ones((3, 4), np.float32),), {"axis": 1}),
    ("permutation", (np.arange(5, dtype=np.int16),), {}),
    ("poisson", (np.full((2, 1), 3.0),), {}),
    ("bytes", (0,), {}),
    ("bytes", (7,), {}),
]

MORE_RANDOM_STATE_CALLS: list[tuple[str, tuple, dict]] = [
    ("randint", (5,), {}),
    ("randint", (0, 3, (2, 2)), {"dtype": np.int8}),
    ("rand", (), {}),
    ("choice", (np.arange(4.0), 3), {}),
    ("permutation", (6,), {}),
]


def _arguments(args: tuple, kwargs: dict) -> tuple[list, dict]:
    """Fresh copies; an ``out=`` buffer is flopscope's (a dry run marks it unknown)."""
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    options = {
        k: (fnp.empty(v.shape) if k == "out" else v.copy() if isinstance(v, np.ndarray) else v)
        for k, v in kwargs.items()
    }
    return copies, options


def _check(make: Any, method: str, args: tuple, kwargs: dict) -> None:
    real_args, real_kwargs = _arguments(args, kwargs)
    with flops.BudgetContext(10**12, quiet=True) as budget:
        real = getattr(make(SEED), method)(*real_args, **real_kwargs)

    rng = make(SEED)
    dry_args, dry_kwargs = _arguments(args, kwargs)
    with flops.dry_run(quiet=True) as plan:
        dry = getattr(rng, method)(*dry_args, **dry_kwargs)
    assert plan.flops_used == budget.flops_used
    assert [(r.op_name, r.flop_cost) for r in plan.op_log] == [
        (r.op_name, r.flop_cost) for r in budget.op_log
    ]
    if "out" in kwargs:  # the caller's buffer comes back, its values unknown
        assert dry is dry_kwargs["out"] and type(dry) is ShapeOnlyArray
        assert dry.shape == real.shape and dry.dtype == real.dtype
    else:
        _assert_stands_for(dry, real)
    if method == "shuffle":  # in place: left in its order, one a shuffle can give
        np.testing.assert_array_equal(dry_args[0], args[0])
    # nothing was drawn: the stream goes on as a fresh generator's
    np.testing.assert_array_equal(rng.random(4), make(SEED).random(4))


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    [(m, a, k) for m, a, k, _ in GENERATOR_CALLS] + MORE_GENERATOR_CALLS,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_generator_methods_in_a_dry_run(method, args, kwargs):
    _check(fnp.random.default_rng, method, args, kwargs)


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    [(m, a, k) for m, a, k, _ in RANDOM_STATE_CALLS] + MORE_RANDOM_STATE_CALLS,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_random_state_methods_in_a_dry_run(method, args, kwargs):
    _check(fnp.random.RandomState, method, args, kwargs)


def test_a_dry_run_leaves_the_global_generator_as_it_was():
    np.random.seed(SEED)
    state = np.random.get_state()
    with flops.dry_run(quiet=True) as plan:
        x = fnp.random.normal(size=(3, 4))
        k = fnp.random.randint(0, 10, size=5)
        fnp.random.shuffle(fnp.arange(8.0))
        b = fnp.random.bytes(9)
    assert (x.shape, x.dtype, k.shape, k.dtype) == ((3, 4), np.float64, (5,), np.int64)
    assert b.shape == () and b.dtype == np.dtype("S9")
    assert plan.flops_used == 12 + 5 + 8 * 3 + 3
    after = np.random.get_state()
    assert after[0] == state[0] and np.array_equal(after[1], state[1])
    assert after[2:] == state[2:]


def test_stand_in_parameters_give_the_draws_their_shape():
    rng = fnp.random.default_rng(SEED)
    with flops.dry_run(quiet=True) as plan:
        loc = stand_in((2, 3), np.float64)
        draws = rng.normal(loc, 1.0)
        counts = rng.poisson(stand_in((4,), np.float64), size=(5, 4))
        picked = rng.choice(stand_in((7, 2), np.float32), 3)
    assert (draws.shape, draws.dtype) == ((2, 3), np.float64)
    assert (counts.shape, counts.dtype) == ((5, 4), np.int64)
    assert (picked.shape, picked.dtype) == ((3, 2), np.float32)
    assert plan.flops_used == 6 + 20 + 3


def test_a_dry_run_refuses_what_the_real_run_refuses():
    rng = fnp.random.default_rng(SEED)
    with flops.dry_run(quiet=True) as plan:
        with pytest.raises(ValueError, match="shape mismatch"):
            rng.normal([0.0, 1.0], 1.0, size=3)
        with pytest.raises(TypeError, match="Unsupported dtype"):
            rng.random(3, np.float16)
        with pytest.raises(TypeError, match="Unsupported dtype"):
            rng.integers(0, 3, size=2, dtype=np.float64)
        with pytest.raises(flops.DryRunValueError, match="population"):
            rng.choice(stand_in((), np.int64), 2, replace=False)
    assert plan.flops_used == 0
    with pytest.raises(ValueError):
        rng.normal([0.0, 1.0], 1.0, size=3)
    with pytest.raises(TypeError):
        rng.random(3, np.float16)
