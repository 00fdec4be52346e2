"""``flopscope.numpy.linalg``: counted linear algebra.

No linalg routine is in the registry yet; each NumPy name raises
``UnsupportedFunctionError`` (an ``AttributeError``) instead of running uncounted.
Use ``fnp.matmul`` / ``@`` / ``fnp.einsum`` for products.
"""

from __future__ import annotations

from numpy.linalg import LinAlgError

from .._namespace import populate as _populate

_names, __getattr__ = _populate(globals(), "linalg")
__all__ = [*_names, "LinAlgError"]


def __dir__() -> list[str]:
    return __all__
