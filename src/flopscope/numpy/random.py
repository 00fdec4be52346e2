"""``flopscope.numpy.random``: counted random sampling.

Each draw costs one analytical FLOP per output element (``numel(output)``); the packaged
weights price ``randn`` and ``standard_normal`` at 16 and every other sampler at its
measured weight. ``shuffle`` / ``permutation`` / ``permuted`` cost
``n * ceil(log2 n)``; ``choice`` without replacement adds the permutation of its
population, ``dirichlet`` its normalisation and ``multivariate_normal`` the factorisation
of its covariance and the transform of its draws. Seeding and generator construction
(``seed``, ``SeedSequence``, the bit generators) are free. ``default_rng``,
``Generator(...)`` and ``RandomState(...)`` return counted wrappers whose sampling
methods are priced by the same rows as the module-level functions, so for a given seed
they draw exactly NumPy's values.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from .._dispatch import generator_methods as _generator_methods
from .._dispatch import register_wrapper as _register_wrapper
from .._namespace import populate as _populate
from .._registry import GENERATOR_FREE as _GENERATOR_FREE
from ..errors import UnsupportedFunctionError as _UnsupportedFunctionError


class _CountedGenerator:
    """Holds a NumPy generator; its sampling methods are counted (set on the class from
    the registry), its free attributes (``GENERATOR_FREE``) pass through, and any other
    public name is refused rather than run uncounted."""

    __slots__ = ("_wrapped",)

    def __init__(self, wrapped: Any) -> None:
        self._wrapped = wrapped

    def __getattr__(self, name: str) -> Any:
        if name == "_wrapped":  # not set yet (an instance being unpickled)
            raise AttributeError(name)
        if name.startswith("_") or name in _GENERATOR_FREE:
            return getattr(self._wrapped, name)
        kind = type(self._wrapped).__name__
        if hasattr(self._wrapped, name):
            raise _UnsupportedFunctionError(
                f"numpy.random.{kind}.{name} is not supported by flopscope yet: it is not "
                "in the operation registry, and flopscope does not let an operation run "
                "uncounted"
            )
        raise AttributeError(f"{kind!r} object has no attribute {name!r}")

    def __dir__(self) -> list[str]:
        return sorted(set(dir(type(self))) | (set(_GENERATOR_FREE) & set(dir(self._wrapped))))

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self._wrapped,)

    def __repr__(self) -> str:
        return f"counted {self._wrapped!r}"

    def __str__(self) -> str:  # print(rng) shows what NumPy shows
        return str(self._wrapped)


class CountedGenerator(_CountedGenerator):
    """A ``numpy.random.Generator`` whose draws are counted."""

    __slots__ = ()

    def spawn(self, n_children: int) -> list[CountedGenerator]:
        """Independent child generators (free: seeding is no floating-point work)."""
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
