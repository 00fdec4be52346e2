"""The HTML report: ``budget.to_html_report(path)`` and ``flopscope run --html FILE``.

The page is parsed with the standard library's ``html.parser``: the main elements nest
properly, nothing refers outside the page, every operation and its FLOPs are in it, the
treemap's rectangles have areas proportional to the FLOPs, and hostile names come out
escaped.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import _html_report
from flopscope.__main__ import main
from html_page import HtmlPage

SCRIPTS = Path(__file__).resolve().parent / "scripts"

pytestmark = pytest.mark.usefixtures("unit_weights")

#: a name that is markup: it must come out as text, never as a tag
HOSTILE = "<b>x</b>&\"'"
hostile_op = flops.register(lambda a: a, cost=lambda a: 3 * np.size(a), name=HOSTILE)


class Page(HtmlPage):
    """The parsed report: its treemap rectangles and its tables' rows too."""

    def cells(self) -> list[dict[str, str]]:
        """The treemap's rectangles, one per operation."""
        return [found for name, found, _ in self.elements if name == "rect" and "data-op" in found]

    def rows(self, table_class: str) -> list[list[str]]:
        """The cell texts of each body row of the table of that class."""
        return _table_rows(self, table_class)


def _table_rows(page: Page, table_class: str) -> list[list[str]]:
    collector = _RowCollector(table_class)
    collector.feed(page.source)
    return collector.rows


class _RowCollector(HTMLParser):
    def __init__(self, table_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.table_class = table_class
        self.inside = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("class") == self.table_class:
            self.inside = 1
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.inside and self.in_body and tag == "tr":
            self.rows.append([])
        elif self.inside and self.in_body and tag == "td":
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None
        elif tag == "table" and self.inside:
            self.inside = 0
            self.in_body = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def parse(text: str) -> Page:
    return Page(text)


def _sample_budget(**options: Any) -> flops.BudgetContext:
    """A few operations in two namespaces and none."""
    x = fnp.ones((32, 32))
    with flops.BudgetContext(flop_budget=1e8, **options) as budget:
        with flops.namespace("encoder"):
            y = x @ x
            fnp.exp(y)
        with flops.namespace("decoder"):
            fnp.tanh(y) * 2.0
            hostile_op(x)
        fnp.sqrt(x)
    return budget


# ---------------------------------------------------------------- structure
def test_the_page_is_well_formed_and_refers_to_nothing_outside_itself():
    budget = _sample_budget(track_lines=True)
    text = budget.to_html_report()
    page = parse(text)
    assert page.errors == []
    assert text.startswith("<!DOCTYPE html>")
    assert [tag for tag, _, _ in page.elements[:3]] == ["html", "head", "meta"]
    for tag in ("body", "style", "svg", "table", "section"):
        assert page.find(tag), tag
    # every section sits directly in the body, every table cell in a row of a table
    for tag, _, parents in page.elements:
        if tag == "section":
            assert parents == ("html", "body")
        if tag in ("td", "th"):
            assert parents[-1] == "tr" and "table" in parents
        if tag == "rect":
            assert "svg" in parents
    assert "http://" not in text and "https://" not in text
    assert "<script" not in text and "url(" not in text and "@import" not in text
    assert all("src" not in attrs and "href" not in attrs for _, attrs, _ in page.elements)


def test_every_operation_and_its_flops_are_in_the_table_and_the_treemap():
    budget = _sample_budget()
    page = parse(budget.to_html_report())
    operations = budget.summary_dict()["operations"]
    rows = {row[0]: row for row in page.rows("operations")}
    assert set(rows) == set(operations)
    for name, op in operations.items():
        assert rows[name][1] == f"{op['flop_cost']:,}"
        assert rows[name][3] == f"{op['calls']:,}"
    cells = {
        (cell["data-namespace"], cell["data-op"]): int(cell["data-flops"]) for cell in page.cells()
    }
    spaces = budget.summary_dict(by_namespace=True)["by_namespace"]
    expected = {
        ("(no namespace)" if path is None else path, name): op["flop_cost"]
        for path, figures in spaces.items()
        for name, op in figures["operations"].items()
    }
    assert cells == expected
    # the tooltip of each rectangle names it and gives its FLOPs
    for (space, name), cost in expected.items():
        assert any(t.startswith(f"{space} / {name}: {cost:,} FLOPs") for t in page.titles)


def test_the_totals_are_shown():
    budget = _sample_budget()
    text = parse(budget.to_html_report()).text
    used, limit = budget.flops_used, budget.flop_budget
    for figure in (f"{limit:,}", f"{used:,}", f"{limit - used:,}", f"{100 * used / limit:.1f}%"):
        assert figure in text


def _area_checks(page: Page, total: int) -> None:
    """Each rectangle's area is ``W * H * flops / total``, up to the coordinates'
    rounding to hundredths; the rectangles fill the drawing."""
    width, height = _html_report.TREEMAP_WIDTH, _html_report.TREEMAP_HEIGHT
    drawn = 0.0
    for cell in page.cells():
        w, h = float(cell["width"]), float(cell["height"])
        expected = width * height * int(cell["data-flops"]) / total
        assert abs(w * h - expected) <= 0.005 * (w + h) + 1e-3, cell
        drawn += w * h
    assert drawn == pytest.approx(width * height, rel=1e-4)


def test_treemap_areas_are_proportional_to_flops():
    with flops.BudgetContext(flop_budget=10**9) as budget:
        for k, cost in enumerate((500_000, 250_000, 120_000, 60_000, 40_000, 20_000, 7_000)):
            with flops.namespace(f"space{k % 3}"):
                budget.deduct(f"op{k}", flop_cost=cost)
    page = parse(budget.to_html_report())
    assert len(page.cells()) == 7
    _area_checks(page, budget.flops_used)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=1e-3, max_value=1e6), min_size=1, max_size=30))
def test_squarify_tiles_the_rectangle_with_the_given_areas(values):
    values = sorted(values, reverse=True)
    width, height = 300.0, 170.0
    areas = [width * height * v / sum(values) for v in values]
    rects = _html_report.squarify(areas, (0.0, 0.0, width, height))
    assert len(rects) == len(areas)
    for (x, y, w, h), area in zip(rects, areas, strict=True):
        assert w * h == pytest.approx(area, rel=1e-9, abs=1e-9)
        assert -1e-6 <= x and x + w <= width + 1e-6
        assert -1e-6 <= y and y + h <= height + 1e-6


# ---------------------------------------------------------------- escaping
def test_a_hostile_operation_name_is_escaped_everywhere():
    budget = _sample_budget(track_lines=True)
    text = budget.to_html_report()
    assert HOSTILE not in text
    assert "<b>" not in text
    page = parse(text)
    assert page.errors == []
    assert not page.find("b")
    assert html_escaped(HOSTILE) in text
    assert [row[0] for row in page.rows("operations")].count(HOSTILE) == 1
    assert [cell["data-op"] for cell in page.cells()].count(HOSTILE) == 1
    assert any(t.startswith(f"decoder / {HOSTILE}: ") for t in page.titles)


def html_escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_source_lines_are_escaped_in_the_by_line_table(tmp_path):
    program = tmp_path / "markup.py"
    program.write_text(
        "import flopscope.numpy as fnp\n"
        "def run(x):\n"
        "    return fnp.exp(x) if '<i>' != '</i>' else x\n",
        encoding="utf-8",
    )
    namespace: dict[str, Any] = {}
    exec(compile(program.read_text(), str(program), "exec"), namespace)
    with flops.BudgetContext(flop_budget=1e6, track_lines=True) as budget:
        namespace["run"](fnp.ones(10))
    page = parse(budget.to_html_report())
    assert page.errors == [] and not page.find("i")
    (row,) = page.rows("lines")
    assert row[1:] == ["3", "return fnp.exp(x) if '<i>' != '</i>' else x", "10", "1", "100.0%"]


# ---------------------------------------------------------------- sections and edges
def test_the_by_line_table_appears_only_when_lines_are_tracked():
    tracked = parse(_sample_budget(track_lines=True).to_html_report())
    assert tracked.find("section", id="lines")
    rows = tracked.rows("lines")
    assert rows and all(row[0].endswith("test_html_report.py") for row in rows)
    plain = parse(_sample_budget().to_html_report())
    assert not plain.find("section", id="lines") and not plain.rows("lines")


def test_the_time_bar_splits_the_wall_time_into_its_three_parts():
    budget = _sample_budget()
    page = parse(budget.to_html_report())
    data = budget.summary_dict()
    (bar,) = [
        attrs
        for tag, attrs, _ in page.elements
        if tag == "svg" and attrs.get("aria-label") == "wall time split"
    ]
    segments = [
        attrs
        for tag, attrs, parents in page.elements
        if tag == "rect"
        and attrs.get("class") == "segment"
        and attrs.get("data-name") in ("backend", "flopscope overhead", "residual")
    ]
    assert [s["data-name"] for s in segments] == ["backend", "flopscope overhead", "residual"]
    assert sum(float(s["width"]) for s in segments) == pytest.approx(float(bar["width"]), abs=0.02)
    assert f"wall {data['wall_time_s']:.6f} s = backend" in page.text


def test_an_empty_budget_renders():
    with flops.BudgetContext(flop_budget=0) as budget:
        pass
    page = parse(budget.to_html_report())
    assert page.errors == []
    assert page.cells() == []
    assert "No counted operations." in page.text
    assert "No FLOPs were charged" in page.text
    assert "0.0%" in page.text


def test_huge_numbers_are_exact_in_the_tables_and_drawn_in_proportion():
    huge = 7 * 10**40
    with flops.BudgetContext(flop_budget=10**45) as budget:
        budget.deduct("enormous", flop_cost=huge)
        budget.deduct("vast", flop_cost=huge // 3)
        budget.deduct("tiny", flop_cost=5)
    page = parse(budget.to_html_report())
    rows = {row[0]: row for row in page.rows("operations")}
    assert rows["enormous"][1] == f"{huge:,}" and rows["vast"][1] == f"{huge // 3:,}"
    assert f"{10**45:,}" in page.text
    assert "7.00e+40 FLOPs" in page.text  # beyond the decimal prefixes
    _area_checks(page, budget.flops_used)


def test_short_flop_figures():
    assert _html_report._short(999) == "999 FLOPs"
    assert _html_report._short(1_234_567) == "1.23 MFLOPs"
    assert _html_report._short(10**24) == "1 YFLOPs"


def test_to_html_report_writes_the_page_it_returns(tmp_path):
    budget = _sample_budget()
    target = tmp_path / "report.html"
    page = budget.to_html_report(target)
    assert target.read_text(encoding="utf-8") == page
    again = budget.to_html_report(str(tmp_path / "again.html"))  # a str path too
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == again == page


# ---------------------------------------------------------------- the command line
def test_flopscope_run_writes_the_html_report(tmp_path, capsys):
    target = tmp_path / "run.html"
    status = main(
        ["run", str(SCRIPTS / "mlp_forward.py"), "4", "--by", "line", "--html", str(target)]
    )
    capsys.readouterr()
    assert status == 0
    page = parse(target.read_text(encoding="utf-8"))
    assert page.errors == []
    operations = {row[0] for row in page.rows("operations")}
    assert {"matmul", "maximum", "exp"} <= operations
    sources = [row[2] for row in page.rows("lines")]
    assert "hidden = np.maximum(x @ w1, 0.0)  # line: first layer" in sources
    assert os.path.basename(page.rows("lines")[0][0]) == "mlp_forward.py"
