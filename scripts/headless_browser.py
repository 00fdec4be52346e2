"""What the report checks share: a headless Chromium run, the OK / FAIL tally, the reader
of the DOM Chromium dumps, and the screenshot-then-dump step."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path


class Checks:
    """Prints one OK / FAIL line per check and counts the failures."""

    def __init__(self) -> None:
        self.failed = 0

    def __call__(self, ok: bool, what: str) -> None:
        print(f"{'OK  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failed += 1


def chromium(browser: str, *args: str) -> subprocess.CompletedProcess:
    """``browser`` run headless with ``args`` (its output captured, two minutes at most)."""
    return subprocess.run(
        [browser, "--headless=new", "--disable-gpu", "--no-sandbox", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


class RenderedDom(HTMLParser):
    """The elements of a dumped DOM (tag, attributes) and its text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)


def render(
    check: Checks, browser: str, page: Path, screenshot: Path | None, height: int
) -> subprocess.CompletedProcess:
    """A screenshot of ``page`` (1200 x ``height``; checked to be written), unless
    ``screenshot`` is None, then its DOM as Chromium rendered it (checked to hold an SVG)."""
    url = page.resolve().as_uri()
    if screenshot is not None:
        done = chromium(browser, f"--screenshot={screenshot}", f"--window-size=1200,{height}", url)
        size = screenshot.stat().st_size if screenshot.exists() else 0
        check(done.returncode == 0 and size > 10_000, f"screenshot {screenshot} ({size:,} bytes)")
    done = chromium(browser, "--dump-dom", url)
    check(done.returncode == 0 and "<svg" in done.stdout, f"dump-dom of {page.name}")
    return done


def options(description: str, argv: list[str] | None) -> tuple[str, Path]:
    """(the browser, the folder to write into) from ``--browser`` / ``--out-dir``; exits
    with status 2 when there is no browser."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--browser", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--out-dir", default=tempfile.gettempdir())
    args = parser.parse_args(argv)
    if not os.path.exists(args.browser):
        print(f"FAIL no browser at {args.browser}")
        sys.exit(2)
    return args.browser, Path(args.out_dir)
