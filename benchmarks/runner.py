"""The calibration runner from a checkout: ``python -m benchmarks.runner --help``.

The runner itself is :mod:`flopscope.calibration.runner` (``flopscope calibrate`` when
installed); this runs it on the checkout's own ``src/`` (ahead of any installed copy).
"""

from __future__ import annotations

import sys
from pathlib import Path

_SRC = Path(__file__).resolve().parents[1] / "src"
if (_SRC / "flopscope").is_dir():
    sys.path.insert(0, str(_SRC))

from flopscope.calibration.runner import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
