"""Property tests of the Fourier-transform rules (``_rules/fft.py``), the cost queries
``fft_cost``, ``rfft_cost``, ``hfft_cost``, ``fftn_cost``, ``rfftn_cost``, and a
spectral estimate written as a participant would.

Every expected count is written here from the documented formula, independently of the
rules: ``C(n) = 5 n ceil(log2 n)`` per complex transform of length n (``math.log2``,
not integer bit tricks), ``R(n) = C(n) // 2`` per real or Hermitian one, times the other
extents; ``numel(output)`` more per step whose ``norm`` scales. The n-dimensional counts
are built by walking NumPy's steps over a list of extents (:func:`expected_nd`).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from samples import unit_weights

SETTINGS = settings(max_examples=60, deadline=None)
BIG = 10**15
NORMS = [None, "backward", "ortho", "forward"]


def C(n: int) -> int:
    return 5 * n * math.ceil(math.log2(n)) if n > 1 else 0


def R(n: int) -> int:
    return C(n) // 2


def scales(norm, forward: bool) -> bool:
    """Whether a transform of this direction multiplies its output by a factor."""
    if forward:
        return norm in ("ortho", "forward")
    return norm in (None, "backward", "ortho")


def charged(fn, *args, **kwargs):
    with unit_weights(), flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        result = fn(*args, **kwargs)
    assert type(budget.flops_used) is int
    return result, budget.flops_used


def refused(exc_type, fn, *args, **kwargs):
    """``exc_type`` raised, nothing charged or recorded."""
    with unit_weights(), flops.BudgetContext(flop_budget=BIG, quiet=True) as budget:
        with pytest.raises(exc_type) as info:
            fn(*args, **kwargs)
    assert budget.flops_used == 0 and len(budget.op_log) == 0
    return info.value


def same(result, expected):
    assert isinstance(result, fnp.ndarray)
    assert result.dtype == expected.dtype and result.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(result), expected)


def data(shape, complex_=False, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    return x + 1j * rng.standard_normal(shape) if complex_ else x


# ---------------------------------------------------------------- 1-D transforms
#: name -> (real count?, forward direction?, output length of n points, default n of m)
ONE_D = {
    "fft": (False, True, lambda n: n, lambda m: m),
    "ifft": (False, False, lambda n: n, lambda m: m),
    "rfft": (True, True, lambda n: n // 2 + 1, lambda m: m),
    "irfft": (True, False, lambda n: n, lambda m: 2 * (m - 1)),
    "hfft": (True, True, lambda n: n, lambda m: 2 * (m - 1)),
    "ihfft": (True, False, lambda n: n // 2 + 1, lambda m: m),
}


def expected_1d(name, shape, n, axis, norm):
    real, forward, n_out, default = ONE_D[name]
    m = shape[axis]
    n = default(m) if n is None else n
    batch = math.prod(shape) // m if m else math.prod(shape[:axis] + shape[axis + 1 :])
    work = batch * (R(n) if real else C(n))
    return work + (batch * n_out(n) if scales(norm, forward) else 0)


@SETTINGS
@given(
    name=st.sampled_from(sorted(ONE_D)),
    shape=st.lists(st.integers(1, 6), min_size=1, max_size=3).map(tuple),
    length=st.one_of(st.none(), st.integers(1, 70)),
    axis_pick=st.integers(0, 2),
    norm=st.sampled_from(NORMS),
)
def test_one_dimensional_charge_is_the_formula_and_the_query(name, shape, length, axis_pick, norm):
    axis = axis_pick % len(shape)
    real_in = name in ("rfft", "ihfft")
    if name in ("irfft", "hfft") and length is None and shape[axis] < 2:
        length = 2 * shape[axis]
    x = data(shape, complex_=not real_in)
    result, cost = charged(getattr(fnp.fft, name), x, length, axis, norm)
    same(result, getattr(np.fft, name)(x, length, axis, norm))
    assert cost == expected_1d(name, shape, length, axis, norm)
    # the query for the same call
    default = ONE_D[name][3]
    n = default(shape[axis]) if length is None else length
    batch = math.prod(shape) // shape[axis]
    query = {"fft": flops.fft_cost, "rfft": flops.rfft_cost, "hfft": flops.hfft_cost}
    base = name.lstrip("i") if name != "ihfft" else "hfft"
    inverse = name.startswith("i")
    with unit_weights():
        assert query[base](n, batch, inverse=inverse, norm=norm) == cost


@SETTINGS
@given(n=st.integers(1, 5000))
def test_the_counts_at_every_length(n):
    """Powers of two and everything between: ``5 n ceil(log2 n)``, half for real input."""
    assert flops.fft_cost(n) == C(n)
    assert flops.rfft_cost(n) == R(n)
    assert flops.hfft_cost(n) == R(n)
    assert flops.fft_cost(n, batch=3, inverse=True) == 3 * C(n) + 3 * n
    assert flops.rfft_cost(n, norm="ortho") == R(n) + n // 2 + 1


def test_length_one_and_powers_of_two():
    assert flops.fft_cost(1) == 0 and flops.rfft_cost(1) == 0
    assert flops.fft_cost(2) == 10
    assert flops.fft_cost(1024) == 5 * 1024 * 10
    assert flops.fft_cost(1025) == 5 * 1025 * 11
    assert flops.fft_cost(1024, batch=0) == 0


# ---------------------------------------------------------------- n dimensions
def expected_nd(name, shape, s, axes, norm):
    """Walk NumPy's steps over a list of extents, pricing each from the formula."""
    inverse = name.startswith("i")
    real = "rfft" in name
    ndim = len(shape)
    if axes is None:
        axes = list(range(ndim)) if s is None else list(range(ndim - len(s), ndim))
    axes = [a % ndim for a in axes]
    lengths = [shape[a] for a in axes] if s is None else list(s)
    if real and inverse and s is None:
        lengths[-1] = 2 * (shape[axes[-1]] - 1)
    extents = list(shape)
    steps = []  # (axis, n, kind) in NumPy's order
    if not real:
        steps = [(axes[i], lengths[i], "c") for i in reversed(range(len(axes)))]
    elif not inverse:
        steps = [(axes[-1], lengths[-1], "r")]
        steps += [(axes[i], lengths[i], "c") for i in reversed(range(len(axes) - 1))]
    else:
        steps = [(axes[i], lengths[i], "c") for i in range(len(axes) - 1)]
        steps += [(axes[-1], lengths[-1], "ir")]
    total = 0
    for axis, n, kind in steps:
        batch = math.prod(e for i, e in enumerate(extents) if i != axis)
        n_out = n // 2 + 1 if kind == "r" else n
        total += batch * (C(n) if kind == "c" else R(n))
        if scales(norm, not inverse):
            total += batch * n_out
        extents[axis] = n_out
    return total


ND = {
    "fftn": (np.fft.fftn, False),
    "ifftn": (np.fft.ifftn, True),
    "rfftn": (np.fft.rfftn, False),
    "irfftn": (np.fft.irfftn, True),
}


@st.composite
def nd_calls(draw):
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(2, 6), min_size=ndim, max_size=ndim)))
    k = draw(st.integers(1, ndim))
    axes = draw(st.permutations(range(ndim)))[:k]
    axes = [a - ndim if draw(st.booleans()) else a for a in axes]  # negative spellings
    s = draw(st.one_of(st.none(), st.lists(st.integers(1, 9), min_size=k, max_size=k)))
    return shape, s, axes


@SETTINGS
@given(name=st.sampled_from(sorted(ND)), call=nd_calls(), norm=st.sampled_from(NORMS))
def test_n_dimensional_charge_is_the_formula_and_the_query(name, call, norm):
    shape, s, axes = call
    fn, inverse = ND[name]
    x = data(shape, complex_=name != "rfftn")
    result, cost = charged(getattr(fnp.fft, name), x, s, axes, norm)
    same(result, fn(x, s, axes, norm))
    assert cost == expected_nd(name, shape, s, axes, norm)
    query = flops.rfftn_cost if "rfft" in name else flops.fftn_cost
    assert query(shape, s, axes, inverse=inverse, norm=norm) == cost


@SETTINGS
@given(call=nd_calls(), norm=st.sampled_from(NORMS))
def test_fftn_costs_what_its_one_dimensional_steps_cost(call, norm):
    """Writing an n-dimensional transform as 1-D calls charges exactly the same."""
    shape, s, axes = call
    x = data(shape, complex_=True)
    whole, cost = charged(fnp.fft.fftn, x, s, axes, norm)

    def by_steps():
        y = x
        lengths = [x.shape[a] for a in axes] if s is None else s
        for i in reversed(range(len(axes))):
            y = fnp.fft.fft(y, lengths[i], axes[i], norm)
        return y

    stepped, step_cost = charged(by_steps)
    assert cost == step_cost
    np.testing.assert_array_equal(np.asarray(whole), np.asarray(stepped))


def test_two_dimensional_spellings_are_the_n_dimensional_ones_over_the_last_two_axes():
    x = data((3, 5, 6))
    z = data((3, 5, 4), complex_=True)
    for two, n_dim, arr in (
        ("fft2", "fftn", x),
        ("ifft2", "ifftn", z),
        ("rfft2", "rfftn", x),
        ("irfft2", "irfftn", z),
    ):
        result, cost = charged(getattr(fnp.fft, two), arr)
        same(result, getattr(np.fft, two)(arr))
        _, n_cost = charged(getattr(fnp.fft, n_dim), arr, None, (-2, -1))
        assert cost == n_cost == expected_nd(n_dim, arr.shape, None, (1, 2), None)
    assert flops.fftn_cost((3, 5, 6), axes=(-2, -1)) == expected_nd(
        "fftn", (3, 5, 6), None, (1, 2), None
    )


def test_padding_and_cropping_price_the_length_used():
    x = data((4, 100))
    _, cropped = charged(fnp.fft.fftn, x, (4, 8), (0, 1))
    # the last axis first: 4 rows cropped to 8, then axis 0 over those 8 columns
    assert cropped == 4 * C(8) + 8 * C(4)
    _, padded = charged(fnp.fft.fft, data((6,)), 1000)
    assert padded == C(1000)
    _, rfft_padded = charged(fnp.fft.rfft, data((6,)), 1000)
    assert rfft_padded == R(1000)


def test_repeated_axes_transform_twice_as_numpy_does():
    x = data((4, 6))
    result, cost = charged(fnp.fft.fftn, x, None, (1, 1))
    same(result, np.fft.fftn(x, None, (1, 1)))
    assert cost == 2 * 4 * C(6)
    assert flops.fftn_cost((4, 6), axes=(1, 1)) == cost


# ---------------------------------------------------------------- conventions
def test_fft_rows_are_not_fma_priced(fma_two):
    x = data((16,))
    with flops.BudgetContext(BIG, quiet=True) as budget:
        fnp.fft.fft(x)
        fnp.fft.rfftn(data((4, 8)))
    weighted = round(flops.get_weight("fft.fft") * C(16))  # to the nearest FLOP
    assert budget.op_log[0].flop_cost == weighted
    assert flops.fft_cost(16) == C(16)
    assert flops.rfftn_cost((4, 8)) == 4 * R(8) + 5 * C(4)


def test_normalisation_is_counted_once_per_step_output():
    x = data((8,))
    costs = {norm: charged(fnp.fft.fft, x, norm=norm)[1] for norm in NORMS}
    assert costs == {None: C(8), "backward": C(8), "ortho": C(8) + 8, "forward": C(8) + 8}
    costs = {norm: charged(fnp.fft.ifft, x, norm=norm)[1] for norm in NORMS}
    assert costs == {None: C(8) + 8, "backward": C(8) + 8, "ortho": C(8) + 8, "forward": C(8)}
    # by hand: a forward transform and one multiplication per output element
    _, by_hand = charged(lambda: fnp.fft.fft(x) * (1 / 8))
    assert by_hand == costs[None]


def test_frequencies_and_shifts():
    result, cost = charged(fnp.fft.fftfreq, 10, 0.1)
    same(result, np.fft.fftfreq(10, 0.1))
    assert cost == 10
    result, cost = charged(fnp.fft.rfftfreq, 10, 0.1)
    same(result, np.fft.rfftfreq(10, 0.1))
    assert cost == 6
    x = data((4, 5))
    with flops.BudgetContext(0) as budget:  # free: a zero budget would refuse any charge
        shifted = fnp.fft.fftshift(x)
        back = fnp.fft.ifftshift(shifted)
        rolled = np.fft.fftshift(fnp.asarray(x), axes=1)
    same(shifted, np.fft.fftshift(x))
    same(back, x)
    same(rolled, np.fft.fftshift(x, axes=1))
    assert budget.flops_used == 0 and len(budget.op_log) == 0


# ---------------------------------------------------------------- out=
def test_out_is_written_and_returned_like_numpy():
    x = data((3, 8))
    for out in (fnp.zeros((3, 8), dtype=complex), np.zeros((3, 8), dtype=complex)):
        result, cost = charged(fnp.fft.fft, x, out=out)
        assert result is out
        np.testing.assert_array_equal(out, np.fft.fft(x))
        assert cost == 3 * C(8)
    out = fnp.zeros((3, 5), dtype=complex)
    result, cost = charged(fnp.fft.rfft, x, axis=1, out=out)
    assert result is out and cost == 3 * R(8)
    np.testing.assert_array_equal(out, np.fft.rfft(x))
    out = fnp.zeros((3, 8), dtype=complex)
    result, _ = charged(fnp.fft.fftn, x, out=out)
    assert result is out
    np.testing.assert_array_equal(out, np.fft.fftn(x))


def test_out_is_untouched_when_the_budget_refuses():
    x = data((3, 8))
    out = fnp.full((3, 8), 7.0 + 0j)
    with unit_weights(), flops.BudgetContext(3 * C(8) - 1, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.fft.fft(x, out=out)
    assert budget.flops_used == 0
    np.testing.assert_array_equal(out, np.full((3, 8), 7.0 + 0j))


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: fnp.fft.fft(np.ones(8), norm="unitary"), ValueError),
        (lambda: fnp.fft.ifft(np.ones(8), norm=1), ValueError),
        (lambda: fnp.fft.hfft(np.ones(8), norm="backwards"), ValueError),
        (lambda: fnp.fft.fft(np.ones(8), 0), ValueError),
        (lambda: fnp.fft.rfft(np.ones(8), -4), ValueError),
        (lambda: fnp.fft.irfft(np.ones(1)), ValueError),
        (lambda: fnp.fft.fft(np.ones((2, 3)), axis=2), IndexError),
        (lambda: fnp.fft.fft(np.ones((2, 3)), 4, -3), np.exceptions.AxisError),
        (lambda: fnp.fft.fft(np.ones(8), 4.5), TypeError),
        (lambda: fnp.fft.fftn(np.ones((2, 3)), axes=(0, 2)), IndexError),
        (lambda: fnp.fft.fftn(np.ones((2, 3)), (2,), (0, 1)), ValueError),
        (lambda: fnp.fft.fftn(np.ones((2, 3)), (0, 3), (0, 1)), ValueError),
        (lambda: fnp.fft.rfftn(np.ones((2, 3)), axes=()), IndexError),
        (lambda: fnp.fft.irfftn(np.ones((2, 3)), norm="x"), ValueError),
        (lambda: fnp.fft.fft2(np.ones(5)), IndexError),
        (lambda: fnp.fft.fftfreq(4.0), ValueError),
        (lambda: fnp.fft.fftfreq(-1), ValueError),
    ],
)
def test_bad_input_raises_numpy_error_and_charges_nothing(call, error):
    refused(error, call)


@pytest.mark.parametrize(
    "query",
    [
        lambda: flops.fft_cost(0),
        lambda: flops.fft_cost(-3),
        lambda: flops.fft_cost(2.5),
        lambda: flops.fft_cost(True),
        lambda: flops.fft_cost(8, batch=-1),
        lambda: flops.rfft_cost(8, norm="unitary"),
        lambda: flops.hfft_cost(0, inverse=True),
        lambda: flops.fftn_cost((4, 4), s=(0, 4), axes=(0, 1)),
        lambda: flops.fftn_cost((4, 4), axes=(0, 2)),
        lambda: flops.fftn_cost((4, -1)),
        lambda: flops.rfftn_cost((4, 4), s=(4,), axes=(0, 1)),
        lambda: flops.rfftn_cost((4, 1), inverse=True),
    ],
)
def test_queries_refuse_bad_sizes(query):
    with pytest.raises((ValueError, IndexError)):
        query()


# ---------------------------------------------------------------- a program
def welch(xp, x, fs, nperseg, step):
    """Welch's power spectral density: overlapping segments, each with its mean removed,
    windowed by Hann, transformed by rfft; the periodograms averaged, one-sided."""
    window = xp.hanning(nperseg)
    segments = xp.lib.stride_tricks.sliding_window_view(x, nperseg)[::step]
    segments = segments - xp.mean(segments, axis=1, keepdims=True)
    spectra = xp.fft.rfft(segments * window, axis=1)
    power = xp.mean(spectra.real**2 + spectra.imag**2, axis=0)
    power = power / (fs * xp.sum(window * window))
    power[1:-1] *= 2  # one-sided: the negative frequencies folded in
    return xp.fft.rfftfreq(nperseg, 1 / fs), power


def test_welch_periodogram_matches_numpy_and_charges_its_transforms(unit_weights):
    fs, n, nperseg, step = 1000.0, 4096, 256, 128
    t = np.arange(n) / fs
    x = np.sin(2 * np.pi * 50.0 * t) + 0.5 * np.random.default_rng(3).standard_normal(n)
    freqs, power = welch(np, x, fs, nperseg, step)
    with flops.BudgetContext(10**8, namespace="welch") as budget:
        got_freqs, got_power = welch(fnp, x, fs, nperseg, step)
    np.testing.assert_array_equal(got_freqs, freqs)
    np.testing.assert_allclose(got_power, power, rtol=1e-12)
    assert type(got_power) is fnp.ndarray
    assert abs(freqs[np.argmax(power)] - 50.0) < fs / nperseg  # the tone is found
    segments = (n - nperseg) // step + 1
    bins = nperseg // 2 + 1
    ops = budget.summary_dict()["operations"]
    assert ops["fft.rfft"]["flop_cost"] == segments * R(nperseg)
    assert ops["fft.rfft"]["flop_cost"] == flops.rfft_cost(nperseg, batch=segments)
    assert ops["fft.rfftfreq"]["flop_cost"] == bins
    assert ops["hanning"]["flop_cost"] == 5 * nperseg
    # the transforms dominate the elementwise work around them
    elementwise = budget.flops_used - ops["fft.rfft"]["flop_cost"]
    assert ops["fft.rfft"]["flop_cost"] > elementwise
