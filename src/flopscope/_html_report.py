"""A budget as one self-contained HTML page: ``budget.to_html_report(path)`` and
``flopscope run --html FILE``.

The page needs nothing from outside itself: the CSS is inline, the charts are inline SVG
computed here, and there is no script, so it renders the same in any browser, offline,
and in a mail attachment. It shows

* the totals: budget, used, remaining and the share used, with a bar;
* a treemap of the FLOPs by namespace, then operation: one rectangle per operation of
  each namespace, of area proportional to its FLOPs,
  ``area(op) = W * H * flop_cost(op) / sum(flop_cost)``, laid out by the squarified
  algorithm (Bruls, Huizing and van Wijk, 2000) first for the namespaces, then for the
  operations inside each namespace's rectangle; a rectangle is labelled where its text
  fits, and its ``<title>`` (the browser's tooltip) gives namespace, name, FLOPs, share;
* the time fields as one stacked bar, ``wall = backend + flopscope overhead + residual``;
* the table by source line when the budget tracked lines, the table by operation, and
  the table by namespace.

Every name, path and source line is HTML-escaped. FLOP counts are Python ints of any
size: tables print them exactly, labels with a decimal prefix, and shares are ratios of
ints (``int / int`` is correctly rounded however large the ints are).
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._budget import BudgetContext

__all__ = ["render", "squarify", "write"]

#: the treemap's drawing area, in SVG user units (the SVG scales to the page's width)
TREEMAP_WIDTH = 1000.0
TREEMAP_HEIGHT = 560.0
#: the stacked bars' size
BAR_WIDTH = 1000.0
BAR_HEIGHT = 28.0

#: one hue per namespace, in the order of their FLOPs (then round again)
_HUES = (210, 28, 140, 280, 0, 190, 50, 320, 100, 250)
_NO_NAMESPACE = "(no namespace)"

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; margin: 24px auto; max-width: 1100px; color: #1d2330; padding: 0 16px; }
h1 { font-size: 1.5em; margin-bottom: 4px; }
h2 { font-size: 1.15em; margin-top: 32px; border-bottom: 1px solid #d8dde6;
  padding-bottom: 4px; }
.totals { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 8px; }
.total { border: 1px solid #d8dde6; border-radius: 6px; padding: 8px 14px;
  min-width: 180px; background: #f7f9fc; }
.total .label { font-size: 0.8em; color: #5b6475; text-transform: uppercase;
  letter-spacing: 0.04em; }
.total .value { font-size: 1.25em; font-variant-numeric: tabular-nums;
  overflow-wrap: anywhere; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; pointer-events: none; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0; font-size: 0.9em; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
  margin-right: 6px; vertical-align: -1px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9em; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e6e9ef; text-align: left;
  vertical-align: top; }
th { background: #f0f3f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 0.95em; white-space: pre-wrap; }
.empty { color: #5b6475; font-style: italic; }
.note { color: #5b6475; font-size: 0.85em; }
"""


# ---------------------------------------------------------------- formatting
def _e(value: object) -> str:
    """``value`` as text safe in HTML content and in quoted attributes."""
    return html.escape(str(value), quote=True)


def _share(part: int | float, whole: int | float) -> float:
    """``part / whole`` (0 where ``whole`` is 0); exact ratio of ints however large."""
    return part / whole if whole else 0.0


def _pct(part: int | float, whole: int | float) -> str:
    return f"{100.0 * _share(part, whole):.1f}%"


_PREFIXES = ("", "k", "M", "G", "T", "P", "E", "Z", "Y")


def _short(flops: int) -> str:
    """``1.23 GFLOPs``: three significant digits under a decimal prefix; beyond the
    prefixes, ``1.23e+30 FLOPs`` (Decimal formats an int of any size)."""
    if flops < 1000:
        return f"{flops:,} FLOPs"
    group = (len(str(flops)) - 1) // 3
    if group >= len(_PREFIXES):
        return f"{format(Decimal(flops), '.2e')} FLOPs"
    value = format(Decimal(flops) / Decimal(1000) ** group, ".3g")
    return f"{value} {_PREFIXES[group]}FLOPs"


def _seconds(value: float) -> str:
    return f"{value:.6f} s"


def _n(value: float) -> str:
    """A coordinate for the SVG: two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# ---------------------------------------------------------------- the treemap
Rect = tuple[float, float, float, float]


def _worst(row: Sequence[float], side: float) -> float:
    """The worst aspect ratio of ``row``'s rectangles laid along a side of length
    ``side``: ``max(side^2 * max / s^2, s^2 / (side^2 * min))`` with ``s = sum(row)``."""
    total = sum(row)
    return max(side * side * max(row) / (total * total), total * total / (side * side * min(row)))


def squarify(areas: Sequence[float], rect: Rect) -> list[Rect]:
    """Squarified treemap: rectangles ``(x, y, w, h)`` tiling ``rect``, one per area, in
    the order given; ``areas`` must be positive, sorted largest first, and sum to
    ``w * h`` of ``rect``. Rows are laid along the shorter side and grown while that
    improves their worst aspect ratio."""
    x, y, width, height = rect
    out: list[Rect] = []
    i = 0
    while i < len(areas):
        side = min(width, height)
        row = [areas[i]]
        i += 1
        while i < len(areas) and side > 0 and _worst([*row, areas[i]], side) <= _worst(row, side):
            row.append(areas[i])
            i += 1
        total = sum(row)
        last = i == len(areas)
        # a row spans its side exactly (lengths are shares of the side), and the last row
        # takes what is left: the rectangles tile ``rect`` whatever the rounding
        if width >= height:  # a column at the left, as tall as the rectangle
            thickness = width if last else (total / height if height > 0 else 0.0)
            offset = y
            for area in row:
                length = height * area / total
                out.append((x, offset, thickness, length))
                offset += length
            x, width = x + thickness, width - thickness
        else:  # a row at the top, as wide as the rectangle
            thickness = height if last else (total / width if width > 0 else 0.0)
            offset = x
            for area in row:
                length = width * area / total
                out.append((offset, y, length, thickness))
                offset += length
            y, height = y + thickness, height - thickness
    return out


def _treemap_cells(
    spaces: dict[str | None, dict[str, Any]],
) -> list[tuple[str | None, int, list[tuple[str, int, Rect]]]]:
    """(namespace, its FLOPs, [(operation, FLOPs, rectangle)]) for every namespace with
    FLOPs, largest first; operations of no FLOPs have no area and are left out."""
    groups: list[tuple[str | None, int, list[tuple[str, int]]]] = []
    for path, figures in spaces.items():
        ops = [(name, op["flop_cost"]) for name, op in figures["operations"].items()]
        ops = sorted((item for item in ops if item[1] > 0), key=lambda item: (-item[1], item[0]))
        if ops:
            groups.append((path, sum(cost for _, cost in ops), ops))
    groups.sort(key=lambda group: (-group[1], str(group[0])))
    total = sum(group[1] for group in groups)
    if not total:
        return []
    area = TREEMAP_WIDTH * TREEMAP_HEIGHT
    outer = squarify(
        [area * _share(flops, total) for _, flops, _ in groups],
        (0.0, 0.0, TREEMAP_WIDTH, TREEMAP_HEIGHT),
    )
    cells = []
    for (path, flops, ops), box in zip(groups, outer, strict=True):
        inner = squarify([box[2] * box[3] * _share(cost, flops) for _, cost in ops], box)
        cells.append(
            (path, flops, [(name, cost, r) for (name, cost), r in zip(ops, inner, strict=True)])
        )
    return cells


def _fill(hue: int, index: int, count: int) -> str:
    """The namespace's hue; its operations from darker (the largest) to lighter."""
    lightness = 58 + (24 * index // max(count - 1, 1) if count > 1 else 0)
    return f"hsl({hue}, 62%, {lightness}%)"


def _label(name: str, cost: int, share: str, w: float, h: float) -> str:
    """The text drawn inside a rectangle: name and figures where they fit, the name
    alone where only it fits, nothing otherwise (the tooltip still tells)."""
    figures = f"{_short(cost)} · {share}"
    for size in (13.0, 11.0, 9.0):
        char = 0.6 * size  # a generous average glyph width
        fits_name = len(name) * char + 8 <= w and size + 6 <= h
        if not fits_name:
            continue
        out = [(name, size, "600")]
        if len(figures) * char * 0.9 + 8 <= w and 2.2 * size + 8 <= h:
            out.append((figures, size * 0.9, "400"))
        return "".join(
            f'<text x="4" y="{_n(4 + size + k * size * 1.2)}" font-size="{_n(s)}" '
            f'font-weight="{weight}" fill="#10131a">{_e(text)}</text>'
            for k, (text, s, weight) in enumerate(out)
        )
    return ""


def _treemap(data: dict[str, Any]) -> str:
    cells = _treemap_cells(data["by_namespace"])
    if not cells:
        return '<p class="empty">No FLOPs were charged: nothing to draw.</p>'
    total = sum(flops for _, flops, _ in cells)
    shapes: list[str] = []
    legend: list[str] = []
    outlines: list[str] = []
    for k, (path, flops, ops) in enumerate(cells):
        hue = _HUES[k % len(_HUES)]
        space = _NO_NAMESPACE if path is None else path
        legend.append(
            f'<span><span class="swatch" style="background:{_fill(hue, 0, 1)}"></span>'
            f"{_e(space)}: {_e(_short(flops))} ({_pct(flops, total)})</span>"
        )
        for index, (name, cost, (x, y, w, h)) in enumerate(ops):
            share = _pct(cost, total)
            tip = f"{space} / {name}: {cost:,} FLOPs ({share})"
            shapes.append(
                f'<g class="cell" transform="translate({_n(x)},{_n(y)})">'
                f'<rect x="0" y="0" width="{_n(w)}" height="{_n(h)}" '
                f'fill="{_fill(hue, index, len(ops))}" stroke="#ffffff" stroke-width="1" '
                f'data-op="{_e(name)}" data-namespace="{_e(space)}" data-flops="{cost}">'
                f"<title>{_e(tip)}</title></rect>"
                f'<svg width="{_n(w)}" height="{_n(h)}" overflow="hidden">'
                f"{_label(name, cost, share, w, h)}</svg></g>"
            )
        x0 = min(r[0] for _, _, r in ops)
        y0 = min(r[1] for _, _, r in ops)
        x1 = max(r[0] + r[2] for _, _, r in ops)
        y1 = max(r[1] + r[3] for _, _, r in ops)
        outlines.append(
            f'<rect class="namespace" x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" '
            f'height="{_n(y1 - y0)}" fill="none" stroke="#1d2330" stroke-width="2.5"/>'
        )
    return (
        f'<div class="legend">{"".join(legend)}</div>'
        f'<svg class="treemap" viewBox="0 0 {_n(TREEMAP_WIDTH)} {_n(TREEMAP_HEIGHT)}" '
        f'width="{_n(TREEMAP_WIDTH)}" height="{_n(TREEMAP_HEIGHT)}" role="img" '
        'aria-label="Treemap of FLOPs by namespace and operation" '
        ">"
        f"{''.join(shapes)}{''.join(outlines)}</svg>"
        '<p class="note">Area is proportional to FLOPs; a thick outline surrounds each '
        "namespace. Hover a rectangle for its figures.</p>"
    )


# ---------------------------------------------------------------- bars
def _stacked_bar(segments: Sequence[tuple[str, float, str, str]], label: str) -> str:
    """One horizontal bar of ``segments`` (name, value, colour, tooltip), each as wide as
    its share of their sum; negative values (a rounding residue) count as 0."""
    values = [max(value, 0.0) for _, value, _, _ in segments]
    total = sum(values)
    parts = []
    x = 0.0
    for (name, _, colour, tip), width_value in zip(segments, values, strict=True):
        width = BAR_WIDTH * _share(width_value, total)
        parts.append(
            f'<rect class="segment" x="{_n(x)}" y="0" width="{_n(width)}" '
            f'height="{_n(BAR_HEIGHT)}" fill="{colour}" data-name="{_e(name)}">'
            f"<title>{_e(tip)}</title></rect>"
        )
        x += width
    return (
        f'<svg class="bar" viewBox="0 0 {_n(BAR_WIDTH)} {_n(BAR_HEIGHT)}" '
        f'width="{_n(BAR_WIDTH)}" height="{_n(BAR_HEIGHT)}" preserveAspectRatio="none" '
        f'role="img" aria-label="{_e(label)}">'
        f'<rect x="0" y="0" width="{_n(BAR_WIDTH)}" height="{_n(BAR_HEIGHT)}" fill="#e6e9ef"/>'
        f"{''.join(parts)}</svg>"
    )


def _legend(items: Sequence[tuple[str, str]]) -> str:
    return (
        '<div class="legend">'
        + "".join(
            f'<span><span class="swatch" style="background:{colour}"></span>{text}</span>'
            for text, colour in items
        )
        + "</div>"
    )


def _totals(data: dict[str, Any]) -> str:
    budget, used, left = data["flop_budget"], data["flops_used"], data["flops_remaining"]
    cards = [
        ("Budget", f"{budget:,}", _short(budget)),
        ("Used", f"{used:,}", _short(used)),
        ("Remaining", f"{left:,}", _short(left) if left >= 0 else ""),
        ("Share used", _pct(used, budget), ""),
    ]
    body = "".join(
        f'<div class="total"><div class="label">{label}</div>'
        f'<div class="value" id="total-{label.lower().replace(" ", "-")}">{_e(value)}</div>'
        f'<div class="note">{_e(note)}</div></div>'
        for label, value, note in cards
    )
    bar = _stacked_bar(
        [
            ("used", _share(used, budget), "#3b7dd8", f"used: {used:,} FLOPs"),
            ("remaining", _share(max(left, 0), budget), "#e6e9ef", f"remaining: {left:,} FLOPs"),
        ],
        "FLOPs used of the budget",
    )
    return f'<div class="totals">{body}</div>{bar}'


_TIME_COLOURS = {
    "backend": "#3b7dd8",
    "flopscope overhead": "#e08a2c",
    "residual": "#9aa3b2",
}


def _time_bar(data: dict[str, Any]) -> str:
    wall = data["wall_time_s"]
    fields = [
        ("backend", data["flopscope_backend_time_s"]),
        ("flopscope overhead", data["flopscope_overhead_time_s"]),
        ("residual", data["residual_wall_time_s"]),
    ]
    bar = _stacked_bar(
        [
            (name, value, _TIME_COLOURS[name], f"{name}: {_seconds(value)} ({_pct(value, wall)})")
            for name, value in fields
        ],
        "wall time split",
    )
    legend = _legend(
        [
            (f"{_e(name)}: {_seconds(value)} ({_pct(value, wall)})", _TIME_COLOURS[name])
            for name, value in fields
        ]
    )
    equation = (
        f'<p id="wall-time">wall {_seconds(wall)} = backend '
        f"{_seconds(data['flopscope_backend_time_s'])} + flopscope overhead "
        f"{_seconds(data['flopscope_overhead_time_s'])} + residual "
        f"{_seconds(data['residual_wall_time_s'])}</p>"
    )
    return equation + bar + legend


# ---------------------------------------------------------------- tables
def _table(headers: Sequence[str], numeric: Sequence[bool], rows: list[list[str]], cls: str) -> str:
    """A table of already-escaped cells."""
    head = "".join(
        f'<th class="num">{h}</th>' if num else f"<th>{h}</th>"
        for h, num in zip(headers, numeric, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if num else f"<td>{c}</td>"
            for c, num in zip(row, numeric, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _operations_table(data: dict[str, Any]) -> str:
    operations = data["operations"]
    if not operations:
        return '<p class="empty">No counted operations.</p>'
    used = data["flops_used"]
    rows = [
        [
            _e(name),
            f"{op['flop_cost']:,}",
            _pct(op["flop_cost"], used),
            f"{op['calls']:,}",
            f"{op['flopscope_backend_time_s']:.6f}",
            f"{op['flopscope_overhead_time_s']:.6f}",
        ]
        for name, op in operations.items()
    ]
    free = data["free_operations"]
    note = ""
    if free["calls"]:
        note = (
            f'<p class="note">Free operations: {free["calls"]:,} calls, 0 FLOPs, '
            f"{free['flopscope_backend_time_s'] + free['flopscope_overhead_time_s']:.6f} s "
            "of flopscope time.</p>"
        )
    headers = ("operation", "FLOPs", "share", "calls", "backend s", "overhead s")
    numeric = (False, True, True, True, True, True)
    return _table(headers, numeric, rows, "operations") + note


def _namespaces_table(data: dict[str, Any]) -> str:
    used = data["flops_used"]
    spaces = sorted(
        data["by_namespace"].items(), key=lambda item: (-item[1]["flops_used"], str(item[0]))
    )
    rows = []
    for path, figures in spaces:
        space = _NO_NAMESPACE if path is None else path
        for name, op in figures["operations"].items():
            rows.append(
                [
                    _e(space),
                    _e(name),
                    f"{op['flop_cost']:,}",
                    _pct(op["flop_cost"], used),
                    f"{op['calls']:,}",
                ]
            )
    if not rows:
        return '<p class="empty">No counted operations.</p>'
    headers = ("namespace", "operation", "FLOPs", "share", "calls")
    return _table(headers, (False, False, True, True, True), rows, "namespaces")


def _lines_table(budget: BudgetContext) -> str:
    from ._lines import _short as short_path

    rows = [
        [
            _e(short_path(row["file"])),
            f"{row['line']}",
            f"<code>{_e(row['source'])}</code>",
            f"{row['flop_cost']:,}",
            f"{row['calls']:,}",
            f"{100.0 * row['share']:.1f}%",
        ]
        for row in budget.by_line()
    ]
    if not rows:
        return '<p class="empty">No line charged any FLOPs.</p>'
    headers = ("file", "line", "source", "FLOPs", "calls", "share")
    return _table(headers, (False, True, False, True, True, True), rows, "lines")


# ---------------------------------------------------------------- the page
def render(budget: BudgetContext, title: str = "flopscope report") -> str:
    """The report of ``budget`` as one HTML document (text)."""
    data = budget.summary_dict(by_namespace=True)
    sections = [
        f"<h1>{_e(title)}</h1>",
        '<p class="note">FLOPs counted analytically by flopscope.</p>',
        '<section id="totals"><h2>Totals</h2>',
        _totals(data),
        "</section>",
        '<section id="treemap"><h2>FLOPs by namespace and operation</h2>',
        _treemap(data),
        "</section>",
        '<section id="time"><h2>Where the time went</h2>',
        _time_bar(data),
        "</section>",
    ]
    if budget.track_lines:
        sections += [
            '<section id="lines"><h2>FLOPs by line</h2>',
            _lines_table(budget),
            "</section>",
        ]
    sections += [
        '<section id="operations"><h2>By operation</h2>',
        _operations_table(data),
        "</section>",
        '<section id="namespaces"><h2>By namespace</h2>',
        _namespaces_table(data),
        "</section>",
    ]
    return page(title, sections)


def page(title: str, sections: list[str], css: str = _CSS, script: str = "") -> str:
    """One self-contained HTML document: ``sections`` in the body, ``css`` inline, and
    ``script`` (if any) inline at the end."""
    tail = f"<script>{script}</script>" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{css}</style></head>"
        f"<body>{''.join(sections)}{tail}</body></html>\n"
    )


def write(budget: BudgetContext, path: str | os.PathLike[str] | None = None) -> str:
    """:func:`render`, also written to ``path`` (UTF-8) when given."""
    page = render(budget)
    if path is not None:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(page)
    return page
