"""``flopscope run script.py``: plain NumPy scripts counted from the outside, and the
by-line attribution of charges (``BudgetContext(track_lines=True)``).

The scripts under tests/scripts/ import ``numpy`` and know nothing of flopscope; the
module under tests/scripts_vendor/ stands for a third-party library. Totals are checked
against the same code run under ``flopscope.numpy`` directly.
"""

from __future__ import annotations

import builtins
import csv
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import _run
from flopscope.__main__ import main
from flopscope._lines import HeldBuffer, LineRecords
from flopscope._records import BudgetRecords, RecordBuffer

SCRIPTS = Path(__file__).resolve().parent / "scripts"
VENDOR = Path(__file__).resolve().parent / "scripts_vendor"
SRC = Path(flops.__file__).resolve().parents[1]

pytestmark = pytest.mark.usefixtures("unit_weights")


def script(name: str) -> str:
    return str(SCRIPTS / f"{name}.py")


def marked_line(name: str, marker: str) -> int:
    """The line number of the script line that carries ``# line: <marker>``."""
    lines = (SCRIPTS / f"{name}.py").read_text(encoding="utf-8").splitlines()
    (found,) = [i for i, text in enumerate(lines, 1) if text.endswith(f"# line: {marker}")]
    return found


def direct_flops(name: str, argv: list[str]) -> int:
    """FLOPs of the script's code run under ``flopscope.numpy`` directly (the imports
    rewritten), in a budget of its own."""
    source = (SCRIPTS / f"{name}.py").read_text(encoding="utf-8")
    source = source.replace("import numpy as np", "import flopscope.numpy as np")
    source = source.replace("from numpy.linalg", "from flopscope.numpy.linalg")
    saved = sys.argv
    sys.argv = [script(name), *argv]
    try:
        with flops.BudgetContext(1e15, quiet=True) as budget:
            exec(compile(source, script(name), "exec"), {"__name__": "__main__"})
    finally:
        sys.argv = saved
    return budget.flops_used


def used(summary: str) -> int:
    """The FLOPs used, as the text summary states them."""
    (line,) = [ln for ln in summary.splitlines() if ln.startswith("Used:")]
    return int(line.split()[1].replace(",", ""))


def run_cli(*words: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for name in ("FLOPSCOPE_DEFAULT_BUDGET", "FLOPSCOPE_WEIGHTS_FILE"):
        env.pop(name, None)
    env["FLOPSCOPE_DISABLE_WEIGHTS"] = "1"  # the unit weights of the in-process runs
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "flopscope", "run", *words],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


# ---------------------------------------------------------------- the command line
def test_cli_runs_a_plain_numpy_script_with_its_numpy_counted():
    done = run_cli(script("mlp_forward"), "4", "--budget", "1e9")
    assert done.returncode == 0, done.stderr
    assert "name __main__" in done.stdout
    assert "argv 4" in done.stdout
    assert "flopscope FLOP Budget Summary" in done.stderr
    assert "matmul" in done.stderr
    assert used(done.stderr) == direct_flops("mlp_forward", ["4"])


def test_cli_out_of_budget_prints_the_summary_the_message_and_the_line():
    done = run_cli(script("over_budget"), "--budget", "1e6")
    assert done.returncode == 1
    assert "never printed" not in done.stdout
    summary, _, report = done.stderr.partition("BudgetExhaustedError")
    assert used(summary) <= 1_000_000
    assert "would cost" in report
    assert f"over_budget.py:{marked_line('over_budget', 'runs out here')}" in report
    assert "a = a @ a / 100.0" in report


def test_cli_other_exceptions_show_their_traceback_after_the_summary():
    done = run_cli(script("raises"), "--budget", "1e6")
    assert done.returncode == 1
    summary, _, traceback = done.stderr.partition("Traceback (most recent call last):")
    assert used(summary) == direct_flops_until_error()
    assert f'raises.py", line {marked_line("raises", "raises")}' in traceback
    assert "ValueError: the input was rejected" in traceback
    assert "runpy" not in traceback  # the runner's frames are left out


def direct_flops_until_error() -> int:
    with flops.BudgetContext(1e15, quiet=True) as budget:
        x = fnp.arange(10.0) * 2.0
        assert x.sum() > 0
    return budget.flops_used


def test_cli_exit_status_is_the_scripts():
    assert run_cli(script("exits"), "3").returncode == 3
    assert run_cli(script("exits"), "0").returncode == 0


def test_cli_by_line_in_a_subprocess():
    done = run_cli(script("mlp_forward"), "--by", "line", "--budget", "1e9")
    assert done.returncode == 0, done.stderr
    assert "flopscope FLOPs by line" in done.stderr
    first = marked_line("mlp_forward", "first layer")
    assert f"mlp_forward.py:{first} " in done.stderr
    assert "hidden = np.maximum(x @ w1, 0.0)" in done.stderr


# ---------------------------------------------------------------- in process
def test_main_in_process_matches_fnp_and_restores_the_process(capsys):
    argv_before, import_before = sys.argv, builtins.__import__
    status = main(["run", script("mlp_forward"), "8", "--budget", "1e9"])
    out, err = capsys.readouterr()
    assert status == 0
    assert "argv 8" in out
    assert used(err) == direct_flops("mlp_forward", ["8"])
    assert sys.argv is argv_before
    assert builtins.__import__ is import_before


def test_options_may_come_first_and_words_after_the_separator_go_to_the_script(capsys):
    status = main(["run", "--budget", "1e9", script("mlp_forward"), "3", "--", "--by", "x"])
    out, err = capsys.readouterr()
    assert status == 0
    assert "argv 3 --by x" in out
    assert "flopscope FLOP Budget Summary" in err


def test_by_line_names_the_right_lines_and_sums_to_the_total():
    status, budget = _run.run_script(
        script("mlp_forward"), ["16"], flop_budget=1e9, by="line", stderr=open(os.devnull, "w")
    )
    assert status == 0
    rows = budget.by_line()
    assert sum(row["flop_cost"] for row in rows) == budget.flops_used
    assert budget.flops_used == direct_flops("mlp_forward", ["16"])
    by_place = {(Path(row["file"]).name, row["line"]): row for row in rows}
    first = by_place["mlp_forward.py", marked_line("mlp_forward", "first layer")]
    assert first["flop_cost"] == 16 * 64 * 32 + 16 * 32  # x @ w1, then maximum
    assert first["calls"] == 2
    assert first["source"] == "hidden = np.maximum(x @ w1, 0.0)  # line: first layer"
    second = by_place["mlp_forward.py", marked_line("mlp_forward", "second layer")]
    assert (second["flop_cost"], second["calls"]) == (16 * 32 * 10, 1)
    assert rows == sorted(rows, key=lambda row: -row["flop_cost"])
    assert sum(row["share"] for row in rows) == pytest.approx(1.0)


def test_a_module_beside_the_script_gets_counted_numpy_and_its_own_lines(capsys):
    status, budget = _run.run_script(script("uses_helper"), flop_budget=1e9, by="line")
    out, _ = capsys.readouterr()
    assert status == 0
    assert "helper numpy flopscope.numpy" in out
    rows = {(Path(row["file"]).name, row["line"]): row for row in budget.by_line()}
    helper_line = (SCRIPTS / "scripthelper.py").read_text().splitlines().index(
        "    return np.tanh(x @ w)  # line: helper layer"
    ) + 1
    helper = rows["scripthelper.py", helper_line]
    assert (helper["flop_cost"], helper["calls"]) == (8 * 16 * 4 + 8 * 4, 2)
    script_sum = rows["uses_helper.py", marked_line("uses_helper", "script sum")]
    assert script_sum["flop_cost"] == 8 * 4
    assert budget.flops_used == helper["flop_cost"] + script_sum["flop_cost"]
    assert "scripthelper" not in sys.modules  # forgotten: the next run imports it afresh


def test_a_library_outside_the_scripts_directory_keeps_the_real_numpy(capsys):
    status, budget = _run.run_script(script("keeps_real_numpy"), flop_budget=1e9)
    out, _ = capsys.readouterr()
    assert status == 0
    assert "script numpy flopscope.numpy" in out
    assert "library numpy numpy" in out
    assert budget.flops_used == 50  # only the script's own np.ones(50) * 2.0


def test_include_counts_the_numpy_of_another_directory(capsys):
    status, budget = _run.run_script(
        script("keeps_real_numpy"), flop_budget=1e9, include=[str(VENDOR)]
    )
    out, _ = capsys.readouterr()
    assert status == 0
    assert "library numpy flopscope.numpy" in out
    assert budget.flops_used == 50**3 + 50
    assert "plainlib" not in sys.modules


def test_fma_and_weights_options_apply_to_the_run_and_are_restored(tmp_path, capsys):
    base = direct_flops("mlp_forward", ["2"])
    matmuls = 2 * 64 * 32 + 2 * 32 * 10
    assert main(["run", script("mlp_forward"), "2", "--fma", "2"]) == 0
    assert used(capsys.readouterr().err) == base + matmuls
    assert flops.configure()["fma_cost"] == 1
    weights = tmp_path / "weights.json"
    weights.write_text(json.dumps({"weights": {"matmul": 3.0}}))
    assert main(["run", script("mlp_forward"), "2", "--weights", str(weights)]) == 0
    assert used(capsys.readouterr().err) == base + 2 * matmuls
    assert flops.get_weight("matmul") == 1.0  # the unit table is back


def test_json_and_csv_files(tmp_path, capsys):
    out_json, out_csv = tmp_path / "run.json", tmp_path / "run.csv"
    words = ["run", script("mlp_forward"), "--by", "line"]
    assert main([*words, "--json", str(out_json), "--csv", str(out_csv)]) == 0
    capsys.readouterr()
    data = json.loads(out_json.read_text())
    used = data["totals"]["flops_used"]
    assert used == direct_flops("mlp_forward", [])
    assert sum(row["flop_cost"] for row in data["by_line"]) == used
    assert flops.rebill(data).total == used  # the export prices anew
    with out_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sum(int(row["flop_cost"]) for row in rows) == used
    assert {row["line"] for row in rows} >= {str(marked_line("mlp_forward", "first layer"))}
    by_op = tmp_path / "ops.csv"
    assert main(["run", script("mlp_forward"), "--csv", str(by_op)]) == 0
    capsys.readouterr()
    with by_op.open(newline="") as handle:
        ops = {row["operation"]: int(row["flop_cost"]) for row in csv.DictReader(handle)}
    assert sum(ops.values()) == used
    assert "matmul" in ops


def test_a_missing_script_is_reported(capsys):
    assert main(["run", str(SCRIPTS / "no_such_script.py")]) == 2
    assert "no such script" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["run", "--budget", "1e9"])


# ---------------------------------------------------------------- track_lines in process
def test_track_lines_off_leaves_the_fast_path_as_it_was():
    x = fnp.ones(10)
    with flops.BudgetContext(1e9, quiet=True) as budget:
        records = budget._records
        assert type(records) is BudgetRecords
        assert type(records.own) is RecordBuffer and records.own.capacity > 0
        before = records.own.offset
        fnp.add(x, x)  # the ufunc fast body
        fnp.sum(x)  # the generic body
        assert records.own.offset == before + 2 * 48  # packed in place, no slow path
        assert not budget.track_lines
        with pytest.raises(ValueError, match="track_lines=True"):
            budget.by_line()
        with pytest.raises(ValueError, match="track_lines=True"):
            budget.summary(by="line")


def test_track_lines_on_sends_every_record_through_the_slow_path():
    x = fnp.ones(10)
    with flops.BudgetContext(1e9, quiet=True, track_lines=True) as budget:
        records = budget._records
        assert type(records) is LineRecords and type(records.own) is HeldBuffer
        assert records.own.capacity == 0
        fnp.add(x, x)
        fnp.sum(x)
        budget.deduct("custom", flop_cost=7)
    assert records.own.capacity == 0 and records.own.offset == 3 * 48
    assert [row["flop_cost"] for row in budget.by_line()] == [10, 10, 7]  # add, sum, deduct
    assert {row["file"] for row in budget.by_line()} == {__file__}
    assert budget.summary_dict()["operations"]["add"]["calls"] == 1


def test_track_lines_keeps_every_record_across_buffer_rolls():
    x = fnp.ones(2)
    with flops.BudgetContext(1e12, quiet=True, track_lines=True, keep_log=False) as budget:
        for _ in range(20_000):  # more than one buffer of records
            fnp.add(x, x)
    (row,) = budget.by_line()
    assert (row["flop_cost"], row["calls"]) == (40_000, 20_000)
    assert budget.summary_dict()["operations"]["add"]["calls"] == 20_000
    assert len(budget.op_log) < 20_000  # folded and dropped, as keep_log=False does


def test_summary_by_keeps_the_forms_of_today():
    x = fnp.ones((4, 4))
    with flops.BudgetContext(1e9, quiet=True, track_lines=True) as budget:
        with flops.namespace("phase"):
            x @ x
        fnp.exp(x)
    assert budget.summary(by="op").splitlines()[:10] == budget.summary().splitlines()[:10]
    assert "By namespace:" in budget.summary(by="namespace")
    assert "By namespace:" not in budget.summary()
    text = budget.summary(by="line")
    assert "flopscope FLOPs by line" in text
    assert "x @ x" in text and "fnp.exp(x)" in text
    with pytest.raises(ValueError, match="by must be"):
        budget.summary(by="thread")


def test_a_thread_started_in_a_tracking_budget_is_booked_to_its_own_line():
    x = fnp.ones(6)

    def work():
        fnp.multiply(x, x)  # the thread's line

    with flops.BudgetContext(1e9, quiet=True, track_lines=True) as budget:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    (row,) = budget.by_line()
    assert row["source"] == "fnp.multiply(x, x)  # the thread's line"
    assert row["flop_cost"] == budget.flops_used == 6


def test_the_decorator_form_keeps_track_lines():
    @flops.BudgetContext(1e9, quiet=True, track_lines=True)
    def step():
        return fnp.ones(3) + 1.0

    step()
    assert step.budget_context.track_lines
    assert step.budget_context.by_line()[0]["flop_cost"] == 3


def test_a_tracking_buffer_rolls_once_per_buffer_full():
    x = fnp.ones(2)
    with flops.BudgetContext(1e12, quiet=True, track_lines=True) as budget:
        for _ in range(100):
            fnp.add(x, x)
    own = budget._records.own
    assert own.capacity == 0
    assert own.folded_records == 64  # the first buffer (64 records) rolled once
    assert own.room > own.offset


def test_a_bad_weights_file_stops_before_the_script_runs(tmp_path, capsys):
    weights = tmp_path / "weights.json"
    weights.write_text("{not json")
    assert main(["run", script("mlp_forward"), "--weights", str(weights)]) == 2
    out, err = capsys.readouterr()
    assert "not valid JSON" in err
    assert out == ""  # the script did not run
    assert flops.get_weight("matmul") == 1.0


def test_the_scripts_words_keep_their_order_around_flopscopes_options():
    options, name, args = _run._split(
        ["s.py", "a", "--epochs", "3", "--budget", "5", "b", "--x=1", "--", "--by", "c"]
    )
    assert (name, options.budget, options.by) == ("s.py", 5.0, "op")
    assert args == ["a", "--epochs", "3", "b", "--x=1", "--by", "c"]


def test_every_import_form_of_numpys_submodules_is_counted(capsys):
    status, budget = _run.run_script(script("import_forms"), flop_budget=1e9)
    out, _ = capsys.readouterr()
    assert status == 0
    lines = dict(line.split(" ", 1) for line in out.splitlines())
    assert lines["modules"] == (
        "flopscope.numpy flopscope.numpy.linalg flopscope.numpy.random flopscope.numpy.fft"
    )
    assert lines["from"].split() == [
        "flopscope.numpy.linalg",
        "flopscope.numpy.linalg",
        "flopscope.numpy.fft",
        "flopscope.numpy.random",
    ]
    assert lines["typing"] == "numpy.typing"  # no counterpart: NumPy's own (annotations)
    assert lines["import_module"] == "numpy"  # does not pass through __import__
    assert budget.flops_used > 0  # la.norm was counted
    assert "flopscope.numpy.typing" not in sys.modules  # the alias lived for the run


# ---------------------------------------------------------------- dry runs
def test_cli_dry_run_prices_a_script_without_computing_it():
    done = run_cli(script("power_iteration"), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "direction ShapeOnlyArray(shape=(3,), dtype=float64)" in done.stdout
    assert "a dry run" in done.stderr and "no limit" in done.stderr
    assert used(done.stderr) == direct_flops("power_iteration", [])


def test_cli_dry_run_stops_at_the_line_that_reads_a_value():
    done = run_cli(script("mlp_forward"), "4", "--dry-run", "--budget", "1e9")
    assert done.returncode == 1
    summary, _, report = done.stderr.partition("DryRunValueError")
    assert used(summary) == direct_flops("mlp_forward", ["4"])  # norm was the last charge
    assert "float(x)" in report
    assert "mlp_forward.py:19" in report
    assert 'print("norm", round(float(norm(probs)), 6))' in report
