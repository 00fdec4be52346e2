"""Process-wide settings of the cost model: the one owner of ``configure``'s state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["NO_LIMIT", "ON_CHANGE", "SETTINGS", "configure"]


class _Settings:
    """The active settings. Read on the hot path as plain attribute loads."""

    __slots__ = ("check_nan_inf", "fma_cost", "symmetry_warnings")

    def __init__(self) -> None:
        #: FLOPs charged per fused multiply-add (1: the default model; 2: count the
        #: multiply and the add separately). Applies to every row whose work is FMAs.
        self.fma_cost: int = 1
        #: after each counted call, look for NaN / Inf in its result: False (off),
        #: "raise" (``NonFiniteResultError``, a ``FloatingPointError``) or "warn".
        self.check_nan_inf: bool | str = False
        #: emit a ``SymmetryLossWarning`` when an operation on a SymmetricTensor gives a
        #: result that does not keep its declared symmetry.
        self.symmetry_warnings: bool = True

    @property
    def instrumented(self) -> bool:
        """Whether every record must take the slow path (a check runs after each call)."""
        return bool(self.check_nan_inf)


SETTINGS = _Settings()

#: a budget this large is no limit (a dry run without one): shown as such
NO_LIMIT = 2**62

#: Called with no arguments after settings change (the budgets re-route their records
#: when ``instrumented`` flips). Filled by the modules that own the affected state.
ON_CHANGE: list[Callable[[], None]] = []


def _fma_cost(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2):
        raise ValueError(f"fma_cost must be 1 or 2, got {value!r}")
    return int(value)


def _check_nan_inf(value: Any) -> bool | str:
    if isinstance(value, bool):
        return "raise" if value else False
    if isinstance(value, str) and value in ("raise", "warn"):
        return value
    raise ValueError(f"check_nan_inf must be True, False, 'raise' or 'warn', got {value!r}")


def _flag(name: str) -> Callable[[Any], bool]:
    def validate(value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False, got {value!r}")
        return value

    return validate


#: setting name -> validator returning the value to store
_VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "fma_cost": _fma_cost,
    "check_nan_inf": _check_nan_inf,
    "symmetry_warnings": _flag("symmetry_warnings"),
}


def configure(**settings: Any) -> dict[str, Any]:
    """Change process-wide settings; return every setting now in force.

    ``fma_cost`` (1 or 2, default 1): 1 counts a fused multiply-add as one FLOP, so
    ``(m,k) @ (k,n)`` costs ``m*k*n``; 2 counts it as two (``2*m*k*n``). It switches the
    whole model at once: einsum, the matmul family and every FMA-based formula, in
    charges and in the cost queries alike.

    ``check_nan_inf`` (default False): after each counted call, a result holding NaN or
    Inf raises :class:`~flopscope.errors.NonFiniteResultError` (a ``FloatingPointError``)
    naming the operation and its record; ``"warn"`` emits a ``RuntimeWarning`` instead
    (``True`` is ``"raise"``). The operation has run and is charged. The check's time
    is overhead time; when off, counted calls pay nothing for it.

    ``symmetry_warnings`` (bool, default True): a pointwise operation on a
    :class:`~flopscope.SymmetricTensor` whose result does not keep the declared symmetry
    (an operand that shares none, ``out=``, ``where=``) emits one
    :class:`~flopscope.SymmetryLossWarning` per call; False silences it. The result
    and its price (every element) are the same either way.

    An unknown name raises ``TypeError`` (as an unexpected keyword argument would), a bad
    value ``ValueError``; either way nothing changes.
    """
    unknown = sorted(set(settings) - set(_VALIDATORS))
    if unknown:
        raise TypeError(
            f"configure() got unknown setting(s) {', '.join(map(repr, unknown))}; "
            f"the settings are {', '.join(_VALIDATORS)}"
        )
    validated = {name: _VALIDATORS[name](value) for name, value in settings.items()}
    for name, value in validated.items():
        setattr(SETTINGS, name, value)
    if validated:
        for hook in ON_CHANGE:
            hook()
    return {name: getattr(SETTINGS, name) for name in _VALIDATORS}
