"""The counted NumPy surface: ``import flopscope.numpy as fnp``.

Every function here is a row of the operation registry (``flopscope._registry``),
turned into a counted callable by the one dispatch path. Types, dtypes and constants
are NumPy's own, except ``ndarray``: the counted array type. Blocked names raise
``AttributeError`` (``UnsupportedFunctionError``) saying why; NumPy names flopscope has
not classified yet raise the same error instead of running uncounted.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from .. import _array_protocol  # noqa: F401  (installs the counted types' operators)
from .._budget import budget_summary as budget_summary
from .._budget import budget_summary_dict as budget_summary_dict
from .._budget import namespace as namespace
from .._dispatch import wrap as _wrap
from .._namespace import populate as _populate
from .._ndarray import ndarray as ndarray
from .._registry import PASSTHROUGH as _PASSTHROUGH

_names, _row_getattr = _populate(globals(), "")


def __getattr__(name: str) -> Any:
    # ``testing`` and ``random`` load on first use, as NumPy's own do
    if name in ("testing", "random"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    return _row_getattr(name)


for _name in _PASSTHROUGH:
    globals()[_name] = getattr(_np, _name)

#: NumPy's version (flopscope's own is ``flopscope.__version__``)
__version__ = _np.__version__

# NumPy's iterator classes, handing out counted scalars
from .._ndarray import ndenumerate as ndenumerate  # noqa: E402


class _IndexTrick:
    """``r_``, ``c_``, ``mgrid``, ``ogrid``: NumPy's index tricks, giving counted arrays."""

    __slots__ = ("_trick",)

    def __init__(self, trick: Any) -> None:
        self._trick = trick

    def __getitem__(self, key: Any) -> Any:
        return _wrap(self._trick[key])

    def __repr__(self) -> str:
        return repr(self._trick)


r_ = _IndexTrick(_np.r_)
c_ = _IndexTrick(_np.c_)
mgrid = _IndexTrick(_np.mgrid)
ogrid = _IndexTrick(_np.ogrid)

from numpy import exceptions as exceptions  # noqa: E402  (NumPy's exception types)

from . import emath as emath  # noqa: E402  (submodules need the names above)
from . import fft as fft  # noqa: E402
from . import lib as lib  # noqa: E402
from . import linalg as linalg  # noqa: E402
from . import polynomial as polynomial  # noqa: E402

__all__ = sorted(
    {
        *_names,
        *_PASSTHROUGH,
        "ndarray",
        "ndenumerate",
        "namespace",
        "budget_summary",
        "budget_summary_dict",
        "r_",
        "c_",
        "mgrid",
        "ogrid",
        "emath",
        "exceptions",
        "fft",
        "lib",
        "linalg",
        "polynomial",
        "random",
        "testing",
    }
)


def __dir__() -> list[str]:
    return __all__
