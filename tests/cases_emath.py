"""Registry samples: numpy.emath (complex results outside the real domain) and
numpy.lib.stride_tricks (free views)."""

from __future__ import annotations

import numpy as np

from samples import case, unit

# inputs on both sides of each real domain boundary
MIXED = np.array([-2.0, -0.5, 0.25, 0.5, 2.0])
UNIT_MIXED = np.array([-0.5, 0.0, 0.5, 0.9])

CASES = {
    **{
        f"emath.{name}": [
            case((MIXED,), cost=5),
            case((unit((3, 4)),), cost=12),
            case((-4.0,), cost=1),
        ]
        for name in ("sqrt", "log", "log2", "log10")
    },
    **{
        f"emath.{name}": [case((UNIT_MIXED * 3,), cost=4), case((unit((2, 3)),), cost=6)]
        for name in ("arccos", "arcsin", "arctanh")
    },
    "emath.power": [
        case((MIXED, 0.5), cost=5),
        case((unit((3, 1)), unit((1, 4))), cost=12),
    ],
    "emath.logn": [
        case((2.0, MIXED), cost=5),
        case((unit((3,)) + 1.5, unit((2, 3))), cost=6),
    ],
}

SERIES = np.arange(10.0)
FREE = {
    "lib.stride_tricks.sliding_window_view": [
        lambda: ((SERIES, 3), {}),
        lambda: ((SERIES.reshape(2, 5), (2, 2)), {}),
    ],
    "lib.stride_tricks.as_strided": [
        lambda: ((SERIES,), {"shape": (4, 3), "strides": (16, 8)}),
    ],
}
