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
    bins = arg(args, kwargs, 2, "bins", 10)
    try:
        count = len(bins)
    except TypeError:
        count = 1
    if count not in (1, 2):
        bins = [bins, bins]
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
