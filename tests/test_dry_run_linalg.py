"""The dry run on numpy.linalg and numpy.fft where values decide something.

A singular or indefinite matrix is refused by NumPy only when it runs: a dry run refuses
it when the matrix's values are known and takes unknown ones to be accepted. ``eig`` of
real data is real or complex by its values, and ``lstsq`` of an overdetermined system has
residuals only at full rank: known values decide, unknown ones are refused. The
transforms keep NumPy's precision (float32 data gives complex64), read from NumPy.
"""

from __future__ import annotations

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import DryRunValueError, ShapeOnlyArray
from flopscope._dry_run import stand_in

pytestmark = pytest.mark.usefixtures("unit_weights")

SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])
ROTATION = np.array([[0.0, -1.0], [1.0, 0.0]])  # eigenvalues +-i
SYMMETRIC = np.array([[2.0, 1.0], [1.0, 2.0]])  # eigenvalues 1 and 3


def _charged(call):
    """What ``call`` returns in a real run and in a dry run, and what each charged."""
    with flops.BudgetContext(10**9, quiet=True) as real_budget:
        real = call()
    with flops.dry_run(quiet=True) as plan:
        dry = call()
    return real, real_budget.flops_used, dry, plan.flops_used


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("inv", (SINGULAR,)),
        ("cholesky", (-SYMMETRIC,)),
        ("solve", (SINGULAR, np.ones(2))),
        ("matrix_power", (SINGULAR, -2)),
    ],
)
def test_a_matrix_numpy_refuses_for_its_values_is_taken_to_factorise(name, args):
    """Only running finds a singular matrix: a dry run does not run, and prices the call
    as the real run would have before NumPy refused it, known values or not."""
    function = getattr(fnp.linalg, name)
    for matrix in (args[0], stand_in(args[0].shape, args[0].dtype)):
        with flops.dry_run(quiet=True) as plan:
            r = function(matrix, *args[1:])
        assert isinstance(r, ShapeOnlyArray) and r.ndim >= 1
        assert plan.flops_used > 0


def test_eig_of_known_real_data_is_real_or_complex_as_numpy_finds():
    for matrix, kind in ((ROTATION, "c"), (SYMMETRIC, "f")):
        real, cost, dry, dry_cost = _charged(lambda m=matrix: fnp.linalg.eig(m))
        assert type(dry) is type(real)
        # (NumPy 2.5 returns complex eigenvalues of real data always; earlier versions
        # only where one is not real)
        assert [x.dtype.kind for x in dry] == [x.dtype.kind for x in real]
        assert kind == "f" or [x.dtype.kind for x in real] == [kind, kind]
        assert dry_cost == cost


def test_eig_of_unknown_data_is_complex_for_complex_input_and_refused_for_real():
    with flops.dry_run(quiet=True) as plan:
        w, v = fnp.linalg.eig(stand_in((3, 3), np.complex64))
        assert (w.shape, v.shape, w.dtype, v.dtype) == ((3,), (3, 3), np.complex64, np.complex64)
        charged = plan.flops_used
        real = stand_in((3, 3), np.float64)
        if np.linalg.eigvals(np.ones((1, 1))).dtype.kind == "c":  # NumPy 2.5 on
            assert fnp.linalg.eigvals(real).dtype == np.complex128
        else:
            with pytest.raises(DryRunValueError, match="real or complex"):
                fnp.linalg.eigvals(real)
            assert plan.flops_used == charged


def test_lstsq_residuals_need_the_rank_of_an_overdetermined_system():
    b = np.ones(5)
    for a, residuals in ((np.arange(15.0).reshape(5, 3) ** 2, (1,)), (np.ones((5, 3)), (0,))):
        real, cost, dry, dry_cost = _charged(lambda a=a: fnp.linalg.lstsq(a, b))
        assert real[1].shape == dry[1].shape == residuals
        assert dry_cost == cost
    with flops.dry_run(quiet=True):
        x, residuals, rank, s = fnp.linalg.lstsq(
            stand_in((3, 5), np.float64), stand_in((3,), b.dtype)
        )
        assert (x.shape, residuals.shape, rank.shape, s.shape) == ((5,), (0,), (), (3,))
        # unknown values of an overdetermined system: taken to have full rank
        x, residuals, rank, s = fnp.linalg.lstsq(stand_in((5, 3), np.float64), b)
        assert (x.shape, residuals.shape, s.shape) == ((3,), (1,), (3,))


def test_svd_shapes_follow_its_flags_and_k():
    a = stand_in((2, 6, 4), np.float32)
    with flops.dry_run(quiet=True):
        full, thin = fnp.linalg.svd(a), fnp.linalg.svd(a, full_matrices=False)
        top = fnp.linalg.svd(a, k=2)
        values = fnp.linalg.svd(a, compute_uv=False)
    assert [x.shape for x in full] == [(2, 6, 6), (2, 4), (2, 4, 4)]
    assert [x.shape for x in thin] == [(2, 6, 4), (2, 4), (2, 4, 4)]
    assert [x.shape for x in top] == [(2, 6, 2), (2, 2), (2, 2, 4)]
    assert type(full) is type(np.linalg.svd(np.ones((1, 1))))
    assert values.shape == (2, 4)
    assert {x.dtype for x in (*full, values)} == {np.dtype(np.float32)}


@pytest.mark.parametrize(
    ("name", "dtype", "shape", "kwargs", "expected"),
    [
        ("fft", np.float32, (3, 8), {}, ((3, 8), np.complex64)),
        ("rfft", np.float32, (3, 8), {"n": 10}, ((3, 6), np.complex64)),
        ("irfft", np.complex64, (3, 5), {}, ((3, 8), np.float32)),
        ("hfft", np.complex128, (5,), {"n": 7}, ((7,), np.float64)),
        ("fftn", np.int64, (2, 3, 4), {"s": (5, 6), "axes": (2, 0)}, ((6, 3, 5), np.complex128)),
        ("irfftn", np.complex64, (4, 3), {}, ((4, 4), np.float32)),
        ("fftn", np.float32, (3, 4), {"axes": ()}, ((3, 4), np.float32)),  # nothing done
    ],
)
def test_transforms_keep_numpys_shapes_and_precision(name, dtype, shape, kwargs, expected):
    with flops.dry_run(quiet=True):
        r = getattr(fnp.fft, name)(stand_in(shape, dtype), **kwargs)
    assert (r.shape, r.dtype) == (expected[0], np.dtype(expected[1]))
    assert getattr(np.fft, name)(np.ones(shape, dtype), **kwargs).dtype == r.dtype


def test_a_real_transform_of_complex_data_is_refused_free():
    plan = flops.dry_run(quiet=True)
    with pytest.raises(TypeError), plan:
        fnp.fft.rfft(stand_in((8,), np.complex128))
    assert plan.flops_used == 0


def test_a_product_of_one_buffer_with_itself_is_answered_shape_only():
    x = stand_in((5, 3), np.float64)
    real_x = np.ones((5, 3))
    real, cost, _, _ = _charged(lambda: fnp.dot(real_x.T, real_x))
    with flops.dry_run(quiet=True) as plan:
        r = fnp.linalg.matmul(x.T, x)
    assert isinstance(r, ShapeOnlyArray) and r.shape == real.shape == (3, 3)
    assert flops.is_symmetric(r) and isinstance(real, flops.SymmetricTensor)
    assert plan.flops_used == cost
