"""Registry samples: the contraction family, choose / select, and the free date rows.

Each cost is written here from the documented formula, independently of the rules.
"""

from __future__ import annotations

import numpy as np

from samples import case, small_ints, unit

A34, B34, V4, V3 = unit((3, 4)), unit((3, 4)), unit((4,)), unit((3,))
T234 = unit((2, 3, 4))

CASES = {
    # outer: every pair multiplied once (inputs flattened)
    "outer": [
        case((V4, V3), cost=12),
        case((A34, V3), cost=36),
        case((V4, 2.0), cost=4),
        case((small_ints((3,)), small_ints((2,))), cost=6),
    ],
    "kron": [
        case((V4, V3), cost=12),
        case((A34, np.eye(2)), cost=48),
        case((unit((2, 2)), unit((3,))), cost=12),
    ],
    # inner: numel(a[:-1]) * numel(b[:-1]) * k multiply-adds
    "inner": [
        case((V4, V4), cost=4),
        case((A34, V4), cost=12),
        case((A34, B34), cost=3 * 3 * 4),
        case((T234, A34), cost=6 * 3 * 4),
        case((2.0, A34), cost=12),
    ],
    # vdot: n multiply-adds over the flattened inputs
    "vdot": [
        case((V4, V4), cost=4),
        case((A34, B34), cost=12),
        case((V4 + 1j * V4, V4), cost=4),
    ],
    # tensordot: free(a) * free(b) * summed multiply-adds
    "tensordot": [
        case((A34, B34), cost=12),  # axes=2: everything summed
        case((A34, B34.T, 1), cost=3 * 3 * 4),
        case((A34, B34), {"axes": ([1], [1])}, cost=3 * 3 * 4),
        case((T234, A34, ([1, 2], [0, 1])), cost=2 * 12),
        case((V4, V3, 0), cost=12),
    ],
    # choose: one pick per output element
    "choose": [
        case((np.array([0, 1, 2, 1]), [V4, V4 * 2, V4 * 3]), cost=4),
        case((np.array([[0], [1], [0]]), [A34, B34]), cost=12),
        case((np.array([0, 1, 1]), np.stack([V3, V3 + 1])), cost=3),
        case((np.array([0, 3]), [V3[:2], V3[1:]]), {"mode": "clip"}, cost=2),
    ],
    # select: one where per condition over the broadcast output
    "select": [
        case(([V4 > 0.5, V4 > 0.2], [V4, V4 * 2]), cost=2 * 4),
        case(([A34 > 0.5], [V4]), {"default": -1.0}, cost=12),
        case(([A34 > 0.3, A34 > 0.6, A34 > 0.9], [A34, B34, 0.0]), cost=3 * 12),
    ],
}

DATES = np.array(["2024-01-01", "2024-03-15", "NaT"], dtype="datetime64[D]")
FREE = {
    "busday_count": [lambda: ((DATES[:2], DATES[1:2]), {})],
    "busday_offset": [lambda: ((DATES[:2], 3), {"roll": "forward"})],
    "is_busday": [lambda: ((DATES[:2],), {})],
    "datetime_as_string": [lambda: ((DATES,), {})],
    "datetime_data": [lambda: ((DATES.dtype,), {})],
    "isnat": [lambda: ((DATES,), {})],
}
