"""Builds the public ``flopscope.numpy`` namespaces from the registry.

A namespace module calls :func:`populate` with its prefix (``""`` for
``flopscope.numpy``, ``"random"`` for ``flopscope.numpy.random``, ...). It gets every
counted and free row under that prefix, built when first looked up, and a module
``__getattr__`` that explains blocked names and NumPy names flopscope has not classified
yet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._dispatch import COUNTED, blocked_message, pending_message
from ._registry import PENDING_MODULES, REGISTRY, pending
from .errors import UnsupportedFunctionError

__all__ = ["populate"]


def _rows_under(prefix: str) -> dict[str, str]:
    """short name -> full row name, for rows directly under ``prefix``."""
    out = {}
    for name in REGISTRY:
        head, _, short = name.rpartition(".")
        if head == prefix:
            out[short] = name
    return out


def populate(namespace: dict[str, Any], prefix: str) -> tuple[list[str], Callable[[str], Any]]:
    """The rows under ``prefix`` for ``namespace``: (``__all__``, ``__getattr__``). A row's
    callable is built when the name is first looked up, and then kept in ``namespace``
    (building all of them would add milliseconds to every import)."""
    rows = {}
    blocked = {}
    for short, full in _rows_under(prefix).items():
        op = REGISTRY[full]
        if op.category == "blocked":
            blocked[short] = blocked_message(op)
        else:
            rows[short] = full
    module = "flopscope.numpy" + ("." + prefix if prefix else "")

    def __getattr__(name: str) -> Any:
        full = rows.get(name)
        if full is not None:
            fn = namespace[name] = COUNTED[full]
            return fn
        if name in blocked:
            raise UnsupportedFunctionError(blocked[name])
        if prefix in PENDING_MODULES and f"{prefix}.{name}" in pending():
            raise UnsupportedFunctionError(pending_message(f"{prefix}.{name}"))
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return sorted(rows), __getattr__
