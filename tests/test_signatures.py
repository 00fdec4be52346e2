"""Signature parity: every counted function accepts every parameter NumPy's accepts.

For each counted row (ufuncs aside: the ufunc machinery is NumPy's own) and each
optional parameter of NumPy's signature, the first registry sample is called once more
with that parameter given explicitly at its default value: the result must equal
NumPy's for the same call, and the charge that of the call without it. Differences are
data, each with its reason.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._dispatch import COUNTED
from flopscope._registry import REGISTRY
from test_registry_ops import COUNTED_NAMES, counted_cases

#: (row, parameter) -> why the parameter is not passed at its default
DIFFERENCES: dict[tuple[str, str], str] = {}
#: parameters no counted function may receive at their default, with the reason
SKIPPED_PARAMETERS = {
    "out": "an out= array is a different call; tested with every row in test_registry_ops",
    "like": "array creation protocol for other array libraries; flopscope is the library",
}


def _optional_parameters(impl) -> list[inspect.Parameter]:
    try:
        signature = inspect.signature(impl)
    except (TypeError, ValueError):
        return []
    return [
        p
        for p in signature.parameters.values()
        if p.default is not inspect.Parameter.empty
        and p.default is not np._NoValue
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]


def _first_accepted(name: str, cases: list):
    """The first sample NumPy itself accepts (some samples test NumPy's refusals)."""
    for case in cases:
        try:
            REGISTRY[name].impl(*case.args, **case.kwargs)
        except Exception:
            continue
        return case
    return None


def _calls():
    for name in COUNTED_NAMES:
        op = REGISTRY[name]
        if op.is_ufunc or name.startswith("random."):
            continue
        case = _first_accepted(name, counted_cases(name))
        if case is None:
            continue
        try:
            positional = list(inspect.signature(op.impl).parameters)[: len(case.args)]
        except (TypeError, ValueError):  # a builtin without a signature (older NumPy)
            continue
        for p in _optional_parameters(op.impl):
            if p.name in case.kwargs or p.name in positional or p.name in SKIPPED_PARAMETERS:
                continue
            if (name, p.name) in DIFFERENCES:
                continue
            yield pytest.param(name, case, p.name, p.default, id=f"{name}-{p.name}")


@pytest.mark.parametrize(("name", "case", "parameter", "default"), list(_calls()))
def test_each_parameter_is_accepted_at_its_default(name, case, parameter, default, unit_weights):
    op = REGISTRY[name]
    kwargs = {**case.kwargs, parameter: default}
    expected = op.impl(*case.args, **kwargs)
    with flops.BudgetContext(10**12) as with_parameter:
        got = COUNTED[name](*case.args, **kwargs)
    with flops.BudgetContext(10**12) as without:
        COUNTED[name](*case.args, **case.kwargs)
    assert with_parameter.flops_used == without.flops_used
    if isinstance(expected, tuple):
        for g, e in zip(got, expected):
            np.testing.assert_array_equal(np.asarray(g), np.asarray(e))
    else:
        np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))


def test_public_signatures_are_numpys():
    for name in ("sum", "mean", "sort", "einsum", "clip", "where", "pad", "linspace"):
        try:
            expected = inspect.signature(getattr(np, name))
        except ValueError:  # a builtin without a signature in this NumPy
            continue
        assert inspect.signature(getattr(fnp, name)) == expected
