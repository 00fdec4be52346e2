"""A plain NumPy script importing NumPy's submodules in each of Python's forms."""

import importlib

import numpy
import numpy.linalg as la
import numpy.random
import numpy.typing as npt
from numpy import fft, linalg
from numpy.fft import rfft
from numpy.linalg import svd
from numpy.random import default_rng

print("modules", numpy.__name__, la.__name__, numpy.random.__name__, fft.__name__)
print("from", linalg.__name__, svd.__module__, rfft.__module__, default_rng.__module__)
print("typing", npt.__name__)
print("import_module", importlib.import_module("numpy").__name__)
print("norm", float(la.norm(numpy.ones((3, 4)))))
