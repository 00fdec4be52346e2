"""The operation log as records: :class:`OpRecord` and the :class:`OpLog` that
materialises them from a budget's compact records (``_records``) when ``op_log`` is read.

Loaded on first use (``budget.op_log``, ``flopscope.OpRecord``): counting a call never
builds a record object.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from ._records import _NAMES, _NAMESPACES, _SIGS, KEYS, BudgetRecords

__all__ = ["OpLog", "OpRecord"]


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


class OpLog(Sequence[OpRecord]):
    """A read-only sequence of :class:`OpRecord`, materialised from the records on access."""

    def __init__(self, records: BudgetRecords, t_start: int) -> None:
        rows, costs, dropped = records.snapshot()
        self._t_start = t_start
        self._rows = rows
        self._costs = costs
        cumulative: list[int] = []
        # With the log off only the latest records are kept; cumulative counts all.
        running = dropped
        for cost in costs:
            running += cost
            cumulative.append(running)
        self._cumulative = cumulative

    def __len__(self) -> int:
        return len(self._rows)

    def _make(self, i: int) -> OpRecord:
        key, _, t0, t1, t2, t3 = self._rows[i].tolist()
        op_id, ns_id, sig_id = KEYS[key]
        shapes, subscripts = _SIGS[sig_id]
        return OpRecord(
            op_name=_NAMES[op_id],
            namespace=_NAMESPACES[ns_id],
            subscripts=subscripts,
            shapes=shapes,
            flop_cost=self._costs[i],
            cumulative=self._cumulative[i],
            flopscope_context_start_offset_s=(t0 - self._t_start) / 1e9,
            flopscope_backend_duration_s=(t2 - t1) / 1e9,
            flopscope_overhead_duration_s=((t1 - t0) + (t3 - t2)) / 1e9,
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
