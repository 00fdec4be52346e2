"""The operation catalogue: every registry row as a line of documentation.

``python -m flopscope ops [FILTER] [--json | --markdown]`` prints it; ``docs/operations.md``
is its Markdown form, kept in sync by a test. Each row's formula is the docstring of the
rule that prices its calls, so the documented cost and the charged cost are one object.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import numpy as np

from ._registry import REGISTRY, Op, pending
from ._weights import WEIGHTS, packaged_weights

__all__ = ["catalog", "counts", "render_json", "render_markdown", "render_text"]

#: the order modules are listed in
_MODULE_ORDER = (
    "numpy",
    "numpy.emath",
    "numpy.lib.stride_tricks",
    "numpy.linalg",
    "numpy.fft",
    "numpy.random",
    "numpy.testing",
    "stats",
)


def _module_rank(module: str) -> tuple[int, str]:
    return (_MODULE_ORDER.index(module) if module in _MODULE_ORDER else len(_MODULE_ORDER), module)


def _entry(op: Op, weights: dict[str, float]) -> dict[str, Any]:
    billing = op.billing_name
    counted = op.category.startswith("counted")
    return {
        "name": op.name,
        "module": op.module,
        "category": op.category,
        "formula": op.formula if op.category != "blocked" else None,
        "fma": op.fma,
        "weight": weights.get(billing, 1.0)
        if counted
        else (0.0 if op.category == "free" else None),
        "alias_of": op.alias_of,
        "billed_as": op.billed_as,
        "blocked_reason": op.notes if op.category == "blocked" else None,
        "notes": op.notes if op.category != "blocked" else "",
    }


def _pending_entry(name: str) -> dict[str, Any]:
    head = name.rpartition(".")[0]
    return {
        "name": name,
        "module": "numpy" + ("." + head if head else ""),
        "category": "pending",
        "formula": None,
        "fma": False,
        "weight": None,
        "alias_of": None,
        "billed_as": None,
        "blocked_reason": "not supported yet: raises instead of running uncounted",
        "notes": "",
    }


def catalog(filter_text: str | None = None, *, packaged: bool = False) -> list[dict[str, Any]]:
    """Every row (those whose name or module contains ``filter_text``), by module then
    name. Weights are the active table's, or the packaged defaults with ``packaged``."""
    weights = packaged_weights() if packaged else dict(WEIGHTS)
    entries = [_entry(op, weights) for op in REGISTRY.values()]
    entries += [_pending_entry(name) for name in pending() if name not in REGISTRY]
    if filter_text:
        needle = filter_text.lower()
        entries = [e for e in entries if needle in e["name"].lower() or needle in e["module"]]
    return sorted(entries, key=lambda e: (_module_rank(e["module"]), e["name"]))


def counts(entries: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """module -> {"counted", "free", "blocked", "pending"} counts."""
    tally: dict[str, Counter[str]] = {}
    for e in entries:
        kind = "counted" if e["category"].startswith("counted") else e["category"]
        tally.setdefault(e["module"], Counter())[kind] += 1
    return {
        module: {kind: tally[module][kind] for kind in ("counted", "free", "blocked", "pending")}
        for module in sorted(tally, key=_module_rank)
    }


def _cost(e: dict[str, Any]) -> str:
    if e["category"] in ("blocked", "pending"):
        return f"{e['category']}: {e['blocked_reason']}"
    text = e["formula"] or ""
    if e["fma"]:
        text += " (fused multiply-adds: times fma_cost)"
    return text


def _relation(e: dict[str, Any]) -> str:
    if e["alias_of"]:
        return f"alias of {e['alias_of']}"
    if e["billed_as"]:
        return f"billed as {e['billed_as']}"
    return ""


def _weight(e: dict[str, Any]) -> str:
    return "" if e["weight"] is None else f"{e['weight']:g}"


def render_text(entries: list[dict[str, Any]]) -> str:
    """An aligned plain-text table, one row per line, for the terminal."""
    if not entries:
        return "no operation matches"
    width = max(len(e["name"]) for e in entries)
    lines = [f"{'operation':<{width}}  {'category':<17}  {'weight':>6}  FLOP cost"]
    for e in entries:
        relation = _relation(e)
        cost = _cost(e) + (f"  [{relation}]" if relation else "")
        cost = cost.replace("``", "")  # reST literals read plainly in a terminal
        lines.append(f"{e['name']:<{width}}  {e['category']:<17}  {_weight(e):>6}  {cost}")
    lines.append("")
    for module, c in counts(entries).items():
        lines.append(
            f"{module}: {c['counted']} counted, {c['free']} free, {c['blocked']} blocked, "
            f"{c['pending']} not supported yet"
        )
    return "\n".join(lines)


def render_json(entries: list[dict[str, Any]]) -> str:
    return json.dumps({"operations": entries, "counts": counts(entries)}, indent=1)


def _short(e: dict[str, Any]) -> str:
    """The name within its module: ``multi_dot`` in numpy.linalg, ``norm.pdf`` in stats."""
    prefix = e["module"].removeprefix("numpy").lstrip(".")
    return e["name"][len(prefix) + 1 :] if prefix else e["name"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(entries: list[dict[str, Any]]) -> str:
    """``docs/operations.md``: the counts, then one table per module."""
    lines = [
        "# Operations",
        "",
        "Generated from the operation registry by `python -m flopscope ops --markdown`",
        f"with NumPy {'.'.join(np.__version__.split('.')[:2])} (weights: the packaged defaults);",
        "a test keeps this file in sync. Do not edit.",
        "",
        "| module | counted | free | blocked | not supported yet |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    tally = counts(entries)
    for module, c in tally.items():
        lines.append(
            f"| `{module}` | {c['counted']} | {c['free']} | {c['blocked']} | {c['pending']} |"
        )
    for module in tally:
        lines += ["", f"## `{module}`", "", "| operation | category | weight | FLOP cost | |"]
        lines.append("| --- | --- | ---: | --- | --- |")
        for e in entries:
            if e["module"] != module:
                continue
            short = _short(e)
            lines.append(
                f"| `{short}` | {e['category']} | {_weight(e)} | {_cell(_cost(e))} "
                f"| {_cell(_relation(e))} |"
            )
    return "\n".join(lines) + "\n"
