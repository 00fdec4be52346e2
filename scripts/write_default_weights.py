"""Write the packaged default weights table (src/flopscope/data/weights.json).

The table is a reviewed artifact: run this only when the registry gains rows, review
the diff, and commit it. Values: one analytical FLOP of ``add`` weighs 1; a
transcendental evaluation (exp, log, trig, hyperbolic, power) weighs 16, the cost of a
minimax polynomial evaluation in instructions; a random draw weighs 16 (a bit-generator
step plus a transform); free operations weigh 0. A ``stats.*`` row counts every
operation of its per-element formula as 1 and weighs their average (arithmetic 1,
transcendental 16), so it is charged what the same formula costs written out. Calibrated values replace these when
the calibration runner measures a platform.

    FLOPSCOPE_DISABLE_WEIGHTS=1 python scripts/write_default_weights.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ["FLOPSCOPE_DISABLE_WEIGHTS"] = "1"

from flopscope._registry import GENERATOR_METHODS, REGISTRY
from flopscope._rules.stats_distributions import stats_weight

TRANSCENDENTAL = set(
    """
    exp exp2 expm1 log log2 log10 log1p sin cos tan arcsin arccos arctan arctan2 sinh cosh
    tanh arcsinh arccosh arctanh power float_power logaddexp logaddexp2 cbrt sinc i0 angle
    logn
""".split()
)
#: submodules whose functions are the same math as the top-level ones of the same name
SAME_MATH_PREFIXES = ("emath.",)
#: random rows whose work is not draws: comparisons of a shuffle, and multivariate_normal's
#: factorisation and transform (n * n multiply-adds per sample against n draws)
UNWEIGHTED_RANDOM = {
    "random.shuffle",
    "random.permutation",
    "random.permuted",
    "random.multivariate_normal",
}


def weight(name: str) -> float | None:
    if name not in REGISTRY:  # a Generator-only method (GENERATOR_METHODS)
        return 1.0 if name in UNWEIGHTED_RANDOM else 16.0
    op = REGISTRY[name]
    canonical = REGISTRY[op.billing_name]
    if op.category == "blocked":
        return None
    if op.category == "free":
        return 0.0
    if canonical.name in TRANSCENDENTAL:
        return 16.0
    if canonical.name.startswith(SAME_MATH_PREFIXES) and canonical.short_name in TRANSCENDENTAL:
        return 16.0
    if name.startswith("stats."):
        _, dist, method = name.split(".")
        return stats_weight(dist, method)
    if name.startswith("random.") and name not in UNWEIGHTED_RANDOM:
        return 16.0
    return 1.0


def main() -> None:
    table = {}
    for name in sorted({*REGISTRY, *(f"random.{m}" for m in GENERATOR_METHODS)}):
        w = weight(name)
        if w is not None:
            table[name] = w
    doc = {
        "meta": {
            "description": "flopscope packaged default weights (reviewed; see "
            "scripts/write_default_weights.py)",
            "fma_convention": 1,
        },
        "weights": table,
    }
    path = Path(__file__).resolve().parents[1] / "src" / "flopscope" / "data" / "weights.json"
    path.write_text(json.dumps(doc, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} weights to {path}")


if __name__ == "__main__":
    main()
