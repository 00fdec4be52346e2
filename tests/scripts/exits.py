"""A plain NumPy script that ends with sys.exit(its first argument)."""

import sys

import numpy as np

np.ones(5) + 1.0
sys.exit(int(sys.argv[1]))
