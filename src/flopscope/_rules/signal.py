"""Signal processing and polynomials: convolution, windows, Vandermonde matrices,
log-spaced ranges, the ``poly*`` family and ``cross``.

Products that are summed (a convolution's overlaps, Horner's steps, a polynomial
product or division, the linear algebra inside ``roots``, ``poly`` and ``polyfit``) are
fused multiply-adds: those rows are priced by ``fma_cost``. Everything else counts one
operation per elementwise step of NumPy's own formula, with the constants each rule
states.

A polynomial's length is its coefficient array's, leading zeros included: NumPy trims
them (``polymul``, ``roots``) only after looking at the values, and a cost depends on
shapes and arguments alone. A ``numpy.poly1d`` argument counts as its coefficient array.

Eigenvalues (``roots``, ``poly`` of a square matrix) are priced here by the textbook
count :func:`eigvals` until the linear-algebra section defines its own formulas.
"""

from __future__ import annotations

import math
import operator
import warnings
from typing import Any

import numpy as np

from . import linalg as linalg_counts  # roots, poly, polyfit: linalg's decompositions
from .core import Shape, arg, axis_tuple, broadcast_shape, numel, shape_of
from .creation import ends_shape, linspace_type, samples_shape
from .outputs import Out, from_values, is_unknown, values_of

__all__ = [
    "BARTLETT_POINT",
    "BLACKMAN_POINT",
    "GEOMSPACE_PAIR",
    "GEOMSPACE_POINT",
    "HAMMING_POINT",
    "HANNING_POINT",
    "KAISER_POINT",
    "bartlett_rule",
    "blackman_rule",
    "convolution",
    "convolve_rule",
    "correlate_rule",
    "cross_rule",
    "geomspace_output",
    "geomspace_rule",
    "hamming_rule",
    "hanning_rule",
    "kaiser_output",
    "kaiser_rule",
    "logspace_output",
    "logspace_rule",
    "poly_rule",
    "polyadd_rule",
    "polyder_rule",
    "polydiv_rule",
    "polyfit_rule",
    "polyint_rule",
    "polymul_rule",
    "polyval_rule",
    "roots_rule",
    "symmetric_window_output",
    "vander_output",
    "vander_rule",
]

#: one point of ``hanning``: ``0.5 + 0.5 * cos(pi * n / (M - 1))``: a cosine, two
#: multiplications, a division, an addition
HANNING_POINT = 5
#: one point of ``hamming``: ``0.54 + 0.46 * cos(pi * n / (M - 1))``, as hanning
HAMMING_POINT = 5
#: one point of ``blackman``: two cosine terms, each ``c * cos(k * pi * n / (M - 1))``
#: (multiply, divide, cosine, scale), and the two additions
BLACKMAN_POINT = 10
#: one point of ``bartlett``: NumPy evaluates both sides of the triangle, ``1 + n/(M-1)``
#: and ``1 - n/(M-1)`` (two divisions, an addition, a subtraction), a comparison of n
#: with 0 and the selection between them
BARTLETT_POINT = 6
#: one point of ``kaiser``: ``i0(beta * sqrt(1 - ((n - alpha) / alpha)**2)) / i0(beta)``:
#: subtraction, division, square, subtraction, square root, multiplication, Bessel
#: ``i0`` and the final division (plus one ``i0(beta)`` per call)
KAISER_POINT = 8
#: per output element of ``geomspace``: the linspace step of the exponents, the power
#: ``10 ** y`` and the sign put back
GEOMSPACE_POINT = 3
#: per (start, stop) pair of ``geomspace``: the sign, start and stop divided by it, and
#: their two base-10 logarithms
GEOMSPACE_PAIR = 5

_MODES = {"valid": 0, "same": 1, "full": 2}


def _numpy_takes(fn: Any, *args: Any) -> bool:
    """Whether the installed NumPy accepts this call (its deprecation warnings aside)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(*args)
        except ValueError:
            return False
    return True


#: until that deprecation expired (after NumPy 2.2), NumPy read a convolve/correlate
#: mode by its first letter, either case (``'F'``, ``'fu'``, ``'Same'``), with a
#: DeprecationWarning; 2.4 refuses it
_INEXACT_MODES = _numpy_takes(np.correlate, [1.0], [1.0], "F")
#: NumPy 2.0 to 2.4 take 2-component vectors in ``cross`` (with a DeprecationWarning);
#: later versions refuse them
_CROSS_2_VECTORS = _numpy_takes(np.cross, [1.0, 0.0], [0.0, 1.0])


# ---------------------------------------------------------------------- shapes
def _shape(x: Any) -> Shape:
    """The shape NumPy computes on: a ``poly1d`` is its coefficient array."""
    if isinstance(x, np.poly1d):
        return (len(x.coeffs),)
    return tuple(shape_of(x))


def _shape_1d(x: Any) -> Shape:
    """``atleast_1d``'s shape of ``x``."""
    s = _shape(x)
    return s if s else (1,)


def _strong(x: Any) -> np.dtype:
    """The dtype of ``x`` as an array: a Python number's default type (where NumPy makes
    it an array, its type takes part in promotion as an array's does)."""
    return x.dtype if isinstance(x, np.ndarray | np.generic) else np.asarray(x).dtype


def _tri(k: int) -> int:
    return k * (k + 1) // 2


# ---------------------------------------------------------------------- convolution
def _mode_index(mode: Any) -> int:
    """NumPy's convolve/correlate mode: ``'valid'``, ``'same'``, ``'full'`` or 0, 1, 2."""
    if isinstance(mode, str):
        if mode in _MODES:
            return _MODES[mode]
        if _INEXACT_MODES and mode and mode[0].lower() in "vsf":
            return "vsf".index(mode[0].lower())
        raise ValueError(f"mode must be one of 'valid', 'same', or 'full' (got {mode!r})")
    if isinstance(mode, (bool, np.bool_)) or not isinstance(mode, (int, np.integer)):
        raise TypeError("convolve/correlate mode not understood")
    if mode not in (0, 1, 2):
        raise ValueError("integer convolve/correlate mode must be 0, 1, or 2")
    return int(mode)


def convolution(n_a: int, n_v: int, mode: Any = "full") -> int:
    """Multiply-adds of a 1-D convolution or correlation of lengths ``n_a`` and ``n_v``.

    With ``N = max(n_a, n_v)`` and ``n = min(n_a, n_v)``, the sum over output positions of
    the overlap length: ``'full'`` ``N * n``; ``'valid'`` ``(N - n + 1) * n``; ``'same'``
    ``N * n - T((n - 1) // 2) - T(n // 2)`` with ``T(k) = k (k + 1) / 2`` (the two
    partial-overlap corners ``'full'`` has beyond ``'same'``).
    """
    m = _mode_index(mode)
    big, small = max(n_a, n_v), min(n_a, n_v)
    if m == 2:
        return big * small
    if m == 0:
        return (big - small + 1) * small
    return big * small - _tri((small - 1) // 2) - _tri(small // 2)


def _conv_length(x: Any, which: str, *, scalar_ok: bool) -> int:
    s = _shape(x)
    if not s and not scalar_ok:
        raise ValueError("object of too small depth for desired array")
    if len(s) > 1:
        raise ValueError("object too deep for desired array")
    n = s[0] if s else 1
    if n == 0:
        raise ValueError(f"{which} cannot be empty")
    return n


def convolve_rule(args: tuple, kwargs: dict) -> int:
    """``max(na, nv) * min(na, nv)`` FMAs for ``'full'`` (every product once);
    ``(N - n + 1) * n`` for ``'valid'``; ``N * n - T((n-1)//2) - T(n//2)`` for ``'same'``
    (``T(k) = k(k+1)/2``): the overlap length summed over the output positions."""
    n_a = _conv_length(arg(args, kwargs, 0, "a"), "a", scalar_ok=True)
    n_v = _conv_length(arg(args, kwargs, 1, "v"), "v", scalar_ok=True)
    return convolution(n_a, n_v, arg(args, kwargs, 2, "mode", "full"))


def correlate_rule(args: tuple, kwargs: dict) -> int:
    """As ``convolve`` (the overlap length summed over the output positions), default
    mode ``'valid'``: ``(N - n + 1) * n`` FMAs; ``'full'`` ``N * n``; ``'same'``
    ``N * n - T((n-1)//2) - T(n//2)``."""
    n_a = _conv_length(arg(args, kwargs, 0, "a"), "first array argument", scalar_ok=False)
    n_v = _conv_length(arg(args, kwargs, 1, "v"), "second array argument", scalar_ok=False)
    return convolution(n_a, n_v, arg(args, kwargs, 2, "mode", "valid"))


def _convolution_length(n_a: int, n_v: int, mode: Any) -> int:
    """The output length of a 1-D convolution or correlation: ``'full'`` ``N + n - 1``,
    ``'same'`` ``N``, ``'valid'`` ``N - n + 1`` (N the longer length, n the shorter)."""
    m = _mode_index(mode)
    big, small = max(n_a, n_v), min(n_a, n_v)
    return (big - small + 1, big, big + small - 1)[m]


def convolve_output(args: tuple, kwargs: dict) -> Out:
    """``(N + n - 1,)`` for ``'full'``, ``(N,)`` for ``'same'``, ``(N - n + 1,)`` for
    ``'valid'`` (N the longer length, n the shorter; a scalar is of length 1)."""
    n_a = _conv_length(arg(args, kwargs, 0, "a"), "a", scalar_ok=True)
    n_v = _conv_length(arg(args, kwargs, 1, "v"), "v", scalar_ok=True)
    return Out((_convolution_length(n_a, n_v, arg(args, kwargs, 2, "mode", "full")),))


def correlate_output(args: tuple, kwargs: dict) -> Out:
    """As ``convolve``'s, default mode ``'valid'``: ``(N - n + 1,)``."""
    n_a = _conv_length(arg(args, kwargs, 0, "a"), "first array argument", scalar_ok=False)
    n_v = _conv_length(arg(args, kwargs, 1, "v"), "second array argument", scalar_ok=False)
    return Out((_convolution_length(n_a, n_v, arg(args, kwargs, 2, "mode", "valid")),))


# ---------------------------------------------------------------------- windows
def _window_m(m: Any) -> float:
    """The window length argument as NumPy reads it (a real number)."""
    if isinstance(m, (str, bytes)):
        raise TypeError(f"the window length M must be a real number, got {m!r}")
    if np.ndim(m) != 0:
        raise ValueError(f"the window length M must be a single number, got {m!r}")
    if np.iscomplexobj(m):
        raise TypeError("the window length M must be a real number, not complex")
    value = float(m)
    if not math.isfinite(value):
        raise ValueError("arange: cannot compute length")
    return value


def _symmetric_points(m: Any) -> int:
    """Points NumPy computes for a symmetric window of length M (``arange(1-M, M, 2)``);
    0 for ``M <= 1`` (an empty array or ``[1.]``, nothing computed)."""
    value = _window_m(m)
    if value <= 1:
        return 0
    return max(math.ceil((value - (1.0 - value)) / 2.0), 0)


def hanning_rule(args: tuple, kwargs: dict) -> int:
    """``5 * M``: per point one cosine and four arithmetic operations
    (``0.5 + 0.5 * cos(pi * n / (M - 1))``); 0 for ``M <= 1``."""
    return HANNING_POINT * _symmetric_points(arg(args, kwargs, 0, "M"))


def hamming_rule(args: tuple, kwargs: dict) -> int:
    """``5 * M``: per point one cosine and four arithmetic operations
    (``0.54 + 0.46 * cos(pi * n / (M - 1))``); 0 for ``M <= 1``."""
    return HAMMING_POINT * _symmetric_points(arg(args, kwargs, 0, "M"))


def blackman_rule(args: tuple, kwargs: dict) -> int:
    """``10 * M``: per point two cosines and eight arithmetic operations
    (``0.42 + 0.5 cos(pi n / (M-1)) + 0.08 cos(2 pi n / (M-1))``); 0 for ``M <= 1``."""
    return BLACKMAN_POINT * _symmetric_points(arg(args, kwargs, 0, "M"))


def bartlett_rule(args: tuple, kwargs: dict) -> int:
    """``6 * M``: per point both sides of the triangle ``1 +- n / (M - 1)`` (two divisions,
    an addition, a subtraction), a comparison and a selection; 0 for ``M <= 1``."""
    return BARTLETT_POINT * _symmetric_points(arg(args, kwargs, 0, "M"))


def kaiser_rule(args: tuple, kwargs: dict) -> int:
    """``8 * M + 1``: per point one Bessel ``i0``, one square root and six arithmetic
    operations, plus ``i0(beta)`` once; 0 for ``M == 1``."""
    value = _window_m(arg(args, kwargs, 0, "M"))
    if value == 1:
        return 0
    points = max(math.ceil(value), 0)  # arange(0, M)
    return KAISER_POINT * points + 1


def _window_type(*params: Any) -> np.dtype:
    """The type NumPy computes a window in: ``np.array([0.0, M, ...])``'s, float64 or a
    wider one of the parameters'."""
    return np.result_type(np.float64, *(np.asarray(p).dtype for p in params))


def symmetric_window_output(args: tuple, kwargs: dict) -> Out:
    """``hanning``, ``hamming``, ``blackman``, ``bartlett``: ``(0,)`` for ``M < 1``,
    ``(1,)`` for ``M == 1``, else the points of ``arange(1 - M, M, 2)`` (``M`` of them for
    an integer); in :func:`_window_type`."""
    m = values_of(arg(args, kwargs, 0, "M"), "the length of a window")
    value = _window_m(m)
    points = 0 if value < 1 else 1 if value == 1 else _symmetric_points(m)
    return Out((points,), _window_type(m))


def kaiser_output(args: tuple, kwargs: dict) -> Out:
    """``kaiser(M, beta)``: ``(1,)`` for ``M == 1``, else the points of ``arange(0, M)``;
    in :func:`_window_type` of ``M`` and ``beta``."""
    m = values_of(arg(args, kwargs, 0, "M"), "the length of a window")
    value = _window_m(m)
    points = 1 if value == 1 else max(math.ceil(value), 0)
    return Out((points,), _window_type(m, arg(args, kwargs, 1, "beta")))


# ---------------------------------------------------------------------- ranges
def _num(args: tuple, kwargs: dict) -> int:
    num = operator.index(arg(args, kwargs, 2, "num", 50))
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    return num


def logspace_rule(args: tuple, kwargs: dict) -> int:
    """``num * numel(broadcast(start, stop))`` for the linspace of the exponents plus
    one power per output element, ``num * numel(broadcast(start, stop, base))``."""
    num = _num(args, kwargs)
    start = _shape(arg(args, kwargs, 0, "start"))
    stop = _shape(arg(args, kwargs, 1, "stop"))
    base = arg(args, kwargs, 4, "base", 10.0)
    pairs = numel(broadcast_shape(start, stop))
    if isinstance(base, (float, int)) or np.ndim(base) == 0:
        return 2 * num * pairs
    return num * pairs + num * numel(broadcast_shape(start, stop, _shape(base)))


def logspace_output(args: tuple, kwargs: dict) -> Out:
    """``base ** linspace(start, stop, num, endpoint, axis=axis)``: linspace's shape
    (an array ``base`` broadcast in too, all padded to the same rank); in ``dtype`` or
    the type of the power (``base`` with :func:`~.creation.linspace_type`, where an
    array ``base`` makes Python-number ends arrays)."""
    num = operator.index(values_of(arg(args, kwargs, 2, "num", 50), "logspace's length"))
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    start, stop = arg(args, kwargs, 0, "start"), arg(args, kwargs, 1, "stop")
    base = arg(args, kwargs, 4, "base", 10.0)
    if isinstance(base, (float, int)) or np.ndim(base) == 0:
        between = ends_shape(start, stop)
        weak = type(base) in (int, float, complex, bool)
        power = np.result_type(base if weak else _strong(base), linspace_type(start, stop))
    else:
        between = ends_shape(start, stop, base)
        power = np.result_type(_strong(base), linspace_type(_strong(start), _strong(stop)))
    shape = samples_shape(between, num, arg(args, kwargs, 6, "axis", 0))
    dtype = arg(args, kwargs, 5, "dtype")
    return Out(shape, power if dtype is None else np.dtype(dtype))


def geomspace_rule(args: tuple, kwargs: dict) -> int:
    """``3 * num * B + 5 * B`` with ``B = numel(broadcast(start, stop))``: per output
    element the linspace step of the exponents, the power and the sign put back; per
    (start, stop) pair the sign, two divisions and two logarithms."""
    num = _num(args, kwargs)
    start = _shape(arg(args, kwargs, 0, "start"))
    stop = _shape(arg(args, kwargs, 1, "stop"))
    pairs = numel(broadcast_shape(start, stop))
    return GEOMSPACE_POINT * num * pairs + GEOMSPACE_PAIR * pairs


def geomspace_output(args: tuple, kwargs: dict) -> Out:
    """linspace's shape; in ``dtype`` or ``result_type(start, stop, float64)`` (the ends
    as arrays). A zero end is refused, as NumPy refuses it, where the ends are known."""
    num = operator.index(values_of(arg(args, kwargs, 2, "num", 50), "geomspace's length"))
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    start, stop = arg(args, kwargs, 0, "start"), arg(args, kwargs, 1, "stop")
    for end in (start, stop):
        if not is_unknown(end) and np.any(np.asarray(end) == 0):
            raise ValueError("Geometric sequence cannot include zero")
    shape = samples_shape(ends_shape(start, stop), num, arg(args, kwargs, 5, "axis", 0))
    dtype = arg(args, kwargs, 4, "dtype")
    if dtype is not None:
        return Out(shape, np.dtype(dtype))
    return Out(shape, np.result_type(_strong(start), _strong(stop), np.float64))


def vander_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output) = len(x) * N``: one multiplication per entry (the powers of x by
    repeated multiplication)."""
    s = _shape(arg(args, kwargs, 0, "x"))
    if len(s) != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    n = arg(args, kwargs, 1, "N")
    n = s[0] if n is None else operator.index(n)
    if n < 0:
        raise ValueError("negative dimensions are not allowed")
    return s[0] * n


def vander_output(args: tuple, kwargs: dict) -> Out:
    """``(len(x), N)`` (``N = len(x)`` by default), in ``promote_types(x.dtype, int)``."""
    x = arg(args, kwargs, 0, "x")
    (rows,) = _shape(x)
    n = arg(args, kwargs, 1, "N")
    n = rows if n is None else operator.index(values_of(n, "vander's number of columns"))
    return Out((rows, n), np.promote_types(_strong(x), int))


# ---------------------------------------------------------------------- cross
def _cross_vectors(args: tuple, kwargs: dict) -> tuple[Shape, int, int, Any]:
    """(the broadcast batch, the lengths of ``a``'s and ``b``'s vectors, ``axisc``) of a
    ``cross`` call, with NumPy's checks of the vector axes and lengths."""
    # 2-vectors only where the installed NumPy takes them (2.0 to 2.4)
    sa = _shape(arg(args, kwargs, 0, "a"))
    sb = _shape(arg(args, kwargs, 1, "b"))
    axisa = arg(args, kwargs, 2, "axisa", -1)
    axisb = arg(args, kwargs, 3, "axisb", -1)
    axisc = arg(args, kwargs, 4, "axisc", -1)
    axis = arg(args, kwargs, 5, "axis")
    if axis is not None:
        axisa = axisb = axisc = axis
    if not sa or not sb:
        raise ValueError("At least one array has zero dimension")
    (ia,) = axis_tuple(operator.index(axisa), len(sa))
    (ib,) = axis_tuple(operator.index(axisb), len(sb))
    da, db = sa[ia], sb[ib]
    if not _CROSS_2_VECTORS and (da != 3 or db != 3):
        raise ValueError(
            "Both input arrays must be (arrays of) 3-dimensional vectors, "
            f"but they are {da} and {db} dimensional instead."
        )
    if da not in (2, 3) or db not in (2, 3):
        raise ValueError("incompatible dimensions for cross product\n(dimension must be 2 or 3)")
    batch = broadcast_shape(sa[:ia] + sa[ia + 1 :], sb[:ib] + sb[ib + 1 :])
    if not da == db == 2:
        axis_tuple(operator.index(axisc), len(batch) + 1)  # NumPy's AxisError for axisc
    return batch, da, db, axisc


def cross_rule(args: tuple, kwargs: dict) -> int:
    """Per output vector of the broadcast batch: 3-vectors ``9`` (six multiplications,
    three subtractions); a 3-vector with a 2-vector ``6`` (four multiplications, a
    negation, a subtraction); two 2-vectors ``3`` (two multiplications, a subtraction)."""
    batch, da, db, _ = _cross_vectors(args, kwargs)
    if da == 2 and db == 2:
        return 3 * numel(batch)
    return (9 if da == db == 3 else 6) * numel(batch)


#: (dtype of a, dtype of b) -> the dtype of their cross product
_CROSS_DTYPES: dict[tuple[Any, Any], np.dtype] = {}


def cross_output(args: tuple, kwargs: dict) -> Out:
    """The broadcast batch of both inputs' other axes, with the product's 3 components
    at ``axisc``; two 2-vectors give their product's z component alone (the batch). The
    dtype is NumPy's for one pair of 3-vectors of the inputs' dtypes."""
    batch, da, db, axisc = _cross_vectors(args, kwargs)
    ta, tb = _dtype_of(arg(args, kwargs, 0, "a")), _dtype_of(arg(args, kwargs, 1, "b"))
    dtype = _CROSS_DTYPES.get((ta, tb))
    if dtype is None:  # NumPy's promotion, and its refusals (booleans cannot subtract)
        dtype = _CROSS_DTYPES[ta, tb] = np.cross(np.ones(3, ta), np.ones(3, tb)).dtype
    if da == db == 2:
        return Out(batch, dtype)
    (ic,) = axis_tuple(operator.index(axisc), len(batch) + 1)
    return Out((*batch[:ic], 3, *batch[ic:]), dtype)


def _dtype_of(x: Any) -> np.dtype:
    dtype = getattr(x, "dtype", None)
    return dtype if isinstance(dtype, np.dtype) else np.asarray(x).dtype


# ---------------------------------------------------------------------- polynomials
def polyval_rule(args: tuple, kwargs: dict) -> int:
    """Horner's rule: ``(len(p) - 1) * numel(broadcast(x, p[0]))`` FMAs. With ``x`` a
    ``poly1d`` of degree d (composition): ``(d + 1) * ((L - 1) + d (L - 1)(L - 2) / 2)``,
    the polynomial products of the L - 1 Horner steps."""
    sp = _shape(arg(args, kwargs, 0, "p"))
    if not sp:
        raise TypeError("iteration over a 0-d array")
    steps = max(sp[0] - 1, 0)
    x = arg(args, kwargs, 1, "x")
    if isinstance(x, np.poly1d):
        d = len(x.coeffs) - 1
        return (d + 1) * (steps + d * steps * max(steps - 1, 0) // 2)
    if sp[0] == 0:
        return 0
    return steps * numel(broadcast_shape(_shape(x), sp[1:]))


def polyval_output(args: tuple, kwargs: dict) -> Any:
    """The broadcast of ``x`` and one coefficient (``p[0]``), ``x``'s shape and dtype for
    no coefficients. ``x`` a ``poly1d`` (composition): a ``poly1d``, as long as its
    values make (leading zeros are dropped)."""
    p = arg(args, kwargs, 0, "p")
    x = arg(args, kwargs, 1, "x")
    if isinstance(x, np.poly1d):
        what = "the length of a composed polynomial"
        return from_values(np.polyval, what, _known_poly(p, what), _known_poly(x, what))
    sp = _shape(p)
    if sp[0] == 0:  # no Horner step: zeros like x
        return Out(_shape(x), np.asarray(x).dtype)
    return Out(broadcast_shape(_shape(x), sp[1:]))


def polyadd_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output)``: one addition (subtraction) per coefficient of the longer
    polynomial, ``max(len(a1), len(a2))`` for 1-D coefficients."""
    s1 = _shape_1d(arg(args, kwargs, 0, "a1"))
    s2 = _shape_1d(arg(args, kwargs, 1, "a2"))
    for short, long_ in ((s1, s2), (s2, s1)):
        if short[0] < long_[0] and len(short) != 1:
            raise ValueError("all the input arrays must have same number of dimensions")
    n = max(s1[0], s2[0])
    if s1[0] < n:
        s1 = (n,)
    if s2[0] < n:
        s2 = (n,)
    return numel(broadcast_shape(s1, s2))


def _padded_output(fn: Any, what: str) -> Any:
    def output(args: tuple, kwargs: dict) -> Any:
        a1, a2 = arg(args, kwargs, 0, "a1"), arg(args, kwargs, 1, "a2")
        if isinstance(a1, np.poly1d) or isinstance(a2, np.poly1d):
            return _poly_from_values(args, kwargs, ("a1", "a2"), fn, f"the length of {what}")
        return Out(_padded_sum_shape(_shape_1d(a1), _shape_1d(a2)))

    output.__doc__ = f"""The longer coefficient array's length (the shorter padded with
    leading zeros); with a ``poly1d``, a ``poly1d`` as long as its values make (leading
    zeros are dropped): ``{fn.__name__}``'s result."""
    return output


polyadd_output = _padded_output(np.polyadd, "a sum of polynomials")
polysub_output = _padded_output(np.polysub, "a difference of polynomials")


def _padded_sum_shape(s1: Shape, s2: Shape) -> Shape:
    n = max(s1[0], s2[0])
    return broadcast_shape(s1 if s1[0] == n else (n,), s2 if s2[0] == n else (n,))


def polymul_rule(args: tuple, kwargs: dict) -> int:
    """``len(a1) * len(a2)`` FMAs: the full convolution of the coefficients (an empty
    polynomial is ``[0]``, length 1)."""
    lengths = []
    for pos, name in ((0, "a1"), (1, "a2")):
        s = _shape_1d(arg(args, kwargs, pos, name))
        if len(s) != 1:
            raise ValueError("Polynomial must be 1d only.")
        lengths.append(max(s[0], 1))
    return lengths[0] * lengths[1]


def polymul_output(args: tuple, kwargs: dict) -> Any:
    """``len(a1) + len(a2) - 1`` coefficients after NumPy drops each factor's leading
    zeros: as many as the values make."""
    return _poly_from_values(args, kwargs, ("a1", "a2"), np.polymul, "the length of a product")


def polydiv_rule(args: tuple, kwargs: dict) -> int:
    """Long division: ``(deg(u) - deg(v) + 1) * len(v)`` FMAs (one step per quotient
    coefficient, each subtracting a multiple of v); 0 when ``deg(u) < deg(v)``."""
    su = _shape_1d(arg(args, kwargs, 0, "u"))
    sv = _shape_1d(arg(args, kwargs, 1, "v"))
    if su[0] == 0 or sv[0] == 0:
        raise IndexError("index 0 is out of bounds for axis 0 with size 0")
    steps = su[0] - sv[0] + 1
    if steps <= 0:
        return 0
    if len(su) > 1 or len(sv) > 1:
        raise ValueError("polydiv divides 1-D coefficient sequences")
    return steps * sv[0]


def polydiv_output(args: tuple, kwargs: dict) -> Any:
    """``(q, r)``: the remainder without its leading (near-)zeros, as many as the values
    make."""
    return _poly_from_values(args, kwargs, ("u", "v"), np.polydiv, "the length of a remainder")


def _order(args: tuple, kwargs: dict, what: str) -> int:
    m = int(arg(args, kwargs, 1, "m", 1))
    if m < 0:
        other = "polyint" if what == "derivative" else "polyder"
        raise ValueError(f"Order of {what} must be positive (see {other})")
    return m


def polyder_rule(args: tuple, kwargs: dict) -> int:
    """``sum over the m orders of (len(p) - 1 - j)``: each derivative multiplies every
    remaining coefficient but the constant by its power (``m * (L - 1) - m (m - 1) / 2``
    for ``m < L``)."""
    m = _order(args, kwargs, "derivative")
    s = _shape(arg(args, kwargs, 0, "p"))
    if not s:
        raise TypeError("len() of unsized object")
    cost = 0
    for level in range(m + 1):  # NumPy evaluates the product at the last level too
        n = max(s[0] - 1, 0)
        y = broadcast_shape((n, *s[1:]), (n,))
        if level == m:
            break
        cost += numel(y)
        if y == s:  # empty from here on: every further order costs 0
            break
        s = y
    return cost


def polyder_output(args: tuple, kwargs: dict) -> Any:
    """One coefficient fewer per order (none left at the least); of a ``poly1d``, a
    ``poly1d`` (at least the constant 0)."""
    p = arg(args, kwargs, 0, "p")
    if isinstance(p, np.poly1d):
        return _poly_from_values(args, kwargs, ("p",), np.polyder, "a derivative")
    m = _order(args, kwargs, "derivative")
    s = _shape(p)
    if not s:
        raise TypeError("len() of unsized object")
    for _ in range(m):
        n = max(s[0] - 1, 0)
        s = broadcast_shape((n, *s[1:]), (n,))
    return Out(s)


def polyint_rule(args: tuple, kwargs: dict) -> int:
    """``sum over the m orders of (len(p) + j) = m * L + m (m - 1) / 2``: each integral
    divides every coefficient by its new power."""
    m = _order(args, kwargs, "integral")
    k = arg(args, kwargs, 2, "k")
    n_k = m if k is None else _shape_1d(k)[0]
    if n_k == 1 and m > 1:
        n_k = m
    if n_k < m:
        raise ValueError("k must be a scalar or a rank-1 array of length 1 or >m.")
    if m == 0:
        return 0
    s = _shape(arg(args, kwargs, 0, "p"))
    if not s:
        raise TypeError("len() of unsized object")
    first = broadcast_shape(s, (s[0],))
    if len(first) != 1:
        raise ValueError("all the input arrays must have same number of dimensions")
    length = s[0]
    # the first order divides `length` coefficients, each next one a coefficient more
    return numel(first) + (m - 1) * length + (m - 1) * m // 2


def polyint_output(args: tuple, kwargs: dict) -> Any:
    """One coefficient more per order; of a ``poly1d``, a ``poly1d``."""
    p = arg(args, kwargs, 0, "p")
    if isinstance(p, np.poly1d):
        return _poly_from_values(args, kwargs, ("p",), np.polyint, "an integral")
    m = _order(args, kwargs, "integral")
    s = _shape(p)
    return Out((s[0] + m,) if m else s)


def poly_rule(args: tuple, kwargs: dict) -> int:
    """From n roots: a length-2 convolution per root, ``n (n + 1)`` FMAs; from an
    ``n x n`` matrix: its eigenvalues first (``linalg.eigvals``' ``5 n^3``), ``5 n^3 +
    n (n + 1)`` FMAs."""
    s = _shape(arg(args, kwargs, 0, "seq_of_zeros"))
    if not s:
        raise TypeError("poly takes a sequence of roots or a square matrix, not a scalar")
    if len(s) == 2 and s[0] == s[1] and s[0] != 0:
        return linalg_counts.eigvals(s[0]) + s[0] * (s[0] + 1)
    if len(s) == 1:
        return s[0] * (s[0] + 1)
    raise ValueError("input must be 1d or non-empty square 2d array.")


def poly_output(args: tuple, kwargs: dict) -> Any:
    """``(n + 1,)`` coefficients for n roots (or an n x n matrix's eigenvalues): real for
    real input; for complex roots real when they pair up as conjugates, which the values
    decide. No roots: the number 1.0."""
    seq = arg(args, kwargs, 0, "seq_of_zeros")
    s = _shape(seq)
    n = s[0] if s else 0
    if n == 0 and len(s) == 1:
        return Out((), np.dtype(np.float64))
    if np.iscomplexobj(seq):
        return from_values(np.poly, "the type of poly's coefficients", seq)
    return Out((n + 1,))


def roots_rule(args: tuple, kwargs: dict) -> int:
    """Eigenvalues of the ``n x n`` companion matrix, ``n = len(p) - 1``: ``5 n^3`` FMAs
    (``linalg.eigvals``' count)."""
    s = _shape(arg(args, kwargs, 0, "p"))
    if not s:
        raise TypeError("roots takes a sequence of coefficients, not a scalar")
    if len(s) != 1:
        raise ValueError("Input must be a rank-1 array.")
    return linalg_counts.eigvals(max(s[0] - 1, 0))


def roots_output(args: tuple, kwargs: dict) -> Any:
    """``len(p) - 1`` roots once NumPy drops the leading zeros, real or complex as the
    eigenvalues come out: the values decide both."""
    return _poly_from_values(args, kwargs, ("p",), np.roots, "the number and type of roots")


def polyfit_rule(args: tuple, kwargs: dict) -> int:
    """The least-squares solve of the ``m x n`` Vandermonde system (m = len(x), n = deg +
    1, k columns of y), as ``linalg.lstsq`` counts it: the thin SVD, ``(m + n) min(m, n)
    k`` to apply its factors and ``(m - n) k`` for the residuals when m > n; ``cov``
    adds ``m n^2 + n^3``."""
    deg = arg(args, kwargs, 2, "deg")
    order = int(deg) + 1
    sx = _shape(arg(args, kwargs, 0, "x"))
    sy = _shape(arg(args, kwargs, 1, "y"))
    if deg < 0:
        raise ValueError("expected deg >= 0")
    if len(sx) != 1:
        raise TypeError("expected 1D vector for x")
    if sx[0] == 0:
        raise TypeError("expected non-empty vector for x")
    if len(sy) < 1 or len(sy) > 2:
        raise TypeError("expected 1D or 2D array for y")
    if sx[0] != sy[0]:
        raise TypeError("expected x and y to have same length")
    w = arg(args, kwargs, 5, "w")
    if w is not None:
        sw = _shape(w)
        if len(sw) != 1:
            raise TypeError("expected a 1-d array for weights")
        if sw[0] != sy[0]:
            raise TypeError("expected w and y to have the same length")
    m, n = sx[0], order
    k = sy[1] if len(sy) == 2 else 1
    cost = linalg_counts.lstsq_shapes((m, n), (m, k))
    full = arg(args, kwargs, 4, "full", False)
    cov = arg(args, kwargs, 6, "cov", False)
    if cov and not full:
        if (not isinstance(cov, str) or cov != "unscaled") and m <= n:
            raise ValueError(
                "the number of data points must exceed order to scale the covariance matrix"
            )
        cost += m * n * n + n**3
    return cost


def polyfit_output(args: tuple, kwargs: dict) -> Any:
    """The ``deg + 1`` coefficients (``(deg + 1, k)`` for k columns of y), complex128 if
    any of x, y, w is complex, float64 otherwise; with ``cov='unscaled'``, also their
    ``(deg + 1, deg + 1)`` covariance (``(..., 1)`` for 2-D y), complex128 for complex x.
    ``full=True`` (the residuals, empty for a rank-deficient fit) and the scaled ``cov``
    (scaled by those residuals) depend on the rank of the Vandermonde matrix, which the
    values of x and w decide: given them, NumPy fits zeros of y's shape and dtype (y's
    values change no shape)."""
    x, y = arg(args, kwargs, 0, "x"), arg(args, kwargs, 1, "y")
    w = arg(args, kwargs, 5, "w")
    cov = arg(args, kwargs, 6, "cov", False)
    full = arg(args, kwargs, 4, "full", False)
    sy = _shape(y)
    if full or (cov and not (isinstance(cov, str) and cov == "unscaled")):
        what = "the rank of a polynomial fit"
        values_of(x, what)
        values_of(w, what)
        zeros = np.zeros(sy, np.asarray(y).dtype)
        call_args, call_kwargs = list(args), dict(kwargs)
        if len(call_args) > 1:
            call_args[1] = zeros
        else:
            call_kwargs["y"] = zeros
        return from_values(np.polyfit, what, *call_args, **call_kwargs)
    order = int(arg(args, kwargs, 2, "deg")) + 1
    complex_x = np.iscomplexobj(x)
    complex_c = complex_x or np.iscomplexobj(y) or (w is not None and np.iscomplexobj(w))
    coeffs = Out((order, *sy[1:]), np.dtype(np.complex128 if complex_c else np.float64))
    if not cov:
        return coeffs
    covariance = (order, order, *((1,) if len(sy) == 2 else ()))
    return coeffs, Out(covariance, np.dtype(np.complex128 if complex_x else np.float64))


# ---------------------------------------------------------------------- known polynomials
def _known_poly(x: Any, what: str) -> Any:
    """A polynomial argument with its values, as plain NumPy (a ``poly1d`` as NumPy's own,
    on its coefficients); :func:`values_of` refuses unknown ones."""
    if isinstance(x, np.poly1d):
        numpy_poly = getattr(x, "_numpy", None)
        plain = numpy_poly() if numpy_poly is not None else x
        values_of(np.asarray(plain.coeffs), what)
        return plain
    return values_of(x, what)


def _poly_from_values(args: tuple, kwargs: dict, names: tuple[str, ...], fn: Any, what: str) -> Any:
    """The output template of ``fn`` run on the values of its polynomial arguments."""
    polys = [_known_poly(arg(args, kwargs, i, name), what) for i, name in enumerate(names)]
    rest = args[len(names) :]
    extra = {k: v for k, v in kwargs.items() if k not in names}
    return from_values(fn, what, *polys, *rest, **extra)
