"""A stand-in for a third-party library: outside the script's directory, it keeps the
real NumPy (unless the run includes its directory)."""

import numpy as np


def gram(n):
    m = np.ones((n, n))
    return m @ m
