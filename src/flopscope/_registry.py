"""The operation registry: every NumPy callable flopscope exposes, as one row each.

A row (:class:`Op`) is data: the public name (dotted for submodules: ``"random.randn"``),
the NumPy callable, the category, the cost rule, whether the rule counts fused
multiply-adds, and notes. ``_dispatch.make_counted`` turns a row into the counted
callable and ``flopscope.numpy`` is built from these rows; nothing else lists operations.

Categories (seed 000):

=====================  ===============================================================
``counted_unary``      scalar math on each element: ``numel(output)``
``counted_binary``     elementwise binary operation: ``numel(output)`` after broadcasting
``counted_reduction``  reduce an array: ``numel(input)``
``counted_custom``     a bespoke rule (matmul, einsum, sort, sampling, ...)
``free``               no arithmetic: 0 FLOPs, nothing recorded
``blocked``            refused: raises ``AttributeError`` saying why
=====================  ===============================================================

NumPy names that are in none of these rows are listed by :func:`pending` (classified in
a later release); using one raises :class:`~flopscope.errors.UnsupportedFunctionError`
rather than computing uncounted. A test checks that every public NumPy callable is in
exactly one place.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _rules as rules
from . import _stats
from ._poly1d import CountedPoly1d, numpy_backend
from ._rules import contractions as contraction_rules
from ._rules import creation as creation_rules
from ._rules import fft as fft_rules
from ._rules import linalg as linalg_rules
from ._rules import outputs
from ._rules import random as random_rules
from ._rules import sets as sets_rules
from ._rules import signal as signal_rules
from ._rules import sorting as sorting_rules
from ._rules import statistics as statistics_rules
from ._rules import stats_distributions as stats_rules
from ._rules.pointwise import choose_output, clip_output, select_output, where_output

CATEGORIES = (
    "counted_unary",
    "counted_binary",
    "counted_reduction",
    "counted_custom",
    "free",
    "blocked",
)


#: a row's fields, in the order ``Op(...)`` takes them
_OP_FIELDS = (
    "name",
    "impl",
    "category",
    "rule",
    "fma",
    "notes",
    "alias_of",
    "billed_as",
    "backend",
    "output",
)


class Op:
    """One registry row: immutable, compared and hashed by its fields.

    (A hand-written value class, not a dataclass: generating one costs about a
    millisecond of every import.)"""

    __slots__ = _OP_FIELDS
    name: str
    impl: Any  # the NumPy callable (None for a blocked name NumPy no longer has)
    category: str
    rule: Callable[[tuple, dict], int] | None
    fma: bool  # the rule counts fused multiply-adds (priced by fma_cost)
    notes: str
    alias_of: str | None  # another name for the same NumPy callable
    #: a NumPy twin of another row (``in1d`` of ``isin``, ``trapz`` of ``trapezoid``): it
    #: runs as itself but is priced, weighted and recorded under that row's name, so no
    #: spelling is cheaper than its twin
    billed_as: str | None
    #: flopscope's own implementation, run instead of NumPy's (pickle-free file I/O)
    backend: Callable[..., Any] | None
    #: what a call returns, from its arguments' shapes (``_rules/outputs.py``): the
    #: stand-ins a dry run hands back instead of running NumPy. Ufunc rows need none
    output: Callable[[tuple, dict], Any] | None

    def __init__(
        self,
        name: str,
        impl: Any,
        category: str,
        rule: Callable[[tuple, dict], int] | None = None,
        fma: bool = False,
        notes: str = "",
        alias_of: str | None = None,
        billed_as: str | None = None,
        backend: Callable[..., Any] | None = None,
        output: Callable[[tuple, dict], Any] | None = None,
    ) -> None:
        if category not in CATEGORIES:
            raise ValueError(f"{name}: unknown category {category!r}")
        counted = category.startswith("counted")
        if counted and rule is None:
            raise ValueError(f"{name}: a counted row needs a cost rule")
        if not counted and rule is not None:
            raise ValueError(f"{name}: a {category} row takes no cost rule")
        init = object.__setattr__
        init(self, "name", name)
        init(self, "impl", impl)
        init(self, "category", category)
        init(self, "rule", rule)
        init(self, "fma", fma)
        init(self, "notes", notes)
        init(self, "alias_of", alias_of)
        init(self, "billed_as", billed_as)
        init(self, "backend", backend)
        init(self, "output", output)

    def _fields(self) -> tuple:
        return tuple(getattr(self, field) for field in _OP_FIELDS)

    def replace(self, **changes: Any) -> Op:
        """A copy with ``changes`` (checked as a new row is)."""
        return Op(
            **{field: changes.pop(field, getattr(self, field)) for field in _OP_FIELDS}, **changes
        )

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"registry rows are immutable: cannot assign to {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"registry rows are immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not Op:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{field}={getattr(self, field)!r}" for field in _OP_FIELDS)
        return f"Op({fields})"

    @property
    def module(self) -> str:
        """``"numpy"``, ``"numpy.random"``, ... : where the name lives in NumPy; for a
        row of flopscope's own modules (``"stats.norm.pdf"``), that module (``"stats"``)."""
        head, _, _ = self.name.rpartition(".")
        top = head.partition(".")[0]
        if top in OWN_MODULES:
            return top
        return "numpy" + ("." + head if head else "")

    @property
    def short_name(self) -> str:
        return self.name.rpartition(".")[2]

    @property
    def billing_name(self) -> str:
        """The name charges are weighted and recorded under."""
        return self.billed_as or self.alias_of or self.name

    @property
    def is_ufunc(self) -> bool:
        return isinstance(self.impl, np.ufunc)

    @property
    def formula(self) -> str:
        """The documented cost formula (the rule's docstring)."""
        if self.category == "free":
            return "0 (free)"
        if self.category == "blocked":
            return "blocked: " + self.notes
        doc = (self.rule.__doc__ or "").strip().split("\n\n")[0]
        return " ".join(doc.split())


REGISTRY: dict[str, Op] = {}

#: flopscope's own modules with registry rows (no NumPy counterpart): a row
#: ``"stats.norm.pdf"`` is ``flopscope.stats.norm.pdf``
OWN_MODULES = frozenset({"stats"})


def _add(op: Op) -> None:
    if op.name in REGISTRY:
        raise ValueError(f"operation {op.name!r} is registered twice")
    REGISTRY[op.name] = op


def _numpy_attr(name: str) -> Any:
    obj: Any = np
    for part in name.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def counted(
    category: str,
    names: str,
    rule: Callable | None = None,
    *,
    fma: bool = False,
    notes: str = "",
    prefix: str = "",
    output: Callable | None = None,
) -> None:
    """Register each whitespace-separated name of NumPy as a counted row (``output``: its
    output rule, see :class:`Op`). Rows of a submodule NumPy loads on first use
    (``numpy.random``) name their callables without loading it (:class:`Deferred`)."""
    for name in names.split():
        full = prefix + name
        impl = Deferred(full) if prefix in DEFERRED_PREFIXES else _numpy_attr(full)
        if impl is None:  # absent from this NumPy version
            continue
        _add(Op(full, impl, category, rule, fma, notes, output=output))


#: NumPy submodules that NumPy loads on first use, and so does flopscope: importing them
#: would add a third to flopscope's import time (``numpy.testing`` brings unittest,
#: concurrent.futures and importlib.metadata; ``numpy.random`` its bit generators;
#: ``numpy.fft`` its pocketfft extension)
DEFERRED_PREFIXES = frozenset({"testing.", "random.", "fft."})


class Deferred:
    """A callable of a NumPy submodule that NumPy itself loads on first use
    (:data:`DEFERRED_PREFIXES`). Its row names it without loading the submodule;
    ``_dispatch.COUNTED`` builds the row's callable, and the submodule loads, when the
    row is first asked for (``flopscope.numpy.testing`` and ``flopscope.numpy.random``
    are imported on first use too). Every such name is in NumPy 2.0 to 2.5; one that a
    later NumPy drops raises AttributeError when called, naming it."""

    __slots__ = ("module", "path")

    def __init__(self, path: str, module: str = "numpy") -> None:
        self.path = path
        #: where ``path`` lives: NumPy, or a module of flopscope's own (a backend whose
        #: module is loaded on first use, as ``flopscope._einsum`` is)
        self.module = module

    def resolve(self) -> Any:
        if self.module != "numpy":
            return getattr(importlib.import_module(self.module), self.path)
        impl = _numpy_attr(self.path)
        if impl is None:
            raise AttributeError(f"numpy.{self.path} is not in this NumPy version")
        return impl

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<{self.module}.{self.path}, loaded on first use>"


def resolved(name: str) -> Op:
    """The row ``name``, its NumPy callable and backend loaded (a :class:`Deferred` one is
    replaced, in the registry, by the callable it names)."""
    op = REGISTRY[name]
    if type(op.impl) is Deferred or type(op.backend) is Deferred:
        op = REGISTRY[name] = loaded(op)
    return op


def loaded(op: Op) -> Op:
    """``op`` with its deferred NumPy callable and backend loaded."""
    if type(op.impl) is Deferred:
        op = op.replace(impl=op.impl.resolve())
    if type(op.backend) is Deferred:
        op = op.replace(backend=op.backend.resolve())
    return op


def free(names: str, *, notes: str = "", prefix: str = "") -> None:
    """Register each name as a free (0 FLOP) row (see :func:`counted` for the rows of
    submodules NumPy loads on first use)."""
    for name in names.split():
        impl = (
            Deferred(prefix + name) if prefix in DEFERRED_PREFIXES else _numpy_attr(prefix + name)
        )
        if impl is not None:
            _add(Op(prefix + name, impl, "free", notes=notes))


def twin(name: str, canonical: str, output: Callable | None = None) -> None:
    """Register NumPy's ``name`` as a twin of the row ``canonical``: its own callable, the
    canonical row's category, rule and billing name (and output rule, unless the twin
    shapes its result otherwise: ``output``)."""
    impl = _numpy_attr(name)
    if impl is None:  # absent from this NumPy version
        return
    row = REGISTRY[canonical]
    notes = f"billed as {canonical}"
    shaped = row.output if output is None else output
    _add(row.replace(name=name, impl=impl, billed_as=canonical, notes=notes, output=shaped))


def blocked(names: str, why: str, *, prefix: str = "") -> None:
    """Register each name as blocked, with the reason it gives. A NumPy submodule that
    NumPy itself loads on first use (``numpy.ma``) is not loaded for its row."""
    for name in names.split():
        lazy = not prefix and name not in vars(np)
        impl = None if lazy else _numpy_attr(prefix + name)
        _add(Op(prefix + name, impl, "blocked", notes=why))


# ====================================================================== ufuncs
# Every ufunc in NumPy's namespace: one FLOP per output element. The matmul family
# are gufuncs with contraction rules instead.
_CONTRACTION_UFUNCS: dict[str, tuple[Callable, Callable]] = {
    "matmul": (rules.matmul_rule, contraction_rules.matmul_output),
    "vecdot": (rules.vecdot_rule, contraction_rules.vecdot_output),
    "matvec": (rules.matvec_rule, contraction_rules.matvec_output),
    "vecmat": (rules.vecmat_rule, contraction_rules.vecmat_output),
}
#: ufuncs that do no arithmetic
_FREE_UFUNCS = {"isnat": "a NaT check on datetime data: no floating-point arithmetic"}
# (``vars(np)``, not ``dir(np)``: getattr on every name would import NumPy's lazily
# loaded submodules, f2py among them)
_NUMPY_NAMES = {n: v for n, v in vars(np).items() if not n.startswith("_")}
for _name in sorted(n for n, v in _NUMPY_NAMES.items() if isinstance(v, np.ufunc)):
    _uf = getattr(np, _name)
    if _name in _CONTRACTION_UFUNCS:
        _add(
            Op(
                _name,
                _uf,
                "counted_custom",
                _CONTRACTION_UFUNCS[_name][0],
                fma=True,
                notes="generalized ufunc; contraction cost",
                output=_CONTRACTION_UFUNCS[_name][1],
            )
        )
    elif _name in _FREE_UFUNCS:
        _add(Op(_name, _uf, "free", notes=_FREE_UFUNCS[_name]))
    elif _uf.nin == 1:
        _add(Op(_name, _uf, "counted_unary", rules.output_rule))
    else:
        _add(Op(_name, _uf, "counted_binary", rules.output_rule))

# ====================================================================== reductions
counted(
    "counted_reduction",
    """
    sum prod mean var std min max argmin argmax all any ptp
    cumsum cumprod count_nonzero
    nansum nanprod nanmean nanvar nanstd nanmin nanmax nanargmin nanargmax
    nancumsum nancumprod
""",
    rules.reduction_rule,
)

# ====================================================================== other counted
counted(
    "counted_unary",
    """
    round nan_to_num angle iscomplex isreal isneginf isposinf sinc i0
    real_if_close asarray_chkfinite
""",
    rules.first_input_rule,
    output=outputs.first_shape_output,
)
# NumPy's second spellings of the same computation: billed under one name, one weight
for _twin, _canonical in {
    "amax": "max",
    "amin": "min",
    "around": "round",
    "cumulative_sum": "cumsum",
    "cumulative_prod": "cumprod",
    "fix": "trunc",
}.items():
    twin(_twin, _canonical)
counted("counted_binary", "isclose", rules.output_rule, output=outputs.broadcast_output)
counted(
    "counted_reduction",
    "allclose",
    rules.output_rule,
    notes="numel of the broadcast comparison",
    output=outputs.truth_output,
)
counted("counted_reduction", "array_equal", rules.array_equal_rule, output=outputs.truth_output)
counted("counted_reduction", "array_equiv", rules.array_equiv_rule, output=outputs.truth_output)
counted("counted_custom", "choose", rules.choose_rule, output=choose_output)
counted("counted_custom", "select", rules.select_rule, output=select_output)
counted("counted_custom", "clip", rules.clip_rule, output=clip_output)
counted("counted_custom", "where", rules.where_rule, output=where_output)
counted("counted_custom", "dot", rules.dot_rule, fma=True, output=contraction_rules.dot_output)
_add(
    Op(
        "einsum",
        np.einsum,
        "counted_custom",
        rules.einsum_rule,
        fma=True,
        notes="runs NumPy on the priced path",
        backend=Deferred("einsum_backend", "flopscope._einsum"),
        output=contraction_rules.einsum_output,
    )
)
_add(
    Op(
        "einsum_path",
        np.einsum_path,
        "counted_custom",
        rules.contractions.einsum_path_rule,
        notes="plans only: a nominal 1-FLOP planning event",
        backend=Deferred("einsum_path_backend", "flopscope._einsum"),
        output=contraction_rules.einsum_path_output,
    )
)
counted("counted_custom", "trace", rules.trace_rule, output=contraction_rules.trace_output)
counted(
    "counted_custom", "sort argsort sort_complex", rules.sort_rule, output=sorting_rules.sort_output
)
counted("counted_custom", "partition", rules.partition_rule, output=sorting_rules.partition_output)
counted(
    "counted_custom",
    "argpartition",
    rules.partition_rule,
    output=sorting_rules.argpartition_output,
)
counted(
    "counted_custom",
    "searchsorted",
    rules.searchsorted_rule,
    output=sorting_rules.searchsorted_output,
)
counted("counted_custom", "nonzero", rules.first_input_rule, output=sorting_rules.nonzero_output)
counted(
    "counted_custom",
    "flatnonzero",
    rules.first_input_rule,
    output=sorting_rules.flatnonzero_output,
)
counted("counted_custom", "argwhere", rules.first_input_rule, output=sorting_rules.argwhere_output)
counted("counted_custom", "linspace", rules.linspace_rule, output=creation_rules.linspace_output)
counted("counted_custom", "pad", rules.pad_rule, output=creation_rules.pad_output)
# the contraction family
counted(
    "counted_custom", "inner", rules.inner_rule, fma=True, output=contraction_rules.inner_output
)
counted("counted_custom", "vdot", rules.vdot_rule, fma=True, output=contraction_rules.vdot_output)
counted(
    "counted_custom",
    "tensordot",
    rules.tensordot_rule,
    fma=True,
    output=contraction_rules.tensordot_output,
)
counted(
    "counted_custom",
    "outer",
    rules.outer_rule,
    notes="one multiplication per output element",
    output=contraction_rules.outer_output,
)
counted(
    "counted_custom",
    "kron",
    rules.kron_rule,
    notes="one multiplication per output element",
    output=contraction_rules.kron_output,
)

# ====================================================================== statistics
# (median, quantiles, histograms, binning, covariance, differences, integration)
# rules: _rules/statistics.py
counted(
    "counted_custom",
    "median",
    statistics_rules.median_rule,
    output=statistics_rules.median_output,
)
counted(
    "counted_custom",
    "nanmedian",
    statistics_rules.nanmedian_rule,
    output=statistics_rules.median_output,
)
counted(
    "counted_custom",
    "percentile",
    statistics_rules.quantile_rule,
    output=statistics_rules.percentile_output,
)
counted(
    "counted_custom",
    "quantile",
    statistics_rules.quantile_rule,
    output=statistics_rules.quantile_output,
)
counted(
    "counted_custom",
    "nanpercentile",
    statistics_rules.nanquantile_rule,
    output=statistics_rules.percentile_output,
)
counted(
    "counted_custom",
    "nanquantile",
    statistics_rules.nanquantile_rule,
    output=statistics_rules.quantile_output,
)
counted(
    "counted_custom",
    "average",
    statistics_rules.average_rule,
    output=statistics_rules.average_output,
)
counted(
    "counted_custom",
    "histogram",
    statistics_rules.histogram_rule,
    output=statistics_rules.histogram_output,
)
counted(
    "counted_custom",
    "histogram_bin_edges",
    statistics_rules.histogram_bin_edges_rule,
    output=statistics_rules.histogram_bin_edges_output,
)
counted(
    "counted_custom",
    "histogram2d",
    statistics_rules.histogram2d_rule,
    output=statistics_rules.histogram2d_output,
)
counted(
    "counted_custom",
    "histogramdd",
    statistics_rules.histogramdd_rule,
    output=statistics_rules.histogramdd_output,
)
counted(
    "counted_custom",
    "bincount",
    statistics_rules.bincount_rule,
    output=statistics_rules.bincount_output,
)
counted(
    "counted_custom",
    "digitize",
    statistics_rules.digitize_rule,
    output=statistics_rules.digitize_output,
)
counted(
    "counted_custom",
    "interp",
    statistics_rules.interp_rule,
    output=statistics_rules.interp_output,
)
counted(
    "counted_custom",
    "cov",
    statistics_rules.cov_rule,
    fma=True,
    output=statistics_rules.cov_output,
)
counted(
    "counted_custom",
    "corrcoef",
    statistics_rules.corrcoef_rule,
    fma=True,
    output=statistics_rules.corrcoef_output,
)
counted(
    "counted_custom",
    "diff",
    statistics_rules.diff_rule,
    output=statistics_rules.diff_output,
)
counted(
    "counted_custom",
    "ediff1d",
    statistics_rules.ediff1d_rule,
    output=statistics_rules.ediff1d_output,
)
counted(
    "counted_custom",
    "unwrap",
    statistics_rules.unwrap_rule,
    output=statistics_rules.unwrap_output,
)
counted(
    "counted_custom",
    "gradient",
    statistics_rules.gradient_rule,
    output=statistics_rules.gradient_output,
)
counted(
    "counted_custom",
    "trapezoid",
    statistics_rules.trapezoid_rule,
    output=statistics_rules.trapezoid_output,
)
twin("trapz", "trapezoid")


# ====================================================================== sets and sorting
# (unique, set operations, lexsort, trim_zeros, bit packing)
# rules: _rules/sets.py
counted(
    "counted_custom",
    "unique",
    sets_rules.unique_rule,
    output=sets_rules.unique_output,
)
counted(
    "counted_custom",
    "unique_values",
    sets_rules.unique_values_rule,
    output=sets_rules.unique_values_output,
)
counted(
    "counted_custom",
    "unique_counts",
    sets_rules.unique_counts_rule,
    output=sets_rules.unique_counts_output,
)
counted(
    "counted_custom",
    "unique_inverse",
    sets_rules.unique_inverse_rule,
    output=sets_rules.unique_inverse_output,
)
counted(
    "counted_custom",
    "unique_all",
    sets_rules.unique_all_rule,
    output=sets_rules.unique_all_output,
)
counted(
    "counted_custom",
    "union1d",
    sets_rules.union1d_rule,
    output=sets_rules.union1d_output,
)
counted(
    "counted_custom",
    "intersect1d",
    sets_rules.intersect1d_rule,
    output=sets_rules.intersect1d_output,
)
counted(
    "counted_custom",
    "setxor1d",
    sets_rules.setxor1d_rule,
    output=sets_rules.setxor1d_output,
)
counted(
    "counted_custom",
    "setdiff1d",
    sets_rules.setdiff1d_rule,
    output=sets_rules.setdiff1d_output,
)
counted(
    "counted_custom",
    "isin",
    sets_rules.isin_rule,
    output=sets_rules.isin_output,
)
twin("in1d", "isin", output=sets_rules.in1d_output)  # (NumPy < 2.4) flattened
counted(
    "counted_custom",
    "lexsort",
    sets_rules.lexsort_rule,
    output=sets_rules.lexsort_output,
)
counted(
    "counted_custom",
    "trim_zeros",
    sets_rules.trim_zeros_rule,
    notes="priced at the whole array, the most the scan reads",
    output=sets_rules.trim_zeros_output,
)
_BITS = "integer bit operations, counted like the bitwise ufuncs"
counted(
    "counted_custom",
    "packbits",
    sets_rules.packbits_rule,
    notes=_BITS,
    output=sets_rules.packbits_output,
)
counted(
    "counted_custom",
    "unpackbits",
    sets_rules.unpackbits_rule,
    notes=_BITS,
    output=sets_rules.unpackbits_output,
)


# ====================================================================== signal and polynomials
# (convolution, windows, vander, logspace/geomspace, poly*, cross)
# rules: _rules/signal.py
counted(
    "counted_custom",
    "convolve",
    signal_rules.convolve_rule,
    fma=True,
    output=signal_rules.convolve_output,
)
counted(
    "counted_custom",
    "correlate",
    signal_rules.correlate_rule,
    fma=True,
    output=signal_rules.correlate_output,
)
_WINDOW = signal_rules.symmetric_window_output
counted("counted_custom", "hanning", signal_rules.hanning_rule, output=_WINDOW)
counted("counted_custom", "hamming", signal_rules.hamming_rule, output=_WINDOW)
counted("counted_custom", "blackman", signal_rules.blackman_rule, output=_WINDOW)
counted("counted_custom", "bartlett", signal_rules.bartlett_rule, output=_WINDOW)
counted("counted_custom", "kaiser", signal_rules.kaiser_rule, output=signal_rules.kaiser_output)
counted("counted_custom", "vander", signal_rules.vander_rule, output=signal_rules.vander_output)
counted(
    "counted_custom",
    "logspace",
    signal_rules.logspace_rule,
    output=signal_rules.logspace_output,
)
counted(
    "counted_custom",
    "geomspace",
    signal_rules.geomspace_rule,
    output=signal_rules.geomspace_output,
)
counted("counted_custom", "cross", signal_rules.cross_rule, output=signal_rules.cross_output)
# the poly* functions take and return numpy.poly1d objects: their backend hands NumPy
# plain ones and gives back flopscope's counted poly1d
_POLY_ROWS: dict[str, tuple[Callable, bool]] = {
    "poly": (signal_rules.poly_rule, True),
    "roots": (signal_rules.roots_rule, True),
    "polyfit": (signal_rules.polyfit_rule, True),
    "polyval": (signal_rules.polyval_rule, True),
    "polyadd": (signal_rules.polyadd_rule, False),
    "polysub": (signal_rules.polyadd_rule, False),
    "polymul": (signal_rules.polymul_rule, True),
    "polydiv": (signal_rules.polydiv_rule, True),
    "polyder": (signal_rules.polyder_rule, False),
    "polyint": (signal_rules.polyint_rule, False),
}
for _name, (_rule, _fma) in _POLY_ROWS.items():
    _add(
        Op(
            _name,
            getattr(np, _name),
            "counted_custom",
            _rule,
            _fma,
            backend=numpy_backend(getattr(np, _name)),
            output=getattr(signal_rules, f"{_name}_output"),
        )
    )
#: the rows ``flopscope.numpy.polynomial`` offers too
POLYNOMIAL_ROWS = (*_POLY_ROWS, "poly1d")
_add(
    Op(
        "poly1d",
        np.poly1d,
        "free",
        notes="constructing is free (from roots: charged as poly); evaluating and "
        "combining are charged by the poly* rows",
        backend=CountedPoly1d,
    )
)


# ====================================================================== free
free(
    """
    array asarray asanyarray ascontiguousarray asfortranarray astype copy copyto
    zeros zeros_like ones ones_like empty empty_like full full_like eye identity arange tri
    tril triu diag diagflat diagonal fill_diagonal
    reshape ravel transpose permute_dims matrix_transpose swapaxes moveaxis rollaxis squeeze
    expand_dims broadcast_to broadcast_arrays broadcast_shapes atleast_1d atleast_2d
    atleast_3d flip fliplr flipud rot90 roll resize
    concatenate concat stack vstack hstack dstack column_stack row_stack block split
    array_split hsplit vsplit dsplit unstack append insert delete repeat tile
    take take_along_axis put put_along_axis place putmask compress extract
    ix_ indices meshgrid tril_indices tril_indices_from triu_indices triu_indices_from
    diag_indices diag_indices_from mask_indices ravel_multi_index unravel_index
    shape ndim size result_type can_cast promote_types min_scalar_type common_type
    mintypecode issubdtype isdtype isscalar iscomplexobj isrealobj isfortran iterable
    may_share_memory shares_memory real imag frombuffer fromiter fromfunction fromstring
    from_dlpack require array2string array_repr array_str base_repr binary_repr
    format_float_positional format_float_scientific typename get_include
    apply_along_axis apply_over_axes piecewise
""",
    notes="no arithmetic: allocation, copying, shape, indexing or metadata",
)
free(
    "busday_count busday_offset is_busday datetime_as_string datetime_data",
    notes="calendar bookkeeping on datetime64 data: no floating-point arithmetic",
)

# ====================================================================== file I/O
# NumPy's binary formats, without pickle (SPEC decision 9): free, their time flopscope's
_IO_BACKENDS = {
    name: Deferred(name, "flopscope._io") for name in ("load", "save", "savez", "savez_compressed")
}
for _name, _backend in _IO_BACKENDS.items():
    _add(
        Op(
            _name,
            getattr(np, _name),
            "free",
            notes=".npy / .npz file I/O without pickle (allow_pickle and object arrays refused)",
            backend=_backend,
        )
    )

# ====================================================================== blocked
blocked(
    "loadtxt savetxt genfromtxt fromfile fromregex",
    "text and raw-binary file I/O are not part of the counted API; use "
    "flopscope.numpy.load / save / savez (.npy / .npz, without pickle), or read the data "
    "with NumPy and pass the arrays in",
)
blocked(
    "seterr geterr seterrcall geterrcall errstate",
    "floating-point error-state configuration is process-wide state outside the counted "
    "API; use numpy directly if you must change it",
)
blocked(
    "set_printoptions get_printoptions printoptions setbufsize getbufsize",
    "print and buffer configuration is process-wide state outside the counted API; "
    "use numpy directly",
)
blocked(
    "show_config show_runtime info test",
    "system and help functions are not part of the counted API; use numpy directly",
)
# the user's Python function per element, run on counted scalars: its arithmetic is charged
for _name, _backend in {
    "vectorize": Deferred("CountedVectorize", "flopscope._vectorize"),
    "frompyfunc": Deferred("CountedPyFunc", "flopscope._vectorize"),
}.items():
    _add(
        Op(
            _name,
            getattr(np, _name),
            "free",
            notes="runs the function on counted scalars: the arithmetic it does is charged",
            backend=_backend,
        )
    )
blocked(
    "nditer nested_iters",
    "low-level iterators would let arithmetic run uncounted; use counted whole-array operations",
)
blocked(
    "matrix asmatrix bmat",
    "numpy.matrix gives '*' matrix-product semantics; use 2-D arrays and '@'",
)
blocked("memmap", "memory-mapped file I/O is not part of the counted API")
blocked(
    "ma",
    "masked arrays compute outside the counted API (their arithmetic would run "
    "uncounted); use counted arrays with where= / the nan-functions instead",
)

# ====================================================================== emath, lib
# numpy.emath (numpy.lib.scimath): the math functions, complex results for real inputs
# outside their real domain; one evaluation per output element
for _name in "sqrt log log2 log10 arccos arcsin arctanh".split():
    counted(
        "counted_unary",
        _name,
        rules.output_rule,
        prefix="emath.",
        output=outputs.emath_output(_name),
    )
for _name in "power logn".split():
    counted(
        "counted_binary",
        _name,
        rules.output_rule,
        prefix="emath.",
        output=outputs.emath_output(_name),
    )
free(
    "as_strided sliding_window_view",
    prefix="lib.stride_tricks.",
    notes="a strided view of the same data: no arithmetic",
)

#: ndarray methods blocked on counted arrays, with their reasons
BLOCKED_METHODS: dict[str, str] = {
    "tofile": "raw-binary file I/O is not part of the counted API; save arrays with "
    "flopscope.numpy.save / savez (.npy / .npz, without pickle)",
}

# ====================================================================== random
# Every sampler of numpy.random, and every method of Generator / RandomState (the
# wrappers in flopscope/numpy/random.py price a method by the row of the same name, or
# by GENERATOR_METHODS). rules: _rules/random.py
_SAMPLERS: dict[int, str] = {
    0: "random random_sample ranf sample standard_normal standard_cauchy standard_exponential",
    1: """chisquare exponential geometric logseries pareto poisson power rayleigh
          standard_gamma standard_t weibull zipf""",
    2: """normal uniform beta binomial f gamma gumbel laplace logistic lognormal
          negative_binomial noncentral_chisquare vonmises wald randint random_integers""",
    3: "hypergeometric noncentral_f triangular",
}
#: samplers that take a ``dtype=`` (after ``size``): the kinds of dtype they accept
_SAMPLER_DTYPES = {
    "random": "f",
    "standard_normal": "f",
    "standard_exponential": "f",
    "standard_gamma": "f",
    "randint": "biu",
}
#: samplers that draw integers (int64, randint's default dtype included); the rest reals
_INTEGER_SAMPLERS = random_rules.COUNT_SAMPLERS | {"randint", "random_integers"}
for _pos, _names in _SAMPLERS.items():
    _sampler_rule = rules.sampler_rule(_pos)
    for _name in _names.split():
        counted(
            "counted_custom",
            _name,
            _sampler_rule,
            prefix="random.",
            output=random_rules.sampler_output(
                _pos,
                np.int64 if _name in _INTEGER_SAMPLERS else np.float64,
                _SAMPLER_DTYPES.get(_name, ""),
            ),
        )
counted(
    "counted_custom",
    "rand randn",
    rules.dims_rule,
    prefix="random.",
    output=random_rules.dims_output,
)
counted(
    "counted_custom",
    "shuffle",
    rules.permutation_rule,
    prefix="random.",
    output=random_rules.shuffle_output,
)
counted(
    "counted_custom",
    "permutation",
    rules.permutation_rule,
    prefix="random.",
    output=random_rules.permutation_output,
)
counted(
    "counted_custom",
    "choice",
    rules.choice_rule,
    notes="without replacement NumPy permutes the population",
    prefix="random.",
    output=random_rules.choice_output,
)
counted(
    "counted_custom",
    "multinomial",
    rules.multinomial_rule,
    prefix="random.",
    output=random_rules.multinomial_output,
)
counted(
    "counted_custom",
    "dirichlet",
    rules.dirichlet_rule,
    prefix="random.",
    output=random_rules.dirichlet_output,
)
counted(
    "counted_custom",
    "multivariate_normal",
    rules.multivariate_normal_rule,
    notes="the covariance is factorised on every call; each multiply-add counts 1",
    prefix="random.",
    output=random_rules.multivariate_normal_output,
)
counted(
    "counted_custom",
    "bytes",
    rules.bytes_rule,
    notes="random bytes are drawn as 32-bit integers, counted like integer draws",
    prefix="random.",
    output=random_rules.bytes_output,
)
free(
    "seed get_state set_state default_rng RandomState Generator SeedSequence BitGenerator "
    "PCG64 PCG64DXSM MT19937 Philox SFC64 get_bit_generator set_bit_generator",
    prefix="random.",
    notes="seeding and generator construction: no floating-point work",
)

#: Methods that only Generator / RandomState / the bit generators have, counted under
#: these names (``random.integers``, ...).
GENERATOR_METHODS: dict[str, Callable] = {
    "integers": rules.sampler_rule(2),
    "permuted": rules.permuted_rule,
    "multivariate_hypergeometric": rules.multivariate_hypergeometric_rule,
    "tomaxint": rules.sampler_rule(0),
}

#: The output rules of GENERATOR_METHODS (for a dry run: see ``_rules/outputs.py``).
GENERATOR_OUTPUTS: dict[str, Callable] = {
    "integers": random_rules.sampler_output(2, np.int64, "biu"),
    "permuted": random_rules.permuted_output,
    "multivariate_hypergeometric": random_rules.multivariate_hypergeometric_output,
    "tomaxint": random_rules.sampler_output(0, np.int64),
}

#: Methods and attributes of Generator / RandomState that no row prices: free, and why.
#: Anything public that is in neither table is refused, so a NumPy release that adds a
#: sampler cannot draw uncounted.
GENERATOR_FREE: dict[str, str] = {
    "spawn": "independent child generators: seeding, no floating-point work",
    "bit_generator": "the generator's bit generator (NumPy's own object, free)",
}

# ====================================================================== linalg
# numpy.linalg's spellings of the contraction family, priced as the top-level rows are
# (matmul's m * k * n per step), so no spelling of a product is cheaper than another.
# rules: _rules/linalg.py
counted(
    "counted_custom",
    "multi_dot",
    rules.multi_dot_rule,
    fma=True,
    notes="priced at the cheapest multiplication order, the one NumPy runs",
    prefix="linalg.",
    output=linalg_rules.multi_dot_output,
)
# the same products as the top-level rows, billed as them
twin("linalg.matmul", "matmul")
twin("linalg.tensordot", "tensordot")
twin("linalg.vecdot", "vecdot")
counted(
    "counted_custom",
    "outer",
    rules.linalg_outer_rule,
    notes="one multiplication per output element",
    prefix="linalg.",
    output=linalg_rules.linalg_outer_output,
)
counted(
    "counted_custom",
    "trace",
    rules.linalg_trace_rule,
    prefix="linalg.",
    output=linalg_rules.linalg_trace_output,
)
free(
    "matrix_transpose diagonal",
    prefix="linalg.",
    notes="a view of the same data: no arithmetic",
)
# the decompositions and solvers: textbook counts in multiply-add units (Golub & Van
# Loan's flops halved), the few divisions and square roots counted inside, the whole row
# FMA-priced; a stack of matrices costs numel(batch) times one matrix
_DECOMPOSITIONS: dict[str, tuple[Callable, str, Callable]] = {
    "cholesky": (linalg_rules.cholesky_rule, "", linalg_rules.cholesky_output),
    "qr": (
        linalg_rules.qr_rule,
        "Householder QR; Q formed by backward accumulation",
        linalg_rules.qr_output,
    ),
    "svdvals": (
        linalg_rules.svdvals_rule,
        "Golub-Reinsch count, values only",
        linalg_rules.svdvals_output,
    ),
    "eig": (linalg_rules.eig_rule, "", linalg_rules.eig_output),
    "eigvals": (linalg_rules.eigvals_rule, "", linalg_rules.eigvals_output),
    "eigh": (linalg_rules.eigh_rule, "", linalg_rules.eigh_output),
    "eigvalsh": (linalg_rules.eigvalsh_rule, "", linalg_rules.eigvalsh_output),
    "inv": (linalg_rules.inv_rule, "NumPy solves A X = I", linalg_rules.inv_output),
    "det": (linalg_rules.det_rule, "LU", linalg_rules.det_output),
    "slogdet": (linalg_rules.slogdet_rule, "LU", linalg_rules.slogdet_output),
    "solve": (linalg_rules.solve_rule, "LU and triangular solves", linalg_rules.solve_output),
    "lstsq": (linalg_rules.lstsq_rule, "SVD-based (gelsd)", linalg_rules.lstsq_output),
    "pinv": (linalg_rules.pinv_rule, "thin SVD and the product", linalg_rules.pinv_output),
    "matrix_power": (
        linalg_rules.matrix_power_rule,
        "binary powering, as NumPy runs it",
        linalg_rules.matrix_power_output,
    ),
    "tensorsolve": (
        linalg_rules.tensorsolve_rule,
        "solve of the reshaped square matrix",
        linalg_rules.tensorsolve_output,
    ),
    "tensorinv": (
        linalg_rules.tensorinv_rule,
        "inv of the reshaped square matrix",
        linalg_rules.tensorinv_output,
    ),
}
for _name, (_rule, _notes, _output) in _DECOMPOSITIONS.items():
    counted(
        "counted_custom", _name, _rule, fma=True, notes=_notes, prefix="linalg.", output=_output
    )
_add(
    Op(
        "linalg.svd",
        np.linalg.svd,
        "counted_custom",
        linalg_rules.svd_rule,
        fma=True,
        notes="Golub-Reinsch counts; k= gives the top-k triplets at m * n * k",
        backend=Deferred("svd", "flopscope._linalg"),
        output=linalg_rules.svd_output,
    )
)
# norms are passes over the data, not multiply-adds; their SVD parts (matrix 2-norm,
# nuclear norm, cond, matrix_rank) are FMA-priced inside the rule
_NORMS: dict[str, tuple[Callable, str, Callable]] = {
    "norm": (
        linalg_rules.norm_rule,
        "passes over the data; ord 2 / -2 / 'nuc' of a matrix: SVD",
        linalg_rules.norm_output,
    ),
    "vector_norm": (
        linalg_rules.vector_norm_rule,
        "passes over the data",
        linalg_rules.vector_norm_output,
    ),
    "matrix_norm": (
        linalg_rules.matrix_norm_rule,
        "passes over the data; ord 2 / -2 / 'nuc': SVD",
        linalg_rules.matrix_norm_output,
    ),
    "cond": (
        linalg_rules.cond_rule,
        "singular values, or an inverse and two norms",
        linalg_rules.cond_output,
    ),
    "matrix_rank": (
        linalg_rules.matrix_rank_rule,
        "singular values and comparisons",
        linalg_rules.matrix_rank_output,
    ),
}
for _name, (_rule, _notes, _output) in _NORMS.items():
    counted("counted_custom", _name, _rule, notes=_notes, prefix="linalg.", output=_output)
# numpy.linalg.cross is numpy.cross for 3-vectors only: billed as cross, one weight
_add(
    REGISTRY["cross"].replace(
        name="linalg.cross",
        impl=np.linalg.cross,
        rule=linalg_rules.linalg_cross_rule,
        output=linalg_rules.linalg_cross_output,
        billed_as="cross",
        notes="billed as cross; 3-vectors only",
    )
)

# ====================================================================== fft
# numpy.fft: 5 n ceil(log2 n) per complex transform of length n, half that per real or
# Hermitian one, times the other axes' extents; a count of real operations, not of
# multiply-adds (not FMA-priced). rules: _rules/fft.py
_FFT_NOTES = "5 n ceil(log2 n) per complex transform (radix-2 count); not FMA-priced"
_FFT_RULES: dict[str, tuple[Callable, Callable]] = {
    "fft": (fft_rules.fft_rule, fft_rules.fft_output),
    "ifft": (fft_rules.ifft_rule, fft_rules.ifft_output),
    "rfft": (fft_rules.rfft_rule, fft_rules.rfft_output),
    "irfft": (fft_rules.irfft_rule, fft_rules.irfft_output),
    "hfft": (fft_rules.hfft_rule, fft_rules.hfft_output),
    "ihfft": (fft_rules.ihfft_rule, fft_rules.ihfft_output),
    "fftn": (fft_rules.fftn_rule, fft_rules.fftn_output),
    "ifftn": (fft_rules.ifftn_rule, fft_rules.ifftn_output),
    "fft2": (fft_rules.fft2_rule, fft_rules.fft2_output),
    "ifft2": (fft_rules.ifft2_rule, fft_rules.ifft2_output),
    "rfftn": (fft_rules.rfftn_rule, fft_rules.rfftn_output),
    "irfftn": (fft_rules.irfftn_rule, fft_rules.irfftn_output),
    "rfft2": (fft_rules.rfft2_rule, fft_rules.rfft2_output),
    "irfft2": (fft_rules.irfft2_rule, fft_rules.irfft2_output),
}
for _name, (_rule, _output) in _FFT_RULES.items():
    counted("counted_custom", _name, _rule, notes=_FFT_NOTES, prefix="fft.", output=_output)
counted(
    "counted_custom",
    "fftfreq",
    fft_rules.fftfreq_rule,
    notes="one multiplication per frequency, as linspace",
    prefix="fft.",
    output=fft_rules.fftfreq_output,
)
counted(
    "counted_custom",
    "rfftfreq",
    fft_rules.rfftfreq_rule,
    notes="one multiplication per frequency, as linspace",
    prefix="fft.",
    output=fft_rules.rfftfreq_output,
)
free(
    "fftshift ifftshift",
    prefix="fft.",
    notes="a roll of the data (free like roll): no arithmetic",
)

# ====================================================================== testing
free(
    """assert_allclose assert_almost_equal assert_approx_equal assert_array_almost_equal
        assert_array_almost_equal_nulp assert_array_equal assert_array_less
        assert_array_max_ulp assert_equal assert_raises assert_raises_regex
        assert_string_equal assert_warns assert_no_warnings assert_ assert_array_compare""",
    prefix="testing.",
    notes="test assertions compare values without charging",
)
free(
    "suppress_warnings clear_and_catch_warnings assert_no_gc_cycles tempdir temppath",
    prefix="testing.",
    notes="test scaffolding: warnings, garbage and temporary files, no arithmetic",
)

# ====================================================================== stats
# flopscope.stats: SciPy's distributions, one row per distribution and method
# ("stats.norm.pdf"). No NumPy callable: the row's impl is its SciPy counterpart (looked
# up when called, for checking values), its backend flopscope's evaluation with
# scipy.special (imported on first use). rules: _rules/stats_distributions.py
for _dist in stats_rules.DISTRIBUTIONS:
    for _method in stats_rules.METHODS:
        _add(
            Op(
                f"stats.{_dist}.{_method}",
                _stats.reference(_dist, _method),
                "counted_custom",
                stats_rules.stats_rule(_dist, _method),
                notes="as scipy.stats; NaN where the parameters are invalid",
                backend=_stats.backend(_dist, _method),
                output=stats_rules.stats_output(_dist, _method),
            )
        )

# ====================================================================== not yet classified
#: the NumPy submodules whose callables :func:`pending` lists
PENDING_MODULES = ("linalg", "fft")


@functools.cache
def pending() -> frozenset[str]:
    """Public NumPy callables not yet in the registry (classified in a later release): of
    linalg (and of fft, should a NumPy version add a function), every callable no row
    classifies. Listed on first use (listing ``numpy.fft`` loads it)."""
    return frozenset(
        f"{mod}.{name}"
        for mod in PENDING_MODULES
        for name in dir(getattr(np, mod))
        if not name.startswith("_")
        and callable(getattr(getattr(np, mod), name))
        and name not in ("test", "LinAlgError")
        and f"{mod}.{name}" not in REGISTRY
    )


#: NumPy's index-trick objects; flopscope.numpy wraps them so they give counted arrays.
INDEX_TRICKS = frozenset({"r_", "c_", "mgrid", "ogrid"})

#: Names re-exported unchanged: types, dtypes and constants (not operations).
PASSTHROUGH: frozenset[str] = frozenset(
    n
    for n, v in _NUMPY_NAMES.items()
    if (isinstance(v, type) or not callable(v))
    and not isinstance(v, type(np))
    and n not in REGISTRY
    and n not in INDEX_TRICKS
    and n != "ndarray"  # flopscope.numpy.ndarray is the counted array type
    and n != "ndenumerate"  # flopscope.numpy.ndenumerate hands out counted scalars
)


def _category_outputs() -> None:
    """The output rules a category gives its rows: the reductions' (one per name: the
    cumulative ones keep the shape), and the broadcast for elementwise rows that are not
    ufuncs (``emath.sqrt``, ``fix``); ufunc rows need none (the executor resolves them
    as NumPy's ufunc machinery does)."""
    for name, op in REGISTRY.items():
        if op.rule is rules.reduction_rule:
            REGISTRY[name] = op.replace(output=outputs.reduction_output(name))
        elif (
            op.category in ("counted_unary", "counted_binary")
            and not op.is_ufunc
            and op.output is None
        ):
            REGISTRY[name] = op.replace(output=outputs.broadcast_output)


_category_outputs()


def _mark_aliases() -> None:
    """Rows for one NumPy callable share the canonical row (named like ``impl.__name__``)."""
    by_impl: dict[int, list[str]] = {}
    for name, op in REGISTRY.items():
        if op.impl is not None:
            by_impl.setdefault(id(op.impl), []).append(name)
    for names in by_impl.values():
        if len(names) < 2:
            continue
        impl = REGISTRY[names[0]].impl
        prefix = names[0].rpartition(".")[0]
        canonical = (prefix + "." if prefix else "") + getattr(impl, "__name__", "")
        if canonical not in names:
            canonical = names[0]
        for name in names:
            if name != canonical:
                REGISTRY[name] = REGISTRY[name].replace(
                    alias_of=canonical, notes=f"alias of {canonical}"
                )


_mark_aliases()
