"""Per-operation weights: the one owner of the weight table.

A weight scales an operation's analytical cost into the FLOPs a budget is charged::

    charged = analytical(shapes) * flop_multiplier * weight(op_name)

The packaged table (``flopscope/data/weights.json``, a reviewed artifact kept in the
repository) loads when flopscope is imported. ``FLOPSCOPE_WEIGHTS_FILE=path`` loads that
file instead; ``FLOPSCOPE_DISABLE_WEIGHTS=1`` starts with unit weights. Names missing
from the table weigh 1.0, so a partial file works. Cost *queries* never apply weights.
"""

from __future__ import annotations

import json
import math
import os

__all__ = [
    "WEIGHTS",
    "get_weight",
    "load_weights",
    "packaged_weights",
    "reset_weights",
    "weights_source",
]

#: name -> weight. Mutated in place (never rebound) so the dispatch path can hold
#: ``WEIGHTS.get`` as a bound method.
WEIGHTS: dict[str, float] = {}

#: where the active table came from: (kind, path, how), kind "packaged", "file" or
#: "unit"; and the table as it was loaded, to tell whether it was edited since. Set when
#: a table is loaded or cleared, never on the dispatch path.
_SOURCE: list = ["unit", None, "no table loaded"]
_LOADED: dict[str, float] = {}


def _packaged_path() -> str:
    # next to this module (package data is installed as files): importlib.resources
    # would add a few milliseconds to every import
    return os.path.join(os.path.dirname(__file__), "data", "weights.json")


def _parse(path: str | os.PathLike[str]) -> dict[str, float]:
    """Read and validate a weights file; errors name the file and the problem."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise ValueError(f"cannot read weights file {str(path)!r}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"weights file {str(path)!r} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or "weights" not in data:
        raise ValueError(f"weights file {str(path)!r} must be a JSON object with a 'weights' key")
    table = data["weights"]
    if not isinstance(table, dict):
        raise ValueError(
            f"weights file {str(path)!r}: 'weights' must map operation names to numbers"
        )
    parsed: dict[str, float] = {}
    for name, value in table.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(
                f"weights file {str(path)!r}: weight of {name!r} must be a number, got {value!r}"
            )
        if not math.isfinite(value) or value < 0:
            raise ValueError(
                f"weights file {str(path)!r}: weight of {name!r} must be finite and >= 0, "
                f"got {value!r}"
            )
        parsed[str(name)] = float(value)
    return parsed


def load_weights(path: str | os.PathLike[str] | None = None) -> dict[str, float]:
    """Replace the active weights with those of ``path`` (the packaged table if None).

    Returns a copy of the table now in force. A malformed file raises ``ValueError``
    naming the file and what is wrong with it, and leaves the active table unchanged.
    """
    parsed = _parse(path if path is not None else _packaged_path())
    WEIGHTS.clear()
    WEIGHTS.update(parsed)
    _note_source("file" if path is not None else "packaged", path, "load_weights")
    return dict(WEIGHTS)


def _note_source(kind: str, path: str | os.PathLike[str] | None, how: str) -> None:
    where = (
        os.fspath(path) if path is not None else _packaged_path() if kind == "packaged" else None
    )
    _SOURCE[:] = [kind, None if where is None else str(where), how]
    _LOADED.clear()
    _LOADED.update(WEIGHTS)


def weights_source() -> dict[str, object]:
    """Where the active table came from.

    ``kind``: ``"packaged"`` (the table shipped with flopscope), ``"file"`` (a file loaded
    with :func:`load_weights` or ``FLOPSCOPE_WEIGHTS_FILE``) or ``"unit"`` (every weight
    1.0: ``FLOPSCOPE_DISABLE_WEIGHTS`` or :func:`reset_weights`); ``path``: the file read
    (None for unit weights); ``how``: what loaded it; ``edited``: whether the active
    table has been changed in place since.
    """
    kind, path, how = _SOURCE
    return {"kind": kind, "path": path, "how": how, "edited": WEIGHTS != _LOADED}


def packaged_weights() -> dict[str, float]:
    """The packaged default table (whatever table is active)."""
    return _parse(_packaged_path())


def get_weight(name: str) -> float:
    """The weight of ``name`` in the active table (1.0 for names it does not list)."""
    return WEIGHTS.get(name, 1.0)


def reset_weights() -> None:
    """Clear the active table: every operation weighs 1.0 until weights are loaded again."""
    WEIGHTS.clear()
    _note_source("unit", None, "reset_weights")


def _load_at_import() -> None:
    if os.environ.get("FLOPSCOPE_DISABLE_WEIGHTS", "").strip().lower() in ("1", "true", "yes"):
        _note_source("unit", None, "FLOPSCOPE_DISABLE_WEIGHTS")
        return
    override = os.environ.get("FLOPSCOPE_WEIGHTS_FILE")
    load_weights(override if override else None)
    if override:
        _SOURCE[2] = "FLOPSCOPE_WEIGHTS_FILE"


_load_at_import()
