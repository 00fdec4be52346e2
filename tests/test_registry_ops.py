"""Table-driven tests: every registry row x sample shapes x dtypes.

For each counted row and each sample call: the result equals NumPy's (values and
dtype); the charge equals the documented formula (written here independently of the
rule); with a budget one FLOP short the call raises ``BudgetExhaustedError`` before
anything is written (an ``out=`` buffer keeps its contents); and where NumPy itself
refuses the input, flopscope raises the same error and charges nothing. Free rows
charge nothing and match NumPy; blocked rows raise with their reason.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._dispatch import COUNTED
from flopscope._registry import REGISTRY
from samples import RNG, Case, case_tables, numel, small_ints, unit
from samples import case as _c

pytestmark = pytest.mark.usefixtures("unit_weights")


UNARY_DTYPES = (np.float64, np.float32, np.int64, np.complex128, np.bool_)
UNARY_SHAPES = ((7,), (3, 4), ())
BINARY_SHAPES = (((7,), (7,)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3), ()))


def _make(shape, dtype):
    if dtype is np.bool_:
        return RNG.random(shape) > 0.5
    if np.issubdtype(dtype, np.integer):
        return small_ints(shape, dtype)
    if np.issubdtype(dtype, np.complexfloating):
        return (unit(shape) + 1j * unit(shape)).astype(dtype)
    return unit(shape, dtype)


def ufunc_cases(uf: np.ufunc) -> list[Case]:
    cases = []
    if uf.nin == 1:
        for dtype in UNARY_DTYPES:
            for shape in UNARY_SHAPES:
                x = _make(shape, dtype)
                cases.append(Case((x,), cost=numel(shape)))
    else:
        for dtype in (np.float64, np.float32, np.int64, np.bool_):
            for sa, sb in BINARY_SHAPES:
                a, b = _make(sa, dtype), _make(sb, dtype)
                cases.append(Case((a, b), cost=numel(np.broadcast_shapes(sa, sb))))
        cases.append(Case((unit((5,)), 0.5), cost=5))  # Python scalar operand
        cases.append(Case(([0.25, 0.5, 0.75], unit((3,))), cost=3))  # list operand
    return cases


M34 = unit((3, 4))
V4 = unit((4,))
SQ = unit((4, 4))
REDUCTION_SAMPLES = [
    lambda: Case((unit((3, 4)),)),
    lambda: Case((unit((3, 4)),), {"axis": 0}),
    lambda: Case((unit((2, 3, 4)),), {"axis": -1}),
    lambda: Case((unit((6,)),)),
]


def reduction_cases(name: str) -> list[Case]:
    cases = []
    for make in REDUCTION_SAMPLES:
        case = make()
        case.cost = numel(case.args[0].shape)
        cases.append(case)
    return cases


SORTED = np.sort(unit((9,)))
CUSTOM: dict[str, list[Callable[[], Case]]] = {
    "clip": [
        _c((M34, 0.2, 0.8), cost=12),
        _c((M34,), {"a_min": 0.3, "a_max": V4}, cost=12),
        _c((M34, unit((3, 1)), None), cost=12),
    ],
    "where": [
        _c((M34 > 0.5, M34, 0.0), cost=12),
        _c((V4 > 0.5, M34, unit((3, 1))), cost=12),
        _c((M34 > 0.5,), cost=12),
    ],
    "dot": [
        _c((M34, V4), cost=12),
        _c((M34.T, M34), cost=4 * 3 * 4),
        _c((V4, V4), cost=4),
        _c((2.0, M34), cost=12),
        _c((unit((2, 3, 4)), unit((4, 5))), cost=2 * 3 * 5 * 4),
    ],
    "einsum": [
        _c(("ij,j->i", M34, V4), cost=12),
        _c(("ij,jk->ik", M34, SQ), cost=3 * 4 * 4),
        _c(("ii->", SQ), cost=4),
        _c(("ij->", M34), cost=12),
        _c(("...ij,...jk->...ik", unit((2, 3, 4)), unit((2, 4, 5))), cost=2 * 3 * 4 * 5),
        _c(("ij,jk", M34, SQ), cost=48),
        _c((M34, [0, 1], V4, [1], [0]), cost=12),
        # three operands: the sum of the steps of the cheapest path, not 3*4*4*4
        # (values: NumPy's default runs one fused loop, the planned path rounds differently)
        _c(("ij,jk,k->i", M34, SQ, V4), cost=4 * 4 + 3 * 4, values=False),
        _c(("ij,jk,k->i", M34, SQ, V4), {"optimize": False}, cost=3 * 4 * 4),
        _c(
            ("ij,jk,k->i", M34, SQ, V4),
            {"optimize": ["einsum_path", (0, 1), (0, 1)]},
            cost=3 * 4 * 4 + 3 * 4,
        ),
    ],
    "einsum_path": [
        _c(("ij,jk,k->i", M34, SQ, V4), cost=1),
        _c(("ij,jk,k->i", M34, SQ, V4), {"optimize": "optimal"}, cost=1),
    ],
    "trace": [
        _c((SQ,), cost=4),
        _c((M34,), cost=3),
        _c((M34, 1), cost=3),
        _c((M34, -1), cost=2),
        _c((unit((2, 3, 3)), 0, 1, 2), cost=2 * 3),
    ],
    "sort": [
        _c((unit((9,)),), cost=9 * 4),
        _c((M34,), cost=3 * 4 * 2),
        _c((unit((3, 1)),), cost=0),
        _c((M34,), {"axis": 0}, cost=4 * 3 * 2),
        _c((M34, None), cost=12 * 4),
    ],
    "argsort": [_c((unit((9,)),), cost=9 * 4), _c((M34, 0), cost=4 * 3 * 2)],
    "sort_complex": [_c((unit((8,)) + 1j * unit((8,)),), cost=8 * 3)],
    "partition": [_c((unit((9,)), 3), cost=9), _c((M34, 1), cost=12)],
    "argpartition": [_c((unit((9,)), 3), cost=9)],
    "searchsorted": [_c((SORTED, unit((5,))), cost=5 * 4), _c((SORTED, 0.5), cost=4)],
    "nonzero": [_c((M34 > 0.5,), cost=12)],
    "flatnonzero": [_c((M34 > 0.5,), cost=12)],
    "argwhere": [_c((M34 > 0.5,), cost=12)],
    "linspace": [_c((0.0, 1.0, 7), cost=7), _c((0.0, V4), {"num": 5}, cost=20)],
    "pad": [
        _c((unit((3,)), 1), cost=0),
        _c((M34, 1), {"mode": "mean"}, cost=2 * 2 * 12),
        _c((unit((4,)), 2), {"mode": "linear_ramp"}, cost=8),
        _c((M34, 1), {"mode": "edge"}, cost=0),
    ],
    "isclose": [_c((M34, M34 + 1e-12), cost=12), _c((M34, V4), cost=12)],
    "allclose": [_c((M34, M34), cost=12), _c((M34, V4), cost=12)],
    "array_equal": [_c((M34, M34), cost=12), _c((M34, V4), cost=0), _c((M34, M34.T), cost=0)],
    "array_equiv": [_c((M34, M34), cost=12), _c((M34, V4), cost=12), _c((M34, M34.T), cost=0)],
}
for _name in (
    "round",
    "around",
    "fix",
    "nan_to_num",
    "angle",
    "iscomplex",
    "isreal",
    "isneginf",
    "isposinf",
    "sinc",
    "i0",
    "real_if_close",
    "asarray_chkfinite",
):
    CUSTOM[_name] = [_c((M34,), cost=12), _c((unit((5,)),), cost=5)]
CUSTOM["round"].append(_c((M34, 2), cost=12))
CUSTOM["angle"].append(_c((unit((3,)) + 1j,), cost=3))

# random sampling: one draw per output element (shuffle/permutation n*ceil(log2 n));
# choice and the multivariate samplers: tests/cases_random.py
_SIZE = (3, 4)
RANDOM_ARGS: dict[str, tuple] = {
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
    "logseries": (0.5,),
    "pareto": (2.0,),
    "poisson": (3.0,),
    "power": (2.0,),
    "rayleigh": (1.0,),
    "standard_gamma": (2.0,),
    "standard_t": (3.0,),
    "weibull": (2.0,),
    "zipf": (2.0,),
    "normal": (0.0, 1.0),
    "uniform": (0.0, 1.0),
    "beta": (2.0, 3.0),
    "binomial": (10, 0.3),
    "f": (3.0, 4.0),
    "gamma": (2.0, 1.0),
    "gumbel": (0.0, 1.0),
    "laplace": (0.0, 1.0),
    "logistic": (0.0, 1.0),
    "lognormal": (0.0, 1.0),
    "negative_binomial": (5, 0.5),
    "noncentral_chisquare": (3.0, 1.0),
    "vonmises": (0.0, 1.0),
    "wald": (1.0, 1.0),
    "randint": (0, 10),
    "random_integers": (1, 10),
    "hypergeometric": (5, 5, 3),
    "noncentral_f": (3.0, 4.0, 1.0),
    "triangular": (0.0, 0.5, 1.0),
}
for _name, _params in RANDOM_ARGS.items():
    CUSTOM[f"random.{_name}"] = [
        _c((*_params, _SIZE), cost=12, seed=7),
        _c((*_params,), {"size": 5}, cost=5, seed=7),
    ]
CUSTOM["random.normal"].append(_c((V4, 1.0), cost=4, seed=3))  # size from parameters
CUSTOM["random.rand"] = [_c((3, 4), cost=12, seed=7), _c((), cost=1, seed=7)]
CUSTOM["random.randn"] = [_c((3, 4), cost=12, seed=7), _c((256,), cost=256, seed=7)]
CUSTOM["random.permutation"] = [_c((10,), cost=10 * 4, seed=7), _c((M34,), cost=3 * 2, seed=7)]
CUSTOM["random.shuffle"] = [_c((unit((10,)),), cost=10 * 4, seed=7)]


def counted_cases(name: str) -> list[Case]:
    op = REGISTRY[name]
    if op.is_ufunc and op.category in ("counted_unary", "counted_binary"):
        return ufunc_cases(op.impl)
    if op.category == "counted_reduction" and name not in CUSTOM:
        return reduction_cases(name)
    # a twin (``in1d`` of ``isin``) takes its twin's samples: same arguments, same rule
    makers = CUSTOM.get(name) or CUSTOM.get(op.billed_as or "", [])
    return [make() for make in makers]


CONTRACTION_UFUNC_CASES = {
    "matmul": [
        (M34, SQ, 3 * 4 * 4),
        (V4, SQ, 16),
        (SQ, V4, 16),
        (unit((2, 3, 4)), unit((4, 5)), 2 * 3 * 4 * 5),
        (V4, V4, 4),
    ],
    "vecdot": [(M34, V4, 12), (V4, V4, 4)],
    "matvec": [(M34, V4, 12), (unit((2, 3, 4)), V4, 24)],
    "vecmat": [(unit((3,)), M34, 12)],
}
for _name, _rows in CONTRACTION_UFUNC_CASES.items():
    if _name in REGISTRY:
        CUSTOM[_name] = [_c((a, b), cost=c) for a, b, c in _rows]

# rows whose samples live in a section file of their own (tests/cases_*.py)
_SECTION_COUNTED, _SECTION_FREE = case_tables()
for _name, _cases in _SECTION_COUNTED.items():
    assert _name not in CUSTOM, f"{_name}: samples given twice"
    CUSTOM[_name] = _cases

COUNTED_NAMES = sorted(
    n for n, op in REGISTRY.items() if op.category.startswith("counted") and op.alias_of is None
)


def test_every_counted_row_has_samples():
    missing = [n for n in COUNTED_NAMES if not counted_cases(n)]
    assert missing == []


# ---------------------------------------------------------------- comparisons
def _numpy_call(name: str, case: Case) -> Any:
    op = REGISTRY[name]
    if case.seed is not None:
        np.random.seed(case.seed)
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
    return op.impl(*args, **case.kwargs), args


def _assert_same(result: Any, expected: Any, values: bool = True) -> None:
    if type(expected) is tuple and expected and type(expected[0]) is list:
        # einsum_path: NumPy's path list; the info is flopscope's plan (its own table)
        assert result[0] == expected[0] and str(result[1])
        return
    if isinstance(expected, tuple):
        assert isinstance(result, tuple) and len(result) == len(expected)
        for r, e in zip(result, expected):
            _assert_same(r, e, values)
        return
    if expected is None:
        assert result is None
        return
    assert np.asarray(result).dtype == np.asarray(expected).dtype
    assert np.shape(result) == np.shape(expected)
    if values:
        np.testing.assert_array_equal(np.asarray(result), np.asarray(expected))
    if isinstance(expected, np.ndarray):
        assert isinstance(result, fnp.ndarray)


def _all_cases():
    for name in COUNTED_NAMES:
        for i, case in enumerate(counted_cases(name)):
            yield pytest.param(name, case, id=f"{name}-{i}")


@pytest.mark.parametrize(("name", "case"), list(_all_cases()))
def test_counted_row_matches_numpy_and_charges_its_formula(name, case):
    fn = COUNTED[name]
    try:
        with np.errstate(all="ignore"):
            expected, np_args = _numpy_call(name, case)
    except Exception as exc:  # NumPy refuses this input: so must flopscope, charging nothing
        with flops.BudgetContext(10**12, quiet=True) as budget:
            if case.seed is not None:
                np.random.seed(case.seed)
            with pytest.raises(type(exc)):
                fn(*case.args, **case.kwargs)
        assert budget.flops_used == 0
        assert len(budget.op_log) == 0
        return
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
    with flops.BudgetContext(10**12, quiet=True) as budget, np.errstate(all="ignore"):
        if case.seed is not None:
            np.random.seed(case.seed)
        result = fn(*args, **case.kwargs)
    _assert_same(result, expected, case.values)
    for got, want in zip(args, np_args):  # in-place effects (sort, shuffle) match too
        if isinstance(want, np.ndarray):
            np.testing.assert_array_equal(got, want)
    assert case.cost is not None
    assert budget.flops_used == case.cost
    assert type(budget.flops_used) is int
    (record,) = budget.op_log
    assert record.flop_cost == case.cost
    assert record.op_name == REGISTRY[name].billing_name


@pytest.mark.parametrize(("name", "case"), list(_all_cases()))
def test_one_flop_short_raises_before_anything_runs(name, case):
    if not case.cost:
        return
    op = REGISTRY[name]
    fn = COUNTED[name]
    try:
        with np.errstate(all="ignore"):
            expected, _ = _numpy_call(name, case)
    except Exception:
        return  # covered by the refusal branch above
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
    before = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    kwargs = dict(case.kwargs)
    out = None
    if op.is_ufunc and isinstance(expected, np.ndarray) and op.impl.nout == 1:
        out = np.full(expected.shape, 7, dtype=expected.dtype)
        out_before = out.copy()
        kwargs["out"] = out
    with flops.BudgetContext(case.cost - 1, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError) as info:
            fn(*args, **kwargs)
    assert info.value.flop_cost == case.cost
    assert info.value.flops_remaining == case.cost - 1
    assert budget.flops_used == 0 and len(budget.op_log) == 0
    if out is not None:
        np.testing.assert_array_equal(out, out_before)
    for got, want in zip(args, before):
        if isinstance(want, np.ndarray):
            np.testing.assert_array_equal(got, want)


UFUNC_NAMES = sorted(
    n
    for n, op in REGISTRY.items()
    if op.is_ufunc and op.alias_of is None and op.category in ("counted_unary", "counted_binary")
)


@pytest.mark.parametrize("name", UFUNC_NAMES)
def test_ufunc_with_out_writes_the_buffer_and_returns_it(name):
    uf = REGISTRY[name].impl
    args = (unit((3, 4)),) * uf.nin
    try:
        with np.errstate(all="ignore"):
            expected = uf(*args)
    except TypeError:
        return  # float input not supported by this ufunc (covered by the refusal test)
    if uf.nout != 1:
        return
    out = fnp.zeros(expected.shape, dtype=expected.dtype)
    with flops.BudgetContext(10**6) as budget, np.errstate(all="ignore"):
        result = COUNTED[name](*args, out=out)
    assert result is out
    np.testing.assert_array_equal(out, expected)
    assert budget.flops_used == 12


@pytest.mark.parametrize("name", [n for n in UFUNC_NAMES if REGISTRY[n].impl.nin == 2])
def test_ufunc_methods_are_charged(name):
    uf = REGISTRY[name].impl
    a = unit((3, 4))
    try:
        expected = uf.reduce(a, axis=0)
    except (TypeError, ValueError):
        return  # no reduction for this ufunc or dtype
    with flops.BudgetContext(10**6) as budget:
        result = COUNTED[name].reduce(a, axis=0)
        outer = COUNTED[name].outer(a[0], a[1])
        accumulated = COUNTED[name].accumulate(a, axis=1)
    np.testing.assert_array_equal(result, expected)
    np.testing.assert_array_equal(outer, uf.outer(a[0], a[1]))
    np.testing.assert_array_equal(accumulated, uf.accumulate(a, axis=1))
    assert budget.flops_used == 12 + 16 + 12
    names = [r.op_name for r in budget.op_log]
    assert names == [f"{name}.reduce", f"{name}.outer", f"{name}.accumulate"]


# ---------------------------------------------------------------- free rows
FREE_CASES: dict[str, list[Callable[[], tuple[tuple, dict]]]] = {}


def _free(names: str, make: Callable[[], tuple[tuple, dict]]) -> None:
    for n in names.split():
        FREE_CASES.setdefault(n, []).append(make)


_free(
    "array asarray asanyarray ascontiguousarray asfortranarray copy ravel transpose "
    "permute_dims matrix_transpose squeeze atleast_1d atleast_2d atleast_3d flip fliplr "
    "flipud rot90 diag diagflat diagonal tril triu shape ndim size real imag iscomplexobj "
    "isrealobj isfortran iterable isscalar require array2string array_repr array_str "
    "result_type common_type zeros_like ones_like broadcast_arrays min_scalar_type "
    "tril_indices_from triu_indices_from diag_indices_from",
    lambda: ((unit((3, 3)),), {}),
)
_free("empty_like", lambda: ((unit((3, 3)),), {}))
_free("astype", lambda: ((unit((3,)), np.float32), {}))
_free("indices", lambda: (((2, 3),), {}))
_free(
    "zeros ones empty eye identity tri arange tril_indices triu_indices diag_indices",
    lambda: ((3,), {}),
)
_free("full", lambda: (((2, 3), 1.5), {}))
_free("full_like", lambda: ((unit((2, 3)), 2.0), {}))
_free("reshape", lambda: ((unit((3, 4)), (4, 3)), {}))
_free("swapaxes", lambda: ((unit((2, 3, 4)), 0, 2), {}))
_free("moveaxis rollaxis", lambda: ((unit((2, 3, 4)), 0, 2), {}))
_free("expand_dims", lambda: ((unit((3,)), 0), {}))
_free("broadcast_to", lambda: ((unit((3,)), (2, 3)), {}))
_free("broadcast_shapes", lambda: (((2, 1), (1, 3)), {}))
_free("roll", lambda: ((unit((5,)), 2), {}))
_free("resize", lambda: ((unit((4,)), (2, 3)), {}))
_free(
    "concatenate concat vstack hstack dstack column_stack row_stack stack block",
    lambda: (([unit((2, 3)), unit((2, 3))],), {}),
)
_free("split array_split hsplit vsplit dsplit", lambda: ((unit((2, 2, 2)), 2), {}))
_free("unstack", lambda: ((unit((2, 3)),), {}))
_free("append", lambda: ((unit((3,)), [1.0, 2.0]), {}))
_free("insert", lambda: ((unit((3,)), 1, 9.0), {}))
_free("delete", lambda: ((unit((3,)), 1), {}))
_free("repeat tile", lambda: ((unit((3,)), 2), {}))
_free("take", lambda: ((unit((5,)), [0, 2]), {}))
_free("take_along_axis", lambda: ((unit((2, 3)), np.array([[0], [2]])), {"axis": 1}))
_free("choose", lambda: (([0, 1, 0], [unit((3,)), unit((3,))]), {}))
_free("compress", lambda: (([True, False, True], unit((3,))), {}))
_free("extract", lambda: ((np.array([True, False, True]), unit((3,))), {}))
_free(
    "select",
    lambda: (([np.array([True, False]), np.array([False, True])], [unit((2,)), unit((2,))]), {}),
)
_free("ix_", lambda: (([0, 1], [1, 2]), {}))
_free("meshgrid", lambda: ((unit((2,)), unit((3,))), {}))
_free("mask_indices", lambda: ((3, np.triu), {}))
_free("ravel_multi_index", lambda: (((np.array([0, 1]), np.array([1, 2])), (2, 3)), {}))
_free("unravel_index", lambda: (([1, 4], (2, 3)), {}))
_free("can_cast", lambda: ((np.float32, np.float64), {}))
_free("promote_types", lambda: ((np.float32, np.int64), {}))
_free("mintypecode", lambda: ((["d", "f"],), {}))
_free("issubdtype", lambda: ((np.float32, np.floating), {}))
_free("isdtype", lambda: ((np.dtype(np.float32), "real floating"), {}))
_free("may_share_memory shares_memory", lambda: ((unit((3,)), unit((3,))), {}))
_free("frombuffer", lambda: ((b"\x00" * 16,), {}))
_free("fromiter", lambda: ((iter([1.0, 2.0]), float), {}))
_free("fromfunction", lambda: ((lambda i, j: j, (2, 3)), {}))
_free("fromstring", lambda: (("1 2 3",), {"sep": " "}))
_free("from_dlpack", lambda: ((unit((3,)),), {}))
_free("base_repr binary_repr", lambda: ((5,), {}))
_free("format_float_positional format_float_scientific", lambda: ((1.5,), {}))
_free("typename", lambda: (("d",), {}))
_free("get_include", lambda: ((), {}))
_free("apply_along_axis", lambda: ((lambda v: v[0], 0, unit((3, 4))), {}))
_free("apply_over_axes", lambda: ((lambda a, ax: a, unit((3, 4)), [0]), {}))
_free("piecewise", lambda: ((unit((4,)), [np.ones(4, bool)], [lambda v: v]), {}))

for _name, _cases in _SECTION_FREE.items():
    assert _name not in FREE_CASES, f"{_name}: samples given twice"
    FREE_CASES[_name] = _cases

IN_PLACE_FREE = {
    "copyto": lambda: ((np.zeros(3), unit((3,))), {}),
    "fill_diagonal": lambda: ((np.zeros((3, 3)), 5.0), {}),
    "put": lambda: ((np.zeros(4), [0, 2], [1.0, 2.0]), {}),
    "put_along_axis": lambda: ((np.zeros((2, 3)), np.array([[0], [1]]), 9.0, 1), {}),
    "place": lambda: ((np.zeros(3), np.array([True, False, True]), [1.0, 2.0]), {}),
    "putmask": lambda: ((np.zeros(3), np.array([True, False, True]), 4.0), {}),
}

FREE_NAMES = sorted(  # random's and testing's free rows have test files of their own
    n
    for n, op in REGISTRY.items()
    if op.category == "free" and not n.startswith(("random.", "testing.")) and op.alias_of is None
)


#: free rows whose results are not arrays to compare with NumPy's: tested in their own file
TESTED_ELSEWHERE = {
    "load": "test_io.py",
    "save": "test_io.py",
    "savez": "test_io.py",
    "savez_compressed": "test_io.py",
    "vectorize": "test_vectorize.py",
    "frompyfunc": "test_vectorize.py",
}


def test_every_free_row_has_samples():
    missing = [
        n
        for n in FREE_NAMES
        if n not in FREE_CASES and n not in IN_PLACE_FREE and n not in TESTED_ELSEWHERE
    ]
    assert missing == []
    assert set(TESTED_ELSEWHERE) <= set(FREE_NAMES)


def _compare_free(result, expected, exact_values: bool) -> None:
    if isinstance(expected, np.ndarray):
        assert isinstance(result, fnp.ndarray)
        assert result.shape == expected.shape and result.dtype == expected.dtype
        if exact_values:  # compared as plain arrays: str and datetime data are not counted
            np.testing.assert_array_equal(result.view(np.ndarray), expected)
    elif isinstance(expected, (list, tuple)):
        assert len(result) == len(expected)
        for r, e in zip(result, expected):
            _compare_free(r, e, exact_values)
    else:
        assert result == expected


@pytest.mark.parametrize("name", FREE_NAMES)
def test_free_row_matches_numpy_and_charges_nothing(name):
    for make in FREE_CASES.get(name, []) + ([IN_PLACE_FREE[name]] if name in IN_PLACE_FREE else []):
        args, kwargs = make()
        np_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        if name == "fromiter":
            np_args[0] = iter([1.0, 2.0])
        expected = REGISTRY[name].impl(*np_args, **kwargs)
        with flops.BudgetContext(0) as budget:  # a zero budget: anything charged would raise
            result = COUNTED[name](*args, **kwargs)
        assert budget.flops_used == 0 and len(budget.op_log) == 0
        exact = name not in ("empty", "empty_like")
        _compare_free(result, expected, exact)
        for got, want in zip(args, np_args):  # in-place free ops write like NumPy
            if isinstance(want, np.ndarray):
                np.testing.assert_array_equal(got, want)


def test_free_results_are_counted_arrays_and_picklable():
    x = fnp.reshape(fnp.arange(6.0), (2, 3))
    assert isinstance(x, fnp.ndarray) and isinstance(x, np.ndarray)
    y = pickle.loads(pickle.dumps(x))
    assert isinstance(y, fnp.ndarray)
    np.testing.assert_array_equal(x, y)


# ---------------------------------------------------------------- blocked rows
BLOCKED = sorted(n for n, op in REGISTRY.items() if op.category == "blocked")


@pytest.mark.parametrize("name", BLOCKED)
def test_blocked_name_raises_attribute_error_with_reason(name):
    op = REGISTRY[name]
    module: Any = fnp
    head, _, short = name.rpartition(".")
    for part in head.split(".") if head else ():
        module = getattr(module, part)
    with pytest.raises(AttributeError) as info:
        getattr(module, short)
    assert isinstance(info.value, flops.UnsupportedFunctionError)
    assert short in str(info.value) and "blocked" in str(info.value)
    assert op.notes and op.notes in str(info.value)


def test_blocked_numpy_function_on_counted_array_raises(tmp_path):
    x = fnp.ones(3)
    with pytest.raises(flops.UnsupportedFunctionError, match="blocked"):
        np.savetxt(tmp_path / "x.txt", x)
    assert not (tmp_path / "x.txt").exists()
    with pytest.raises(flops.UnsupportedFunctionError, match="blocked"):
        x.tofile(tmp_path / "x.bin")
    assert not hasattr(x, "tofile")
    assert not (tmp_path / "x.bin").exists()


def test_numpy_save_on_a_counted_array_takes_the_pickle_free_row(tmp_path):
    x = fnp.arange(3.0)
    np.save(tmp_path / "x.npy", x)  # __array_function__ reaches flopscope's save
    np.testing.assert_array_equal(np.load(tmp_path / "x.npy"), [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="pickle"):
        np.save(tmp_path / "y.npy", x, allow_pickle=True)
    assert not (tmp_path / "y.npy").exists()


def test_docstrings_carry_the_cost_formula():
    assert "numel(output)" in fnp.exp.__doc__
    assert "numel(input)" in fnp.sum.__doc__
    assert "m * k * n" in fnp.matmul.__doc__
    assert "fma_cost" in fnp.einsum.__doc__
    assert fnp.reshape.__doc__.startswith("flopscope: free")


def test_a_row_is_an_immutable_value():
    """A registry row: fields fixed once made, compared and hashed by value, copied with
    changes by ``replace`` (which checks the copy as a new row)."""
    row = REGISTRY["add"]
    with pytest.raises(AttributeError, match="immutable"):
        row.notes = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del row.rule
    copy = row.replace(notes="n")
    assert copy.notes == "n" and copy.rule is row.rule and row.notes != "n"
    assert copy.replace(notes=row.notes) == row and hash(copy.replace(notes=row.notes)) == hash(row)
    with pytest.raises(ValueError, match="needs a cost rule"):
        row.replace(rule=None)
    with pytest.raises(ValueError, match="unknown category"):
        row.replace(category="counted_sometimes")
    with pytest.raises(TypeError):
        row.replace(colour="red")
    assert "name='add'" in repr(row)
