"""``flopscope.numpy.lib``: the parts of ``numpy.lib`` a program computes with.

``stride_tricks`` (``as_strided``, ``sliding_window_view``: counted views, free) and
``scimath`` (``flopscope.numpy.emath``). Other names of ``numpy.lib`` raise
``UnsupportedFunctionError`` rather than handing out uncounted arrays.
"""

from __future__ import annotations

from typing import Any

from ...errors import UnsupportedFunctionError as _UnsupportedFunctionError
from .. import emath as scimath
from . import stride_tricks

__all__ = ["scimath", "stride_tricks"]


def __getattr__(name: str) -> Any:
    raise _UnsupportedFunctionError(
        f"numpy.lib.{name} is not supported by flopscope: flopscope.numpy.lib offers "
        "stride_tricks and scimath"
    )


def __dir__() -> list[str]:
    return __all__
