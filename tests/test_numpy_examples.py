"""NumPy's own docstring examples, run against NumPy and against ``flopscope.numpy``.

For every public callable of NumPy's top-level namespace that ``flopscope.numpy`` exports
as a counted or free function (the registry rows whose name has no dot and whose category
is not ``"blocked"``), and for the ``numpy.emath`` rows, the ``Examples`` section of the
NumPy docstring is split with :class:`doctest.DocTestParser` and run twice, in two fresh
namespaces: once with ``np`` bound to ``numpy``, once with ``np`` bound to
``flopscope.numpy`` (``import numpy as np`` lines are dropped, ``from numpy.x import y``
lines become ``y = np.x.y``). Both runs happen inside one ``BudgetContext`` so that every
charge is exercised, and NumPy's global RNG is seeded with 0 before each run.

Compared, example by example:

* an example whose source is an expression: the two values. Arrays: same shape, dtype
  and values, NaN positions included (``np.testing.assert_array_equal`` on plain views);
  a plain ``numpy.ndarray`` from NumPy must be a counted ``flopscope.numpy.ndarray`` from
  flopscope. Tuples and lists recursively (and the same container type); dicts by keys
  and values; NumPy scalars by value and type (flopscope's counted scalars subclass
  NumPy's); Python scalars by value and type; anything else by ``repr`` (with memory
  addresses removed);
* what the example prints (``print`` of arrays must look like NumPy's);
* an example that raises under NumPy must raise the same exception type (or a subclass)
  under flopscope, and one that does not raise must not raise.

Random numbers. NumPy's global RNG is seeded identically before both runs, so the legacy
``np.random.*`` samplers must give identical values. A ``Generator`` made by
``np.random.default_rng()`` *without a seed* draws fresh OS entropy in each run: from the
first example that calls it to the end of the docstring, values are compared loosely
(type, shape and dtype only; prints and repr-compared objects not at all). Seeded
generators (``default_rng(42)``) are compared exactly.

Differences are data. ``ALLOWED`` names the examples skipped or compared loosely for an
honest reason (an unsupported or blocked name, str/object/datetime data in a counted
operation, matplotlib, timing, uninitialised memory, ...): a key ``"name"`` skips the
whole docstring, ``"name:i"`` skips example ``i`` (0-based, in both runs, so the two
namespaces stay alike); a reason starting with ``"loose:"`` keeps the example but
compares its value by type, shape and dtype only. Every other difference is a flopscope
defect: it is listed in ``DEFECTS`` and the function's test is a strict ``xfail`` — it
stays visible, and it fails loudly once the defect is fixed so that the entry is removed.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import warnings
from typing import Any

import numpy
import pytest

import flopscope
import flopscope.numpy as fnp
from flopscope._registry import REGISTRY

# ---------------------------------------------------------------------------- the data

_MA = "uses numpy.ma (blocked: masked arrays compute outside the counted API)"
_MATRIX = "uses numpy.matrix / asmatrix (blocked)"
_PRINTOPTIONS = "uses np.set_printoptions (blocked: print configuration)"
_ERRSTATE = "uses np.errstate (blocked: error-state configuration)"
_LINALG = "uses numpy.linalg (not supported yet)"
_EINSUM_PATH = "uses np.einsum_path (not supported yet)"
_STR = "str data in a counted operation (UnsupportedDtypeError by design)"
_OBJECT = "object data in a counted operation (UnsupportedDtypeError by design)"
_DATETIME = "datetime64/timedelta64 data in a counted operation (UnsupportedDtypeError by design)"
_STRUCTURED = "structured (void) data in a counted operation (UnsupportedDtypeError by design)"
_PAD_CALLABLE = (
    "np.pad with a callable mode: refused by design (UnsupportedFunctionError), Python "
    "per vector cannot be counted"
)
_TYPE_REPR = "prints / reprs the type of a flopscope counted scalar (counted_int64, ...)"
_TIMING = "timing (timeit): results vary from run to run"
_UNINITIALISED = "loose: np.empty / np.empty_like return uninitialised memory"
_SUBCLASS = (
    "flopscope.numpy.ndarray is flopscope's counted subclass (SPEC decision 4), so "
    "NumPy's other ndarray subclasses (recarray) are not subclasses of it"
)

#: examples skipped (or, ``"loose: ..."``, compared by type/shape/dtype only), with why
ALLOWED: dict[str, str] = {
    # unsupported or blocked names
    "array:8": _MATRIX,
    "array:9": _MATRIX,
    "array_repr:2": _MA,
    **{f"{f}:{i}": _MA for f in ("concat", "concatenate") for i in (6, 7, 9, 11, 12)},
    "einsum:49": _EINSUM_PATH,
    "einsum:50": _EINSUM_PATH,
    "emath.arccos:1": _PRINTOPTIONS,
    "emath.arcsin:1": _PRINTOPTIONS,
    "emath.arctanh:1": _PRINTOPTIONS,
    "emath.log10:1": _PRINTOPTIONS,
    "emath.log2:0": _PRINTOPTIONS,
    "emath.logn:1": _PRINTOPTIONS,
    "emath.power:1": _PRINTOPTIONS,
    "float_power:10": _ERRSTATE,
    "float_power:11": _ERRSTATE,
    "nansum:9": _ERRSTATE,
    "pow:13": _ERRSTATE,
    "pow:14": _ERRSTATE,
    "power:13": _ERRSTATE,
    "power:14": _ERRSTATE,
    "vander:8": _LINALG,
    "pad:19": _PAD_CALLABLE,
    "pad:20": _PAD_CALLABLE,
    # non-numeric data in a counted operation
    "argsort:16": _STRUCTURED,
    "argsort:17": _STRUCTURED,
    "lexsort:13": _STRUCTURED,
    "sort:8": _STRUCTURED,
    "sort:9": _STRUCTURED,
    "diff:13": _DATETIME,
    "mean:11": _DATETIME,
    "isreal:4": _STR,
    "isreal:6": _OBJECT,
    "isreal:8": _OBJECT,
    "outer:8": _OBJECT,
    **{f"tensordot:{i}": _OBJECT for i in range(17, 24)},
    **{f"unique:{i}": _STR for i in range(7, 11)},
    # printing / repr of flopscope types
    "bitwise_left_shift:6": _TYPE_REPR,
    "bitwise_left_shift:8": _TYPE_REPR,
    "left_shift:6": _TYPE_REPR,
    "left_shift:8": _TYPE_REPR,
    "vectorize:8": _TYPE_REPR,
    "vectorize:11": _TYPE_REPR,
    # flopscope's array type
    "asarray:8": _SUBCLASS,
    # object identity: ``id()`` values differ between two runs (that the ``out=`` array
    # is returned, ``z is o``, is checked in test_out_identity below)
    "all:8": "prints id() values of arrays, which differ between runs",
    "any:13": "prints id() values of arrays, which differ between runs",
    # timing and uninitialised memory
    **{f"std:{i}": _TIMING for i in (19, 20, 21)},
    **{f"var:{i}": _TIMING for i in (20, 21, 22)},
    "empty:1": _UNINITIALISED,
    "empty:2": _UNINITIALISED,
    "empty_like:2": _UNINITIALISED,
    "empty_like:4": _UNINITIALISED,
}

_OWNDATA = (
    "counted arrays never own their data: .base is a hidden plain ndarray "
    "(fnp.arange(3.0).flags.owndata is False; NumPy: True)"
)

#: flopscope defects shown by NumPy's examples: the function's test is a strict xfail
DEFECTS: dict[str, str] = {
    "atleast_2d": _OWNDATA + "; so np.atleast_2d(x).base is x is False",
    "atleast_3d": _OWNDATA + "; so np.atleast_3d(x).base is x.base is False",
    "require": _OWNDATA + "; so np.require(...).flags shows OWNDATA : False",
}

# ---------------------------------------------------------------------------- harness

_PARSER = doctest.DocTestParser()
_IMPORT_NP = re.compile(r"^\s*import numpy as np\s*(#.*)?$", re.M)
_FROM_NUMPY = re.compile(r"^(\s*)from numpy((?:\.\w+)*) import ([\w, ]+?)\s*(#.*)?$", re.M)
_UNSEEDED_RNG = re.compile(r"default_rng\(\s*\)")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _rows() -> list[str]:
    names = [
        name
        for name, op in REGISTRY.items()
        if ("." not in name and op.category != "blocked") or name.startswith("emath.")
    ]
    return sorted(names)


def _docstring(name: str) -> str:
    return REGISTRY[name].impl.__doc__ or ""


def _rewrite(source: str) -> str:
    """The example's source with ``np`` taken from the namespace, not imported."""
    source = _IMPORT_NP.sub(lambda m: "pass", source)

    def from_numpy(m: re.Match) -> str:
        indent, mod, names = m.group(1), m.group(2), m.group(3)
        parts = []
        for item in names.split(","):
            item = item.strip()
            orig, _, alias = item.partition(" as ")
            parts.append(f"{(alias or orig).strip()} = np{mod}.{orig.strip()}")
        return indent + "; ".join(parts)

    return _FROM_NUMPY.sub(from_numpy, source)


class Outcome:
    """What one example did in one run."""

    __slots__ = ("error", "is_expr", "out", "skipped", "value")

    def __init__(self) -> None:
        self.skipped = False
        self.is_expr = False
        self.value: Any = None
        self.error: BaseException | None = None
        self.out = ""


def _run(name: str, module: Any) -> list[Outcome]:
    """Run the docstring of ``name`` with ``np`` bound to ``module``."""
    examples = _PARSER.get_examples(_docstring(name))
    ns: dict[str, Any] = {"np": module, "__name__": "__doctest__"}
    numpy.random.seed(0)
    outcomes = []
    for i, ex in enumerate(examples):
        o = Outcome()
        outcomes.append(o)
        if f"{name}:{i}" in ALLOWED and not ALLOWED[f"{name}:{i}"].startswith("loose:"):
            o.skipped = True
            continue
        source = _rewrite(ex.source)
        try:
            code = compile(source, f"<{name}:{i}>", "eval")
            o.is_expr = True
        except SyntaxError:
            code = compile(source, f"<{name}:{i}>", "exec")
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if o.is_expr:
                    o.value = eval(code, ns)
                else:
                    exec(code, ns)
        except Exception as e:  # compared with NumPy's below
            o.error = e
        o.out = buf.getvalue()
        ns["np"] = module
    return outcomes


def _is_plain_scalar(x: Any) -> bool:
    return isinstance(x, (bool, int, float, complex, str, bytes)) and not isinstance(
        x, numpy.generic
    )


def _compare(a: Any, b: Any, loose: bool, path: str = "") -> str | None:
    """Why ``b`` (flopscope) differs from ``a`` (NumPy), or None."""
    if isinstance(a, numpy.ndarray):
        if not isinstance(b, numpy.ndarray):
            return f"{path}: {type(b).__name__} where NumPy gives an ndarray"
        if type(a) is numpy.ndarray and not isinstance(b, fnp.ndarray):
            return f"{path}: plain {type(b).__name__}, not a counted flopscope.numpy.ndarray"
        if a.shape != b.shape or a.dtype != b.dtype:
            return f"{path}: shape/dtype {b.shape} {b.dtype} != NumPy's {a.shape} {a.dtype}"
        if loose:
            return None
        pa, pb = numpy.asarray(a), numpy.asarray(b).view(numpy.ndarray)
        if pa.dtype.kind in "OSUVMm" or pa.dtype.names:
            same = repr(pa.tolist()) == repr(pb.tolist())
            return None if same else f"{path}: values {pb!r} != NumPy's {pa!r}"
        try:
            numpy.testing.assert_array_equal(pb, pa, strict=True)
        except AssertionError:
            return f"{path}: values {pb!r} != NumPy's {pa!r}"
        return None
    if isinstance(a, (tuple, list)):
        if type(b) is not type(a) and not (
            isinstance(b, type(a)) or type(a).__name__ == type(b).__name__
        ):
            return f"{path}: {type(b).__name__} where NumPy gives {type(a).__name__}"
        if len(a) != len(b):
            return f"{path}: length {len(b)} != NumPy's {len(a)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            why = _compare(x, y, loose, f"{path}[{i}]")
            if why:
                return why
        return None
    if isinstance(a, dict):
        if not isinstance(b, dict) or list(a) != list(b):
            return f"{path}: {b!r} != NumPy's {a!r}"
        for k in a:
            why = _compare(a[k], b[k], loose, f"{path}[{k!r}]")
            if why:
                return why
        return None
    if isinstance(a, numpy.generic):
        if not isinstance(b, type(a)):
            return f"{path}: {type(b).__name__} {b!r} where NumPy gives {type(a).__name__}"
        if loose:
            return None
        pa, pb = numpy.array(a), numpy.array(b).view(numpy.ndarray)
        if pa.dtype.kind in "OSUVMm":
            return None if repr(a) == repr(b) else f"{path}: {b!r} != NumPy's {a!r}"
        try:
            numpy.testing.assert_array_equal(pb, pa, strict=True)
        except AssertionError:
            return f"{path}: {b!r} != NumPy's {a!r}"
        return None
    if _is_plain_scalar(a):
        if type(b) is not type(a):
            return f"{path}: {type(b).__name__} {b!r} where NumPy gives {type(a).__name__}"
        if loose or a == b or (a != a and b != b):
            return None
        return f"{path}: {b!r} != NumPy's {a!r}"
    if loose:
        return None if type(a).__name__ == type(b).__name__ else f"{path}: type differs"
    ra, rb = _ADDRESS.sub("", repr(a)), _ADDRESS.sub("", repr(b))
    return None if ra == rb else f"{path}: repr {rb} != NumPy's {ra}"


def _calls(name: str) -> re.Pattern:
    """A call of the row ``name`` in an example's source (``np.absolute(`` for ``abs``)."""
    op = REGISTRY[name]
    prefix, _, short = name.rpartition(".")
    spellings = {short, getattr(op.impl, "__name__", short)}
    module = r"np\." + (re.escape(prefix) + r"\." if prefix else "")
    return re.compile(module + "(?:" + "|".join(map(re.escape, sorted(spellings))) + r")\(")


def _differences(name: str) -> list[str]:
    with flopscope.BudgetContext(10**15, quiet=True) as budget, numpy.printoptions():
        plain = _run(name, numpy)
        start = len(budget.op_log)
        counted = _run(name, fnp)
        charged = {record.op_name for record in list(budget.op_log)[start:]}
    examples = _PARSER.get_examples(_docstring(name))
    problems = []
    op = REGISTRY[name]
    if op.category.startswith("counted") and op.billing_name not in charged:
        calls = _calls(name)
        ran = [
            i
            for i, (ex, o) in enumerate(zip(examples, counted, strict=True))
            if calls.search(ex.source) and not o.skipped and o.error is None
        ]
        if ran:
            problems.append(f"{name}:{ran[0]}: ran under flopscope but charged no {name!r}")
    loose_from = len(examples)
    for i, ex in enumerate(examples):
        if _UNSEEDED_RNG.search(ex.source):
            loose_from = i
            break
    for i, (a, b) in enumerate(zip(plain, counted, strict=True)):
        if a.skipped:
            continue
        where = f"{name}:{i} {examples[i].source.strip()!r}"
        loose = i >= loose_from or ALLOWED.get(f"{name}:{i}", "").startswith("loose:")
        if a.error is not None:
            if b.error is None:
                problems.append(f"{where}: NumPy raises {type(a.error).__name__}, flopscope not")
            elif not isinstance(b.error, type(a.error)):
                problems.append(
                    f"{where}: raises {type(b.error).__name__}: {b.error}"
                    f" where NumPy raises {type(a.error).__name__}"
                )
            continue
        if b.error is not None:
            problems.append(f"{where}: raises {type(b.error).__name__}: {b.error}")
            continue
        if a.is_expr:
            why = _compare(a.value, b.value, loose)
            if why:
                problems.append(f"{where}: {why}")
                continue
        if not loose and _ADDRESS.sub("", a.out) != _ADDRESS.sub("", b.out):
            problems.append(f"{where}: prints {b.out!r} where NumPy prints {a.out!r}")
    return problems


def _params() -> list[Any]:
    params = []
    for name in _rows():
        marks = []
        if name in DEFECTS:
            marks.append(pytest.mark.xfail(strict=True, reason="defect: " + DEFECTS[name]))
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def test_entries_name_real_examples() -> None:
    """Every ``ALLOWED`` / ``DEFECTS`` key names a row here and an example of its docstring
    (indices are those of the installed NumPy's docstrings)."""
    rows = set(_rows())
    for key in [*ALLOWED, *DEFECTS]:
        name, _, index = key.partition(":")
        assert name in rows, f"{key}: not a row of this registry / NumPy"
        if index:
            assert int(index) < len(_PARSER.get_examples(_docstring(name))), key
    assert not set(ALLOWED) & set(DEFECTS)


def test_out_identity() -> None:
    """What ``all:8`` / ``any:13`` show with ``id()``: the ``out=`` array is returned."""
    with flopscope.BudgetContext(10**15, quiet=True):
        for reduce in (fnp.all, fnp.any):
            o = fnp.array(False)
            assert reduce([-1, 4, 5], out=o) is o


@pytest.mark.parametrize("name", _params())
def test_numpy_examples(name: str) -> None:
    if name in ALLOWED:
        pytest.skip(ALLOWED[name])
    problems = _differences(name)
    assert not problems, "\n".join(problems)


if __name__ == "__main__":  # a survey: every difference, one line each
    for _name in _rows():
        for _p in _differences(_name):
            print(_p[:400])
