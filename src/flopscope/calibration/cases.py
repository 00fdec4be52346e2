"""How to call every counted registry row for calibration.

A :class:`Case` says, for one row, its category and how to build a call of the row's
NumPy function at a size and on an input distribution. The runner prices each call with
the row's own cost rule (``REGISTRY[name].rule(args, kwargs)``: the analytical FLOPs, one
source of truth with the budget) and times NumPy running it.

Every counted row that is neither an alias nor a twin has exactly one case (aliases and
twins are billed under the row they name, so they share its weight). The function a case
calls is what flopscope runs for the row: the row's backend where it has one (``einsum``,
``linalg.svd``, the ``poly*`` rows, ``stats.*``), else NumPy's callable. Ufuncs of one or
two inputs write into a preallocated ``out=`` (the runner strips it before pricing), so
the measurement is the kernel, not the allocation.

The categories, and why each row is where it is:

* ``pointwise`` - the elementwise ufuncs on float64 data and the elementwise rows that
  are not ufuncs (``round``, ``nan_to_num``, ``sinc``, ``i0``, ``isneginf``, ...): one
  kernel pass per element, priced ``numel(output)``.
* ``bitwise`` - the integer ufuncs (``bitwise_and/or/xor``, ``invert``, the shifts,
  ``gcd``, ``lcm``, ``bitwise_count``) on int64 data, and ``packbits`` / ``unpackbits``
  on bytes: integer work, which float data would not exercise.
* ``complex`` - rows whose point is complex data (``angle``, ``conjugate``,
  ``iscomplex``, ``isreal``, ``real_if_close``, ``sort_complex``) on complex128 input,
  and ``emath.*``, the math functions with complex results outside the real domain.
* ``reductions`` - the ``counted_reduction`` rows that fold one array (``sum``, ``mean``,
  ``var``, ``cumsum``, the ``nan*`` family, ...), each on a flat float64 array.
* ``linalg`` - the LAPACK decompositions and solvers of ``numpy.linalg`` and what is
  computed from one of them (``svd``, ``qr``, ``eig*``, ``cholesky``, ``inv``,
  ``solve``, ``lstsq``, ``det``, ``slogdet``, ``pinv``, ``cond``, ``matrix_rank``), and
  ``linalg.norm`` (its default is one BLAS ``dot`` of the flattened data): BLAS-backed.
* ``linalg_delegates`` - the ``numpy.linalg`` rows that hand their work to another row
  after reshaping or checking the arguments: ``multi_dot`` (``dot``), ``matrix_power``
  (``matmul``), ``tensorsolve`` (``solve``), ``tensorinv`` (``inv``), ``outer``
  (``outer``), ``trace`` (``trace``), ``vector_norm`` and ``matrix_norm`` (``norm`` along
  an axis: a multiply and an add-reduce, no BLAS). Measured on their own so that the
  wrapper's cost shows beside its delegate's; BLAS-backed where the delegate is.
* ``contractions`` - the products of the top-level namespace: ``matmul``, ``dot``,
  ``einsum``, ``inner``, ``tensordot``, ``vdot``, ``vecdot``, ``matvec``, ``vecmat``
  (BLAS kernels), and ``outer``, ``kron``, ``trace`` (a multiply ufunc, a sum of a
  diagonal: no BLAS).
* ``fft`` - the ``numpy.fft`` transforms (pocketfft) on power-of-two lengths, and
  ``fftfreq`` / ``rfftfreq``.
* ``sorting`` - sorting, selection and searching: ``sort``, ``argsort``, ``partition``,
  ``argpartition``, ``searchsorted``, ``lexsort``, ``nonzero``, ``flatnonzero``,
  ``argwhere``, the ``unique*`` family, the set routines and ``isin`` (sorts inside);
  data-dependent, so measured on random, already sorted and duplicate-heavy data.
* ``random`` - the samplers of ``numpy.random`` (NumPy's legacy module functions, the
  rows' callables): ``size=`` draws with the generator seeded from the case's
  generator when the call is built.
* ``polynomial`` - the ``poly*`` rows and ``roots`` (flopscope's backends around NumPy).
* ``window`` - ``hanning``, ``hamming``, ``blackman``, ``bartlett``, ``kaiser``.
* ``misc`` - the rest: selection (``where``, ``clip``, ``choose``, ``select``), ``pad``,
  ``convolve`` / ``correlate`` (a BLAS dot per output point), histograms and binning,
  ``interp``, ``cov`` / ``corrcoef`` (a BLAS product), differences, ``gradient``,
  integration, medians and quantiles, ``average``, the ranges (``linspace``,
  ``logspace``, ``geomspace``), ``vander``, ``cross``, the comparisons of whole arrays
  (``isclose``, ``allclose``, ``array_equal``, ``array_equiv``: several passes, not one
  kernel), ``trim_zeros``, the ``stats.*`` distributions (flopscope's own evaluation)
  and ``einsum_path`` (a nominal 1-FLOP planning event: its weight is the planning time
  in units of one ``add`` element).

Input distributions (seed 004: several, for robustness). ``normal`` is standard normal
data (for rows that take no data - samplers, windows, ranges - it names the one
parameter set used). Where the domain is restricted or the speed depends on magnitude:
``domain`` (inside the real domain: ``(-1, 1)`` for ``arcsin``, ``> 0`` for ``log`` and
``sqrt``, ``>= 1`` for ``arccosh``, the support for ``stats.*``), ``large`` (``|x|``
log-uniform in ``[1e6, 1e300]``; for the exponentials ``[10, 700]``, where they still
have finite results), ``small`` (``|x|`` log-uniform in ``[1e-300, 1e-6]``). Rows that
exist for special values see them too: ``nans`` (a tenth of the entries NaN: the
``nan*`` rows) and ``nonfinite`` (a tenth NaN, +inf or -inf: ``isnan``, ``nan_to_num``,
...); only those two distributions hold non-finite inputs. Sorting rows also see
``sorted`` and ``duplicates`` (a hundred distinct values); ``emath.*`` sees ``outside``
(outside the real domain: complex results); ``real_if_close`` sees ``nearly_real``.

Sizes are each case's own measure: elements for elementwise rows, reductions, sorting,
sampling and windows; the matrix order for linalg and matrix products; the transform
length (or side) for fft; the polynomial length. They are chosen so one call takes
about 20 us to 20 ms, smaller for the slow rows (``roots``, ``eig``, the histograms,
``stats.truncnorm``), so that a full run - every case, size and distribution, five
repeats - fits the runner's time. ``quick_sizes`` is one small size per case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._registry import REGISTRY, resolved
from .._rules.stats_distributions import DISTRIBUTIONS, METHODS

__all__ = ["CASES", "CATEGORIES", "NONFINITE_DISTRIBUTIONS", "Call", "Case"]

#: the categories of seed 004, in the order the runner measures them
CATEGORIES = (
    "pointwise",
    "reductions",
    "linalg",
    "linalg_delegates",
    "fft",
    "sorting",
    "random",
    "polynomial",
    "contractions",
    "misc",
    "window",
    "bitwise",
    "complex",
)

#: the distributions whose inputs hold NaN or infinities on purpose
NONFINITE_DISTRIBUTIONS = frozenset({"nans", "nonfinite"})


@dataclass(frozen=True)
class Call:
    """One call: ``function(*args, **kwargs)`` runs NumPy (``out=`` preallocated where the
    function takes one); the cost rule sees ``args`` and ``kwargs`` without ``out``."""

    function: Callable[..., Any]
    args: tuple
    kwargs: dict


@dataclass(frozen=True)
class Case:
    """The calibration of one counted row."""

    name: str  # the registry row (its billing name: aliases and twins share it)
    category: str
    #: (size, distribution, generator) -> the call; ``size`` is the case's own measure
    #: (elements for pointwise, the matrix order for linalg, ...)
    make: Callable[[int, str, np.random.Generator], Call]
    sizes: tuple[int, ...]
    distributions: tuple[str, ...] = ("normal",)
    blas: bool = False  # BLAS/LAPACK-backed: no ufunc dispatch overhead subtracted
    quick_sizes: tuple[int, ...] = ()  # ``--quick``: fewer, smaller sizes


#: row name -> its case (filled in below; every counted row has one)
CASES: dict[str, Case] = {}

Shape = tuple[int, ...]
Sampler = Callable[[np.random.Generator, Shape], np.ndarray]
#: (size, distribution, generator) -> (args, kwargs)
Build = Callable[[int, str, np.random.Generator], tuple[tuple, dict]]


# ---------------------------------------------------------------------- input values
def _signed(rng: np.random.Generator, shape: Shape, lo: float, hi: float) -> np.ndarray:
    """``|x|`` log-uniform in ``[10**lo, 10**hi]``, either sign."""
    return rng.choice((-1.0, 1.0), shape) * 10.0 ** rng.uniform(lo, hi, shape)


def _sprinkled(rng: np.random.Generator, shape: Shape, specials: tuple[float, ...]) -> np.ndarray:
    """Standard normal data with a tenth of its entries one of ``specials``."""
    x = rng.standard_normal(shape)
    where = rng.random(shape) < 0.1
    x[where] = rng.choice(specials, int(where.sum()))
    return x


def _normal(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    return rng.standard_normal(shape)


def _lognormal(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    return rng.lognormal(0.0, 1.0, shape)


def _large(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    return _signed(rng, shape, 6, 300)


def _small(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    return _signed(rng, shape, -300, -6)


def _complex(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


#: kind of argument -> distribution -> its values (``"*"``: the same for every
#: distribution, for an argument the distribution does not describe)
_KINDS: dict[str, dict[str, Sampler]] = {
    "real": {
        "normal": _normal,
        "large": _large,
        "small": _small,
        "nans": lambda r, s: _sprinkled(r, s, (np.nan,)),
        "nonfinite": lambda r, s: _sprinkled(r, s, (np.nan, np.inf, -np.inf)),
        "sorted": lambda r, s: np.sort(r.standard_normal(s), axis=None).reshape(s),
        "duplicates": lambda r, s: r.integers(0, 100, s).astype(np.float64),
    },
    # the exponentials and hyperbolics: large but finite results
    "exp_argument": {
        "normal": _normal,
        "large": lambda r, s: r.choice((-1.0, 1.0), s) * r.uniform(10.0, 700.0, s),
        "small": _small,
    },
    "positive": {
        "domain": _lognormal,
        "large": lambda r, s: np.abs(_large(r, s)),
        "small": lambda r, s: np.abs(_small(r, s)),
    },
    # log1p: above -1
    "above_minus_one": {
        "domain": lambda r, s: r.lognormal(0.0, 1.0, s) - 1.0,
        "large": lambda r, s: np.abs(_large(r, s)),
        "small": _small,
    },
    # arcsin, arccos, arctanh: inside (-1, 1)
    "unit": {"domain": lambda r, s: r.uniform(-0.999, 0.999, s), "small": _small},
    # arccosh: at least 1
    "at_least_one": {
        "domain": lambda r, s: 1.0 + r.lognormal(0.0, 1.0, s),
        "large": lambda r, s: np.abs(_large(r, s)),
    },
    # emath: the real domain, and outside it (complex results)
    "emath_positive": {"domain": _lognormal, "outside": lambda r, s: -_lognormal(r, s)},
    "emath_unit": {
        "domain": lambda r, s: r.uniform(-0.999, 0.999, s),
        "outside": lambda r, s: r.choice((-1.0, 1.0), s) * (1.0 + _lognormal(r, s)),
    },
    "any_normal": {"*": _normal},
    "log_base": {"*": lambda r, s: r.uniform(2.0, 10.0, s)},
    "ldexp_exponent": {"*": lambda r, s: r.integers(-60, 61, s)},
    "complex": {
        "normal": _complex,
        "nearly_real": lambda r, s: r.standard_normal(s) + 1e-20j * r.standard_normal(s),
    },
    # integers for the bitwise ufuncs: every bit in use
    "int": {"normal": lambda r, s: r.integers(-(2**62), 2**62, s)},
    "shift": {"*": lambda r, s: r.integers(0, 63, s)},
    # gcd / lcm: Euclid's steps grow with the magnitude (lcm of the large ones fits int64)
    "count": {
        "normal": lambda r, s: r.integers(1, 2**16, s),
        "large": lambda r, s: r.integers(1, 2**31, s),
    },
}

#: distribution sets
_NORMAL = ("normal",)
_MAGNITUDES = ("normal", "large", "small")
_DOMAIN = ("domain", "large", "small")
_NANS = ("normal", "nans")
_NONFINITE = ("normal", "nonfinite")
_SORTS = ("normal", "sorted", "duplicates")
_SETS = ("normal", "duplicates")

#: size sets (the case's own measure) and their quick sizes
_ELEMENTS = (10**3, 10**4, 10**5, 10**6)
_ELEMENTS_SMALL = (10**3, 10**4, 10**5)  # rows of a microsecond or more per element
_ORDERS = (32, 64, 128, 256)
_Q_ELEMENTS = (10**4,)
_Q_ORDERS = (32,)


def _draw(kind: str, distribution: str, shape: Shape, rng: np.random.Generator) -> np.ndarray:
    table = _KINDS[kind]
    sampler = table.get(distribution) or table.get("*")
    if sampler is None:
        raise ValueError(f"no {distribution!r} values for a {kind!r} argument")
    return sampler(rng, shape)


# ---------------------------------------------------------------------- registration
def _function(name: str) -> Callable[..., Any]:
    """What flopscope runs for the row: its backend, else NumPy's callable."""
    op = resolved(name)
    return op.backend if op.backend is not None else op.impl


def _register(
    category: str,
    names: str,
    build: Callable[[str], Build],
    sizes: tuple[int, ...],
    quick: tuple[int, ...],
    distributions: tuple[str, ...] = _NORMAL,
    blas: bool = False,
) -> None:
    """A case for each whitespace-separated row name; ``build(name)`` its arguments."""
    for name in names.split():
        if name in CASES:
            raise ValueError(f"{name!r} has two cases")
        if name not in REGISTRY:  # absent from this NumPy version
            continue
        make = _maker(_function(name), build(name))
        CASES[name] = Case(name, category, make, sizes, distributions, blas, quick)


def _maker(function: Callable[..., Any], build: Build) -> Callable[..., Call]:
    """A case's ``make``: the call of ``function`` on what ``build`` gives."""

    def make(size: int, distribution: str, rng: np.random.Generator) -> Call:
        args, kwargs = build(size, distribution, rng)
        return Call(function, args, kwargs)

    return make


def _add(
    category: str,
    names: str,
    build: Build,
    sizes: tuple[int, ...] = _ELEMENTS,
    quick: tuple[int, ...] = _Q_ELEMENTS,
    distributions: tuple[str, ...] = _NORMAL,
    blas: bool = False,
) -> None:
    """Cases for rows that share one way of building their arguments."""
    _register(category, names, lambda name: build, sizes, quick, distributions, blas)


def _ufuncs(
    category: str,
    names: str,
    kinds: tuple[str, ...],
    distributions: tuple[str, ...] = _NORMAL,
) -> None:
    """Elementwise ufuncs: flat inputs of ``size`` elements (one per kind) and a
    preallocated ``out=`` (a tuple for two outputs) of the ufunc's result dtypes."""

    def build(name: str) -> Build:
        ufunc = REGISTRY[name].impl

        def inputs(size: int, distribution: str, rng: np.random.Generator) -> tuple[tuple, dict]:
            xs = tuple(_draw(k, distribution, (size,), rng) for k in kinds)
            with np.errstate(all="ignore"):  # the result dtypes, from one element
                probe = ufunc(*(x[:1] for x in xs))
            if ufunc.nout == 1:
                out: Any = np.empty(size, probe.dtype)
            else:
                out = tuple(np.empty(size, p.dtype) for p in probe)
            return xs, {"out": out}

        return inputs

    _register(category, names, build, _ELEMENTS, _Q_ELEMENTS, distributions)


def _flat(*kinds: str, **kwargs: Any) -> Build:
    """Flat arrays of ``size`` elements, one per kind, then fixed keywords."""
    return lambda n, d, r: (tuple(_draw(k, d, (n,), r) for k in kinds), dict(kwargs))


# ---------------------------------------------------------------------- pointwise
for _kind, _dists, _names in (
    (
        "real",
        _NORMAL,
        """absolute fabs negative positive sign square ceil floor rint trunc deg2rad degrees
        rad2deg radians logical_not signbit""",
    ),
    ("real", _MAGNITUDES, "sin cos tan arctan arcsinh tanh cbrt spacing frexp modf reciprocal"),
    ("real", _NONFINITE, "isfinite isinf isnan"),
    ("exp_argument", _MAGNITUDES, "exp exp2 expm1 sinh cosh"),
    ("positive", _DOMAIN, "log log2 log10 sqrt"),
    ("above_minus_one", _DOMAIN, "log1p"),
    ("unit", ("domain", "small"), "arcsin arccos arctanh"),
    ("at_least_one", ("domain", "large"), "arccosh"),
):
    _ufuncs("pointwise", _names, (_kind,), _dists)
for _kinds, _dists, _names in (
    (
        ("real", "real"),
        _NORMAL,
        """add subtract multiply divide maximum minimum fmax fmin copysign nextafter heaviside
        equal not_equal less less_equal greater greater_equal logical_and logical_or
        logical_xor""",
    ),
    (("real", "real"), _MAGNITUDES, "arctan2 hypot"),
    (
        ("real", "real"),
        ("normal", "large"),
        "fmod remainder floor_divide divmod logaddexp logaddexp2",
    ),
    (("positive", "any_normal"), ("domain",), "power float_power"),
    (("real", "ldexp_exponent"), _NORMAL, "ldexp"),
):
    _ufuncs("pointwise", _names, _kinds, _dists)
_add("pointwise", "round sinc asarray_chkfinite", _flat("real"))
_add("pointwise", "nan_to_num isneginf isposinf", _flat("real"), distributions=_NONFINITE)
_add("pointwise", "i0", _flat("exp_argument"), distributions=("normal", "large"))

# ---------------------------------------------------------------------- bitwise
_ufuncs("bitwise", "bitwise_and bitwise_or bitwise_xor", ("int", "int"))
_ufuncs("bitwise", "invert bitwise_count", ("int",))
_ufuncs("bitwise", "left_shift right_shift", ("int", "shift"))
_ufuncs("bitwise", "gcd lcm", ("count", "count"), ("normal", "large"))
_add("bitwise", "packbits", lambda n, d, r: ((r.integers(0, 2, n, dtype=np.uint8),), {}))
_add("bitwise", "unpackbits", lambda n, d, r: ((r.integers(0, 256, n, dtype=np.uint8),), {}))

# ---------------------------------------------------------------------- complex
_ufuncs("complex", "conjugate", ("complex",))
_add("complex", "angle iscomplex isreal", _flat("complex"))
_add("complex", "real_if_close", _flat("complex"), distributions=("normal", "nearly_real"))
_add("complex", "sort_complex", _flat("complex"))
_EMATH = ("domain", "outside")
_add(
    "complex",
    "emath.sqrt emath.log emath.log2 emath.log10",
    _flat("emath_positive"),
    distributions=_EMATH,
)
_add(
    "complex", "emath.arccos emath.arcsin emath.arctanh", _flat("emath_unit"), distributions=_EMATH
)
_add("complex", "emath.power", _flat("emath_positive", "any_normal"), distributions=_EMATH)
_add("complex", "emath.logn", _flat("log_base", "emath_positive"), distributions=_EMATH)

# ---------------------------------------------------------------------- reductions
_add(
    "reductions",
    """sum prod mean var std min max argmin argmax all any ptp cumsum cumprod
    count_nonzero""",
    _flat("real"),
)
_add(
    "reductions",
    """nansum nanprod nanmean nanvar nanstd nanmin nanmax nanargmin nanargmax nancumsum
    nancumprod""",
    _flat("real"),
    distributions=_NANS,
)


# ---------------------------------------------------------------------- linalg
def _square(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((n, n))


def _symmetric(n: int, rng: np.random.Generator) -> np.ndarray:
    a = rng.standard_normal((n, n))
    return (a + a.T) / 2


def _spd(n: int, rng: np.random.Generator) -> np.ndarray:
    """Symmetric positive definite, well conditioned."""
    a = rng.standard_normal((n, n))
    return a @ a.T / n + np.eye(n)


def _by_order(category: str, names: str, build: Build) -> None:
    """BLAS-backed rows sized by a matrix order."""
    _add(category, names, build, _ORDERS, _Q_ORDERS, blas=True)


def _matrix(make: Callable[[int, np.random.Generator], np.ndarray], **kwargs: Any) -> Build:
    return lambda n, d, r: ((make(n, r),), dict(kwargs))


_by_order("linalg", "linalg.cholesky", _matrix(_spd))
_by_order("linalg", "linalg.eigh linalg.eigvalsh", _matrix(_symmetric))
_by_order(
    "linalg",
    """linalg.qr linalg.svdvals linalg.svd linalg.eig linalg.eigvals linalg.inv linalg.det
    linalg.slogdet linalg.pinv linalg.cond linalg.matrix_rank""",
    _matrix(_square),
)
_by_order("linalg", "linalg.solve", lambda n, d, r: ((_square(n, r), r.standard_normal(n)), {}))
_by_order(
    "linalg",
    "linalg.lstsq",  # overdetermined: 2n equations, n unknowns
    lambda n, d, r: ((r.standard_normal((2 * n, n)), r.standard_normal(2 * n)), {"rcond": None}),
)
# the default 2-norm is one pass over n^2 elements: orders up to a million elements
_add("linalg", "linalg.norm", _matrix(_square), (64, 128, 256, 512, 1024), (64,), blas=True)

# ---------------------------------------------------------------------- linalg_delegates
_by_order(
    "linalg_delegates",
    "linalg.multi_dot",  # a chain best multiplied right to left
    lambda n, d, r: (
        ([_square(n, r), _square(n, r), r.standard_normal((n, n // 4))],),
        {},
    ),
)
_by_order(
    "linalg_delegates",
    "linalg.matrix_power",  # scaled so the fifth power stays of order one
    lambda n, d, r: ((_square(n, r) / np.sqrt(n), 5), {}),
)
_by_order(
    "linalg_delegates",
    "linalg.tensorsolve",  # (2, n/2, 2, n/2) against (2, n/2): an n x n system
    lambda n, d, r: (
        (_square(n, r).reshape(2, n // 2, 2, n // 2), r.standard_normal((2, n // 2))),
        {},
    ),
)
_by_order(
    "linalg_delegates",
    "linalg.tensorinv",
    lambda n, d, r: ((_square(n, r).reshape(2, n // 2, 2, n // 2),), {"ind": 2}),
)
_add(
    "linalg_delegates",
    "linalg.outer",  # n x n products of two n-vectors
    _flat("real", "real"),
    (100, 300, 1000),
    (100,),
)
_add("linalg_delegates", "linalg.trace", _matrix(_square), (100, 300, 1000, 2000), (300,))
_add("linalg_delegates", "linalg.vector_norm", _flat("real"))
_add("linalg_delegates", "linalg.matrix_norm", _matrix(_square), (64, 128, 256, 512, 1024), (64,))


# ---------------------------------------------------------------------- contractions
def _pair(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return _square(n, rng), _square(n, rng)


def _with_out(function: Callable[..., Any], args: tuple) -> tuple[tuple, dict]:
    """``args`` and a preallocated ``out=`` of the result's shape and dtype."""
    result = function(*args)
    return args, {"out": np.empty_like(result)}


_by_order("contractions", "matmul", lambda n, d, r: _with_out(np.matmul, _pair(n, r)))
_by_order("contractions", "dot inner", lambda n, d, r: (_pair(n, r), {}))
_by_order("contractions", "einsum", lambda n, d, r: (("ij,jk->ik", *_pair(n, r)), {}))
_by_order("contractions", "tensordot", lambda n, d, r: (_pair(n, r), {"axes": 1}))
_add("contractions", "vdot", _flat("real", "real"), blas=True)
_add(
    "contractions",
    "vecdot",  # a batch of 64-vectors, ``size`` elements in each operand
    lambda n, d, r: _with_out(
        np.vecdot, (r.standard_normal((n // 64, 64)), r.standard_normal((n // 64, 64)))
    ),
    blas=True,
)
_MATVEC_ORDERS = (128, 256, 512, 1024)
_add(
    "contractions",
    "matvec",
    lambda n, d, r: _with_out(np.matvec, (_square(n, r), r.standard_normal(n))),
    _MATVEC_ORDERS,
    (128,),
    blas=True,
)
_add(
    "contractions",
    "vecmat",
    lambda n, d, r: _with_out(np.vecmat, (r.standard_normal(n), _square(n, r))),
    _MATVEC_ORDERS,
    (128,),
    blas=True,
)
_add("contractions", "outer", _flat("real", "real"), (100, 300, 1000), (100,))
_add(
    "contractions",
    "kron",  # an n x n matrix by an 8 x 8 one: 64 n^2 products
    lambda n, d, r: ((_square(n, r), _square(8, r)), {}),
    (16, 32, 64, 128),
    (16,),
)
_add("contractions", "trace", _matrix(_square), (100, 300, 1000, 2000), (300,))

# ---------------------------------------------------------------------- fft
_FFT_LENGTHS = (2**10, 2**12, 2**14, 2**16, 2**18)
_FFT_SIDES = (32, 64, 128, 256, 512)  # n x n transforms


def _half_spectrum(shape: Shape, rng: np.random.Generator) -> np.ndarray:
    """The last axis's ``n // 2 + 1`` coefficients of a real signal of ``shape``."""
    return _complex(rng, (*shape[:-1], shape[-1] // 2 + 1))


_add("fft", "fft.fft fft.ifft", _flat("complex"), _FFT_LENGTHS, (2**10,))
_add("fft", "fft.rfft fft.ihfft", _flat("real"), _FFT_LENGTHS, (2**10,))
_add(
    "fft",
    "fft.irfft fft.hfft",
    lambda n, d, r: ((_half_spectrum((n,), r),), {"n": n}),
    _FFT_LENGTHS,
    (2**10,),
)
_add(
    "fft",
    "fft.fft2 fft.ifft2 fft.fftn fft.ifftn",
    lambda n, d, r: ((_complex(r, (n, n)),), {}),
    _FFT_SIDES,
    (32,),
)
_add("fft", "fft.rfft2 fft.rfftn", lambda n, d, r: ((_square(n, r),), {}), _FFT_SIDES, (32,))
_add(
    "fft",
    "fft.irfft2 fft.irfftn",
    lambda n, d, r: ((_half_spectrum((n, n), r),), {"s": (n, n)}),
    _FFT_SIDES,
    (32,),
)
_add("fft", "fft.fftfreq fft.rfftfreq", lambda n, d, r: ((n,), {"d": 0.1}))

# ---------------------------------------------------------------------- sorting
_add("sorting", "sort argsort", _flat("real"), distributions=_SORTS)
_add(
    "sorting",
    "partition argpartition",  # the median's place
    lambda n, d, r: ((_draw("real", d, (n,), r), n // 2), {}),
    distributions=("normal", "sorted"),
)
_add(
    "sorting",
    "searchsorted",  # n values into n sorted ones
    lambda n, d, r: ((np.sort(_draw("real", d, (n,), r)), _draw("real", d, (n,), r)), {}),
    distributions=_SETS,
)
_add(
    "sorting",
    "lexsort",  # two keys
    lambda n, d, r: (((_draw("real", d, (n,), r), _draw("real", d, (n,), r)),), {}),
    distributions=_SETS,
)
_add(
    "sorting",
    "nonzero flatnonzero argwhere",  # half the entries zero
    lambda n, d, r: ((np.maximum(r.standard_normal(n), 0.0),), {}),
)
_add(
    "sorting",
    "unique unique_values unique_counts unique_inverse unique_all",
    _flat("real"),
    distributions=_SETS,
)
_add(
    "sorting",
    "union1d intersect1d setxor1d setdiff1d isin",
    _flat("real", "real"),
    distributions=_SETS,
)

# ---------------------------------------------------------------------- random
#: sampler -> its distribution parameters (before ``size``)
_SAMPLERS: dict[str, tuple] = {
    "random": (),
    "random_sample": (),
    "ranf": (),
    "sample": (),
    "standard_normal": (),
    "standard_cauchy": (),
    "standard_exponential": (),
    "chisquare": (3.0,),
    "exponential": (1.0,),
    "geometric": (0.3,),
    "logseries": (0.6,),
    "pareto": (3.0,),
    "poisson": (5.0,),
    "power": (2.0,),
    "rayleigh": (1.0,),
    "standard_gamma": (2.0,),
    "standard_t": (5.0,),
    "weibull": (2.0,),
    "zipf": (2.0,),
    "normal": (0.0, 1.0),
    "uniform": (0.0, 1.0),
    "beta": (2.0, 3.0),
    "binomial": (10, 0.3),
    "f": (5.0, 7.0),
    "gamma": (2.0, 1.0),
    "gumbel": (0.0, 1.0),
    "laplace": (0.0, 1.0),
    "logistic": (0.0, 1.0),
    "lognormal": (0.0, 1.0),
    "negative_binomial": (5, 0.5),
    "noncentral_chisquare": (3.0, 2.0),
    "vonmises": (0.0, 1.0),
    "wald": (1.0, 1.0),
    "randint": (0, 100),
    "random_integers": (1, 100),
    "hypergeometric": (20, 30, 10),
    "noncentral_f": (3.0, 5.0, 2.0),
    "triangular": (0.0, 1.0, 2.0),
}


def _seeded(build: Build) -> Build:
    """``build``, having seeded NumPy's global generator (the legacy functions draw from
    it) from the case's generator."""

    def seeded(n: int, d: str, r: np.random.Generator) -> tuple[tuple, dict]:
        np.random.seed(int(r.integers(2**32)))
        return build(n, d, r)

    return seeded


def _sampler(params: tuple) -> Build:
    """A sampler's parameters, then ``size=`` draws."""
    return _seeded(lambda n, d, r: (params, {"size": n}))


for _name, _params in _SAMPLERS.items():
    _add("random", "random." + _name, _sampler(_params))
_add("random", "random.rand random.randn", _seeded(lambda n, d, r: ((n,), {})))
_add("random", "random.shuffle random.permutation", _seeded(_flat("real")))
_add("random", "random.choice", _seeded(lambda n, d, r: ((n,), {"size": n})))
_add(
    "random",
    "random.multinomial",  # samples of 5 counts
    _seeded(lambda n, d, r: ((20, [0.2] * 5), {"size": n // 5})),
)
_add(
    "random",
    "random.dirichlet",  # samples of 5 components
    _seeded(lambda n, d, r: ((np.ones(5),), {"size": n // 5})),
)
_add(
    "random",
    "random.multivariate_normal",  # samples of 8 components
    _seeded(lambda n, d, r: ((np.zeros(8), _spd(8, r)), {"size": n // 8})),
)
_add("random", "random.bytes", _seeded(lambda n, d, r: ((n,), {})))

# ---------------------------------------------------------------------- polynomial
_add("polynomial", "poly", _flat("real"), (10, 30, 100, 300), (30,))  # from n roots
_add(
    "polynomial",
    "roots",  # the eigenvalues of the n x n companion matrix
    lambda n, d, r: ((r.standard_normal(n + 1),), {}),
    (8, 16, 32, 64),
    (16,),
    blas=True,
)
_add(
    "polynomial",
    "polyfit",  # degree 8 through n points
    lambda n, d, r: ((r.uniform(-1.0, 1.0, n), r.standard_normal(n), 8), {}),
    _ELEMENTS_SMALL,
    (10**3,),
    blas=True,
)
_add(
    "polynomial",
    "polyval",  # degree 8 at n points
    lambda n, d, r: ((r.standard_normal(9), r.uniform(-1.0, 1.0, n)), {}),
)
_add("polynomial", "polyadd polysub", _flat("real", "real"))
_add("polynomial", "polyder polyint", _flat("real"))
_add("polynomial", "polymul", _flat("real", "real"), (100, 300, 1000, 3000), (100,), blas=True)
_add(
    "polynomial",
    "polydiv",  # degree 2n - 1 by a monic-led degree n - 1: n quotient steps
    lambda n, d, r: ((r.standard_normal(2 * n), np.r_[1.0, r.standard_normal(n - 1)]), {}),
    (30, 100, 300, 1000),
    (30,),
)

# ---------------------------------------------------------------------- window
_add("window", "hanning hamming blackman bartlett", lambda n, d, r: ((n,), {}))
_add("window", "kaiser", lambda n, d, r: ((n, 14.0), {}), _ELEMENTS_SMALL, (10**3,))  # i0 per point


# ---------------------------------------------------------------------- misc
def _three(n: int, rng: np.random.Generator) -> list[np.ndarray]:
    return [rng.standard_normal(n) for _ in range(3)]


def _equal_pair(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two equal arrays that are not one buffer: every element is compared."""
    x = rng.standard_normal(n)
    return x, x.copy()


def _random_walk(n: int, rng: np.random.Generator) -> np.ndarray:
    """Phases that wander over many periods: ``unwrap`` corrects about half the steps."""
    return np.cumsum(rng.normal(0.0, 4.0, n))


_add("misc", "where", lambda n, d, r: ((r.standard_normal(n) > 0, *_three(n, r)[:2]), {}))
_add("misc", "clip", lambda n, d, r: ((r.standard_normal(n), -1.0, 1.0), {}))
_add("misc", "choose", lambda n, d, r: ((r.integers(0, 3, n), _three(n, r)), {}))
_add(
    "misc",
    "select",  # three conditions
    lambda n, d, r: (([c > 0 for c in _three(n, r)], _three(n, r)), {}),
)
_add("misc", "pad", _flat("real", mode="mean", pad_width=8))  # a statistic mode
_add(
    "misc",
    "convolve correlate",  # against a 100-tap filter
    lambda n, d, r: ((r.standard_normal(n), r.standard_normal(100)), {}),
    _ELEMENTS_SMALL,
    (10**3,),
    blas=True,
)
_add("misc", "histogram histogram_bin_edges", _flat("real", bins=64))
_add(
    "misc",
    "histogram2d",
    lambda n, d, r: ((r.standard_normal(n), r.standard_normal(n)), {"bins": 32}),
    _ELEMENTS_SMALL,
    (10**3,),
)
_add(
    "misc",
    "histogramdd",  # points in three dimensions
    lambda n, d, r: ((r.standard_normal((n, 3)),), {"bins": 10}),
    _ELEMENTS_SMALL,
    (10**3,),
)
_add("misc", "bincount", lambda n, d, r: ((r.integers(0, 1000, n),), {}))
_add(
    "misc",
    "digitize",  # into 100 edges
    lambda n, d, r: ((r.standard_normal(n), np.sort(r.standard_normal(100))), {}),
)
_add(
    "misc",
    "interp",  # on 100 sample points
    lambda n, d, r: (
        (r.standard_normal(n), np.sort(r.standard_normal(100)), r.standard_normal(100)),
        {},
    ),
)
_add(
    "misc",
    "cov corrcoef",  # 32 variables, n observations
    lambda n, d, r: ((r.standard_normal((32, n)),), {}),
    _ELEMENTS_SMALL,
    (10**3,),
    blas=True,
)
_add("misc", "diff ediff1d gradient trapezoid", _flat("real"))
_add("misc", "unwrap", lambda n, d, r: ((_random_walk(n, r),), {}))
_add("misc", "median", _flat("real"))
_add("misc", "nanmedian", _flat("real"), distributions=_NANS)
_add("misc", "percentile", _flat("real", q=50.0))
_add("misc", "quantile", _flat("real", q=0.5))
_add("misc", "nanpercentile", _flat("real", q=50.0), distributions=_NANS)
_add("misc", "nanquantile", _flat("real", q=0.5), distributions=_NANS)
_add("misc", "average", lambda n, d, r: ((r.standard_normal(n),), {"weights": r.random(n)}))
_add("misc", "linspace", lambda n, d, r: ((0.0, 1.0), {"num": n}))
_add("misc", "logspace", lambda n, d, r: ((0.0, 3.0), {"num": n}))
_add("misc", "geomspace", lambda n, d, r: ((1.0, 1000.0), {"num": n}))
_add(
    "misc",
    "vander",  # eight columns
    lambda n, d, r: ((r.uniform(-1.0, 1.0, n),), {"N": 8}),
    _ELEMENTS_SMALL,
    (10**3,),
)
_add(
    "misc",
    "cross",  # n pairs of 3-vectors
    lambda n, d, r: ((r.standard_normal((n, 3)), r.standard_normal((n, 3))), {}),
    _ELEMENTS_SMALL,
    (10**3,),
)
_add("misc", "isclose allclose array_equiv", _flat("real", "real"))
_add(
    "misc",
    "array_equal",
    lambda n, d, r: (_equal_pair(n, r), {}),
)
_add(
    "misc",
    "trim_zeros",  # a tenth zeros at each end
    lambda n, d, r: ((np.pad(r.standard_normal(n - n // 5), n // 10),), {}),
)
_add(
    "misc",
    "einsum_path",  # a chain of three matrices: planning only
    lambda n, d, r: (("ij,jk,kl->il", _square(n, r), _square(n, r), _square(n, r)), {}),
    (8, 32),
    (8,),
)


def _probability(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    return rng.uniform(0.001, 0.999, shape)


#: a point inside each distribution's support (``domain``) for stats.* methods
_STATS_SUPPORT: dict[str, tuple[Sampler, tuple]] = {
    "norm": (_normal, ()),
    "uniform": (_probability, ()),
    "expon": (lambda r, s: r.exponential(1.0, s), ()),
    "cauchy": (_normal, ()),
    "logistic": (_normal, ()),
    "laplace": (_normal, ()),
    "lognorm": (lambda r, s: r.lognormal(0.0, 0.8, s), (0.8,)),
    "truncnorm": (lambda r, s: r.uniform(-0.999, 1.999, s), (-1.0, 2.0)),
}


def _stats(dist: str, method: str) -> Build:
    """``x`` inside the support (``pdf``, ``cdf``, ...) or a probability ``q`` in (0, 1)
    (``ppf``, ``isf``), then the shape parameters."""
    support, shape = _STATS_SUPPORT[dist]
    first = _probability if METHODS[method] == "q" else support
    return lambda n, d, r: ((first(r, (n,)), *shape), {})


for _dist in DISTRIBUTIONS:
    for _method in METHODS:
        _add(
            "misc",
            f"stats.{_dist}.{_method}",
            _stats(_dist, _method),
            _ELEMENTS_SMALL,
            (10**3,),
            distributions=("domain",),
        )
