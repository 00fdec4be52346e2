"""flops.explain, flops.rebill and a budget's exports (JSON, CSV, DataFrame, HTML)."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
import tempfile
import types
from collections.abc import Callable
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._budget import scaled_cost
from flopscope._registry import REGISTRY
from flopscope._weights import weights_source
from samples import unit_weights

RECORD_FIELDS = [f.name for f in dataclasses.fields(flops.OpRecord)]


def last_integer(text: str) -> int:
    """The integer a text ends in."""
    return int(text.rsplit(" ", 1)[-1])


@contextmanager
def weights_file(table: dict[str, float]):
    """``table`` loaded from a weights file; the packaged table comes back after."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "weights.json"
        path.write_text(json.dumps({"weights": table}))
        flops.load_weights(path)
        try:
            yield path
        finally:
            flops.load_weights()


# ---------------------------------------------------------------- programs
def pointwise() -> None:
    fnp.exp(fnp.ones((4, 5)))


def reduction() -> None:
    fnp.sum(fnp.ones((4, 5)), axis=0)


def matmul() -> None:
    fnp.ones((4, 5)) @ fnp.ones((5, 3))


def einsum() -> None:
    fnp.einsum("ij,jk->ik", fnp.ones((4, 5)), fnp.ones((5, 3)))


def linalg() -> None:
    m = fnp.eye(6) * 3.0
    fnp.linalg.solve(m, fnp.ones(6))
    fnp.linalg.inv(m)


def weighted() -> None:
    fnp.sin(fnp.ones((3, 7)))


def symmetric_exp() -> None:
    s = flops.symmetrize(fnp.ones((5, 5)), (0, 1))
    fnp.exp(s)


def gram() -> None:
    x = fnp.ones((7, 4))
    x.T @ x


def mixed() -> None:
    """A small program touching each kind of record (every rule here shape-determined
    or priced by a symmetry that rebilling recovers)."""
    a = fnp.ones((6, 4))
    b = a @ fnp.ones((4, 6))
    c = fnp.exp(b) + fnp.sin(b)
    fnp.einsum("ij,jk->ik", c, b)
    fnp.sum(c, axis=1)
    fnp.linalg.solve(b + fnp.eye(6) * 10.0, fnp.ones(6))
    fnp.exp(flops.symmetrize(c, (0, 1)))
    a.T @ a


def run(program: Callable[[], None], multiplier: float = 1.0) -> flops.BudgetContext:
    with flops.BudgetContext(flop_budget=10**12, flop_multiplier=multiplier) as budget:
        program()
    return budget


PROGRAMS = {
    "pointwise": pointwise,
    "reduction": reduction,
    "matmul": matmul,
    "einsum": einsum,
    "linalg": linalg,
    "weighted": weighted,
    "symmetric": symmetric_exp,
    "gram": gram,
    "mixed": mixed,
}


def check_ends_in_charge(budget: flops.BudgetContext) -> list[flops.Explanation]:
    """Every record's explanation ends in its cost, and its factors give that cost."""
    found = []
    for record in budget.op_log:
        e = flops.explain(record, budget=budget)
        assert last_integer(str(e)) == record.flop_cost == e.charged == int(e)
        if e.analytical is not None:
            assert (
                scaled_cost(e.analytical * e.fma_factor, e.weight * e.flop_multiplier)
                == record.flop_cost
            )
        assert e.as_dict()["charged"] == record.flop_cost
        found.append(e)
    return found


# ---------------------------------------------------------------- explain
@pytest.mark.parametrize("name", list(PROGRAMS))
@pytest.mark.parametrize("multiplier", [1.0, 2.5, 0.3])
def test_explanation_ends_in_the_charge(name, multiplier):
    check_ends_in_charge(run(PROGRAMS[name], multiplier))


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_explanation_ends_in_the_charge_at_fma_cost_two(name, fma_two):
    explanations = check_ends_in_charge(run(PROGRAMS[name]))
    assert all(e.fma_cost == 2 for e in explanations)


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_explanation_ends_in_the_charge_under_unit_weights(name, unit_weights):
    for e in check_ends_in_charge(run(PROGRAMS[name])):
        assert e.weight == 1.0
        assert "unit weights (reset_weights)" in e.weight_source


def test_shape_determined_work_is_recomputed_from_the_rule(fma_two):
    budget = run(matmul, multiplier=1.5)
    e = budget.explain("matmul")
    assert e.analytical_source == "recomputed"
    assert e.analytical == e.shape_only_work == 4 * 5 * 3
    assert e.fma_priced and e.fma_factor == 2
    assert e.formula == REGISTRY["matmul"].formula
    assert e.charged == 4 * 5 * 3 * 2 * 1.5
    text = str(e)
    assert "recomputed" in text and "fma_cost = 2" in text and "1.5 (multiplier)" in text


def test_a_packaged_weight_is_named_with_its_source():
    e = run(weighted).explain("sin")
    assert e.weight == flops.get_weight("sin") > 1
    assert e.weight_source.startswith("the packaged table")
    assert e.charged == round(21 * e.weight)  # analytical * weight, to the nearest FLOP
    assert f"x {e.weight!r} (weight)" in str(e)
    assert not e.fma_priced and "not FMA-priced" in str(e)


def test_a_loaded_weights_file_is_named():
    with weights_file({"exp": 3.0}) as path:
        e = run(pointwise).explain("exp")
        assert e.weight == 3.0 and str(path) in e.weight_source
        assert e.charged == 20 * 3
        other = run(reduction).explain("sum")
        assert other.weight == 1.0 and "no entry for 'sum'" in other.weight_source


def test_a_non_integral_factor_shows_its_rounding():
    with weights_file({"exp": 1.1}):
        e = run(pointwise, multiplier=0.3).explain("exp")
    assert e.charged == round(20 * 1.1 * 0.3)
    assert "rounded to 7" in str(e)


def test_a_symmetric_operand_shows_its_saving():
    e = run(symmetric_exp).explain("exp")
    assert e.analytical_source == "derived"
    assert e.shape_only_work == 25 and e.analytical == 15 and e.symmetry_saving == 10
    assert "derived from the charge" in str(e) and "10 fewer" in str(e)


def test_one_buffer_transposed_shows_its_saving():
    e = run(gram).explain("matmul")
    assert e.shape_only_work == 4 * 7 * 4
    assert e.analytical == 4 * 5 // 2 * 7
    assert e.symmetry_saving == e.shape_only_work - e.analytical


def ufunc_methods() -> None:
    x = fnp.ones((3, 4))
    fnp.add.reduce(x)
    fnp.multiply.accumulate(x, axis=1)
    fnp.logaddexp.outer(x[0], x[1])


def test_ufunc_methods_are_weighted_as_their_ufunc():
    with weights_file({"add": 3.0, "logaddexp": 5.0}):
        budget = run(ufunc_methods, multiplier=2.0)
        explanations = check_ends_in_charge(budget)
        text = budget.to_json()  # weights and fma_cost are exported as in force now
    assert [e.analytical_source for e in explanations] == ["recomputed"] * 3
    assert [e.weight for e in explanations] == [3.0, 1.0, 5.0]
    assert explanations[2].op_name == "logaddexp.outer" and explanations[2].analytical == 16
    assert "outer" in (explanations[2].formula or "")
    with weights_file({"logaddexp": 0.5}):
        rerun = run(ufunc_methods)
    result = flops.rebill(text, weights={"logaddexp": 0.5}, flop_multiplier=1.0)
    assert result.costs == tuple(r.flop_cost for r in rerun.op_log)


def test_an_operation_without_a_registry_row_is_derived():
    with flops.BudgetContext(flop_budget=10**6, flop_multiplier=2.0) as budget:
        budget.deduct("my_kernel", flop_cost=21, shapes=((3, 7),))
    e = budget.explain("my_kernel")
    assert e.formula is None and e.analytical == 21 and e.analytical_source == "derived"
    assert "no registry row" in str(e) and e.charged == 42


def test_a_zero_multiplier_charges_zero_and_says_the_charge_proves_nothing():
    e = run(symmetric_exp, multiplier=0.0).explain("exp")
    assert e.charged == 0 and last_integer(str(e)) == 0
    assert e.analytical == e.shape_only_work == 25
    assert any("does not confirm" in note for note in e.notes)
    with flops.BudgetContext(flop_budget=10, flop_multiplier=0.0) as budget:
        budget.deduct("my_kernel", flop_cost=21)
    unknown = budget.explain("my_kernel")
    assert unknown.analytical is None and unknown.analytical_source == "unknown"
    assert last_integer(str(unknown)) == 0


def test_budget_explain_takes_the_costliest_call():
    with flops.BudgetContext(flop_budget=10**6) as budget:
        fnp.exp(fnp.ones(3))
        fnp.exp(fnp.ones(30))
        fnp.exp(fnp.ones(10))
    assert budget.explain("exp").shapes == ((30,),)
    with pytest.raises(ValueError, match="no logged call of 'log'"):
        budget.explain("log")


def test_explain_takes_a_record():
    with pytest.raises(TypeError, match="OpRecord"):
        flops.explain("exp")  # type: ignore[arg-type]


def test_explain_defaults_to_the_current_budget_multiplier():
    with flops.BudgetContext(flop_budget=10**6, flop_multiplier=4.0) as budget:
        fnp.exp(fnp.ones(3))
        e = flops.explain(budget.op_log[0])
    assert e.flop_multiplier == 4.0 and e.analytical_source == "recomputed"


def test_as_dict_is_plain_data():
    data = run(einsum).explain("einsum").as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["subscripts"] == "ij,jk->ik" and data["shapes"] == [[4, 5], [5, 3]]


def test_explaining_and_exporting_inside_a_budget_charge_nothing():
    with flops.BudgetContext(flop_budget=10**9) as budget:
        mixed()
        used, logged = budget.flops_used, len(budget.op_log)
        check_ends_in_charge(budget)
        flops.rebill(budget.to_json(), weights=None)
        budget.explain("matmul")
        assert budget.flops_used == used and len(budget.op_log) == logged


# ---------------------------------------------------------------- weights' source
def test_weights_source_follows_what_was_loaded():
    assert weights_source()["kind"] == "packaged"
    with unit_weights():
        assert weights_source() == {
            "kind": "unit",
            "path": None,
            "how": "reset_weights",
            "edited": False,
        }
    with weights_file({"exp": 2.0}) as path:
        assert weights_source()["path"] == str(path) and weights_source()["kind"] == "file"
        flops._weights.WEIGHTS["exp"] = 5.0
        assert weights_source()["edited"]
    assert not weights_source()["edited"]


def test_weights_source_of_the_environment(run_python, tmp_path):
    code = "import flopscope._weights as w; print(w.weights_source())"
    unit = run_python(code, FLOPSCOPE_DISABLE_WEIGHTS="1")
    assert "'FLOPSCOPE_DISABLE_WEIGHTS'" in unit.stdout and "'unit'" in unit.stdout
    path = tmp_path / "w.json"
    path.write_text('{"weights": {"exp": 2}}')
    loaded = run_python(code, FLOPSCOPE_WEIGHTS_FILE=str(path))
    assert "'FLOPSCOPE_WEIGHTS_FILE'" in loaded.stdout and "'file'" in loaded.stdout


# ---------------------------------------------------------------- JSON and rebilling
def test_json_holds_settings_totals_operations_and_records():
    budget = run(mixed, multiplier=1.5)
    data = json.loads(budget.to_json())
    assert data["schema_version"] == 1
    settings_ = data["settings"]
    assert settings_["flop_budget"] == 10**12 and settings_["flop_multiplier"] == 1.5
    assert settings_["fma_cost"] == 1 and settings_["weights"]["kind"] == "packaged"
    assert settings_["weights"]["table"]["exp"] == flops.get_weight("exp")
    assert data["totals"]["flops_used"] == budget.flops_used == data["totals"]["logged_flops"]
    assert data["operations"] == json.loads(json.dumps(budget.summary_dict()["operations"]))
    log = budget.op_log
    assert len(data["records"]) == len(log)
    for row, record in zip(data["records"], log):
        assert list(row) == RECORD_FIELDS
        assert row["flop_cost"] == record.flop_cost and row["op_name"] == record.op_name
        assert [tuple(s) for s in row["shapes"]] == list(record.shapes)


@pytest.mark.parametrize("multiplier", [1.0, 0.3, 2.5])
def test_rebill_with_the_runs_own_settings_reproduces_it(multiplier, tmp_path):
    budget = run(mixed, multiplier)
    text = budget.to_json()
    path = tmp_path / "run.json"
    path.write_text(text)
    costs = tuple(r.flop_cost for r in budget.op_log)
    for run_data in (text, json.loads(text), path, str(path), budget):
        result = flops.rebill(run_data)
        assert result.costs == costs
        assert result.total == budget.flops_used == result.original_total
        assert result.approximate == 0


def test_rebill_at_fma_cost_two_reproduces_a_run_made_there(fma_two):
    budget = run(mixed)
    assert flops.rebill(budget.to_json()).costs == tuple(r.flop_cost for r in budget.op_log)


def test_rebill_under_unit_weights_equals_a_unit_weight_rerun():
    text = run(mixed, multiplier=1.0).to_json()
    with unit_weights():
        rerun = run(mixed)
    result = flops.rebill(text, weights=None)
    assert result.costs == tuple(r.flop_cost for r in rerun.op_log)
    assert result.total == rerun.flops_used
    assert result.by_op == {
        n: f["flop_cost"] for n, f in rerun.summary_dict()["operations"].items()
    }
    assert result.total < result.original_total


def test_rebill_at_fma_cost_two_equals_a_rerun_there(fma_two):
    flops.configure(fma_cost=1)
    text = run(mixed).to_json()
    flops.configure(fma_cost=2)
    rerun = run(mixed)
    result = flops.rebill(text, fma_cost=2)
    assert result.costs == tuple(r.flop_cost for r in rerun.op_log)
    assert "fma_cost 2" in str(result)


def test_rebill_with_a_weights_file_equals_a_run_under_it():
    text = run(mixed, multiplier=2.0).to_json()
    table = {"exp": 3.0, "matmul": 0.5, "einsum": 2.0}
    with weights_file(table) as path:
        rerun = run(mixed, multiplier=0.5)
        by_path = flops.rebill(text, weights=path, flop_multiplier=0.5)
    by_table = flops.rebill(text, weights=table, flop_multiplier=0.5)
    costs = tuple(r.flop_cost for r in rerun.op_log)
    assert by_path.costs == by_table.costs == costs


def test_rebill_refuses_what_it_cannot_read():
    text = run(pointwise).to_json()
    data = json.loads(text)
    data["schema_version"] = 99
    with pytest.raises(ValueError, match="schema_version"):
        flops.rebill(data)
    with pytest.raises(ValueError, match="fma_cost"):
        flops.rebill(text, fma_cost=3)
    with pytest.raises(TypeError, match="weights"):
        flops.rebill(text, weights=3)
    with pytest.raises(TypeError, match="OpRecord"):
        flops.rebill([1, 2])


def test_rebill_of_an_op_log_uses_the_settings_in_force():
    budget = run(mixed)
    result = flops.rebill(budget.op_log, weights=None)
    with unit_weights():
        rerun = run(mixed)
    assert result.costs == tuple(r.flop_cost for r in rerun.op_log)


def test_rebill_of_a_bounded_log_says_what_it_left_out():
    with flops.BudgetContext(flop_budget=10**9, keep_log=False) as budget:
        x = fnp.ones(3)
        for _ in range(20_000):
            fnp.exp(x)
    result = flops.rebill(budget.to_json())
    assert result.unlogged_flops == budget.flops_used - result.original_total > 0
    assert result.total == result.original_total == sum(r.flop_cost for r in budget.op_log)
    assert flops.rebill(budget).unlogged_flops == result.unlogged_flops
    assert "not logged are left out" in str(result)


@settings(max_examples=40, deadline=None)
@given(
    m=st.integers(1, 6),
    k=st.integers(1, 6),
    n=st.integers(1, 6),
    old=st.sampled_from([0.5, 1.0, 1.5, 3.0]),
    new=st.sampled_from([0.25, 1.0, 2.0, 7.5]),
    exp_weight=st.sampled_from([0.0, 0.7, 1.0, 16.0]),
)
def test_rebill_of_shape_determined_work_equals_a_rerun(m, k, n, old, new, exp_weight):
    def program() -> None:
        a = fnp.ones((m, k))
        fnp.exp(a @ fnp.ones((k, n)))
        fnp.sum(a, axis=0)

    original = run(program, old)
    check_ends_in_charge(original)
    text = original.to_json()
    table = {"exp": exp_weight, "matmul": 2.0}
    with weights_file(table):
        rerun = run(program, new)
    result = flops.rebill(text, weights=table, flop_multiplier=new)
    assert result.costs == tuple(r.flop_cost for r in rerun.op_log)
    assert flops.rebill(text).costs == tuple(r.flop_cost for r in original.op_log)


# ---------------------------------------------------------------- CSV and DataFrame
def test_csv_has_one_row_per_record(tmp_path):
    budget = run(mixed)
    path = tmp_path / "log.csv"
    budget.to_csv(path)
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == RECORD_FIELDS
        rows = list(reader)
    log = budget.op_log
    assert len(rows) == len(log)
    for row, record in zip(rows, log):
        assert int(row["flop_cost"]) == record.flop_cost
        assert int(row["cumulative"]) == record.cumulative
        assert row["op_name"] == record.op_name
        assert [tuple(s) for s in json.loads(row["shapes"])] == list(record.shapes)
        assert row["namespace"] == (record.namespace or "")


def test_to_dataframe_without_pandas_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pandas"):
        run(pointwise).to_dataframe()


def test_to_dataframe_builds_one_row_per_record(monkeypatch):
    fake = types.ModuleType("pandas")

    class DataFrame:
        def __init__(self, rows, columns):
            self.rows, self.columns = rows, columns

    fake.DataFrame = DataFrame  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pandas", fake)
    budget = run(mixed)
    frame = budget.to_dataframe()
    assert frame.columns == RECORD_FIELDS
    assert [row[RECORD_FIELDS.index("flop_cost")] for row in frame.rows] == [
        r.flop_cost for r in budget.op_log
    ]


# ---------------------------------------------------------------- HTML
class TableReader(HTMLParser):
    """The text of each table cell, and the tags still open (a balanced document: none)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.cells: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        if tag == "td":
            self.cells.append("")

    def handle_endtag(self, tag):
        assert self.open.pop() == tag

    def handle_data(self, data):
        if self.open and self.open[-1] == "td":
            self.cells[-1] += data


def test_html_summary_lists_each_operation_escaped():
    with flops.BudgetContext(flop_budget=10**6) as budget:
        mixed()
        budget.deduct("kernel<b>&co", flop_cost=12345)
    page = budget._repr_html_()
    assert "<b>&co" not in page
    reader = TableReader()
    reader.feed(page)
    reader.close()
    assert reader.open == []
    for name, figures in budget.summary_dict()["operations"].items():
        index = reader.cells.index(name)
        assert reader.cells[index + 1] == f"{figures['flop_cost']:,}"
    assert "kernel<b>&co" in reader.cells and "12,345" in reader.cells
