"""Sample data shared by test modules (imported by name: pytest puts tests/ on the path)."""

from __future__ import annotations

import numpy as np

#: every numeric dtype a parameter file must round-trip, bool to complex128
FILE_DTYPES = [
    np.bool_,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
    np.float16,
    np.float32,
    np.float64,
    np.complex64,
    np.complex128,
]
