"""Line attribution: every charge booked to the user's source line that made it.

``BudgetContext(..., track_lines=True)`` gives the budget a :class:`LineRecords`, and
``budget.summary(by="line")`` shows, like a line profiler, each line's FLOPs, calls and
share of the total. A line's figures are exact: the FLOPs of a line are the sum of the
charges made while that line was the innermost *user* frame, so the lines' FLOPs add up
to ``flops_used``.

The user's line is the first frame, walking out from the charge, whose file lies outside
flopscope's package directory and outside the installed libraries and the standard
library (``sysconfig``'s and ``site``'s directories, and frozen modules): a call made by
SciPy or by ``functools`` on the user's behalf is booked to the user line that called it.

Why tracking costs nothing when it is off: the dispatch's fast paths write a record into
``records.own`` only while ``buf.offset < buf.capacity``, and call ``records.add_own``
otherwise (and every other record path, ``record_slow``, goes through ``add_own`` or
``add_foreign``). A tracking budget's owner buffer (:class:`HeldBuffer`) reads
``capacity == 0``, so every one of its records takes ``add_own``, where the frame is
captured. A budget that does not track has the plain classes and the same code path as
before; nothing is tested per call.
"""

from __future__ import annotations

import linecache
import os
import sys
from types import FrameType
from typing import Any

from ._records import BudgetRecords, RecordBuffer

__all__ = ["HeldBuffer", "LineRecords", "format_lines", "is_library_file", "user_line"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _library_dirs() -> tuple[str, ...]:
    """The standard library's and the installed packages' directories, each ending in a
    separator (so that ``/lib/python3.11`` does not match ``/lib/python3.11-extra``).
    Found when a line is first classified (sysconfig is not loaded at import)."""
    global _LIBRARY_DIRS
    if _LIBRARY_DIRS is not None:
        return _LIBRARY_DIRS
    import site
    import sysconfig

    found: set[str] = set()
    paths = sysconfig.get_paths()
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        if paths.get(name):
            found.add(paths[name])
    try:
        found.update(site.getsitepackages())
    except AttributeError:  # some embedded interpreters' ``site`` lacks it
        pass
    user_site = getattr(site, "USER_SITE", None)
    if user_site:
        found.add(user_site)
    for path in sys.path:  # a site-packages the interpreter was pointed at by hand
        if os.path.basename(path.rstrip(os.sep)) in ("site-packages", "dist-packages"):
            found.add(path)
    _LIBRARY_DIRS = tuple(sorted({os.path.abspath(p) + os.sep for p in found}))
    return _LIBRARY_DIRS


_LIBRARY_DIRS: tuple[str, ...] | None = None
_USER, _FLOPSCOPE, _LIBRARY = 0, 1, 2
#: file name -> _USER, _FLOPSCOPE or _LIBRARY (frames are classified once per file)
_KINDS: dict[str, int] = {}


def is_library_file(filename: str) -> bool:
    """Whether ``filename`` is in the standard library or an installed package (a frozen
    or built-in module counts as the standard library)."""
    if filename.startswith("<frozen") or filename.startswith("<built-in"):
        return True
    return os.path.abspath(filename).startswith(_library_dirs())


def _kind(filename: str) -> int:
    found = _KINDS.get(filename)
    if found is None:
        if os.path.abspath(filename).startswith(_PACKAGE_DIR):
            found = _FLOPSCOPE
        else:
            found = _LIBRARY if is_library_file(filename) else _USER
        _KINDS[filename] = found
    return found


def user_line(frame: FrameType | None) -> tuple[str, int]:
    """(file name, line number) of the first user frame at or outside ``frame``.

    Where no frame is the user's (code run from inside a library), the first frame
    outside flopscope; ``("<unknown>", 0)`` if there is none either.
    """
    outside_flopscope: FrameType | None = None
    while frame is not None:
        kind = _kind(frame.f_code.co_filename)
        if kind == _USER:
            return frame.f_code.co_filename, frame.f_lineno
        if kind == _LIBRARY and outside_flopscope is None:
            outside_flopscope = frame
        frame = frame.f_back
    if outside_flopscope is not None:
        return outside_flopscope.f_code.co_filename, outside_flopscope.f_lineno
    return "<unknown>", 0


class HeldBuffer(RecordBuffer):
    """A record buffer whose ``capacity`` reads 0, so that the dispatch's inlined fast
    path never writes into it and every record arrives through ``add``; ``room`` is its
    real size. Only the owner thread writes it (under the records' lock)."""

    __slots__ = ("room",)

    def __init__(self, keep_log: bool = True) -> None:
        super().__init__(keep_log)
        self.room = self.capacity
        self.capacity = 0

    def roll(self) -> None:
        self.capacity = self.room
        super().roll()
        self.room = self.capacity
        self.capacity = 0

    def add(self, key: int, cost: int, t0: int, t1: int, t2: int, t3: int) -> None:
        if self.offset >= self.room:
            self.roll()
        # with room to spare, the plain ``add`` writes the record and does not roll
        self.capacity = self.room
        try:
            super().add(key, cost, t0, t1, t2, t3)
        finally:
            self.capacity = 0


class LineRecords(BudgetRecords):
    """The records of a budget that tracks lines: every record, on any thread, is also
    added to ``lines``: (file name, line number) -> [FLOPs, calls], exact."""

    __slots__ = ("lines",)

    def __init__(self, keep_log: bool = True) -> None:
        super().__init__(keep_log)
        self.own = HeldBuffer(keep_log)
        self.lines: dict[tuple[str, int], list[int]] = {}

    def _book(self, where: tuple[str, int], cost: int) -> None:
        tally = self.lines.get(where)
        if tally is None:
            tally = self.lines[where] = [0, 0]
        tally[0] += cost
        tally[1] += 1

    def add_own(self, key: int, cost: int, t0: int, t1: int, t2: int, t3: int) -> None:
        where = user_line(sys._getframe(1))
        with self.lock:
            self.own.add(key, cost, t0, t1, t2, t3)
            self._book(where, cost)

    def add_foreign(self, key: int, cost: int, t0: int, t1: int, t2: int, t3: int) -> None:
        where = user_line(sys._getframe(1))
        with self.lock:
            self.shared.add(key, cost, t0, t1, t2, t3)
            self._book(where, cost)

    def line_rows(self, flops_used: int) -> list[dict[str, Any]]:
        """One row per line, most FLOPs first: ``file``, ``line``, ``source`` (the line's
        text, stripped), ``flop_cost``, ``calls`` and ``share`` (of ``flops_used``)."""
        with self.lock:
            tallies = [(where, tally[0], tally[1]) for where, tally in self.lines.items()]
        tallies.sort(key=lambda item: (-item[1], item[0]))
        return [
            {
                "file": filename,
                "line": lineno,
                "source": linecache.getline(filename, lineno).strip(),
                "flop_cost": flops,
                "calls": calls,
                "share": flops / flops_used if flops_used else 0.0,
            }
            for (filename, lineno), flops, calls in tallies
        ]


def _short(filename: str) -> str:
    """A file name relative to the working directory when it lies under it."""
    try:
        relative = os.path.relpath(filename)
    except ValueError:  # another drive (Windows)
        return filename
    return filename if relative.startswith(os.pardir) else relative


def format_lines(flop_budget: int, flops_used: int, rows: list[dict[str, Any]]) -> str:
    """The by-line table: location, FLOPs, share, calls and the line's source text."""
    from ._display import NO_LIMIT, BudgetSummary, _pct

    title = "flopscope FLOPs by line"
    limits = (
        ["Total budget: no limit", f"Used:         {flops_used:,}"]
        if flop_budget >= NO_LIMIT
        else [
            f"Total budget: {flop_budget:,}",
            f"Used:         {flops_used:,} ({_pct(flops_used, flop_budget):.1f}%)",
        ]
    )
    lines = [title, "=" * len(title), *limits, ""]
    if not rows:
        lines.append("  (no counted operations)")
        return BudgetSummary("\n".join(lines))
    places = [f"{_short(row['file'])}:{row['line']}" for row in rows]
    width = max(len("line"), *(len(place) for place in places))
    lines.append(f"  {'line':<{width}} {'FLOPs':>15} {'share':>7} {'calls':>9}  source")
    for place, row in zip(places, rows):
        lines.append(
            f"  {place:<{width}} {row['flop_cost']:>15,} {100 * row['share']:>6.1f}% "
            f"{row['calls']:>9,}  {row['source']}"
        )
    return BudgetSummary("\n".join(lines))
