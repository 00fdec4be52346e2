"""``flopscope.numpy.polynomial``: the counted polynomial functions.

The ten functions of NumPy's classic polynomial API (``poly``, ``polyadd``, ``polysub``,
``polymul``, ``polydiv``, ``polyder``, ``polyint``, ``polyval``, ``polyfit``, ``roots``)
and ``poly1d``: the same counted callables as at the top level of ``flopscope.numpy``,
coefficients highest power first, as ``numpy.polyval`` takes them. Each docstring starts
with its cost formula (``polyval``: Horner, one multiply-add per coefficient per point).

NumPy's ``numpy.polynomial`` package (the ``Polynomial``, ``Chebyshev``, ... classes and
their modules, coefficients lowest power first) is not counted yet: its names raise
``UnsupportedFunctionError`` (an ``AttributeError``) instead of running uncounted.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from .._dispatch import COUNTED as _COUNTED
from .._dispatch import pending_message as _pending_message
from .._registry import POLYNOMIAL_ROWS as _POLYNOMIAL_ROWS
from ..errors import UnsupportedFunctionError as _UnsupportedFunctionError

for _name in _POLYNOMIAL_ROWS:
    globals()[_name] = _COUNTED[_name]

__all__ = sorted(_POLYNOMIAL_ROWS)


#: NumPy's numpy.polynomial names, not counted yet
def _pending() -> frozenset[str]:
    """NumPy's numpy.polynomial names, not counted yet (read when first asked: NumPy
    loads that package on first use)."""
    return frozenset(n for n in dir(_np.polynomial) if not n.startswith("_") and n != "test")


def __getattr__(name: str) -> Any:
    if not name.startswith("__") and name in _pending():
        raise _UnsupportedFunctionError(_pending_message(f"polynomial.{name}"))
    raise AttributeError(f"module 'flopscope.numpy.polynomial' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
