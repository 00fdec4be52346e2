"""Sample data shared by test modules (imported by name: pytest puts tests/ on the path)."""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import flopscope as flops

#: every numeric dtype a parameter file must round-trip, bool to complex128
FILE_DTYPES = [
    np.bool_,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
    np.float16,
    np.float32,
    np.float64,
    np.complex64,
    np.complex128,
]


# ---------------------------------------------------------------- registry samples
RNG = np.random.default_rng(1234)


def unit(shape, dtype=np.float64):
    """Values in (0.1, 0.9): inside the domain of every real ufunc."""
    return (RNG.random(shape) * 0.8 + 0.1).astype(dtype)


def small_ints(shape, dtype=np.int64):
    return RNG.integers(1, 7, shape).astype(dtype)


def numel(shape) -> int:
    return math.prod(shape)


def log2ceil(n: int) -> int:
    return max(1, math.ceil(math.log2(n))) if n > 1 else 1


class Case:
    """One call of a counted row: positional args, keyword args and the documented cost,
    written independently of the row's rule."""

    def __init__(
        self,
        args: tuple,
        kwargs: dict | None = None,
        cost: int | None = None,
        seed: int | None = None,
        values: bool = True,
    ) -> None:
        self.args = args
        self.kwargs = kwargs or {}
        self.cost = cost
        self.seed = seed  # reseed NumPy's global generator before each call
        self.values = values  # compare values (False: shape and dtype only)

    def __repr__(self) -> str:
        shapes = [getattr(a, "shape", type(a).__name__) for a in self.args]
        return f"Case{shapes}{sorted(self.kwargs)}"


def case(args, kwargs=None, cost=None, **kw) -> Callable[[], Case]:
    """A maker of one :class:`Case` (built fresh for every test that uses it)."""
    return lambda: Case(args, kwargs, cost, **kw)


def case_tables() -> tuple[dict[str, list], dict[str, list]]:
    """The samples of every section file ``tests/cases_*.py``: its ``CASES`` (counted row
    -> list of :func:`case` makers) and its ``FREE`` (free row -> list of makers of
    ``(args, kwargs)``). A row may appear in one file only."""
    counted: dict[str, list] = {}
    free: dict[str, list] = {}
    for path in sorted(Path(__file__).parent.glob("cases_*.py")):
        module = importlib.import_module(path.stem)
        for table, into in (
            (getattr(module, "CASES", {}), counted),
            (getattr(module, "FREE", {}), free),
        ):
            for name, makers in table.items():
                assert name not in into, f"{name}: samples in two section files"
                into[name] = list(makers)
    return counted, free


@contextmanager
def unit_weights(fma_cost: int = 1) -> Iterator[None]:
    """Every operation weighs 1.0 and an FMA counts ``fma_cost`` inside the block; the
    packaged table and the previous convention come back after."""
    flops.reset_weights()
    previous = flops.configure()["fma_cost"]
    flops.configure(fma_cost=fma_cost)
    try:
        yield
    finally:
        flops.configure(fma_cost=previous)
        flops.load_weights()
