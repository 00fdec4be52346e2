"""A plain NumPy script that needs more FLOPs than its budget allows."""

import numpy as np

a = np.ones((100, 100))
for _ in range(10):
    a = a @ a / 100.0  # line: runs out here
print("never printed")
