"""What the report checks share: a headless Chromium run and the OK / FAIL tally."""

from __future__ import annotations

import subprocess


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
