"""``flopscope.numpy.emath`` (also ``flopscope.numpy.lib.scimath``): NumPy's math
functions that return complex results outside the real domain, counted as their real
counterparts are (one evaluation per output element)."""

from __future__ import annotations

from .._namespace import populate as _populate

_names, __getattr__ = _populate(globals(), "emath")
__all__ = list(_names)


def __dir__() -> list[str]:
    return __all__
