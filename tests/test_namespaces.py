"""NumPy's namespace, exactly: identity of qualifying inputs, the submodules a program
reaches for, and errors that name functions by their real module."""

from __future__ import annotations

import numpy as np
import numpy.lib.recfunctions
import pytest

import flopscope as flops
import flopscope.numpy as fnp

IDENTITY = {
    "asarray": lambda a: fnp.asarray(a),
    "asanyarray": lambda a: fnp.asanyarray(a),
    "ascontiguousarray": lambda a: fnp.ascontiguousarray(a),
    "atleast_1d": lambda a: fnp.atleast_1d(a),
    "atleast_2d": lambda a: fnp.atleast_2d(a),
    "asarray same dtype": lambda a: fnp.asarray(a, dtype=np.float64),
}


@pytest.mark.parametrize("call", IDENTITY.values(), ids=IDENTITY.keys())
def test_a_qualifying_counted_array_is_returned_itself(call):
    a = fnp.ones((2, 3))
    assert call(a) is a


def test_conversions_that_must_copy_or_convert_do():
    a = fnp.ones((2, 3))
    assert fnp.asarray(a, dtype=np.float32) is not a
    assert fnp.asfortranarray(a) is not a  # C-ordered input: NumPy copies too
    assert fnp.atleast_3d(a) is not a
    plain = np.ones(3)
    converted = fnp.asarray(plain)
    assert type(converted) is fnp.ndarray and np.shares_memory(converted, plain)


def test_array_equal_and_equiv_answer_false_for_shapes_that_do_not_fit(unit_weights):
    a, b = fnp.ones((2, 3)), fnp.ones((3, 2))
    with flops.BudgetContext(100) as budget:
        assert fnp.array_equal(a, b) is False
        assert not fnp.array_equiv(a, b)
        assert fnp.array_equiv(a, fnp.ones(3))
    assert budget.flops_used == 6  # only the comparison that ran


def test_string_options_by_position_are_options():
    a = fnp.asarray([3.0, 1.0, 2.0])
    np.testing.assert_array_equal(fnp.pad(a, 1, "edge"), np.pad([3.0, 1.0, 2.0], 1, "edge"))
    assert fnp.searchsorted(fnp.sort(a), 2.0, "right") == 2
    np.testing.assert_array_equal(fnp.sort(a, -1, "stable"), [1.0, 2.0, 3.0])
    assert fnp.sum(a, 0, "f4").dtype == np.float32


def test_numpy_submodules_and_metadata():
    assert fnp.__version__ == np.__version__
    assert fnp.exceptions.AxisError is np.exceptions.AxisError
    assert fnp.lib.scimath is fnp.emath
    x = fnp.arange(6.0)
    with flops.BudgetContext(100) as budget:
        windows = fnp.lib.stride_tricks.sliding_window_view(x, 3)
        strided = fnp.lib.stride_tricks.as_strided(x, shape=(2, 3), strides=(24, 8))
        viewed = np.lib.stride_tricks.sliding_window_view(x, 2)
    assert all(type(v) is fnp.ndarray for v in (windows, strided, viewed))
    assert budget.flops_used == 0
    np.testing.assert_array_equal(
        windows, np.lib.stride_tricks.sliding_window_view(np.arange(6.0), 3)
    )
    with flops.BudgetContext(100, quiet=True) as budget:
        roots = fnp.emath.sqrt(fnp.asarray([-4.0, 4.0]))
    np.testing.assert_array_equal(roots, [2j, 2.0])
    assert budget.flops_used > 0
    with pytest.raises(flops.UnsupportedFunctionError, match="masked arrays"):
        fnp.ma  # noqa: B018
    with pytest.raises(flops.UnsupportedFunctionError, match=r"numpy\.lib\.npyio"):
        fnp.lib.npyio  # noqa: B018


def test_an_unsupported_function_is_named_by_its_real_module():
    x = fnp.ones((3, 3))
    with pytest.raises(flops.UnsupportedFunctionError, match=r"numpy\.char\.equal is not"):
        np.char.equal(x, x)
    with pytest.raises(flops.UnsupportedFunctionError, match=r"lib\.recfunctions\.structured"):
        np.lib.recfunctions.structured_to_unstructured(x)


def test_fnp_polynomial_offers_the_counted_polynomial_functions():
    P = fnp.polynomial
    names = {"poly", "polyadd", "polysub", "polymul", "polydiv", "polyder", "polyint"}
    names |= {"polyval", "polyfit", "roots", "poly1d"}
    assert set(P.__all__) == names
    for name in names:
        assert getattr(P, name) is getattr(fnp, name)  # one row, one callable
    x = np.linspace(0, 1, 20)
    with flops.BudgetContext(10**6) as budget:
        c = P.polyfit(x, 3 * x**2 - x, 2)
        y = P.polyval(c, x)
    np.testing.assert_allclose(y, np.polyval(np.polyfit(x, 3 * x**2 - x, 2), x))
    # Horner: degree 2, so two multiply-adds per point, times polyval's weight
    charged = round(2 * 20 * flops.get_weight("polyval"))
    assert budget.summary_dict()["operations"]["polyval"]["flop_cost"] == charged
    with pytest.raises(flops.UnsupportedFunctionError, match=r"numpy\.polynomial\.Polynomial"):
        P.Polynomial  # noqa: B018  (NumPy's class API is not counted yet)
    with pytest.raises(AttributeError):
        P.no_such_function  # noqa: B018


def test_the_import_loads_only_what_counting_a_call_needs():
    """``numpy.testing``, ``numpy.random`` and ``numpy.fft`` load on first use, as in
    NumPy, and so do the op log's record type and ``dataclasses``; a NumPy function of a
    submodule loaded later (``np.fft.fft`` on a counted array) is still counted."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "import flopscope as flops, flopscope.numpy as fnp\n"
        "late = {'numpy.testing', 'numpy.random', 'numpy.fft', 'dataclasses',"
        " 'flopscope._op_log'}\n"
        "assert not late & set(sys.modules), sorted(late & set(sys.modules))\n"
        "with flops.BudgetContext(10**6, quiet=True) as b:\n"
        "    y = np.fft.fft(fnp.ones(8))\n"
        "assert type(y) is fnp.ndarray and b.flops_used == 5 * 8 * 3, b.flops_used\n"
        "assert b.op_log[0].op_name == 'fft.fft' and type(b.op_log[0]) is flops.OpRecord\n"
        "try:\n"
        "    fnp.linalg.not_a_function\n"
        "except AttributeError:\n"
        "    pass\n"
    )
    env = {**os.environ, "FLOPSCOPE_DISABLE_WEIGHTS": "1"}  # unit weights: FLOPs as counted
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
