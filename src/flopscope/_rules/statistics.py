"""Statistics: order statistics, histograms and binning, covariance, averages,
differences, integration and interpolation.

The building blocks are those of the other sections: a selection (introselect, as in
``partition``) costs the length of the slice it selects from; a binary search costs
``ceil(log2(len + 1))`` comparisons per query (as ``searchsorted``); a sort costs
``n * ceil(log2 n)`` (as ``sort``). The arithmetic around them is counted per element
with the constants each rule states; a step whose size NumPy picks from the data (the
number of bins a string estimator chooses) is left out, so the same shapes and arguments
always cost the same.

``cov`` and ``corrcoef`` are priced as fused multiply-adds: their count is dominated by
the centred product, a contraction, and ``fma_cost`` applies to the whole count.
"""

from __future__ import annotations

import math
import operator
import warnings
from typing import Any

import numpy as np

from .core import Shape, arg, axis_tuple, broadcast_shape, numel, shape_of
from .outputs import Computed, Out, is_unknown, reduced_shape, values_of
from .sorting import n_log2_n, searchsorted

__all__ = [
    "BIN_INDEX",
    "ESTIMATORS",
    "GRADIENT_WEIGHTS",
    "INTERP_POINT",
    "LERP",
    "TRAPEZOID_INTERVAL",
    "UNWRAP_STEP",
    "average_rule",
    "bincount_rule",
    "corrcoef_rule",
    "cov",
    "cov_rule",
    "diff",
    "diff_rule",
    "digitize_rule",
    "ediff1d_rule",
    "gradient",
    "gradient_rule",
    "histogram2d_rule",
    "histogram_bin_edges_rule",
    "histogram_estimator",
    "histogram_rule",
    "histogramdd_rule",
    "interp_rule",
    "median_rule",
    "nanmedian_rule",
    "nanquantile_rule",
    "quantile",
    "quantile_rule",
    "trapezoid_rule",
    "unwrap_rule",
]


#: interpolating one quantile between its two neighbours: ``b - a``, ``* gamma``, ``+ a``
LERP = 3
#: placing a value in one of equal-width bins: subtract the first edge, scale,
#: truncate to an index, add one to the bin
BIN_INDEX = 4
#: one point of ``interp``: ``fp[j] + (x - xp[j]) * (fp[j+1] - fp[j]) / (xp[j+1] - xp[j])``
INTERP_POINT = 6
#: one interval of ``trapezoid``: the pair sum, times the width, halved, accumulated
TRAPEZOID_INTERVAL = 4
#: one step of ``unwrap``: the difference, its wrap into the period (add, mod, add,
#: boundary fix), the correction, the threshold test (abs, compare), the running sum
#: and adding it back
UNWRAP_STEP = 10
#: interior stencil weights of ``gradient`` from one coordinate array, per interior point
GRADIENT_WEIGHTS = 10

_NO_VALUE = np._NoValue  # NumPy's "argument not given" marker (diff's prepend/append)


# ---------------------------------------------------------------------- order statistics
def _slices(shape: Shape, axis: Any) -> tuple[int, int]:
    """(elements per reduced slice, number of slices) for a reduction over ``axis``."""
    axes = axis_tuple(axis, len(shape))
    n = math.prod(shape[i] for i in axes)
    slices = math.prod(d for i, d in enumerate(shape) if i not in axes)
    return n, slices


def quantile(
    shape: Shape,
    n_q: int = 1,
    axis: Any = None,
    *,
    weighted: bool = False,
    skip_nan: bool = False,
) -> int:
    """Quantiles of ``n_q`` probabilities over ``axis`` of an array of ``shape``.

    Unweighted, every method: per slice of length n, a selection of ``n`` per requested
    quantile (introselect) plus ``LERP = 3`` per output element for the interpolation
    (``b - a``, ``* gamma``, ``+ a``): ``n_q * (numel + 3 * slices)``.

    Weighted (``weights=``, NumPy's inverted-CDF path): per slice, a sort
    ``n * ceil(log2 n)``, the cumulative weights and their normalisation ``2 * n``, and a
    binary search per quantile ``n_q * ceil(log2(n + 1))``.

    ``skip_nan`` (the ``nan*`` forms) adds ``numel`` for finding the NaNs.
    """
    shape = tuple(int(d) for d in shape)
    n, slices = _slices(shape, axis)
    if weighted:
        work = slices * (n_log2_n(n) + 2 * n + searchsorted(n, n_q))
    else:
        work = n_q * slices * (n + LERP)
    if skip_nan:
        work += numel(shape)
    return work


def _quantile_call(args: tuple, kwargs: dict, skip_nan: bool) -> int:
    a = arg(args, kwargs, 0, "a")
    q = arg(args, kwargs, 1, "q")
    axis = arg(args, kwargs, 2, "axis")
    weighted = kwargs.get("weights") is not None
    return quantile(shape_of(a), numel(shape_of(q)), axis, weighted=weighted, skip_nan=skip_nan)


def quantile_rule(args: tuple, kwargs: dict) -> int:
    """``n_q * (numel(a) + 3 * slices)``: per slice along ``axis``, a selection of its
    length n per requested quantile (introselect) and 3 per output element to
    interpolate (``b - a``, ``* gamma``, ``+ a``), whatever the ``method``; n_q = numel(q).
    With ``weights=``: per slice ``n * ceil(log2 n) + 2 * n + n_q * ceil(log2(n + 1))``
    (sort, cumulative weights, a binary search per quantile).

    ``percentile`` and ``quantile`` share this rule (q in percent or as a fraction).
    """
    return _quantile_call(args, kwargs, skip_nan=False)


def nanquantile_rule(args: tuple, kwargs: dict) -> int:
    """``numel(a)`` to find the NaNs, plus the ``quantile`` cost:
    ``n_q * (numel(a) + 3 * slices)``, or with ``weights=`` per slice
    ``n * ceil(log2 n) + 2 * n + n_q * ceil(log2(n + 1))``.

    ``nanpercentile`` and ``nanquantile`` share this rule.
    """
    return _quantile_call(args, kwargs, skip_nan=True)


def median_rule(args: tuple, kwargs: dict) -> int:
    """``numel(a) + 3 * slices``: the quantile at 0.5, a selection over each slice along
    ``axis`` and 3 per output element to combine the middle values."""
    a = arg(args, kwargs, 0, "a")
    return quantile(shape_of(a), 1, arg(args, kwargs, 1, "axis"))


def nanmedian_rule(args: tuple, kwargs: dict) -> int:
    """``2 * numel(a) + 3 * slices``: ``numel(a)`` to find the NaNs plus the ``median``
    cost."""
    a = arg(args, kwargs, 0, "a")
    return quantile(shape_of(a), 1, arg(args, kwargs, 1, "axis"), skip_nan=True)


def average_rule(args: tuple, kwargs: dict) -> int:
    """``numel(a)`` (a mean); with ``weights``: ``2 * numel(a) + numel(weights)`` (the
    products, their weighted sum and the division, and the sum of the weights)."""
    a = arg(args, kwargs, 0, "a")
    weights = arg(args, kwargs, 2, "weights")
    shape = shape_of(a)
    axis_tuple(arg(args, kwargs, 1, "axis"), len(shape))
    if weights is None:
        return numel(shape)
    return 2 * numel(shape) + numel(shape_of(weights))


# ---------------------------------------------------------------------- histograms
#: NumPy's string estimators of the bin width
ESTIMATORS = ("auto", "doane", "fd", "rice", "scott", "sqrt", "stone", "sturges")


def histogram_estimator(name: str, n: int) -> int:
    """The work of a string bin estimator on ``n`` values (0 for no values).

    ``sqrt``, ``sturges``, ``rice``: ``2 * n`` (the data's range, a min and a max);
    ``scott``: ``n`` (a standard deviation); ``fd``: the quartiles, ``2 * (n + 3)`` (two
    quantiles); ``doane``: ``8 * n`` (std, mean, centring, scaling, cubing, mean, range;
    0 for n <= 2); ``auto``: fd + sturges + sqrt; ``stone``: ``2 * n`` plus, for each
    candidate bin count k = 1 .. K (K = max(100, isqrt(n))), a histogram of k bins over a
    given range ``4 * n + k + 1`` and its score ``2 * k`` (0 candidates for n <= 1).
    """
    if name not in ESTIMATORS:
        raise ValueError(f"{name!r} is not a valid estimator for `bins`")
    if n == 0:
        return 0
    if name in ("sqrt", "sturges", "rice"):
        return 2 * n
    if name == "scott":
        return n
    if name == "fd":
        return quantile((n,), 2)
    if name == "doane":
        return 8 * n if n > 2 else 0
    if name == "auto":
        return quantile((n,), 2) + 4 * n
    # stone
    if n <= 1:
        return 2 * n
    k_max = max(100, math.isqrt(n))
    return 2 * n + k_max * (BIN_INDEX * n + 1) + 3 * k_max * (k_max + 1) // 2


def _bin_count(bins: Any) -> int:
    try:
        count = operator.index(bins)
    except TypeError:
        raise TypeError("`bins` must be an integer, a string, or an array") from None
    if count < 1:
        raise ValueError("`bins` must be positive, when an integer")
    return count


def _histogram_bins(a: Any, bins: Any, range_: Any) -> tuple[int, int, str]:
    """(work to find the edges, number of bins or -1 if the data choose it, kind) for
    ``histogram`` / ``histogram_bin_edges``; kind is "uniform" or "edges"."""
    n = numel(shape_of(a))
    span = 2 * n if range_ is None else 0  # the data's min and max
    if isinstance(bins, str):
        return span + histogram_estimator(bins, n), -1, "uniform"
    ndim = len(shape_of(bins))
    if ndim == 0:
        count = _bin_count(bins)
        return span + count + 1, count, "uniform"  # + the edges (linspace)
    if ndim == 1:
        return 0, max(len(bins) - 1, 0), "edges"
    raise ValueError("`bins` must be 1d, when an array")


def histogram_rule(args: tuple, kwargs: dict) -> int:
    """Binning ``n = numel(a)`` values. Equal-width bins (``bins`` an int or a string
    estimator): ``4 * n`` (subtract the first edge, scale, truncate to an index, tally),
    plus ``2 * n`` for the range (min and max) when ``range`` is not given, plus
    ``bins + 1`` for the edges (int bins) or the estimator's own work (string bins, see
    :func:`histogram_estimator`). Given edges (a sequence of m): ``n * ceil(log2(m + 1))``
    (a binary search per value) plus ``n`` to tally. ``weights`` add ``n``;
    ``density=True`` adds one per bin (int bins or given edges).
    """
    a = arg(args, kwargs, 0, "a")
    bins = arg(args, kwargs, 1, "bins", 10)
    range_ = arg(args, kwargs, 2, "range")
    density = arg(args, kwargs, 3, "density")
    weights = arg(args, kwargs, 4, "weights")
    n = numel(shape_of(a))
    work, count, kind = _histogram_bins(a, bins, range_)
    if kind == "uniform":
        work += BIN_INDEX * n
    else:
        work += searchsorted(count + 1, n) + n
    if weights is not None:
        work += n
    if density and count > 0:
        work += count
    return work


def histogram_bin_edges_rule(args: tuple, kwargs: dict) -> int:
    """The edges of ``histogram``: ``bins + 1`` for an int ``bins`` (a linspace) plus
    ``2 * numel(a)`` for the range when ``range`` is not given; a string estimator's own
    work (see :func:`histogram_estimator`) plus that range; 0 for given edges."""
    a = arg(args, kwargs, 0, "a")
    bins = arg(args, kwargs, 1, "bins", 10)
    range_ = arg(args, kwargs, 2, "range")
    work, _, _ = _histogram_bins(a, bins, range_)
    return work


def _sample_dims(sample: Any) -> tuple[int, int]:
    """(N points, D dimensions) of ``histogramdd``'s sample, as NumPy reads it: an
    (N, D) array, or a sequence of D arrays of N values."""
    shape = shape_of(sample)
    if isinstance(sample, np.ndarray) and len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) > 2:
        raise ValueError(f"too many values to unpack (sample of {len(shape)} dimensions)")
    if len(shape) == 2:
        return shape[1], shape[0]
    return (shape[0] if shape else 1), 1


def _histogramdd(n: int, d: int, bins: Any, range_: Any, density: Any, weights: Any) -> int:
    try:
        if len(bins) != d:
            raise ValueError(
                "The dimension of bins must be equal to the dimension of the sample x."
            )
        per_dim = list(bins)
    except TypeError:  # one int for every dimension
        per_dim = [bins] * d
    if range_ is None:
        ranges: list[Any] = [None] * d
    elif len(range_) != d:
        raise ValueError("range argument must have one entry per dimension")
    else:
        ranges = list(range_)
    work = 0
    cells = 1
    for i, b in enumerate(per_dim):
        ndim = len(shape_of(b))
        if ndim == 0:
            if b < 1:
                raise ValueError(f"`bins[{i}]` must be positive, when an integer")
            try:
                count = operator.index(b)
            except TypeError:
                raise TypeError(f"`bins[{i}]` must be an integer, when a scalar") from None
            if ranges[i] is None:
                work += 2 * n  # the range: min and max
            work += count + 1  # the edges
            m = count + 1
        elif ndim == 1:
            m = len(b)
        else:
            raise ValueError(f"`bins[{i}]` must be a scalar or 1d array")
        work += searchsorted(m, n)
        cells *= max(m - 1, 0)
    work += n  # the tally
    if weights is not None:
        work += n
    if density:
        work += cells
    return work


def histogramdd_rule(args: tuple, kwargs: dict) -> int:
    """N points in D dimensions: per dimension, a binary search per point
    ``N * ceil(log2(m + 1))`` into its m edges, plus for an int bin count b the edges
    ``b + 1`` and, without a ``range`` for it, ``2 * N`` (min and max); then ``N`` to
    tally; ``weights`` add ``N``; ``density=True`` adds one per histogram cell."""
    sample = arg(args, kwargs, 0, "sample")
    n, d = _sample_dims(sample)
    return _histogramdd(
        n,
        d,
        arg(args, kwargs, 1, "bins", 10),
        arg(args, kwargs, 2, "range"),
        arg(args, kwargs, 3, "density"),
        arg(args, kwargs, 4, "weights"),
    )


def _pair_bins(args: tuple, kwargs: dict) -> Any:
    """``histogram2d``'s ``bins`` as one spec per coordinate (a count or an edge array
    given once serves both)."""
    bins = arg(args, kwargs, 2, "bins", 10)
    try:
        count = len(bins)
    except TypeError:
        count = 1
    return bins if count in (1, 2) else [bins, bins]


def histogram2d_rule(args: tuple, kwargs: dict) -> int:
    """``histogramdd`` of the N points ``(x, y)``: per coordinate a binary search per
    point ``N * ceil(log2(m + 1))`` into its m edges, plus for an int bin count b the
    edges ``b + 1`` and, without a ``range``, ``2 * N``; then ``N`` to tally; ``weights``
    add ``N``; ``density=True`` adds one per histogram cell."""
    x = arg(args, kwargs, 0, "x")
    y = arg(args, kwargs, 1, "y")
    sx, sy = shape_of(x), shape_of(y)
    if not sx or not sy:
        raise TypeError("len() of unsized object")
    if sx[0] != sy[0]:
        raise ValueError("x and y must have the same length.")
    if len(sx) != 1 or sx != sy:
        raise ValueError("x and y must be 1-D sequences of the same length")
    bins = _pair_bins(args, kwargs)
    return _histogramdd(
        sx[0],
        2,
        bins,
        arg(args, kwargs, 3, "range"),
        arg(args, kwargs, 4, "density"),
        arg(args, kwargs, 5, "weights"),
    )


def bincount_rule(args: tuple, kwargs: dict) -> int:
    """``numel(x)`` to tally, plus ``numel(weights)`` when weights are given."""
    x = arg(args, kwargs, 0, "x")
    weights = arg(args, kwargs, 1, "weights")
    work = numel(shape_of(x))
    if weights is not None:
        work += numel(shape_of(weights))
    return work


def digitize_rule(args: tuple, kwargs: dict) -> int:
    """``numel(x) * ceil(log2(len(bins) + 1))``: a binary search per value."""
    x = arg(args, kwargs, 0, "x")
    bins = arg(args, kwargs, 1, "bins")
    return searchsorted(numel(shape_of(bins)), numel(shape_of(x)))


def interp_rule(args: tuple, kwargs: dict) -> int:
    """``numel(x) * ceil(log2(len(xp) + 1))`` to locate each point (a binary search) plus
    6 per point (``fp[j] + (x - xp[j]) * (fp[j+1] - fp[j]) / (xp[j+1] - xp[j])``). With
    ``period``: ``numel(x) + len(xp)`` to reduce modulo the period, a sort of xp
    ``len(xp) * ceil(log2 len(xp))``, and the search runs over ``len(xp) + 2`` points."""
    x = arg(args, kwargs, 0, "x")
    xp = arg(args, kwargs, 1, "xp")
    period = arg(args, kwargs, 5, "period")
    nx = numel(shape_of(x))
    m = numel(shape_of(xp))
    if period is None:
        return searchsorted(m, nx) + INTERP_POINT * nx
    return nx + m + n_log2_n(m) + searchsorted(m + 2, nx) + INTERP_POINT * nx


# ---------------------------------------------------------------------- covariance
def _cov_transposes_one_row() -> bool:
    """Whether the installed NumPy's ``cov(m, rowvar=False)`` reads a one-row 2-D ``m``
    as one observation of its columns (NumPy 2.0 kept it a single variable)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return bool(np.cov([[1.0, 2.0]], rowvar=False).shape == (2, 2))


#: ``rowvar=False`` transposes every 2-D ``m``; NumPy 2.0 left a one-row ``m`` (as it
#: leaves a one-row ``y``) untransposed
_COV_TRANSPOSES_ONE_ROW = _cov_transposes_one_row()


def _rows(shape: Shape, rowvar: bool, what: str) -> tuple[int, int]:
    """(variables, observations) of ``cov``'s ``m`` or ``y`` (as ``array(., ndmin=2)``)."""
    if len(shape) > 2:
        raise ValueError(f"{what} has more than 2 dimensions")
    rows, cols = (1, 1, *shape)[-2:]
    every_2d = what == "m" and _COV_TRANSPOSES_ONE_ROW
    if not rowvar and (len(shape) == 2 if every_2d else rows != 1):
        rows, cols = cols, rows
    return rows, cols


def cov(p: int, n: int, n_weights: int = 0) -> int:
    """Covariance of p variables over n observations: ``p * n`` to centre the data, the
    centred product ``p * p * n`` (a contraction, ``X @ X.T``), ``p * p`` to scale it by
    ``1 / (n - ddof)``; each of ``fweights`` / ``aweights`` given adds ``n`` and any
    weighting ``p * n`` (weighting the centred data)."""
    if p == 0:
        return 0  # NumPy returns an empty (0, 0) result
    work = p * n + p * p * n + p * p
    if n_weights:
        work += p * n + n_weights * n
    return work


def _cov_dims(m: Any, y: Any, rowvar: Any) -> tuple[int, int]:
    sm = shape_of(m)
    sy = shape_of(y) if y is not None else None
    if len(sm) > 2:
        raise ValueError("m has more than 2 dimensions")
    if sy is not None and len(sy) > 2:
        raise ValueError("y has more than 2 dimensions")
    p, n = _rows(sm, rowvar, "m")
    if p and sy is not None:
        py, ny = _rows(sy, rowvar, "y")
        if ny != n:
            raise ValueError(
                "all the input array dimensions except for the concatenation axis must "
                f"match exactly, but along dimension 1, the array at index 0 has size {n} "
                f"and the array at index 1 has size {ny}"
            )
        p += py
    return p, n


def cov_rule(args: tuple, kwargs: dict) -> int:
    """For p variables (rows of ``m`` and ``y``, or columns with ``rowvar=False``) over n
    observations: ``p * n`` to centre, ``p * p * n`` for the centred product (a
    contraction), ``p * p`` to scale; ``fweights`` / ``aweights`` add ``p * n`` for
    weighting and ``n`` per weight vector."""
    p, n = _cov_dims(
        arg(args, kwargs, 0, "m"), arg(args, kwargs, 1, "y"), arg(args, kwargs, 2, "rowvar", True)
    )
    n_weights = sum(
        arg(args, kwargs, pos, name) is not None for pos, name in ((5, "fweights"), (6, "aweights"))
    )
    return cov(p, n, n_weights)


def corrcoef_rule(args: tuple, kwargs: dict) -> int:
    """The ``cov`` cost plus ``p * p`` to normalise by the standard deviations:
    ``p * n + p * p * n + 2 * p * p`` for p variables over n observations."""
    p, n = _cov_dims(
        arg(args, kwargs, 0, "x"), arg(args, kwargs, 1, "y"), arg(args, kwargs, 2, "rowvar", True)
    )
    return cov(p, n) + p * p if p else 0


# ---------------------------------------------------------------------- differences
def diff(shape: Shape, n: int = 1, axis: int = -1, extra: int = 0) -> int:
    """``n``-th discrete difference along ``axis``: the output of every order,
    ``sum(numel(output_k) for k = 1 .. n)``, where order k has ``L - k`` elements along
    the axis (L its length, ``extra`` prepended and appended values included)."""
    shape = tuple(int(d) for d in shape)
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n!r}")
    if not shape:
        raise ValueError("diff requires input that is at least one dimensional")
    (ax,) = axis_tuple(operator.index(axis), len(shape))
    length = shape[ax] + extra
    others = numel(shape) // shape[ax] if shape[ax] else numel(shape[:ax] + shape[ax + 1 :])
    k = min(n, length)
    return others * (k * length - k * (k + 1) // 2)


def _along(values: Any, shape: Shape, ax: int) -> int:
    """Length along ``ax`` that diff's prepend / append adds (1 for a scalar)."""
    s = shape_of(values)
    if not s:
        return 1
    if len(s) != len(shape):
        raise ValueError(
            "all the input arrays must have same number of dimensions, but the array at "
            f"index 0 has {len(s)} dimension(s) and the array at index 1 has "
            f"{len(shape)} dimension(s)"
        )
    return s[ax]


def diff_rule(args: tuple, kwargs: dict) -> int:
    """``sum(numel(output_k) for k = 1 .. n)``: one subtraction per output element of
    every order k, whose length along ``axis`` is ``L - k`` (L with ``prepend`` and
    ``append`` included)."""
    a = arg(args, kwargs, 0, "a")
    n = arg(args, kwargs, 1, "n", 1)
    if n == 0:
        return 0
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n!r}")
    shape = shape_of(a)
    if not shape:
        raise ValueError("diff requires input that is at least one dimensional")
    axis = arg(args, kwargs, 2, "axis", -1)
    (ax,) = axis_tuple(operator.index(axis), len(shape))
    extra = 0
    for pos, name in ((3, "prepend"), (4, "append")):
        values = arg(args, kwargs, pos, name, _NO_VALUE)
        if values is not _NO_VALUE:
            extra += _along(values, shape, ax)
    return diff(shape, operator.index(n), ax, extra)


def ediff1d_rule(args: tuple, kwargs: dict) -> int:
    """``numel(ary) - 1``: one subtraction per consecutive pair of the flattened input."""
    return max(numel(shape_of(arg(args, kwargs, 0, "ary"))) - 1, 0)


def unwrap_rule(args: tuple, kwargs: dict) -> int:
    """``10`` per consecutive pair along ``axis``: the difference, its wrap into the
    period (add, mod, add, a boundary fix), the correction, the threshold test (abs,
    compare), the running sum and adding it back."""
    p = arg(args, kwargs, 0, "p")
    axis = arg(args, kwargs, 2, "axis", -1)
    return UNWRAP_STEP * diff(shape_of(p), 1, axis)


def trapezoid_rule(args: tuple, kwargs: dict) -> int:
    """``4`` per interval along ``axis`` (the pair sum, times the width, halved,
    accumulated): ``4 * numel(y) * (n - 1) / n`` for n samples per slice, plus the
    widths ``diff(x)`` when ``x`` is given."""
    y = arg(args, kwargs, 0, "y")
    x = arg(args, kwargs, 1, "x")
    axis = operator.index(arg(args, kwargs, 3, "axis", -1))
    shape = tuple(shape_of(y))
    (ax,) = axis_tuple(axis, len(shape))
    intervals = (*shape[:ax], max(shape[ax] - 1, 0), *shape[ax + 1 :])
    if x is None:
        return TRAPEZOID_INTERVAL * numel(intervals)
    sx = tuple(shape_of(x))
    if len(sx) == 1:
        widths = (1,) * ax + (max(sx[0] - 1, 0),) + (1,) * (len(shape) - ax - 1)
        work = numel(widths)
    else:
        (xax,) = axis_tuple(axis, len(sx))
        widths = (*sx[:xax], max(sx[xax] - 1, 0), *sx[xax + 1 :])
        work = numel(widths)
    products = broadcast_shape(widths, intervals)
    return work + numel(intervals) + (TRAPEZOID_INTERVAL - 1) * numel(products)


def gradient(
    shape: Shape, axes: tuple[int, ...], coordinates: tuple[bool, ...], edge_order: int = 1
) -> int:
    """Gradient of an array of ``shape`` along each of ``axes`` (length n, numel m):
    each interior element (``m * (n - 2) / n``) costs 2 with uniform spacing (a central
    difference and its scaling), 5 with a coordinate array (a weighted three-point
    stencil); each boundary element (``2 * m / n``) costs 2 with ``edge_order=1``, 5
    with ``edge_order=2``; a coordinate array adds ``n - 1`` spacing differences and 10
    per interior point for the stencil weights."""
    shape = tuple(int(d) for d in shape)
    work = 0
    for ax, coords in zip(axes, coordinates):
        n = shape[ax]
        slices = numel(shape[:ax] + shape[ax + 1 :])
        interior = max(n - 2, 0)
        work += slices * interior * (5 if coords else 2)
        work += slices * min(n, 2) * (2 if edge_order == 1 else 5)
        if coords:
            work += max(n - 1, 0) + GRADIENT_WEIGHTS * interior
    return work


def gradient_rule(args: tuple, kwargs: dict) -> int:
    """Per axis of length n, numel m: ``2`` per interior element (``m * (n - 2) / n``)
    with uniform spacing, ``5`` with a coordinate array; ``2`` per boundary element
    (``2 * m / n``) with ``edge_order=1``, ``5`` with ``edge_order=2``; a coordinate
    array adds ``n - 1 + 10 * (n - 2)`` for its stencil weights."""
    f = arg(args, kwargs, 0, "f")
    shape = tuple(shape_of(f))
    axes = axis_tuple(kwargs.get("axis"), len(shape))
    spacing = args[1:]
    if not spacing or (len(spacing) == 1 and not shape_of(spacing[0])):
        coordinates = (False,) * len(axes)
    elif len(spacing) == len(axes):
        coordinates = tuple(bool(shape_of(s)) for s in spacing)
    else:
        raise TypeError("invalid number of arguments")
    return gradient(shape, axes, coordinates, kwargs.get("edge_order", 1))


# ---------------------------------------------------------------------- output rules
# What each call returns (for a dry run: see ``outputs``). Dtypes are learnt from the
# probe where it can run on one-element arrays; where it cannot (a one-element array is
# too short for ``gradient``, ``cov`` warns about its degrees of freedom, the shape of
# ``histogramdd``'s sample is its dimension) they are stated, as NumPy computes them.
def _reduced(args: tuple, kwargs: dict, axis_pos: int, keepdims_pos: int) -> Shape:
    shape = tuple(shape_of(arg(args, kwargs, 0, "a")))
    axis = arg(args, kwargs, axis_pos, "axis")
    keepdims = arg(args, kwargs, keepdims_pos, "keepdims", False)
    if keepdims is _NO_VALUE:
        keepdims = False
    return reduced_shape(shape, axis, bool(keepdims))


def median_output(args: tuple, kwargs: dict) -> Out:
    """``a`` without ``axis`` (every axis when None; kept as 1 with ``keepdims``).

    ``median(a, axis, out, overwrite_input, keepdims)``; ``nanmedian`` takes the same."""
    return Out(_reduced(args, kwargs, 1, 4))


def quantile_output(args: tuple, kwargs: dict) -> Out:
    """``q``'s shape, then ``a`` without ``axis`` (kept as 1 with ``keepdims``); a known
    ``q`` array within [0, 1] (a Python ``q`` the probe checks).

    ``quantile(a, q, axis, out, overwrite_input, method, keepdims)``; ``nanquantile``
    takes the same."""
    return _quantile_output(args, kwargs, 1, "Quantiles must be in the range [0, 1]")


def percentile_output(args: tuple, kwargs: dict) -> Out:
    """As ``quantile``'s, ``q`` in percent: a known ``q`` array within [0, 100]."""
    return _quantile_output(args, kwargs, 100, "Percentiles must be in the range [0, 100]")


def _quantile_output(args: tuple, kwargs: dict, top: int, refusal: str) -> Out:
    q = arg(args, kwargs, 1, "q")
    if isinstance(q, np.ndarray) and not is_unknown(q) and q.size:
        if not (q.min() >= 0 and q.max() <= top):
            raise ValueError(refusal)
    return Out((*shape_of(q), *_reduced(args, kwargs, 2, 6)))


def average_output(args: tuple, kwargs: dict) -> Out | tuple[Out, Out]:
    """``a`` without ``axis``; with ``returned=True`` also the sum of the weights, of the
    same shape. Weights of another shape than ``a`` must be 1-D, along ``axis``."""
    a = arg(args, kwargs, 0, "a")
    weights = arg(args, kwargs, 2, "weights")
    shape = tuple(shape_of(a))
    axis = arg(args, kwargs, 1, "axis")
    if weights is not None and tuple(shape_of(weights)) != shape:
        sw = shape_of(weights)
        if axis is None:
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        if len(sw) != 1:
            raise TypeError("1D weights expected when shapes of a and weights differ.")
        (ax,) = axis_tuple(axis, len(shape))
        if sw[0] != shape[ax]:
            raise ValueError("Length of weights not compatible with specified axis.")
    result = Out(reduced_shape(shape, axis, bool(kwargs.get("keepdims", False))))
    if arg(args, kwargs, 3, "returned", False):
        return result, Out(result.shape)
    return result


def _edge_count(a: Any, bins: Any, range_: Any, weights: Any) -> int:
    """The number of edges ``histogram`` finds for ``bins``: ``bins + 1`` for a count, the
    array's length for edges, and what the estimator finds in the values for a string."""
    if isinstance(bins, str):
        a = values_of(a, "the number of bins a string estimator chooses")
        return len(np.histogram_bin_edges(a, bins, range_, weights))
    if len(shape_of(bins)) == 0:
        return _bin_count(bins) + 1
    if len(shape_of(bins)) != 1:
        raise ValueError("`bins` must be 1d, when an array")
    return len(bins)


def histogram_output(args: tuple, kwargs: dict) -> tuple[Out, Out]:
    """``(hist, bin_edges)``: ``(bins,)`` and ``(bins + 1,)`` for a count; one fewer
    than the m given edges and ``(m,)``; a string estimator's count depends on the
    values."""
    a = arg(args, kwargs, 0, "a")
    m = _edge_count(
        a,
        arg(args, kwargs, 1, "bins", 10),
        arg(args, kwargs, 2, "range"),
        arg(args, kwargs, 4, "weights"),
    )
    return Out((max(m - 1, 0),)), Out((m,))


def histogram_bin_edges_output(args: tuple, kwargs: dict) -> Out:
    """``(bins + 1,)`` for a count, the given edges' ``(m,)``; a string estimator's count
    depends on the values."""
    a = arg(args, kwargs, 0, "a")
    bins = arg(args, kwargs, 1, "bins", 10)
    return Out(
        (_edge_count(a, bins, arg(args, kwargs, 2, "range"), arg(args, kwargs, 3, "weights")),)
    )


def _dd_bins(d: int, bins: Any) -> list[Any]:
    """``histogramdd``'s ``bins`` as one entry per dimension (a count, or edges)."""
    try:
        per_dim = list(bins)
    except TypeError:  # one count for every dimension
        return [bins] * d
    if len(per_dim) != d:
        raise ValueError("The dimension of bins must be equal to the dimension of the sample x.")
    return per_dim


def _edges_of(b: Any) -> int:
    """The number of edges of one dimension: ``b + 1`` for a count b, the given edges'."""
    return operator.index(b) + 1 if not shape_of(b) else len(b)


def histogram2d_output(args: tuple, kwargs: dict) -> tuple[Out, Out, Out]:
    """``(H, xedges, yedges)``: ``H`` is ``(nx, ny)`` for nx + 1 and ny + 1 edges (a count
    b gives b + 1 edges; one count or one edge array serves both coordinates)."""
    bins = _pair_bins(args, kwargs)
    mx, my = map(_edges_of, _dd_bins(2, bins))
    return Out((mx - 1, my - 1)), Out((mx,)), Out((my,))


def _dd_edge_dtype(bins: Any, range_: Any, sample_dtype: Any, n: int) -> Any:
    """The dtype of one dimension's edges: given edges keep theirs; a count's edges are a
    ``linspace`` between the range's ends, or the data's min and max (0 and 1 for no
    data)."""
    if shape_of(bins):
        return np.asarray(bins).dtype
    if range_ is not None:
        lo, hi = range_
        if lo > hi:
            raise ValueError("max must be larger than min in range parameter.")
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError(f"supplied range of [{lo}, {hi}] is not finite")
        return np.result_type(np.asarray(lo) * 1.0, np.asarray(hi) * 1.0, 1.0)
    return np.result_type(sample_dtype, 1.0) if n else np.dtype(np.float64)


def histogramdd_output(args: tuple, kwargs: dict) -> Computed:
    """``(H, edges)``: ``H`` has one axis per dimension, one bin fewer than its edges
    (``b + 1`` for a count b, the given edges' length); ``edges`` a list of the edge
    arrays. ``H`` is float64 always."""
    from .._dry_run import stand_in

    sample = arg(args, kwargs, 0, "sample")
    n, d = _sample_dims(sample)
    per_dim = _dd_bins(d, arg(args, kwargs, 1, "bins", 10))
    range_ = arg(args, kwargs, 2, "range")
    if range_ is None:
        range_ = [None] * d
    elif len(range_) != d:
        raise ValueError("range argument must have one entry per dimension")
    weights = arg(args, kwargs, 4, "weights")
    if weights is not None and numel(shape_of(weights)) != n:
        raise ValueError("The weights and list don't have the same length.")
    if isinstance(sample, (list, tuple)):
        sample_dtype = np.result_type(*(np.asarray(s) for s in sample))
    else:
        sample_dtype = np.asarray(sample).dtype
    counts = [_edges_of(b) for b in per_dim]
    edges = [
        stand_in((m,), _dd_edge_dtype(b, r, sample_dtype, n))
        for m, b, r in zip(counts, per_dim, range_)
    ]
    return Computed((stand_in(tuple(m - 1 for m in counts), np.float64), edges))


def bincount_output(args: tuple, kwargs: dict) -> Out:
    """``(max(x) + 1,)``, at least ``(minlength,)``: the length depends on the values of
    ``x`` (``(minlength,)`` for no values)."""
    x = arg(args, kwargs, 0, "x")
    minlength = arg(args, kwargs, 2, "minlength", 0)
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind not in "biu":  # NumPy's refusal of other data
        raise TypeError(
            f"Cannot cast array data from {dtype!r} to {np.dtype(np.intp)!r} according to "
            "the rule 'safe'"
        )
    if numel(shape_of(x)):
        x = values_of(x, "the length of bincount's result (max(x) + 1)")
    return Out((len(np.bincount(x, minlength=minlength)),))


def digitize_output(args: tuple, kwargs: dict) -> Out:
    """``x``'s shape: one bin index per value."""
    return Out(tuple(shape_of(arg(args, kwargs, 0, "x"))))


def interp_output(args: tuple, kwargs: dict) -> Out:
    """``x``'s shape; complex128 for complex ``fp``, float64 otherwise. ``xp`` and ``fp``
    are 1-D, of one length, not empty."""
    x = arg(args, kwargs, 0, "x")
    sxp = shape_of(arg(args, kwargs, 1, "xp"))
    fp = arg(args, kwargs, 2, "fp")
    sfp = shape_of(fp)
    if arg(args, kwargs, 5, "period") == 0:
        raise ValueError("period must be a non-zero value")
    if len(sxp) != 1 or len(sfp) != 1:
        raise ValueError("Data points must be 1-D sequences")
    if sxp[0] != sfp[0]:
        raise ValueError("fp and xp are not of the same length")
    if sxp[0] == 0:
        raise ValueError("array of sample points is empty")
    dtype = np.complex128 if np.iscomplexobj(fp) else np.float64
    return Out(tuple(shape_of(x)), np.dtype(dtype))


def _cov_output(args: tuple, kwargs: dict, first: str) -> Out:
    """``(p, p)`` for p variables, a scalar for one; float64 unless ``dtype`` (complex
    data: complex128), as ``result_type(m, y, float64)``. No variables: ``(0, 0)``."""
    m = arg(args, kwargs, 0, first)
    y = arg(args, kwargs, 1, "y")
    p, n = _cov_dims(m, y, arg(args, kwargs, 2, "rowvar", True))
    if p == 0:
        return Out((0, 0), np.dtype(np.float64))
    for pos, name in ((5, "fweights"), (6, "aweights")):
        w = arg(args, kwargs, pos, name) if first == "m" else None
        if w is not None:
            sw = shape_of(w)
            if len(sw) > 1:
                raise RuntimeError(f"cannot handle multidimensional {name}")
            if (sw[0] if sw else 1) != n:
                raise RuntimeError(f"incompatible numbers of samples and {name}")
    dtype = kwargs.get("dtype")
    if dtype is None:
        arrays = [np.asarray(m)] + ([np.asarray(y)] if y is not None else [])
        dtype = np.result_type(*arrays, np.float64)
    return Out((p, p) if p > 1 else (), np.dtype(dtype))


def cov_output(args: tuple, kwargs: dict) -> Out:
    """``(p, p)`` for p variables (rows of ``m`` and ``y``, or columns with
    ``rowvar=False``), a scalar for one, ``(0, 0)`` for none; the dtype
    ``result_type(m, y, float64)`` unless ``dtype`` is given."""
    return _cov_output(args, kwargs, "m")


def corrcoef_output(args: tuple, kwargs: dict) -> Out:
    """As ``cov``: ``(p, p)`` for p variables, a scalar for one."""
    return _cov_output(args, kwargs, "x")


def diff_output(args: tuple, kwargs: dict) -> Out:
    """``a``'s shape, ``axis`` of length ``L - n`` (at least 0; L with ``prepend`` and
    ``append``); ``n = 0`` returns ``a`` as it is."""
    a = arg(args, kwargs, 0, "a")
    shape = tuple(shape_of(a))
    n = operator.index(arg(args, kwargs, 1, "n", 1))
    if n == 0:
        return Out(shape)
    (ax,) = axis_tuple(operator.index(arg(args, kwargs, 2, "axis", -1)), len(shape))
    length = shape[ax]
    for pos, name in ((3, "prepend"), (4, "append")):
        values = arg(args, kwargs, pos, name, _NO_VALUE)
        if values is _NO_VALUE:
            continue
        s = tuple(shape_of(values))
        length += _along(values, shape, ax)
        if s and s[:ax] + s[ax + 1 :] != shape[:ax] + shape[ax + 1 :]:
            raise ValueError(
                "all the input array dimensions except for the concatenation axis must "
                "match exactly"
            )
    return Out((*shape[:ax], max(length - n, 0), *shape[ax + 1 :]))


def ediff1d_output(args: tuple, kwargs: dict) -> Out:
    """``(numel(ary) - 1 + len(to_begin) + len(to_end),)`` (the differences of the
    flattened input, at least none)."""
    length = max(numel(shape_of(arg(args, kwargs, 0, "ary"))) - 1, 0)
    for pos, name in ((1, "to_end"), (2, "to_begin")):
        extra = arg(args, kwargs, pos, name)
        if extra is not None:
            length += numel(shape_of(extra))
    return Out((length,))


def unwrap_output(args: tuple, kwargs: dict) -> Out:
    """``p``'s shape."""
    return Out(tuple(shape_of(arg(args, kwargs, 0, "p"))))


def gradient_output(args: tuple, kwargs: dict) -> Out | tuple[Out, ...]:
    """One array of ``f``'s shape per axis (the array itself for one axis, a tuple
    otherwise); float64 for integer ``f``, its own dtype for floating point. Each axis
    needs ``edge_order + 1`` points; a coordinate array one per point along its axis."""
    f = arg(args, kwargs, 0, "f")
    shape = tuple(shape_of(f))
    axes = axis_tuple(kwargs.get("axis"), len(shape))
    edge_order = kwargs.get("edge_order", 1)
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    spacing = args[1:]
    if len(spacing) == len(axes) and len(spacing) > 0:
        for ax, s in zip(axes, spacing):
            ds = shape_of(s)
            if len(ds) > 1:
                raise ValueError("distances must be either scalars or 1d")
            if ds and ds[0] != shape[ax]:
                raise ValueError(
                    "when 1d, distances must match the length of the corresponding dimension"
                )
    for ax in axes:
        if shape[ax] < edge_order + 1:
            raise ValueError(
                "Shape of array too small to calculate a numerical gradient, at least "
                "(edge_order + 1) elements are required."
            )
    dtype = np.asarray(f).dtype
    if dtype.kind in "iu":
        dtype = np.dtype(np.float64)
    elif dtype.kind not in "fc":
        raise TypeError(f"gradient of {dtype} data: its differences are not defined")
    outs = tuple(Out(shape, dtype) for _ in axes)
    return outs[0] if len(outs) == 1 else outs


def trapezoid_output(args: tuple, kwargs: dict) -> Out:
    """The products of the widths and the pair sums (``y`` with one interval fewer along
    ``axis``, broadcast with the widths ``diff(x)`` or ``dx``), summed over ``axis``."""
    y = arg(args, kwargs, 0, "y")
    x = arg(args, kwargs, 1, "x")
    dx = arg(args, kwargs, 2, "dx", 1.0)
    axis = operator.index(arg(args, kwargs, 3, "axis", -1))
    shape = tuple(shape_of(y))
    (ax,) = axis_tuple(axis, len(shape))
    intervals = (*shape[:ax], max(shape[ax] - 1, 0), *shape[ax + 1 :])
    if x is None:
        widths = tuple(shape_of(dx))
    else:
        sx = tuple(shape_of(x))
        if len(sx) == 1:
            widths = (1,) * ax + (max(sx[0] - 1, 0),) + (1,) * (len(shape) - ax - 1)
        else:
            (xax,) = axis_tuple(axis, len(sx))
            widths = (*sx[:xax], max(sx[xax] - 1, 0), *sx[xax + 1 :])
    products = broadcast_shape(widths, intervals)
    return Out(reduced_shape(products, axis))
