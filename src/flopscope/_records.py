"""The operation log: one compact record per charge, and every aggregate as a view of it.

A record is six int64 values packed into a preallocated buffer (48 bytes):

    key, FLOP cost, t0 (call entered), t1 (backend started), t2 (backend ended),
    t3 (call left)

(``perf_counter_ns`` readings; durations are derived when records are read), where the
key is an interned (operation, namespace, shapes, subscripts) tuple, so a loop that
repeats one operation adds 48 bytes per call and allocates nothing. When a buffer
fills, it is folded into exact per-(op, namespace) totals; with ``keep_log=True`` it is
then kept for ``op_log``, with ``keep_log=False`` it is reused, so memory stays bounded
while every aggregate stays exact. Summaries, ``op_log`` and the by-namespace view all
read these records; nothing keeps a tally of its own.

Free operations (creation, copying, joining, fancy indexing, ...) charge nothing and add
no record, but their time is flopscope's, not the user's: each budget keeps, per
namespace, the calls and the backend and overhead nanoseconds of its free calls, merged
into the totals under the reserved operation :data:`FREE_OP_ID`, which the views count in
the time fields and leave out of the list of operations.
"""

from __future__ import annotations

import struct
import threading

import numpy as np

__all__ = [
    "FREE_OP_ID",
    "INSTRUMENTED",
    "BudgetRecords",
    "RecordBuffer",
    "intern_key",
    "intern_name",
    "intern_namespace",
]

FIELDS = 6
RECORD = struct.Struct("<6q")
RECORD_BYTES = RECORD.size
pack_record = RECORD.pack_into
FIRST_CHUNK_RECORDS = 64
CHUNK_RECORDS = 1 << 14
INT64_MAX = (1 << 63) - 1
_BIG = -1  # cost field sentinel: the exact cost is in RecordBuffer.big_costs

# ---------------------------------------------------------------- interning tables
_NAMES: list[str] = []
_NAME_IDS: dict[str, int] = {}
_NAMESPACES: list[str | None] = [None]
_NAMESPACE_IDS: dict[str | None, int] = {None: 0}
_SIGS: list[tuple[tuple[tuple[int, ...], ...], str | None]] = []
_SIG_IDS: dict[tuple[tuple[tuple[int, ...], ...], str | None], int] = {}
#: key id -> (op id, namespace id, signature id)
KEYS: list[tuple[int, int, int]] = []
_KEY_IDS: dict[tuple[int, int, int], int] = {}


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


def intern_key(
    op_id: int, ns_id: int, shapes: tuple[tuple[int, ...], ...], subscripts: str | None = None
) -> int:
    """The record key of one (operation, namespace, input shapes, subscripts)."""
    sig = (shapes, subscripts)
    sig_id = _SIG_IDS.get(sig)
    if sig_id is None:
        sig_id = _SIG_IDS[sig] = len(_SIGS)
        _SIGS.append(sig)
    triple = (op_id, ns_id, sig_id)
    key = _KEY_IDS.get(triple)
    if key is None:
        key = _KEY_IDS[triple] = len(KEYS)
        KEYS.append(triple)
    return key


#: the reserved operation id under which free calls' time is merged into the totals
FREE_OP_ID = intern_name("(free operations)")
#: ``BudgetRecords.owner`` while every record takes the slow path (instrumented settings
#: such as ``check_nan_inf``): no thread has this ident, so the fast paths' owner test fails
INSTRUMENTED = -1


class Totals:
    """Exact running totals of one (op, namespace) group."""

    __slots__ = ("backend_ns", "calls", "flop_cost", "overhead_ns")

    def __init__(self) -> None:
        self.flop_cost = 0
        self.calls = 0
        self.backend_ns = 0
        self.overhead_ns = 0

    def add(self, other: Totals, sign: int = 1) -> None:
        self.flop_cost += sign * other.flop_cost
        self.calls += sign * other.calls
        self.backend_ns += sign * other.backend_ns
        self.overhead_ns += sign * other.overhead_ns


def add_totals(into: dict, key: object, tot: Totals, sign: int = 1) -> None:
    """``into[key] += tot`` (``-=`` with ``sign=-1``), creating the entry if needed."""
    acc = into.get(key)
    if acc is None:
        acc = into[key] = Totals()
    acc.add(tot, sign)


def _int_group_sum(groups: np.ndarray, values: np.ndarray, n: int) -> list[int]:
    """Exact int64 per-group sums (``np.bincount`` would round through float64)."""
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, groups, values)
    return out.tolist()


def _fold_block(block: np.ndarray, big: dict[int, int], base: int, into: dict) -> None:
    """Add the rows of ``block`` (n x FIELDS int64) into ``into[(op, ns)]`` exactly."""
    if len(block) == 0:
        return
    uniq, inverse = np.unique(block[:, 0], return_inverse=True)
    costs = block[:, 1]
    has_big = bool((costs == _BIG).any())
    if not has_big and int(costs.max()) * len(block) <= INT64_MAX:
        cost_sums = _int_group_sum(inverse, costs, len(uniq))
    else:  # beyond int64: exact Python ints
        cost_sums = [0] * len(uniq)
        for i, (g, c) in enumerate(zip(inverse.tolist(), costs.tolist())):
            cost_sums[g] += big[base + i] if c == _BIG else c
    calls = np.bincount(inverse, minlength=len(uniq)).tolist()
    t0, t1, t2, t3 = block[:, 2], block[:, 3], block[:, 4], block[:, 5]
    backend = _int_group_sum(inverse, t2 - t1, len(uniq))
    overhead = _int_group_sum(inverse, (t1 - t0) + (t3 - t2), len(uniq))
    for g, key in enumerate(uniq.tolist()):
        op_id, ns_id, _ = KEYS[key]
        tot = into.get((op_id, ns_id))
        if tot is None:
            tot = into[(op_id, ns_id)] = Totals()
        tot.flop_cost += cost_sums[g]
        tot.calls += calls[g]
        tot.backend_ns += backend[g]
        tot.overhead_ns += overhead[g]


class RecordBuffer:
    """The records of one budget: the open buffer, full buffers, and folded totals.

    The dispatch path writes a record with ``pack_record(buf.data, buf.offset, ...)``
    and advances ``offset``; ``roll()`` runs when ``offset`` reaches ``capacity``.
    """

    __slots__ = (
        "big_costs",
        "capacity",
        "chunks",
        "data",
        "folded",
        "folded_records",
        "keep_log",
        "offset",
    )

    def __init__(self, keep_log: bool = True) -> None:
        self.keep_log = keep_log
        self.data = bytearray(FIRST_CHUNK_RECORDS * RECORD_BYTES)
        self.capacity = len(self.data)
        self.offset = 0
        self.chunks: list[np.ndarray] = []  # full buffers kept for op_log
        self.big_costs: dict[int, int] = {}  # record index -> exact cost beyond int64
        self.folded: dict[tuple[int, int], Totals] = {}
        self.folded_records = 0  # records already folded into ``folded``

    def __len__(self) -> int:
        return self.folded_records + self.offset // RECORD_BYTES

    def _open_block(self) -> np.ndarray:
        return np.frombuffer(self.data, dtype=np.int64, count=self.offset // 8).reshape(-1, FIELDS)

    def roll(self) -> None:
        """Fold the open buffer into the totals; keep it (or reuse it) and start another."""
        block = self._open_block()
        _fold_block(block, self.big_costs, self.folded_records, self.folded)
        if self.keep_log:
            self.chunks.append(block.copy())
        else:
            start = self.folded_records
            for index in [i for i in self.big_costs if i >= start]:
                del self.big_costs[index]
        self.folded_records += len(block)
        if self.keep_log or self.capacity < CHUNK_RECORDS * RECORD_BYTES:
            self.data = bytearray(CHUNK_RECORDS * RECORD_BYTES)
            self.capacity = len(self.data)
        self.offset = 0

    def add(self, key: int, cost: int, t0: int, t1: int, t2: int, t3: int) -> None:
        """Write a record (the dispatch path inlines the common case of this)."""
        if self.offset >= self.capacity:
            self.roll()
        if cost > INT64_MAX:
            self.big_costs[len(self)] = cost
            cost = _BIG
        pack_record(self.data, self.offset, key, cost, t0, t1, t2, t3)
        self.offset += RECORD_BYTES

    def totals(self) -> dict[tuple[int, int], Totals]:
        """Exact per-(op id, namespace id) totals over every record so far."""
        merged: dict[tuple[int, int], Totals] = {}
        for key, tot in self.folded.items():
            add_totals(merged, key, tot)
        _fold_block(self._open_block(), self.big_costs, self.folded_records, merged)
        return merged

    def logged_rows(self) -> tuple[int, np.ndarray]:
        """(global index of the first row, every logged record as an n x FIELDS array)."""
        blocks = [*self.chunks, self._open_block().copy()]
        base = 0 if self.keep_log else self.folded_records
        return base, np.concatenate(blocks) if len(blocks) > 1 else blocks[0]


class BudgetRecords:
    """All records of one budget.

    The thread that entered the budget (``thread``) writes its records into ``own``
    without a lock: that is the hot path. Any other thread charging the budget (a
    thread started inside the context, ``asyncio.to_thread``, ...) writes into
    ``shared`` under ``lock``. Folding the owner's buffer and every read take the lock,
    so a reader never sees a half-rolled buffer.

    The fast paths compare the calling thread with ``owner``: the owning thread's ident,
    or :data:`INSTRUMENTED` while a setting routes every record through the slow path
    (``_budget.record_slow``), which then finds the right buffer by ``thread``.

    ``free`` holds the time of free calls per namespace id. The active scope carries the
    namespace's accumulator (see ``_budget``), so booking a free call is three additions
    without a lookup or a lock. Free time is a measurement, not a charge: two threads
    booking into one accumulator at the same instant could, in rare cases, lose one
    update (that time then shows as residual); FLOP charges and records are never lost.
    """

    __slots__ = ("free", "keep_log", "lock", "own", "owner", "shared", "thread")

    def __init__(self, keep_log: bool = True) -> None:
        self.keep_log = keep_log
        self.thread = threading.get_ident()
        self.owner = self.thread
        self.own = RecordBuffer(keep_log)
        self.shared = RecordBuffer(keep_log)
        self.lock = threading.Lock()
        self.free: dict[int, Totals] = {}

    def __len__(self) -> int:
        return len(self.own) + len(self.shared)

    def add_own(self, key: int, cost: int, t0: int, t1: int, t2: int, t3: int) -> None:
        """The owner's slow path: roll a full buffer, or a cost beyond int64."""
        with self.lock:
            self.own.add(key, cost, t0, t1, t2, t3)

    def add_foreign(self, key: int, cost: int, t0: int, t1: int, t2: int, t3: int) -> None:
        with self.lock:
            self.shared.add(key, cost, t0, t1, t2, t3)

    def free_totals(self, ns_id: int) -> Totals:
        """The accumulator of free calls' time in namespace ``ns_id``."""
        tot = self.free.get(ns_id)
        if tot is None:
            with self.lock:
                tot = self.free.setdefault(ns_id, Totals())
        return tot

    def totals(self) -> dict[tuple[int, int], Totals]:
        """Exact per-(op id, namespace id) totals; free calls under ``FREE_OP_ID``."""
        with self.lock:
            merged = self.own.totals()
            for key, tot in self.shared.totals().items():
                add_totals(merged, key, tot)
            for ns_id, tot in list(self.free.items()):
                add_totals(merged, (FREE_OP_ID, ns_id), tot)
            return merged

    def snapshot(self) -> tuple[np.ndarray, list[int], int]:
        """(logged rows in time order, their exact costs, FLOPs folded and dropped)."""
        with self.lock:
            parts = []
            dropped = 0
            for buffer in (self.own, self.shared):
                base, rows = buffer.logged_rows()
                costs = [
                    buffer.big_costs[base + i] if c == _BIG else c
                    for i, c in enumerate(rows[:, 1].tolist())
                ]
                parts.append((rows, costs))
                if not buffer.keep_log:
                    dropped += sum(t.flop_cost for t in buffer.folded.values())
        rows = np.concatenate([p[0] for p in parts])
        costs = parts[0][1] + parts[1][1]
        order = np.argsort(rows[:, 2], kind="stable")
        return rows[order], [costs[i] for i in order.tolist()], dropped


def op_name(op_id: int) -> str:
    return _NAMES[op_id]


def signature(key: int) -> tuple[tuple[tuple[int, ...], ...], str | None]:
    """(input shapes, subscripts) of a record key."""
    return _SIGS[KEYS[key][2]]
