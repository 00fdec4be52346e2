"""The operation log: one compact record per charge, and every aggregate as a view of it.

A record is seven int64 values appended to one ``array('q')`` (56 bytes):

    op id, namespace id, signature id, FLOP cost, start offset (ns),
    backend duration (ns), overhead duration (ns)

Names, namespace paths and (shapes, subscripts) signatures are interned in process-wide
tables, so a loop that repeats one operation adds 56 bytes per call. Every
``CHUNK_RECORDS`` records the open chunk is folded into exact per-(op, namespace)
totals; with ``keep_log=True`` the chunk is then kept as a frozen NumPy block (for
``op_log``), with ``keep_log=False`` it is dropped, so memory stays bounded while every
aggregate stays exact. Summaries, ``op_log`` and the by-namespace view all read these
records; nothing keeps a tally of its own.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

__all__ = ["OpLog", "OpRecord", "RecordBuffer", "intern_name", "intern_namespace", "intern_sig"]

FIELDS = 7
CHUNK_RECORDS = 1 << 16
_INT64_MAX = (1 << 63) - 1
_BIG = -1  # cost column sentinel: the exact cost is in RecordBuffer.big_costs

# ---------------------------------------------------------------- interning tables
_NAMES: list[str] = []
_NAME_IDS: dict[str, int] = {}
_NAMESPACES: list[str | None] = [None]
_NAMESPACE_IDS: dict[str | None, int] = {None: 0}
_SIGS: list[tuple[tuple[tuple[int, ...], ...], str | None]] = [((), None)]
SIG_IDS: dict[tuple[tuple[tuple[int, ...], ...], str | None], int] = {((), None): 0}


def intern_name(name: str) -> int:
    """The id of an operation name (allocated on first use)."""
    found = _NAME_IDS.get(name)
    if found is None:
        found = _NAME_IDS[name] = len(_NAMES)
        _NAMES.append(name)
    return found


def intern_namespace(path: str | None) -> int:
    found = _NAMESPACE_IDS.get(path)
    if found is None:
        found = _NAMESPACE_IDS[path] = len(_NAMESPACES)
        _NAMESPACES.append(path)
    return found


def namespace_path(ns_id: int) -> str | None:
    return _NAMESPACES[ns_id]


def intern_sig(shapes: tuple[tuple[int, ...], ...], subscripts: str | None = None) -> int:
    key = (shapes, subscripts)
    found = SIG_IDS.get(key)
    if found is None:
        found = SIG_IDS[key] = len(_SIGS)
        _SIGS.append(key)
    return found


# ---------------------------------------------------------------- the record type
@dataclass(frozen=True, slots=True)
class OpRecord:
    """One charged operation, as seed 001 lists its fields."""

    op_name: str
    namespace: str | None
    subscripts: str | None
    shapes: tuple[tuple[int, ...], ...]
    flop_cost: int
    cumulative: int
    flopscope_context_start_offset_s: float
    flopscope_backend_duration_s: float
    flopscope_overhead_duration_s: float


class Totals:
    """Exact running totals of one (op, namespace) group."""

    __slots__ = ("backend_ns", "calls", "flop_cost", "overhead_ns")

    def __init__(self) -> None:
        self.flop_cost = 0
        self.calls = 0
        self.backend_ns = 0
        self.overhead_ns = 0


def _fold_block(block: np.ndarray, big: dict[int, int], base: int, into: dict) -> None:
    """Add the rows of ``block`` (n x FIELDS int64) into ``into[(op, ns)]`` exactly."""
    if len(block) == 0:
        return
    keys = block[:, 0].astype(np.int64) * (1 << 32) + block[:, 1]
    uniq, inverse = np.unique(keys, return_inverse=True)
    costs = block[:, 3]
    exact_in_int64 = not big and (int(costs.max(initial=0)) * len(block) <= _INT64_MAX)
    if exact_in_int64:
        cost_sums = _int_group_sum(inverse, costs, len(uniq))
    else:
        exact = [big.get(base + i, int(c)) if c == _BIG else int(c) for i, c in enumerate(costs)]
        cost_sums = [0] * len(uniq)
        for g, c in zip(inverse.tolist(), exact):
            cost_sums[g] += c
    calls = np.bincount(inverse, minlength=len(uniq))
    backend = _int_group_sum(inverse, block[:, 5], len(uniq))
    overhead = _int_group_sum(inverse, block[:, 6], len(uniq))
    for g, key in enumerate(uniq.tolist()):
        group = (key >> 32, key & 0xFFFFFFFF)
        tot = into.get(group)
        if tot is None:
            tot = into[group] = Totals()
        tot.flop_cost += int(cost_sums[g])
        tot.calls += int(calls[g])
        tot.backend_ns += int(backend[g])
        tot.overhead_ns += int(overhead[g])


def _int_group_sum(groups: np.ndarray, values: np.ndarray, n: int) -> list[int]:
    """Exact int64 per-group sums (``np.bincount`` would round through float64)."""
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, groups, values)
    return out.tolist()


class RecordBuffer:
    """The records of one budget: an open chunk, frozen chunks, and folded totals."""

    __slots__ = (
        "append",
        "big_costs",
        "chunks",
        "folded",
        "folded_records",
        "keep_log",
        "open",
    )

    def __init__(self, keep_log: bool = True) -> None:
        self.keep_log = keep_log
        self.open = array("q")
        #: ``extend`` of the open chunk, bound once: the dispatch path calls it directly.
        self.append = self.open.extend
        self.chunks: list[np.ndarray] = []
        self.big_costs: dict[int, int] = {}  # record index -> exact cost beyond int64
        self.folded: dict[tuple[int, int], Totals] = {}
        self.folded_records = 0  # records already folded into ``folded``

    def __len__(self) -> int:
        return self.folded_records + len(self.open) // FIELDS

    def record_big(self, row: tuple[int, int, int, int, int, int, int]) -> None:
        """Append a record whose cost does not fit in int64."""
        index = len(self)
        self.big_costs[index] = row[3]
        self.open.extend((row[0], row[1], row[2], _BIG, row[4], row[5], row[6]))

    def maybe_fold(self) -> None:
        if len(self.open) >= CHUNK_RECORDS * FIELDS:
            self.fold()

    def fold(self) -> None:
        """Fold the open chunk into the totals; keep it frozen (or drop it)."""
        if not self.open:
            return
        block = np.frombuffer(self.open, dtype=np.int64).reshape(-1, FIELDS).copy()
        _fold_block(block, self.big_costs, self.folded_records, self.folded)
        if self.keep_log:
            self.chunks.append(block)
        else:
            start = self.folded_records
            for index in [i for i in self.big_costs if i >= start]:
                del self.big_costs[index]
        self.folded_records += len(block)
        del self.open[:]

    def totals(self) -> dict[tuple[int, int], Totals]:
        """Exact per-(op id, namespace id) totals over every record so far."""
        merged: dict[tuple[int, int], Totals] = {}
        for key, tot in self.folded.items():
            copy = merged[key] = Totals()
            copy.flop_cost, copy.calls = tot.flop_cost, tot.calls
            copy.backend_ns, copy.overhead_ns = tot.backend_ns, tot.overhead_ns
        if self.open:
            block = np.frombuffer(self.open, dtype=np.int64).reshape(-1, FIELDS)
            _fold_block(block, self.big_costs, self.folded_records, merged)
        return merged

    def logged_rows(self) -> np.ndarray:
        """Every logged record as one (n x FIELDS) array (empty if the log is off)."""
        blocks = list(self.chunks)
        if self.open:
            blocks.append(np.frombuffer(self.open, dtype=np.int64).reshape(-1, FIELDS).copy())
        if not blocks:
            return np.zeros((0, FIELDS), dtype=np.int64)
        return np.concatenate(blocks)


class OpLog(Sequence[OpRecord]):
    """A read-only sequence of :class:`OpRecord`, materialised from the buffer on access."""

    def __init__(self, buffer: RecordBuffer) -> None:
        rows = buffer.logged_rows()
        self._rows = rows
        # With the log off only the open chunk is kept: its first record's global index.
        base = 0 if buffer.keep_log else buffer.folded_records
        costs = [
            buffer.big_costs[base + i] if c == _BIG else c
            for i, c in enumerate(rows[:, 3].tolist())
        ]
        self._costs = costs
        cumulative: list[int] = []
        running = 0 if buffer.keep_log else sum(t.flop_cost for t in buffer.folded.values())
        for cost in costs:
            running += cost
            cumulative.append(running)
        self._cumulative = cumulative

    def __len__(self) -> int:
        return len(self._rows)

    def _make(self, i: int) -> OpRecord:
        op_id, ns_id, sig_id, _, start, backend, overhead = self._rows[i].tolist()
        shapes, subscripts = _SIGS[sig_id]
        return OpRecord(
            op_name=_NAMES[op_id],
            namespace=_NAMESPACES[ns_id],
            subscripts=subscripts,
            shapes=shapes,
            flop_cost=self._costs[i],
            cumulative=self._cumulative[i],
            flopscope_context_start_offset_s=start / 1e9,
            flopscope_backend_duration_s=backend / 1e9,
            flopscope_overhead_duration_s=overhead / 1e9,
        )

    @overload
    def __getitem__(self, index: int) -> OpRecord: ...
    @overload
    def __getitem__(self, index: slice) -> list[OpRecord]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._make(i) for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("op_log index out of range")
        return self._make(index)

    def __iter__(self) -> Iterator[OpRecord]:
        for i in range(len(self)):
            yield self._make(i)

    def __repr__(self) -> str:
        return f"OpLog({len(self)} records)"


def op_name(op_id: int) -> str:
    return _NAMES[op_id]
