"""``flopscope run script.py [args...]``: a plain NumPy script, its NumPy counted.

The script (``import numpy as np``, knowing nothing of flopscope) runs as ``__main__``
with ``sys.argv == [script, args...]`` inside one :class:`BudgetContext`. While it runs,
``builtins.__import__`` is wrapped: an import of ``numpy`` or ``numpy.<sub>`` made by a
module whose file is the script, or lies under the script's directory or an
``--include`` path, receives ``flopscope.numpy`` (``numpy.linalg`` ->
``flopscope.numpy.linalg``, ...). Every other importer (the standard library, installed
packages, anything elsewhere) keeps the real NumPy, so third-party libraries run as
they always do. The wrapper decides per import from the importer's ``__file__``, which
``__import__`` receives in its globals; ``importlib.import_module("numpy")`` does not pass
through it and gets the real NumPy.

At the end the summary is written to stderr (the script's own output keeps stdout):
by operation, by namespace or by line. A script that runs out of budget or time ends
with the summary, the exception's message and the script's line that raised it, and
exit status 1; any other exception, after the summary, with its traceback (from the
script's frames on) and status 1; ``sys.exit(n)`` with ``n``.
"""

from __future__ import annotations

import argparse
import builtins
import csv
import importlib
import json
import linecache
import os
import runpy
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType, TracebackType
from typing import Any, TextIO

from . import _lines
from ._budget import BudgetContext, _default_budget_value
from ._config import SETTINGS, configure
from ._dry_run import DryRun
from ._weights import WEIGHTS, load_weights
from .errors import BudgetExhaustedError, DryRunValueError, TimeExhaustedError

__all__ = ["NumpyRedirect", "main", "parser", "run_script"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="flopscope run",
        usage="flopscope run script.py [args ...] [--budget N] [--by op|namespace|line] "
        "[--json FILE] [--csv FILE] [--html FILE] [--weights FILE] [--fma 1|2] [--include PATH] "
        "[--dry-run] [-- script args ...]",
        description="Run a plain NumPy script with its NumPy counted and print the FLOP "
        "summary (to stderr) at exit. flopscope's options may come before or after the "
        "script; everything after '--' goes to the script as it is.",
        allow_abbrev=False,
    )
    p.add_argument(
        "--budget",
        type=float,
        default=None,
        help="FLOP budget (default: FLOPSCOPE_DEFAULT_BUDGET, else 1e15)",
    )
    p.add_argument(
        "--by",
        choices=("op", "namespace", "line"),
        default="op",
        help="summary by operation (default), by namespace, or by source line",
    )
    p.add_argument("--json", metavar="FILE", help="also write the summary as JSON")
    p.add_argument("--csv", metavar="FILE", help="also write the summary's rows as CSV")
    p.add_argument(
        "--html",
        metavar="FILE",
        help="also write the report as one self-contained HTML page (by line with --by line)",
    )
    p.add_argument("--weights", metavar="FILE", help="price operations with this weights file")
    p.add_argument(
        "--fma", type=int, choices=(1, 2), default=None, help="FLOPs per fused multiply-add"
    )
    p.add_argument(
        "--include",
        metavar="PATH",
        action="append",
        default=[],
        help="modules under PATH also get counted NumPy (repeatable)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="price the script without computing: counted calls return shape-only "
        "stand-ins (no budget unless --budget is given)",
    )
    return p


def _split(argv: Sequence[str]) -> tuple[argparse.Namespace, str, list[str]]:
    """(flopscope's options, the script, the script's arguments).

    flopscope's options are taken from anywhere before a ``--``; the first other word is
    the script and the rest, in order, its arguments, followed by all words after ``--``.
    """
    argv = list(argv)
    tail: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, tail = argv[:cut], argv[cut + 1 :]
    p = parser()
    options, rest = p.parse_known_args(argv)
    if not rest:
        p.error("the script to run is missing")
    if rest[0].startswith("-"):
        p.error(f"unrecognized argument before the script: {rest[0]}")
    return options, rest[0], [*rest[1:], *tail]


# ---------------------------------------------------------------- the import hook
def _dir_prefix(path: str) -> str:
    return os.path.abspath(path).rstrip(os.sep) + os.sep


class NumpyRedirect:
    """A ``builtins.__import__`` wrapper: ``numpy`` imports made from the counted files
    receive ``flopscope.numpy`` and its submodules. The counted files are ``files``,
    those under ``dirs`` that are not in an installed library or the standard library (a
    virtual environment inside the script's directory stays uncounted), and everything
    under ``included`` (named explicitly, so counted even if installed)."""

    def __init__(
        self, files: Sequence[str], dirs: Sequence[str], included: Sequence[str] = ()
    ) -> None:
        self.files = frozenset(os.path.abspath(f) for f in files)
        self.dirs = tuple(_dir_prefix(d) for d in dirs)
        self.included = tuple(_dir_prefix(d) for d in included)
        self.original: Callable[..., ModuleType] = builtins.__import__
        self._counted: dict[str, bool] = {}
        #: NumPy modules entered in ``sys.modules`` under flopscope names, for the run
        self.aliases: list[str] = []

    def counts(self, filename: str | None) -> bool:
        """Whether a module whose ``__file__`` is ``filename`` gets counted NumPy."""
        if not filename:
            return False
        found = self._counted.get(filename)
        if found is None:
            path = os.path.abspath(filename)
            found = (
                path in self.files
                or path.startswith(self.included)
                or (path.startswith(self.dirs) and not _lines.is_library_file(path))
            )
            self._counted[filename] = found
        return found

    def __call__(
        self,
        name: str,
        globals: Mapping[str, Any] | None = None,
        locals: Any = None,
        fromlist: Sequence[str] | None = (),
        level: int = 0,
    ) -> ModuleType:
        if (
            level == 0
            and (name == "numpy" or name.startswith("numpy."))
            and globals is not None
            and self.counts(globals.get("__file__"))
        ):
            return self.redirect(name, fromlist)
        return self.original(name, globals, locals, fromlist, level)

    def redirect(self, name: str, fromlist: Sequence[str] | None) -> ModuleType:
        """What ``__import__(name, fromlist=fromlist)`` returns, counted: the top package
        without a fromlist (``import numpy.linalg`` binds ``numpy``), else the module."""
        module = self.counted_module(name)
        if not fromlist:
            return self.counted_module("numpy")
        return module

    def counted_module(self, name: str) -> ModuleType:
        """``flopscope.numpy`` for ``numpy``, ``flopscope.numpy.linalg`` for
        ``numpy.linalg``, ...; NumPy's own module where flopscope has no counterpart
        (``numpy.typing``: annotations, nothing to count).

        Such a module is also entered in ``sys.modules`` under the flopscope name while
        the hook is installed: ``import numpy.typing as npt`` looks the submodule up
        there when the package has no such attribute."""
        target = "flopscope." + name
        try:
            return importlib.import_module(target)
        except ModuleNotFoundError as error:
            if error.name is None or not target.startswith(error.name):
                raise
        module = importlib.import_module(name)
        if target not in sys.modules:
            sys.modules[target] = module
            self.aliases.append(target)
        return module

    def install(self) -> None:
        setattr(builtins, "__import__", self)  # noqa: B010 (a callable object, not a function)

    def remove(self) -> None:
        if builtins.__import__ is self:
            setattr(builtins, "__import__", self.original)  # noqa: B010
        for target in self.aliases:
            sys.modules.pop(target, None)
        self.aliases.clear()


# ---------------------------------------------------------------- running
def _user_frame(tb: TracebackType | None, redirect: NumpyRedirect) -> tuple[str, int] | None:
    """The innermost frame of ``tb`` in a counted file (the script or its modules), else
    the innermost user frame outside flopscope and the installed libraries."""
    counted = user = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if redirect.counts(filename):
            counted = (filename, tb.tb_lineno)
        elif _lines._kind(filename) == _lines._USER:
            user = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return counted or user


def _from_script(tb: TracebackType | None, redirect: NumpyRedirect) -> TracebackType | None:
    """``tb`` from the first counted frame on (the runner's and runpy's frames dropped)."""
    start = tb
    while start is not None and not redirect.counts(start.tb_frame.f_code.co_filename):
        start = start.tb_next
    return start if start is not None else tb


def _write_json(path: str, budget: BudgetContext, by: str) -> None:
    """The run's export (``budget.to_json()``: settings, totals, operations and every
    record, which ``flops.rebill`` prices anew), with the lines when tracked."""
    data = json.loads(budget.to_json())
    if budget.track_lines:
        data["by_line"] = budget.by_line()
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, default=str)
        handle.write("\n")


def _write_csv(path: str, budget: BudgetContext, by: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if by == "line":
            writer.writerow(["file", "line", "source", "flop_cost", "calls", "share"])
            for row in budget.by_line():
                share = f"{row['share']:.6f}"
                writer.writerow(
                    [row["file"], row["line"], row["source"], row["flop_cost"], row["calls"], share]
                )
            return
        data = budget.summary_dict(by_namespace=by == "namespace")
        writer.writerow(["namespace", "operation", "flop_cost", "calls"])
        if by == "namespace":
            for space, figures in data["by_namespace"].items():
                for name, op in figures["operations"].items():
                    writer.writerow([space or "", name, op["flop_cost"], op["calls"]])
        else:
            for name, op in data["operations"].items():
                writer.writerow(["", name, op["flop_cost"], op["calls"]])


def run_script(
    script: str,
    args: Sequence[str] = (),
    *,
    flop_budget: float | None = None,
    by: str = "op",
    include: Sequence[str] = (),
    json_path: str | None = None,
    csv_path: str | None = None,
    html_path: str | None = None,
    weights: str | None = None,
    fma: int | None = None,
    dry_run: bool = False,
    stderr: TextIO | None = None,
) -> tuple[int, BudgetContext]:
    """Run ``script`` as ``__main__`` with its NumPy counted; return (exit status, the
    budget it ran in). The summary goes to ``stderr`` (``sys.stderr`` if None).

    The process-wide settings it changes (weights, ``fma_cost``, ``sys.argv``,
    ``sys.path[0]``, the import hook) are restored before it returns, and the modules
    it imported from outside flopscope and the installed libraries are forgotten, so
    that running again imports them afresh (with counted or real NumPy, as that run
    decides). A module imported before the run keeps the NumPy it was given then.

    ``dry_run``: the script runs in a :class:`~flopscope.DryRun` (its counted calls
    priced, nothing computed); ``flop_budget`` None then means no limit.
    """
    err = sys.stderr if stderr is None else stderr
    path = os.path.abspath(script)
    if not os.path.isfile(path):
        print(f"flopscope run: no such script: {script}", file=err)
        return 2, BudgetContext(0)
    saved_weights = dict(WEIGHTS) if weights is not None else None
    if weights is not None:
        try:
            load_weights(weights)
        except ValueError as error:  # the file names itself and what is wrong with it
            print(f"flopscope run: {error}", file=err)
            return 2, BudgetContext(0)
    saved_fma = SETTINGS.fma_cost
    saved_argv, saved_path = sys.argv, list(sys.path)
    saved_modules = set(sys.modules)
    redirect = NumpyRedirect([path], [os.path.dirname(path)], include)
    budget: BudgetContext
    if dry_run:
        budget = DryRun(flop_budget, quiet=True, track_lines=by == "line")
    else:
        budget = BudgetContext(
            _default_budget_value() if flop_budget is None else flop_budget,
            quiet=True,
            track_lines=by == "line",
        )
    failure: BaseException | None = None
    status = 0
    try:
        if fma is not None:
            configure(fma_cost=fma)
        sys.argv = [script, *args]
        sys.path.insert(0, os.path.dirname(path))
        redirect.install()
        try:
            with budget:
                runpy.run_path(path, run_name="__main__")
        finally:
            redirect.remove()
    except SystemExit as stop:
        code = stop.code
        if code is None:
            status = 0
        elif isinstance(code, int):
            status = code
        else:
            print(code, file=err)
            status = 1
    except KeyboardInterrupt as stop:
        failure, status = stop, 130
    except BaseException as error:  # reported after the summary, then status 1
        failure, status = error, 1
    finally:
        sys.argv = saved_argv
        sys.path[:] = saved_path
        if fma is not None:
            configure(fma_cost=saved_fma)
        if saved_weights is not None:
            WEIGHTS.clear()
            WEIGHTS.update(saved_weights)
        for name in set(sys.modules) - saved_modules:
            filename = getattr(sys.modules[name], "__file__", None)
            if filename and _lines._kind(filename) == _lines._USER:
                del sys.modules[name]
    if dry_run:
        print(
            "flopscope: a dry run: what the script would be charged; nothing was computed", file=err
        )
    budget.print_summary(err, by=by)  # a table on a terminal, the text elsewhere
    if json_path is not None:
        _write_json(json_path, budget, by)
    if csv_path is not None:
        _write_csv(csv_path, budget, by)
    if html_path is not None:
        budget.to_html_report(html_path)
    if failure is not None:
        _report(failure, redirect, err)
    err.flush()
    return status, budget


def _report(failure: BaseException, redirect: NumpyRedirect, err: TextIO) -> None:
    if isinstance(failure, (BudgetExhaustedError, TimeExhaustedError, DryRunValueError)):
        print(f"\nflopscope: {type(failure).__name__}: {failure}", file=err)
        where = _user_frame(failure.__traceback__, redirect)
        if where is not None:
            filename, lineno = where
            source = linecache.getline(filename, lineno).strip()
            print(f"  raised at {filename}:{lineno}: {source}", file=err)
        return
    print(file=err)
    tb = _from_script(failure.__traceback__, redirect)
    err.write("".join(traceback.format_exception(type(failure), failure, tb)))


def main(argv: Sequence[str] | None = None) -> int:
    """``flopscope run``'s entry point (``argv``: the words after ``run``); returns the
    exit status of the run."""
    options, script, args = _split(sys.argv[1:] if argv is None else argv)
    status, _ = run_script(
        script,
        args,
        flop_budget=options.budget,
        by=options.by,
        include=options.include,
        json_path=options.json,
        csv_path=options.csv,
        html_path=options.html,
        weights=options.weights,
        fma=options.fma,
        dry_run=options.dry_run,
    )
    return status
