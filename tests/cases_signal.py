"""Registry samples: convolution, windows, vander, logspace/geomspace, the poly* family,
cross and poly1d.

Each cost is written here by hand, or by the brute-force overlap count :func:`overlaps`,
independently of the rules. Notation: ``L`` a coefficient array's length, ``B`` the
number of (start, stop) pairs of a range, ``E(n) = 10 n^3`` the eigenvalue count.
"""

from __future__ import annotations

import numpy as np

from samples import case, small_ints, unit


def overlaps(la: int, lv: int, mode: str) -> int:
    """Products of a 1-D convolution, counted one output position at a time: the full
    output's position k overlaps the i in [0, la) with 0 <= k - i < lv; 'same' keeps
    the max(la, lv) positions starting at (min - 1) // 2, 'valid' those starting at
    min - 1."""
    full = [sum(1 for i in range(la) if 0 <= k - i < lv) for k in range(la + lv - 1)]
    big, small = max(la, lv), min(la, lv)
    if mode == "full":
        return sum(full)
    if mode == "same":
        start = (small - 1) // 2
        return sum(full[start : start + big])
    return sum(full[small - 1 : small - 1 + big - small + 1])


def E(n: int) -> int:
    """General eigenvalues: Golub & Van Loan's 10 n^3 flops, 5 n^3 multiply-adds."""
    return 5 * n**3


def fit(m: int, n: int, k: int) -> int:
    """An m x n least-squares solve with k right-hand sides, by the SVD: the thin SVD
    (the cheaper of 7 p q^2 + 4 q^3 and the full ceil((4 p^2 q + 8 p q^2 + 9 q^3) / 2)),
    (m + n) q k to apply its factors, (m - n) k for the residuals when m > n."""
    p, q = max(m, n), min(m, n)
    thin = min(7 * p * q * q + 4 * q**3, -(-(4 * p * p * q + 8 * p * q * q + 9 * q**3) // 2))
    return thin + (m + n) * q * k + max(m - n, 0) * k


V7, V3, V4, V5 = unit((7,)), unit((3,)), unit((4,)), unit((5,))
C5 = unit((5,)) + 1j * unit((5,))
I6A, I6B = small_ints((6,)), small_ints((6,))
X5, Y5 = np.arange(5.0), unit((5,))
X6, Y6 = np.linspace(0.0, 1.0, 6), unit((6,))
Y53 = unit((5, 3))

CASES = {
    "convolve": [
        case((V7, V3), cost=21),
        case((V3, V7), cost=21),  # NumPy swaps so the longer one slides
        case((V7, V3, "same"), cost=overlaps(7, 3, "same")),
        case((V7, V4), {"mode": "valid"}, cost=4 * 4),
        case((V7, V4), {"mode": "same"}, cost=overlaps(7, 4, "same")),
        case((I6A, I6B), {"mode": "same"}, cost=overlaps(6, 6, "same")),
        case((V5, unit((2,)), 1), cost=overlaps(5, 2, "same")),  # integer mode
        case(([1, 2, 3], [0, 1]), {"mode": 0}, cost=4),
        case((np.array(2.0), V4), cost=4),  # 0-d: a length-1 sequence
        case((2.0, 3.0), cost=1),
        case((C5, V3), cost=15),
        case((unit((0,)), V3), cost=0),  # NumPy refuses: a cannot be empty
        case((unit((2, 2)), V3), cost=0),  # NumPy refuses: too deep
        case((V5, V3, "bogus"), cost=0),  # NumPy refuses: unknown mode
    ],
    "correlate": [
        case((V7, V3), cost=5 * 3),  # default 'valid'
        case((V3, V7), cost=5 * 3),
        case((V7, V3, "full"), cost=21),
        case((V7, V4), {"mode": "same"}, cost=overlaps(7, 4, "same")),
        case((V4, V7), {"mode": "same"}, cost=overlaps(4, 7, "same")),
        case((I6A, I6B, 2), cost=36),
        case((C5, V5), {"mode": "full"}, cost=25),
        case((np.array(2.0), V3), cost=0),  # NumPy refuses: too small depth
        case((V3, unit((0,))), cost=0),  # NumPy refuses: empty
    ],
    # one cosine and four arithmetic operations per point; 0 for M <= 1
    "hanning": [
        case((5,), cost=25),
        case((12,), cost=60),
        case((), {"M": 7}, cost=35),
        case((2,), cost=10),
        case((1,), cost=0),
        case((0,), cost=0),
        case((-3,), cost=0),
        case((5.5,), cost=5 * 5),  # arange(-4.5, 5.5, 2): 5 points
    ],
    "hamming": [case((5,), cost=25), case((), {"M": 9}, cost=45), case((1,), cost=0)],
    # two cosines and eight arithmetic operations per point
    "blackman": [case((5,), cost=50), case((), {"M": 8}, cost=80), case((0,), cost=0)],
    # both triangle sides (4), a comparison and a selection per point
    "bartlett": [case((5,), cost=30), case((), {"M": 6}, cost=36), case((1,), cost=0)],
    # i0, sqrt and six arithmetic operations per point, plus i0(beta)
    "kaiser": [
        case((5, 2.0), cost=41),
        case((), {"M": 4, "beta": 0.5}, cost=33),
        case((6, 14), cost=49),
        case((1, 3.0), cost=0),
        case((0, 1.0), cost=1),
        case((2.5, 1.0), cost=3 * 8 + 1),  # arange(0, 2.5): 3 points
    ],
    # one multiplication per entry of the (len(x), N) output
    "vander": [
        case((V4,), cost=16),
        case((V4, 2), cost=8),
        case((small_ints((3,)),), {"N": 5, "increasing": True}, cost=15),
        case(([1.0, 2.0, 3.0], 3, True), cost=9),
        case((unit((0,)),), cost=0),
        case((V3, 0), cost=0),
        case((np.array(2.0),), cost=0),  # NumPy refuses: x must be 1-D
        case((V3, -1), cost=0),  # NumPy refuses: negative dimension
    ],
    # linspace (num per pair) plus one power per output element
    "logspace": [
        case((0, 2, 5), cost=10),
        case((0.0, 2.0), {"num": 7, "base": 2.0}, cost=14),
        case((V3, 2.0, 4), cost=2 * 4 * 3),
        case((0.0, 1.0, 4, True, [2.0, 3.0]), cost=4 * 1 + 4 * 2),  # base positional
        case((V3, 2.0, 5), {"base": np.full((2, 1), 2.0)}, cost=15 + 5 * 6),
        case((V3, 2.0, 5), {"base": np.full((2, 1), 2.0), "axis": 1}, cost=15 + 5 * 6),
        case((V3, 2.0, 5), {"axis": -1, "endpoint": False}, cost=30),
        case((0, 1, 0), cost=0),
        case((0, 1, -1), cost=0),  # NumPy refuses: negative num
    ],
    # 3 * num * B + 5 * B
    "geomspace": [
        case((1, 100, 5), cost=20),
        case((1.0, 1000.0), {"num": 4}, cost=17),
        case(([1.0, 2.0], 100.0, 6, True, None, 1), cost=3 * 6 * 2 + 10),
        case((-1.0, -100.0, 3), cost=14),
        case((1, 10, 0), cost=5),
        case((V3 + 1, 10.0), {"num": 4, "endpoint": False}, cost=3 * 4 * 3 + 15),
        case((0, 10, 5), cost=0),  # NumPy refuses: zero in a geometric sequence
    ],
    # 9 per pair of 3-vectors, times the broadcast batch
    "cross": [
        case((V3, unit((3,))), cost=9),
        case((unit((4, 3)), V3), cost=36),
        case((unit((3, 4)), unit((4, 3))), {"axisa": 0}, cost=36),
        case((unit((3, 5)), unit((3, 5))), {"axis": 0}, cost=45),
        case((unit((2, 1, 3)), unit((4, 3))), cost=2 * 4 * 9),
        case((small_ints((3, 2)), small_ints((2, 3)), 0, 1, 0), cost=18),
        case((unit((4,)), V3), cost=0),  # NumPy refuses: not 2 or 3 components
        case((V3, V3), {"axisc": 1}, cost=0),  # NumPy refuses: AxisError
        case((2.0, V3), cost=0),  # NumPy refuses: zero dimension
    ],
    # Horner: (L - 1) FMAs per output point
    "polyval": [
        case((V4, V5), cost=3 * 5),
        case(([1, 2, 3], 2.0), cost=2),
        case((small_ints((3,)), small_ints((2, 3))), cost=2 * 6),
        case((), {"p": V5, "x": unit((2, 2))}, cost=4 * 4),
        case((unit((0,)), V3), cost=0),
        case((unit((1,)), V4), cost=0),
        case((unit((3, 2)), unit((2,))), cost=2 * 2),
        case((np.poly1d([1.0, 2.0, 3.0]), V4), cost=2 * 4),
        # composition with a degree-1 poly1d, L = 3: (d+1) * ((L-1) + d (L-1)(L-2)/2)
        case((V3, np.poly1d([1.0, 2.0])), cost=2 * (2 + 1)),
        case((V4, np.poly1d([1.0, 0.0, 2.0])), cost=3 * (3 + 2 * 3 * 2 // 2)),
        case((2.0, V3), cost=0),  # NumPy refuses: iterating a 0-d array
    ],
    # one addition per coefficient of the longer polynomial
    "polyadd": [
        case((V3, V5), cost=5),
        case((V4, V4), cost=4),
        case(([1, 2], small_ints((3,))), cost=3),
        case((2.0, V3), cost=3),
        case((), {"a1": V5, "a2": unit((2,))}, cost=5),
        case((unit((2,)), unit((3, 3))), cost=9),
        case((unit((3,)), unit((3, 3))), cost=9),
        case((unit((0,)), unit((0,))), cost=0),
        case((np.poly1d([1.0, 2.0]), V3), cost=3),
        case((unit((2, 2)), V3), cost=0),  # NumPy refuses: dimensions differ
    ],
    "polysub": [
        case((V3, V5), cost=5),
        case((V5, V3), cost=5),
        case((small_ints((4,)), [1, 1]), cost=4),
        case((), {"a1": 1.0, "a2": V4}, cost=4),
        case((np.poly1d([3.0, 2.0, 1.0]), np.poly1d([1.0, 1.0])), cost=3),
    ],
    # the full convolution: len(a1) * len(a2) FMAs (empty counts as [0])
    "polymul": [
        case((V3, V4), cost=12),
        case((small_ints((2,)), [1, 2, 3]), cost=6),
        case((), {"a1": V5, "a2": V5}, cost=25),
        case((unit((0,)), V3), cost=3),
        case((2.0, V3), cost=3),
        case((np.poly1d([1.0, 2.0]), np.poly1d([3.0, 4.0, 5.0])), cost=6),
        case((unit((2, 2)), V3), cost=0),  # NumPy refuses: not 1-D
    ],
    # (deg(u) - deg(v) + 1) steps of len(v) FMAs
    "polydiv": [
        case((V5, unit((2,))), cost=4 * 2),
        case((unit((2,)), V4), cost=0),
        case((small_ints((6,)), small_ints((3,))), cost=4 * 3),
        case((), {"u": V4, "v": V4}, cost=4),
        case((3.0, 2.0), cost=1),
        case((np.poly1d([1.0, 3.0, 2.0]), np.poly1d([1.0, 1.0])), cost=2 * 2),
        case((unit((0,)), unit((2,))), cost=0),  # NumPy refuses: IndexError
    ],
    # each order multiplies the remaining L - 1 - j coefficients
    "polyder": [
        case((V5,), cost=4),
        case((V5, 2), cost=4 + 3),
        case((V5,), {"m": 3}, cost=4 + 3 + 2),
        case((V3, 5), cost=2 + 1),
        case((small_ints((4,)),), cost=3),
        case((V5, 0), cost=0),
        case((unit((0,)),), cost=0),
        case((unit((3, 2)),), cost=2 * 2),
        case((np.poly1d([1, 2, 3, 4]),), cost=3),
        case((2.0,), cost=0),  # NumPy refuses: len() of unsized object
        case((V3, -1), cost=0),  # NumPy refuses: negative order
    ],
    # each order divides L + j coefficients
    "polyint": [
        case((V4,), cost=4),
        case((V4, 2), cost=4 + 5),
        case((V4,), {"m": 3, "k": [1.0, 2.0, 3.0]}, cost=4 + 5 + 6),
        case((V3, 2, 5.0), cost=3 + 4),
        case((small_ints((3,)),), {"k": 2}, cost=3),
        case((V4, 0), cost=0),
        case((unit((0,)),), cost=0),
        case((np.poly1d([3.0, 2.0, 1.0]),), {"m": 2}, cost=3 + 4),
        case((V3, 3, [1.0, 2.0]), cost=0),  # NumPy refuses: k too short
        case((2.0,), cost=0),  # NumPy refuses: len() of unsized object
        case((unit((3, 2)),), cost=0),  # NumPy refuses: broadcast
    ],
    # n roots: a length-2 convolution each, n (n + 1); an n x n matrix: E(n) first
    "poly": [
        case((V3,), cost=12),
        case(([1.0, 2.0],), cost=6),
        case((small_ints((4,)),), cost=20),
        case((np.array([1 + 1j, 1 - 1j]),), cost=6),
        case((unit((3, 3)),), cost=E(3) + 12),
        case((unit((0,)),), cost=0),
        case((unit((2, 3)),), cost=0),  # NumPy refuses: not square
        case((2.0,), cost=0),  # NumPy refuses: not a sequence
    ],
    # eigenvalues of the (L - 1) x (L - 1) companion matrix
    "roots": [
        case((V4,), cost=E(3)),
        case(([1, -3, 2],), cost=E(2)),
        case(([0.0, 0.0, 1.0, 2.0],), cost=E(3)),  # leading zeros priced too
        case((np.poly1d([1.0, 2.0, 3.0]),), cost=E(2)),
        case((unit((1,)),), cost=0),
        case((unit((0,)),), cost=0),
        case((unit((2, 2)),), cost=0),  # NumPy refuses: not rank 1
    ],
    # the least-squares solve as linalg.lstsq counts it; cov adds m n^2 + n^3
    "polyfit": [
        case((X5, Y5, 2), cost=fit(5, 3, 1)),
        case((X5, Y53, 1), cost=fit(5, 2, 3)),
        case((X5, Y5), {"deg": 2, "full": True}, cost=fit(5, 3, 1)),
        case((X6, Y6, 2), {"cov": True}, cost=fit(6, 3, 1) + 6 * 9 + 27),
        case((X6, Y6, 2, None, False, None, "unscaled"), cost=fit(6, 3, 1) + 6 * 9 + 27),
        case((X6, Y6, 1), {"w": unit((6,))}, cost=fit(6, 2, 1)),
        case((X5, Y5, -1), cost=0),  # NumPy refuses: negative degree
        case((unit((2, 3)), Y5, 1), cost=0),  # NumPy refuses: x not 1-D
        case((X5, unit((4,)), 1), cost=0),  # NumPy refuses: lengths differ
    ],
}

#: constructing a polynomial from coefficients is free (using it is counted)
FREE = {
    "poly1d": [
        lambda: (([1, 2, 3],), {}),
        lambda: ((unit((4,)),), {"variable": "z"}),
        lambda: ((np.array([0.0, 0.0, 1.0, 2.0]),), {}),
        lambda: ((np.poly1d([1, 2]),), {}),
        lambda: ((small_ints((3,)), False, "t"), {}),
    ],
}
