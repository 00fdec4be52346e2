"""``flopscope.numpy.lib.stride_tricks``: strided views that stay counted arrays (free)."""

from __future__ import annotations

from ..._namespace import populate as _populate

_names, __getattr__ = _populate(globals(), "lib.stride_tricks")
__all__ = list(_names)


def __dir__() -> list[str]:
    return __all__
