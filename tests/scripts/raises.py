"""A plain NumPy script that fails with an error of its own."""

import numpy as np

x = np.arange(10.0) * 2.0
if x.sum() > 0:
    raise ValueError("the input was rejected")  # line: raises
