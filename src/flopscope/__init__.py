"""flopscope: NumPy-compatible arrays that count FLOPs analytically and enforce budgets.

import flopscope as flops
import flopscope.numpy as fnp

with flops.BudgetContext(flop_budget=10**6) as budget:
    y = fnp.ones((100, 100)) @ fnp.ones((100, 10))   # 100*100*10 = 100,000 FLOPs
print(budget.summary())
"""

from __future__ import annotations

from . import (
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
from ._display import budget_live
from ._module import Module
from ._records import OpRecord
from ._version import __version__
from ._weights import get_weight, load_weights, reset_weights
from .accounting import (
    cholesky_cost,
    cond_cost,
    det_cost,
    eig_cost,
    eigh_cost,
    eigvals_cost,
    eigvalsh_cost,
    einsum_cost,
    inv_cost,
    lstsq_cost,
    matmul_cost,
    matrix_power_cost,
    matrix_rank_cost,
    multi_dot_cost,
    norm_cost,
    pinv_cost,
    pointwise_cost,
    qr_cost,
    reduction_cost,
    slogdet_cost,
    solve_cost,
    svd_cost,
    tensorinv_cost,
    tensorsolve_cost,
)
from .errors import (
    BudgetExhaustedError,
    FlopscopeError,
    ModuleFileError,
    NonFiniteResultError,
    TimeExhaustedError,
    UnsupportedDtypeError,
    UnsupportedFunctionError,
)

__all__ = [
    "BudgetContext",
    "BudgetExhaustedError",
    "FlopscopeError",
    "Module",
    "ModuleFileError",
    "NonFiniteResultError",
    "OpRecord",
    "TimeExhaustedError",
    "UnsupportedDtypeError",
    "UnsupportedFunctionError",
    "__version__",
    "accounting",
    "budget",
    "budget_live",
    "budget_reset",
    "budget_summary",
    "budget_summary_dict",
    "cholesky_cost",
    "cond_cost",
    "configure",
    "current_budget",
    "det_cost",
    "eig_cost",
    "eigh_cost",
    "eigvals_cost",
    "eigvalsh_cost",
    "einsum_cost",
    "errors",
    "get_weight",
    "inv_cost",
    "load_weights",
    "lstsq_cost",
    "matmul_cost",
    "matrix_power_cost",
    "matrix_rank_cost",
    "multi_dot_cost",
    "namespace",
    "norm_cost",
    "numpy",
    "pinv_cost",
    "pointwise_cost",
    "qr_cost",
    "reduction_cost",
    "reset_weights",
    "slogdet_cost",
    "solve_cost",
    "svd_cost",
    "tensorinv_cost",
    "tensorsolve_cost",
]
