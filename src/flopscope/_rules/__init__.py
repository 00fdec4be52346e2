"""Cost rules: small pure functions of shapes and arguments.

Each returns the *work* an operation does, as an int: element operations for pointwise
and reduction rules, fused multiply-adds for contraction rules. Pricing (the FMA
convention, weights, the budget's multiplier) happens in one place, ``_budget.charge``;
the registry row says whether a rule counts FMAs.

Two layers:

* shape formulas (``pointwise``, ``matmul``, ``einsum``, ...) take shapes and return work;
  they validate their input and raise ``ValueError`` naming the problem;
* argument rules (``*_rule``) take a call's ``(args, kwargs)``, already unwrapped to
  plain NumPy values, pick out the shapes, and call a shape formula. A registry row holds
  an argument rule; its docstring is the documented formula.

The rules live in modules named like the sections of NumPy's manual; this package
re-exports them all, so a registry row reads ``rules.sort_rule``.
"""

from __future__ import annotations

from .contractions import (  # noqa: F401
    dot,
    dot_rule,
    einsum,
    einsum_operands,
    einsum_rule,
    inner,
    inner_rule,
    kron_rule,
    matmul,
    matmul_rule,
    matvec,
    matvec_rule,
    outer_rule,
    parse_einsum,
    tensordot,
    tensordot_rule,
    trace,
    trace_rule,
    two_operand,
    vdot_rule,
    vecdot,
    vecdot_rule,
    vecmat,
    vecmat_rule,
)
from .core import (  # noqa: F401
    BAD_KINDS,
    Rule,
    Shape,
    arg,
    axis_tuple,
    broadcast_shape,
    dtype_error,
    numel,
    shape_of,
)
from .creation import linspace_rule, pad_rule  # noqa: F401
from .linalg import (  # noqa: F401
    chain_cost,
    linalg_outer_rule,
    linalg_trace_rule,
    multi_dot,
    multi_dot_rule,
    svd,
)
from .pointwise import (  # noqa: F401
    array_equal_rule,
    array_equiv_rule,
    choose_rule,
    clip_rule,
    first_input_rule,
    output_rule,
    pointwise,
    select_rule,
    where_rule,
)
from .random import (  # noqa: F401
    bytes_rule,
    choice_rule,
    dims_rule,
    dirichlet_rule,
    multinomial_rule,
    multivariate_hypergeometric_rule,
    multivariate_normal_rule,
    mvn_factorisation,
    permutation_rule,
    permuted_rule,
    sampler_rule,
)
from .reductions import reduction, reduction_rule  # noqa: F401
from .sorting import n_log2_n, partition_rule, searchsorted, searchsorted_rule, sort, sort_rule  # noqa: F401
