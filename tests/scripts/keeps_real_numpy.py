"""A plain NumPy script that calls a library living outside its directory."""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "scripts_vendor"))
import plainlib

g = plainlib.gram(50)
v = np.ones(50) * 2.0
print("script numpy", np.__name__)
print("library numpy", plainlib.np.__name__)
print("gram type", type(g).__module__.split(".")[0])
