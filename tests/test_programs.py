"""Whole programs as challenge participants write them, run with ``xp=numpy`` and with
``xp=flopscope.numpy``: the values agree, the charges are exact, and flopscope's own
time never lands in the residual."""

from __future__ import annotations

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp


# ---------------------------------------------------------------- shipped parameters
class MeanPropagator(flops.Module):
    """Parameters computed offline, shipped beside the program."""

    weights: list[fnp.ndarray]
    biases: list[fnp.ndarray]
    scale: fnp.ndarray

    def __init__(self, width: int, depth: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.weights = [rng.standard_normal((width, width)) / np.sqrt(width) for _ in range(depth)]
        self.biases = [rng.standard_normal(width) * 0.1 for _ in range(depth)]
        self.scale = np.float64(0.5)
        self.n_samples = 1000  # a setting: not saved

    def predict(self, xp, x):
        """Mean of each layer's output for inputs ``x`` (rows), updated in place."""
        h = xp.asarray(x).copy()
        means = []
        for w, b in zip(self.weights, self.biases):
            h = h @ w.T
            h += b
            xp.maximum(h, 0.0, out=h)
            h *= self.scale
            means.append(xp.mean(h, axis=0))
        return xp.stack(means)


def test_shipped_parameters_predict_like_numpy(tmp_path, unit_weights):
    offline = MeanPropagator(width=16, depth=4, seed=0)
    offline.save(tmp_path / "params.npz")
    x = np.random.default_rng(1).standard_normal((64, 16))
    expected = offline.predict(np, x)

    with flops.BudgetContext(10**7, namespace="predict") as budget:
        model = MeanPropagator.from_file(tmp_path / "params.npz")
        got = model.predict(fnp, x)
    assert not hasattr(model, "n_samples")  # settings are not parameters
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert type(got) is fnp.ndarray
    # per layer: matmul 64*16*16, += 64*16, maximum 64*16, *= 64*16, mean 64*16
    per_layer = 64 * 16 * 16 + 4 * 64 * 16
    assert budget.flops_used == 4 * per_layer
    ops = budget.summary_dict()["operations"]
    assert ops["add"]["calls"] == ops["maximum"]["calls"] == ops["multiply"]["calls"] == 4
    data = budget.summary_dict()
    assert data["free_operations"]["calls"] >= 3  # from_file, asarray, copy, stack
    assert data["wall_time_s"] == (
        data["flopscope_backend_time_s"]
        + data["flopscope_overhead_time_s"]
        + data["residual_wall_time_s"]
    )


# ---------------------------------------------------------------- k-means
def kmeans(xp, points, k: int, iterations: int):
    centres = points[:k].copy()
    for _ in range(iterations):
        # squared distances |p|^2 - 2 p.c + |c|^2, shape (n, k)
        d = (
            xp.sum(points * points, axis=1)[:, None]
            - 2.0 * xp.einsum("nd,kd->nk", points, centres)
            + xp.sum(centres * centres, axis=1)[None, :]
        )
        labels = xp.argmin(d, axis=1)
        for j in range(k):
            members = points[labels == j]
            if len(members):
                centres[j] = xp.mean(members, axis=0)
    return centres, labels


def test_kmeans_matches_numpy_and_copies_are_flopscope_time():
    rng = np.random.default_rng(2)
    blobs = np.concatenate([rng.normal(c, 0.3, (200, 2)) for c in (-3.0, 0.0, 3.0)])
    want_centres, want_labels = kmeans(np, blobs, 3, 8)
    with flops.BudgetContext(10**8) as budget:
        got_centres, got_labels = kmeans(fnp, fnp.asarray(blobs), 3, 8)
    np.testing.assert_allclose(got_centres, want_centres, rtol=1e-12)
    np.testing.assert_array_equal(got_labels, want_labels)
    data = budget.summary_dict()
    assert data["operations"]["einsum"]["flop_cost"] == 8 * 600 * 3 * 2
    assert data["free_operations"]["calls"] >= 8 * 3  # the masked selections
    assert data["residual_wall_time_s"] >= 0


# ---------------------------------------------------------------- preprocessing
def standardise_batches(xp, data, batch: int):
    mean = xp.mean(data, axis=0)
    std = xp.std(data, axis=0)
    z = (data - mean) / std
    order = np.argsort(np.arange(len(data)) % 7, kind="stable")  # a fixed shuffle
    batches = [z[order[i : i + batch]] for i in range(0, len(data), batch)]
    return xp.concatenate([b[::-1] for b in batches])


def test_preprocessing_from_an_npz_file(tmp_path):
    raw = np.random.default_rng(3).standard_normal((2000, 8)) * 5 + 2
    np.savez(tmp_path / "data.npz", x=raw)
    expected = standardise_batches(np, raw, 100)
    with flops.BudgetContext(10**7) as budget:
        with fnp.load(tmp_path / "data.npz") as files:
            x = files["x"]
        got = standardise_batches(fnp, x, 100)
    np.testing.assert_array_equal(got, expected)
    data = budget.summary_dict()
    # mean and std reduce 2000 x 8 values; subtract and divide touch each once
    charged = {name: round(2000 * 8 * flops.get_weight(name)) for name in data["operations"]}
    assert set(charged) == {"mean", "std", "subtract", "divide"}
    assert {name: op["flop_cost"] for name, op in data["operations"].items()} == charged
    assert budget.flops_used == sum(charged.values())
    assert data["free_operations"]["calls"] == 1 + 1 + 20 + 1  # load, read, 20 batches, concat


@pytest.mark.parametrize("action", ["raise", "warn"])
def test_a_nan_hunt_with_check_nan_inf(action, unit_weights):
    """A user looks for the operation that first produced a NaN."""
    previous = flops.configure()["check_nan_inf"]
    flops.configure(check_nan_inf=action)
    try:
        x = fnp.asarray([1.0, 4.0, -1.0])
        with flops.BudgetContext(1000, quiet=True) as budget, np.errstate(invalid="ignore"):
            y = x * 2.0
            if action == "raise":
                with pytest.raises(FloatingPointError, match=r"sqrt .*op_log\[1\]"):
                    fnp.sqrt(y)
            else:
                with pytest.warns(RuntimeWarning, match=r"sqrt .*op_log\[1\]"):
                    fnp.sqrt(y)
        assert [r.op_name for r in budget.op_log] == ["multiply", "sqrt"]
    finally:
        flops.configure(check_nan_inf=previous)


# ---------------------------------------------------------------- coverage programs
def robust_summary(xp, samples):
    """Outlier-robust statistics as a data scientist writes them."""
    q1, med, q3 = xp.percentile(samples, [25, 50, 75], axis=0)
    iqr = q3 - q1
    keep = xp.all(xp.abs(samples - med) <= 3 * iqr, axis=1)
    clean = samples[keep]
    counts, edges = xp.histogram(clean[:, 0], bins=10)
    labels = xp.digitize(clean[:, 1], xp.linspace(-2.0, 2.0, 5))
    per_label = xp.bincount(labels, minlength=6)
    values, inverse = xp.unique(labels, return_inverse=True)
    return med, iqr, counts, edges, per_label, values, inverse, xp.median(clean, axis=0)


def test_robust_statistics_match_numpy():
    samples = np.random.default_rng(4).standard_normal((500, 3))
    samples[::50] *= 40  # outliers
    expected = robust_summary(np, samples)
    with flops.BudgetContext(10**8) as budget:
        got = robust_summary(fnp, fnp.asarray(samples))
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(np.asarray(g), e)
    names = set(budget.summary_dict()["operations"])
    assert {"percentile", "histogram", "digitize", "bincount", "unique", "median"} <= names


def principal_direction(xp, data, iterations: int = 50):
    """PCA's first component by power iteration on the covariance matrix."""
    c = xp.cov(data, rowvar=False)
    v = xp.ones(c.shape[0]) / np.sqrt(c.shape[0])
    for _ in range(iterations):
        w = c @ v
        v = w / xp.sqrt(xp.sum(w * w))
    explained = v @ c @ v / xp.trace(c)
    return v, explained


def test_pca_by_power_iteration_matches_numpy(unit_weights):
    rng = np.random.default_rng(5)
    data = rng.standard_normal((400, 6)) @ np.diag([5.0, 2.0, 1.0, 0.5, 0.2, 0.1])
    expected_v, expected_ratio = principal_direction(np, data)
    with flops.BudgetContext(10**8) as budget:
        v, ratio = principal_direction(fnp, fnp.asarray(data))
    np.testing.assert_allclose(v, expected_v, rtol=1e-12)
    assert abs(ratio - expected_ratio) < 1e-12
    ops = budget.summary_dict()["operations"]
    p, n = 6, 400
    assert ops["cov"]["flop_cost"] == p * n + p * p * n + p * p  # centre, product, scale
    assert ops["matmul"]["calls"] == 50 + 2


def smooth_and_detrend(xp, signal, width: int):
    kernel = xp.hanning(width)
    kernel = kernel / xp.sum(kernel)
    smooth = xp.convolve(signal, kernel, mode="same")
    t = xp.arange(len(signal), dtype=float)
    trend = xp.polyval(xp.polyfit(t, smooth, 2), t)
    return smooth - trend, xp.diff(smooth, n=2), xp.gradient(smooth)


def test_smoothing_and_detrending_match_numpy():
    t = np.linspace(0, 10, 300)
    signal = 0.05 * t**2 + np.sin(3 * t) + np.random.default_rng(6).normal(0, 0.1, 300)
    expected = smooth_and_detrend(np, signal, 15)
    with flops.BudgetContext(10**8) as budget:
        got = smooth_and_detrend(fnp, fnp.asarray(signal), 15)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(np.asarray(g), e, rtol=1e-9, atol=1e-12)
    ops = budget.summary_dict()["operations"]
    # 'same' mode: N*n - T((n-1)//2) - T(n//2) multiply-adds, T(k) = k(k+1)/2
    multiply_adds = 300 * 15 - 28 - 28
    assert ops["convolve"]["flop_cost"] == round(multiply_adds * flops.get_weight("convolve"))
    assert {"hanning", "polyfit", "polyval", "diff", "gradient"} <= set(ops)


# ---------------------------------------------------------------------- contractions
def attention(xp, x, wq, wk, wv):
    """One head of scaled dot-product attention over a batch, written with einsum."""
    q = xp.einsum("btd,de->bte", x, wq)
    k = xp.einsum("btd,de->bte", x, wk)
    v = xp.einsum("btd,de->bte", x, wv)
    scores = xp.einsum("bqe,bke->bqk", q, k) / np.sqrt(q.shape[-1])
    scores = scores - xp.max(scores, axis=-1, keepdims=True)
    weights = xp.exp(scores)
    weights = weights / xp.sum(weights, axis=-1, keepdims=True)
    return xp.einsum("bqk,bke->bqe", weights, v)


def test_attention_with_einsum_matches_numpy_and_charges_its_contractions(unit_weights):
    rng = np.random.default_rng(7)
    b, t, d, e = 4, 32, 64, 16
    x = rng.standard_normal((b, t, d))
    wq, wk, wv = (rng.standard_normal((d, e)) / 8 for _ in range(3))
    expected = attention(np, x, wq, wk, wv)
    with flops.BudgetContext(10**9) as budget:
        got = attention(fnp, fnp.asarray(x), fnp.asarray(wq), fnp.asarray(wk), fnp.asarray(wv))
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-10, atol=1e-12)
    einsum = budget.summary_dict()["operations"]["einsum"]
    projections = 3 * b * t * d * e
    assert einsum["calls"] == 5
    assert einsum["flop_cost"] == projections + 2 * b * t * t * e


def mps_norm(xp, sites):
    """<psi|psi> of an open matrix-product state, as one einsum over both copies."""
    bonds, legs, conj = "abcdefg", "PQRSTUV", "hijklmn"
    n = len(sites)
    terms, operands = [], []
    for i, site in enumerate(sites):
        left = "" if i == 0 else bonds[i - 1]
        right = "" if i == n - 1 else bonds[i]
        terms.append(left + legs[i] + right)
        c_left = "" if i == 0 else conj[i - 1]
        c_right = "" if i == n - 1 else conj[i]
        terms.append(c_left + legs[i] + c_right)
        operands += [site, site]
    return xp.einsum(",".join(terms) + "->", *operands)


def test_an_mps_norm_of_ten_tensors_is_planned_and_matches_numpy(unit_weights):
    rng = np.random.default_rng(8)
    chi, phys, n = 8, 2, 5
    shapes = [(phys, chi)] + [(chi, phys, chi)] * (n - 2) + [(chi, phys)]
    sites = [rng.standard_normal(s) for s in shapes]
    expected = np.einsum(*_mps_args(sites), optimize="greedy")
    with flops.BudgetContext(10**9) as budget:
        got = mps_norm(fnp, [fnp.asarray(s) for s in sites])
    np.testing.assert_allclose(float(got), expected, rtol=1e-10)
    spec = _mps_args(sites)[0]
    operand_shapes = [s.shape for s in sites for _ in range(2)]
    charged = budget.flops_used
    # each site is passed twice (one object), so symmetric steps may be cheaper still;
    # never more than the same contraction of distinct arrays, and far below the naive loop
    distinct = flops.einsum_cost(spec, shapes=operand_shapes)
    assert charged <= distinct < flops.einsum_cost(spec, shapes=operand_shapes, optimize=False)
    _, info = fnp.einsum_path(*_mps_args(sites))
    assert info.strategy in ("greedy", "dynamic-programming") and len(info.steps) == 2 * n - 1


def _mps_args(sites):
    class Spy:
        def einsum(self, spec, *ops, **kwargs):
            return (spec, *ops)

    return mps_norm(Spy(), sites)


def kernel_ridge(xp, x, y, lam: float, iterations: int):
    """Kernel ridge regression with a linear kernel, solved by gradient descent."""
    gram = xp.einsum("ij,kj->ik", x, x)  # one array twice: a symmetric Gram matrix
    alpha = xp.zeros(len(y))
    step = 1.0 / (xp.linalg.multi_dot([xp.ones(len(y)), gram, xp.ones(len(y))]) / len(y) + lam)
    for _ in range(iterations):
        alpha = alpha - step * (gram @ alpha + lam * alpha - y)
    return alpha, gram


def test_kernel_ridge_charges_half_the_gram_matrix(unit_weights):
    rng = np.random.default_rng(9)
    n, d = 60, 5
    x = rng.standard_normal((n, d))
    y = x @ rng.standard_normal(d) + 0.1 * rng.standard_normal(n)
    expected_alpha, expected_gram = kernel_ridge(np, x, y, 1.0, 30)
    fx = fnp.asarray(x)
    with flops.BudgetContext(10**9) as budget:
        alpha, gram = kernel_ridge(fnp, fx, fnp.asarray(y), 1.0, 30)
    np.testing.assert_allclose(np.asarray(gram), expected_gram, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(alpha), expected_alpha, rtol=1e-9)
    ops = budget.summary_dict()["operations"]
    assert ops["einsum"]["flop_cost"] == (n * (n + 1) // 2) * d  # distinct entries only
    assert ops["linalg.multi_dot"]["flop_cost"] == n * n + n  # (1 x n)(n x n), then (1 x n)(n x 1)
