"""flopscope: NumPy-compatible arrays that count FLOPs analytically and enforce budgets.

import flopscope as flops
import flopscope.numpy as fnp

with flops.BudgetContext(flop_budget=10**6) as budget:
    y = fnp.ones((100, 100)) @ fnp.ones((100, 10))   # 100*100*10 = 100,000 FLOPs
print(budget.summary())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import (
    _symmetric_contraction,  # noqa: F401  (the contraction family's symmetric pricing)
    accounting,
    errors,
    numpy,
)
from ._budget import (
    BudgetContext,
    budget,
    budget_reset,
    budget_summary,
    budget_summary_dict,
    current_budget,
    namespace,
)
from ._config import configure
from ._dry_run import DryRun, ShapeOnlyArray, dry_run
from ._hotpath_loader import HOT_PATH
from ._symmetric_tensor import SymmetricTensor, as_symmetric, is_symmetric, symmetrize
from ._symmetry import SymmetryGroup
from ._user_ops import counted, register
from ._version import __version__
from ._weights import get_weight, load_weights, reset_weights
from .accounting import *  # noqa: F403  (every *_cost query, also on flops)
from .accounting import __all__ as _QUERIES
from .errors import (
    BudgetExhaustedError,
    DryRunValueError,
    FlopscopeError,
    ModuleFileError,
    NonFiniteResultError,
    SymmetryError,
    SymmetryLossWarning,
    TimeExhaustedError,
    UnsupportedDtypeError,
    UnsupportedFunctionError,
)

__all__ = [
    "HOT_PATH",
    "AccumulationCost",
    "BudgetContext",
    "BudgetExhaustedError",
    "DryRun",
    "DryRunValueError",
    "Explanation",
    "FlopscopeError",
    "Module",
    "ModuleFileError",
    "NonFiniteResultError",
    "OpRecord",
    "RebillResult",
    "ShapeOnlyArray",
    "SymmetricTensor",
    "SymmetryError",
    "SymmetryGroup",
    "SymmetryLossWarning",
    "TimeExhaustedError",
    "UnsupportedDtypeError",
    "UnsupportedFunctionError",
    "__version__",
    "accounting",
    "as_symmetric",
    "budget",
    "budget_live",
    "budget_reset",
    "budget_summary",
    "budget_summary_dict",
    "configure",
    "counted",
    "current_budget",
    "dry_run",
    "errors",
    "explain",
    "get_weight",
    "is_symmetric",
    "load_weights",
    "namespace",
    "numpy",
    "rebill",
    "register",
    "reset_weights",
    "symmetrize",
    "stats",  # noqa: F405  (imported on first use: __getattr__ below)
    *_QUERIES,
]


if TYPE_CHECKING:
    from ._accumulation import AccumulationCost
    from ._display import budget_live
    from ._module import Module
    from ._op_log import OpRecord
    from ._report import Explanation, RebillResult, explain, rebill

#: names of modules imported on first use (import time): explanations and re-billing,
#: accumulation costs, Module, the live display
_LAZY_NAMES = {
    "Explanation": "._report",
    "RebillResult": "._report",
    "explain": "._report",
    "rebill": "._report",
    "AccumulationCost": "._accumulation",
    "Module": "._module",
    "budget_live": "._display",
    "OpRecord": "._op_log",
}


def __getattr__(name: str) -> Any:
    import importlib

    # flopscope.stats is imported when first used (``flops.stats.norm.pdf``)
    if name == "stats":
        return importlib.import_module(".stats", __name__)
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(_LAZY_NAMES[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
