"""The distributions of ``flopscope.stats``: SciPy's formulas, evaluated on plain arrays.

Each method follows ``scipy.stats``'s conventions (its arguments, broadcasting, support,
NaN for invalid parameters, the bounds of the support at ``q = 0`` and ``q = 1``) and
evaluates the same closed forms with ``scipy.special``'s functions. ``scipy.special`` is
imported on the first evaluation, never when flopscope is imported.

These are the registry rows' backends: the dispatch has priced and charged the call
before one of them runs (``flopscope._rules.stats_distributions`` gives the cost).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._rules.stats_distributions import DISTRIBUTIONS, METHODS, bind

__all__ = ["backend", "reference"]

_special: Any = None


def _sc() -> Any:
    """``scipy.special``, imported once, on first use."""
    global _special
    if _special is None:
        import scipy.special

        _special = scipy.special
    return _special


_NORM_PDF_C = math.sqrt(2 * math.pi)
_NORM_PDF_LOG_C = math.log(_NORM_PDF_C)
_LOG_PI = math.log(math.pi)
_LOG_2 = math.log(2.0)
_INF = math.inf

Array = np.ndarray


# ---------------------------------------------------------------------- normal helpers
def _log_diff(log_p: Array, log_q: Array) -> Array:
    """log(p - q) from log p and log q (p > q): log p + log(1 - exp(d)), d = log q - log p,
    as log(-expm1(d)) near d = 0 and log1p(-exp(d)) below -log 2 (each where it keeps
    its digits)."""
    sc = _sc()
    log_p, d = np.broadcast_arrays(log_p, np.asarray(log_q - log_p))
    out = np.empty(d.shape)
    near = d > -_LOG_2
    out[near] = np.log(-sc.expm1(d[near]))
    out[~near] = sc.log1p(-np.exp(d[~near]))
    return log_p + out


def _log_gauss_mass(a: Array, b: Array) -> Array:
    """log(Phi(b) - Phi(a)), the standard normal's mass on [a, b], each case in the tail
    where it is accurate (SciPy's ``_log_gauss_mass``)."""
    sc = _sc()
    a, b = np.broadcast_arrays(a, b)
    out = np.empty(a.shape)
    left = b <= 0
    right = a > 0
    central = ~(left | right)
    if left.any():
        out[left] = _log_diff(sc.log_ndtr(b[left]), sc.log_ndtr(a[left]))
    if right.any():
        out[right] = _log_diff(sc.log_ndtr(-a[right]), sc.log_ndtr(-b[right]))
    if central.any():
        out[central] = sc.log1p(-sc.ndtr(a[central]) - sc.ndtr(-b[central]))
    return out


# ---------------------------------------------------------------------- the standard forms
# Each distribution in its standard form (loc 0, scale 1): the support and the density,
# distribution function and inverses of the standardised variable. The shape parameters
# come after it, already restricted to the elements being evaluated.
def _norm() -> dict[str, Callable[..., Array]]:
    def pdf(z: Array) -> Array:
        return np.exp(-(z**2) / 2.0) / _NORM_PDF_C

    def logpdf(z: Array) -> Array:
        return -(z**2) / 2.0 - _NORM_PDF_LOG_C

    return {
        "pdf": pdf,
        "logpdf": logpdf,
        "cdf": lambda z: _sc().ndtr(z),
        "sf": lambda z: _sc().ndtr(-z),
        "ppf": lambda q: _sc().ndtri(q),
        "isf": lambda q: -_sc().ndtri(q),
    }


def _uniform() -> dict[str, Callable[..., Array]]:
    return {
        "pdf": lambda z: np.ones_like(z),
        "logpdf": lambda z: np.zeros_like(z),
        "cdf": lambda z: z,
        "sf": lambda z: 1.0 - z,
        "ppf": lambda q: q,
        "isf": lambda q: 1.0 - q,
    }


def _expon() -> dict[str, Callable[..., Array]]:
    return {
        "pdf": lambda z: np.exp(-z),
        "logpdf": lambda z: -z,
        "cdf": lambda z: -_sc().expm1(-z),
        "sf": lambda z: np.exp(-z),
        "ppf": lambda q: -_sc().log1p(-q),
        "isf": lambda q: -np.log(q),
    }


def _cauchy_ppf(q: Array) -> Array:
    # 1 / tan(pi * p) on the nearer tail p: tan(pi * (q - 1/2)) loses the tails' digits
    upper = q > 0.5
    p = np.where(upper, 1.0 - q, q)
    with np.errstate(divide="ignore"):
        t = 1.0 / np.tan(np.pi * p)
    out = np.where(upper, t, -t)
    return np.where(q == 0.5, 0.0, out)


def _cauchy() -> dict[str, Callable[..., Array]]:
    def logpdf(z: Array) -> Array:
        absz = np.abs(z)
        near = absz < 1
        out = np.empty(z.shape)
        out[near] = -_LOG_PI - np.log1p(absz[near] ** 2)
        far = absz[~near]
        out[~near] = -_LOG_PI - (2 * np.log(far) + np.log1p((1 / far) ** 2))
        return out

    return {
        "pdf": lambda z: 1.0 / np.pi / (1.0 + z * z),
        "logpdf": logpdf,
        "cdf": lambda z: np.arctan2(1, -z) / np.pi,
        "sf": lambda z: np.arctan2(1, z) / np.pi,
        "ppf": _cauchy_ppf,
        "isf": lambda q: -_cauchy_ppf(q),
    }


def _logistic() -> dict[str, Callable[..., Array]]:
    def logpdf(z: Array) -> Array:
        y = -np.abs(z)
        return y - 2.0 * _sc().log1p(np.exp(y))

    return {
        "pdf": lambda z: np.exp(logpdf(z)),
        "logpdf": logpdf,
        "cdf": lambda z: _sc().expit(z),
        "sf": lambda z: _sc().expit(-z),
        "ppf": lambda q: _sc().logit(q),
        "isf": lambda q: -_sc().logit(q),
    }


def _laplace_ppf(q: Array) -> Array:
    upper = q > 0.5
    v = np.log(2 * np.where(upper, 1 - q, q))
    return np.where(upper, -v, v)


def _laplace() -> dict[str, Callable[..., Array]]:
    def half_tail(z: Array) -> Array:
        return 0.5 * np.exp(-np.abs(z))

    def cdf(z: Array) -> Array:
        e = half_tail(z)
        return np.where(z > 0, 1.0 - e, e)

    def sf(z: Array) -> Array:
        e = half_tail(z)
        return np.where(z < 0, 1.0 - e, e)

    return {
        "pdf": half_tail,
        "logpdf": lambda z: -_LOG_2 - np.abs(z),
        "cdf": cdf,
        "sf": sf,
        "ppf": _laplace_ppf,
        "isf": lambda q: -_laplace_ppf(q),
    }


def _lognorm() -> dict[str, Callable[..., Array]]:
    def logpdf(z: Array, s: Array) -> Array:
        return -(np.log(z) ** 2) / (2 * s**2) - np.log(s * z * _NORM_PDF_C)

    return {
        "pdf": lambda z, s: np.exp(logpdf(z, s)),
        "logpdf": logpdf,
        "cdf": lambda z, s: _sc().ndtr(np.log(z) / s),
        "sf": lambda z, s: _sc().ndtr(-(np.log(z) / s)),
        "ppf": lambda q, s: np.exp(s * _sc().ndtri(q)),
        "isf": lambda q, s: np.exp(s * -_sc().ndtri(q)),
    }


def _truncnorm_cdf(z: Array, a: Array, b: Array, upper_tail: bool) -> Array:
    """cdf (sf with ``upper_tail``) from the log masses of [a, z] and [z, b]; where it is
    near 1, as 1 - the other tail (log1p(-exp(.)): no cancellation)."""
    log_mass = _log_gauss_mass(a, b)
    log_cdf = _log_gauss_mass(a, z) - log_mass
    log_sf = _log_gauss_mass(z, b) - log_mass
    if upper_tail:
        log_cdf, log_sf = log_sf, log_cdf
    return np.exp(np.where(log_cdf > -0.1, _sc().log1p(-np.exp(log_sf)), log_cdf))


def _truncnorm_ppf(q: Array, a: Array, b: Array) -> Array:
    sc = _sc()
    log_mass = _log_gauss_mass(a, b)
    left = a < 0
    out = np.empty(q.shape)
    ql, al, ml = q[left], a[left], log_mass[left]
    out[left] = sc.ndtri_exp(np.logaddexp(sc.log_ndtr(al), np.log(ql) + ml))
    qr, br, mr = q[~left], b[~left], log_mass[~left]
    out[~left] = -sc.ndtri_exp(np.logaddexp(sc.log_ndtr(-br), sc.log1p(-qr) + mr))
    return out


def _truncnorm_isf(q: Array, a: Array, b: Array) -> Array:
    sc = _sc()
    log_mass = _log_gauss_mass(a, b)
    left = b < 0
    out = np.empty(q.shape)
    ql, bl, ml = q[left], b[left], log_mass[left]
    out[left] = sc.ndtri_exp(_log_diff(sc.log_ndtr(bl), np.log(ql) + ml))
    qr, ar, mr = q[~left], a[~left], log_mass[~left]
    out[~left] = -sc.ndtri_exp(_log_diff(sc.log_ndtr(-ar), sc.log1p(-qr) + mr))
    return out


def _truncnorm() -> dict[str, Callable[..., Array]]:
    def logpdf(z: Array, a: Array, b: Array) -> Array:
        return -(z**2) / 2.0 - _NORM_PDF_LOG_C - _log_gauss_mass(a, b)

    return {
        "pdf": lambda z, a, b: np.exp(logpdf(z, a, b)),
        "logpdf": logpdf,
        "cdf": lambda z, a, b: _truncnorm_cdf(z, a, b, upper_tail=False),
        "sf": lambda z, a, b: _truncnorm_cdf(z, a, b, upper_tail=True),
        "ppf": _truncnorm_ppf,
        "isf": _truncnorm_isf,
    }


def _positive(*shape: Array) -> Array:
    out: Any = True
    for p in shape:
        out = out & (p > 0)
    return np.asarray(out)


class _Standard:
    """A distribution's standard form: its formulas, support and parameter check."""

    def __init__(
        self,
        forms: dict[str, Callable[..., Array]],
        support: Callable[..., tuple[Any, Any]] = lambda *shape: (-_INF, _INF),
        check: Callable[..., Array] = _positive,
        open_density_support: bool = False,
    ) -> None:
        self.forms = forms
        self.support = support
        self.check = check
        self.open_density_support = open_density_support  # lognorm: pdf(0) is 0


_STANDARD: dict[str, _Standard] = {
    "norm": _Standard(_norm()),
    "uniform": _Standard(_uniform(), support=lambda: (0.0, 1.0)),
    "expon": _Standard(_expon(), support=lambda: (0.0, _INF)),
    "cauchy": _Standard(_cauchy()),
    "logistic": _Standard(_logistic()),
    "laplace": _Standard(_laplace()),
    "lognorm": _Standard(_lognorm(), support=lambda s: (0.0, _INF), open_density_support=True),
    "truncnorm": _Standard(
        _truncnorm(), support=lambda a, b: (a, b), check=lambda a, b: np.asarray(a < b)
    ),
}


# ---------------------------------------------------------------------- the methods
def _arguments(dist: str, method: str, args: tuple, kwargs: dict) -> list[Array]:
    """The bound arguments as float64 arrays, broadcast together."""
    bound = bind(dist, method, args, kwargs)
    arrays = [np.asarray(v, dtype=np.float64) for v in bound.values()]
    return [np.asarray(a) for a in np.broadcast_arrays(*arrays)]


def _select(mask: Array, arrays: list[Array]) -> list[Array]:
    return [a[mask] for a in arrays]


def _evaluate(dist: str, method: str, args: tuple, kwargs: dict) -> Any:
    standard = _STANDARD[dist]
    first, *rest = _arguments(dist, method, args, kwargs)
    *shape, loc, scale = rest
    form = standard.forms[method]
    lower, upper = standard.support(*shape)
    with np.errstate(all="ignore"):
        valid = standard.check(*shape) & (scale > 0)
        if method in ("ppf", "isf"):
            out = _inverse(method, form, first, shape, loc, scale, valid, lower, upper)
        else:
            out = _forward(method, form, first, shape, loc, scale, valid, standard, lower, upper)
    return out[()] if out.ndim == 0 else out


def _forward(
    method: str,
    form: Callable[..., Array],
    x: Array,
    shape: list[Array],
    loc: Array,
    scale: Array,
    valid: Array,
    standard: _Standard,
    lower: Any,
    upper: Any,
) -> Array:
    z = (x - loc) / scale
    if method in ("pdf", "logpdf"):
        if standard.open_density_support:
            inside = (lower < z) & (z < upper)
        else:
            inside = (lower <= z) & (z <= upper)
        out = np.full(z.shape, -_INF if method == "logpdf" else 0.0)
    else:
        inside = (lower < z) & (z < upper)
        out = np.zeros(z.shape)
        # beyond the support's far end: certain (cdf) / at or below its near end (sf)
        beyond = (z >= upper) if method == "cdf" else (z <= lower)
        out[valid & beyond] = 1.0
    out[~valid | np.isnan(z)] = np.nan
    good = valid & inside
    if good.any():
        zg, *shape_g = _select(good, [z, *shape])
        value = form(zg, *shape_g)
        if method == "pdf":
            value = value / scale[good]
        elif method == "logpdf":
            value = value - np.log(scale[good])
        out[good] = value
    return out


def _inverse(
    method: str,
    form: Callable[..., Array],
    q: Array,
    shape: list[Array],
    loc: Array,
    scale: Array,
    valid: Array,
    lower: Any,
    upper: Any,
) -> Array:
    valid = valid & (loc == loc)
    out = np.full(q.shape, np.nan)
    low_end, high_end = (q == 0, q == 1) if method == "ppf" else (q == 1, q == 0)
    at_lower = valid & low_end
    at_upper = valid & high_end
    # the ends of the support, scaled: -inf for the normal, loc for the uniform's lower end
    out[at_lower] = (np.broadcast_to(lower, q.shape) * scale + loc)[at_lower]
    out[at_upper] = (np.broadcast_to(upper, q.shape) * scale + loc)[at_upper]
    good = valid & (q > 0) & (q < 1)
    if good.any():
        qg, *shape_g = _select(good, [q, *shape])
        out[good] = form(qg, *shape_g) * scale[good] + loc[good]
    return out


def backend(dist: str, method: str) -> Callable[..., Any]:
    """The implementation of ``stats.<dist>.<method>`` (a registry row's backend)."""
    first = METHODS[method]
    params = ", ".join((*DISTRIBUTIONS[dist], "loc=0, scale=1"))

    def evaluate(*args: Any, **kwargs: Any) -> Any:
        return _evaluate(dist, method, args, kwargs)

    evaluate.__name__ = method
    evaluate.__qualname__ = f"{dist}.{method}"
    evaluate.__doc__ = (
        f"{dist}.{method}({first}, {params}): as scipy.stats.{dist}.{method}, broadcasting "
        f"{first} and the parameters; NaN where the parameters are invalid (scale <= 0)."
    )
    return evaluate


def reference(dist: str, method: str) -> Callable[..., Any]:
    """``scipy.stats.<dist>.<method>``, looked up when first called (the row's
    counterpart, against which its values are checked)."""

    def scipy_method(*args: Any, **kwargs: Any) -> Any:
        import scipy.stats

        return getattr(getattr(scipy.stats, dist), method)(*args, **kwargs)

    scipy_method.__name__ = method
    scipy_method.__qualname__ = f"{dist}.{method}"
    scipy_method.__doc__ = f"scipy.stats.{dist}.{method}"
    return scipy_method
