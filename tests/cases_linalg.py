"""Registry samples: numpy.linalg's contraction-family spellings (multi_dot, matmul,
tensordot, vecdot, outer, trace) and its free views.

Each cost is written here from the documented formula, independently of the rules:
a matrix product ``(m, k) @ (k, n)`` is ``m * k * n`` multiply-adds, and a chain is
priced at its cheapest parenthesization, worked out by hand below. Cases without a cost
are inputs NumPy refuses: flopscope must raise the same error and charge nothing.
"""

from __future__ import annotations

import numpy as np

from samples import case, small_ints, unit

V3, V4, V6 = unit((3,)), unit((4,)), unit((6,))
M34, M43, SQ4, SQ6 = unit((3, 4)), unit((4, 3)), unit((4, 4)), unit((6, 6))
T234 = unit((2, 3, 4))

CASES = {
    "linalg.multi_dot": [
        # two arrays: one product, 1-D ends as vectors
        case(([M34, SQ4],), cost=3 * 4 * 4),
        case(([V4, SQ4],), cost=4 * 4),
        case(([M34, V4],), cost=3 * 4),
        case(([V4, V4],), cost=4),
        # three: (AB)C = 10*30*5 + 10*5*60 = 4,500 beats A(BC) = 30*5*60 + 10*30*60 = 27,000
        case(([unit((10, 30)), unit((30, 5)), unit((5, 60))],), cost=4500),
        # three: A(BC) = 10*20*2 + 50*10*2 = 1,400 beats (AB)C = 50*10*20 + 50*20*2 = 12,000
        case(([unit((50, 10)), unit((10, 20)), unit((20, 2))],), cost=1400),
        # 1-D first (a 1x10 row): (vB)C = 10*30 + 30*5 = 450 beats v(BC) = 10*30*5 + 10*5
        case(([unit((10,)), unit((10, 30)), unit((30, 5))],), cost=450),
        # 1-D last (a 30x1 column): A(Bw) = 10*30 + 5*10 = 350 beats (AB)w = 5*10*30 + 5*30
        case(([unit((5, 10)), unit((10, 30)), unit((30,))],), cost=350),
        # both ends 1-D: 6*6 + 6 either way; the result is a scalar
        case(([V6, SQ6, V6],), cost=42),
        # four, dims 40,20,30,10,30: (A(BC))D = 20*30*10 + 40*20*10 + 40*10*30 = 26,000
        case(
            ([unit((40, 20)), unit((20, 30)), unit((30, 10)), unit((10, 30))],),
            cost=26000,
        ),
        # six, dims 30,35,15,5,10,20,25 (the textbook chain): (A(BC))((DE)F) = 15,125
        case(
            (
                [
                    unit((30, 35)),
                    unit((35, 15)),
                    unit((15, 5)),
                    unit((5, 10)),
                    unit((10, 20)),
                    unit((20, 25)),
                ],
            ),
            cost=15125,
        ),
        # a 3-D array is a sequence of three 2x2 matrices: 2*2*2 per step
        case((unit((3, 2, 2)),), cost=2 * 8),
        # integer data in a tuple, dims 2,3,4,2: A(BC) = 3*4*2 + 2*3*2 = 36 beats (AB)C = 40;
        # the keyword spelling, dims 3,4,3,4: (AB)C = 36 + 36 beats A(BC) = 48 + 48
        case(
            ((small_ints((2, 3)), small_ints((3, 4)), small_ints((4, 2))),),
            cost=3 * 4 * 2 + 2 * 3 * 2,
        ),
        case((), {"arrays": [M34, M43, M34]}, cost=3 * 4 * 3 + 3 * 3 * 4),
        # refused by NumPy: one array, a 3-D array in the chain, misaligned neighbours,
        # a 0-d first array (a 1-D one is promoted, a 0-d one is not)
        case(([SQ4],)),
        case(([M34, T234, M43],)),
        case(([M34, SQ6, M43],)),
        case(([np.float64(2.0), M34, M43],)),
    ],
    # matmul's m * k * n per matrix, times the broadcast batch
    "linalg.matmul": [
        case((M34, SQ4), cost=3 * 4 * 4),
        case((V4, SQ4), cost=16),
        case((M34, V4), cost=12),
        case((V4, V4), cost=4),
        case((T234, unit((4, 5))), cost=2 * 3 * 4 * 5),
        case((unit((2, 1, 3, 4)), unit((5, 4, 2))), cost=2 * 5 * 3 * 4 * 2),
        case((2.0, M34)),  # a scalar: refused
    ],
    # free(a) * free(b) * summed multiply-adds
    "linalg.tensordot": [
        case((M34, M34), cost=12),  # axes=2: everything summed
        case((M34, M43), {"axes": 1}, cost=3 * 3 * 4),
        case((M34, M34), {"axes": ([1], [1])}, cost=3 * 3 * 4),
        case((T234, unit((4, 5))), {"axes": ([-1], [-2])}, cost=2 * 3 * 5 * 4),
        case((V4, V3), {"axes": 0}, cost=12),
    ],
    # numel(batch) * n, n the length of the vector axis
    "linalg.vecdot": [
        case((M34, V4), cost=3 * 4),
        case((V4, V4), cost=4),
        case((V4 + 1j * V4, V4), cost=4),
        case((unit((2, 1, 4)), M34), cost=2 * 3 * 4),
        case((V3, M34), {"axis": 0}, cost=4 * 3),
        case((T234, M34), {"axis": -2}, cost=2 * 4 * 3),
        case((V4, V4), {"axis": 1}),  # out of bounds: refused
        case((M34, V3)),  # mismatched vector lengths: refused
    ],
    # one multiplication per output element; 1-D inputs only
    "linalg.outer": [
        case((V4, V3), cost=12),
        case((small_ints((5,)), V3), cost=15),
        case(([1.0, 2.0], V3), cost=6),
        case((M34, V3)),  # 2-D: refused
    ],
    # one addition per diagonal element of the last two axes
    "linalg.trace": [
        case((SQ4,), cost=4),
        case((M34,), cost=3),
        case((M34,), {"offset": 1}, cost=3),
        case((M34,), {"offset": -1}, cost=2),
        case((unit((4, 2, 3)),), cost=4 * 2),  # batch 4, not the first two axes
        case((small_ints((3, 3)),), {"dtype": np.float64}, cost=3),
        case((V4,)),  # 1-D: refused
    ],
}

FREE = {
    "linalg.matrix_transpose": [lambda: ((unit((2, 3, 4)),), {}), lambda: ((M34,), {})],
    "linalg.diagonal": [lambda: ((unit((2, 3, 4)),), {"offset": 1}), lambda: ((SQ4,), {})],
}
