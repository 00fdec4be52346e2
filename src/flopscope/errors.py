"""Exceptions raised by flopscope.

Every error derives from :class:`FlopscopeError`, so ``except FlopscopeError`` catches
anything the library raises on its own account. Several also derive from the built-in
exception a NumPy user would expect (``AttributeError`` for a name that is not available,
``TypeError`` for a dtype that cannot be counted, ``ValueError`` for bad data).
:class:`SymmetryLossWarning` is a warning, not an error.
"""

from __future__ import annotations

__all__ = [
    "BudgetExhaustedError",
    "FlopscopeError",
    "ModuleFileError",
    "NonFiniteResultError",
    "SymmetryError",
    "SymmetryLossWarning",
    "TimeExhaustedError",
    "UnsupportedDtypeError",
    "UnsupportedFunctionError",
]


class FlopscopeError(Exception):
    """Base class of every flopscope error."""


class BudgetExhaustedError(FlopscopeError):
    """An operation would take the budget past its limit; it did not run."""

    def __init__(self, op_name: str, *, flop_cost: int, flops_remaining: int) -> None:
        self.op_name = op_name
        self.flop_cost = flop_cost
        self.flops_remaining = flops_remaining
        super().__init__(
            f"{op_name} would cost {flop_cost:,} FLOPs but only {flops_remaining:,} remain "
            "in the budget; the operation did not run"
        )

    def __reduce__(self):  # keep the keyword-only constructor picklable
        return (_rebuild_budget_error, (self.op_name, self.flop_cost, self.flops_remaining))


def _rebuild_budget_error(op_name: str, flop_cost: int, flops_remaining: int):
    return BudgetExhaustedError(op_name, flop_cost=flop_cost, flops_remaining=flops_remaining)


class TimeExhaustedError(FlopscopeError):
    """The context's wall-clock limit has passed (checked at operation boundaries)."""

    def __init__(self, op_name: str, *, elapsed_s: float, limit_s: float) -> None:
        self.op_name = op_name
        self.elapsed_s = elapsed_s
        self.limit_s = limit_s
        super().__init__(
            f"wall-time limit of {limit_s:g} s exceeded at {op_name} (elapsed {elapsed_s:.6f} s)"
        )

    def __reduce__(self):
        return (_rebuild_time_error, (self.op_name, self.elapsed_s, self.limit_s))


def _rebuild_time_error(op_name: str, elapsed_s: float, limit_s: float):
    return TimeExhaustedError(op_name, elapsed_s=elapsed_s, limit_s=limit_s)


class UnsupportedFunctionError(FlopscopeError, AttributeError):
    """A name that flopscope blocks, or a NumPy function it has not classified."""


class UnsupportedDtypeError(FlopscopeError, TypeError):
    """A counted operation was given object, string or other non-numeric data."""


class ModuleFileError(FlopscopeError, ValueError):
    """A parameter file cannot be read or saved as asked: it is corrupt, was written for
    another class, lacks a parameter or holds one the class does not declare. The
    message names the file and the key."""


class NonFiniteResultError(FlopscopeError, FloatingPointError):
    """With ``configure(check_nan_inf=True)``: a counted operation's result holds NaN or
    Inf. The operation ran and was charged; ``op_name`` and ``record_index`` (its index
    in the budget's ``op_log``) say which."""

    def __init__(self, message: str, *, op_name: str = "", record_index: int = -1) -> None:
        self.op_name = op_name
        self.record_index = record_index
        super().__init__(message)

    def __reduce__(self):
        return (_rebuild_non_finite, (self.args[0], self.op_name, self.record_index))


def _rebuild_non_finite(message: str, op_name: str, record_index: int):
    return NonFiniteResultError(message, op_name=op_name, record_index=record_index)


class SymmetryError(FlopscopeError, ValueError):
    """Data declared symmetric is not: some generator of the declared group moves an entry
    onto one that differs beyond the documented tolerance (that of
    ``SymmetryGroup.is_symmetric``)."""


class SymmetryLossWarning(UserWarning):
    """An operation on a symmetric tensor could not carry (all of) its symmetry to the
    result; ``flopscope.configure(symmetry_warnings=False)`` silences it."""


class DryRunValueError(FlopscopeError, ValueError):
    """A dry run (``flops.dry_run()``) met a question only values can answer: a value read
    back into Python (``float(x)``, ``if x > 0``, ``x.tolist()``), a result whose shape
    depends on values (``unique``, a boolean mask), or a shape-only stand-in used outside
    the dry run that made it. The message names the line."""
