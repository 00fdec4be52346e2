"""How to call every counted registry row for calibration.

A :class:`Case` says, for one row, its category and how to build a call of the row's
NumPy function at a size and on an input distribution. The runner prices each call with
the row's own cost rule (``REGISTRY[name].rule(args, kwargs)``: the analytical FLOPs, one
source of truth with the budget) and times NumPy running it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["CATEGORIES", "CASES", "Call", "Case"]

#: the categories of seed 004, in the order the runner measures them
CATEGORIES = (
    "pointwise",
    "reductions",
    "linalg",
    "linalg_delegates",
    "fft",
    "sorting",
    "random",
    "polynomial",
    "contractions",
    "misc",
    "window",
    "bitwise",
    "complex",
)


@dataclass(frozen=True)
class Call:
    """One call: ``function(*args, **kwargs)`` runs NumPy (``out=`` preallocated where the
    function takes one); the cost rule sees ``args`` and ``kwargs`` without ``out``."""

    function: Callable[..., Any]
    args: tuple
    kwargs: dict


@dataclass(frozen=True)
class Case:
    """The calibration of one counted row."""

    name: str  # the registry row (its billing name: aliases and twins share it)
    category: str
    #: (size, distribution, generator) -> the call; ``size`` is the case's own measure
    #: (elements for pointwise, the matrix order for linalg, ...)
    make: Callable[[int, str, np.random.Generator], Call]
    sizes: tuple[int, ...]
    distributions: tuple[str, ...] = ("normal",)
    blas: bool = False  # BLAS/LAPACK-backed: no ufunc dispatch overhead subtracted
    quick_sizes: tuple[int, ...] = ()  # ``--quick``: fewer, smaller sizes


#: row name -> its case (filled in below; every counted row has one)
CASES: dict[str, Case] = {}
