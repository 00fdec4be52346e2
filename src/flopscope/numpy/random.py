"""``flopscope.numpy.random``: counted random sampling.

Each draw costs one analytical FLOP per output element (``numel(output)``); the packaged
weights price a draw at 16. ``shuffle`` / ``permutation`` cost ``n * ceil(log2 n)``.
Seeding and generator construction are free. ``default_rng``, ``Generator(...)`` and
``RandomState(...)`` return counted wrappers whose sampling methods are priced by the
same rows as the module-level functions.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from .._dispatch import generator_methods as _generator_methods
from .._dispatch import pending_message as _pending_message
from .._dispatch import register_wrapper as _register_wrapper
from .._namespace import populate as _populate
from .._registry import PENDING as _PENDING
from ..errors import UnsupportedFunctionError as _UnsupportedFunctionError


class _CountedGenerator:
    """Holds a NumPy generator; sampling methods are counted, the rest pass through."""

    __slots__ = ("_wrapped",)

    def __init__(self, wrapped: Any) -> None:
        self._wrapped = wrapped

    def __getattr__(self, name: str) -> Any:
        if f"random.{name}" in _PENDING:
            raise _UnsupportedFunctionError(_pending_message(f"random.{name}"))
        # seeding, state and bit-generator access: free
        return getattr(self._wrapped, name)

    def __repr__(self) -> str:
        return f"counted {self._wrapped!r}"


class CountedGenerator(_CountedGenerator):
    """A ``numpy.random.Generator`` whose draws are counted."""

    __slots__ = ()

    def spawn(self, n_children: int) -> list[CountedGenerator]:
        return [CountedGenerator(g) for g in self._wrapped.spawn(n_children)]


class CountedRandomState(_CountedGenerator):
    """A ``numpy.random.RandomState`` whose draws are counted."""

    __slots__ = ()


_generator_methods(CountedGenerator, _np.random.Generator)
_generator_methods(CountedRandomState, _np.random.RandomState)
_register_wrapper(_np.random.Generator, CountedGenerator)
_register_wrapper(_np.random.RandomState, CountedRandomState)

_names, __getattr__ = _populate(globals(), "random")
__all__ = [*_names, "CountedGenerator", "CountedRandomState"]


def __dir__() -> list[str]:
    return __all__
