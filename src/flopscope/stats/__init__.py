"""``flopscope.stats``: counted probability distributions, called as in ``scipy.stats``.

    import flopscope as flops

    flops.stats.norm.pdf(x, loc=0, scale=1)
    flops.stats.lognorm.cdf(x, 0.5, scale=2.0)   # shape parameter s
    flops.stats.truncnorm.ppf(q, -1.0, 2.0)      # shape parameters a, b

Each distribution (``norm``, ``uniform``, ``expon``, ``cauchy``, ``logistic``,
``laplace``, ``lognorm``, ``truncnorm``) has ``pdf``, ``logpdf``, ``cdf``, ``sf``,
``ppf`` and ``isf``, taking SciPy's arguments (the shape parameters, then ``loc`` and
``scale``, by position or keyword) and broadcasting them with ``x`` / ``q``. Invalid
parameters (``scale <= 0``, ``s <= 0``, ``a >= b``) give NaN, as in SciPy. Results are
counted arrays, float64.

Each method is a counted operation (the registry row ``stats.<dist>.<method>``): it costs
``numel(output) * per_element``, the count of the operations its formula does per
element (``python -m flopscope ops stats`` lists them), charged before it runs. SciPy's
special functions do the evaluation; SciPy is imported on the first call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._dispatch import COUNTED as _COUNTED
from .._rules.stats_distributions import DISTRIBUTIONS as _DISTRIBUTIONS
from .._rules.stats_distributions import METHODS as _METHODS


class Distribution:
    """A distribution's counted methods, called like ``scipy.stats``'s (unfrozen)."""

    pdf: Callable[..., Any]
    logpdf: Callable[..., Any]
    cdf: Callable[..., Any]
    sf: Callable[..., Any]
    ppf: Callable[..., Any]
    isf: Callable[..., Any]

    def __init__(self, name: str) -> None:
        self.name = name
        self.shapes = _DISTRIBUTIONS[name]
        for method in _METHODS:
            setattr(self, method, _COUNTED[f"stats.{name}.{method}"])

    def __repr__(self) -> str:
        params = ", ".join((*self.shapes, "loc", "scale"))
        return f"<flopscope.stats.{self.name}({params})>"


norm = Distribution("norm")
uniform = Distribution("uniform")
expon = Distribution("expon")
cauchy = Distribution("cauchy")
logistic = Distribution("logistic")
laplace = Distribution("laplace")
lognorm = Distribution("lognorm")
truncnorm = Distribution("truncnorm")

__all__ = [
    "Distribution",
    "cauchy",
    "expon",
    "laplace",
    "logistic",
    "lognorm",
    "norm",
    "truncnorm",
    "uniform",
]
