"""Registry samples: order statistics, histograms and binning, covariance, averages,
differences, integration and interpolation.

Each cost is written here by hand from the documented formula, independently of the
rules. Notation in the comments: a selection over a slice of n costs n (per requested
quantile), a binary search into m sorted values ``ceil(log2(m + 1))`` per query
(``cl(m + 1)`` below), a sort ``n * ceil(log2 n)``.
"""

from __future__ import annotations

import math

import numpy as np

from samples import case, small_ints, unit


def cl(k: int) -> int:
    """``ceil(log2 k)``: comparisons of a binary search with k outcomes."""
    return math.ceil(math.log2(k))


V9 = unit((9,))
V100 = unit((100,))
W100 = unit((100,))
M34 = unit((3, 4))
T234 = unit((2, 3, 4))
I6 = small_ints((6,))
I10 = small_ints((10,))
I34 = small_ints((3, 4))
N34 = M34.copy()
N34[0, 1] = N34[2, 3] = np.nan
X50, Y50, W50 = unit((50,)), unit((50,)), unit((50,))
S303 = unit((30, 3))
X20, Y20, W20 = unit((20,)), unit((20,)), unit((20,))
XP8 = np.sort(unit((8,)))
FP8 = unit((8,))
V6, V6B = unit((6,)), unit((6,))
EMPTY = np.zeros(0)
SCALAR = np.float64(0.5)
PHASE9 = np.cumsum(unit((9,)) * 4.0)
PHASE34 = np.cumsum(unit((3, 4)) * 4.0, axis=0)
X9 = np.cumsum(unit((9,)))
X4 = np.cumsum(unit((4,)))
X34 = np.cumsum(unit((3, 4)), axis=1)

# ---------------------------------------------------------------------------- quantiles
# unweighted: n_q * slices * (n + 3); nan forms + numel; weighted per slice:
# n * ceil(log2 n) + 2n + n_q * cl(n + 1)
CASES: dict[str, list] = {
    "median": [
        case((M34,), cost=12 + 3),
        case((M34,), {"axis": 0}, cost=4 * (3 + 3)),
        case((M34, 1), cost=3 * (4 + 3)),
        case((M34,), {"axis": 1, "keepdims": True}, cost=3 * (4 + 3)),
        case((T234,), {"axis": (0, 2)}, cost=3 * (8 + 3)),
        case((I6,), cost=6 + 3),
        case((I34, -1), cost=3 * (4 + 3)),
        case((SCALAR,), cost=1 + 3),
        case((np.zeros((0, 3)),), {"axis": 0}, cost=3 * (0 + 3)),
        case((M34,), {"axis": 2}),  # NumPy's AxisError, nothing charged
    ],
    "nanmedian": [
        case((N34,), cost=12 + 12 + 3),
        case((N34, 0), cost=12 + 4 * (3 + 3)),
        case((N34,), {"axis": 1, "keepdims": True}, cost=12 + 3 * (4 + 3)),
        case((I6,), cost=6 + 6 + 3),
        case((SCALAR,), cost=1 + 1 + 3),
    ],
    "percentile": [
        case((V9, 50), cost=9 + 3),
        case((M34, [25, 50, 75]), {"axis": 1}, cost=3 * 3 * (4 + 3)),
        case((M34, np.array([[10, 20], [30, 90]]), 0), cost=4 * 4 * (3 + 3)),
        case((M34, 50), {"method": "nearest"}, cost=12 + 3),
        case((M34, 50, None, None, False, "lower"), cost=12 + 3),
        case((M34, 50, 1, None, False, "midpoint", True), cost=3 * (4 + 3)),
        case((T234, [5, 95]), {"axis": (1, 2), "keepdims": True}, cost=2 * 2 * (12 + 3)),
        case((I6, 30), cost=6 + 3),
        case((SCALAR, 50), cost=1 + 3),
        case((M34, []), {"axis": 1}, cost=0),
        # weighted (inverted_cdf): slices 3 of n = 4: 4*2 + 8 + 1*cl(5)
        case(
            (M34, 50),
            {"axis": 1, "weights": unit((3, 4)), "method": "inverted_cdf"},
            cost=3 * (8 + 8 + 3),
        ),
        case(
            (V9, [10, 90]),
            {"weights": unit((9,)), "method": "inverted_cdf"},
            cost=9 * 4 + 18 + 2 * cl(10),
        ),
        case((V9, 150)),  # NumPy refuses q outside [0, 100]
    ],
    "quantile": [
        case((V9, 0.5), cost=9 + 3),
        case((M34, [0.25, 0.75]), {"axis": 0}, cost=2 * 4 * (3 + 3)),
        case((M34, 0.3, 1), cost=3 * (4 + 3)),
        case((M34,), {"q": 0.9, "method": "weibull"}, cost=12 + 3),
        case((M34, 0.5), {"axis": -1, "method": "hazen", "keepdims": True}, cost=3 * 7),
        case((I34, [0.1, 0.2, 0.3]), cost=3 * (12 + 3)),
        case(
            (M34, [0.2, 0.4]),
            {"axis": 0, "weights": unit((3,)), "method": "inverted_cdf"},
            cost=4 * (3 * 2 + 6 + 2 * cl(4)),
        ),
        case((M34, 0.5), {"method": "bogus"}),  # NumPy's ValueError
    ],
    "nanpercentile": [
        case((N34, 50), cost=12 + 12 + 3),
        case((N34, [10, 50]), {"axis": 1}, cost=12 + 2 * 3 * (4 + 3)),
        case((N34, 50, 0, None, False, "higher"), cost=12 + 4 * (3 + 3)),
        case(
            (N34, 50),
            {"axis": 1, "weights": unit((3, 4)), "method": "inverted_cdf"},
            cost=12 + 3 * (8 + 8 + 3),
        ),
    ],
    "nanquantile": [
        case((N34, 0.5), cost=12 + 12 + 3),
        case((N34, [0.1, 0.9]), {"axis": 0, "keepdims": True}, cost=12 + 2 * 4 * (3 + 3)),
        case((I6, 0.25), cost=6 + 6 + 3),
    ],
    # ------------------------------------------------------------------------ average
    # numel(a); weighted 2 * numel(a) + numel(weights)
    "average": [
        case((M34,), cost=12),
        case((M34,), {"axis": 0}, cost=12),
        case((M34,), {"axis": 1, "weights": unit((3, 4))}, cost=24 + 12),
        case((M34, 1, unit((4,))), cost=24 + 4),
        case((M34, 0), {"weights": unit((3,)), "returned": True}, cost=24 + 3),
        case((I34,), {"weights": small_ints((3, 4)), "keepdims": True}, cost=24 + 12),
        case((M34,), {"weights": unit((4,))}),  # NumPy's TypeError: axis needed
        case((M34,), {"axis": 2}),
    ],
    # ------------------------------------------------------------------------ histograms
    # equal-width bins: 4n + [2n range] + (bins + 1 | estimator); edges of m:
    # n * cl(m + 1) + n; weights + n; density + bins
    "histogram": [
        case((V100,), cost=200 + 11 + 400),
        case((V100, 5), {"range": (0.0, 1.0)}, cost=6 + 400),
        case((V100,), {"bins": 4, "weights": W100, "density": True}, cost=200 + 5 + 400 + 100 + 4),
        case((V100, [0.0, 0.25, 0.5, 1.0]), cost=100 * cl(5) + 100),
        case((V100, [0.0, 0.25, 0.5, 1.0], None, True), cost=100 * cl(5) + 100 + 3),
        case((V100, [0.0, 0.5, 1.0], None, False, W100), cost=100 * cl(4) + 100 + 100),
        case((M34,), cost=24 + 11 + 48),
        case((small_ints((20,)), 3), cost=40 + 4 + 80),
        case((V100, "sturges"), cost=200 + 200 + 400),
        case((V100, "sqrt", (0.0, 1.0)), cost=200 + 400),
        case((V100,), {"bins": "rice", "density": True}, cost=200 + 200 + 400),
        case((V100, "scott"), cost=200 + 100 + 400),
        case((V100, "fd"), cost=200 + 2 * (100 + 3) + 400),
        case((V100, "doane"), cost=200 + 800 + 400),
        case((V100, "auto"), cost=200 + 2 * (100 + 3) + 200 + 200 + 400),
        # stone: 2n + sum over k = 1 .. 100 of (4n + k + 1 + 2k)
        case((V100, "stone"), cost=200 + 200 + 100 * 401 + 3 * 5050 + 400),
        case((EMPTY,), cost=11),
        case((SCALAR,), cost=2 + 11 + 4),
        case((V100, 0)),  # NumPy's ValueError
        case((V100, 2.5)),  # NumPy's TypeError
        case((V100, "bogus")),
        case((V100, np.ones((2, 2)))),
    ],
    "histogram_bin_edges": [
        case((V100,), cost=200 + 11),
        case((V100, 5, (0.0, 1.0)), cost=6),
        case((V100, "fd"), cost=200 + 2 * (100 + 3)),
        case((V100,), {"bins": "sqrt", "range": (0.2, 0.8)}, cost=200),
        case((V100,), {"bins": 3, "weights": W100}, cost=200 + 4),
        case((V100, [0.0, 0.5, 1.0]), cost=0),
        case((small_ints((10,)), 2), cost=20 + 3),
    ],
    # per coordinate: [2N range] + (b + 1) + N * cl(m + 1); + N tally, + N weights,
    # + cells with density
    "histogram2d": [
        case((X50, Y50), cost=2 * (100 + 11 + 50 * cl(12)) + 50),
        case(
            (X50, Y50, 5),
            {"range": [[0.0, 1.0], [0.0, 1.0]]},
            cost=2 * (6 + 50 * cl(7)) + 50,
        ),
        case(
            (X50, Y50),
            {"bins": [3, 4]},
            cost=(100 + 4 + 50 * cl(5)) + (100 + 5 + 50 * cl(6)) + 50,
        ),
        case((X50, Y50), {"bins": [0.0, 0.5, 1.0]}, cost=2 * 50 * cl(4) + 50),
        case(
            (X50, Y50),
            {"bins": [np.array([0.0, 0.3, 0.6, 1.0]), np.array([0.0, 0.5, 1.0])]},
            cost=50 * cl(5) + 50 * cl(4) + 50,
        ),
        case((X50, Y50, 4, None, True, W50), cost=2 * (100 + 5 + 50 * cl(6)) + 50 + 50 + 16),
        case((small_ints((10,)), small_ints((10,)), 2), cost=2 * (20 + 3 + 10 * cl(4)) + 10),
        case((EMPTY, EMPTY), cost=2 * 11),
        case((X50, Y20)),  # NumPy's ValueError: lengths differ
    ],
    "histogramdd": [
        case((S303,), cost=3 * (60 + 11 + 30 * cl(12)) + 30),
        case((S303, 2), cost=3 * (60 + 3 + 30 * cl(4)) + 30),
        case(
            (S303,),
            {"bins": [3, [0.0, 0.3, 0.6, 1.0], 3], "range": [(0.0, 1.0), None, None]},
            cost=(4 + 30 * cl(5)) + 30 * cl(5) + (60 + 4 + 30 * cl(5)) + 30,
        ),
        case(
            ([X20, Y20],),
            {"bins": 3, "density": True, "weights": W20},
            cost=2 * (40 + 4 + 20 * cl(5)) + 20 + 20 + 9,
        ),
        case((X20,), cost=40 + 11 + 20 * cl(12) + 20),
        case((S303, (2, 2, 2), None, True), cost=3 * (60 + 3 + 30 * cl(4)) + 30 + 8),
        case((S303,), {"bins": [2, 3]}),  # NumPy's ValueError
        case((S303,), {"range": [(0.0, 1.0)]}),
    ],
    # ------------------------------------------------------------------------ binning
    "bincount": [
        case((I10,), cost=10),
        case((I10, unit((10,))), cost=20),
        case((I10,), {"minlength": 10}, cost=10),
        case((I10,), {"weights": unit((10,)), "minlength": 3}, cost=20),
        case((np.zeros(0, dtype=np.int64),), cost=0),
        case((V9,)),  # NumPy's TypeError: not integers
    ],
    "digitize": [
        case((V9, [0.2, 0.5, 0.8]), cost=9 * cl(4)),
        case((M34, np.linspace(0.0, 1.0, 7)), cost=12 * cl(8)),
        case((V9, [0.8, 0.5, 0.2], True), cost=9 * cl(4)),
        case((I10, [1, 3, 5]), {"right": True}, cost=10 * cl(4)),
        case((SCALAR, [0.0, 1.0]), cost=1 * cl(3)),
    ],
    # n * cl(len(xp) + 1) + 6n; period: + n + len(xp) + sort(xp), search over len + 2
    "interp": [
        case((unit((5,)), XP8, FP8), cost=5 * cl(9) + 30),
        case((0.5, XP8, FP8), cost=cl(9) + 6),
        case((M34, XP8, FP8), {"left": 0.0, "right": 1.0}, cost=12 * cl(9) + 72),
        case((unit((5,)), XP8, FP8 + 1j * FP8), cost=5 * cl(9) + 30),
        case((unit((5,)), XP8, FP8), {"period": 1.0}, cost=5 + 8 + 8 * 3 + 5 * cl(11) + 30),
        case((I10, [1, 2, 3], [4, 5, 6]), cost=10 * cl(4) + 60),
        case((unit((5,)), EMPTY, EMPTY)),  # NumPy's ValueError
    ],
    # ------------------------------------------------------------------------ covariance
    # p * n + p * p * n + p * p; weights + p * n + n per vector; corrcoef + p * p
    "cov": [
        case((M34,), cost=12 + 36 + 9),
        case((M34,), {"rowvar": False}, cost=12 + 48 + 16),
        case((M34, None, False), cost=12 + 48 + 16),
        case((V6,), cost=6 + 6 + 1),
        case((V6, V6B), cost=12 + 24 + 4),
        case((M34, unit((2, 4))), cost=20 + 100 + 25),
        case((M34.T, unit((4, 2))), {"rowvar": False}, cost=20 + 100 + 25),
        case((M34,), {"fweights": [1, 2, 1, 3]}, cost=57 + 12 + 4),
        case((M34,), {"fweights": [1, 2, 1, 3], "aweights": unit((4,))}, cost=57 + 12 + 8),
        case((M34, None, True, False, 2, None, unit((4,))), cost=57 + 12 + 4),
        case((M34,), {"bias": True}, cost=57),
        case((M34,), {"ddof": 0, "dtype": np.float32}, cost=57),
        case((small_ints((3, 5)),), cost=15 + 45 + 9),
        case((M34 + 1j * M34,), cost=57),
        case((np.zeros((0, 4)),), cost=0),
        case((T234,)),  # NumPy's ValueError: more than 2 dimensions
        case((M34, unit((2, 5)))),
    ],
    "corrcoef": [
        case((M34,), cost=12 + 36 + 9 + 9),
        case((M34,), {"rowvar": False}, cost=12 + 48 + 16 + 16),
        case((V6, V6B), cost=12 + 24 + 4 + 4),
        case((V6,), cost=6 + 6 + 1 + 1),
        case((M34,), {"dtype": np.float32}, cost=66),
        case((I34, None, False), cost=12 + 48 + 16 + 16),
    ],
    # ------------------------------------------------------------------------ differences
    # sum over orders k of numel(output_k); unwrap 10 per pair
    "diff": [
        case((V9,), cost=8),
        case((V9, 2), cost=8 + 7),
        case((M34,), {"n": 2, "axis": 0}, cost=4 * (2 + 1)),
        case((M34, 1, 0), cost=4 * 2),
        case((M34,), {"prepend": 0.0}, cost=3 * 4),
        case((M34,), {"append": unit((3, 2)), "prepend": 0}, cost=3 * 6),
        case((V9, 1, -1, [0.0], [1.0, 2.0]), cost=11),
        case((V9, 0), cost=0),
        case((V9, 20), cost=sum(range(9))),
        case((M34 > 0.5,), cost=9),
        case((I10,), cost=9),
        case((np.zeros((0, 3)),), cost=0),
        case((SCALAR,)),  # NumPy's ValueError: 0-d
        case((V9, -1)),
        case((M34,), {"axis": 2}),
    ],
    "ediff1d": [
        case((V9,), cost=8),
        case((M34,), cost=11),
        case((V9,), {"to_begin": [0.0], "to_end": [1.0, 2.0]}, cost=8),
        case((I10, [9]), cost=9),
        case((EMPTY,), cost=0),
        case((SCALAR,), cost=0),
    ],
    "unwrap": [
        case((PHASE9,), cost=10 * 8),
        case((PHASE34,), {"axis": 0}, cost=10 * 2 * 4),
        case((PHASE34, np.pi, 0), cost=10 * 2 * 4),
        case((PHASE9,), {"period": 6.0, "discont": 4.0}, cost=10 * 8),
        case((small_ints((9,)) * 3,), {"period": 4}, cost=10 * 8),
        case((SCALAR,)),  # NumPy's ValueError
    ],
    # per axis (length n, m elements): interior m(n-2)/n x (2 | 5 coords), boundary
    # 2m/n x (2 | 5 edge_order 2), coords + (n - 1) + 10 (n - 2)
    "gradient": [
        case((V9,), cost=7 * 2 + 2 * 2),
        case((V9, 0.5), cost=7 * 2 + 2 * 2),
        case((V9,), {"edge_order": 2}, cost=7 * 2 + 2 * 5),
        case((V9, X9), cost=7 * 5 + 2 * 2 + 8 + 70),
        case((M34,), cost=(4 * 1 * 2 + 4 * 2 * 2) + (3 * 2 * 2 + 3 * 2 * 2)),
        case((M34,), {"axis": 1}, cost=3 * 2 * 2 + 3 * 2 * 2),
        case((M34, 2.0, X4), cost=24 + (3 * 2 * 5 + 3 * 2 * 2 + 3 + 20)),
        case((M34,), {"axis": (0, 1), "edge_order": 2}, cost=(8 + 40) + (12 + 30)),
        case((I10,), cost=8 * 2 + 2 * 2),
        case((SCALAR,), cost=0),
        case((np.ones(1),)),  # NumPy's ValueError: too short
        case((M34, 1.0, 2.0, 3.0)),  # NumPy's TypeError
    ],
    # 4 per interval; with x: + widths, products broadcast with the widths
    "trapezoid": [
        case((V9,), cost=4 * 8),
        case((M34,), cost=4 * 3 * 3),
        case((M34,), {"axis": 0}, cost=4 * 2 * 4),
        case((V9, X9), cost=8 + 8 + 3 * 8),
        case((M34, unit((3,))), {"axis": 0}, cost=2 + 8 + 3 * 8),
        case((M34, X34), cost=9 + 9 + 3 * 9),
        case((M34, None, 0.5), cost=36),
        case((M34,), {"dx": 0.1, "axis": 0}, cost=32),
        case((small_ints((6,)),), cost=20),
        case((EMPTY,), cost=0),
        case((SCALAR,)),  # NumPy's IndexError
        case((M34,), {"axis": (0,)}),  # NumPy's TypeError
    ],
}
