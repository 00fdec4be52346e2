"""A plain NumPy script whose control flow does not depend on values: the leading
principal direction of a data set by power iteration."""

import numpy as np

rng = np.random.default_rng(1)
x = rng.standard_normal((200, 30))
x = x - x.mean(axis=0)
cov = x.T @ x / (len(x) - 1)
w = np.ones(30) / np.sqrt(30.0)
for _ in range(25):
    w = cov @ w
    w = w / np.linalg.norm(w)
print("direction", w[:3])
