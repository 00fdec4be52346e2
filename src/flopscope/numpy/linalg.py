"""``flopscope.numpy.linalg``: counted linear algebra.

The products are registered: ``multi_dot`` (priced at the cheapest multiplication
order, the one NumPy runs), ``matmul``, ``tensordot``, ``vecdot``, ``outer`` and
``trace``, priced like their top-level namesakes, and the free views
``matrix_transpose`` and ``diagonal``. The decompositions, solvers and norms (``svd``,
``inv``, ``solve``, ``norm``, ...) are not yet: each raises
``UnsupportedFunctionError`` (an ``AttributeError``) instead of running uncounted.
"""

from __future__ import annotations

from numpy.linalg import LinAlgError

from .._namespace import populate as _populate

_names, __getattr__ = _populate(globals(), "linalg")
__all__ = [*_names, "LinAlgError"]


def __dir__() -> list[str]:
    return __all__
