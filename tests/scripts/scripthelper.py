"""A module beside the script: its NumPy is counted too."""

import numpy as np


def layer(x, w):
    return np.tanh(x @ w)  # line: helper layer
