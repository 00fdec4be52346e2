"""The dry run: programs priced without computing, against the same programs run.

``with flops.dry_run() as plan:`` must charge exactly what the real run charges for a
program whose control flow does not depend on values (the seed-003 MLP, a loop of 1,000
mixed operations, Gram matrices and their symmetric descendants), hand back stand-ins
that take no memory, refuse every read of a value with a ``DryRunValueError`` naming the
line, and keep a real budget's behaviour (a limit raises at the same call).
"""

from __future__ import annotations

import copy
import pickle
import random
import subprocess
import sys
import threading
import warnings

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import ShapeOnlyArray
from flopscope.errors import DryRunValueError

pytestmark = pytest.mark.usefixtures("unit_weights")


def _both(program, *args, budget=10**12):
    """(real budget, real result, dry run, dry result) of ``program(*args)``."""
    with flops.BudgetContext(budget, quiet=True) as real, np.errstate(all="ignore"):
        real_result = program(*args)
    with flops.dry_run(quiet=True) as plan:
        dry_result = program(*args)
    return real, real_result, plan, dry_result


def _same_charges(real, plan):
    assert plan.flops_used == real.flops_used
    assert [(r.op_name, r.flop_cost, r.shapes) for r in plan.op_log] == [
        (r.op_name, r.flop_cost, r.shapes) for r in real.op_log
    ]


def _same_shapes(dry, real):
    if isinstance(real, (tuple, list)):
        assert len(dry) == len(real)
        for d, r in zip(dry, real):
            _same_shapes(d, r)
        return
    assert isinstance(dry, ShapeOnlyArray)
    assert dry.shape == np.shape(real)
    assert dry.dtype == np.asarray(real).dtype


# ---------------------------------------------------------------- programs
def seed_mlp(width=256, depth=5):
    """The MLP of the challenge's documentation (seed 003)."""
    scale = fnp.sqrt(2 / width)
    weights = [fnp.random.randn(width, width) * scale for _ in range(depth)]
    x = fnp.random.randn(width)
    h = x
    for w in weights:
        h = fnp.einsum("ij,j->i", w, h)
        h = fnp.maximum(h, 0)
    return h


def test_the_seed_mlp_costs_what_it_costs_when_run():
    np.random.seed(0)
    real, r, plan, d = _both(seed_mlp)
    _same_charges(real, plan)
    _same_shapes(d, r)
    # under unit weights: the draws (5 * 256**2 + 256), the scaling (5 * 256**2), the
    # products (5 * 256**2), the ReLUs (5 * 256) and the square root (1)
    assert plan.flops_used == 3 * 5 * 256**2 + 256 + 5 * 256 + 1


def mixed_program(n_ops=1000, seed=7):
    """``n_ops`` operations drawn from the everyday kinds: pointwise (broadcasting,
    scalars, in place, ``out=``), reductions with axes, contractions, layout changes,
    indexing, joins and creation. The sequence depends on the seed, never on values."""
    draw = random.Random(seed)
    n, m = 12, 7
    square = [fnp.ones((n, n)) * 0.5, fnp.eye(n) + 0.1]
    wide = [fnp.ones((n, m)) * 0.25]
    vectors = [fnp.ones(n) * 0.3, fnp.arange(n) * 0.01]
    out = fnp.zeros((n, n))
    for _ in range(n_ops):
        kind = draw.randrange(16)
        a, b = draw.choice(square), draw.choice(square)
        v = draw.choice(vectors)
        w = draw.choice(wide)
        if kind == 0:
            r = a + b * 0.5 - v
        elif kind == 1:
            r = fnp.tanh(a) * fnp.exp(-fnp.abs(b))
        elif kind == 2:
            r = a.sum(axis=draw.choice((0, 1)), keepdims=True) + a
        elif kind == 3:
            r = a @ b
        elif kind == 4:
            r = fnp.einsum("ij,jk->ik", a, b)
        elif kind == 5:
            r = (a.T @ v)[None, :] + a
        elif kind == 6:
            r = fnp.concatenate([a[: n // 2], b[n // 2 :]], axis=0)
        elif kind == 7:
            r = fnp.maximum(a, b.mean()) / (1.0 + fnp.sqrt(fnp.abs(a)))
        elif kind == 8:
            a2 = a.copy()
            a2 += v
            a2 *= 0.5
            r = a2
        elif kind == 9:
            fnp.multiply(a, b, out=out)
            r = out + 0.0
        elif kind == 10:
            r = fnp.where(a > b, a, b) + fnp.clip(a, 0.1, 0.4)
        elif kind == 11:
            r = fnp.cumsum(a, axis=1) - a.std(axis=0)
        elif kind == 12:
            r = (w.T @ a).T @ (w.T @ a) @ fnp.ones((n, 1)) @ fnp.ones((1, n))
        elif kind == 13:
            r = fnp.stack([v, v * 2.0]).reshape(2, n)[0] + a
        elif kind == 14:
            r = fnp.outer(v, v) + fnp.trace(a)
        else:
            r = fnp.exp(a[::2, 1::3]).max() * a - fnp.log1p(fnp.abs(b))
        if r.shape == (n, n):
            square[draw.randrange(len(square))] = r * 0.1
    return square[0]


def test_a_loop_of_a_thousand_mixed_operations_costs_what_it_costs_when_run():
    real, r, plan, d = _both(mixed_program)
    _same_charges(real, plan)
    _same_shapes(d, r)
    assert len(plan.op_log) > 3000


def pca_program(n=300, d=40):
    x = fnp.ones((n, d)) * fnp.linspace(0.0, 1.0, d)
    x = x - x.mean(axis=0)
    cov = x.T @ x / (n - 1)  # a Gram matrix: symmetric, its distinct entries priced
    g = fnp.dot(x, x.T)
    h = fnp.einsum("ij,ik->jk", x, x)
    square = cov @ cov
    e = fnp.exp(cov)  # a pointwise function of a symmetric matrix: its distinct elements
    a = fnp.ones((d, d))
    not_gram = a @ a
    gram = a @ a.T
    corner = cov[:5, :5] * 2.0
    v = fnp.ones(d) / d
    for _ in range(10):
        v = cov @ v
        v = v / fnp.sqrt(v @ v)
    return (
        square.trace() + e.sum(),
        not_gram.sum() + gram.sum() + corner.sum() + g.sum() + h.sum() + cov.T.sum(),
        v,
    )


def test_gram_matrices_and_their_descendants_keep_their_symmetry_and_their_prices():
    real, r, plan, d = _both(pca_program)
    _same_charges(real, plan)
    _same_shapes(d, r)


def test_declared_symmetric_tensors_are_priced_as_in_a_real_run():
    def program():
        s = flops.as_symmetric(fnp.eye(6) + 1.0, (0, 1))
        t = flops.symmetrize(fnp.ones((4, 4, 4)), ((0, 1, 2),))
        return fnp.exp(s) @ s, fnp.einsum("ijk,i,j,k->", t, *[fnp.ones(4)] * 3)

    real, r, plan, d = _both(program)
    _same_charges(real, plan)
    _same_shapes(d, r)


# ---------------------------------------------------------------- no values
@pytest.mark.parametrize(
    ("read", "what"),
    [
        (lambda x: float(x[0]), "float(x)"),
        (lambda x: int(x.sum()), "int(x)"),
        (lambda x: bool(x.sum() > 0), "truth value"),
        (lambda x: x.tolist(), "tolist"),
        (lambda x: x[0].item(), "item"),
        (lambda x: f"{x.mean():.3f}", "format"),
        (lambda x: [1, 2, 3][x.argmax()], "index"),
        (lambda x: range(x.shape[0])[x.argmin()], "index"),
    ],
)
def test_reading_a_value_raises_and_names_the_line(read, what):
    with flops.dry_run(quiet=True):
        x = fnp.exp(fnp.ones(3))
        with pytest.raises(DryRunValueError) as info:
            read(x)
    assert what in str(info.value)
    assert f"{__file__}:" in str(info.value)


def test_printing_a_stand_in_shows_its_shape_and_reads_nothing():
    with flops.dry_run(quiet=True):
        x = fnp.ones((2, 3)) @ fnp.ones((3, 4))
    assert str(x) == repr(x) == "ShapeOnlyArray(shape=(2, 4), dtype=float64)"


def test_a_boolean_mask_stand_in_is_refused_its_result_size_depends_on_values():
    with flops.dry_run(quiet=True):
        x = fnp.exp(fnp.ones(5))
        with pytest.raises(DryRunValueError, match="boolean"):
            x[x > 1.0]


def test_a_stand_in_outside_its_dry_run_has_no_values_to_compute_on():
    with flops.dry_run(quiet=True):
        x = fnp.ones(3) * 2.0
    with flops.BudgetContext(10**6) as budget:
        for compute in (lambda: x + 1, lambda: fnp.sum(x), lambda: np.exp(x), lambda: x @ x):
            with pytest.raises(DryRunValueError, match="outside the dry run"):
                compute()
    assert budget.flops_used == 0


# ---------------------------------------------------------------- budgets
def test_a_dry_run_with_a_budget_refuses_the_call_the_real_run_refuses():
    def program():
        x = fnp.ones((50, 50))
        for _ in range(10):
            x = x @ x
        return x

    with pytest.raises(flops.BudgetExhaustedError) as real_error:
        with flops.BudgetContext(700_000, quiet=True) as real:
            program()
    with pytest.raises(flops.BudgetExhaustedError) as dry_error:
        with flops.dry_run(700_000, quiet=True) as plan:
            program()
    assert plan.flops_used == real.flops_used
    assert str(dry_error.value) == str(real_error.value)
    assert plan.flops_remaining == real.flops_remaining


def test_the_summary_of_a_dry_run_without_a_budget_says_no_limit():
    with flops.dry_run() as plan:
        fnp.ones(10) + 1.0
    text = plan.summary()
    assert "no limit" in text and "Used:         10" in text
    assert plan.summary_dict()["flops_used"] == 10
    assert "dry run" in repr(plan)


def test_a_thread_started_in_a_dry_run_is_priced_by_it():
    seen = []

    def work():
        seen.append(fnp.ones((4, 4)) @ fnp.ones((4, 4)))

    with flops.dry_run(quiet=True) as plan:
        t = threading.Thread(target=work)
        t.start()
        t.join()
    assert plan.flops_used == 64
    assert type(seen[0]) is ShapeOnlyArray


# ---------------------------------------------------------------- writes and memory
def test_writing_a_stand_in_into_a_counted_array_makes_its_values_unknown():
    x = fnp.arange(6.0)
    y = fnp.arange(6.0)
    with flops.dry_run(quiet=True) as plan:
        s = fnp.exp(fnp.ones(6))
        x[2:4] = s[:2]
        fnp.add(y, s, out=y)
        with pytest.raises(DryRunValueError):
            float(x[0])
        with pytest.raises(DryRunValueError):
            float(y[5])
    assert type(x) is ShapeOnlyArray and type(y) is ShapeOnlyArray
    assert plan.flops_used == 12
    plain = np.arange(6.0)
    with flops.dry_run(quiet=True), pytest.raises(DryRunValueError, match="cannot write"):
        fnp.add(plain, fnp.ones(6), out=plain)
    np.testing.assert_array_equal(plain, np.arange(6.0))


def test_writes_into_stand_ins_are_accepted_and_change_nothing():
    with flops.dry_run(quiet=True) as plan:
        z = fnp.zeros((3, 3))
        z[0, 0] = 1.0
        z[1] = fnp.ones(3)
        z += 1.0
        z.fill(2.0)
        with pytest.raises(IndexError):
            z[5, 0] = 1.0
        with pytest.raises(ValueError):
            z[0] = fnp.ones(4)
    assert type(z) is ShapeOnlyArray and plan.flops_used == 9


def test_stand_ins_take_no_memory():
    code = """
import resource, sys
import flopscope as flops, flopscope.numpy as fnp
flops.reset_weights()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with flops.dry_run() as plan:
    a = fnp.ones((20000, 20000))
    b = fnp.random.randn(20000, 20000) if False else a * 2.0
    c = (a @ b).T @ b + a
    d = fnp.concatenate([c, c]).sum(axis=0)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
scale = 1 if sys.platform == "darwin" else 1024
print((after - before) * scale, plan.flops_used)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    grown, used = map(int, done.stdout.split())
    assert used == 20000**2 + 2 * 20000**3 + 20000**2 + 2 * 20000**2
    assert grown < 200 * 2**20  # each array is 3.2 GB; the peak grows by far less


def test_stand_ins_pickle_and_copy_as_stand_ins():
    with flops.dry_run(quiet=True):
        x = fnp.ones((2, 3)) * 2.0
    for y in (pickle.loads(pickle.dumps(x)), copy.copy(x), copy.deepcopy(x), x.copy()):
        assert type(y) is ShapeOnlyArray and y.shape == (2, 3) and y.dtype == x.dtype


def test_layout_functions_and_joins_give_stand_ins():
    with flops.dry_run(quiet=True) as plan:
        x = fnp.ones((4, 6)) * 1.0
        results = [
            x.T,
            x.reshape(2, 12),
            fnp.transpose(x),
            fnp.concatenate([x, x]),
            fnp.stack([x, x], axis=-1),
            fnp.zeros_like(x),
            x[1:, ::2],
            x[[0, 2]],
            x.ravel(),
            fnp.expand_dims(x, 0),
        ]
        row = next(iter(x))
    shapes = [(6, 4), (2, 12), (6, 4), (8, 6), (4, 6, 2), (4, 6), (3, 3), (2, 6), (24,), (1, 4, 6)]
    assert [r.shape for r in results] == shapes
    assert all(type(r) is ShapeOnlyArray for r in results)
    assert type(row) is ShapeOnlyArray and row.shape == (6,)
    assert plan.flops_used == 24


def test_the_declared_group_is_lost_with_the_same_warning_as_in_a_real_run():
    def program():
        s = flops.as_symmetric(fnp.eye(4) + 1.0, (0, 1))
        return fnp.cumsum(s, axis=0)

    with warnings.catch_warnings(record=True) as real_warnings:
        warnings.simplefilter("always")
        with flops.BudgetContext(10**6):
            program()
    with warnings.catch_warnings(record=True) as dry_warnings:
        warnings.simplefilter("always")
        with flops.dry_run():
            program()
    assert [w.category for w in dry_warnings] == [w.category for w in real_warnings]
    assert flops.SymmetryLossWarning in [w.category for w in dry_warnings]


def test_your_own_operations_are_priced_and_shaped_by_their_output_rule():
    def pairwise(x, y):
        return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)

    distances = flops.register(
        pairwise,
        cost=lambda x, y: 3 * x.shape[0] * y.shape[0] * x.shape[1],
        name="dry_run_test_pairwise",
        output=lambda x, y: (x.shape[0], y.shape[0]),
    )
    opaque = flops.register(lambda x: x, cost=1, name="dry_run_test_opaque")

    def program():
        return distances(fnp.ones((5, 3)), fnp.ones((4, 3)) * 2.0)

    real, r, plan, d = _both(program)
    _same_charges(real, plan)
    _same_shapes(d, r)
    with flops.dry_run(quiet=True) as plan, pytest.raises(DryRunValueError, match="output="):
        opaque(fnp.ones(3) * 2.0)
    assert plan.flops_used == 3


def test_callbacks_are_given_stand_ins_and_their_counted_calls_priced():
    def program():
        x = fnp.ones((6, 4)) * 2.0
        return fnp.apply_along_axis(lambda r: fnp.exp(r).sum() + r[0], 1, x)

    real, r, plan, d = _both(program)
    _same_charges(real, plan)
    _same_shapes(d, r)
    with flops.dry_run(quiet=True):  # which elements each function sees: the values'
        x = fnp.ones(4) * 2.0
        with pytest.raises(DryRunValueError, match="condlist"):
            fnp.piecewise(x, [x > 1.0, x <= 1.0], [lambda v: v * 2.0, 0.0])


def test_as_a_decorator_each_call_is_a_dry_run_of_its_own():
    @flops.dry_run(flop_budget=100)
    def step(n):
        return fnp.ones(n) * 2.0

    assert type(step(10)) is ShapeOnlyArray
    assert step.budget_context.flops_used == 10
    assert isinstance(step.budget_context, flops.DryRun)
    with pytest.raises(flops.BudgetExhaustedError):
        step(101)


def kmeans_program(n=400, d=5, k=4, iterations=8):
    """Lloyd's iterations, a fixed number of them (no convergence test)."""
    rng = fnp.random.default_rng(3)
    x = rng.standard_normal((n, d))
    centers = x[:k].copy()
    for _ in range(iterations):
        distances = ((x[:, None, :] - centers[None, :, :]) ** 2).sum(axis=-1)
        labels = distances.argmin(axis=1)
        one_hot = (labels[:, None] == fnp.arange(k)[None, :]).astype(float)
        counts = one_hot.sum(axis=0)
        centers = (one_hot.T @ x) / fnp.maximum(counts, 1.0)[:, None]
    inertia = fnp.take_along_axis(distances, labels[:, None], axis=1).sum()
    return centers, inertia


def spectral_program(n=1024, segments=8):
    """Welch's estimate of a noisy sine's power spectrum."""
    rng = fnp.random.default_rng(4)
    t = fnp.arange(n * segments) / 256.0
    signal = fnp.sin(2 * fnp.pi * 12.5 * t) + 0.5 * rng.standard_normal(n * segments)
    frames = signal.reshape(segments, n) * fnp.hanning(n)
    spectrum = fnp.abs(fnp.fft.rfft(frames, axis=1)) ** 2
    power = spectrum.mean(axis=0) / (fnp.hanning(n) ** 2).sum()
    return power, fnp.fft.rfftfreq(n, d=1 / 256.0)


@pytest.mark.parametrize("program", [kmeans_program, spectral_program])
def test_everyday_programs_cost_what_they_cost_when_run(program):
    real, r, plan, d = _both(program)
    _same_charges(real, plan)
    _same_shapes(d, r)


def test_saving_or_printing_the_values_of_a_stand_in_is_refused(tmp_path):
    with flops.dry_run(quiet=True):
        x = fnp.ones(3) * 2.0
        for write in (
            lambda: fnp.save(tmp_path / "x.npy", x),
            lambda: fnp.savez(tmp_path / "x.npz", x=x),
            lambda: fnp.array2string(x),
            lambda: fnp.array_repr(x),
        ):
            with pytest.raises(DryRunValueError):
                write()
    assert not (tmp_path / "x.npy").exists() and not (tmp_path / "x.npz").exists()
