"""Which hot path runs: the compiled one (``flopscope._hotpath``, built from
``_hotpath.c`` at install where a C compiler is found) or the pure-Python bodies of
``_dispatch``, which are its reference and its fallback. ``FLOPSCOPE_PURE_PYTHON=1`` in
the environment selects the pure-Python path."""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["HOT_PATH", "hotpath"]

PURE_PYTHON = os.environ.get("FLOPSCOPE_PURE_PYTHON", "").strip() not in ("", "0")

hotpath: ModuleType | None = None
if not PURE_PYTHON:
    try:
        from . import _hotpath as hotpath  # type: ignore[attr-defined, no-redef]
    except ImportError:  # not built here: the pure-Python path
        hotpath = None

#: "compiled" or "python": the body that counted ufunc calls take
HOT_PATH = "compiled" if hotpath is not None else "python"
