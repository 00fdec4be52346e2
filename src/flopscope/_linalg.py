"""flopscope's own ``linalg.svd``: NumPy's, plus the truncated form ``k=``.

``svd(a, k=10)`` returns the top-``k`` singular triplets, ``(U[..., :, :k], S[..., :k],
Vh[..., :k, :])`` (``S[..., :k]`` alone with ``compute_uv=False``), priced at
``m * n * k`` by the row's rule; without ``k`` it is NumPy's ``svd`` unchanged. The
rule has refused a bad ``k`` before this runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_numpy_svd: Any = np.linalg.svd  # called with run-time flags: no overload to pick

__all__ = ["svd"]


def svd(
    a: Any,
    full_matrices: bool = True,
    compute_uv: bool = True,
    hermitian: bool = False,
    *,
    k: int | None = None,
) -> Any:
    if k is None:
        return _numpy_svd(a, full_matrices, compute_uv, hermitian)
    # the leading singular triplets of the decomposition (thin: the rest is not returned)
    result = _numpy_svd(a, False, compute_uv, hermitian)
    if not compute_uv:
        return result[..., :k]
    u, s, vh = result
    return type(result)(u[..., :, :k], s[..., :k], vh[..., :k, :])


svd.__doc__ = (
    "Singular value decomposition; ``k=`` (flopscope) returns only the top-``k`` "
    "singular triplets ``(U[..., :, :k], S[..., :k], Vh[..., :k, :])`` at ``m * n * k`` "
    "FLOPs.\n\n" + (np.linalg.svd.__doc__ or "")
)
