"""Process-wide settings of the cost model: the one owner of ``configure``'s state."""

from __future__ import annotations

__all__ = ["SETTINGS", "configure"]


class _Settings:
    """The active settings. Read on the hot path as plain attribute loads."""

    __slots__ = ("fma_cost",)

    def __init__(self) -> None:
        #: FLOPs charged per fused multiply-add (1: the default model; 2: count the
        #: multiply and the add separately). Applies to every row whose work is FMAs.
        self.fma_cost: int = 1


SETTINGS = _Settings()


def configure(*, fma_cost: int | None = None) -> dict[str, int]:
    """Change process-wide settings; return the settings now in force.

    ``fma_cost``: 1 (default) counts a fused multiply-add as one FLOP, so
    ``(m,k) @ (k,n)`` costs ``m*k*n``; 2 counts it as two (``2*m*k*n``). It switches the
    whole model at once: einsum, the matmul family and every FMA-based formula, in
    charges and in the cost queries alike.
    """
    if fma_cost is not None:
        if isinstance(fma_cost, bool) or not isinstance(fma_cost, int) or fma_cost not in (1, 2):
            raise ValueError(f"fma_cost must be 1 or 2, got {fma_cost!r}")
        SETTINGS.fma_cost = int(fma_cost)
    return {"fma_cost": SETTINGS.fma_cost}
