"""Registry samples: flopscope.stats (SciPy's distributions).

Each row's cost is ``numel(output) * per element``, the per-element counts written out
in ``tests/test_stats.py`` (``PER_ELEMENT``). The generic table compares shapes and dtypes
with ``scipy.stats``; values are compared there to 1e-12 relative (the formulas are
SciPy's, the last bits may differ).
"""

from __future__ import annotations

import numpy as np

from samples import case, unit
from test_stats import PER_ELEMENT, SHAPE_PARAMETERS

X34 = (unit((3, 4)) - 0.5) * 6.0  # both signs, both tails of the common distributions
Q34 = unit((3, 4))
X4 = np.array([0.2, 0.7, 1.5, 3.0])
Q4 = np.array([0.05, 0.3, 0.6, 0.95])


def _cases(dist: str, method: str) -> list:
    per = PER_ELEMENT[f"{dist}.{method}"]
    grid, row = (Q34, Q4) if method in ("ppf", "isf") else (X34 + 3.5 * (dist == "lognorm"), X4)
    shapes = SHAPE_PARAMETERS[dist]
    scalar = float(row[1])
    return [
        case((grid, *shapes), cost=12 * per, values=False),
        # parameters broadcast against x: (4,) with (3, 1) -> (3, 4)
        case(
            (row, *shapes),
            {"loc": np.array([[0.0], [0.5], [-1.0]]), "scale": 2.0},
            cost=12 * per,
            values=False,
        ),
        case((scalar, *shapes, 0.25, 1.5), cost=per, values=False),
        case((list(row), *shapes), {"scale": [1.0, 2.0, 0.5, 3.0]}, cost=4 * per, values=False),
        # invalid scale: NaN, as SciPy, and charged like any other call
        case((row, *shapes), {"scale": -1.0}, cost=4 * per, values=False),
    ]


CASES = {
    f"stats.{dist}.{method}": [_make for _make in _cases(dist, method)]
    for dist in SHAPE_PARAMETERS
    for method in ("pdf", "logpdf", "cdf", "sf", "ppf", "isf")
}
