"""Render the calibration report in a headless Chromium and check what the browser made
of it.

Builds a report from a synthetic run (a few operations in four categories, their
weights drifting with size, one operation with a name that is markup, a previous table
that some weights moved away from), writes it beside the screenshot, then asks Chromium
for

* a screenshot (``--screenshot``), to look at the page;
* the DOM after rendering (``--dump-dom``), checked for every operation in the table,
  one plot per category with one series per operation, the moved weights flagged, and
  the hostile name shown as text, not as markup;
* the DOM of a copy of the page that clicks the weight column's heading twice once
  loaded: the rows come out sorted by weight, largest first (the page's own script).

Prints one OK / FAIL line per check; exits 1 if any check fails, 2 if the browser is
missing.

    PYTHONPATH=src python scripts/check_calibration_report.py [--browser /usr/bin/chromium]
        [--out-dir /tmp]
"""

from __future__ import annotations

import sys
from typing import Any

from headless_browser import Checks, RenderedDom, chromium, options, render

from flopscope.calibration import report

HOSTILE = "<b>x</b>"


class CalibrationDom(RenderedDom):
    """The dumped DOM of the calibration report, with the weights table's rows
    (operation, weight text, ...) in document order."""

    def __init__(self, text: str) -> None:
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        super().__init__(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        found = self.elements[-1][1]
        if tag == "tr" and "data-op" in found:
            self.rows.append([])
        elif tag == "td" and self.rows:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        super().handle_data(data)
        if self._cell is not None:
            self._cell.append(data)

    def having(self, tag: str, cls: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and cls in a.get("class", "").split()]


def synthetic_run() -> dict[str, Any]:
    """A run whose alphas fall with size (dispatch cost spread over more elements)."""
    plan = {
        "pointwise": {"add": 1.0, "exp": 11.0, "sin": 9.0, "mod": 0.4, HOSTILE: 3.0},
        "reductions": {"sum": 0.6, "var": 2.5},
        "linalg": {"linalg.svd": 0.3, "linalg.qr": 0.25},
        "sorting": {"sort": 1.4, "argsort": 1.8},
    }
    ops: dict[str, Any] = {}
    weights: dict[str, float] = {}
    for category, rows in plan.items():
        sizes = (16, 64, 256) if category == "linalg" else (1_000, 10_000, 100_000, 1_000_000)
        for name, alpha in rows.items():
            samples = []
            for size in sizes:
                for distribution, factor in (("normal", 1.0), ("wide", 1.08)):
                    value = alpha * factor * (1 + 30 / size**0.5)
                    samples.append(
                        {
                            "size": size,
                            "distribution": distribution,
                            "seconds": value * size * 1e-9,
                            "flops": size,
                            "alpha": value,
                        }
                    )
            ops[name] = {
                "category": category,
                "blas": category == "linalg",
                "alpha": alpha,
                "spread": [alpha * 0.95, alpha * 1.05],
                "weight_measured": alpha,
                "samples": samples,
            }
            weights[name] = round(alpha, 2)
    weights["reshape"] = 0.0
    meta = {
        "schema_version": 1,
        "mode": "timing",
        "dtype": "float64",
        "date": "2025-01-02T03:04:05Z",
        "machine": "x86_64",
        "cpu": "synthetic",
        "python": sys.version.split()[0],
        "numpy": "2.x",
        "blas": "openblas",
        "repeats": 5,
        "quick": False,
        "rounding": "two decimals",
        "pinned": {"add": 1.02},
        "overhead": {"pointwise": 0.15, "reductions": 0.1},
        "ops": ops,
    }
    return {"weights": weights, "meta": meta}


#: the table the synthetic run replaces: exp and sin moved down, mod up
PREVIOUS = {"add": 1.0, "exp": 20.0, "sin": 16.0, "mod": 0.2, "sum": 0.6, "linalg.svd": 0.3}

#: appended to a copy of the page: sort by weight twice (ascending, then descending)
_CLICK = (
    "<script>var th = document.querySelectorAll('#weights-table th')[2];"
    "th.click(); th.click();</script>"
)


def main(argv: list[str] | None = None) -> int:
    browser, out = options(__doc__.splitlines()[0], argv)
    check = Checks()

    data = synthetic_run()
    page = out / "calibration_report.html"
    report.write(data, page, previous=PREVIOUS)
    done = render(check, browser, page, out / "calibration_report.png", 3000)
    dom = CalibrationDom(done.stdout)
    names = set(data["weights"]) | set(PREVIOUS)
    check(
        sorted(row[0] for row in dom.rows) == sorted(names),
        f"table: {len(dom.rows)} rows for {len(names)} operations",
    )
    categories = [a["data-category"] for a in dom.having("svg", "plot")]
    check(
        categories == ["pointwise", "reductions", "linalg", "sorting"],
        f"one plot per category: {categories}",
    )
    series = sorted(a["data-op"] for a in dom.having("g", "series"))
    check(
        series == sorted(data["meta"]["ops"]), f"one series per measured operation ({len(series)})"
    )
    flagged = {
        row[0] for row in dom.rows if row[4].startswith("\u25b2") or row[4].startswith("\u25bc")
    }
    check(flagged == {"exp", "sin", "mod"}, f"moved weights flagged: {sorted(flagged)}")
    check(
        not any(tag == "b" for tag, _ in dom.elements) and HOSTILE in dom.text,
        f"the name {HOSTILE!r} is shown as text, not markup",
    )
    check(
        not any("src" in a or "href" in a for _, a in dom.elements),
        "nothing loaded from outside the page",
    )

    clicked = out / "calibration_report_sorted.html"
    clicked.write_text(page.read_text(encoding="utf-8").replace("</body>", _CLICK + "</body>"))
    done = chromium(browser, "--dump-dom", clicked.resolve().as_uri())
    rows = CalibrationDom(done.stdout).rows
    weights = [float(row[2]) if row[2] != "\u2014" else None for row in rows]
    known = [w for w in weights if w is not None]
    check(
        done.returncode == 0
        and known == sorted(known, reverse=True)
        and weights[: len(known)] == known,
        "a click on the weight heading sorts the rows (descending, missing last): "
        + ", ".join(row[0] for row in rows[:4])
        + ", ...",
    )
    print(f"{'FAIL' if check.failed else 'OK'}: {check.failed} failed check(s)")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
