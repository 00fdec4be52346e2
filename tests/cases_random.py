"""Registry samples: numpy.random's multivariate samplers, bytes and choice.

Each cost is written from the documented formula: ``numel(output)`` draws, plus the
arithmetic each row states (choice's permutation of its population, dirichlet's
normalisation, multivariate_normal's factorisation and transform). Every case reseeds
NumPy's global generator, so the values are compared bit for bit.
"""

from __future__ import annotations

import numpy as np

from samples import case, log2ceil, unit

P3 = np.array([0.2, 0.3, 0.5])
P6 = np.full(6, 1 / 6)
P10 = np.full(10, 0.1)
MEAN = np.array([0.5, -1.0, 2.0])
COV = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, 0.2], [0.1, 0.2, 1.5]])


def mvn(n: int, samples: int, check: bool = True) -> int:
    """The full SVD, ceil(21 n**3 / 2) as linalg.svd counts it (+ n**3 to check it), then
    per sample n draws, n*n multiply-adds, n adds."""
    return -(-21 * n**3 // 2) + (n**3 if check else 0) + samples * (n * n + 2 * n)


CASES = {
    "random.choice": [
        case((10, (3, 4)), cost=12, seed=7),
        case((10,), {"size": 5}, cost=5, seed=7),
        case((10,), cost=1, seed=7),
        case((unit((6,)), 4), cost=4, seed=7),
        # without replacement: the draws plus the permutation of the population
        case((10, 5, False), cost=5 + 10 * log2ceil(10), seed=7),
        case((10,), {"size": (2, 2), "replace": False}, cost=4 + 10 * 4, seed=7),
        # with p: plus n for its cumulative distribution
        case((6, 4, True, P6), cost=4 + 6, seed=7),
        case((10, 3, False, P10), cost=3 + 10 + 10 * 4, seed=7),
        case((np.array(8), 3), cost=3, seed=7),  # a 0-d integer array is a population size
        case((5, 6, False), seed=7),  # more than the population without replacement
        case((np.array(2.5),), seed=7),  # neither 1-D nor an integer
    ],
    "random.multinomial": [
        case((10, P3), cost=3, seed=7),
        case((10, P3, 4), cost=12, seed=7),
        case((20, P3), {"size": (2, 3)}, cost=18, seed=7),
        case((5, [0.5, 0.5]), {"size": 0}, cost=0, seed=7),
    ],
    "random.dirichlet": [
        case(([1.0, 2.0, 3.0],), cost=3 * 3 - 1, seed=7),
        case(([1.0, 2.0, 3.0], 5), cost=5 * (3 * 3 - 1), seed=7),
        case((np.array([0.5, 4.0]), (2, 3)), cost=6 * (3 * 2 - 1), seed=7),
        case(([[1.0, 2.0]],), seed=7),  # alpha must be one-dimensional
    ],
    "random.multivariate_normal": [
        case((MEAN, COV), cost=mvn(3, 1), seed=7),
        case((MEAN, COV, 5), cost=mvn(3, 5), seed=7),
        case((MEAN, COV), {"size": (2, 4)}, cost=mvn(3, 8), seed=7),
        case((MEAN, COV, 4, "ignore"), cost=mvn(3, 4, check=False), seed=7),
        case(
            ([0.0, 0.0], np.eye(2)), {"size": 10, "check_valid": "raise"}, cost=mvn(2, 10), seed=7
        ),
        case((MEAN[None], COV), seed=7),  # mean must be 1-D
        case((MEAN, COV[:2]), seed=7),  # cov must be square
        case((MEAN[:2], COV), seed=7),  # lengths differ
        case((MEAN, COV), {"check_valid": "sometimes"}, seed=7),
    ],
    "random.bytes": [
        case((10,), cost=3, seed=7),
        case((8,), cost=2, seed=7),
        case((1,), cost=1, seed=7),
        case((0,), cost=0, seed=7),
    ],
}
