"""Discrete Fourier transforms (``numpy.fft``): the classic radix-2 counts.

A complex transform of length ``n`` costs ``C(n) = 5 * n * ceil(log2 n)`` real
floating-point operations (``ceil(log2 1) = 0``: a transform of length 1 is free). That
is the textbook count of a radix-2 FFT, already a count of additions and multiplications
each taken once, not of multiply-adds: the rows are **not** FMA-priced, and
``flops.configure(fma_cost=2)`` leaves them unchanged (doubling would count every
butterfly's multiplications twice).

A real transform (``rfft``, the real output of ``irfft``) of length ``n`` does half the
work of the complex one: ``R(n) = C(n) // 2 = 5 * n * ceil(log2 n) // 2`` (integer
division, rounding an odd product down). A Hermitian transform is a real transform read
the other way round: ``hfft`` is ``irfft`` of the conjugated input and ``ihfft`` the
conjugate of ``rfft``, so they cost ``R(n)`` as well; the conjugation is a sign change
folded into the twiddle factors, not counted.

**Batches, lengths, axes.** A 1-D transform along one axis runs once per position of the
other axes: its cost is the product of the other axes' extents times ``C(n)`` (or
``R(n)``). ``n`` is the length actually transformed: the ``n=`` / ``s=`` argument when
given (NumPy pads with zeros or crops to it), else the axis's length (``irfft`` and
``hfft``: ``2 * (m - 1)`` for an input of length m).

**Normalisation.** A transform whose ``norm`` asks for a scale factor multiplies every
element of its output by it: ``numel(output)`` multiplications, counted. Forward
transforms (``fft``, ``rfft``, ``hfft`` and their n-dimensional forms) scale for
``norm='ortho'`` and ``norm='forward'``; inverse transforms (``ifft``, ``irfft``,
``ihfft``, ...) for the default ``norm=None`` / ``'backward'`` and for ``'ortho'``. NumPy
does that multiplication as a pass over the output, and dividing by hand with
``fnp.multiply`` would charge the same; ``norm=`` is not a free way to scale.

**n-dimensional transforms.** ``fftn``, ``ifftn``, ``fft2``, ``ifft2``, ``rfftn``,
``irfftn``, ``rfft2``, ``irfft2`` cost the sum of the 1-D transforms NumPy runs, one per
transformed axis, in NumPy's order (the last axis first for ``fftn`` and ``rfftn``;
``irfftn`` ends with the real transform of the last axis). Each is priced as above on the
array as it stands at that step: the axes already transformed have their new lengths,
the others their input lengths. Writing the transform out as 1-D calls therefore costs
exactly what the n-dimensional call costs. For ``rfftn`` the last axis is the real
transform (``R``) and the other axes complex transforms (``C``) of its half-length output
``n // 2 + 1``; ``irfftn`` does the complex inverse transforms first and the real one
last. Repeated axes are transformed once per occurrence, as NumPy does.

Bad input raises NumPy's error before anything is charged: a length below 1
(``ValueError``), an unknown ``norm`` (``ValueError``), an axis out of range
(``numpy.exceptions.AxisError``, an ``IndexError`` and a ``ValueError``), ``s`` and
``axes`` of different lengths (``ValueError``), a length that is not an integer
(``TypeError``).

``fftfreq`` and ``rfftfreq`` compute each sample frequency with one multiplication
(``k * (1 / (n * d))``): ``numel(output)``, as ``linspace`` is charged. ``fftshift`` and
``ifftshift`` are ``roll``: they move data and compute nothing, and are free like
``roll``.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .core import Shape, arg, broadcast_shape, numel, shape_of
from .outputs import Out

__all__ = [
    "FFT_POINT",
    "complex_transform",
    "fft2_rule",
    "fft_rule",
    "fftfreq_rule",
    "fftn",
    "fftn_rule",
    "hermitian_1d",
    "hfft_rule",
    "ifft2_rule",
    "ifft_rule",
    "ifftn_rule",
    "ihfft_rule",
    "irfft2_rule",
    "irfft_rule",
    "irfftn_rule",
    "log2_ceil",
    "real_transform",
    "rfft2_rule",
    "rfft_rule",
    "rfftfreq_rule",
    "rfftn",
    "rfftn_rule",
    "transform_1d",
]

#: real operations per point and stage of a radix-2 complex FFT (a butterfly: one
#: complex multiplication, 6 real operations, and two complex additions, 4, for 2 points)
FFT_POINT = 5

#: ``norm=`` values NumPy knows; whether a forward (True) or inverse (False) transform
#: multiplies its output by a scale factor under each
_SCALES = {
    None: {True: False, False: True},
    "backward": {True: False, False: True},
    "ortho": {True: True, False: True},
    "forward": {True: True, False: False},
}
#: NumPy's Hermitian transforms run the real ones with the direction of ``norm`` swapped
_SWAPPED = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}


def log2_ceil(n: int) -> int:
    """``ceil(log2 n)`` for ``n >= 1`` (0 for n = 1), in integer arithmetic."""
    return (n - 1).bit_length()


def complex_transform(n: int) -> int:
    """``C(n) = 5 * n * ceil(log2 n)``: one complex transform of length ``n >= 1``."""
    return FFT_POINT * n * log2_ceil(n)


def real_transform(n: int) -> int:
    """``R(n) = 5 * n * ceil(log2 n) // 2``: one real (or Hermitian) transform of length
    ``n >= 1``, half the complex one, rounded down."""
    return complex_transform(n) // 2


# ---------------------------------------------------------------------- arguments
def _norm_known(norm: Any) -> Any:
    """``norm`` itself if NumPy knows it; NumPy's ``ValueError`` otherwise."""
    if isinstance(norm, (str, type(None))) and norm in _SCALES:
        return norm
    raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or "forward".')


def _length(n: Any) -> int:
    """A transform length as NumPy takes it: an integer (not a bool), at least 1."""
    if isinstance(n, (bool, np.bool_)):
        raise TypeError("an integer is required")
    n = operator.index(n)
    if n < 1:
        raise ValueError(f"Invalid number of FFT data points ({n}) specified.")
    return n


def _axis(axis: Any, ndim: int) -> int:
    ax = operator.index(axis)
    if not -ndim <= ax < ndim:
        raise np.exceptions.AxisError(ax, ndim)
    return ax % ndim


# ---------------------------------------------------------------------- one transform
#: the kinds of 1-D transform: complex (fft, ifft), real forward (rfft: n real values to
#: n // 2 + 1 complex ones), real inverse (irfft: to n real values)
COMPLEX, REAL_FORWARD, REAL_INVERSE = "complex", "real forward", "real inverse"


def transform_1d(shape: list[int], kind: str, n: Any, axis: Any, forward: bool, norm: Any) -> int:
    """The cost of one 1-D transform of an array of ``shape`` along ``axis``, as NumPy's
    ``fft`` / ``ifft`` / ``rfft`` / ``irfft`` run it (NumPy's checks, in its order);
    ``shape`` becomes the output's shape.

    ``batch * T(n)`` with ``batch`` the product of the other extents and ``T`` the
    complex count ``C`` or the real count ``R``; plus ``numel(output)`` multiplications
    when ``norm`` scales a transform of this direction.
    """
    ndim = len(shape)
    if n is None:
        # NumPy reads the axis's length before it validates the axis
        m = shape[_axis(axis, ndim)]
        n = 2 * (m - 1) if kind == REAL_INVERSE else m
    n = _length(n)
    scales = _SCALES[_norm_known(norm)][forward]
    ax = _axis(axis, ndim)
    batch = numel(shape[:ax]) * numel(shape[ax + 1 :])
    if kind == COMPLEX:
        work, n_out = complex_transform(n), n
    elif kind == REAL_FORWARD:
        work, n_out = real_transform(n), n // 2 + 1
    else:
        work, n_out = real_transform(n), n
    shape[ax] = n_out
    return batch * work + (batch * n_out if scales else 0)


def hermitian_1d(shape: list[int], kind: str, n: Any, axis: Any, forward: bool, norm: Any) -> int:
    """``hfft`` (``kind`` real inverse) or ``ihfft`` (real forward) as NumPy runs them:
    the default length read first, then the real transform with ``norm``'s direction
    swapped (see :func:`transform_1d`)."""
    if n is None:
        m = shape[_axis(axis, len(shape))]
        n = 2 * (m - 1) if kind == REAL_INVERSE else m
    return transform_1d(shape, kind, n, axis, forward, _SWAPPED[_norm_known(norm)])


def _one(args: tuple, kwargs: dict, kind: str, forward: bool, hermitian: bool = False) -> int:
    shape = list(shape_of(arg(args, kwargs, 0, "a")))
    n = arg(args, kwargs, 1, "n")
    axis = arg(args, kwargs, 2, "axis", -1)
    norm = arg(args, kwargs, 3, "norm")
    price = hermitian_1d if hermitian else transform_1d
    return price(shape, kind, n, axis, forward, norm)


def fft_rule(args: tuple, kwargs: dict) -> int:
    """``batch * 5 * n * ceil(log2 n)`` (``n`` the transformed length, ``batch`` the
    product of the other extents), plus ``numel(output)`` multiplications for
    ``norm='ortho'`` / ``'forward'``."""
    return _one(args, kwargs, COMPLEX, True)


def ifft_rule(args: tuple, kwargs: dict) -> int:
    """``batch * 5 * n * ceil(log2 n)``, plus ``numel(output)`` multiplications for the
    default ``norm`` (``'backward'``: the ``1/n`` scale) and for ``'ortho'``."""
    return _one(args, kwargs, COMPLEX, False)


def rfft_rule(args: tuple, kwargs: dict) -> int:
    """``batch * (5 * n * ceil(log2 n) // 2)``: half a complex transform of the real
    length ``n``; plus ``numel(output)`` (``batch * (n // 2 + 1)``) multiplications for
    ``norm='ortho'`` / ``'forward'``."""
    return _one(args, kwargs, REAL_FORWARD, True)


def irfft_rule(args: tuple, kwargs: dict) -> int:
    """``batch * (5 * n * ceil(log2 n) // 2)`` for ``n`` real output points (default
    ``2 * (m - 1)``), plus ``numel(output)`` multiplications for the default ``norm``
    and ``'ortho'``."""
    return _one(args, kwargs, REAL_INVERSE, False)


def hfft_rule(args: tuple, kwargs: dict) -> int:
    """As ``irfft`` of the conjugated input: ``batch * (5 * n * ceil(log2 n) // 2)`` for
    ``n`` real output points (default ``2 * (m - 1)``), plus ``numel(output)``
    multiplications for ``norm='ortho'`` / ``'forward'``."""
    return _one(args, kwargs, REAL_INVERSE, False, hermitian=True)


def ihfft_rule(args: tuple, kwargs: dict) -> int:
    """As ``rfft`` (then conjugated): ``batch * (5 * n * ceil(log2 n) // 2)`` for ``n``
    real input points, plus ``numel(output)`` multiplications for the default ``norm``
    and ``'ortho'``."""
    return _one(args, kwargs, REAL_FORWARD, True, hermitian=True)


# ---------------------------------------------------------------------- n dimensions
def _cook(shape: Shape, s: Any, axes: Any, invreal: bool) -> tuple[list[Any], list[Any]]:
    """NumPy's ``(s, axes)`` for an n-dimensional transform of an array of ``shape``."""
    if s is None:
        shapeless = True
        if axes is None:
            s = list(shape)
        else:
            s = [shape[operator.index(ax)] for ax in axes]  # NumPy: take(shape, axes)
    else:
        shapeless = False
        s = list(s)
    if axes is None:
        axes = list(range(-len(s), 0))
    else:
        axes = list(axes)
    if len(s) != len(axes):
        raise ValueError("Shape and axes have different lengths.")
    if invreal and shapeless:
        s[-1] = (shape[axes[-1]] - 1) * 2
    # -1: the input's whole length along that axis
    s = [shape[ax] if isinstance(v, (int, np.integer)) and v == -1 else v for v, ax in zip(s, axes)]
    return s, axes


def fftn(
    shape: Shape, s: Any = None, axes: Any = None, *, inverse: bool = False, norm: Any = None
) -> int:
    """``fftn`` / ``ifftn`` (and ``fft2`` / ``ifft2`` with ``axes=(-2, -1)``) of an array
    of ``shape``: the complex 1-D transforms NumPy runs, the last axis first."""
    return _complex_steps(list(shape), s, axes, inverse, norm)


def _complex_steps(current: list[int], s: Any, axes: Any, inverse: bool, norm: Any) -> int:
    """:func:`fftn` of an array of shape ``current``, which becomes the result's shape."""
    s, axes = _cook(tuple(current), s, axes, invreal=False)
    return sum(
        transform_1d(current, COMPLEX, s[i], axes[i], not inverse, norm)
        for i in reversed(range(len(axes)))
    )


def rfftn(
    shape: Shape, s: Any = None, axes: Any = None, *, inverse: bool = False, norm: Any = None
) -> int:
    """``rfftn`` (``inverse``: ``irfftn``; ``rfft2`` / ``irfft2`` with ``axes=(-2, -1)``)
    of an array of ``shape``. ``rfftn``: the real transform of the last axis, then the
    complex ones of the others, last first; ``irfftn``: the complex inverse transforms in
    axis order, then the real one of the last axis."""
    return _real_steps(list(shape), s, axes, inverse, norm)


def _real_steps(current: list[int], s: Any, axes: Any, inverse: bool, norm: Any) -> int:
    """:func:`rfftn` of an array of shape ``current``, which becomes the result's shape."""
    s, axes = _cook(tuple(current), s, axes, invreal=inverse)
    if not axes:
        raise IndexError("list index out of range")
    if not inverse:
        work = transform_1d(current, REAL_FORWARD, s[-1], axes[-1], True, norm)
        for i in range(len(axes) - 2, -1, -1):
            work += transform_1d(current, COMPLEX, s[i], axes[i], True, norm)
        return work
    work = 0
    for i in range(len(axes) - 1):
        work += transform_1d(current, COMPLEX, s[i], axes[i], False, norm)
    return work + transform_1d(current, REAL_INVERSE, s[-1], axes[-1], False, norm)


def _nd_args(args: tuple, kwargs: dict, default_axes: Any) -> tuple[Shape, Any, Any, Any]:
    return (
        shape_of(arg(args, kwargs, 0, "a")),
        arg(args, kwargs, 1, "s"),
        arg(args, kwargs, 2, "axes", default_axes),
        arg(args, kwargs, 3, "norm"),
    )


def fftn_rule(args: tuple, kwargs: dict) -> int:
    """Per transformed axis, last first: ``batch * 5 * n * ceil(log2 n)`` with ``n`` the
    axis's transformed length and ``batch`` the product of the other extents at that
    step; plus ``numel`` of each step's output for ``norm='ortho'`` / ``'forward'``."""
    shape, s, axes, norm = _nd_args(args, kwargs, None)
    return fftn(shape, s, axes, norm=norm)


def ifftn_rule(args: tuple, kwargs: dict) -> int:
    """Per transformed axis, last first: ``batch * 5 * n * ceil(log2 n)``; plus ``numel``
    of each step's output for the default ``norm`` and ``'ortho'``."""
    shape, s, axes, norm = _nd_args(args, kwargs, None)
    return fftn(shape, s, axes, inverse=True, norm=norm)


def fft2_rule(args: tuple, kwargs: dict) -> int:
    """``fftn`` over ``axes=(-2, -1)``: per axis ``batch * 5 * n * ceil(log2 n)`` (plus
    the scaling for ``norm='ortho'`` / ``'forward'``)."""
    shape, s, axes, norm = _nd_args(args, kwargs, (-2, -1))
    return fftn(shape, s, axes, norm=norm)


def ifft2_rule(args: tuple, kwargs: dict) -> int:
    """``ifftn`` over ``axes=(-2, -1)``: per axis ``batch * 5 * n * ceil(log2 n)`` (plus
    the scaling for the default ``norm`` and ``'ortho'``)."""
    shape, s, axes, norm = _nd_args(args, kwargs, (-2, -1))
    return fftn(shape, s, axes, inverse=True, norm=norm)


def rfftn_rule(args: tuple, kwargs: dict) -> int:
    """The last axis real: ``batch * (5 * n * ceil(log2 n) // 2)``; then each other axis
    complex on the half-length output (``n // 2 + 1`` along the last):
    ``batch * 5 * n * ceil(log2 n)``; plus each step's ``numel(output)`` for
    ``norm='ortho'`` / ``'forward'``."""
    shape, s, axes, norm = _nd_args(args, kwargs, None)
    return rfftn(shape, s, axes, norm=norm)


def irfftn_rule(args: tuple, kwargs: dict) -> int:
    """Each axis but the last complex: ``batch * 5 * n * ceil(log2 n)``; then the last
    real (``n`` output points, default ``2 * (m - 1)``): ``batch * (5 * n * ceil(log2 n)
    // 2)``; plus each step's ``numel(output)`` for the default ``norm`` and ``'ortho'``."""
    shape, s, axes, norm = _nd_args(args, kwargs, None)
    return rfftn(shape, s, axes, inverse=True, norm=norm)


def rfft2_rule(args: tuple, kwargs: dict) -> int:
    """``rfftn`` over ``axes=(-2, -1)``: the last axis real, ``batch * (5 * n *
    ceil(log2 n) // 2)``, the other complex on the half-length output."""
    shape, s, axes, norm = _nd_args(args, kwargs, (-2, -1))
    return rfftn(shape, s, axes, norm=norm)


def irfft2_rule(args: tuple, kwargs: dict) -> int:
    """``irfftn`` over ``axes=(-2, -1)``: the first axis complex, ``batch * 5 * n *
    ceil(log2 n)``, then the last real, ``batch * (5 * n * ceil(log2 n) // 2)``."""
    shape, s, axes, norm = _nd_args(args, kwargs, (-2, -1))
    return rfftn(shape, s, axes, inverse=True, norm=norm)


# ---------------------------------------------------------------------- frequencies
def _freq_n(n: Any) -> int:
    if not isinstance(n, (int, np.integer)):
        raise ValueError("n should be an integer")
    return int(n)


def fftfreq_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output)``: one multiplication per sample frequency (``n`` of them; with an
    array ``d``, the broadcast of ``(n,)`` with ``d``'s shape)."""
    n = _freq_n(arg(args, kwargs, 0, "n"))
    if n < 0:
        raise ValueError("negative dimensions are not allowed")
    return numel(broadcast_shape((n,), tuple(shape_of(arg(args, kwargs, 1, "d", 1.0)))))


def rfftfreq_rule(args: tuple, kwargs: dict) -> int:
    """``numel(output)``: one multiplication per sample frequency (``n // 2 + 1`` of them;
    with an array ``d``, broadcast with ``d``'s shape)."""
    n = _freq_n(arg(args, kwargs, 0, "n"))
    count = max(n // 2 + 1, 0)
    return numel(broadcast_shape((count,), tuple(shape_of(arg(args, kwargs, 1, "d", 1.0)))))


# ---------------------------------------------------------------------- output rules
# What each transform returns (for a dry run: see ``outputs``): the shape the cost rules
# leave behind (every step sets its axis to the length it outputs), and NumPy's dtype for
# the input's dtype, read from the same 1-D transform on four elements of that dtype
# (float32 stays single precision; integers and booleans become float64 data; a real
# transform refuses complex input with NumPy's TypeError).


def _input_dtype(a: Any) -> np.dtype:
    """``a``'s dtype (a list's: the array NumPy reads it as)."""
    dtype = getattr(a, "dtype", None)
    return dtype if isinstance(dtype, np.dtype) else np.asarray(a).dtype


#: (1-D transform, input dtype) -> the result's dtype
_RESULT_DTYPES: dict[tuple[Any, np.dtype], np.dtype] = {}


def _result_dtype(transform: str, a: Any) -> np.dtype:
    """The dtype of ``transform`` (``'fft'``, ``'rfft'``, ...) of data like ``a``."""
    dtype = _input_dtype(a)
    function = getattr(np.fft, transform)  # (NumPy loads numpy.fft on first use)
    found = _RESULT_DTYPES.get((function, dtype))
    if found is None:
        found = _RESULT_DTYPES[function, dtype] = function(np.ones(4, dtype)).dtype
    return found


def _one_output(transform: str, kind: str, forward: bool, hermitian: bool = False) -> Any:
    def output(args: tuple, kwargs: dict) -> Out:
        a = arg(args, kwargs, 0, "a")
        shape = list(shape_of(a))
        price = hermitian_1d if hermitian else transform_1d
        n, axis = arg(args, kwargs, 1, "n"), arg(args, kwargs, 2, "axis", -1)
        price(shape, kind, n, axis, forward, arg(args, kwargs, 3, "norm"))
        return Out(tuple(shape), _result_dtype(transform, a))

    output.__doc__ = (
        f"``{transform}`` along ``axis``: the input's shape with that axis "
        + {
            COMPLEX: "``n`` long (default: as it is).",
            REAL_FORWARD: "``n // 2 + 1`` long (``n`` default: its length).",
            REAL_INVERSE: "``n`` long (default ``2 * (m - 1)``).",
        }[kind]
    )
    return output


fft_output = _one_output("fft", COMPLEX, True)
ifft_output = _one_output("ifft", COMPLEX, False)
rfft_output = _one_output("rfft", REAL_FORWARD, True)
irfft_output = _one_output("irfft", REAL_INVERSE, False)
hfft_output = _one_output("hfft", REAL_INVERSE, False, hermitian=True)
ihfft_output = _one_output("ihfft", REAL_FORWARD, True, hermitian=True)


def _nd_output(name: str, default_axes: Any, real: bool, inverse: bool) -> Any:
    transform = ("irfft" if inverse else "rfft") if real else ("ifft" if inverse else "fft")

    def output(args: tuple, kwargs: dict) -> Out:
        a = arg(args, kwargs, 0, "a")
        shape, s, axes, norm = _nd_args(args, kwargs, default_axes)
        current = list(shape)
        if real:
            _real_steps(current, s, axes, inverse, norm)
        else:
            _complex_steps(current, s, axes, inverse, norm)
        if not real and not _cook(tuple(shape), s, axes, invreal=False)[1]:
            # no axis to transform: NumPy hands back the input as it is
            return Out(tuple(current), _input_dtype(a))
        return Out(tuple(current), _result_dtype(transform, a))

    output.__doc__ = (
        f"``{name}``: the input's shape with each transformed axis the length its step "
        "outputs (``s`` where given; "
        + (
            "the last axis ``n // 2 + 1``)."
            if real and not inverse
            else "the last axis ``2 * (m - 1)`` by default)."
            if real
            else "no axes: the input as it is)."
        )
    )
    return output


fftn_output = _nd_output("fftn", None, real=False, inverse=False)
ifftn_output = _nd_output("ifftn", None, real=False, inverse=True)
fft2_output = _nd_output("fft2", (-2, -1), real=False, inverse=False)
ifft2_output = _nd_output("ifft2", (-2, -1), real=False, inverse=True)
rfftn_output = _nd_output("rfftn", None, real=True, inverse=False)
irfftn_output = _nd_output("irfftn", None, real=True, inverse=True)
rfft2_output = _nd_output("rfft2", (-2, -1), real=True, inverse=False)
irfft2_output = _nd_output("irfft2", (-2, -1), real=True, inverse=True)


def _frequencies_output(half: bool) -> Any:
    def output(args: tuple, kwargs: dict) -> Out:
        n = _freq_n(arg(args, kwargs, 0, "n"))
        d = arg(args, kwargs, 1, "d", 1.0)
        count = max(n // 2 + 1, 0) if half else n
        # NumPy's arithmetic, ``arange(count) * (1.0 / (n * d))``, on one element of d
        one = np.ones((1,) * d.ndim, d.dtype) if isinstance(d, np.ndarray) else d
        dtype = (np.ones(1, int) * (1.0 / (n * one))).dtype
        return Out(broadcast_shape((count,), tuple(shape_of(d))), dtype)

    output.__doc__ = (
        "``(n // 2 + 1,)``" if half else "``(n,)``"
    ) + " broadcast with ``d``'s shape."
    return output


fftfreq_output = _frequencies_output(half=False)
rfftfreq_output = _frequencies_output(half=True)
