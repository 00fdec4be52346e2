"""How a charge came about, what a run would cost under other prices, and the run as data.

Explaining a record
-------------------
A counted call is charged ::

    charged = price(analytical * fma, weight(op) * flop_multiplier)

where ``analytical`` is what the registry row's rule returns, ``fma`` is ``fma_cost``
for a row whose work is fused multiply-adds (1 otherwise) and ``price`` multiplies,
exactly for an integral factor and rounding to the nearest integer otherwise (see
``_budget.scaled_cost``). A record keeps the operation's name, namespace, input shapes
and einsum subscripts, not the call's other arguments (``axis``, ``ord``, ``out=``,
dtypes, the data). :func:`explain` therefore re-runs the row's rule on shape-only
stand-ins of the recorded shapes; where that reproduces the charge it is the analytical
work. Where it does not (a SymmetricTensor or one buffer used twice, as in ``X.T @ X``,
priced only the distinct work; an argument the record does not keep changed the count;
an operation with no registry row), the analytical work is derived from the charge,
``charged / (weight * flop_multiplier * fma)``, and the explanation says so. Either way
the explanation ends in the record's ``flop_cost``.

Weights and ``fma_cost`` are process-wide: explanations and rebilling of a live budget
read the ones in force now; :meth:`BudgetContext.to_json` writes them into the export,
so a run read back from JSON is priced with its own.

Rebilling
---------
:func:`rebill` prices a recorded run under another weight table, ``fma_cost`` or
multiplier without running it again: each record's analytical work is recovered as
above and priced anew. Under the run's own settings every record keeps its cost exactly.
A record whose analytical work cannot be recovered (a multiplier of 0, or a settings
change between the run and its export) is scaled by the ratio of the factors and counted
in ``RebillResult.approximate``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from ._budget import BudgetContext, current_budget, scaled_cost
from ._config import SETTINGS
from ._op_log import OpRecord
from ._registry import REGISTRY
from ._weights import WEIGHTS, _parse, weights_source

__all__ = [
    "SCHEMA_VERSION",
    "Explanation",
    "RebillResult",
    "explain",
    "explain_op",
    "rebill",
    "to_csv",
    "to_dataframe",
    "to_html",
    "to_json",
]

#: the version of :func:`to_json`'s layout; :func:`rebill` refuses others
SCHEMA_VERSION = 1
RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(OpRecord))

#: what a record does not keep, named in explanations
NOT_RECORDED = (
    "arguments other than the operands' shapes and einsum subscripts (axis, ord, keepdims, "
    "out=, dtype, ...), the operands' dtypes and data"
)

#: the formula shown for a record with no registry row
NO_ROW = (
    "(no registry row: priced by flopscope itself, as symmetrize and as_symmetric are, "
    "or given to budget.deduct)"
)

#: the note of a factor below 1, where the charge does not pin the analytical work down
AMBIGUOUS = (
    "weight * multiplier * fma is below 1: neighbouring whole works price to this charge "
    "too, so the charge alone does not confirm the analytical work"
)


# ---------------------------------------------------------------- pricing
@dataclasses.dataclass(frozen=True)
class _Pricing:
    """One set of prices: a weight table, ``fma_cost`` and a flop multiplier."""

    weights: Mapping[str, float]
    fma_cost: int
    flop_multiplier: float
    weights_source: str

    def weight(self, name: str) -> float:
        return self.weights.get(name, 1.0)

    def price(self, name: str, work: int) -> int:
        """``work`` (FMA factor applied) as charged: the lines of ``_budget.charge``."""
        factor = self.weight(name) * self.flop_multiplier
        return work if factor == 1.0 else scaled_cost(work, factor)


def _describe_source(source: Mapping[str, Any]) -> str:
    kind, path, how = source["kind"], source.get("path"), source.get("how")
    if kind == "packaged":
        text = f"the packaged table ({path})"
    elif kind == "file":
        text = f"the file {path} (loaded by {how})"
    elif kind == "unit":
        text = f"unit weights ({how})"
    else:
        text = str(kind)
    if source.get("edited"):
        text += ", edited in place since"
    return text


def _active_pricing(flop_multiplier: float) -> _Pricing:
    return _Pricing(
        dict(WEIGHTS), SETTINGS.fma_cost, flop_multiplier, _describe_source(weights_source())
    )


@dataclasses.dataclass(frozen=True)
class _Row:
    """What prices a recorded name: the weight's name, the formula, whether the work is
    FMAs, and the shape-only work (None where the shapes cannot determine it)."""

    weight_name: str
    formula: str | None
    fma: bool
    shape_work: Callable[[tuple[tuple[int, ...], ...], str | None], int] | None


#: ``ufunc.method`` records (``add.reduce``): weighted as the ufunc, priced by the method
UFUNC_METHODS: dict[str, Callable[[tuple[tuple[int, ...], ...]], int] | None] = {
    "reduce": lambda shapes: math.prod(shapes[0]),
    "accumulate": lambda shapes: math.prod(shapes[0]),
    "reduceat": lambda shapes: math.prod(shapes[0]),
    "outer": lambda shapes: math.prod(shapes[0]) * math.prod(shapes[1]),
    "at": None,  # numel(a[indices]): the indices' values are not recorded
}
UFUNC_METHOD_FORMULA = (
    "ufunc methods: reduce, accumulate, reduceat ``numel(input)``; outer "
    "``numel(a) * numel(b)``; at ``numel(a[indices])``"
)


@functools.cache
def _resolve(name: str) -> _Row:
    row = REGISTRY.get(name)
    if row is not None and row.rule is not None:
        rule = row.rule

        def shape_work(shapes: tuple[tuple[int, ...], ...], subscripts: str | None) -> int:
            args: list[Any] = _stand_ins(shapes)
            if subscripts is not None:
                args.insert(0, subscripts)
            return int(rule(tuple(args), {}))

        return _Row(name, row.formula, row.fma, shape_work)
    base, _, method = name.rpartition(".")
    ufunc_row = REGISTRY.get(base)
    if ufunc_row is not None and ufunc_row.is_ufunc and method in UFUNC_METHODS:
        by_shapes = UFUNC_METHODS[method]
        method_work = None
        if by_shapes is not None:
            method_work = functools.partial(_method_work, by_shapes)
        return _Row(base, UFUNC_METHOD_FORMULA, ufunc_row.fma, method_work)
    return _Row(name, None, False, None)


def _method_work(
    by_shapes: Callable[[tuple[tuple[int, ...], ...]], int],
    shapes: tuple[tuple[int, ...], ...],
    subscripts: str | None,
) -> int:
    return by_shapes(shapes)


def _stand_ins(shapes: tuple[tuple[int, ...], ...]) -> list[np.ndarray]:
    # one buffer each: the rules must not take two stand-ins for one array used twice
    return [np.broadcast_to(np.zeros((), dtype=float), shape) for shape in shapes]


def _shape_only_work(
    row: _Row, shapes: tuple[tuple[int, ...], ...], subscripts: str | None
) -> tuple[int | None, str]:
    """The row's work on shape-only stand-ins (NumPy's defaults for everything else)."""
    if row.shape_work is None:
        return None, ""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return row.shape_work(shapes, subscripts), ""
    except Exception as exc:  # the rule needs what the record does not keep
        return None, f"the rule cannot run on the recorded shapes alone ({type(exc).__name__})"


def _derive(pricing: _Pricing, name: str, charged: int, fma: int) -> tuple[int | None, bool]:
    """(a whole analytical work that prices to ``charged``, whether others do too)."""
    factor = pricing.weight(name) * pricing.flop_multiplier
    if factor == 0:
        return None, False
    from fractions import Fraction  # (loaded on first use: import time)

    guess = Fraction(charged) / (Fraction(factor) * fma)
    floor = math.floor(guess)
    hits = [
        c
        for c in sorted({floor, floor + 1, round(guess)}, key=lambda c: abs(c - guess))
        if c >= 0 and pricing.price(name, c * fma) == charged
    ]
    if not hits:
        return None, False
    work = hits[0]
    ambiguous = any(pricing.price(name, c * fma) == charged for c in (work - 1, work + 1) if c >= 0)
    return work, ambiguous


# ---------------------------------------------------------------- explanations
@dataclasses.dataclass(frozen=True)
class Explanation:
    """How one record's charge came about; ``str()`` reads it, :meth:`as_dict` holds it.

    ``charged == price(analytical * fma_factor, weight * flop_multiplier)`` and equals the
    record's ``flop_cost``. ``analytical_source`` is ``"recomputed"`` (the row's rule on
    the recorded shapes gives it), ``"derived"`` (from the charge: the shapes alone do
    not determine it) or ``"unknown"`` (nothing whole prices to the charge under these
    settings, or the multiplier is 0).
    """

    op_name: str
    namespace: str | None
    shapes: tuple[tuple[int, ...], ...]
    subscripts: str | None
    formula: str | None
    fma_priced: bool
    fma_cost: int
    shape_only_work: int | None
    analytical: int | None
    analytical_source: str
    symmetry_saving: int | None
    weight: float
    weight_source: str
    flop_multiplier: float
    charged: int
    not_recorded: str
    notes: tuple[str, ...]

    @property
    def fma_factor(self) -> int:
        return self.fma_cost if self.fma_priced else 1

    def as_dict(self) -> dict[str, Any]:
        """Every field as plain data (shapes as lists), ``fma_factor`` included."""
        out = dataclasses.asdict(self)
        out["shapes"] = [list(s) for s in self.shapes]
        out["notes"] = list(self.notes)
        out["fma_factor"] = self.fma_factor
        return out

    def __str__(self) -> str:
        shapes = " x ".join(str(s) for s in self.shapes) or "no array operands"
        head = f"{self.op_name}: shapes {shapes}"
        if self.subscripts is not None:
            head += f", subscripts {self.subscripts!r}"
        if self.namespace is not None:
            head += f", namespace {self.namespace!r}"
        lines = [head]
        lines.append(f"  formula     {self.formula or NO_ROW}")
        unit = "FMAs" if self.fma_priced else "FLOPs"
        if self.analytical is None:
            lines.append(f"  analytical  unknown ({self.analytical_source})")
        else:
            how = {
                "recomputed": "recomputed: the rule on the recorded shapes",
                "derived": "derived from the charge: charged / (weight * multiplier * fma)",
            }[self.analytical_source]
            lines.append(f"  analytical  {self.analytical:,} {unit} ({how})")
        if self.shape_only_work is not None and self.symmetry_saving:
            lines.append(
                f"  symmetry    the shapes alone give {self.shape_only_work:,}; "
                f"{self.symmetry_saving:,} fewer were priced (only the distinct work of a "
                "SymmetricTensor, or of one buffer on both sides as in X.T @ X; else an argument "
                "the record does not keep)"
            )
        if self.fma_priced:
            lines.append(f"  FMA         priced by fma_cost = {self.fma_cost}")
        else:
            lines.append(
                f"  FMA         not FMA-priced (fma_cost = {self.fma_cost} does not apply)"
            )
        lines.append(f"  weight      {self.weight!r}: {self.weight_source}")
        lines.append(f"  multiplier  {self.flop_multiplier!r} (the budget's flop_multiplier)")
        for note in self.notes:
            lines.append(f"  note        {note}")
        lines.append(f"  not kept    {self.not_recorded}")
        if self.analytical is None:
            lines.append(f"  charged     as recorded: {self.charged}")
        else:
            from fractions import Fraction

            product = (
                Fraction(self.analytical * self.fma_factor)
                * Fraction(self.weight)
                * Fraction(self.flop_multiplier)
            )
            rounded = "" if product == self.charged else f"{float(product)!r} rounded to "
            lines.append(
                f"  charged     {self.analytical:,} (analytical) x {self.fma_factor} (fma) x "
                f"{self.weight!r} (weight) x {self.flop_multiplier!r} (multiplier) = "
                f"{rounded}{self.charged}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def __int__(self) -> int:
        return self.charged


def _analyse(record: OpRecord, pricing: _Pricing) -> Explanation:
    charged = record.flop_cost
    row = _resolve(record.op_name)
    name = row.weight_name
    fma_priced = row.fma
    fma = pricing.fma_cost if fma_priced else 1
    notes: list[str] = []
    shape_only, why = _shape_only_work(row, record.shapes, record.subscripts)
    if why:
        notes.append(why)
    analytical: int | None
    if shape_only is not None and pricing.price(name, shape_only * fma) == charged:
        analytical, source = shape_only, "recomputed"
        if any(pricing.price(name, c * fma) == charged for c in (shape_only - 1, shape_only + 1)):
            notes.append(AMBIGUOUS)
    else:
        analytical, ambiguous = _derive(pricing, name, charged, fma)
        source = "derived" if analytical is not None else "unknown"
        if ambiguous:
            notes.append(AMBIGUOUS)
        if analytical is None:
            notes.append(
                "no whole analytical work prices to this charge under the weights, fma_cost "
                "and multiplier given (a multiplier of 0, or settings changed since the run)"
            )
    saving = None
    if shape_only is not None and analytical is not None and source == "derived":
        if analytical < shape_only:
            saving = shape_only - analytical
        elif analytical > shape_only:
            notes.append(
                f"the shapes alone give {shape_only:,}: the charge depends on what the record "
                "does not keep"
            )
    weight = pricing.weight(name)
    if name in pricing.weights:
        weight_source = pricing.weights_source
    else:
        weight_source = f"no entry for {name!r} (1.0) in {pricing.weights_source}"
    return Explanation(
        op_name=record.op_name,
        namespace=record.namespace,
        shapes=record.shapes,
        subscripts=record.subscripts,
        formula=row.formula,
        fma_priced=fma_priced,
        fma_cost=pricing.fma_cost,
        shape_only_work=shape_only,
        analytical=analytical,
        analytical_source=source,
        symmetry_saving=saving,
        weight=weight,
        weight_source=weight_source,
        flop_multiplier=pricing.flop_multiplier,
        charged=charged,
        not_recorded=NOT_RECORDED,
        notes=tuple(notes),
    )


def explain(record: OpRecord, *, budget: BudgetContext | None = None) -> Explanation:
    """How ``record``'s ``flop_cost`` came about, step by step (see the module notes).

    ``budget`` supplies the flop multiplier (default: the budget a call made here would
    charge; pass the record's own budget, or use ``budget.explain(op_name)``). Weights
    and ``fma_cost`` are those in force now. ``str(explanation)`` is the text, ending in
    the charged integer; ``explanation.as_dict()`` the same as plain data.
    """
    if not isinstance(record, OpRecord):
        raise TypeError(f"explain() takes an OpRecord, got {type(record).__name__}")
    owner = budget if budget is not None else current_budget()
    return _analyse(record, _active_pricing(owner.flop_multiplier))


def explain_op(budget: BudgetContext, op_name: str) -> Explanation:
    """The explanation of the costliest logged call of ``op_name`` in ``budget``."""
    costliest: OpRecord | None = None
    for record in budget.op_log:
        if record.op_name == op_name and (
            costliest is None or record.flop_cost > costliest.flop_cost
        ):
            costliest = record
    if costliest is None:
        logged = sorted({r.op_name for r in budget.op_log})
        raise ValueError(f"no logged call of {op_name!r} in this budget (logged: {logged})")
    return explain(costliest, budget=budget)


# ---------------------------------------------------------------- exports
def _record_dict(record: OpRecord) -> dict[str, Any]:
    out = {name: getattr(record, name) for name in RECORD_FIELDS}
    out["shapes"] = [list(s) for s in record.shapes]
    return out


def export_dict(budget: BudgetContext) -> dict[str, Any]:
    """The data of :func:`to_json`."""
    summary = budget.summary_dict()
    log = budget.op_log
    records = [_record_dict(r) for r in log]
    return {
        "schema_version": SCHEMA_VERSION,
        "settings": {
            "flop_budget": budget.flop_budget,
            "flop_multiplier": budget.flop_multiplier,
            "fma_cost": SETTINGS.fma_cost,
            "namespace": budget.namespace,
            "wall_time_limit_s": budget.wall_time_limit_s,
            "keep_log": budget._records.keep_log,
            "weights": {**weights_source(), "table": dict(WEIGHTS)},
        },
        "totals": {
            "flops_used": summary["flops_used"],
            "flops_remaining": summary["flops_remaining"],
            "records": len(budget._records),
            "logged_records": len(records),
            "logged_flops": sum(r["flop_cost"] for r in records),
            "wall_time_s": summary["wall_time_s"],
            "flopscope_backend_time_s": summary["flopscope_backend_time_s"],
            "flopscope_overhead_time_s": summary["flopscope_overhead_time_s"],
            "residual_wall_time_s": summary["residual_wall_time_s"],
        },
        "operations": summary["operations"],
        "records": records,
    }


def to_json(budget: BudgetContext, indent: int | None = None) -> str:
    """The budget as JSON text (see :meth:`BudgetContext.to_json`)."""
    return json.dumps(export_dict(budget), indent=indent)


def to_csv(budget: BudgetContext, path: str | os.PathLike[str]) -> None:
    """One row per logged record under a header of the :class:`OpRecord` field names;
    shapes as JSON lists, ``None`` as an empty cell."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        import csv  # (loaded on first use, as html and fractions below: import time)

        writer = csv.writer(handle)
        writer.writerow(RECORD_FIELDS)
        for record in budget.op_log:
            row = _record_dict(record)
            row["shapes"] = json.dumps(row["shapes"])
            writer.writerow("" if row[n] is None else row[n] for n in RECORD_FIELDS)


def to_dataframe(budget: BudgetContext) -> Any:
    """The logged records as a ``pandas.DataFrame`` (one column per OpRecord field)."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(
            "BudgetContext.to_dataframe() needs pandas, which is not installed "
            "(pip install pandas); to_json() and to_csv() need nothing"
        ) from exc
    rows = [dataclasses.astuple(r) for r in budget.op_log]
    return pandas.DataFrame(rows, columns=list(RECORD_FIELDS))


def to_html(budget: BudgetContext) -> str:
    """The summary as an HTML table (Jupyter shows a budget this way)."""
    import html

    summary = budget.summary_dict()
    kind = "BudgetContext" if budget._explicit else "default budget"
    rows = "".join(
        "<tr><td>{}</td><td style='text-align:right'>{:,}</td>"
        "<td style='text-align:right'>{:,}</td><td style='text-align:right'>{:.6f}</td>"
        "<td style='text-align:right'>{:.6f}</td></tr>".format(
            html.escape(name),
            figures["flop_cost"],
            figures["calls"],
            figures["flopscope_backend_time_s"],
            figures["flopscope_overhead_time_s"],
        )
        for name, figures in summary["operations"].items()
    )
    return (
        f"<div><p><b>{kind}</b>: used {summary['flops_used']:,} of "
        f"{summary['flop_budget']:,} FLOPs ({summary['flops_remaining']:,} remaining), "
        f"wall time {summary['wall_time_s']:.6f} s</p>"
        "<table><thead><tr><th>operation</th><th>FLOPs</th><th>calls</th>"
        "<th>backend s</th><th>overhead s</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


# ---------------------------------------------------------------- rebilling
@dataclasses.dataclass(frozen=True)
class RebillResult:
    """A recorded run priced anew.

    ``total`` and ``by_op`` (name -> FLOPs, costliest first) are the new prices of the
    records given; ``costs`` the new cost of each record, in order; ``original_*`` the
    charges as recorded. ``approximate`` counts records whose analytical work could not
    be recovered and were scaled by the ratio of the factors instead. ``unlogged_flops``:
    what the run charged beyond the records given (a budget with ``keep_log=False``
    keeps only its latest records), left out of both totals.
    """

    total: int
    by_op: dict[str, int]
    costs: tuple[int, ...]
    original_total: int
    original_by_op: dict[str, int]
    approximate: int
    fma_cost: int
    flop_multiplier: float
    weights_source: str
    unlogged_flops: int = 0

    def __str__(self) -> str:
        width = max((len(n) for n in self.by_op), default=9)
        lines = [
            f"rebilled {len(self.costs)} records: {self.original_total:,} -> {self.total:,} "
            f"FLOPs (fma_cost {self.fma_cost}, multiplier {self.flop_multiplier!r}, "
            f"weights: {self.weights_source})"
        ]
        for name, cost in self.by_op.items():
            before = self.original_by_op.get(name, 0)
            lines.append(f"  {name:<{width}}  {before:>16,} -> {cost:>16,}")
        if self.approximate:
            lines.append(f"  ({self.approximate} records scaled, their analytical work unknown)")
        if self.unlogged_flops:
            lines.append(f"  ({self.unlogged_flops:,} FLOPs of records not logged are left out)")
        return "\n".join(lines)


class _Keep:
    def __repr__(self) -> str:
        return "<the run's own>"


#: the default of :func:`rebill`'s settings: keep what the run had
KEEP: Any = _Keep()


def _read_run(run: Any) -> tuple[list[OpRecord], _Pricing, int]:
    """(records, the prices they were charged at, FLOPs charged beyond those records) of
    whatever :func:`rebill` was given."""
    if isinstance(run, BudgetContext):
        records = list(run.op_log)
        unlogged = run.flops_used - sum(r.flop_cost for r in records)
        return records, _active_pricing(run.flop_multiplier), unlogged
    if isinstance(run, os.PathLike) or (isinstance(run, str) and not run.lstrip().startswith("{")):
        with open(run, encoding="utf-8") as handle:
            run = handle.read()
    if isinstance(run, str):
        run = json.loads(run)
    if isinstance(run, Mapping):
        version = run.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"rebill() reads to_json() schema_version {SCHEMA_VERSION}, got {version!r}"
            )
        settings = run["settings"]
        weights = settings["weights"]
        pricing = _Pricing(
            {str(k): float(v) for k, v in weights["table"].items()},
            int(settings["fma_cost"]),
            float(settings["flop_multiplier"]),
            _describe_source(weights),
        )
        records = [
            OpRecord(**{**r, "shapes": tuple(tuple(s) for s in r["shapes"])})
            for r in run["records"]
        ]
        totals = run.get("totals", {})
        unlogged = totals.get("flops_used", 0) - totals.get("logged_flops", 0)
        return records, pricing, unlogged
    if isinstance(run, Iterable):
        records = list(run)
        if not all(isinstance(r, OpRecord) for r in records):
            raise TypeError("rebill() takes OpRecords, a BudgetContext or to_json() output")
        return records, _active_pricing(1.0), 0
    raise TypeError(
        f"rebill() takes a BudgetContext, to_json() text, a path to it, its parsed dict or "
        f"a sequence of OpRecord; got {type(run).__name__}"
    )


def _new_weights(weights: Any, old: _Pricing) -> tuple[Mapping[str, float], str]:
    if weights is KEEP:
        return old.weights, old.weights_source
    if weights is None:
        return {}, "unit weights (rebill weights=None)"
    if isinstance(weights, (str, os.PathLike)):
        return _parse(weights), f"the file {weights}"
    if isinstance(weights, Mapping):
        table = {str(k): float(v) for k, v in weights.items()}
        for name, value in table.items():
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"weight of {name!r} must be finite and >= 0, got {value!r}")
        return table, "the table given to rebill"
    raise TypeError(f"weights must be a mapping, a path or None, got {type(weights).__name__}")


def rebill(
    run: Any,
    *,
    weights: Any = KEEP,
    fma_cost: int | None = None,
    flop_multiplier: float | None = None,
) -> RebillResult:
    """Price a recorded run under other weights, ``fma_cost`` or multiplier, without
    running it.

    ``run``: ``budget.to_json()`` text (or a path to a file holding it, or its parsed
    dict), priced at the settings it records; a :class:`BudgetContext`, priced at its
    multiplier and the weights and ``fma_cost`` in force now; or a sequence of
    :class:`OpRecord` (an ``op_log``), the same with multiplier 1.

    ``weights``: a mapping name -> weight, a path to a weights file as
    :func:`load_weights` reads, or None for unit weights; omitted, the run's own.
    ``fma_cost`` (1 or 2) and ``flop_multiplier``: omitted, the run's own. With every
    setting the run's own, each record keeps its cost exactly.
    """
    records, old, unlogged = _read_run(run)
    table, source = _new_weights(weights, old)
    new_fma = old.fma_cost if fma_cost is None else fma_cost
    if isinstance(new_fma, bool) or new_fma not in (1, 2):
        raise ValueError(f"fma_cost must be 1 or 2, got {fma_cost!r}")
    mult = old.flop_multiplier if flop_multiplier is None else float(flop_multiplier)
    if not math.isfinite(mult) or mult < 0:
        raise ValueError(f"flop_multiplier must be finite and >= 0, got {flop_multiplier!r}")
    new = _Pricing(table, new_fma, mult, source)
    costs: list[int] = []
    by_op: dict[str, int] = {}
    original: dict[str, int] = {}
    approximate = 0
    seen: dict[tuple, tuple[int, bool]] = {}
    for record in records:
        name = record.op_name
        memo = (name, record.shapes, record.subscripts, record.flop_cost)
        found = seen.get(memo)
        if found is None:
            found = seen[memo] = _reprice(record, old, new)
        cost, scaled = found
        approximate += scaled
        costs.append(cost)
        by_op[name] = by_op.get(name, 0) + cost
        original[name] = original.get(name, 0) + record.flop_cost
    ordered = dict(sorted(by_op.items(), key=lambda item: (-item[1], item[0])))
    return RebillResult(
        total=sum(costs),
        by_op=ordered,
        costs=tuple(costs),
        original_total=sum(r.flop_cost for r in records),
        original_by_op=original,
        approximate=approximate,
        fma_cost=new_fma,
        flop_multiplier=mult,
        weights_source=source,
        unlogged_flops=unlogged,
    )


def _reprice(record: OpRecord, old: _Pricing, new: _Pricing) -> tuple[int, bool]:
    """(the record's cost under ``new``, whether it had to be scaled)."""
    row = _resolve(record.op_name)
    name = row.weight_name
    old_fma = old.fma_cost if row.fma else 1
    new_fma = new.fma_cost if row.fma else 1
    if (
        old.weight(name) == new.weight(name)
        and old.flop_multiplier == new.flop_multiplier
        and old_fma == new_fma
    ):
        return record.flop_cost, False
    found = _analyse(record, old)
    if found.analytical is not None:
        return new.price(name, found.analytical * new_fma), False
    from fractions import Fraction

    before = old.weight(name) * old.flop_multiplier * old_fma
    after = new.weight(name) * new.flop_multiplier * new_fma
    if before == 0:
        return record.flop_cost, True
    return round(Fraction(record.flop_cost) * Fraction(after) / Fraction(before)), True
