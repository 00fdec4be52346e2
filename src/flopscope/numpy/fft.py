"""``flopscope.numpy.fft``: counted Fourier transforms.

No transform is in the registry yet; each NumPy name raises
``UnsupportedFunctionError`` (an ``AttributeError``) instead of running uncounted.
"""

from __future__ import annotations

from .._namespace import populate as _populate

_names, __getattr__ = _populate(globals(), "fft")
__all__ = list(_names)


def __dir__() -> list[str]:
    return __all__
