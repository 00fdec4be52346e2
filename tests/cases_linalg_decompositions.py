"""Registry samples: numpy.linalg's decompositions, solvers and norms.

Each cost is written here from the documented formula, independently of the rules (the
sums are written out as loops, the rounding as ``math.ceil`` of a fraction). Units are
multiply-adds (Golub & Van Loan's flops halved) for the decompositions and solvers, and
one operation per element per pass for the norms. Cases without a cost are inputs NumPy
refuses (a singular or indefinite matrix among them, which only running finds):
flopscope must raise the same error and charge nothing.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from samples import case, unit

V5 = unit((5,))
M34, M53, M35 = unit((3, 4)), unit((5, 3)), unit((3, 5))
T234, T243 = unit((2, 3, 4)), unit((2, 4, 3))


def spd(n: int, batch: tuple = ()) -> np.ndarray:
    """Symmetric positive definite: X X^T + n I."""
    x = unit((*batch, n, n))
    return x @ np.swapaxes(x, -1, -2) + n * np.eye(n)


S1, S3, S4, S6 = spd(1), spd(3), spd(4), spd(6)
S233 = spd(3, (2,))
G4 = unit((4, 4)) + 4 * np.eye(4)  # general, well conditioned
G233 = unit((2, 3, 3)) + 3 * np.eye(3)
SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])


def ceil(x: Fraction) -> int:
    return math.ceil(x)


# --------------------------------------------------------------- the formulas, by hand
def chol(n):  # a square root, n-j-1 divisions, a triangular update per column
    return sum(1 + (n - j - 1) + (n - j - 1) * (n - j) // 2 for j in range(n))


def lu(n):  # n-j-1 divisions and an (n-j-1)^2 update per step
    return sum((n - j - 1) + (n - j - 1) ** 2 for j in range(n))


def reflectors(m, q, k):  # k reflectors applied to q, q-1, ... columns
    return sum(2 * (m - j) * (q - j) for j in range(k))


def qr(m, n, mode):
    k = min(m, n)
    q = {"reduced": k, "complete": m}.get(mode)
    return reflectors(m, n, k) + (reflectors(m, q, k) if q is not None else 0)


def svd_values(m, n):
    p, q = max(m, n), min(m, n)
    return ceil(Fraction(4 * p * q * q, 2) - Fraction(4 * q**3, 3 * 2))


def svd_full(m, n):
    p, q = max(m, n), min(m, n)
    return ceil(Fraction(4 * p * p * q + 8 * p * q * q + 9 * q**3, 2))


def svd_thin(m, n):
    p, q = max(m, n), min(m, n)
    return min(Fraction(14 * p * q * q + 8 * q**3, 2), svd_full(m, n))


def eigvalsh(n):
    return ceil(Fraction(4 * n**3, 3 * 2))


def eigh(n):
    return ceil(Fraction(9 * n**3, 2))


def inv(n):
    return lu(n) + n * n * n  # NumPy solves A X = I: n right-hand sides of n^2 each


CASES = {
    "linalg.cholesky": [
        case((S4,), cost=chol(4)),
        case((S4,), {"upper": True}, cost=chol(4)),
        case((S233,), cost=2 * chol(3)),
        case((S1,), cost=1),
        case((np.zeros((0, 0)),), cost=0),
        case((-S3,)),  # not positive definite: found by running, refunded
        case((M34,)),  # not square
        case((V5,)),  # one dimension
    ],
    "linalg.qr": [
        case((M53,), cost=qr(5, 3, "reduced")),
        case((M53, "complete"), cost=qr(5, 3, "complete")),
        case((M53,), {"mode": "r"}, cost=qr(5, 3, "r")),
        case((M53,), {"mode": "raw"}, cost=qr(5, 3, "raw")),
        case((M35,), cost=qr(3, 5, "reduced")),
        case((M35, "complete"), cost=qr(3, 5, "complete")),
        case((T243,), cost=2 * qr(4, 3, "reduced")),
        case((M53, "nonsense")),
        case((V5,)),
    ],
    "linalg.svd": [
        case((M53,), cost=svd_full(5, 3)),
        case((M53, False), cost=svd_thin(5, 3)),
        case((M35,), {"full_matrices": False}, cost=svd_thin(3, 5)),
        case((M53,), {"compute_uv": False}, cost=svd_values(5, 3)),
        case((G4,), cost=svd_full(4, 4)),
        case((G4, False), cost=svd_full(4, 4)),  # square: the full count is the cheaper
        case((T234,), cost=2 * svd_full(3, 4)),
        case((S4,), {"hermitian": True}, cost=eigh(4)),
        case((S4,), {"hermitian": True, "compute_uv": False}, cost=eigvalsh(4)),
        case((V5,)),
    ],
    "linalg.svdvals": [
        case((M53,), cost=svd_values(5, 3)),
        case((T234,), cost=2 * svd_values(3, 4)),
        case((V5,)),
    ],
    "linalg.eig": [
        case((G4,), cost=ceil(Fraction(25 * 64, 2))),
        case((G233,), cost=2 * ceil(Fraction(25 * 27, 2))),
        case((M34,)),
    ],
    "linalg.eigvals": [
        case((G4,), cost=5 * 64),
        case((G233,), cost=2 * 5 * 27),
        case((M34,)),
    ],
    "linalg.eigh": [
        case((S4,), cost=eigh(4)),
        case((S4, "U"), cost=eigh(4)),
        case((S233,), cost=2 * eigh(3)),
        case((S4,), {"UPLO": "X"}),
        case((M34,)),
    ],
    "linalg.eigvalsh": [
        case((S4,), cost=eigvalsh(4)),
        case((S233,), {"UPLO": "U"}, cost=2 * eigvalsh(3)),
        case((M34,)),
    ],
    "linalg.inv": [
        case((G4,), cost=inv(4)),
        case((G233,), cost=2 * inv(3)),
        case((S1,), cost=1),
        case((SINGULAR,)),  # singular: found by running, refunded
        case((M34,)),
        case((V5,)),
    ],
    "linalg.det": [
        case((G4,), cost=lu(4) + 4),
        case((G233,), cost=2 * (lu(3) + 3)),
        case((SINGULAR,), cost=lu(2) + 2),  # det 0: no error
        case((M34,)),
    ],
    "linalg.slogdet": [
        case((G4,), cost=lu(4) + 2 * 4),
        case((G233,), cost=2 * (lu(3) + 2 * 3)),
        case((M34,)),
    ],
    "linalg.solve": [
        case((G4, unit((4,))), cost=lu(4) + 4 * 4),
        case((G4, unit((4, 2))), cost=lu(4) + 4 * 4 * 2),
        case((G233, unit((2, 3, 1))), cost=2 * (lu(3) + 3 * 3)),
        case((G233, unit((3, 2))), cost=2 * (lu(3) + 3 * 3 * 2)),  # b broadcast over a
        case((SINGULAR, unit((2,)))),
        case((G4, unit((5,)))),
        case((G233, unit((4, 3, 1)))),  # batches do not broadcast
        case((M34, unit((3,)))),
    ],
    "linalg.lstsq": [
        case((unit((6, 3)), unit((6,))), cost=svd_thin(6, 3) + 9 * 3 * 1 + 3 * 1),
        case((unit((6, 3)), unit((6, 2))), cost=svd_thin(6, 3) + 9 * 3 * 2 + 3 * 2),
        case((M35, unit((3,))), {"rcond": None}, cost=svd_thin(3, 5) + 8 * 3 * 1),
        case((unit((6, 3)), unit((5,)))),
        case((T234, unit((3,)))),
    ],
    "linalg.pinv": [
        case((M53,), cost=svd_thin(5, 3) + 2 * 3 + 3 * 5 + 3 * 3 * 5),
        case((M35,), cost=svd_thin(3, 5) + 2 * 3 + 3 * 3 + 5 * 3 * 3),
        case((S4,), {"hermitian": True}, cost=eigh(4) + 2 * 4 + 4 * 4 + 4 * 4 * 4),
        case((T234,), cost=2 * (svd_thin(3, 4) + 2 * 3 + 3 * 3 + 4 * 3 * 3)),
        case((np.zeros((0, 3)),), cost=0),
        case((np.zeros((0, 3)),), {"hermitian": True}, cost=0),  # empty: NumPy returns at once
        case((V5,)),
    ],
    "linalg.matrix_power": [
        case((G4, 0), cost=0),
        case((G4, 1), cost=0),
        case((G4, 2), cost=64),
        case((G4, 3), cost=2 * 64),
        case((G4, 5), cost=3 * 64),  # 101b: two squarings, one product
        case((G4, 6), cost=3 * 64),  # 110b: two squarings, one product
        case((G4, 7), cost=4 * 64),  # 111b: two squarings, two products
        case((G4, 8), cost=3 * 64),  # 1000b: three squarings
        case((G4, -2), cost=inv(4) + 64),
        case((G233, 4), cost=2 * 2 * 27),
        case((G4, 2.5)),
        case((M34, 2)),
    ],
    "linalg.tensorinv": [
        case((np.eye(6).reshape(6, 2, 3),), {"ind": 1}, cost=inv(6)),
        case(((unit((6, 6)) + 6 * np.eye(6)).reshape(2, 3, 6),), cost=inv(6)),
        case((np.eye(24).reshape(4, 6, 8, 3),), cost=inv(24)),
        case((T234,)),  # 6 x 4: not square
        case((T234,), {"ind": 0}),
        case((np.float64(2.0),)),
    ],
    "linalg.tensorsolve": [
        case(((unit((6, 6)) + 6 * np.eye(6)).reshape(2, 3, 6), unit((2, 3))), cost=lu(6) + 36),
        case(((unit((6, 6)) + 6 * np.eye(6)).reshape(6, 2, 3), unit((6,))), cost=lu(6) + 36),
        case(
            ((unit((6, 6)) + 6 * np.eye(6)).reshape(6, 2, 3), unit((2, 3))),
            {"axes": (0,)},
            cost=lu(6) + 36,
        ),
        case((T234, unit((2, 3)))),
        case((np.float64(2.0), unit((2, 2)))),  # one unknown, four equations
    ],
    "linalg.norm": [
        case((V5,), cost=2 * 5 + 1),
        case((V5, 2), cost=2 * 5 + 1),
        case((V5, 1), cost=2 * 5),
        case((V5, np.inf), cost=2 * 5),
        case((V5, -np.inf), cost=2 * 5),
        case((V5, 0), cost=2 * 5),
        case((V5, 3), cost=3 * 5 + 1),
        case((M34,), cost=2 * 12 + 1),
        case((M34, "fro"), cost=2 * 12 + 1),
        case((M34, 1), cost=2 * 12 + 4),
        case((M34, -1), cost=2 * 12 + 4),
        case((M34, np.inf), cost=2 * 12 + 3),
        case((M34, 2), cost=svd_values(3, 4) + 3),
        case((M34, -2), cost=svd_values(3, 4) + 3),
        case((M34, "nuc"), cost=svd_values(3, 4) + 3),
        case((M34,), {"axis": 0}, cost=2 * 12 + 4),
        case((M34, 1, 1), cost=2 * 12),
        case((M34, None, (0, 1)), cost=2 * 12 + 1),
        case((T234, 2, (1, 2)), cost=2 * (svd_values(3, 4) + 3)),
        case((T234, "fro", (1, 2)), cost=2 * 24 + 2),
        case((T234, 1, (2, 1)), {"keepdims": True}, cost=2 * 24 + 2 * 3),
        case((T234,), {"axis": -1, "keepdims": True}, cost=2 * 24 + 6),
        case((V5, "fro", 0)),
        case((M34, "abc")),
        case((T234, 1)),
        case((M34, None, (0, 0))),
        case((np.zeros((0, 0)), -2)),  # no smallest singular value
        case((np.zeros((0, 3)), -np.inf, 0)),
        case((np.zeros((0, 3)), np.inf, 0), cost=0),
    ],
    "linalg.vector_norm": [
        case((V5,), cost=2 * 5 + 1),
        case((M34,), cost=2 * 12 + 1),
        case((M34,), {"axis": 1}, cost=2 * 12 + 3),
        case((M34,), {"ord": np.inf}, cost=2 * 12),
        case((T234,), {"axis": (0, 2), "ord": 3}, cost=3 * 24 + 3),
        case((M34,), {"axis": 0, "keepdims": True}, cost=2 * 12 + 4),
        case((M34,), {"ord": "fro"}),
    ],
    "linalg.matrix_norm": [
        case((M34,), cost=2 * 12 + 1),
        case((M34,), {"ord": 2}, cost=svd_values(3, 4) + 3),
        case((M34,), {"ord": np.inf}, cost=2 * 12 + 3),
        case((T234,), cost=2 * 24 + 2),
        case((T234,), {"ord": "nuc", "keepdims": True}, cost=2 * (svd_values(3, 4) + 3)),
        case((V5,)),
    ],
    "linalg.cond": [
        case((G4,), cost=svd_values(4, 4) + 1),
        case((G4, 2), cost=svd_values(4, 4) + 1),
        case((G4, -2), cost=svd_values(4, 4) + 1),
        case((M34,), cost=svd_values(3, 4) + 1),
        case((G233,), cost=2 * (svd_values(3, 3) + 1)),
        case((G4, 1), cost=inv(4) + 1 + 2 * (2 * 16 + 4)),
        case((G4, np.inf), cost=inv(4) + 1 + 2 * (2 * 16 + 4)),
        case((G4, "fro"), cost=inv(4) + 1 + 2 * (2 * 16 + 1)),
        case((G4, "nuc"), cost=inv(4) + 1 + 2 * (svd_values(4, 4) + 4)),
        case((G233, -1), cost=2 * (inv(3) + 1) + 2 * (2 * 18 + 2 * 3)),
        case((M34, 1)),
        case((np.zeros((0, 0)),)),
    ],
    "linalg.matrix_rank": [
        case((M34,), cost=svd_values(3, 4) + 2 * 3),
        case((S4,), {"hermitian": True}, cost=eigvalsh(4) + 2 * 4),
        case((T234,), cost=2 * (svd_values(3, 4) + 2 * 3)),
        case((V5,), cost=5),
        case((M34, 1e-3), cost=svd_values(3, 4) + 2 * 3),
        case((M34, 1e-3), {"rtol": 1e-3}),
    ],
    "linalg.cross": [
        case((unit((3,)), unit((3,))), cost=9),
        case((unit((2, 3)), unit((3,))), cost=2 * 9),
        case((M34, unit((3, 4))), {"axis": 0}, cost=4 * 9),
        case((unit((2,)), unit((2,)))),
        case((unit((4,)), unit((3,)))),
    ],
}
