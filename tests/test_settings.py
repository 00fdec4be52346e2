"""``flops.configure``: every setting, its validation, and ``check_nan_inf``."""

from __future__ import annotations

import importlib.metadata
import threading
import warnings

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._records import INSTRUMENTED

SETTINGS = {"fma_cost", "check_nan_inf", "symmetry_warnings"}


@pytest.fixture
def restore_settings():
    before = flops.configure()
    try:
        yield
    finally:
        flops.configure(**before)


def test_configure_without_arguments_returns_every_setting():
    assert set(flops.configure()) == SETTINGS
    assert flops.configure()["check_nan_inf"] is False


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("fma_cost", 2, 2),
        ("check_nan_inf", True, "raise"),
        ("check_nan_inf", "raise", "raise"),
        ("check_nan_inf", "warn", "warn"),
        ("check_nan_inf", False, False),
        ("symmetry_warnings", False, False),
    ],
)
def test_every_documented_setting_is_accepted_and_stored(name, value, stored, restore_settings):
    assert flops.configure(**{name: value})[name] == stored
    assert flops.configure()[name] == stored


@pytest.mark.parametrize("name", ["fma", "check_nan", "nan_check", "weights"])
def test_unknown_setting_raises_type_error_naming_it_and_the_valid_ones(name):
    with pytest.raises(TypeError, match=name) as info:
        flops.configure(**{name: 1})
    assert "fma_cost" in str(info.value) and "check_nan_inf" in str(info.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("fma_cost", 3),
        ("fma_cost", 1.0),
        ("check_nan_inf", "yes"),
        ("check_nan_inf", 1),
        ("check_nan_inf", None),
        ("symmetry_warnings", "on"),
        ("symmetry_warnings", 0),
    ],
)
def test_bad_value_raises_value_error_naming_the_setting(name, value):
    before = flops.configure()
    with pytest.raises(ValueError, match=name):
        flops.configure(**{name: value})
    assert flops.configure() == before


def test_a_bad_value_changes_no_setting_at_all():
    before = flops.configure()
    with pytest.raises(ValueError):
        flops.configure(fma_cost=2, check_nan_inf="sometimes")
    assert flops.configure() == before


def test_version_matches_the_distribution_metadata():
    assert flops.__version__ == importlib.metadata.version("flopscope")


# ---------------------------------------------------------------- check_nan_inf
ZERO_ONE = np.array([0.0, 1.0])

NON_FINITE_CALLS = {
    "unary fast body": ("log", lambda x: fnp.log(x)),
    "binary fast body": ("divide", lambda x: fnp.divide(1.0, x)),
    "operator": ("divide", lambda x: 1.0 / x),
    "general ufunc body": ("log", lambda x: fnp.log(x, dtype=np.float64)),
    "ufunc method": ("divide.reduce", lambda x: fnp.divide.reduce(x[::-1])),
    "generic body": ("sum", lambda x: fnp.sum(fnp.asarray([np.inf, 1.0]))),
    "counted scalar": ("divide", lambda x: 1.0 / fnp.sum(x[:1])),
    "in place": ("divide", lambda x: x.__itruediv__(0.0)),
    "out=": ("log", lambda x: fnp.log(x, out=fnp.zeros(2))),
    "numpy ufunc on counted": ("log", lambda x: np.log(x)),
}


@pytest.mark.parametrize(("op", "call"), NON_FINITE_CALLS.values(), ids=NON_FINITE_CALLS.keys())
def test_check_nan_inf_raises_naming_the_operation_and_its_record(op, call, restore_settings):
    flops.configure(check_nan_inf=True)
    x = fnp.asarray(ZERO_ONE.copy())
    with (
        np.errstate(divide="ignore", invalid="ignore"),
        flops.BudgetContext(10**6, quiet=True) as budget,
        pytest.raises(FloatingPointError) as info,
    ):
        call(x)
    err = info.value
    assert isinstance(err, flops.NonFiniteResultError)
    assert err.op_name == op
    assert op in str(err) and f"op_log[{err.record_index}]" in str(err)
    # the operation ran and was charged: its record is the one named
    log = budget.op_log
    assert err.record_index == len(log) - 1
    assert log[err.record_index].op_name == op
    assert budget.flops_used == sum(r.flop_cost for r in log)


def test_check_nan_inf_warn_mode_points_at_the_callers_line(restore_settings):
    flops.configure(check_nan_inf="warn")
    x = fnp.asarray(ZERO_ONE.copy())
    with (
        np.errstate(divide="ignore"),
        flops.BudgetContext(100) as budget,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        y = fnp.log(x)
    ours = [w for w in caught if "NaN or Inf" in str(w.message)]
    assert len(ours) == 1
    assert ours[0].category is RuntimeWarning
    assert ours[0].filename == __file__
    assert np.isneginf(y[0]) and budget.flops_used == round(2 * flops.get_weight("log"))


def test_finite_and_integer_results_pass_the_check(restore_settings):
    flops.configure(check_nan_inf=True)
    with flops.BudgetContext(10**6) as budget:
        a = fnp.arange(5)
        b = a * 2 + 1
        c = fnp.exp(fnp.ones(3))
        d = fnp.sum(c)
        e = fnp.divmod(b, 3)
        f = b > 2
    assert len(budget.op_log) == 6
    assert d > 0 and e[0].dtype == b.dtype and f.dtype == bool


def test_check_off_lets_nan_through_on_the_fast_path(restore_settings):
    flops.configure(check_nan_inf=False)
    with np.errstate(divide="ignore"), flops.BudgetContext(100) as budget:
        y = fnp.log(fnp.asarray(ZERO_ONE))
        assert budget._records.owner == threading.get_ident()
    assert np.isneginf(y[0])


def test_turning_the_check_on_reroutes_open_budgets_and_off_restores_them(restore_settings):
    with flops.BudgetContext(100) as budget:
        records = budget._records
        assert records.owner == records.thread
        flops.configure(check_nan_inf=True)
        assert records.owner == INSTRUMENTED
        with pytest.raises(FloatingPointError), np.errstate(divide="ignore"):
            fnp.log(fnp.zeros(1))
        flops.configure(check_nan_inf=False)
        assert records.owner == records.thread
        fnp.log(fnp.ones(1))
    assert len(budget.op_log) == 2


def test_checked_records_keep_every_view_consistent(restore_settings):
    flops.configure(check_nan_inf=True)
    with flops.BudgetContext(10**6, keep_log=False) as budget:
        x = fnp.ones(4)
        for _ in range(100):
            x = x * 1.0 + 0.0
        fnp.sum(x)
    data = budget.summary_dict()
    assert data["operations"]["multiply"]["calls"] == 100
    # 100 multiplies and 100 adds of 4 elements, one sum of 4, each at its weight
    each = {name: round(4 * flops.get_weight(name)) for name in ("multiply", "add", "sum")}
    expected = 100 * each["multiply"] + 100 * each["add"] + each["sum"]
    assert data["flops_used"] == budget.flops_used == expected
    assert data["operations"]["sum"]["flop_cost"] == each["sum"]
    assert data["wall_time_s"] == (
        data["flopscope_backend_time_s"]
        + data["flopscope_overhead_time_s"]
        + data["residual_wall_time_s"]
    )


def test_check_applies_to_threads_charging_the_budget(restore_settings):
    flops.configure(check_nan_inf=True)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with np.errstate(divide="ignore"):  # NumPy's error state is per thread
                fnp.log(fnp.zeros(1))
        except FloatingPointError as err:
            errors.append(err)

    with flops.BudgetContext(100) as budget:
        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
    assert len(errors) == 1 and len(budget.op_log) == 1
