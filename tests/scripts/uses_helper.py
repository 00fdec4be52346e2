"""A plain NumPy script that imports a module from its own directory."""

import numpy as np
import scripthelper

x = np.ones((8, 16))
w = np.full((16, 4), 0.1)
y = scripthelper.layer(x, w)
total = np.sum(y)  # line: script sum
print("helper numpy", scripthelper.np.__name__)
print("total", round(float(total), 6))
