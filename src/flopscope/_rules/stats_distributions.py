"""Probability distributions (``flopscope.stats``): density, log-density, distribution
function, survival function and their inverses, per element.

Every method evaluates one closed-form expression per element of the broadcast of its
argument and parameters (``x`` or ``q``, the shape parameters, ``loc``, ``scale``), so
its cost is ``numel(output) * per_element``. ``per_element`` is the count of the
operations that expression does, written out for each row in :data:`PER_ELEMENT`:

* arithmetic: additions, subtractions, negations, multiplications, divisions, absolute
  values, and the comparisons that pick a branch or check the parameters (one, for the
  checks ``scale > 0``, the shape parameters' domain and the support, counted together);
* transcendental: ``exp``, ``log``, ``log1p``, ``expm1``, ``tan``, ``arctan2`` and the
  special functions of the normal and logistic distributions (``ndtr``, ``log_ndtr``,
  ``ndtri``, ``ndtri_exp``, ``expit``, ``logit``), one each.

The standardisation ``z = (x - loc) / scale`` is 2 operations, the rescaling of an inverse
``loc + scale * z`` 2, the division of a density by ``scale`` 1, and the subtraction of
``log(scale)`` from a log-density 2 (one of them the transcendental ``log``). Where a
row chooses between two formulas by the value of an element (both tails of ``laplace``,
the three cases of ``truncnorm``'s normalising mass), it is priced at the longer one, so
the same shapes always cost the same.

The analytical cost counts every operation as 1, like every other row (a cost query
returns it). The packaged weight of a row is its own, measured by the calibration runner
(``flopscope.calibration``) as the whole method's time per counted operation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .core import BAD_KINDS, broadcast_shape, dtype_error, numel
from .outputs import Out

__all__ = [
    "DISTRIBUTIONS",
    "METHODS",
    "PER_ELEMENT",
    "bind",
    "per_element",
    "stats_output",
    "stats_rule",
]

#: distribution -> names of its shape parameters (before ``loc`` and ``scale``)
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "norm": (),
    "uniform": (),
    "expon": (),
    "cauchy": (),
    "logistic": (),
    "laplace": (),
    "lognorm": ("s",),
    "truncnorm": ("a", "b"),
}

#: method -> the name of its first argument (SciPy's)
METHODS: dict[str, str] = {
    "pdf": "x",
    "logpdf": "x",
    "cdf": "x",
    "sf": "x",
    "ppf": "q",
    "isf": "q",
}

# (arithmetic, transcendental, what is counted) per element of the output
_Z = "(x - loc) / scale (2)"
_CHECK = "the checks (1)"
_RESCALE = "loc + scale * . (2)"
_LOG_SCALE = "- log(scale) (1 + log)"
# truncnorm's log normalising mass log(Phi(b) - Phi(a)), priced at its longest case (both
# bounds above 0): two comparisons choosing the case, two negations, two log_ndtr, and
# the difference in log space (a subtraction, a comparison choosing log(-expm1(d)) or
# log1p(-exp(d)), a negation, two transcendentals and an addition)
_MASS = (
    8,
    4,
    "the log mass logZ = log(Phi(b) - Phi(a)) (8 + log_ndtr x2, exp or expm1, log or log1p)",
)

PER_ELEMENT: dict[tuple[str, str], tuple[int, int, str]] = {
    # norm: scipy.special.ndtr / ndtri
    ("norm", "pdf"): (8, 1, f"{_Z}, exp(-z*z / 2) / sqrt(2 pi) (4 + exp), / scale (1), {_CHECK}"),
    ("norm", "logpdf"): (8, 1, f"{_Z}, -z*z / 2 - log(sqrt(2 pi)) (4), {_LOG_SCALE}, {_CHECK}"),
    ("norm", "cdf"): (3, 1, f"{_Z}, ndtr(z), {_CHECK}"),
    ("norm", "sf"): (4, 1, f"{_Z}, ndtr(-z) (1), {_CHECK}"),
    ("norm", "ppf"): (3, 1, f"ndtri(q), {_RESCALE}, {_CHECK}"),
    ("norm", "isf"): (4, 1, f"-ndtri(q) (1), {_RESCALE}, {_CHECK}"),
    # uniform on [loc, loc + scale]
    ("uniform", "pdf"): (4, 0, f"{_Z}, 1 / scale (1), {_CHECK}"),
    ("uniform", "logpdf"): (4, 1, f"{_Z}, {_LOG_SCALE}, {_CHECK}"),
    ("uniform", "cdf"): (3, 0, f"{_Z}, {_CHECK}"),
    ("uniform", "sf"): (4, 0, f"{_Z}, 1 - z (1), {_CHECK}"),
    ("uniform", "ppf"): (3, 0, f"{_RESCALE}, {_CHECK}"),
    ("uniform", "isf"): (4, 0, f"1 - q (1), {_RESCALE}, {_CHECK}"),
    # expon on [loc, inf)
    ("expon", "pdf"): (5, 1, f"{_Z}, exp(-z) (1 + exp), / scale (1), {_CHECK}"),
    ("expon", "logpdf"): (5, 1, f"{_Z}, -z (1), {_LOG_SCALE}, {_CHECK}"),
    ("expon", "cdf"): (5, 1, f"{_Z}, -expm1(-z) (2 + expm1), {_CHECK}"),
    ("expon", "sf"): (4, 1, f"{_Z}, exp(-z) (1 + exp), {_CHECK}"),
    ("expon", "ppf"): (5, 1, f"-log1p(-q) (2 + log1p), {_RESCALE}, {_CHECK}"),
    ("expon", "isf"): (4, 1, f"-log(q) (1 + log), {_RESCALE}, {_CHECK}"),
    # cauchy
    ("cauchy", "pdf"): (7, 0, f"{_Z}, 1 / pi / (1 + z*z) (3), / scale (1), {_CHECK}"),
    ("cauchy", "logpdf"): (
        11,
        3,
        f"{_Z}, |z| and its branch |z| < 1 (2), the longer branch -log(pi) - (2 log|z| + log1p((1/|z|)**2)) "
        f"(5 + log, log1p), {_LOG_SCALE}, {_CHECK}",
    ),
    ("cauchy", "cdf"): (5, 1, f"{_Z}, arctan2(1, -z) / pi (2 + arctan2), {_CHECK}"),
    ("cauchy", "sf"): (4, 1, f"{_Z}, arctan2(1, z) / pi (1 + arctan2), {_CHECK}"),
    ("cauchy", "ppf"): (
        9,
        1,
        "the side q > 1/2 and its tail p = q or 1 - q (2), 1 / tan(pi * p) with its sign "
        f"(3 + tan), the centre q = 1/2 (1), {_RESCALE}, {_CHECK}",
    ),
    ("cauchy", "isf"): (
        10,
        1,
        "the side q > 1/2 and its tail p = q or 1 - q (2), -1 / tan(pi * p) with its sign "
        f"(4 + tan), the centre q = 1/2 (1), {_RESCALE}, {_CHECK}",
    ),
    # logistic: scipy.special.expit / logit
    ("logistic", "pdf"): (
        8,
        3,
        f"{_Z}, y = -|z| (2), exp(y - 2 log1p(exp(y))) (2 + exp x2, log1p), / scale (1), {_CHECK}",
    ),
    ("logistic", "logpdf"): (
        8,
        3,
        f"{_Z}, y = -|z| (2), y - 2 log1p(exp(y)) (2 + exp, log1p), {_LOG_SCALE}, {_CHECK}",
    ),
    ("logistic", "cdf"): (3, 1, f"{_Z}, expit(z), {_CHECK}"),
    ("logistic", "sf"): (4, 1, f"{_Z}, expit(-z) (1), {_CHECK}"),
    ("logistic", "ppf"): (3, 1, f"logit(q), {_RESCALE}, {_CHECK}"),
    ("logistic", "isf"): (4, 1, f"-logit(q) (1), {_RESCALE}, {_CHECK}"),
    # laplace: both tails from one exp(-|z|)
    ("laplace", "pdf"): (7, 1, f"{_Z}, exp(-|z|) / 2 (3 + exp), / scale (1), {_CHECK}"),
    ("laplace", "logpdf"): (6, 1, f"{_Z}, -log(2) - |z| (2), {_LOG_SCALE}, {_CHECK}"),
    ("laplace", "cdf"): (
        8,
        1,
        f"{_Z}, e = exp(-|z|) / 2 (3 + exp), the side z > 0 and 1 - e (2), {_CHECK}",
    ),
    ("laplace", "sf"): (
        8,
        1,
        f"{_Z}, e = exp(-|z|) / 2 (3 + exp), the side z < 0 and 1 - e (2), {_CHECK}",
    ),
    ("laplace", "ppf"): (
        7,
        1,
        f"the side q > 1/2 and its tail q or 1 - q (2), log(2 p) with its sign (2 + log), "
        f"{_RESCALE}, {_CHECK}",
    ),
    ("laplace", "isf"): (
        8,
        1,
        f"the side q > 1/2 and its tail q or 1 - q (2), -log(2 p) with its sign (3 + log), "
        f"{_RESCALE}, {_CHECK}",
    ),
    # lognorm(s): log z is normal with standard deviation s
    ("lognorm", "pdf"): (
        12,
        3,
        f"{_Z}, exp(-log(z)**2 / (2 s**2) - log(s z sqrt(2 pi))) (8 + log x2, exp), "
        f"/ scale (1), {_CHECK}",
    ),
    ("lognorm", "logpdf"): (
        12,
        3,
        f"{_Z}, -log(z)**2 / (2 s**2) - log(s z sqrt(2 pi)) (8 + log x2), {_LOG_SCALE}, {_CHECK}",
    ),
    ("lognorm", "cdf"): (4, 2, f"{_Z}, ndtr(log(z) / s) (1 + log, ndtr), {_CHECK}"),
    ("lognorm", "sf"): (5, 2, f"{_Z}, ndtr(-log(z) / s) (2 + log, ndtr), {_CHECK}"),
    ("lognorm", "ppf"): (4, 2, f"exp(s ndtri(q)) (1 + ndtri, exp), {_RESCALE}, {_CHECK}"),
    ("lognorm", "isf"): (5, 2, f"exp(-s ndtri(q)) (2 + ndtri, exp), {_RESCALE}, {_CHECK}"),
    # truncnorm(a, b): the standard normal restricted to [a, b]
    ("truncnorm", "pdf"): (
        9 + _MASS[0],
        1 + _MASS[1],
        f"{_Z}, exp(-z*z / 2 - log(sqrt(2 pi)) - logZ) (5 + exp), {_MASS[2]}, / scale (1), "
        f"{_CHECK}",
    ),
    ("truncnorm", "logpdf"): (
        9 + _MASS[0],
        1 + _MASS[1],
        f"{_Z}, -z*z / 2 - log(sqrt(2 pi)) - logZ (5), {_MASS[2]}, {_LOG_SCALE}, {_CHECK}",
    ),
    ("truncnorm", "cdf"): (
        7 + 3 * _MASS[0],
        3 + 3 * _MASS[1],
        f"{_Z}, the log masses of [a, z], [z, b] and [a, b] (3 x {_MASS[2]}), "
        "exp(log cdf), log cdf = the masses' difference or, near 0, log1p(-exp(log sf)) "
        f"(4 + exp x2, log1p), {_CHECK}",
    ),
    ("truncnorm", "sf"): (
        7 + 3 * _MASS[0],
        3 + 3 * _MASS[1],
        f"{_Z}, the log masses of [a, z], [z, b] and [a, b] (3 x {_MASS[2]}), "
        "exp(log sf), log sf = the masses' difference or, near 0, log1p(-exp(log cdf)) "
        f"(4 + exp x2, log1p), {_CHECK}",
    ),
    ("truncnorm", "ppf"): (
        8 + _MASS[0],
        4 + _MASS[1],
        "the side a < 0 (1), -ndtri_exp(logaddexp(log_ndtr(-b), log1p(-q) + logZ)) or its "
        f"mirror (4 + log_ndtr, log1p, logaddexp, ndtri_exp), {_MASS[2]}, {_RESCALE}, "
        f"{_CHECK}",
    ),
    ("truncnorm", "isf"): (
        12 + _MASS[0],
        5 + _MASS[1],
        "the side b < 0 (1), -ndtri_exp(log(Phi(-a) - (1 - q) exp(logZ))) or its mirror, "
        "the difference in log space as logZ's (8 + log_ndtr, log1p, exp or expm1, log or "
        f"log1p, ndtri_exp), {_MASS[2]}, {_RESCALE}, {_CHECK}",
    ),
}


def per_element(dist: str, method: str) -> int:
    """Operations per output element of ``stats.<dist>.<method>`` (every one counted 1)."""
    arithmetic, transcendental, _ = PER_ELEMENT[(dist, method)]
    return arithmetic + transcendental


def bind(dist: str, method: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    """SciPy's binding of a call ``<dist>.<method>(args, kwargs)``: the first argument
    (``x`` or ``q``), the shape parameters, then ``loc=0`` and ``scale=1``, by position or
    keyword. A missing, repeated or unknown argument is SciPy's ``TypeError``."""
    names = (METHODS[method], *DISTRIBUTIONS[dist], "loc", "scale")
    label = f"{dist}.{method}()"
    if len(args) > len(names):
        raise TypeError(
            f"{label} takes at most {len(names)} arguments ({len(args)} given): " + ", ".join(names)
        )
    bound: dict[str, Any] = dict(zip(names, args))
    for key, value in kwargs.items():
        if key not in names:
            raise TypeError(f"{label} got an unexpected keyword argument {key!r}")
        if key in bound:
            raise TypeError(f"{label} got multiple values for argument {key!r}")
        bound[key] = value
    missing = [n for n in names[:-2] if n not in bound]
    if missing:
        raise TypeError(f"{label} missing required argument(s): {', '.join(missing)}")
    bound.setdefault("loc", 0.0)
    bound.setdefault("scale", 1.0)
    return {n: bound[n] for n in names}


_PY_REALS = (float, int, bool)


def _shape_of_real(value: Any, name: str) -> tuple[int, ...]:
    """The shape of a real-valued argument; non-numeric or complex data is refused."""
    if type(value) in _PY_REALS:
        return ()
    dtype = getattr(value, "dtype", None)
    shape = getattr(value, "shape", None)
    if dtype is None or type(shape) is not tuple:
        array = np.asarray(value)  # a list or other sequence: its shape and dtype
        dtype, shape = array.dtype, array.shape
        value = array
    if dtype.kind in BAD_KINDS or dtype.kind == "c":
        raise dtype_error(value, name)
    return shape


def stats_rule(dist: str, method: str) -> Callable[[tuple, dict], int]:
    """The cost rule of ``stats.<dist>.<method>``: ``numel(output) * per_element``."""
    arithmetic, transcendental, counted_ops = PER_ELEMENT[(dist, method)]
    per = arithmetic + transcendental
    name = f"stats.{dist}.{method}"

    def rule(args: tuple, kwargs: dict) -> int:
        bound = bind(dist, method, args, kwargs)
        shapes = [_shape_of_real(value, name) for value in bound.values()]
        return numel(broadcast_shape(*shapes)) * per

    rule.__doc__ = (
        f"numel(output) * {per} ({arithmetic} arithmetic + {transcendental} transcendental "
        f"per element), output the broadcast of {', '.join(bound_names(dist, method))}: "
        f"{counted_ops}."
    )
    rule.__name__ = rule.__qualname__ = f"{dist}_{method}_rule"
    rule.per_element = per  # type: ignore[attr-defined]
    return rule


def bound_names(dist: str, method: str) -> tuple[str, ...]:
    """The argument names of ``<dist>.<method>``, first argument to ``scale``."""
    return (METHODS[method], *DISTRIBUTIONS[dist], "loc", "scale")


# ---------------------------------------------------------------------- output rules
_FLOAT64 = np.dtype(np.float64)


def stats_output(dist: str, method: str) -> Callable[[tuple, dict], Out]:
    """The output rule of ``stats.<dist>.<method>`` (for a dry run: see ``outputs``)."""
    name = f"stats.{dist}.{method}"

    def output(args: tuple, kwargs: dict) -> Out:
        bound = bind(dist, method, args, kwargs)
        shapes = [_shape_of_real(value, name) for value in bound.values()]
        return Out(broadcast_shape(*shapes), _FLOAT64)

    output.__doc__ = (
        f"The broadcast of {', '.join(bound_names(dist, method))}, float64 (a NumPy "
        "scalar for scalar arguments): every argument is evaluated as float64."
    )
    output.__name__ = output.__qualname__ = f"{dist}_{method}_output"
    return output
