"""Every public NumPy callable is classified exactly once; every exported name is a row.

(astropy's completeness test: a NumPy upgrade that adds a function fails here until
someone classifies it.)
"""

from __future__ import annotations

import types

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._registry import (
    CATEGORIES,
    GENERATOR_FREE,
    GENERATOR_METHODS,
    PASSTHROUGH,
    REGISTRY,
    pending,
)

SUBMODULES = ("random", "linalg", "fft", "testing", "emath")


def _numpy_callables(prefix: str) -> set[str]:
    module = np if not prefix else getattr(np, prefix)
    names = set()
    for name in dir(module):
        if name.startswith("_"):
            continue
        obj = getattr(module, name)
        if isinstance(obj, types.ModuleType):
            continue
        if callable(obj) and not (isinstance(obj, type) and prefix == ""):
            names.add(name if not prefix else f"{prefix}.{name}")
    return names


def test_top_level_numpy_callables_are_each_classified_once():
    top = _numpy_callables("")
    placed = {n for n in REGISTRY if "." not in n}
    waiting = {n for n in pending() if "." not in n}
    assert placed.isdisjoint(waiting)
    unclassified = sorted(top - placed - waiting)
    assert unclassified == []


@pytest.mark.parametrize("prefix", ["random", "linalg", "fft", "emath"])
def test_submodule_callables_are_each_classified_once(prefix):
    names = _numpy_callables(prefix) - {
        f"{prefix}.test",
        f"{prefix}.LinAlgError",
        f"{prefix}.mtrand",
        f"{prefix}.bit_generator",
    }
    placed = {n for n in REGISTRY if n.startswith(prefix + ".")}
    waiting = {n for n in pending() if n.startswith(prefix + ".")}
    assert placed.isdisjoint(waiting)
    assert sorted(names - placed - waiting) == []


def test_types_and_constants_pass_through_unchanged():
    for name in PASSTHROUGH:
        assert getattr(fnp, name) is getattr(np, name), name
    assert fnp.ndarray is not np.ndarray and issubclass(fnp.ndarray, np.ndarray)
    assert fnp.pi == np.pi and fnp.float64 is np.float64


def test_every_row_has_a_known_category_and_counted_rows_a_rule():
    for name, op in REGISTRY.items():
        assert op.category in CATEGORIES, name
        assert (op.rule is not None) == op.category.startswith("counted"), name


def test_every_exported_name_is_a_registry_row():
    extras = {
        "ndarray",
        "ndenumerate",
        "namespace",
        "budget_summary",
        "budget_summary_dict",
        "r_",
        "c_",
        "mgrid",
        "ogrid",
        "exceptions",
        "lib",
        "polynomial",
        *SUBMODULES,
    }
    for name in fnp.__all__:
        assert name in REGISTRY or name in PASSTHROUGH or name in extras, name
    for sub in SUBMODULES:
        module = getattr(fnp, sub)
        for name in module.__all__:
            assert f"{sub}.{name}" in REGISTRY or name in {
                "LinAlgError",
                "CountedGenerator",
                "CountedRandomState",
            }, (sub, name)
    for name in fnp.polynomial.__all__:  # the top-level polynomial rows, offered again
        assert REGISTRY[name].category != "blocked", name


def test_every_counted_and_free_row_is_exported():
    for name, op in REGISTRY.items():
        if op.category == "blocked":
            continue
        head, _, short = name.rpartition(".")
        # rows of flopscope's own modules (stats) live under flopscope, NumPy's under fnp
        module = fnp if op.module.startswith("numpy") else flops
        for part in head.split(".") if head else ():
            module = getattr(module, part)
        assert hasattr(module, short), name


def test_no_top_level_name_is_pending():
    assert sorted(n for n in pending() if "." not in n) == []


#: names flopscope has not classified yet: the registry's, and NumPy's numpy.polynomial
#: class API (fnp.polynomial offers the classic counted functions instead)
NOT_YET = sorted(pending() | {f"polynomial.{n}" for n in fnp.polynomial._pending()})


@pytest.mark.parametrize("name", NOT_YET)
def test_pending_names_raise_instead_of_running_uncounted(name):
    head, _, short = name.rpartition(".")
    module = getattr(fnp, head) if head else fnp
    with pytest.raises(flops.UnsupportedFunctionError, match="not supported by flopscope yet"):
        getattr(module, short)


def test_pending_numpy_function_on_counted_array_raises_and_charges_nothing():
    x = fnp.ones((2, 2))
    with flops.BudgetContext(10**6) as budget:
        with pytest.raises(flops.UnsupportedFunctionError):
            np.char.equal(x, x)  # NumPy's string functions: not in the registry
        with pytest.raises(AttributeError):
            fnp.polynomial.Polynomial(x)
    assert budget.flops_used == 0


def test_unknown_name_is_a_plain_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'definitely_not_numpy'"):
        fnp.definitely_not_numpy  # noqa: B018


def test_aliases_share_one_counted_object():
    assert fnp.abs is fnp.absolute
    assert fnp.true_divide is fnp.divide
    assert fnp.concat is fnp.concatenate
    assert REGISTRY["abs"].alias_of == "absolute"


@pytest.mark.parametrize(
    ("numpy_cls", "wrapper"),
    [
        (np.random.Generator, "CountedGenerator"),
        (np.random.RandomState, "CountedRandomState"),
    ],
)
def test_every_generator_method_is_classified(numpy_cls, wrapper):
    """Each public attribute of Generator / RandomState is counted (a ``random.*`` row
    or GENERATOR_METHODS, installed on the wrapper as a counted method), free (a free
    row, or GENERATOR_FREE with its reason), or refused; none runs uncounted."""
    counted_cls = getattr(fnp.random, wrapper)
    unclassified = []
    for name in dir(numpy_cls):
        if name.startswith("_"):
            continue
        op = REGISTRY.get(f"random.{name}")
        if (op is not None and op.category.startswith("counted")) or name in GENERATOR_METHODS:
            method = counted_cls.__dict__.get(name)
            assert method is not None and "FLOP cost" in method.__doc__, name
        elif op is not None and op.category == "free":
            assert name in counted_cls.__dict__, name
        elif name in GENERATOR_FREE:
            assert GENERATOR_FREE[name], name
        elif not (op is not None and op.category == "blocked"):
            unclassified.append(name)
    assert unclassified == []
    # a Generator-only method is priced in one place: never also a module-level row
    assert {f"random.{m}" for m in GENERATOR_METHODS}.isdisjoint(REGISTRY)
