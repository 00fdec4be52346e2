"""The calibration report: one self-contained HTML page from a ``weights.json`` structure.

The page is parsed with the standard library's ``html.parser``: every element is closed
in order, nothing refers outside the page, every operation is in the sortable table with
its weights and its ratio to the previous table (flagged beyond 1.5x either way), there
is one plot per measured category with one series per operation, and hostile names come
out escaped.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest

from flopscope.calibration import report
from html_page import HtmlPage

#: a name that is markup: it must come out as text, never as a tag
HOSTILE = "<b>x</b>&\"'</script>"


def _samples(alphas: dict[int, float], flops_per_size: int = 1) -> list[dict[str, Any]]:
    return [
        {
            "size": size,
            "distribution": distribution,
            "seconds": alpha * size * 1e-9,
            "flops": size * flops_per_size,
            "alpha": alpha * factor,
        }
        for size, alpha in alphas.items()
        for distribution, factor in (("normal", 1.0), ("small", 1.1))
    ]


def sample_data() -> dict[str, Any]:
    """A hand-written run: three pointwise rows (one hostile), a BLAS contraction, a
    sorting row, a free row that was not measured, and pinned ``add``."""
    ops = {
        "add": {
            "category": "pointwise",
            "blas": False,
            "alpha": 1.2,
            "spread": [1.1, 1.3],
            "weight_measured": 1.05,
            "samples": _samples({1000: 2.0, 100_000: 1.2, 1_000_000: 1.1}),
        },
        "exp": {
            "category": "pointwise",
            "blas": False,
            "alpha": 11.6,
            "spread": [11.0, 12.5],
            "weight_measured": 11.5,
            "samples": _samples({1000: 14.0, 100_000: 11.6, 1_000_000: 11.2}),
        },
        HOSTILE: {
            "category": "pointwise",
            "blas": False,
            "alpha": 3.0,
            "spread": [2.9, 3.1],
            "weight_measured": 2.9,
            "samples": _samples({1000: 3.0, 1_000_000: 3.0}),
        },
        "matmul": {
            "category": "contractions",
            "blas": True,
            "alpha": 0.08,
            "spread": [0.07, 0.09],
            "weight_measured": 0.08,
            "samples": _samples({32: 0.3, 128: 0.1, 512: 0.08}),
        },
        "sort": {
            "category": "sorting",
            "blas": False,
            "alpha": 0.9,
            "spread": [0.8, 1.0],
            "weight_measured": 0.8,
            "samples": _samples({1000: 0.9, 100_000: 0.9}),
        },
    }
    return {
        "weights": {
            "add": 1.0,
            "exp": 11.5,
            HOSTILE: 2.9,
            "matmul": 1.0,
            "sort": 0.8,
            "reshape": 0.0,
        },
        "meta": {
            "schema_version": 1,
            "mode": "timing",
            "dtype": "float64",
            "date": "2025-01-02T03:04:05Z",
            "machine": "x86_64 reference <host>",
            "cpu": "Example CPU @ 2.0GHz",
            "python": "3.12.0",
            "numpy": "2.4.6",
            "blas": {"name": "openblas", "version": "0.3.27"},
            "repeats": 5,
            "quick": False,
            "rounding": "two significant digits",
            "pinned": {"add": 1.05, "matmul": 0.08},
            "overhead": {"pointwise": 0.1, "sorting": 0.1},
            "ops": ops,
        },
    }


#: the previous table: exp moved down (24 -> 11.5), sort up (0.5 -> 0.8 is 1.6x), the
#: hostile row from 0, add the same; ``old_only`` is no longer in the new table
PREVIOUS = {"add": 1.0, "exp": 24.0, HOSTILE: 0.0, "sort": 0.5, "matmul": 1.0, "old_only": 2.0}


class Page(HtmlPage):
    """The parsed page, and each weights-table row's cells (attributes, text)."""

    def __init__(self, text: str) -> None:
        self.rows: dict[str, list[tuple[dict[str, str], str]]] = {}
        self._row: list[tuple[dict[str, str], str]] | None = None
        self._cell: tuple[dict[str, str], list[str]] | None = None
        super().__init__(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        found = self.elements[-1][1]
        if tag == "tr" and "data-op" in found:
            self._row = self.rows.setdefault(found["data-op"], [])
        elif tag == "td" and self._row is not None:
            self._cell = (found, [])

    def closed(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append((self._cell[0], "".join(self._cell[1])))
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        super().handle_data(data)
        if self._cell is not None:
            self._cell[1].append(data)

    def cells(self, name: str) -> dict[str, tuple[dict[str, str], str]]:
        """The weights table's row of ``name``: heading -> (attributes, text)."""
        headings = ["operation", "category", "weight", "previous", "ratio", "alpha", "spread"]
        return dict(zip([*headings, "samples"], self.rows[name], strict=True))


@pytest.fixture(scope="module")
def page() -> Page:
    return Page(report.render(sample_data(), PREVIOUS))


def test_the_page_is_well_formed_and_refers_to_nothing_outside_itself(page):
    assert page.errors == []
    assert page.source.startswith("<!DOCTYPE html>")
    for _, attrs, _ in page.elements:
        for key in ("src", "href", "xlink:href"):
            assert "http" not in attrs.get(key, "")
            assert key not in attrs  # nothing is loaded: not even a local file
    assert "http" not in page.source.lower()  # no URL anywhere, script included
    assert "@import" not in page.source and "url(" not in page.source


def test_every_operation_is_a_row_of_the_sortable_table(page):
    table = page.find("table", id="weights-table")
    assert len(table) == 1 and "sortable" in table[0]["class"].split()
    assert set(page.rows) == {"add", "exp", HOSTILE, "matmul", "sort", "reshape", "old_only"}
    assert "addEventListener" in page.source  # the sorting script is inline
    numeric = [
        cell for name in page.rows for cell, _ in page.rows[name] if "num" in cell.get("class", "")
    ]
    assert numeric and all("data-sort" in cell for cell in numeric)


def test_each_row_shows_its_category_weights_alpha_spread_and_samples(page):
    exp = page.cells("exp")
    assert exp["operation"][1] == "exp"
    assert exp["category"][1] == "pointwise"
    assert exp["weight"][1] == "11.5" and exp["weight"][0]["data-sort"] == "11.5"
    assert exp["previous"][1] == "24"
    assert exp["alpha"][1] == "11.6"
    assert exp["spread"][1] == "11 \u2013 12.5"
    assert exp["samples"][1] == "6"
    assert page.cells("matmul")["category"][1] == "contractions (BLAS)"
    # a free row was not measured: its weight, no alpha, no samples
    reshape = page.cells("reshape")
    assert reshape["category"][1] == "not measured" and reshape["weight"][1] == "0"
    assert reshape["alpha"][1] == "\u2014" and reshape["samples"][1] == "0"


def test_the_ratio_to_the_previous_weight_is_flagged_beyond_one_and_a_half(page):
    def ratio(name: str) -> tuple[str, str, str]:
        attrs, text = page.cells(name)["ratio"]
        return text, attrs["class"], attrs["data-sort"]

    text, cls, value = ratio("exp")  # 11.5 / 24 = 0.479 < 1 / 1.5
    assert "moved-down" in cls and "0.479" in text and math.isclose(float(value), 11.5 / 24)
    text, cls, _ = ratio("sort")  # 0.8 / 0.5 = 1.6 > 1.5
    assert "moved-up" in cls and "1.6" in text
    assert "moved" not in ratio("add")[1] and ratio("add")[0] == "1\u00d7"
    assert "moved" not in ratio("matmul")[1]
    assert "moved-up" in ratio(HOSTILE)[1] and ratio(HOSTILE)[2] == "Infinity"  # from 0
    # no previous weight, no ratio; no new weight, no ratio
    assert ratio("reshape")[0] == "\u2014" and ratio("reshape")[2] == ""
    assert page.cells("old_only")["weight"][1] == "\u2014"
    # the summary of moved weights lists exactly the flagged ones
    moved = page.source.split('<table class="moved">')[1].split("</table>")[0]
    assert "exp" in moved and "sort" in moved and "matmul" not in moved


def test_without_a_previous_table_there_is_no_ratio_and_no_moved_section():
    page = Page(report.render(sample_data()))
    assert page.errors == []
    assert page.find("section", id="moved") == []
    assert all(page.cells(name)["ratio"][1] == "\u2014" for name in page.rows)
    assert "moved-up" not in page.source.replace("td.moved-up", "")


def test_one_plot_per_measured_category_with_one_series_per_operation(page):
    plots = page.find("svg", **{"class": "plot"})
    assert [p["data-category"] for p in plots] == ["pointwise", "sorting", "contractions"]
    series = page.find("g", **{"class": "series"})
    assert sorted(g["data-op"] for g in series) == sorted(["add", "exp", HOSTILE, "matmul", "sort"])
    data = sample_data()
    markers = [e for e in page.elements if e[0] == "circle"]
    assert len(markers) == sum(len(op["samples"]) for op in data["meta"]["ops"].values())
    # every marker's tooltip gives its operation, size, distribution and alpha
    assert "exp: size 100,000, distribution normal, alpha 11.6" in " | ".join(page.titles)
    # the overhead is drawn where the category has one
    assert len(page.find("line", **{"class": "overhead"})) == 2


def test_the_plot_places_sizes_on_a_log_axis():
    data = sample_data()
    data["meta"]["ops"] = {"add": data["meta"]["ops"]["add"]}
    page = Page(report.render(data))
    xs = sorted({float(c["cx"]) for c in page.find("circle")})
    # sizes 1e3, 1e5, 1e6: equal steps per decade
    assert math.isclose((xs[1] - xs[0]) / 2, xs[2] - xs[1], rel_tol=1e-2)


def test_the_run_is_described_in_the_header(page):
    text = page.text
    for figure in ("x86_64 reference <host>", "Example CPU @ 2.0GHz", "2.4.6", "timing"):
        assert figure in text
    for figure in ("float64", "2025-01-02T03:04:05Z", "two significant digits", "openblas"):
        assert figure in text
    assert page.find("dd", id="meta-repeats") and "5" in text
    pinned = page.source.split('<table class="pinned">')[1].split("</table>")[0]
    assert "add" in pinned and "1.05" in pinned and "matmul" in pinned and "0.08" in pinned
    overhead = page.source.split('<table class="overhead">')[1].split("</table>")[0]
    assert "pointwise" in overhead and "0.1" in overhead


def test_a_hostile_operation_name_is_escaped_everywhere(page):
    assert HOSTILE not in page.source  # only ever escaped
    assert not any(tag == "b" for tag, *_ in page.elements)
    assert page.source.count("</script>") == 1  # the page's own script, nothing else
    assert HOSTILE in page.text  # shown as text in the table and the legend
    assert HOSTILE in page.rows
    assert any(title.startswith(HOSTILE + ": size") for title in page.titles)


def test_hostile_meta_fields_and_categories_are_escaped():
    data = sample_data()
    data["meta"]["machine"] = HOSTILE
    data["meta"]["ops"]["sort"]["category"] = HOSTILE
    data["meta"]["overhead"][HOSTILE] = 0.5
    page = Page(report.render(data, PREVIOUS))
    assert page.errors == [] and HOSTILE not in page.source
    assert not any(tag == "b" for tag, *_ in page.elements)
    assert HOSTILE in [p["data-category"] for p in page.find("svg", **{"class": "plot"})]


def test_missing_and_malformed_fields_show_as_dashes():
    data = sample_data()
    data["meta"] = {"ops": copy.deepcopy(data["meta"]["ops"])}
    data["meta"]["ops"]["add"].pop("spread")
    data["meta"]["ops"]["add"]["alpha"] = float("nan")
    data["meta"]["ops"]["exp"]["samples"].append({"size": 0, "alpha": 1.0})  # not drawable
    data["meta"]["ops"]["sort"] = "not a mapping"
    page = Page(report.render(data))
    assert page.errors == []
    add = page.cells("add")
    assert add["alpha"][1] == "\u2014" and add["spread"][1] == "\u2014"
    assert page.find("dd", id="meta-machine")
    assert page.cells("sort")["category"][1] == "not measured"
    assert "No weights are pinned." in page.text


def test_an_empty_file_renders():
    page = Page(report.render({"weights": {}, "meta": {}}))
    assert page.errors == []
    assert "The file lists no weights." in page.text
    assert "No measurements in this file." in page.text


def test_write_writes_the_page_it_returns(tmp_path):
    path = tmp_path / "report.html"
    page = report.write(sample_data(), path, previous=PREVIOUS)
    assert path.read_text(encoding="utf-8") == page
    assert page == report.render(sample_data(), PREVIOUS)
