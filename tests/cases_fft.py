"""Registry samples: ``numpy.fft``.

Each cost is written here by hand from the documented formula, independently of the
rules: ``C(n) = 5 n ceil(log2 n)`` per complex transform of length n, ``R(n) = C(n) // 2``
per real or Hermitian one, times the product of the other extents at that step; plus
``numel(output)`` of a step when its ``norm`` scales (forward transforms: ortho, forward;
inverse ones: the default backward, ortho). n-dimensional transforms: the sum of their
1-D steps in NumPy's order (``fftn``, ``rfftn``: the last axis first).
"""

from __future__ import annotations

import math

import numpy as np

from samples import case, small_ints, unit


def C(n: int) -> int:
    return 5 * n * math.ceil(math.log2(n)) if n > 1 else 0


def R(n: int) -> int:
    return C(n) // 2


def cunit(shape):
    return unit(shape) + 1j * unit(shape)


X8, X6, X5 = unit((8,)), unit((6,)), unit((5,))
Z8, Z5 = cunit((8,)), cunit((5,))
M34, Z34, Z43 = unit((3, 4)), cunit((3, 4)), cunit((4, 3))
T234 = unit((2, 3, 4))

CASES = {
    "fft.fft": [
        case((X8,), cost=C(8)),
        case((X6,), cost=C(6)),
        case((M34,), cost=3 * C(4)),
        case((M34,), {"axis": 0}, cost=4 * C(3)),
        case((X8, 5), cost=C(5)),  # cropped
        case((X6,), {"n": 16}, cost=C(16)),  # padded
        case((cunit((3, 5)),), {"norm": "ortho"}, cost=3 * C(5) + 15),
        case((X8,), {"norm": "forward"}, cost=C(8) + 8),
        case((X8,), {"norm": "backward"}, cost=C(8)),
        case((unit((1,)),), cost=0),
        case(([1.0, 2.0, 3.0, 4.0],), cost=C(4)),
        case((small_ints((8,)),), cost=C(8)),
        case((unit((3, 0)), 4, 0), cost=0),  # nothing to transform along axis 0
        case((T234, None, 1), cost=8 * C(3)),
        case((X8, 0), cost=0),  # NumPy refuses: n < 1
        case((X8,), {"norm": "unitary"}, cost=0),  # NumPy refuses: unknown norm
        case((M34,), {"axis": 2}, cost=0),  # NumPy refuses: no such axis
        case((M34, 4, -3), cost=0),  # NumPy refuses: no such axis
        case((np.float64(2.0),), cost=0),  # NumPy refuses: a 0-d array has no axis
        case((X8, 2.5), cost=0),  # NumPy refuses: n not an integer
    ],
    "fft.ifft": [
        case((Z8,), cost=C(8) + 8),
        case((M34, None, 0), cost=4 * C(3) + 12),
        case((Z8,), {"norm": "forward"}, cost=C(8)),
        case((Z8,), {"norm": "ortho"}, cost=C(8) + 8),
        case((Z8, 12), cost=C(12) + 12),
        case((Z8, -1), cost=0),  # NumPy refuses: n < 1
    ],
    "fft.rfft": [
        case((X8,), cost=R(8)),
        case((X6,), cost=R(6)),
        case((X5,), cost=R(5)),  # 75 // 2
        case((M34, None, 0), cost=4 * R(3)),
        case((X8,), {"norm": "ortho"}, cost=R(8) + 5),  # output n // 2 + 1
        case((X8, 10), cost=R(10)),
        case((T234,), {"norm": "forward"}, cost=6 * R(4) + 6 * 3),
        case((Z8,), cost=0),  # NumPy refuses complex input
    ],
    "fft.irfft": [
        case((Z5,), cost=R(8) + 8),  # n = 2 * (5 - 1)
        case((Z5, 9), cost=R(9) + 9),
        case((cunit((3, 5)), None, -1, "forward"), cost=3 * R(8)),
        case((Z43, None, 0), cost=3 * R(6) + 18),
        case((Z5,), {"norm": "ortho"}, cost=R(8) + 8),
        case((cunit((1,)),), cost=0),  # NumPy refuses: n = 0
    ],
    "fft.hfft": [
        case((Z5,), cost=R(8)),  # a forward transform: no scaling by default
        case((Z5, 7), cost=R(7)),
        case((Z5,), {"norm": "ortho"}, cost=R(8) + 8),
        case((Z5,), {"norm": "forward"}, cost=R(8) + 8),
        case((Z5,), {"norm": "backward"}, cost=R(8)),
        case((Z43, None, 0), cost=3 * R(6)),
        case((Z5,), {"norm": "both"}, cost=0),  # NumPy refuses: unknown norm
    ],
    "fft.ihfft": [
        case((X8,), cost=R(8) + 5),  # an inverse transform: 1/n by default
        case((X8,), {"norm": "forward"}, cost=R(8)),
        case((M34, 6, 0), cost=4 * R(6) + 4 * 4),
        case((X5,), {"norm": "ortho"}, cost=R(5) + 3),
    ],
    "fft.fftn": [
        case((M34,), cost=3 * C(4) + 4 * C(3)),
        case((T234,), cost=6 * C(4) + 8 * C(3) + 12 * C(2)),
        case((T234,), {"axes": (0, 2)}, cost=6 * C(4) + 12 * C(2)),
        # the last axis first: axis 1 padded to 8 over 3 rows, then axis 0 to 5 over 8
        case((M34, (5, 8), (0, 1)), cost=3 * C(8) + 8 * C(5)),
        # cropped: axis 1 to 2 over 3 rows, then axis 0 to 2 over 2 columns
        case((M34, (2, 2), (0, 1)), cost=3 * C(2) + 2 * C(2)),
        case((M34,), {"s": (-1, 8), "axes": (0, 1)}, cost=3 * C(8) + 8 * C(3)),
        case((Z34,), {"norm": "ortho"}, cost=3 * C(4) + 4 * C(3) + 12 + 12),
        case((M34,), {"axes": (1, 1)}, cost=2 * 3 * C(4)),  # repeated: transformed twice
        case((M34,), {"axes": ()}, cost=0),
        case((M34,), {"axes": (0, 3)}, cost=0),  # NumPy refuses: no such axis
        case((M34,), {"s": (4,), "axes": (0, 1)}, cost=0),  # NumPy refuses: lengths
        case((M34,), {"s": (0, 4), "axes": (0, 1)}, cost=0),  # NumPy refuses: n < 1
        case((M34,), {"norm": "none"}, cost=0),  # NumPy refuses: unknown norm
    ],
    "fft.ifftn": [
        case((Z34,), cost=3 * C(4) + 12 + 4 * C(3) + 12),
        case((Z34,), {"norm": "forward"}, cost=3 * C(4) + 4 * C(3)),
        case((T234,), {"axes": (-1,)}, cost=6 * C(4) + 24),
    ],
    "fft.fft2": [
        case((M34,), cost=3 * C(4) + 4 * C(3)),
        case((T234,), cost=6 * C(4) + 8 * C(3)),
        case((M34, (4, 4)), cost=3 * C(4) + 4 * C(4)),
        case((T234, None, (0, 2)), cost=6 * C(4) + 12 * C(2)),
        case((X8,), cost=0),  # NumPy refuses: a 1-D array has no axis -2
    ],
    "fft.ifft2": [
        case((Z34,), cost=3 * C(4) + 4 * C(3) + 24),
        case((Z34,), {"norm": "forward"}, cost=3 * C(4) + 4 * C(3)),
    ],
    "fft.rfftn": [
        # the last axis real (4 -> 3 points), then axis 0 complex over 3 columns
        case((M34,), cost=3 * R(4) + 3 * C(3)),
        case((T234,), cost=6 * R(4) + 6 * C(3) + 9 * C(2)),
        case((M34, (4, 6), (0, 1)), cost=3 * R(6) + 4 * C(4)),
        case((M34,), {"axes": (0,)}, cost=4 * R(3)),
        case((M34,), {"norm": "ortho"}, cost=3 * R(4) + 9 + 3 * C(3) + 9),
        case((M34,), {"axes": ()}, cost=0),  # NumPy refuses: no last axis
    ],
    "fft.irfftn": [
        # axis 0 complex (3 over 4 columns), then the last real to 2 * (4 - 1) = 6
        case((Z34,), cost=4 * C(3) + 12 + 3 * R(6) + 18),
        case((Z34, (3, 5), (0, 1)), cost=4 * C(3) + 12 + 3 * R(5) + 15),
        case((Z34,), {"norm": "forward"}, cost=4 * C(3) + 3 * R(6)),
        case((cunit((2, 3, 5)),), {"axes": (1, 2)}, cost=10 * C(3) + 30 + 6 * R(8) + 48),
    ],
    "fft.rfft2": [
        case((M34,), cost=3 * R(4) + 3 * C(3)),
        case((T234,), cost=6 * R(4) + 6 * C(3)),
    ],
    "fft.irfft2": [
        case((Z34,), cost=4 * C(3) + 12 + 3 * R(6) + 18),
        case((Z34, (2, 4)), cost=4 * C(2) + 8 + 2 * R(4) + 8),
    ],
    # one multiplication per frequency
    "fft.fftfreq": [
        case((8,), cost=8),
        case((5, 0.1), cost=5),
        case((8,), {"d": unit((8,))}, cost=8),
        case((np.int64(6),), cost=6),
        case((4.0,), cost=0),  # NumPy refuses: n not an integer
        case((-2,), cost=0),  # NumPy refuses: negative length
        case((0,), cost=0),  # NumPy refuses: 1 / (0 * d)
    ],
    "fft.rfftfreq": [
        case((8,), cost=5),
        case((7, 0.5), cost=4),
        case((1,), cost=1),
        case((4,), {"d": unit((3,))}, cost=3),
        case((0,), cost=0),  # NumPy refuses: 1 / (0 * d)
    ],
}

FREE = {
    "fft.fftshift": [
        lambda: ((unit((3, 4)),), {}),
        lambda: ((unit((5,)),), {"axes": 0}),
    ],
    "fft.ifftshift": [
        lambda: ((unit((3, 4)),), {}),
        lambda: ((unit((2, 3, 4)),), {"axes": (0, 2)}),
    ],
}
