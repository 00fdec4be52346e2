"""What the report checks share: a headless Chromium run and the OK / FAIL tally."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
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
