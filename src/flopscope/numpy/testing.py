"""``flopscope.numpy.testing``: NumPy's assertion helpers, free of charge.

They compare counted or plain arrays as ``numpy.testing`` does; the comparison itself
is not charged to the budget.
"""

from __future__ import annotations

from .._namespace import populate as _populate

_names, __getattr__ = _populate(globals(), "testing")
__all__ = list(_names)


def __dir__() -> list[str]:
    return __all__
