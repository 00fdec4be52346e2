"""``flopscope.numpy.linalg``: counted linear algebra.

Every callable of ``numpy.linalg`` is counted, a stack of matrices ``(..., m, n)``
costing ``numel(batch)`` times one matrix:

* the products: ``multi_dot`` (priced at the cheapest multiplication order, the one
  NumPy runs), ``matmul``, ``tensordot``, ``vecdot``, ``outer``, ``trace`` and ``cross``,
  priced like their top-level namesakes; ``matrix_transpose`` and ``diagonal`` are free
  views;
* the decompositions and solvers, in multiply-add units (the textbook flop counts of
  Golub & Van Loan halved; ``fma_cost=2`` doubles them): ``cholesky`` ``n(n+1)(n+2)/6``,
  LU ``(n^3 - n)/3`` inside ``det``, ``slogdet``, ``solve`` (plus ``n^2`` per right-hand
  side) and ``inv`` (plus ``n^3``: NumPy solves ``A X = I``), Householder ``qr``
  (``mn^2 - n^3/3`` for the factorisation, more to form Q), ``eigvalsh`` ``2n^3/3``,
  ``eigh`` ``9n^3/2``, ``eigvals`` ``5n^3``, ``eig`` ``25n^3/2``, ``svd`` / ``svdvals``
  by the Golub-Reinsch counts, ``lstsq`` and ``pinv`` by the SVD, ``matrix_power`` by
  the squarings and products NumPy does, ``tensorsolve`` / ``tensorinv`` as ``solve`` /
  ``inv`` of the reshaped matrix;
* ``svd(a, k=...)`` returns the top-``k`` singular triplets at ``m * n * k``;
* the norms (``norm``, ``vector_norm``, ``matrix_norm``) as passes over the data, the
  matrix 2-norm and nuclear norm as singular values; ``cond`` and ``matrix_rank`` by the
  singular values (``cond`` with another ``p``: an inverse and two norms).

Each row's exact formula is in its docstring and in ``python -m flopscope ops``; the
queries ``flops.cholesky_cost``, ``flops.svd_cost``, ... give the same numbers from
shapes. Bad input raises NumPy's error (``LinAlgError`` for a non-square or
one-dimensional matrix) before anything is charged; a singular matrix, found only by
running, refunds the charge.
"""

from __future__ import annotations

from numpy.linalg import LinAlgError

from .._namespace import populate as _populate

_names, __getattr__ = _populate(globals(), "linalg")
__all__ = [*_names, "LinAlgError"]


def __dir__() -> list[str]:
    return __all__
