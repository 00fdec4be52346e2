"""Property tests of numpy.linalg's decompositions, solvers and norms: every cost query
equals what the call it describes charges (unit weights, both FMA conventions), the
truncated SVD, refusals that charge nothing (a singular matrix refunded), and short
programs (PCA, a least-squares fit) against NumPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._registry import REGISTRY

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
RNG = np.random.default_rng(20)


def _charged(fn, *args, **kwargs) -> tuple[object, int]:
    with flops.BudgetContext(10**15, quiet=True) as budget:
        result = fn(*args, **kwargs)
    return result, budget.flops_used


def _general(shape) -> np.ndarray:
    """Well conditioned: uniform values plus ``n`` on the diagonal of square matrices."""
    a = RNG.random(shape)
    if len(shape) >= 2 and shape[-1] == shape[-2]:
        a = a + shape[-1] * np.eye(shape[-1])
    return a


def _spd(shape) -> np.ndarray:
    x = RNG.random(shape)
    return x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])


batches = st.lists(st.integers(0, 3), max_size=2).map(tuple)
sizes = st.integers(0, 6)
positive = st.integers(1, 6)


# ---------------------------------------------------------------- query == charge
SQUARE_QUERIES = {
    "cholesky": (fnp.linalg.cholesky, flops.cholesky_cost, _spd),
    "inv": (fnp.linalg.inv, flops.inv_cost, _general),
    "det": (fnp.linalg.det, flops.det_cost, _general),
    "slogdet": (fnp.linalg.slogdet, flops.slogdet_cost, _general),
    "eig": (fnp.linalg.eig, flops.eig_cost, _general),
    "eigvals": (fnp.linalg.eigvals, flops.eigvals_cost, _general),
    "eigh": (fnp.linalg.eigh, flops.eigh_cost, _spd),
    "eigvalsh": (fnp.linalg.eigvalsh, flops.eigvalsh_cost, _spd),
}


@pytest.mark.parametrize("name", sorted(SQUARE_QUERIES))
@pytest.mark.parametrize("fma", [1, 2])
@SETTINGS
@given(batch=batches, n=sizes)
def test_square_queries_equal_the_charge(unit_weights, name, fma, batch, n):
    fn, query, make = SQUARE_QUERIES[name]
    a = make((*batch, n, n))
    flops.configure(fma_cost=fma)
    try:
        _, charged = _charged(fn, a)
        assert query((*batch, n, n)) == charged
        assert type(query((*batch, n, n))) is int
        flops.configure(fma_cost=1)
        # every decomposition row is FMA-priced as a whole
        assert query((*batch, n, n)) * fma == charged
    finally:
        flops.configure(fma_cost=1)


@pytest.mark.parametrize("fma", [1, 2])
@SETTINGS
@given(batch=batches, m=sizes, n=sizes, data=st.data())
def test_rectangular_queries_equal_the_charge(unit_weights, fma, batch, m, n, data):
    a = _general((*batch, m, n))
    mode = data.draw(st.sampled_from(["reduced", "complete", "r", "raw"]))
    flops.configure(fma_cost=fma)
    try:
        assert _charged(fnp.linalg.qr, a, mode)[1] == flops.qr_cost(a.shape, mode)
        assert _charged(fnp.linalg.pinv, a)[1] == flops.pinv_cost(a.shape)
        if m and n:  # NumPy's 2-norm of an empty matrix has no maximum to take
            assert _charged(fnp.linalg.matrix_rank, a)[1] == flops.matrix_rank_cost(a.shape)
        if not batch or math.prod(batch):
            for full in (True, False):
                for uv in (True, False):
                    charged = _charged(fnp.linalg.svd, a, full, uv)[1]
                    if not batch:
                        assert charged == flops.svd_cost(m, n, full_matrices=full, compute_uv=uv)
                    else:
                        assert charged == math.prod(batch) * flops.svd_cost(
                            m, n, full_matrices=full, compute_uv=uv
                        )
    finally:
        flops.configure(fma_cost=1)


@SETTINGS
@given(batch=batches, n=positive, nrhs=st.integers(0, 3), vector=st.booleans())
def test_solve_and_lstsq_queries_equal_the_charge(unit_weights, batch, n, nrhs, vector):
    a = _general((*batch, n, n))
    b = RNG.random((n,) if vector else (*batch, n, nrhs))
    assert _charged(fnp.linalg.solve, a, b)[1] == flops.solve_cost(a.shape, b.shape)
    m = n + nrhs
    a2, b2 = RNG.random((m, n)), RNG.random((m,) if vector else (m, nrhs))
    assert _charged(fnp.linalg.lstsq, a2, b2)[1] == flops.lstsq_cost(a2.shape, b2.shape)
    assert _charged(fnp.linalg.lstsq, a2.T, b2[:n])[1] == flops.lstsq_cost((n, m), b2[:n].shape)


@SETTINGS
@given(batch=batches, n=positive, power=st.integers(-9, 40))
def test_matrix_power_query_counts_numpys_squarings_and_products(unit_weights, batch, n, power):
    a = _general((*batch, n, n))
    _, charged = _charged(fnp.linalg.matrix_power, a, power)
    assert charged == flops.matrix_power_cost(a.shape, power)
    # the same products, done by hand the way NumPy does them, charge as much
    with flops.BudgetContext(10**15, quiet=True) as budget:
        base = fnp.linalg.inv(a) if power < 0 else fnp.asarray(a)
        e, z, result = abs(power), None, None
        while e > 0:
            z = base if z is None else z @ z
            e, bit = divmod(e, 2)
            if bit:
                result = z if result is None else result @ z
    assert budget.flops_used == charged
    if result is not None:
        np.testing.assert_allclose(fnp.linalg.matrix_power(a, power), result, rtol=1e-9)


VECTOR_ORDS = [None, 1, 2, 3, 0.5, 0, np.inf, -np.inf]
MATRIX_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("fma", [1, 2])
@SETTINGS
@given(shape=st.lists(positive, min_size=1, max_size=4).map(tuple), data=st.data())
def test_norm_queries_equal_the_charge(unit_weights, fma, shape, data):
    x = RNG.random(shape) - 0.5
    flops.configure(fma_cost=fma)
    try:
        ax = data.draw(st.integers(-len(shape), len(shape) - 1))
        vord = data.draw(st.sampled_from(VECTOR_ORDS))
        charged = _charged(fnp.linalg.norm, x, vord, ax)[1]
        assert charged == flops.norm_cost(shape, vord, ax)
        assert (
            charged
            == _charged(fnp.linalg.vector_norm, x, axis=ax, ord=2 if vord is None else vord)[1]
        )
        assert _charged(fnp.linalg.norm, x)[1] == flops.norm_cost(shape) == 2 * x.size + 1
        if len(shape) >= 2:
            mord = data.draw(st.sampled_from(MATRIX_ORDS))
            axes = tuple(data.draw(st.permutations(range(len(shape))))[:2])
            charged = _charged(fnp.linalg.norm, x, mord, axes)[1]
            assert charged == flops.norm_cost(shape, mord, axes)
            mord = "fro" if mord is None else mord
            last = _charged(fnp.linalg.matrix_norm, x, ord=mord)[1]
            assert last == flops.norm_cost(shape, mord, (-2, -1))
            if shape[-1] == shape[-2]:
                p = data.draw(st.sampled_from(MATRIX_ORDS))
                a = _general(shape)
                assert _charged(fnp.linalg.cond, a, p)[1] == flops.cond_cost(shape, p)
    finally:
        flops.configure(fma_cost=1)


@SETTINGS
@given(dims=st.lists(positive, min_size=1, max_size=3), ind=st.integers(1, 3))
def test_tensor_queries_equal_the_charge(unit_weights, dims, ind):
    size = math.prod(dims)
    a = (RNG.random((size, size)) + size * np.eye(size)).reshape(*dims, *dims)
    assert _charged(fnp.linalg.tensorinv, a, len(dims))[1] == flops.tensorinv_cost(
        a.shape, len(dims)
    )
    b = RNG.random(tuple(dims))
    assert _charged(fnp.linalg.tensorsolve, a, b)[1] == flops.tensorsolve_cost(a.shape, b.shape)
    assert flops.tensorinv_cost(a.shape, len(dims)) == flops.inv_cost((size, size))
    assert flops.tensorsolve_cost(a.shape, b.shape) == flops.solve_cost((size, size), (size,))


def test_multi_dot_query_equals_the_charge(unit_weights):
    shapes = [(10, 30), (30, 5), (5, 60)]
    arrays = [RNG.random(s) for s in shapes]
    assert _charged(fnp.linalg.multi_dot, arrays)[1] == flops.multi_dot_cost(shapes) == 4500


def test_queries_are_in_the_public_surface():
    for name in flops.accounting.LINALG_QUERIES:
        assert getattr(flops, name) is getattr(flops.accounting, name)
        assert name in flops.__all__ and name in flops.accounting.__all__


# ---------------------------------------------------------------- truncated SVD
def test_truncated_svd_spec_number(unit_weights):
    assert flops.svd_cost(m=256, n=256, k=10) == 655_360
    a = RNG.random((256, 256))
    (u, s, vh), charged = _charged(fnp.linalg.svd, a, k=10)
    assert charged == 655_360
    nu, ns, nvh = np.linalg.svd(a)
    assert u.shape == (256, 10) and s.shape == (10,) and vh.shape == (10, 256)
    np.testing.assert_allclose(s, ns[:10])
    np.testing.assert_allclose(np.abs(u), np.abs(nu[:, :10]), atol=1e-8)
    np.testing.assert_allclose(np.abs(vh), np.abs(nvh[:10]), atol=1e-8)
    np.testing.assert_allclose((u * s) @ vh, (nu[:, :10] * ns[:10]) @ nvh[:10], atol=1e-10)


@SETTINGS
@given(batch=batches, m=positive, n=positive, data=st.data())
def test_truncated_svd_returns_the_top_k_triplets_at_m_n_k(unit_weights, batch, m, n, data):
    k = data.draw(st.integers(1, min(m, n)))
    a = RNG.random((*batch, m, n))
    (u, s, vh), charged = _charged(fnp.linalg.svd, a, k=k)
    assert charged == math.prod(batch) * m * n * k
    assert charged == math.prod(batch) * flops.svd_cost(m, n, k)
    nu, ns, nvh = np.linalg.svd(a, full_matrices=False)
    np.testing.assert_array_equal(u, nu[..., :k])
    np.testing.assert_array_equal(s, ns[..., :k])
    np.testing.assert_array_equal(vh, nvh[..., :k, :])
    values, charged = _charged(fnp.linalg.svd, a, compute_uv=False, k=k)
    np.testing.assert_array_equal(values, np.linalg.svd(a, compute_uv=False)[..., :k])
    assert charged == math.prod(batch) * m * n * k
    assert isinstance(u, fnp.ndarray)


@pytest.mark.parametrize("k", [0, -1, 4, 2.0, True])
def test_truncated_svd_refuses_a_bad_k_and_charges_nothing(k):
    with flops.BudgetContext(10**9) as budget, pytest.raises((ValueError, TypeError)):
        fnp.linalg.svd(RNG.random((3, 5)), k=k)
    assert budget.flops_used == 0 and not budget.op_log


def test_svd_without_k_is_numpys_and_costs_the_full_decomposition(unit_weights):
    a = RNG.random((7, 4))
    result, charged = _charged(fnp.linalg.svd, a)
    for got, want in zip(result, np.linalg.svd(a), strict=True):
        np.testing.assert_array_equal(got, want)
    assert charged == flops.svd_cost(7, 4) == math.ceil((4 * 49 * 4 + 8 * 7 * 16 + 9 * 64) / 2)


# ---------------------------------------------------------------- refusals
REFUSALS = [
    (fnp.linalg.inv, (RNG.random((3, 4)),), {}, np.linalg.LinAlgError),
    (fnp.linalg.det, (RNG.random(3),), {}, np.linalg.LinAlgError),
    (fnp.linalg.cholesky, (RNG.random((2, 3, 4)),), {}, np.linalg.LinAlgError),
    (fnp.linalg.eig, (RNG.random((3, 4)),), {}, np.linalg.LinAlgError),
    (fnp.linalg.eigh, (RNG.random((4,)),), {}, np.linalg.LinAlgError),
    (fnp.linalg.svd, (RNG.random(4),), {}, np.linalg.LinAlgError),
    (fnp.linalg.qr, (RNG.random((3, 3)), "x"), {}, ValueError),
    (fnp.linalg.norm, (RNG.random((3, 3)), "x"), {}, ValueError),
    (fnp.linalg.norm, (RNG.random(3), "fro", 0), {}, ValueError),
    (fnp.linalg.cond, (RNG.random((3, 3)), "x"), {}, ValueError),
    (fnp.linalg.cond, (np.zeros((0, 0)),), {}, np.linalg.LinAlgError),
    (fnp.linalg.matrix_power, (RNG.random((3, 3)), 1.5), {}, TypeError),
    (fnp.linalg.solve, (RNG.random((3, 3)), RNG.random(4)), {}, ValueError),
    (fnp.linalg.lstsq, (RNG.random((3, 2)), RNG.random(4)), {}, np.linalg.LinAlgError),
    (fnp.linalg.tensorinv, (RNG.random((2, 3, 4)),), {}, np.linalg.LinAlgError),
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "error"), REFUSALS)
def test_bad_input_raises_numpys_error_before_charging(fn, args, kwargs, error):
    rule = REGISTRY[f"linalg.{fn.__name__}"].rule
    with pytest.raises(error):  # the rule itself refuses: nothing reaches the budget
        rule(args, kwargs)
    with flops.BudgetContext(10**9) as budget, pytest.raises(error):
        fn(*args, **kwargs)
    assert budget.flops_used == 0 and not budget.op_log


SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])


@pytest.mark.parametrize(
    "call",
    [
        lambda: fnp.linalg.inv(SINGULAR),
        lambda: fnp.linalg.solve(SINGULAR, np.ones(2)),
        lambda: fnp.linalg.cholesky(-np.eye(3)),
        lambda: fnp.linalg.matrix_power(SINGULAR, -3),
        lambda: fnp.linalg.tensorsolve(SINGULAR, np.ones(2)),
        lambda: fnp.linalg.inv(np.stack([np.eye(2), SINGULAR])),
    ],
    ids=["inv", "solve", "cholesky", "matrix_power", "tensorsolve", "inv-batch"],
)
def test_a_singular_matrix_found_by_running_is_refunded(call):
    with flops.BudgetContext(10**9) as budget, pytest.raises(np.linalg.LinAlgError):
        call()
    assert budget.flops_used == 0 and not budget.op_log


def test_the_fma_flag_is_the_rows(unit_weights_fma_two):
    fma_rows = "cholesky qr svd svdvals eig eigvals eigh eigvalsh inv det slogdet solve lstsq"
    for name in (fma_rows + " pinv matrix_power tensorinv tensorsolve").split():
        assert REGISTRY[f"linalg.{name}"].fma, name
    for name in "norm vector_norm matrix_norm cond matrix_rank cross".split():
        assert not REGISTRY[f"linalg.{name}"].fma, name
    x = RNG.random((4, 4)) + 4 * np.eye(4)
    with flops.BudgetContext(10**9, quiet=True) as budget:
        fnp.linalg.inv(x)
        fnp.linalg.norm(x, 1)  # passes: not doubled
        fnp.linalg.norm(x, 2)  # the SVD doubled, the maximum not
    inv_, one, two = (r.flop_cost for r in budget.op_log)
    assert inv_ == 2 * ((64 - 4) // 3 + 64)
    assert one == 2 * 16 + 4
    assert two == 2 * math.ceil((6 * 64 - 2 * 64) / 3) + 4


# ---------------------------------------------------------------- programs
def test_pca_by_eigh_of_the_covariance_matches_numpy(unit_weights):
    """Principal components of 200 samples of 6 features: centre, covariance, eigh,
    project on the top two components."""
    data = RNG.standard_normal((200, 6)) @ RNG.random((6, 6))

    def pca(xp):
        x = xp.asarray(data)
        centred = x - x.mean(axis=0)
        cov = centred.T @ centred / (len(x) - 1)
        values, vectors = xp.linalg.eigh(cov)
        top = vectors[:, ::-1][:, :2]
        return values[::-1], centred @ top

    with flops.BudgetContext(10**9, quiet=True) as budget:
        values, projected = pca(fnp)
    want_values, want_projected = pca(np)
    np.testing.assert_array_equal(values, want_values)
    np.testing.assert_array_equal(projected, want_projected)
    ops = {r.op_name: r.flop_cost for r in budget.op_log}
    assert ops["linalg.eigh"] == flops.eigh_cost((6, 6)) == math.ceil(9 * 6**3 / 2)
    # the same components from the SVD of the centred data, top-2 truncated
    with flops.BudgetContext(10**9, quiet=True) as budget:
        centred = fnp.asarray(data) - fnp.asarray(data).mean(axis=0)
        _, s, vh = fnp.linalg.svd(centred, k=2)
    assert budget.op_log[-1].flop_cost == 200 * 6 * 2 == flops.svd_cost(200, 6, 2)
    np.testing.assert_allclose(s**2 / 199, want_values[:2], rtol=1e-10)
    np.testing.assert_allclose(np.abs(centred @ vh.T), np.abs(want_projected), rtol=1e-8)


def test_least_squares_fit_matches_numpy(unit_weights):
    """Fit y = 2 + 3 t - t^2 + noise by lstsq on a Vandermonde design; residual norm."""
    t = np.linspace(0, 1, 50)
    # its own generator: the noise (and so the fit's accuracy) does not depend on which
    # tests ran before
    y = 2 + 3 * t - t**2 + 0.01 * np.random.default_rng(346).standard_normal(50)

    def fit(xp):
        design = xp.vander(xp.asarray(t), 3, increasing=True)
        coef, residuals, rank, sv = xp.linalg.lstsq(design, xp.asarray(y), rcond=None)
        return coef, residuals, rank, sv, xp.linalg.norm(design @ coef - y)

    with flops.BudgetContext(10**9, quiet=True) as budget:
        got = fit(fnp)
    want = fit(np)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
    np.testing.assert_allclose(got[0], [2, 3, -1], atol=0.05)
    ops = {r.op_name: r.flop_cost for r in budget.op_log}
    assert ops["linalg.lstsq"] == flops.lstsq_cost((50, 3), (50,))
    assert ops["linalg.norm"] == flops.norm_cost((50,)) == 2 * 50 + 1
