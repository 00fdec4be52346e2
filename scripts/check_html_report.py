"""Render the HTML report in a headless Chromium and check what the browser made of it.

Builds a report from a sample run (a few operations in two namespaces and none, lines
tracked, one operation with a name that is markup), writes it beside the screenshot,
then asks Chromium for

* a screenshot (``--screenshot``), to look at the page;
* the DOM after rendering (``--dump-dom``), checked for the totals, every operation's
  name and FLOPs, one treemap rectangle per operation with FLOPs, the time bar's three
  segments, the by-line table, and the hostile name shown as text, not as markup.

It also renders the page ``flopscope run --by line --html`` writes for
tests/scripts/mlp_forward.py. Prints one OK / FAIL line per check; exits 1 if any check
fails, 2 if the browser is missing.

    PYTHONPATH=src python scripts/check_html_report.py [--browser /usr/bin/chromium]
        [--out-dir /tmp]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from headless_browser import Checks, RenderedDom, options, render

import flopscope as flops
import flopscope.numpy as fnp

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<b>x</b>"


class ReportDom(RenderedDom):
    """The dumped DOM of the report: its rectangles by attribute."""

    def rects(self, attribute: str) -> list[dict[str, str]]:
        return [a for tag, a in self.elements if tag == "rect" and attribute in a]


def sample_budget() -> flops.BudgetContext:
    """A by-line tracked run of a few operations in namespaces."""
    markup = flops.register(lambda a: a, cost=lambda a: 5 * np.size(a), name=HOSTILE)
    x = fnp.ones((48, 48))
    with flops.BudgetContext(flop_budget=5e6, track_lines=True) as budget:
        with flops.namespace("encoder"):
            hidden = fnp.maximum(x @ x, 0.0)
            scores = fnp.exp(hidden / 48.0)
        with flops.namespace("decoder"):
            out = fnp.tanh(scores) * 2.0
            markup(out)
        fnp.sqrt(fnp.abs(out)).sum()
    return budget


def check_page(
    check: Checks,
    browser: str,
    page: Path,
    operations: dict[str, dict],
    totals: list[str],
    screenshot: Path | None,
    lines: list[str],
) -> ReportDom:
    dom = ReportDom(render(check, browser, page, screenshot, 1600).stdout)
    text = dom.text
    for figure in totals:
        check(figure in text, f"total shown: {figure}")
    names = [name for name, op in operations.items() if op["flop_cost"] > 0]
    for name, op in operations.items():
        check(
            name in text and f"{op['flop_cost']:,}" in text,
            f"operation {name!r}: {op['flop_cost']:,} FLOPs",
        )
    cells = dom.rects("data-op")
    check(
        sorted(c["data-op"] for c in cells) == sorted(names),
        f"treemap: {len(cells)} rectangles for {len(names)} operations with FLOPs",
    )
    segments = [r["data-name"] for r in dom.rects("data-name")]
    check(
        ["backend", "flopscope overhead", "residual"]
        == [s for s in segments if s not in ("used", "remaining")],
        "time bar: backend, flopscope overhead, residual",
    )
    for source in lines:
        check(source in text, f"by-line table: {source}")
    check(
        not any(tag == "script" or "src" in a or "href" in a for tag, a in dom.elements),
        "nothing loaded from outside the page",
    )
    return dom


def main(argv: list[str] | None = None) -> int:
    browser, out = options(__doc__.splitlines()[0], argv)
    check = Checks()

    budget = sample_budget()
    page = out / "report.html"
    budget.to_html_report(page)
    data = budget.summary_dict()
    used, limit = data["flops_used"], data["flop_budget"]
    totals = [f"{limit:,}", f"{used:,}", f"{limit - used:,}", f"{100 * used / limit:.1f}%"]
    sources = ["hidden = fnp.maximum(x @ x, 0.0)", "markup(out)"]
    dom = check_page(check, browser, page, data["operations"], totals, out / "report.png", sources)
    check(
        not any(tag == "b" for tag, _ in dom.elements) and HOSTILE in dom.text,
        f"the name {HOSTILE!r} is shown as text, not markup",
    )

    # the page the command line writes, with the same run's JSON for the figures
    cli_page, cli_json = out / "report_cli.html", out / "report_cli.json"
    script = ROOT / "tests" / "scripts" / "mlp_forward.py"
    command = [sys.executable, "-m", "flopscope", "run", str(script), "--by", "line"]
    command += ["--html", str(cli_page), "--json", str(cli_json)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    check(done.returncode == 0 and cli_page.exists(), "flopscope run --by line --html")
    if done.returncode == 0 and cli_page.exists():
        run = json.loads(cli_json.read_text(encoding="utf-8"))
        figures = run["totals"]
        totals = [f"{figures['flops_used']:,}", f"{figures['flops_remaining']:,}"]
        sources = ["hidden = np.maximum(x @ w1, 0.0)  # line: first layer"]
        check_page(check, browser, cli_page, run["operations"], totals, None, sources)
    print(f"{'FAIL' if check.failed else 'OK'}: {check.failed} failed check(s)")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
