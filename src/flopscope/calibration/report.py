"""A calibration run as one self-contained HTML page: ``report.write(data, path)``.

``data`` is a ``weights.json`` structure (the schema is in this package's docstring). The
page needs nothing from outside itself: the CSS is inline, the plots are inline SVG
computed here, and one short inline script makes the table sortable (without it the page
reads the same, unsorted). It shows

* the run: machine, CPU, Python, NumPy, BLAS, mode, dtype, date, repeats, rounding; the
  pinned operations beside their measured weights; each category's overhead per FLOP;
* with a previous table, the operations whose weight moved by more than a factor
  :data:`MOVED` either way;
* the table of every operation: category, new weight, previous weight, the ratio
  ``new / previous`` (flagged beyond :data:`MOVED` either way), ``alpha``, its spread
  (25th to 75th percentile) and the number of samples. A click on a column heading sorts
  by it;
* per category, a plot of ``alpha`` (measured cost per analytical FLOP) against size on
  logarithmic axes (linear cost where the values do not span a decade): one line per
  operation through the median over input distributions at each size, one marker per
  sample, the category's overhead as a dashed line. A flat line is a weight that does not
  depend on size. Every marker's ``<title>`` (the browser's tooltip) gives its figures.

Everything taken from ``data`` is HTML-escaped. Fields the file lacks show as a dash.
"""

from __future__ import annotations

import json
import math
import os
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .._html_report import _CSS as _BASE_CSS
from .._html_report import _e, _n, page
from .cases import CATEGORIES

__all__ = ["MOVED", "render", "write"]

#: a weight whose ratio to the previous one is beyond this factor either way is flagged
MOVED = 1.5

#: each plot's drawing area, in SVG user units (the SVG scales to the page's width)
PLOT_WIDTH = 1000.0
PLOT_HEIGHT = 400.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 78.0, 16.0, 14.0, 48.0

_DASH = "\u2014"
_UNMEASURED = "not measured"

_CSS = (
    _BASE_CSS
    + """
table.sortable th { cursor: pointer; user-select: none; white-space: nowrap; }
table.sortable th[aria-sort="ascending"]::after { content: " \\25B2"; }
table.sortable th[aria-sort="descending"]::after { content: " \\25BC"; }
td.moved-up { background: #fde2d8; font-weight: 600; }
td.moved-down { background: #dcebfb; font-weight: 600; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px;
  margin: 12px 0; font-size: 0.92em; }
dl.meta dt { color: #5b6475; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
svg.plot g.series:hover polyline { stroke-width: 3.5; }
svg.plot:hover g.series { opacity: 0.3; }
svg.plot:hover g.series:hover { opacity: 1; }
svg.plot text { font-size: 12px; fill: #1d2330; }
"""
)

#: sorts the tables of class ``sortable`` by the clicked column: numeric columns (``num``)
#: by their cells' ``data-sort`` values, missing values last either way; others by text
_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, column) {
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.classList.contains("num");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[column];
        if (!numeric) { return cell.textContent; }
        var raw = cell.getAttribute("data-sort");
        return raw === null || raw === "" ? NaN : Number(raw);
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (numeric) {
          if (isNaN(x) || isNaN(y)) { return isNaN(x) - isNaN(y); }
          return ascending ? x - y : y - x;
        }
        return ascending ? x.localeCompare(y) : y.localeCompare(x);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""


# ---------------------------------------------------------------- formatting
def _number(value: object) -> float | None:
    """``value`` as a finite float, or None (missing, not a number, NaN or infinite)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _g(value: object, digits: int = 4) -> str:
    """A figure to ``digits`` significant digits; a dash where there is none."""
    number = _number(value)
    return _DASH if number is None else f"{number:.{digits}g}"


def _text(value: object) -> str:
    """A meta field as text: strings as they are, structures as compact JSON."""
    if value is None:
        return _DASH
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def _slug(text: str) -> str:
    """An HTML id from ``text``: letters and digits kept, the rest ``-``."""
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in text) or "-"


def _ratio(new: float | None, old: float | None) -> tuple[str, float | None, str]:
    """``new / old`` as (text, sort value, flag class): the class is ``moved-up`` or
    ``moved-down`` when the ratio is beyond :data:`MOVED` either way (a weight that
    becomes positive from 0 moved up, one that drops to 0 moved down)."""
    if new is None or old is None:
        return _DASH, None, ""
    if old == 0:
        if new == 0:
            return "0 = 0", 1.0, ""
        return "\u25b2 from 0", math.inf, "moved-up"
    ratio = new / old
    if ratio > MOVED:
        return f"\u25b2 {ratio:.3g}\u00d7", ratio, "moved-up"
    if ratio < 1 / MOVED:
        return f"\u25bc {ratio:.3g}\u00d7", ratio, "moved-down"
    return f"{ratio:.3g}\u00d7", ratio, ""


def _sort_value(value: float | None) -> str:
    if value is None:
        return ""
    return "Infinity" if value == math.inf else repr(value)


# ---------------------------------------------------------------- the run
def _meta_list(meta: Mapping[str, Any]) -> str:
    known = (
        ("machine", "machine"),
        ("cpu", "CPU"),
        ("python", "Python"),
        ("numpy", "NumPy"),
        ("blas", "BLAS"),
        ("mode", "mode"),
        ("dtype", "dtype"),
        ("date", "date"),
        ("repeats", "repeats"),
        ("quick", "quick run"),
        ("rounding", "rounding"),
        ("schema_version", "schema version"),
    )
    shown = {key for key, _ in known} | {"ops", "pinned", "overhead"}
    items = [(label, meta.get(key)) for key, label in known]
    # the reference kernels' timings are measurements, not a description: in the file
    shown.add("reference")
    items += [(str(key), value) for key, value in meta.items() if key not in shown]
    body = "".join(
        f'<dt>{_e(label)}</dt><dd id="meta-{_slug(label)}">{_e(_text(value))}</dd>'
        for label, value in items
    )
    return f'<dl class="meta">{body}</dl>'


def _simple_table(headers: Sequence[tuple[str, bool]], rows: list[list[str]], cls: str) -> str:
    """A table of already-escaped cells; ``headers`` are (heading, numeric)."""
    head = "".join(f'<th class="num">{h}</th>' if num else f"<th>{h}</th>" for h, num in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if num else f"<td>{c}</td>"
            for c, (_, num) in zip(row, headers, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _pinned(weights: Mapping[str, Any], meta: Mapping[str, Any]) -> str:
    pinned = meta.get("pinned") or {}
    if not isinstance(pinned, Mapping) or not pinned:
        return '<p class="empty">No weights are pinned.</p>'
    rows = []
    for name, measured in sorted(pinned.items(), key=lambda item: str(item[0])):
        weight = _number(weights.get(name))
        rows.append([_e(name), _g(weight), _g(measured), _e(_ratio(_number(measured), weight)[0])])
    headers = [("operation", False), ("pinned weight", True), ("measured", True)]
    headers.append(("measured / pinned", True))
    return (
        '<p class="note">These weights are set by decision, not by the measurement; '
        "the measured weight is shown beside them.</p>" + _simple_table(headers, rows, "pinned")
    )


def _overhead(meta: Mapping[str, Any]) -> str:
    overhead = meta.get("overhead") or {}
    if not isinstance(overhead, Mapping) or not overhead:
        return '<p class="empty">No overhead was subtracted.</p>'
    rows = [[_e(category), _g(value)] for category, value in _ordered(overhead.items())]
    return (
        '<p class="note">The overhead taken off each category\'s alphas (timing mode: '
        "the median over its samples of <code>np.abs</code>'s cost per call, spread over "
        "the call's FLOPs; perf mode: <code>np.abs</code>'s cost per element); none for "
        "BLAS-backed operations.</p>"
        + _simple_table([("category", False), ("overhead per FLOP", True)], rows, "overhead")
    )


def _ordered(items: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Items keyed by category, in the order categories are measured, then the rest."""
    rank = {category: k for k, category in enumerate(CATEGORIES)}
    return sorted(items, key=lambda item: (rank.get(item[0], len(rank)), str(item[0])))


# ---------------------------------------------------------------- the weights
def _entry(ops: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """The measurements of ``name`` (empty where the file has none, or not a mapping)."""
    op = ops.get(name)
    return op if isinstance(op, Mapping) else {}


def _rows(data: Mapping[str, Any], previous: Mapping[str, float] | None) -> list[dict[str, Any]]:
    """One row per operation named in the weights, the measurements or the previous
    table, by name."""
    weights = data.get("weights") or {}
    ops = (data.get("meta") or {}).get("ops") or {}
    names = set(weights) | set(ops) | (set(previous) if previous else set())
    rows = []
    for name in sorted(names, key=str):
        op = _entry(ops, name)
        spread = op.get("spread")
        low = high = None
        if isinstance(spread, Sequence) and not isinstance(spread, str) and len(spread) == 2:
            low, high = _number(spread[0]), _number(spread[1])
        samples = op.get("samples")
        rows.append(
            {
                "name": str(name),
                "category": str(op.get("category", _UNMEASURED)),
                "blas": bool(op.get("blas", False)),
                "weight": _number(weights.get(name)),
                "previous": _number(previous.get(name)) if previous else None,
                "alpha": _number(op.get("alpha")),
                "low": low,
                "high": high,
                "samples": len(samples) if isinstance(samples, list) else 0,
            }
        )
    return rows


def _moved(rows: list[dict[str, Any]]) -> str:
    moved = [(row, _ratio(row["weight"], row["previous"])) for row in rows]
    moved = [(row, r) for row, r in moved if r[2]]
    if not moved:
        return f'<p class="empty">No weight moved by more than {MOVED}\u00d7.</p>'

    def distance(item: tuple[dict[str, Any], tuple[str, float | None, str]]) -> float:
        value = item[1][1]
        return math.inf if not value or value == math.inf else abs(math.log(value))

    moved.sort(key=lambda item: (-distance(item), item[0]["name"]))
    rows_html = [
        [_e(row["name"]), _e(row["category"]), _g(row["previous"]), _g(row["weight"]), _e(r[0])]
        for row, r in moved
    ]
    headers = [("operation", False), ("category", False), ("previous", True), ("new", True)]
    headers.append(("new / previous", True))
    return (
        f'<p class="note">{len(moved)} weight(s) moved by more than {MOVED}\u00d7.</p>'
        + _simple_table(headers, rows_html, "moved")
    )


def _weights_table(rows: list[dict[str, Any]]) -> str:
    headers = (
        ("operation", False),
        ("category", False),
        ("weight", True),
        ("previous", True),
        ("new / previous", True),
        ("alpha", True),
        ("spread (25th\u201375th)", True),
        ("samples", True),
    )
    head = "".join(
        f'<th class="num" scope="col">{_e(h)}</th>' if num else f'<th scope="col">{_e(h)}</th>'
        for h, num in headers
    )
    body = []
    for row in rows:
        text, value, flag = _ratio(row["weight"], row["previous"])
        spread = _DASH
        if row["low"] is not None and row["high"] is not None:
            spread = f"{_g(row['low'])} \u2013 {_g(row['high'])}"
        category = row["category"] + (" (BLAS)" if row["blas"] else "")
        cells = [
            f"<td>{_e(row['name'])}</td>",
            f"<td>{_e(category)}</td>",
            f'<td class="num" data-sort="{_sort_value(row["weight"])}">{_g(row["weight"])}</td>',
            f'<td class="num" data-sort="{_sort_value(row["previous"])}">'
            f"{_g(row['previous'])}</td>",
            f'<td class="{("num " + flag).strip()}" data-sort="{_sort_value(value)}">'
            f"{_e(text)}</td>",
            f'<td class="num" data-sort="{_sort_value(row["alpha"])}">{_g(row["alpha"])}</td>',
            f'<td class="num" data-sort="{_sort_value(row["low"])}">{_e(spread)}</td>',
            f'<td class="num" data-sort="{row["samples"]}">{row["samples"]:,}</td>',
        ]
        body.append(f'<tr data-op="{_e(row["name"])}">{"".join(cells)}</tr>')
    if not body:
        return '<p class="empty">The file lists no weights.</p>'
    return (
        '<p class="note">Click a column heading to sort by it. The ratio is flagged '
        f"(\u25b2 / \u25bc, shaded) where the weight moved by more than {MOVED}\u00d7.</p>"
        f'<div class="scroll"><table class="weights sortable" id="weights-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


# ---------------------------------------------------------------- the plots
def _colour(index: int) -> str:
    """Distinct hues for many series: golden-angle steps round the colour wheel."""
    hue = (index * 137.508) % 360
    lightness = 38 if index % 2 else 48
    return f"hsl({hue:.0f}, 70%, {lightness}%)"


class _Axis:
    """A mapping of values onto ``[start, end]`` in SVG units, logarithmic or linear,
    with its ticks."""

    def __init__(self, values: Sequence[float], start: float, end: float, log: bool) -> None:
        self.log, self.start, self.end = log, start, end
        if log:
            low = math.floor(math.log10(min(values)))
            high = math.ceil(math.log10(max(values)))
            self.low, self.high = float(low), float(max(high, low + 1))
        else:
            self.low, self.high = 0.0, _nice_top(max(values))

    def __call__(self, value: float) -> float:
        position = math.log10(value) if self.log else value
        share = (position - self.low) / (self.high - self.low)
        return self.start + share * (self.end - self.start)

    def ticks(self) -> list[tuple[float, str]]:
        """(value, label) pairs: each decade on a log axis, five steps on a linear one."""
        if self.log:
            step = max(1, math.ceil((self.high - self.low) / 8))
            return [
                (10.0**k, _power_label(k)) for k in range(int(self.low), int(self.high) + 1, step)
            ]
        return [(self.high * k / 5, f"{self.high * k / 5:.3g}") for k in range(6)]


def _nice_top(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if factor * power >= value:
            return factor * power
    return 10.0 * power


def _power_label(k: int) -> str:
    """``10^k`` with the exponent raised (a ``tspan``; the digits are not data)."""
    if 0 <= k <= 3:
        return f"{10**k:,}"
    return f'10<tspan dy="-6" font-size="9">{k}</tspan>'


def _series(data: Mapping[str, Any]) -> dict[str, list[tuple[str, list[dict[str, Any]]]]]:
    """Per category, (operation, its samples with a positive size and a finite alpha)."""
    ops = (data.get("meta") or {}).get("ops") or {}
    out: dict[str, list[tuple[str, list[dict[str, Any]]]]] = {}
    for name in sorted(ops, key=str):
        op = _entry(ops, name)
        samples = []
        for sample in op.get("samples") or []:
            if not isinstance(sample, Mapping):
                continue
            size, alpha = _number(sample.get("size")), _number(sample.get("alpha"))
            if size is not None and size > 0 and alpha is not None:
                samples.append({**sample, "size": size, "alpha": alpha})
        out.setdefault(str(op.get("category", _UNMEASURED)), []).append((str(name), samples))
    return out


def _plot(
    category: str,
    series: list[tuple[str, list[dict[str, Any]]]],
    weights: Mapping[str, Any],
    overhead: float | None,
) -> str:
    points = [sample for _, samples in series for sample in samples]
    slug = _slug(category)
    if not points:
        return (
            f'<svg class="plot" id="plot-{slug}" data-category="{_e(category)}" '
            f'viewBox="0 0 {_n(PLOT_WIDTH)} 40" width="{_n(PLOT_WIDTH)}" height="40" '
            f'role="img" aria-label="{_e(category)}: no samples">'
            '<text x="8" y="24">No samples to draw.</text></svg>'
        )
    sizes = [p["size"] for p in points]
    alphas = [p["alpha"] for p in points]
    if overhead is not None and overhead > 0:
        alphas.append(overhead)
    # cost per FLOP spans orders of magnitude across a category (abs to power): a log
    # axis where every value is positive and they span a decade, linear otherwise
    log_y = min(alphas) > 0 and max(alphas) / min(alphas) >= 10
    x = _Axis(sizes, _LEFT, PLOT_WIDTH - _RIGHT, log=True)
    y = _Axis(alphas if log_y else [max(max(alphas), 0.0)], PLOT_HEIGHT - _BOTTOM, _TOP, log_y)
    if not log_y and min(alphas) < 0:
        y.low = -_nice_top(-min(alphas))  # negative alphas (noise): the axis reaches them
    parts = [
        f'<rect x="{_n(_LEFT)}" y="{_n(_TOP)}" width="{_n(PLOT_WIDTH - _LEFT - _RIGHT)}" '
        f'height="{_n(PLOT_HEIGHT - _TOP - _BOTTOM)}" fill="#fbfcfe" stroke="#d8dde6"/>'
    ]
    for value, label in x.ticks():
        px = x(value)
        parts.append(
            f'<line x1="{_n(px)}" y1="{_n(_TOP)}" x2="{_n(px)}" y2="{_n(PLOT_HEIGHT - _BOTTOM)}" '
            'stroke="#e6e9ef"/>'
            f'<text x="{_n(px)}" y="{_n(PLOT_HEIGHT - _BOTTOM + 18)}" '
            f'text-anchor="middle">{label}</text>'
        )
    for value, label in y.ticks():
        py = y(value)
        parts.append(
            f'<line x1="{_n(_LEFT)}" y1="{_n(py)}" x2="{_n(PLOT_WIDTH - _RIGHT)}" y2="{_n(py)}" '
            'stroke="#e6e9ef"/>'
            f'<text x="{_n(_LEFT - 6)}" y="{_n(py + 4)}" text-anchor="end">{label}</text>'
        )
    parts.append(
        f'<text x="{_n((_LEFT + PLOT_WIDTH - _RIGHT) / 2)}" y="{_n(PLOT_HEIGHT - 8)}" '
        'text-anchor="middle">size (the case\'s own measure: elements, matrix order, ...)</text>'
        f'<text transform="translate(16,{_n((PLOT_HEIGHT - _BOTTOM + _TOP) / 2)}) rotate(-90)" '
        'text-anchor="middle">alpha: cost per analytical FLOP</text>'
    )
    if overhead is not None and overhead > 0:
        py = y(overhead)
        parts.append(
            f'<line class="overhead" x1="{_n(_LEFT)}" y1="{_n(py)}" '
            f'x2="{_n(PLOT_WIDTH - _RIGHT)}" y2="{_n(py)}" stroke="#1d2330" '
            f'stroke-dasharray="6 4"><title>overhead per FLOP: {_g(overhead)}</title></line>'
        )
    legend = []
    for index, (name, samples) in enumerate(series):
        colour = _colour(index)
        weight = _g(weights.get(name))
        legend.append(
            f'<span data-op="{_e(name)}"><span class="swatch" style="background:{colour}">'
            f"</span>{_e(name)} ({weight})</span>"
        )
        if not samples:
            continue
        by_size: dict[float, list[float]] = {}
        for sample in samples:
            by_size.setdefault(sample["size"], []).append(sample["alpha"])
        line = " ".join(
            f"{_n(x(size))},{_n(y(statistics.median(values)))}"
            for size, values in sorted(by_size.items())
        )
        markers = "".join(
            f'<circle cx="{_n(x(s["size"]))}" cy="{_n(y(s["alpha"]))}" r="3.5" '
            f'fill="{colour}"><title>{_e(_tooltip(name, s))}</title></circle>'
            for s in samples
        )
        parts.append(
            f'<g class="series" data-op="{_e(name)}"><title>{_e(name)}: weight {weight}</title>'
            f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.8"/>'
            f"{markers}</g>"
        )
    return (
        f'<svg class="plot" id="plot-{slug}" data-category="{_e(category)}" '
        f'viewBox="0 0 {_n(PLOT_WIDTH)} {_n(PLOT_HEIGHT)}" width="{_n(PLOT_WIDTH)}" '
        f'height="{_n(PLOT_HEIGHT)}" role="img" '
        f'aria-label="{_e(category)}: alpha against size">{"".join(parts)}</svg>'
        f'<div class="legend">{"".join(legend)}</div>'
    )


def _tooltip(name: str, sample: Mapping[str, Any]) -> str:
    size = sample["size"]
    size_text = f"{int(size):,}" if float(size).is_integer() else f"{size:g}"
    parts = [f"{name}: size {size_text}"]
    if "distribution" in sample:
        parts.append(f"distribution {_text(sample['distribution'])}")
    parts.append(f"alpha {_g(sample['alpha'])}")
    if _number(sample.get("seconds")) is not None:
        parts.append(f"{_g(sample['seconds'])} s")
    if _number(sample.get("flops")) is not None:
        parts.append(f"{_g(sample['flops'])} FLOPs")
    return ", ".join(parts)


def _plots(data: Mapping[str, Any]) -> str:
    meta = data.get("meta") or {}
    overhead = meta.get("overhead") or {}
    weights = data.get("weights") or {}
    per_category = _series(data)
    if not per_category:
        return '<p class="empty">No measurements in this file.</p>'
    out = []
    for category, series in _ordered(per_category.items()):
        level = _number(overhead.get(category)) if isinstance(overhead, Mapping) else None
        out.append(
            f'<section class="category" id="category-{_slug(category)}">'
            f"<h3>{_e(category)} ({len(series)} operation(s))</h3>"
            f"{_plot(category, series, weights, level)}</section>"
        )
    return (
        '<p class="note">One line per operation through the median alpha over input '
        "distributions at each size, one marker per sample; the dashed line is the "
        "category's overhead. A flat line is a weight that does not depend on size. "
        "Hover a line or a marker for its figures.</p>" + "".join(out)
    )


# ---------------------------------------------------------------- the page
def render(
    data: Mapping[str, Any],
    previous: Mapping[str, float] | None = None,
    title: str = "flopscope calibration",
) -> str:
    """The report of the ``weights.json`` structure ``data`` as one HTML document (text);
    ``previous`` (name -> weight), when given, is the table the new weights replace."""
    meta = data.get("meta") or {}
    weights = data.get("weights") or {}
    rows = _rows(data, previous)
    measured = sum(1 for row in rows if row["category"] != _UNMEASURED)
    summary = (
        f"{len(weights):,} weights, {measured:,} operations measured"
        + (
            f", compared with a previous table of {len(previous):,} weights"
            if previous is not None
            else ""
        )
        + "."
    )
    sections = [
        f"<h1>{_e(title)}</h1>",
        f'<p class="note" id="summary">{_e(summary)} weight = max(alpha \u2212 overhead, 0); '
        "alpha is the median cost per analytical FLOP "
        f"({'retired instructions' if meta.get('mode') == 'perf' else 'relative to np.add'})."
        "</p>",
        '<section id="run"><h2>The run</h2>',
        _meta_list(meta),
        "<h3>Pinned weights</h3>",
        _pinned(weights, meta),
        "<h3>Overhead per category</h3>",
        _overhead(meta),
        "</section>",
    ]
    if previous is not None:
        sections += [
            '<section id="moved"><h2>Moved against the previous table</h2>',
            _moved(rows),
            "</section>",
        ]
    sections += [
        '<section id="weights"><h2>Every operation</h2>',
        _weights_table(rows),
        "</section>",
        '<section id="plots"><h2>Cost per FLOP against size</h2>',
        _plots(data),
        "</section>",
    ]
    return page(title, sections, _CSS, _SCRIPT)


def write(
    data: Mapping[str, Any],
    path: str | os.PathLike[str] | None,
    previous: Mapping[str, float] | None = None,
) -> str:
    """:func:`render`, also written to ``path`` (UTF-8) when given."""
    page = render(data, previous)
    if path is not None:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(page)
    return page
