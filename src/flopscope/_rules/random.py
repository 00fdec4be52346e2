"""Random sampling: one draw per output element; shuffles by comparison count.

The multivariate samplers add the arithmetic NumPy does around its draws (dirichlet's
normalisation, multivariate_normal's factorisation and transform), each stated in the
rule's formula.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from .core import Rule, arg, axis_tuple, broadcast_shape, numel, shape_of
from .linalg import cholesky, eigh, svd_full
from .outputs import Computed, Out, is_unknown, values_of
from .pointwise import pointwise
from .sorting import n_log2_n

__all__ = [
    "COUNT_SAMPLERS",
    "bytes_output",
    "bytes_rule",
    "choice_output",
    "choice_rule",
    "dims_output",
    "dims_rule",
    "dirichlet_output",
    "dirichlet_rule",
    "multinomial_output",
    "multinomial_rule",
    "multivariate_hypergeometric_output",
    "multivariate_hypergeometric_rule",
    "multivariate_normal_output",
    "multivariate_normal_rule",
    "mvn_factorisation",
    "permutation_output",
    "permutation_rule",
    "permuted_output",
    "permuted_rule",
    "sampler_output",
    "sampler_rule",
    "shuffle_output",
]

#: keywords of a sampler that are options, not distribution parameters
_OPTIONS = frozenset({"size", "dtype", "out", "method", "endpoint"})


def _size_shape(size: Any) -> tuple[int, ...] | None:
    """The shape ``size`` asks for (None when absent)."""
    if size is None:
        return None
    if np.ndim(size) == 0:
        return (operator.index(size),)
    return tuple(operator.index(d) for d in size)


def sampler_rule(size_pos: int) -> Rule:
    """Random sampling: ``numel(output)``, one draw per output element.

    The output shape is ``size`` (argument ``size_pos`` or ``size=``), the shape of
    ``out=`` when given instead, or the broadcast of the distribution parameters before
    it when neither is.
    """

    def rule(args: tuple, kwargs: dict) -> int:
        size = _size_shape(args[size_pos] if len(args) > size_pos else kwargs.get("size"))
        if size is not None:
            return numel(size)
        out = kwargs.get("out")
        if out is not None:
            return numel(shape_of(out))
        params = [shape_of(a) for a in args[:size_pos]]
        params += [shape_of(v) for k, v in kwargs.items() if k not in _OPTIONS]
        return pointwise(*params) if params else 1

    rule.__doc__ = sampler_rule.__doc__
    return rule


def dims_rule(args: tuple, kwargs: dict) -> int:
    """``rand(d0, d1, ...)`` / ``randn(d0, d1, ...)``: ``d0 * d1 * ...`` draws."""
    for d in args:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
            raise TypeError(f"dimensions must be integers, got {d!r}")
        if d < 0:
            raise ValueError(f"negative dimensions are not allowed, got {d}")
    return numel([int(d) for d in args])


def permutation_rule(args: tuple, kwargs: dict) -> int:
    """Shuffle/permutation of n items along ``axis`` (the first by default):
    ``n * ceil(log2 n)``; an integer ``x`` permutes ``range(x)``."""
    x = arg(args, kwargs, 0, "x")
    if isinstance(x, (int, np.integer)):
        return n_log2_n(int(x))
    shape = shape_of(x)
    if not shape:
        raise ValueError("x must be an integer or at least 1-dimensional")
    (axis,) = axis_tuple(arg(args, kwargs, 1, "axis", 0), len(shape))
    return n_log2_n(shape[axis])


def permuted_rule(args: tuple, kwargs: dict) -> int:
    """``Generator.permuted``: each slice along ``axis`` shuffled on its own,
    ``(numel / n) * n * ceil(log2 n)`` for slices of length n; ``axis=None`` shuffles
    all ``numel`` elements as one: ``numel * ceil(log2 numel)``."""
    shape = shape_of(arg(args, kwargs, 0, "x"))
    axis = arg(args, kwargs, 1, "axis")
    if axis is None:
        return n_log2_n(numel(shape))
    (ax,) = axis_tuple(axis, len(shape))
    n = shape[ax]
    return numel(shape) // n * n_log2_n(n) if n else 0


def choice_rule(args: tuple, kwargs: dict) -> int:
    """``choice(a, size, replace, p)``: ``numel(size)`` draws (one per chosen item, 1
    without ``size``); with ``p``, plus ``n`` (the cumulative distribution of ``p``);
    without replacement, plus ``n * ceil(log2 n)`` (the permutation of the population).
    ``n`` is ``a`` for an integer, else ``a``'s length along ``axis``."""
    a = arg(args, kwargs, 0, "a")
    size = _size_shape(arg(args, kwargs, 1, "size"))
    replace = arg(args, kwargs, 2, "replace", True)
    p = arg(args, kwargs, 3, "p")
    shape = shape_of(a)
    draws = 1 if size is None else numel(size)
    if not shape:
        if isinstance(a, np.ndarray):  # a 0-d array: its value is the population size
            if replace and p is None and is_unknown(a):
                # unknown in a dry run, and not needed: the draws alone are counted
                if a.dtype.kind not in "iu":
                    raise ValueError("a must be 1-dimensional or an integer")
                return draws
            a = values_of(a, "the cost of choice from a population of unknown size")
        try:
            n = operator.index(a.item() if isinstance(a, np.ndarray | np.generic) else a)
        except TypeError:
            raise ValueError("a must be 1-dimensional or an integer") from None
    else:
        (axis,) = axis_tuple(arg(args, kwargs, 4, "axis", 0), len(shape))
        n = shape[axis]
    if not replace and draws > n:
        raise ValueError("Cannot take a larger sample than population when replace is False")
    work = draws
    if p is not None:
        work += n
    if not replace:
        work += n_log2_n(n)
    return work


def _vector_length(x: Any, what: str) -> int:
    """The length of a 1-D parameter vector (``alpha``, ``colors``), else ValueError."""
    shape = shape_of(x)
    if len(shape) != 1:
        raise ValueError(f"{what} must be a one-dimensional sequence, got shape {shape}")
    return shape[0]


def multinomial_rule(args: tuple, kwargs: dict) -> int:
    """``multinomial(n, pvals, size)``: ``numel(output)``, the k counts of each sample
    (``k - 1`` binomial draws and the remainder), the output being ``size + (k,)``
    (without ``size``: the broadcast of ``n`` and ``pvals[..., 0]``, then ``k``)."""
    pshape = shape_of(arg(args, kwargs, 1, "pvals"))
    if not pshape:
        raise ValueError("pvals must have at least 1 dimension")
    size = _size_shape(arg(args, kwargs, 2, "size"))
    if size is None:
        size = broadcast_shape(tuple(shape_of(arg(args, kwargs, 0, "n"))), tuple(pshape[:-1]))
    return numel(size) * pshape[-1]


def dirichlet_rule(args: tuple, kwargs: dict) -> int:
    """``dirichlet(alpha, size)``: ``s * (3k - 1)`` for ``s = numel(size)`` samples of
    ``k = len(alpha)`` components: k gamma draws per sample, then its normalisation (k - 1
    additions for the sum, k divisions); 0 when ``k = 0``."""
    k = _vector_length(arg(args, kwargs, 0, "alpha"), "alpha")
    size = _size_shape(arg(args, kwargs, 1, "size"))
    samples = 1 if size is None else numel(size)
    return samples * (3 * k - 1) if k else 0


def multivariate_hypergeometric_rule(args: tuple, kwargs: dict) -> int:
    """``Generator.multivariate_hypergeometric(colors, nsample, size)``: ``numel(output)``,
    one count per color per sample (output ``size + (k,)``, ``k = len(colors)``)."""
    k = _vector_length(arg(args, kwargs, 0, "colors"), "colors")
    size = _size_shape(arg(args, kwargs, 2, "size"))
    return (1 if size is None else numel(size)) * k


_MVN_METHODS = ("svd", "eigh", "cholesky")
_CHECKS = ("warn", "raise", "ignore")


def mvn_factorisation(n: int, method: str = "svd", check_valid: str = "warn") -> int:
    """The factorisation of an ``n x n`` covariance, counted as ``linalg`` counts it:
    ``svd`` NumPy's full SVD (``linalg.svd``'s ``ceil(21 n^3 / 2)``) plus ``n**3`` to
    check it (the reconstruction of ``cov`` from its factors, skipped with
    ``check_valid='ignore'``); ``eigh`` ``linalg.eigh``'s ``ceil(9 n^3 / 2)``;
    ``cholesky`` ``linalg.cholesky``'s ``n (n + 1) (n + 2) / 6``."""
    if method not in _MVN_METHODS:
        raise ValueError("method must be one of {'eigh', 'svd', 'cholesky'}")
    if check_valid not in _CHECKS:
        raise ValueError("check_valid must equal 'warn', 'raise', or 'ignore'")
    if method == "cholesky":
        return cholesky(n)
    if method == "eigh":
        return eigh(n)
    return svd_full(n, n) + (n**3 if check_valid != "ignore" else 0)


def multivariate_normal_rule(args: tuple, kwargs: dict) -> int:
    """``multivariate_normal(mean, cov, size)``: the factorisation of the ``n x n``
    covariance as ``linalg`` counts it (``method='svd'``, NumPy's default and
    RandomState's only one: the full SVD ``ceil(21 n^3 / 2)`` plus ``n^3`` for its
    validity check, skipped with ``check_valid='ignore'``; ``'eigh'``: ``ceil(9 n^3 /
    2)``; ``'cholesky'``: ``n (n + 1) (n + 2) / 6``), plus ``s * n`` normal draws,
    ``s * n * n`` multiply-adds for the transform and ``s * n`` additions of the mean,
    for ``s = numel(size)`` samples."""
    mshape = shape_of(arg(args, kwargs, 0, "mean"))
    cshape = shape_of(arg(args, kwargs, 1, "cov"))
    if len(mshape) != 1:
        raise ValueError("mean must be 1 dimensional")
    if len(cshape) != 2 or cshape[0] != cshape[1]:
        raise ValueError("cov must be 2 dimensional and square")
    n = mshape[0]
    if cshape[0] != n:
        raise ValueError("mean and cov must have same length")
    size = _size_shape(arg(args, kwargs, 2, "size"))
    samples = 1 if size is None else numel(size)
    check_valid = arg(args, kwargs, 3, "check_valid", "warn")
    factor = mvn_factorisation(n, kwargs.get("method", "svd"), check_valid)
    return factor + samples * n * n + 2 * samples * n


def bytes_rule(args: tuple, kwargs: dict) -> int:
    """``bytes(length)``: ``ceil(length / 4)`` draws, the 32-bit integers NumPy draws
    and cuts to ``length`` bytes (0 for ``length <= 0``)."""
    length = arg(args, kwargs, 0, "length")
    if isinstance(length, (str, bytes)) or length is None:
        raise TypeError(f"length must be a number, got {type(length).__name__}")
    return max(0, math.ceil(length / 4))


# ---------------------------------------------------------------------- output rules
# What each sampler returns (for a dry run: see ``outputs``). Every rule states its
# dtypes: the executor's probe would draw, and a dry run leaves every generator in the
# state it found it.
_FLOAT = np.dtype(np.float64)
#: the integers NumPy's samplers of counts return (64-bit on every platform:
#: Generator's int64; RandomState's C long, 64-bit wherever NumPy is not on Windows)
_COUNT = np.dtype(np.int64)

#: the samplers that draw counts (integers), not reals
COUNT_SAMPLERS = frozenset(
    "binomial negative_binomial poisson geometric hypergeometric logseries zipf".split()
)


def _draws_shape(size_pos: int, args: tuple, kwargs: dict) -> tuple[int, ...]:
    """The shape of a sampler's draws: ``size``, which the parameters must broadcast to
    (NumPy's shape mismatch otherwise); else the shape of ``out=``; else the broadcast of
    the parameters (``()``: one draw, a Python or NumPy scalar in a real run)."""
    params = [tuple(shape_of(a)) for a in args[:size_pos]]
    params += [tuple(shape_of(v)) for k, v in kwargs.items() if k not in _OPTIONS]
    drawn = broadcast_shape(*params) if params else ()
    size = _size_shape(args[size_pos] if len(args) > size_pos else kwargs.get("size"))
    if size is not None:
        if np.broadcast_shapes(drawn, size) != size:
            raise ValueError(
                f"shape mismatch: parameters of shape {drawn} cannot be broadcast to size {size}"
            )
        return size
    out = kwargs.get("out")
    if out is not None:
        return tuple(shape_of(out))
    return drawn


def sampler_output(
    size_pos: int, dtype: Any = np.float64, dtype_kinds: str = ""
) -> Callable[[tuple, dict], Out]:
    """The output rule of a sampler whose ``size`` is argument ``size_pos``: the draws'
    shape (:func:`_draws_shape`) in ``dtype``; a sampler that takes a ``dtype=`` (after
    ``size``, ``dtype_kinds`` the kinds it accepts) in that one."""
    default = np.dtype(dtype)

    def output(args: tuple, kwargs: dict) -> Out:
        shape = _draws_shape(size_pos, args, kwargs)
        chosen = args[size_pos + 1] if len(args) > size_pos + 1 else kwargs.get("dtype")
        if chosen is None or not dtype_kinds:
            if "dtype" in kwargs and not dtype_kinds:
                raise TypeError("this sampler takes no dtype argument")
            return Out(shape, default)
        dt = np.dtype(chosen)
        if dt.kind not in dtype_kinds or (dt.kind == "f" and dt.itemsize not in (4, 8)):
            raise TypeError(f"Unsupported dtype {dt} for this sampler")
        return Out(shape, dt)

    kinds = {"": "", "f": " (dtype=: float32 or float64)", "biu": " (dtype=: an integer type)"}
    output.__doc__ = (
        f"``size``, else ``out``'s shape, else the parameters' broadcast; {default}"
        f"{kinds[dtype_kinds]}."
    )
    return output


def dims_output(args: tuple, kwargs: dict) -> Out:
    """``rand(d0, d1, ...)`` / ``randn(d0, d1, ...)``: shape ``(d0, d1, ...)``, float64."""
    return Out(tuple(operator.index(d) for d in args), _FLOAT)


def permutation_output(args: tuple, kwargs: dict) -> Out:
    """``permutation(x)``: ``range(x)`` permuted for an integer ``x`` (shape ``(x,)``,
    int64); otherwise a permuted copy of ``x`` (its shape and dtype)."""
    x = arg(args, kwargs, 0, "x")
    if isinstance(x, (int, np.integer)):
        return Out((max(int(x), 0),), _COUNT)
    x = x if isinstance(x, np.ndarray) else np.asarray(x)
    return Out(x.shape, x.dtype)


def shuffle_output(args: tuple, kwargs: dict) -> Computed:
    """``shuffle(x)``: None; ``x`` is shuffled in place. A dry run leaves ``x`` in the
    order it has: the identity is one of the orders a shuffle gives, and what later
    calls are charged does not depend on the order."""
    return Computed(None)


def choice_output(args: tuple, kwargs: dict) -> Out:
    """``choice(a, size)``: from an integer population, indices of shape ``size`` (``()``
    without it), int64; from an array, ``a`` with its ``axis`` (the first) replaced by
    ``size``'s axes (removed without it), in ``a``'s dtype."""
    a = arg(args, kwargs, 0, "a")
    size = _size_shape(arg(args, kwargs, 1, "size"))
    drawn = () if size is None else size
    shape = tuple(shape_of(a))
    if not shape:
        return Out(drawn, _COUNT)
    (axis,) = axis_tuple(arg(args, kwargs, 4, "axis", 0), len(shape))
    dtype = a.dtype if isinstance(a, np.ndarray) else np.asarray(a).dtype
    return Out(shape[:axis] + drawn + shape[axis + 1 :], dtype)


def _samples_shape(size: Any, batch: tuple[int, ...] = ()) -> tuple[int, ...]:
    """The shape of the samples of a multivariate sampler: ``size``, which the
    parameters' batch must broadcast to; without it, that batch (``()``: one sample)."""
    size = _size_shape(size)
    if size is None:
        return batch
    if np.broadcast_shapes(batch, size) != size:
        raise ValueError(
            f"shape mismatch: parameters of shape {batch} cannot be broadcast to size {size}"
        )
    return size


def multinomial_output(args: tuple, kwargs: dict) -> Out:
    """``multinomial(n, pvals, size)``: ``size + (k,)`` counts, int64, for ``k =
    pvals.shape[-1]`` (without ``size``: the broadcast of ``n`` and ``pvals[..., 0]``)."""
    pshape = tuple(shape_of(arg(args, kwargs, 1, "pvals")))
    batch = broadcast_shape(tuple(shape_of(arg(args, kwargs, 0, "n"))), pshape[:-1])
    return Out((*_samples_shape(arg(args, kwargs, 2, "size"), batch), pshape[-1]), _COUNT)


def dirichlet_output(args: tuple, kwargs: dict) -> Out:
    """``dirichlet(alpha, size)``: ``size + (k,)``, float64, ``k = len(alpha)``."""
    k = _vector_length(arg(args, kwargs, 0, "alpha"), "alpha")
    return Out((*_samples_shape(arg(args, kwargs, 1, "size")), k), _FLOAT)


def multivariate_normal_output(args: tuple, kwargs: dict) -> Out:
    """``multivariate_normal(mean, cov, size)``: ``size + (n,)``, float64, ``n =
    len(mean)``."""
    n = _vector_length(arg(args, kwargs, 0, "mean"), "mean")
    return Out((*_samples_shape(arg(args, kwargs, 2, "size")), n), _FLOAT)


def multivariate_hypergeometric_output(args: tuple, kwargs: dict) -> Out:
    """``Generator.multivariate_hypergeometric(colors, nsample, size)``: ``size + (k,)``
    counts, int64, ``k = len(colors)``."""
    k = _vector_length(arg(args, kwargs, 0, "colors"), "colors")
    return Out((*_samples_shape(arg(args, kwargs, 2, "size")), k), _COUNT)


def permuted_output(args: tuple, kwargs: dict) -> Out:
    """``Generator.permuted(x)``: a shuffled copy of ``x``, its shape and dtype."""
    x = arg(args, kwargs, 0, "x")
    x = x if isinstance(x, np.ndarray) else np.asarray(x)
    return Out(x.shape, x.dtype)


def bytes_output(args: tuple, kwargs: dict) -> Out:
    """``bytes(length)``: Python ``bytes`` in a real run; in a dry run a 0-d stand-in of
    NumPy's type for them, ``S<length>`` (``np.asarray`` of the bytes: ``S1`` for the
    empty ones). NumPy cuts ``4 * m`` drawn bytes to ``[:length]``, ``m = trunc((length -
    1) / 4) + 1`` (C division), so a negative length keeps ``4 * m + length`` of them."""
    length = operator.index(values_of(arg(args, kwargs, 0, "length"), "bytes' length"))
    drawn = 4 * (int((length - 1) / 4) + 1)
    if drawn < 0:
        raise ValueError("negative dimensions are not allowed")
    kept = min(length, drawn) if length >= 0 else max(drawn + length, 0)
    return Out((), np.dtype(f"S{max(kept, 1)}"))
