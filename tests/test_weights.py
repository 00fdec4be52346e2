"""Per-operation weights: the packaged table, loading, resetting, validation, env vars."""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._registry import REGISTRY
from flopscope._weights import get_weight, load_weights, packaged_weights, reset_weights

#: the reviewed full calibration run the packaged table derives from
CALIBRATION_RUN = Path(__file__).resolve().parents[1] / "docs" / "calibration" / "weights.json"


@pytest.fixture(autouse=True)
def restore_packaged_weights():
    """Every test here may change the active table; the packaged one comes back after."""
    try:
        yield
    finally:
        load_weights()


def _write(tmp_path: Path, content: str, name: str = "weights.json") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


_PROBE = """
    import json
    import flopscope as flops
    import flopscope.numpy as fnp
    names = ["exp", "add", "log", "random.randn", "reshape", "no.such.op"]
    with flops.BudgetContext(10**9) as b:
        fnp.exp(fnp.ones(10))
        fnp.add(fnp.ones(10), 1)
    print(json.dumps({"weights": [flops.get_weight(n) for n in names], "used": b.flops_used}))
"""


# ---------------------------------------------------------------- the packaged table
@pytest.mark.parametrize(
    ("name", "weight"),
    [
        ("random.randn", 16.0),
        ("random.standard_normal", 16.0),
        ("add", 1.0),
        ("multiply", 1.0),
        ("maximum", 1.0),
        ("sqrt", 1.0),
        ("einsum", 1.0),
        ("matmul", 1.0),
        ("reshape", 0.0),
        ("zeros", 0.0),
        ("definitely_not_an_op", 1.0),
        ("linalg.no_such_thing", 1.0),
    ],
)
def test_packaged_default_weights(name, weight):
    """The weights the SPEC pins (the rest are measured): randn and standard_normal 16, the
    basic arithmetic and the contractions 1, free rows 0, names the table lacks 1."""
    assert flops.get_weight(name) == weight
    assert get_weight(name) == weight
    assert isinstance(flops.get_weight(name), float)


@pytest.mark.parametrize("name", ["exp", "log", "sin", "cos", "tanh"])
def test_transcendentals_weigh_what_the_calibration_measured(name):
    """A transcendental weighs its measured cost relative to add, and costs more than add."""
    measured = json.loads(CALIBRATION_RUN.read_text(encoding="utf-8"))["weights"][name]
    assert flops.get_weight(name) == measured
    assert measured > 1.0


def test_public_and_private_names_are_the_same_functions():
    assert flops.get_weight is get_weight
    assert flops.load_weights is load_weights
    assert flops.reset_weights is reset_weights


def test_load_weights_without_path_returns_the_packaged_table():
    table = load_weights()
    assert isinstance(table, dict)
    assert table == packaged_weights()
    assert table["exp"] > 1.0 and table["add"] == 1.0 and table["reshape"] == 0.0
    exp_weight = table["exp"]
    table["exp"] = 99.0  # a copy: changing it changes nothing
    assert get_weight("exp") == exp_weight


# ---------------------------------------------------------------- what a budget charges
@pytest.mark.parametrize(
    ("call", "analytical", "name"),
    [
        (lambda: fnp.exp(fnp.ones(100)), 100, "exp"),
        (lambda: fnp.log(fnp.ones(100)), 100, "log"),
        (lambda: fnp.tanh(fnp.ones((4, 25))), 100, "tanh"),
        (lambda: fnp.random.randn(10, 10), 100, "random.randn"),
        (lambda: fnp.add(fnp.ones(100), 1), 100, "add"),
        (lambda: fnp.sqrt(fnp.ones(100)), 100, "sqrt"),
        (lambda: fnp.ones((10, 5)) @ fnp.ones((5, 2)), 100, "matmul"),
        (lambda: fnp.ones((10, 10)).reshape(100), 0, "reshape"),
    ],
    ids=["exp", "log", "tanh", "randn", "add", "sqrt", "matmul", "reshape"],
)
def test_budget_charges_analytical_times_weight(call, analytical, name):
    """charged = round(analytical * weight(name)), the weight read from the packaged table."""
    with flops.BudgetContext(10**6) as b:
        call()
    assert b.flops_used == round(analytical * get_weight(name))
    assert [r.flop_cost for r in b.op_log] == ([b.flops_used] if analytical else [])


def test_cost_queries_are_unweighted():
    assert get_weight("exp") != 1.0 and get_weight("sum") != 1.0  # weights are loaded
    assert flops.pointwise_cost("exp", shape=(100,)) == 100
    assert flops.pointwise_cost("exp", shape=(256, 256)) == 65_536
    assert flops.reduction_cost("sum", input_shape=(256, 256)) == 65_536
    weighted = round(100 * get_weight("exp"))
    with flops.BudgetContext(10**6) as b:
        fnp.exp(fnp.ones(100))
    assert b.flops_used == weighted
    assert b.op_log[0].flop_cost == weighted
    assert b.summary_dict()["operations"]["exp"]["flop_cost"] == weighted


def test_np_ufunc_on_counted_array_is_weighted_too():
    import numpy as np

    with flops.BudgetContext(10**6) as b:
        np.exp(fnp.ones(10))
    assert b.flops_used == round(10 * get_weight("exp")) != 10


# ---------------------------------------------------------------- loading and resetting
def test_reset_weights_gives_unit_weights():
    reset_weights()
    for name in ("exp", "random.randn", "add", "anything"):
        assert get_weight(name) == 1.0
    with flops.BudgetContext(10**6) as b:
        fnp.exp(fnp.ones(100))
        fnp.random.randn(10)
    assert b.flops_used == 110


def test_load_weights_restores_the_packaged_table_after_reset():
    packaged = packaged_weights()
    reset_weights()
    assert get_weight("exp") == 1.0
    load_weights()
    assert get_weight("exp") == packaged["exp"] != 1.0
    assert get_weight("reshape") == 0.0
    assert {name: get_weight(name) for name in packaged} == packaged
    with flops.BudgetContext(10**6) as b:
        fnp.exp(fnp.ones(100))
    assert b.flops_used == round(100 * packaged["exp"])


def test_partial_file_replaces_the_table_and_unknown_ops_weigh_one(tmp_path):
    path = _write(tmp_path, json.dumps({"weights": {"add": 3, "exp": 2.5, "multiply": 0}}))
    table = load_weights(path)
    assert table == {"add": 3.0, "exp": 2.5, "multiply": 0.0}
    assert get_weight("add") == 3.0
    assert get_weight("exp") == 2.5
    assert get_weight("multiply") == 0.0
    assert get_weight("log") == 1.0  # weighs more than 1 in the packaged table
    assert get_weight("reshape") == 1.0
    with flops.BudgetContext(10**6) as b:
        fnp.add(fnp.ones(10), 1)  # 30
        fnp.exp(fnp.ones(10))  # 25
        fnp.multiply(fnp.ones(10), 2)  # 0
        fnp.log(fnp.ones(10))  # 10
    assert b.flops_used == 65
    assert [r.flop_cost for r in b.op_log] == [30, 25, 0, 10]


def test_load_weights_accepts_str_paths_and_extra_keys(tmp_path):
    path = _write(tmp_path, json.dumps({"meta": {"note": "x"}, "weights": {"sin": 4}}))
    load_weights(str(path))
    assert get_weight("sin") == 4.0
    assert get_weight("cos") == 1.0


def test_fractional_weight_and_multiplier_combine(tmp_path):
    load_weights(_write(tmp_path, json.dumps({"weights": {"add": 0.5}})))
    with flops.BudgetContext(10**6, flop_multiplier=3) as b:
        fnp.add(fnp.ones(10), 1)
    assert b.flops_used == 15
    assert type(b.flops_used) is int


def test_deduct_uses_the_active_table(tmp_path):
    load_weights(_write(tmp_path, json.dumps({"weights": {"my_kernel": 7}})))
    with flops.BudgetContext(10**6) as b:
        assert b.deduct("my_kernel", flop_cost=3) == 21
        assert b.deduct("other_kernel", flop_cost=3) == 3
    assert b.flops_used == 24


# ---------------------------------------------------------------- malformed files
_MALFORMED = {
    "not_json": ("{weights: nope", "not valid JSON"),
    "no_weights_key": (json.dumps({"wieghts": {"add": 2}}), "'weights'"),
    "top_level_list": (json.dumps([1, 2, 3]), "'weights'"),
    "weights_not_a_mapping": (json.dumps({"weights": [["add", 2]]}), "'weights'"),
    "non_numeric_value": (json.dumps({"weights": {"add": 2, "exp": "fast"}}), "'exp'"),
    "bool_value": (json.dumps({"weights": {"add": True}}), "'add'"),
    "null_value": (json.dumps({"weights": {"add": None}}), "'add'"),
    "negative_value": (json.dumps({"weights": {"add": 2, "log": -1}}), "'log'"),
    "nan_value": ('{"weights": {"exp": NaN}}', "'exp'"),
    "infinite_value": ('{"weights": {"exp": Infinity}}', "'exp'"),
}


@pytest.mark.parametrize(("content", "problem"), list(_MALFORMED.values()), ids=list(_MALFORMED))
def test_malformed_file_raises_and_leaves_the_table_unchanged(tmp_path, content, problem):
    path = _write(tmp_path, content, name="bad_weights.json")
    before = load_weights()
    with pytest.raises(ValueError) as info:
        load_weights(path)
    message = str(info.value)
    assert str(path) in message
    assert problem in message
    assert before == packaged_weights()
    assert {name: get_weight(name) for name in before} == before


def test_malformed_file_leaves_a_custom_table_unchanged(tmp_path):
    good = _write(tmp_path, json.dumps({"weights": {"add": 5}}), name="good.json")
    bad = _write(tmp_path, json.dumps({"weights": {"add": -5}}), name="bad.json")
    load_weights(good)
    with pytest.raises(ValueError, match=r"bad\.json"):
        load_weights(bad)
    assert get_weight("add") == 5.0
    assert get_weight("exp") == 1.0


def test_unit_table_survives_a_failed_load(tmp_path):
    reset_weights()
    with pytest.raises(ValueError):
        load_weights(_write(tmp_path, "[]"))
    assert get_weight("exp") == 1.0


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_unreadable_file_raises_value_error_naming_it(tmp_path, kind):
    path = tmp_path / "nowhere.json" if kind == "missing" else tmp_path
    with pytest.raises(ValueError) as info:
        load_weights(path)
    assert str(path) in str(info.value)
    assert "cannot read" in str(info.value)
    packaged = packaged_weights()
    assert {name: get_weight(name) for name in packaged} == packaged


# ---------------------------------------------------------------- environment at import
def test_weights_file_env_var_at_import(tmp_path, run_python):
    path = _write(tmp_path, json.dumps({"weights": {"exp": 2, "add": 3}}))
    proc = run_python(_PROBE, FLOPSCOPE_WEIGHTS_FILE=str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "weights": [2.0, 3.0, 1.0, 1.0, 1.0, 1.0],
        "used": 10 * 2 + 10 * 3,
    }


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_disable_weights_env_var_at_import(tmp_path, value, run_python):
    path = _write(tmp_path, json.dumps({"weights": {"exp": 2, "add": 3}}))
    # disabling wins over a weights file
    proc = run_python(_PROBE, FLOPSCOPE_DISABLE_WEIGHTS=value, FLOPSCOPE_WEIGHTS_FILE=str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"weights": [1.0] * 6, "used": 20}


@pytest.mark.parametrize(
    "env", [{}, {"FLOPSCOPE_DISABLE_WEIGHTS": "0"}, {"FLOPSCOPE_WEIGHTS_FILE": ""}]
)
def test_packaged_weights_load_at_import_by_default(env, run_python):
    proc = run_python(_PROBE, **env)
    assert proc.returncode == 0, proc.stderr
    packaged = packaged_weights()
    assert packaged["exp"] != 1.0 and packaged["log"] != 1.0
    assert json.loads(proc.stdout) == {
        "weights": [packaged["exp"], 1.0, packaged["log"], 16.0, 0.0, 1.0],
        "used": round(10 * packaged["exp"]) + 10,
    }


def test_malformed_weights_file_env_var_fails_the_import(tmp_path, run_python):
    path = _write(tmp_path, "not json at all", name="broken.json")
    proc = run_python("import flopscope", FLOPSCOPE_WEIGHTS_FILE=str(path))
    assert proc.returncode != 0
    assert "ValueError" in proc.stderr
    assert str(path) in proc.stderr


def test_packaged_table_covers_every_row_as_its_category_says():
    """Every counted row (a twin under the name it is billed as) has a positive finite
    weight, every free row weighs 0 and no blocked row is charged."""
    table = packaged_weights()
    for name, op in REGISTRY.items():
        if op.category == "blocked":
            assert table.get(name, 0.0) == 0.0, name
        elif op.category == "free":
            assert table[name] == 0.0, name
        else:
            weight = table[op.billing_name]
            assert math.isfinite(weight) and weight > 0.0, name


def test_packaged_table_is_the_reviewed_calibration_run():
    """The packaged table is the weights of the full run kept under docs/calibration,
    measured by timing in float64."""
    packaged = json.loads(
        (resources.files("flopscope") / "data" / "weights.json").read_text(encoding="utf-8")
    )
    run = json.loads(CALIBRATION_RUN.read_text(encoding="utf-8"))
    assert packaged["weights"] == run["weights"]
    assert packaged_weights() == run["weights"]
    assert packaged["meta"]["mode"] == run["meta"]["mode"] == "timing"
    assert packaged["meta"]["dtype"] == run["meta"]["dtype"] == "float64"
