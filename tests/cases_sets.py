"""Registry samples: unique and the set routines, lexsort, trim_zeros, bit packing.

Each cost is written here by hand from the documented formula, independently of the
rules. Notation in the comments: ``U(n) = n * ceil(log2 n) + n`` (sort n values, then
compare neighbours); the unique step of a set routine is priced at its input size.
"""

from __future__ import annotations

import numpy as np

from samples import RNG, case, small_ints, unit


def _no_axes_trim_nothing() -> bool:
    """``trim_zeros(x, axis=())`` returns x (NumPy 2.2 ignores the axis of 1-D input and
    trims; 2.0 takes no axis and refuses)."""
    try:
        return np.trim_zeros(np.zeros(1), axis=()).shape == (1,)
    except TypeError:
        return True


V9 = unit((9,))
I34 = small_ints((3, 4))
F34 = unit((3, 4))
T234 = small_ints((2, 3, 4))
NANS = np.array([1.0, np.nan, 2.0, np.nan, 1.0])
I5, I6 = small_ints((5,)), small_ints((6,))
U5A, U5B = np.arange(5.0), np.arange(3.0, 8.0)  # unique inputs
BITS = RNG.random((3, 10)) > 0.5
BYTES = RNG.integers(0, 256, (3, 2)).astype(np.uint8)
TRIM1 = np.array([0.0, 0.0, 1.0, 2.0, 0.0, 3.0, 0.0, 0.0])
TRIM2 = np.array([[0, 0, 0, 0], [0, 1, 2, 0], [0, 0, 3, 0]])

CASES = {
    # U(n) with n = numel; + n for the inverse, + n for the counts, index free; with axis
    # the n rows of m elements: m * U(n) + n per inverse / counts pass
    "unique": [
        case((V9,), cost=9 * 4 + 9),
        case((I34,), cost=12 * 4 + 12),
        case((I34, True), cost=60),  # return_index (positional): free
        case((I34,), {"return_inverse": True}, cost=60 + 12),
        case((I34,), {"return_counts": True, "return_index": True}, cost=60 + 12),
        case((I34, True, True, True), cost=60 + 12 + 12),
        case((I34,), {"axis": 0}, cost=4 * (3 * 2 + 3)),
        case((I34, False, False, False, 1), cost=3 * (4 * 2 + 4)),
        case((I34,), {"axis": -1, "return_inverse": True, "return_counts": True}, cost=36 + 8),
        case((T234,), {"axis": 1}, cost=8 * (3 * 2 + 3)),
        case((np.zeros((3, 0)),), {"axis": 0, "return_counts": True}, cost=0 + 3),
        case((unit((0,)),), cost=0),
        case((np.array(2.5),), cost=1),  # n = 1: no sort, one neighbour pass
        case((np.array(2.5),), {"axis": 0}, cost=0),  # NumPy refuses: AxisError
        case((I34,), {"axis": 2}, cost=0),  # NumPy refuses: AxisError
        case((NANS,), {"equal_nan": False}, cost=5 * 3 + 5),
        case((I6,), {"sorted": False}, cost=6 * 3 + 6),  # the hash path, priced as the sort
        case(([3, 1, 2, 3],), cost=4 * 2 + 4),
        case((unit((5,), np.float32),), {"return_inverse": True}, cost=5 * 3 + 5 + 5),
    ],
    "unique_values": [
        case((V9,), cost=45),
        case((I34,), cost=60),
        case((), {"x": I6}, cost=24),
        case((np.array(3.0),), cost=1),
        case((unit((0,)),), cost=0),
    ],
    "unique_counts": [
        case((V9,), cost=45 + 9),
        case((I34,), cost=60 + 12),
        case((), {"x": NANS}, cost=20 + 5),
        case((np.array(3),), cost=2),
        case((unit((0,)),), cost=0),
    ],
    "unique_inverse": [
        case((V9,), cost=45 + 9),
        case((I34,), cost=60 + 12),
        case((), {"x": I6}, cost=24 + 6),
        case((np.array(3.0),), cost=2),
        case((unit((0,)),), cost=0),
    ],
    "unique_all": [
        case((V9,), cost=45 + 18),
        case((I34,), cost=60 + 24),
        case((), {"x": unit((4,), np.float32)}, cost=4 * 2 + 4 + 8),
        case((np.array(3),), cost=3),
        case((unit((0,)),), cost=0),
    ],
    # U(n1 + n2)
    "union1d": [
        case((unit((5,)), unit((4,))), cost=9 * 4 + 9),
        case((I34, small_ints((4,))), cost=16 * 4 + 16),
        case((), {"ar1": I5, "ar2": I6}, cost=11 * 4 + 11),
        case((unit((0,)), unit((3,))), cost=3 * 2 + 3),
        case((np.array(1.0), 2.0), cost=2 * 1 + 2),
    ],
    # U(n1) + U(n2) + U(n1 + n2); assume_unique: U(n1 + n2); return_indices adds nothing
    "intersect1d": [
        case((I6, I5), cost=24 + 20 + 55),
        case((U5A, U5B, True), cost=10 * 4 + 10),
        case((I6, I5), {"return_indices": True}, cost=99),
        case((U5A, U5B), {"assume_unique": True, "return_indices": True}, cost=50),
        case((U5A, U5B, False, True), cost=20 + 20 + 50),
        case((I34, small_ints((4,))), cost=60 + 12 + 80),
        case((unit((0,)), unit((3,))), cost=0 + 9 + 9),
        case((np.array(2.0), 2.0), cost=1 + 1 + 4),
    ],
    "setxor1d": [
        case((I6, I5), cost=24 + 20 + 55),
        case((U5A, U5B, True), cost=50),
        case((U5A, U5B), {"assume_unique": True}, cost=50),
        case((), {"ar1": I34, "ar2": small_ints((4,))}, cost=60 + 12 + 80),
        case((unit((0,)), unit((3,))), cost=18),
        case((unit((0,)), unit((0,))), cost=0),
    ],
    # U(n1) + U(n2) + membership with unique inputs: n1 * n2 when n2 < 10 * n1**0.145,
    # else U(n1 + n2)
    "setdiff1d": [
        case((I6, I5), cost=24 + 20 + 6 * 5),  # 5 < 10 * 6**0.145 = 12.97
        case((small_ints((4,)), small_ints((13,))), cost=12 + 65 + 17 * 5 + 17),  # 13 >= 12.23
        case((U5A, U5B, True), cost=25),
        case((np.arange(4.0), np.arange(20.0)), {"assume_unique": True}, cost=24 * 5 + 24),
        case((unit((0,)), unit((3,))), cost=0 + 9 + 9),  # n1 = 0: the sort
        case((unit((3,)), unit((0,))), cost=9 + 0 + 0),
        case((I34, small_ints((2, 2))), cost=60 + 12 + 12 * 4),  # 4 < 14.3
    ],
    # table: n1 + n2; n1 * n2 when n2 < 10 * n1**0.145; else U(n1) + n1 + U(n2) + U(N),
    # U(N) with assume_unique
    "isin": [
        case((I34, I5), cost=12 * 5),  # 5 < 10 * 12**0.145 = 14.3
        case((unit((6,)), unit((20,))), cost=24 + 6 + 120 + 156),
        case((unit((6,)), unit((20,)), True), cost=156),
        case((I34, I5), {"kind": "table"}, cost=12 + 5),
        case((I6, small_ints((20,))), {"kind": "sort"}, cost=306),
        case((unit((6,)), unit((20,)), False, True), cost=306),
        case((), {"element": F34, "test_elements": unit((2,)), "invert": True}, cost=24),
        case((np.array(2.0), [1.0, 2.0]), cost=2),
        case((unit((0,)), unit((3,))), cost=0 + 0 + 9 + 9),
        case((F34, unit((3,))), {"kind": "table"}, cost=0),  # NumPy refuses floats
        case((F34, unit((3,))), {"kind": "bad"}, cost=0),  # NumPy refuses the kind
    ],
    # k keys * n * ceil(log2 n) per slice along axis
    "lexsort": [
        case((unit((2, 9)),), cost=2 * 9 * 4),
        case(((unit((8,)), unit((8,)), I5.repeat(2)[:8]),), cost=3 * 8 * 3),
        case((np.stack([T234[0], T234[1]]),), cost=2 * 3 * (4 * 2)),
        case((unit((2, 3, 4)), 0), cost=2 * 4 * (3 * 2)),
        case((), {"keys": unit((2, 3, 4)), "axis": 1}, cost=2 * 3 * (4 * 2)),
        case(([[1, 2, 3], [3, 2, 1]],), cost=2 * 3 * 2),
        case((np.array([3.0, 1.0, 2.0]),), cost=0),  # three 0-d keys
        case((unit((2, 0)),), cost=0),
        case(((unit((3,)), unit((4,))),), cost=0),  # NumPy refuses: unequal shapes
        case((unit((2, 3)), 2), cost=0),  # NumPy refuses: AxisError
    ],
    # numel(filt), 0 when nothing is trimmed
    "trim_zeros": [
        case((TRIM1,), cost=8),
        case((TRIM1, "f"), cost=8),
        case((TRIM1,), {"trim": "b"}, cost=8),
        case((TRIM2,), cost=12),
        case((TRIM2,), {"axis": 0}, cost=12),
        case((TRIM2, "fb", -1), cost=12),
        case((np.zeros(5),), cost=5),
        case(([0, 1, 2, 0],), cost=4),
        case((np.array(0.0),), cost=0),
        # NumPy 2.2+ refuses the trim; 2.0 trims the ends whose letter it finds, either
        # case, and ignores other characters
        case((TRIM1, "x"), cost=0),
        case((TRIM1, "xB"), cost=8),
        case((TRIM1,), {"axis": ()}, cost=0 if _no_axes_trim_nothing() else 8),
    ],
    # numel(a)
    "packbits": [
        case((BITS,), cost=30),
        case((BITS,), {"axis": 1}, cost=30),
        case((BITS, 0), cost=30),
        case((BITS,), {"axis": -1, "bitorder": "little"}, cost=30),
        case((np.array([1, 0, 3, 0], np.uint8),), cost=4),
        case((np.array(True),), cost=1),
        case((np.zeros(0, bool),), cost=0),
        case((F34,), cost=0),  # NumPy refuses floats
    ],
    "unpackbits": [
        case((BYTES,), cost=6),
        case((BYTES,), {"axis": 1}, cost=6),
        case((BYTES, 0), cost=6),
        case((BYTES,), {"axis": 1, "count": -3, "bitorder": "little"}, cost=6),
        case((np.array(7, np.uint8),), cost=1),
        case((np.zeros((2, 0), np.uint8),), {"axis": 0}, cost=0),
        case((small_ints((3,)),), cost=0),  # NumPy refuses int64
    ],
}

FREE: dict[str, list] = {}
