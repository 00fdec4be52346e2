"""NumPy's own docstring examples, run against NumPy and against ``flopscope.numpy``.

For every public callable of NumPy's top-level namespace that ``flopscope.numpy`` exports
as a counted or free function (the registry rows whose name has no dot and whose category
is not ``"blocked"``), and for the ``numpy.emath``, ``numpy.linalg``, ``numpy.fft`` and
``numpy.random`` rows, the ``Examples`` section of the NumPy docstring is split with
:class:`doctest.DocTestParser` and run twice, in two fresh namespaces: once with ``np``
bound to ``numpy``, once with ``np`` bound to ``flopscope.numpy`` (``import numpy as np``
lines are dropped, ``from numpy.x import y`` lines become ``y = np.x.y``). Both runs
happen inside one ``BudgetContext`` so that every charge is exercised, and NumPy's global
RNG is seeded with 0 before each run.

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
operation, matplotlib, timing, uninitialised memory, ...). Example indices shift between
NumPy versions, so a key is ``"name:text"``: the examples of ``name`` whose source
contains ``text`` (never a whole docstring: every function's examples run). Such an example is skipped in both
runs, so the two namespaces stay alike, and so is every later example that reads a name
it bound. A reason starting with ``"loose:"`` keeps the example but compares its value by
type, shape and dtype only; one starting with ``"data:"`` marks where non-numeric data is
made: that example runs, and the examples passing its data to ``np.*`` are skipped (see
``_plan``). Every other difference is a flopscope defect: it is listed in ``DEFECTS``
(same keys; ``"name"`` there means any difference of the docstring) and the function's
test is a strict ``xfail`` — it stays visible, it fails loudly once the defect is fixed so
that the entry is removed, and it fails as well on any difference the entries do not name.

An entry that holds on some NumPy versions only (the example is not in the others'
docstrings, or flopscope differs on those only) says so: ``only("<2.4", reason)``. On the
installed NumPy an entry applies unless ``only`` excludes it, and an entry that applies
must match a row and an example there (``test_entries_name_real_examples``): so an entry
matching nothing here is tolerated only when ``only`` declares it for other versions,
where the same test checks that it matches. A spec's bounds are the versions where the
entry was seen to hold (NumPy 2.0, 2.2, 2.4, 2.5 were checked).
"""

from __future__ import annotations

import ast
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


def _version(text: str) -> tuple[int, ...]:
    """``"2.4.6"`` -> ``(2, 4, 6)``; ``"2.5"`` -> ``(2, 5)`` (``"2.5.0rc1"`` -> ``(2, 5, 0)``)."""
    return tuple(int(re.match(r"\d+", part).group()) for part in text.split(".")[:3])


NUMPY = _version(numpy.__version__)
_COMPARE = {
    "<": tuple.__lt__,
    "<=": tuple.__le__,
    ">": tuple.__gt__,
    ">=": tuple.__ge__,
    "==": lambda v, b: v[: len(b)] == b,
}


class only(str):  # a lower-case name: it reads as a word in the tables below
    """A reason that applies on some NumPy versions only: ``only("<2.5", why)``,
    ``only(">=2.1,<2.3", why)``. Elsewhere the entry is ignored, and not checked."""

    spec: str

    def __new__(cls, spec: str, reason: str) -> only:
        self = super().__new__(cls, reason)
        self.spec = spec
        self.applies()  # a malformed spec fails at import
        return self

    def applies(self, version: tuple[int, ...] = NUMPY) -> bool:
        clauses = [
            re.fullmatch(r"\s*(<=|>=|<|>|==)\s*(\d+(?:\.\d+)*)\s*", c) for c in self.spec.split(",")
        ]
        return all(_COMPARE[m.group(1)](version, _version(m.group(2))) for m in clauses)


def _applies(reason: str) -> bool:
    return not isinstance(reason, only) or reason.applies()


_MA = "uses numpy.ma (blocked: masked arrays compute outside the counted API)"
_MATRIX = "uses numpy.matrix / asmatrix (blocked)"
_PRINTOPTIONS = "uses np.set_printoptions (blocked: print configuration)"
_ERRSTATE = "uses np.errstate (blocked: error-state configuration)"
_EINSUM_PATH = (
    "prints einsum_path's info: flopscope's plan table (multiply-adds per step), not "
    "NumPy's FLOP-count report"
)
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


def data(reason: str) -> str:
    """The reason of an entry that marks where non-numeric data is made (see ``_plan``)."""
    return "data: " + reason


#: examples skipped (or, ``"loose: ..."``, compared by type/shape/dtype only), with why
ALLOWED: dict[str, str] = {
    # unsupported or blocked names
    "array:np.asmatrix(": _MATRIX,
    "array_repr:np.ma.": _MA,
    "concat:np.ma.": _MA,
    "concatenate:np.ma.": _MA,
    "einsum_path:print(path_info[1])": _EINSUM_PATH,
    **{
        f"emath.{f}:np.set_printoptions(": _PRINTOPTIONS
        for f in ("arccos", "arcsin", "arctanh", "log10", "log2", "logn", "power")
    },
    **{f"{f}:np.errstate(": _ERRSTATE for f in ("float_power", "nansum", "pow", "power")},
    **{f"linalg.{f}:np.matrix(": _MATRIX for f in ("cholesky", "eigh", "inv")},
    "pad:np.pad(a, 2, pad_with": _PAD_CALLABLE,
    # non-numeric data in a counted operation: the example that makes it runs, the
    # examples that pass it to np.* are skipped
    "argsort:dtype=[('x', '<i4'), ('y', '<i4')]": data(_STRUCTURED),
    "lexsort:dtype = np.dtype([('x', int), ('y', int)])": data(_STRUCTURED),
    "sort:np.array(values, dtype=dtype)": data(_STRUCTURED),
    "diff:dtype=np.datetime64)": data(_DATETIME),
    'mean:dtype="timedelta64[D]")': only(">=2.2", data(_DATETIME)),
    'isreal:np.array([2j, "a"]': data(_STR),
    'isreal:np.array([1, "2", 3+4j]': data(_OBJECT),
    "isreal:np.array([1+2j, 2+1j], dtype=": only("<2.5", data(_OBJECT)),
    "outer:np.array(['a', 'b', 'c'], dtype=": data(_OBJECT),
    "linalg.outer:np.array(['a', 'b', 'c'], dtype=": only(">=2.1", data(_OBJECT)),
    "tensordot:A = np.array(('a', 'b', 'c', 'd')": data(_OBJECT),
    "linalg.tensordot:A = np.array(('a', 'b', 'c', 'd')": data(_OBJECT),
    "unique:np.array(['a', 'b', 'b', 'c', 'a'])": data(_STR),
    # printing / repr of flopscope types
    **{f"{f}:, type(": _TYPE_REPR for f in ("bitwise_left_shift", "left_shift")},
    "vectorize:type(out[0])": _TYPE_REPR,
    "random.default_rng:type(rints[0])": _TYPE_REPR,
    "random.random_integers:type(np.random.random_integers(5))": _TYPE_REPR,
    # generators seeded from fresh OS entropy (spelled otherwise than default_rng())
    "random.Generator:rng.standard_normal()": "loose: Generator(PCG64()) is seeded from "
    "fresh OS entropy in each run",
    "random.SeedSequence:sq1.entropy": "loose: SeedSequence() draws fresh OS entropy in each run",
    # flopscope's array type
    "asarray:issubclass(np.recarray, np.ndarray)": _SUBCLASS,
    # object identity: ``id()`` values differ between two runs (that the ``out=`` array
    # is returned, ``z is o``, is checked in test_out_identity below)
    "all:id(z)": "prints id() values of arrays, which differ between runs",
    "any:id(z)": "prints id() values of arrays, which differ between runs",
    # timing and uninitialised memory
    "std:timeit(": _TIMING,
    "var:timeit(": _TIMING,
    "empty:np.empty(": _UNINITIALISED,
    "empty_like:np.empty_like(": _UNINITIALISED,
}

_OWNDATA = (
    "counted arrays never own their data: .base is a hidden plain ndarray "
    "(fnp.arange(3.0).flags.owndata is False; NumPy: True)"
)

#: flopscope defects shown by NumPy's examples: the function's test is a strict xfail
DEFECTS: dict[str, str] = {
    "atleast_2d:np.atleast_2d(x).base is x": _OWNDATA + "; so np.atleast_2d(x).base is x is False",
    "atleast_3d:np.atleast_3d(x).base is x.base": (
        _OWNDATA + "; so np.atleast_3d(x).base is x.base is False"
    ),
    "require:y.flags": _OWNDATA + "; so np.require(...).flags shows OWNDATA : False",
}

# ---------------------------------------------------------------------------- harness

_PARSER = doctest.DocTestParser()
_IMPORT_NP = re.compile(r"^\s*import numpy as np\s*(#.*)?$", re.M)
_FROM_NUMPY = re.compile(r"^(\s*)from numpy((?:\.\w+)*) import ([\w, ]+?)\s*(#.*)?$", re.M)
_UNSEEDED_RNG = re.compile(r"default_rng\(\s*\)")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_NP_CALL = re.compile(r"\bnp\.[\w.]+\(")


def _rows() -> list[str]:
    names = [
        name
        for name, op in REGISTRY.items()
        if op.category != "blocked"
        and ("." not in name or name.startswith(("emath.", "linalg.", "fft.", "random.")))
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


def _entries(table: dict[str, str], name: str) -> dict[str, str]:
    """The entries of ``table`` for ``name`` that apply to the installed NumPy: the text
    after ``name:`` (``""`` for the whole docstring) -> the reason."""
    found = {}
    for key, reason in table.items():
        row, _, text = key.partition(":")
        if row == name and _applies(reason):
            found[text] = reason
    return found


def _names(source: str) -> tuple[set[str], set[str]]:
    """The names an example reads and the names it binds."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    reads: set[str] = set()
    binds: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            binds.update((a.asname or a.name).partition(".")[0] for a in node.names)
    return reads, binds


def _plan(name: str, examples: list[doctest.Example]) -> list[str | None]:
    """Per example: why it is skipped, or None (it runs).

    An ``ALLOWED`` text (reason not ``"loose:"`` / ``"data:"``) skips the examples whose
    source contains it. A ``"data:"`` text marks the examples that make non-numeric data:
    they run, and the examples that use that data (read a name they bound, directly or
    through examples that derive from it) in a call ``np.<anything>(`` are skipped. An
    example that reads a name bound by a skipped example is skipped too. Binding a name
    again from clean data clears it.
    """
    entries = _entries(ALLOWED, name)
    skip = {t: r for t, r in entries.items() if t and not r.startswith(("loose:", "data:"))}
    makers = {t: r for t, r in entries.items() if t and r.startswith("data:")}
    skipped: dict[str, str] = {}  # name -> why the example that bound it was skipped
    derived: dict[str, str] = {}  # name -> the reason of the data it holds
    plan: list[str | None] = []
    for ex in examples:
        reads, binds = _names(ex.source)
        why = next((r for t, r in skip.items() if t in ex.source), None)
        if why is None and reads & skipped.keys():
            var = min(reads & skipped.keys())
            why = f"reads {var!r}, bound by a skipped example ({skipped[var]})"
        made = next((r for t, r in makers.items() if t in ex.source), None)
        if made is None and reads & derived.keys():
            var = min(reads & derived.keys())
            if why is None and _NP_CALL.search(ex.source):
                why = f"uses {var!r}: {derived[var]}"
            made = derived[var]
        for var in binds:
            skipped.pop(var, None)
            derived.pop(var, None)
            if why is not None:
                skipped[var] = why
            elif made is not None:
                derived[var] = made
        plan.append(why)
    return plan


def _loose(name: str, examples: list[doctest.Example]) -> list[bool]:
    texts = [t for t, r in _entries(ALLOWED, name).items() if r.startswith("loose:")]
    return [any(t in ex.source for t in texts) for ex in examples]


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
    for i, (ex, skip) in enumerate(zip(examples, _plan(name, examples), strict=True)):
        o = Outcome()
        outcomes.append(o)
        if skip is not None:
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


def _differences(name: str) -> list[tuple[int, str]]:
    """(example index, why) for every difference between the two runs of ``name``."""
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
            problems.append(
                (ran[0], f"{name}:{ran[0]}: ran under flopscope but charged no {name!r}")
            )
    loose_from = len(examples)
    for i, ex in enumerate(examples):
        if _UNSEEDED_RNG.search(ex.source):
            loose_from = i
            break
    marked_loose = _loose(name, examples)
    for i, (a, b) in enumerate(zip(plain, counted, strict=True)):
        if a.skipped:
            continue
        where = f"{name}:{i} {examples[i].source.strip()!r}"
        loose = i >= loose_from or marked_loose[i]
        if a.error is not None:
            if b.error is None:
                problems.append(
                    (i, f"{where}: NumPy raises {type(a.error).__name__}, flopscope not")
                )
            elif not isinstance(b.error, type(a.error)):
                problems.append(
                    (
                        i,
                        f"{where}: raises {type(b.error).__name__}: {b.error}"
                        f" where NumPy raises {type(a.error).__name__}",
                    )
                )
            continue
        if b.error is not None:
            problems.append((i, f"{where}: raises {type(b.error).__name__}: {b.error}"))
            continue
        if a.is_expr:
            why = _compare(a.value, b.value, loose)
            if why:
                problems.append((i, f"{where}: {why}"))
                continue
        if not loose and _ADDRESS.sub("", a.out) != _ADDRESS.sub("", b.out):
            problems.append((i, f"{where}: prints {b.out!r} where NumPy prints {a.out!r}"))
    return problems


class DefectShown(Exception):
    """Raised by a test whose only differences are the ``DEFECTS`` entries of its row."""


def _params() -> list[Any]:
    params = []
    for name in _rows():
        marks = []
        defects = _entries(DEFECTS, name)
        if defects:
            reason = "defect: " + "; ".join(dict.fromkeys(defects.values()))
            marks.append(pytest.mark.xfail(strict=True, raises=DefectShown, reason=reason))
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def test_entries_name_real_examples() -> None:
    """Every ``ALLOWED`` / ``DEFECTS`` entry that applies to the installed NumPy names a row
    here and, after the colon, a text found in the source of an example of its docstring.
    An entry that matches nothing here must say (``only(...)``) the NumPy versions it is
    for; it is checked when the test runs under one of those."""
    rows = set(_rows())
    assert not set(ALLOWED) & set(DEFECTS)
    wrong = []
    for key, reason in [*ALLOWED.items(), *DEFECTS.items()]:
        if not _applies(reason):
            continue
        name, _, text = key.partition(":")
        if name not in rows:
            wrong.append(f"{key}: not a row of this registry / NumPy {numpy.__version__}")
        elif text and not any(text in ex.source for ex in _PARSER.get_examples(_docstring(name))):
            wrong.append(f"{key}: no example of NumPy {numpy.__version__} contains {text!r}")
    for name in rows:
        examples = _PARSER.get_examples(_docstring(name))
        plan = _plan(name, examples)
        for text in _entries(DEFECTS, name):
            if text and not any(
                text in ex.source and why is None for ex, why in zip(examples, plan)
            ):
                wrong.append(f"{name}:{text}: a DEFECTS entry only for examples ALLOWED skips")
    assert not wrong, "\n".join(wrong)


def test_out_identity() -> None:
    """What ``all`` / ``any`` show with ``id()``: the ``out=`` array is returned."""
    with flopscope.BudgetContext(10**15, quiet=True):
        for reduce in (fnp.all, fnp.any):
            o = fnp.array(False)
            assert reduce([-1, 4, 5], out=o) is o


@pytest.mark.parametrize("name", _params())
def test_numpy_examples(name: str) -> None:
    allowed = _entries(ALLOWED, name)
    assert "" not in allowed, f"{name}: ALLOWED names examples, never a whole docstring"
    problems = _differences(name)
    defects = _entries(DEFECTS, name)
    examples = _PARSER.get_examples(_docstring(name))

    def shown(text: str, i: int) -> bool:
        return not text or text in examples[i].source

    other = [why for i, why in problems if not any(shown(t, i) for t in defects)]
    assert not other, "\n".join(other)
    gone = [t for t in defects if not any(shown(t, i) for i, _ in problems)]
    assert not gone or len(gone) == len(defects), (
        f"DEFECTS entries no longer shown (fixed? remove them): {gone}"
    )
    if problems:
        raise DefectShown("\n".join(why for _, why in problems))


if __name__ == "__main__":  # a survey: every difference, one line each
    for _name in _rows():
        for _i, _p in _differences(_name):
            print(_p[:400])
