"""A plain NumPy script: the forward pass of a two-layer perceptron."""

import sys

import numpy as np
from numpy.linalg import norm

batch = int(sys.argv[1]) if len(sys.argv) > 1 else 16
rng = np.random.default_rng(0)
x = rng.standard_normal((batch, 64))
w1 = rng.standard_normal((64, 32)) / 8.0
w2 = rng.standard_normal((32, 10)) / 6.0
hidden = np.maximum(x @ w1, 0.0)  # line: first layer
logits = hidden @ w2  # line: second layer
shifted = logits - logits.max(axis=1, keepdims=True)
probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
print("name", __name__)
print("argv", *sys.argv[1:])
print("norm", round(float(norm(probs)), 6))
