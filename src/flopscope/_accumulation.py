"""Accumulation costs: an operation's work split into multiplications and additions.

:func:`flopscope.einsum_accumulation_cost` and
:func:`flopscope.reduction_accumulation_cost` return an :class:`AccumulationCost`. It
counts each multiplication and each addition once: it is an analytical decomposition,
neither weighted nor scaled by ``fma_cost``, and computing it runs and charges nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AccumulationCost", "AccumulationStep"]


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative int, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class AccumulationStep:
    """One pairwise (or single-operand) step of an einsum's contraction path.

    ``products``: the iterations of the step's loop nest, each forming one product of
    its operands' entries (after any symmetric saving: only the distinct entries of a
    symmetric output are computed). ``multiplications = products * (operands - 1)``,
    ``additions = products``: every product is added into a zeroed output.
    """

    positions: tuple[int, ...]  # the operands it contracts, in the current operand list
    subscripts: str  # e.g. 'ij,jk->ik'
    products: int
    multiplications: int
    additions: int

    @property
    def total(self) -> int:
        """``multiplications + additions``."""
        return self.multiplications + self.additions


@dataclass(frozen=True, slots=True)
class AccumulationCost:
    """What an operation does, counted: ``multiplications`` and ``additions`` (each one
    operation), ``total`` their sum.

    ``steps``: for an einsum, one :class:`AccumulationStep` per step of its contraction
    path (their counts add up to the totals); empty for a reduction. ``description``
    names the operation; ``breakdown``: lines saying how the counts arise where there
    are no steps (a reduction). ``str()`` shows the totals, then the steps or the
    breakdown.

    The counts are analytical, each operation once: not weighted, and not multiplied by
    ``fma_cost`` (a two-operand contraction's ``total`` equals its ``einsum_cost`` under
    ``fma_cost=2``).
    """

    multiplications: int
    additions: int
    steps: tuple[AccumulationStep, ...] = ()
    description: str = ""
    breakdown: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _count(self.multiplications, "multiplications")
        _count(self.additions, "additions")
        if self.steps and (
            sum(s.multiplications for s in self.steps) != self.multiplications
            or sum(s.additions for s in self.steps) != self.additions
        ):
            raise ValueError("the steps' counts must add up to the totals")

    @property
    def total(self) -> int:
        """``multiplications + additions``."""
        return self.multiplications + self.additions

    def __str__(self) -> str:
        head = f"{self.description}: " if self.description else ""
        lines = [
            f"{head}{self.total:,} operations "
            f"({self.multiplications:,} multiplications + {self.additions:,} additions)"
        ]
        if self.steps:
            width = max(len("subscripts"), *(len(s.subscripts) for s in self.steps))
            lines.append(
                f"  {'step':>4}  {'subscripts':<{width}}  {'products':>14}  "
                f"{'multiplications':>16}  {'additions':>14}"
            )
            for i, s in enumerate(self.steps):
                lines.append(
                    f"  {i:>4}  {s.subscripts:<{width}}  {s.products:>14,}  "
                    f"{s.multiplications:>16,}  {s.additions:>14,}"
                )
        lines.extend(f"  {line}" for line in self.breakdown)
        return "\n".join(lines)
