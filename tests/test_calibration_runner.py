"""The calibration runner: a quick run through its worker subprocesses on a stand-in
table (the file it writes, free rows, aliases, pins, rounding, the packaged derivative,
``--compare``), the mode's fallback when the instructions counter is unavailable, perf
mode's arithmetic on simulated counts, and the command lines that start it."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import calibration_stand_in_cases as stand_in
from flopscope._registry import REGISTRY
from flopscope._weights import get_weight, load_weights
from flopscope.calibration import cases, runner

ROOT = Path(__file__).resolve().parents[1]
STAND_IN = "calibration_stand_in_cases"


@pytest.fixture(autouse=True)
def restore_packaged_weights():
    yield
    load_weights()


def _perf_says(returncode: int, stderr: str):
    """A stand-in for ``subprocess.run`` answering ``perf stat`` as a machine would."""

    def run(command, **kwargs):
        assert command[:2] == ["perf", "stat"]
        return subprocess.CompletedProcess(command, returncode, stdout="", stderr=stderr)

    return run


def _perf_missing(command, **kwargs):
    raise FileNotFoundError(2, "No such file or directory", "perf")


NOT_SUPPORTED = "<not supported>,,instructions,0,100.00,,\n"
COUNTED = "1234567,,instructions,803412,100.00,,\n"


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """One ``--quick`` calibration of the stand-in table through the worker subprocesses,
    the counter reported unsupported (as on machines without hardware counters)."""
    folder = tmp_path_factory.mktemp("calibration")
    previous = folder / "previous.json"
    previous.write_text(
        json.dumps({"weights": {"add": 3.0, "exp": 0.0, "reshape": 0.0, "sort": 1e-9}})
    )
    paths = {
        "output": folder / "weights.json",
        "packaged": folder / "packaged.json",
        "html": folder / "report.html",
    }
    argv = [
        "--quick",
        "--mode", "auto",
        "--output", str(paths["output"]),
        "--packaged", str(paths["packaged"]),
        "--html", str(paths["html"]),
        "--compare", str(previous),
        "--pin", "exp=16",
        "--cases-module", STAND_IN,
    ]  # fmt: skip
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner.subprocess, "run", _perf_says(0, NOT_SUPPORTED))
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = runner.main(argv)
    data = json.loads(paths["output"].read_text())
    return {"code": code, "data": data, "stdout": stdout.getvalue(),
            "stderr": stderr.getvalue(), **paths}  # fmt: skip


# ------------------------------------------------------------- the quick run and its file


def test_quick_run_measures_every_stand_in_case_in_timing_mode(quick_run):
    assert quick_run["code"] == 0
    meta = quick_run["data"]["meta"]
    assert meta["mode"] == "timing"
    assert "not supported" in meta["mode_reason"]
    assert meta["quick"] is True
    assert meta["schema_version"] == 1
    assert meta["categories"] == ["pointwise", "reductions", "linalg", "sorting"]
    assert set(meta["ops"]) == set(stand_in.CASES)
    assert meta["failed"] == {} and meta["crashed"] == {}
    for name, entry in meta["ops"].items():
        case = stand_in.CASES[name]
        assert entry["category"] == case.category
        assert entry["blas"] is case.blas
        assert [s["size"] for s in entry["samples"]] == list(case.quick_sizes)
        assert all(s["seconds"] > 0 and s["flops"] > 0 and s["alpha"] > 0 for s in entry["samples"])
        low, high = entry["spread"]
        assert low <= entry["alpha"] <= high


def test_weights_are_alpha_less_the_category_overhead_rounded(quick_run):
    data = quick_run["data"]
    meta = data["meta"]
    assert meta["rounding"] == "3 significant figures"
    assert set(meta["overhead"]) == set(meta["categories"])
    for name in ("sum", "max", "sort", "matmul"):
        # timing mode: each sample less its share of abs's per-call dispatch cost (none
        # for BLAS-backed rows), the median over the typical distribution's samples
        entry = meta["ops"][name]
        typical = [s for s in entry["samples"] if s["distribution"] == entry["typical"]]
        assert all(s["overhead"] == 0.0 for s in typical) or not entry["blas"]
        assert all(s["overhead"] > 0.0 for s in typical) or entry["blas"]
        net = statistics.median(s["alpha"] - s["overhead"] for s in typical)
        assert entry["weight_measured"] == pytest.approx(max(net, 0.0), rel=1e-12)
        assert entry["alpha"] == pytest.approx(statistics.median(s["alpha"] for s in typical))
    for name in ("sum", "max", "sort"):  # not pinned
        measured = meta["ops"][name]["weight_measured"]
        assert data["weights"][name] == float(f"{measured:.3g}")
    assert all(w == float(f"{w:.3g}") for w in data["weights"].values())


def test_free_rows_weigh_zero_and_aliases_share_their_billing_row(quick_run):
    weights = quick_run["data"]["weights"]
    free = [name for name, op in REGISTRY.items() if op.category == "free"]
    assert free and all(weights[name] == 0.0 for name in free)
    assert not any(op.category == "blocked" and name in weights for name, op in REGISTRY.items())
    assert REGISTRY["amax"].billing_name == "max"
    assert weights["amax"] == weights["max"]
    for name, op in REGISTRY.items():
        if op.category.startswith("counted") and op.billing_name in weights:
            assert weights[name] == weights[op.billing_name], name


def test_spec_pins_and_pin_option_keep_the_measured_weight_in_meta(quick_run):
    data = quick_run["data"]
    weights, pinned = data["weights"], data["meta"]["pinned"]
    assert all(weights[name] == 1.0 for name in runner.PINNED_TO_ONE)
    assert weights["exp"] == 16.0  # --pin exp=16
    measured = data["meta"]["ops"]
    for name in ("add", "matmul", "exp"):
        assert pinned[name] == float(f"{measured[name]['weight_measured']:.3g}")
    for name in ("multiply", "maximum", "sqrt", "einsum"):  # pinned, not in the table
        assert pinned[name] is None


def test_load_weights_accepts_the_file_and_it_round_trips(quick_run, tmp_path):
    written = quick_run["data"]["weights"]
    loaded = load_weights(quick_run["output"])
    assert loaded == written
    again = tmp_path / "again.json"
    again.write_text(json.dumps({"weights": loaded}))
    assert load_weights(again) == written


def test_packaged_derivative_is_the_weights_and_their_provenance(quick_run):
    slim = json.loads(quick_run["packaged"].read_text())
    meta = quick_run["data"]["meta"]
    assert set(slim) == {"weights", "meta"}
    assert slim["weights"] == quick_run["data"]["weights"]
    assert slim["meta"] == {
        **{k: meta[k] for k in ("mode", "dtype", "date", "machine", "cpu", "numpy", "blas")},
        "rounding": "3 significant figures",
        "source": "flopscope calibrate",
    }
    assert load_weights(quick_run["packaged"]) == slim["weights"]


def test_compare_prints_the_weights_that_moved_by_more_than_half(quick_run):
    lines = quick_run["stdout"].splitlines()
    start = next(i for i, line in enumerate(lines) if "moved by more than 1.5x" in line)
    rows = [line.split() for line in lines[start + 2 :]]
    # previous: add 3.0 (now pinned 1.0), exp 0.0 (now 16), reshape 0.0 (still), sort 1e-9
    moved = {row[0]: float(row[3]) for row in rows}
    assert set(moved) == {"add", "exp", "sort"}
    assert moved["exp"] == math.inf and moved["add"] == 3.0
    assert list(moved.values()) == sorted(moved.values(), reverse=True)


def test_compare_weights_treats_zero_against_nonzero_as_moved():
    old = {"a": 1.0, "b": 1.0, "c": 0.0, "d": 0.0, "e": 4.0, "only_old": 9.0}
    new = {"a": 1.4, "b": 2.0, "c": 0.0, "d": 0.5, "e": 1.0, "only_new": 9.0}
    assert runner.compare_weights(new, old) == [
        ("d", 0.0, 0.5, math.inf),
        ("e", 4.0, 1.0, 4.0),
        ("b", 1.0, 2.0, 2.0),
    ]


def test_html_report_is_written_or_its_absence_said(quick_run):
    if importlib.util.find_spec("flopscope.calibration.report") is None:
        assert "flopscope.calibration.report is not available" in quick_run["stderr"]
        assert not quick_run["html"].exists()
    else:
        assert quick_run["html"].read_text().lstrip().lower().startswith("<!doctype html")


def test_progress_is_a_plain_line_per_case_off_a_terminal(quick_run):
    lines = [line for line in quick_run["stderr"].splitlines() if line.startswith("[")]
    assert len(lines) == len(stand_in.CASES)
    assert lines[0] == "[1/6] pointwise: add" and lines[-1] == "[6/6] sorting: sort"


# ---------------------------------------------------------------------- malformed files


def test_malformed_weights_file_gives_an_error_naming_it(tmp_path):
    bad = tmp_path / "weights.json"
    bad.write_text('{"weights": {"exp": "sixteen"}}')
    with pytest.raises(ValueError, match=r"weights file .*weights\.json.*'exp' must be a number"):
        load_weights(bad)
    bad.write_text("{not json")
    with pytest.raises(ValueError, match=r"weights file .*weights\.json.* is not valid JSON"):
        load_weights(bad)


def test_compare_with_a_malformed_file_fails_before_measuring(tmp_path):
    bad = tmp_path / "other.json"
    bad.write_text("[]")
    out = tmp_path / "weights.json"
    with pytest.raises(SystemExit, match=r"--compare: weights file .*other\.json"):
        runner.main(["--compare", str(bad), "--output", str(out), "--cases-module", STAND_IN])
    assert not out.exists()


def test_pin_option_rejects_what_is_not_a_weight():
    for text in ("exp", "exp=", "exp=-1", "exp=nan", "=2"):
        with pytest.raises(Exception, match="expected NAME=WEIGHT"):
            runner._parse_pin(text)
    with pytest.raises(SystemExit, match="no such operation"):
        runner._resolve_pins([("not_an_op", 2.0)])
    assert runner._resolve_pins([("amax", 2.0)]) == {"max": 2.0}


# ---------------------------------------------------------------------- the mode


@pytest.mark.parametrize(
    "perf",
    [
        _perf_missing,
        _perf_says(0, NOT_SUPPORTED),
        _perf_says(255, "Error:\nAccess to performance monitoring: Permission denied\n"),
        _perf_says(0, "<not counted>,,instructions,0,0.00,,\n"),
    ],
    ids=["missing", "not-supported", "permission-denied", "not-counted"],
)
def test_mode_falls_back_to_timing_when_the_counter_is_unavailable(monkeypatch, perf):
    monkeypatch.setattr(runner.subprocess, "run", perf)
    mode, why = runner.choose_mode("auto")
    assert mode == "timing" and why.startswith("perf unavailable")
    with pytest.raises(SystemExit, match="--mode perf is unavailable"):
        runner.choose_mode("perf")
    assert runner.choose_mode("timing") == ("timing", "requested")


def test_mode_is_perf_where_the_counter_counts(monkeypatch):
    monkeypatch.setattr(runner.subprocess, "run", _perf_says(0, COUNTED))
    assert runner.choose_mode("auto") == ("perf", "perf stat counts instructions")
    assert runner.choose_mode("perf") == ("perf", "requested")
    assert runner._instructions_in(COUNTED) == 1234567
    assert runner._instructions_in("1200,,instructions:u,5,100.00,,") == 1200


def test_perf_mode_prices_instructions_of_the_calls_less_the_noop_harness(monkeypatch):
    """Simulated counters: a harness process retires 5e6 instructions of its own plus, per
    loop, ``per_element * n`` for the call (none for the no-op). Then ``alpha`` is the
    call's instructions per FLOP over ``np.add``'s per element, less the ``np.abs``
    overhead except for BLAS rows; the worker runs in this process on a table injected
    into ``cases.CASES``."""
    per_element = {"@add": 0.5, "@abs": 0.25, "exp": 8.0, "matmul": 2.0}

    def count(self, name, size, distribution, loops, noop):
        elements = size * size if name == "matmul" else size
        return 5_000_000 + (0 if noop else round(loops * per_element[name] * elements))

    monkeypatch.setattr(runner.Meter, "_count", count)
    table = {name: stand_in.CASES[name] for name in ("exp", "matmul")}
    monkeypatch.setattr(cases, "CASES", table)
    pointwise = runner.measure_category("pointwise", mode="perf", quick=True)
    exp = pointwise["ops"]["exp"]
    assert pointwise["overhead"] == pytest.approx(0.5)
    assert exp["alpha"] == pytest.approx(16.0, rel=1e-3)  # 8 per FLOP / 0.5 per element
    assert exp["weight_measured"] == pytest.approx(15.5, rel=1e-3)
    assert exp["samples"][0]["instructions"] == pytest.approx(8.0 * 1000, rel=1e-3)
    linalg = runner.measure_category("linalg", mode="perf", quick=True)
    matmul = linalg["ops"]["matmul"]  # 2 n^2 instructions over n^3 FLOPs: 2 / n per FLOP
    assert matmul["alpha"] == pytest.approx((2.0 / 32) / 0.5, rel=1e-3)
    assert matmul["weight_measured"] == matmul["alpha"]  # BLAS: no overhead


def test_perf_harness_runs_a_call_or_its_noop():
    for extra in ([], ["--noop"]):
        proc = subprocess.run(
            [sys.executable, "-m", "flopscope.calibration.runner", "--harness", "exp",
             "--size", "100", "--distribution", "normal", "--loops", "3",
             "--cases-module", STAND_IN, *extra],
            env=runner._worker_env() | {"PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'tests'}"},
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr


def _refuse(size, distribution, rng):
    raise ValueError("no such input")


def test_in_process_worker_reads_the_injected_table_skips_free_rows_and_says_failures(
    monkeypatch,
):
    table = {
        "sum": stand_in.CASES["sum"],
        "reshape": cases.Case("reshape", "reductions", stand_in._sum, (10,)),
        "prod": cases.Case("prod", "reductions", _refuse, (10,)),
        "exp": stand_in.CASES["exp"],  # another category's
    }
    monkeypatch.setattr(cases, "CASES", table)
    reported = []
    result = runner.measure_category("reductions", quick=True, repeats=1, progress=reported.append)
    assert reported == ["sum", "reshape", "prod"]
    assert set(result["ops"]) == {"sum"}
    assert result["skipped"] == {"reshape": "a free row is not measured"}
    assert result["failed"] == {"prod": "ValueError: no such input"}
    assert set(result["reference"]) == {"add", "abs"}


def test_a_crashed_worker_is_reported_and_the_rest_still_written(tmp_path, monkeypatch):
    (tmp_path / "crashing_cases.py").write_text(
        "import os\n"
        "from calibration_stand_in_cases import CASES as STAND_IN\n"
        "from flopscope.calibration.cases import Case\n"
        "def crash(size, distribution, rng):\n"
        "    os._exit(3)\n"
        "CASES = {'sum': STAND_IN['sum'], 'hanning': Case('hanning', 'window', crash, (8,))}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "tests"))
    out = tmp_path / "weights.json"
    argv = ["--quick", "--mode", "timing", "--output", str(out), "--cases-module", "crashing_cases"]
    assert runner.main(argv) == 1
    data = json.loads(out.read_text())
    assert set(data["meta"]["ops"]) == {"sum"}
    assert data["meta"]["crashed"]["window"].startswith("worker exited 3")
    assert data["meta"]["failed"] == {"hanning": "its category's worker crashed"}
    assert "hanning" not in data["weights"] and data["weights"]["sum"] >= 0.0


def test_analytical_flops_are_the_rule_without_out():
    call = stand_in._matmul(8, "normal", np.random.default_rng(0))
    assert "out" in call.kwargs
    assert runner.analytical_flops("matmul", call) == 8**3
    assert runner.analytical_flops("random.integers", cases.Call(None, (0, 10, 50), {})) == 50


# ---------------------------------------------------------------------- command lines


def test_benchmarks_runner_help_from_the_checkout():
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.runner", "--help"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "--category" in proc.stdout and "--compare OTHER.json" in proc.stdout


def test_flopscope_calibrate_subcommand(capsys):
    from flopscope.__main__ import main

    with pytest.raises(SystemExit) as exit_:
        main(["calibrate", "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("usage: flopscope calibrate")


def test_the_quick_run_of_every_case_prices_every_counted_row(tmp_path):
    """``flopscope calibrate --quick`` over the real cases, through its workers: every
    counted row measured (or sharing its billing row's weight), free rows 0.0, the file
    loadable. (It takes about 10 s here; the timeout only guards against a hang.)"""
    output = tmp_path / "quick.json"
    done = subprocess.run(
        [sys.executable, "-m", "flopscope", "calibrate", "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["meta"]["quick"] is True and not data["meta"]["failed"]
    assert data["meta"]["uncovered"] == []
    weights = data["weights"]
    for name, op in REGISTRY.items():
        if op.category.startswith("counted"):
            assert math.isfinite(weights[name]) and weights[name] >= 0.0, name
        elif op.category == "free":
            assert weights[name] == 0.0, name
    load_weights(output)
    try:
        assert get_weight("exp") == weights["exp"]
    finally:
        load_weights()
