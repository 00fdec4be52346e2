"""``flopscope.Module``: a class whose public array attributes are saved as one ``.npz``.

Challenge code computes its parameters offline and ships them beside the program. A
subclass of :class:`Module` sets its parameters as public attributes; ``obj.save(path)``
writes them to one ``.npz`` and ``Cls.from_file(path)`` restores them into a new instance
without calling ``__init__`` (which may compute the parameters and spend FLOPs)::

    import flopscope as flops
    import flopscope.numpy as fnp

    class Estimator(flops.Module):
        W: fnp.ndarray
        b: fnp.ndarray

        def __init__(self, X, y):           # offline: fit, spending FLOPs
            self.W = fnp.linalg.pinv(X) @ y
            self.b = fnp.zeros(y.shape[1])

    Estimator(X, y).save("estimator.npz")          # offline
    model = Estimator.from_file("estimator.npz")   # in the challenge: 0 FLOPs

What is saved: every public (not ``_``-prefixed) instance attribute holding an array
(counted or plain), a numeric NumPy scalar, a nested ``Module``, or a list, tuple or dict
(str keys without ``.``) of those, under dotted keys (``encoder.W``, ``layers.0.W``,
``params.mean``). Other values (ints, floats, strings, None, callables) are skipped. The
file holds one extra member, ``__flopscope_module__``: a JSON manifest (format version,
the class's ``__qualname__``, the tree of modules, lists, tuples, dicts, arrays and
scalars) stored as a NumPy string array. Nothing is pickled; saving and loading are free
(0 FLOPs) and their time is flopscope's, not the user's residual time.
"""

from __future__ import annotations

import collections.abc
import inspect
import json
import os
import re
import sys
import time
import types
import typing
import weakref
from typing import Any, ClassVar, TypeVar

import numpy as np

from . import _budget, _io
from ._ndarray import SCALAR_WRAP
from ._ndarray import ndarray as _counted
from .errors import ModuleFileError, UnsupportedDtypeError

__all__ = ["Module"]

MANIFEST_KEY = "__flopscope_module__"
FORMAT_NAME = "flopscope.Module"
FORMAT_VERSION = 1

_view = np.ndarray.view
_M = TypeVar("_M", bound="Module")
_SCALAR_KINDS = frozenset("biufc")
_CONTAINERS = {"list": list, "tuple": tuple, "dict": dict}
_LEAVES = frozenset({"array", "scalar"})

#: Module subclasses by ``__qualname__``, oldest first (weak: local classes may go away).
_CLASSES: dict[str, list[weakref.ref[type[Module]]]] = {}


def _register(cls: type[Module]) -> None:
    refs = _CLASSES.setdefault(cls.__qualname__, [])
    refs[:] = [r for r in refs if r() is not None]
    refs.append(weakref.ref(cls))


def _classes_named(qualname: str) -> list[type[Module]]:
    """Live Module classes with this ``__qualname__``, oldest first."""
    return [c for c in (r() for r in _CLASSES.get(qualname, ())) if c is not None]


def _book(t0: int, t1: int, t2: int, t3: int) -> None:
    _budget.book_free(t0, t1, t2, t3)


# ====================================================================== the tree
# A manifest node is a JSON object: {"kind": "array"} | {"kind": "scalar"}
# | {"kind": "module", "class": qualname, "attrs": {name: node}}
# | {"kind": "list" | "tuple", "items": [node, ...]} | {"kind": "dict", "items": {key: node}}


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _is_empty_tree(node: dict) -> bool:
    """A container node with no array, scalar or Module anywhere below it."""
    kind = node["kind"]
    if kind in ("list", "tuple"):
        return all(_is_empty_tree(n) for n in node["items"])
    if kind == "dict":
        return all(_is_empty_tree(n) for n in node["items"].values())
    return False


class _Walk:
    """One pass over a Module's attributes: the manifest tree and the parameters found."""

    __slots__ = ("leaves", "stack")

    def __init__(self) -> None:
        self.leaves: dict[str, Any] = {}  # dotted key -> array or NumPy scalar
        self.stack: set[int] = set()  # ids of the modules and containers being walked

    def enter(self, value: Any, path: str) -> None:
        if id(value) in self.stack:
            raise ValueError(f"parameter {path!r} refers back to an enclosing object (a cycle)")
        self.stack.add(id(value))

    def module(self, obj: Module, path: str) -> dict:
        self.enter(obj, path)
        attrs: dict[str, dict] = {}
        for name, value in vars(obj).items():
            if not isinstance(name, str) or name.startswith("_"):
                continue
            node = self.value(value, _join(path, name))
            if node is None:
                continue
            if "." in name or not name:
                raise ValueError(
                    f"parameter attribute {_join(path, name)!r}: an attribute name that "
                    "holds parameters may not be empty or contain '.'"
                )
            attrs[name] = node
        self.stack.discard(id(obj))
        return {"kind": "module", "class": type(obj).__qualname__, "attrs": attrs}

    def value(self, value: Any, path: str) -> dict | None:
        """The manifest node of ``value`` (recording its arrays), or None for a non-array
        value. Raises for mixed containers, bad dict keys, object arrays and cycles."""
        if isinstance(value, Module):
            return self.module(value, path)
        if isinstance(value, np.ndarray):
            if value.dtype.hasobject:
                raise UnsupportedDtypeError(
                    f"parameter {path!r} has dtype {value.dtype}, which holds Python "
                    "objects; flopscope saves without pickle, so object arrays cannot be saved"
                )
            self.leaves[path] = value
            return {"kind": "array"}
        if isinstance(value, np.generic):
            if value.dtype.kind not in _SCALAR_KINDS:
                return None
            self.leaves[path] = value
            return {"kind": "scalar"}
        t = type(value)
        if t is list or t is tuple or t is dict:
            self.enter(value, path)
            node = self.container(value, path)
            self.stack.discard(id(value))
            return node
        if isinstance(value, (list, tuple, dict)):  # a subclass: namedtuple, OrderedDict...
            probe = _Walk()
            probe.stack = self.stack
            base = list(value.values()) if isinstance(value, dict) else list(value)
            if probe.value(base, path) is not None and probe.leaves:
                raise TypeError(
                    f"parameter {path!r} is a {t.__name__}; only list, tuple and dict (and "
                    "Modules) can hold saved parameters"
                )
        return None

    def container(self, value: Any, path: str) -> dict | None:
        if type(value) is dict:
            items: Any = {k: self.value(v, _join(path, str(k))) for k, v in value.items()}
            node = _container("dict", path, items, list(items.values()))
            if node is not None:
                for key in value:
                    if not isinstance(key, str) or not key or "." in key:
                        raise ValueError(
                            f"parameter dict {path!r}: key {key!r} is not a non-empty str "
                            "without '.'; only such keys can name a saved parameter"
                        )
            return node
        items = [self.value(v, _join(path, str(i))) for i, v in enumerate(value)]
        return _container("list" if type(value) is list else "tuple", path, items, items)


def _container(kind: str, path: str, items: Any, nodes: list[dict | None]) -> dict | None:
    if not nodes:
        return {"kind": kind, "items": items}
    full = [n for n in nodes if n is not None and not _is_empty_tree(n)]
    if any(n is None for n in nodes):
        if full:
            raise TypeError(
                f"parameter {path!r} is a {kind} mixing arrays (or Modules) with non-array "
                "values; keep parameters and other values in separate attributes"
            )
        return None  # no array anywhere: a non-array value
    return {"kind": kind, "items": items}


def _flatten(obj: Module) -> tuple[dict, dict[str, Any]]:
    walk = _Walk()
    tree = walk.module(obj, "")
    return tree, walk.leaves


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype}[{', '.join(map(str, value.shape))}]"
    return str(value.dtype)


# ====================================================================== annotations
_ARRAY_WORDS = frozenset(
    """ndarray NDArray generic number integer signedinteger unsignedinteger inexact floating
    complexfloating bool_ int8 int16 int32 int64 uint8 uint16 uint32 uint64 intp uintp
    float16 float32 float64 longdouble complex64 complex128 clongdouble half single double
    csingle cdouble byte ubyte short ushort intc uintc long ulong longlong ulonglong""".split()
)


class _Declared:
    """What a class declares with class-level annotations."""

    __slots__ = ("names", "optional", "required", "types")

    def __init__(self) -> None:
        self.names: set[str] = set()  # every public annotated name
        self.required: list[str] = []  # parameter annotations without a class default
        self.optional: set[str] = set()  # parameter annotations that admit None
        self.types: dict[str, list[type]] = {}  # name -> Module classes named by it


def _declared(cls: type) -> _Declared | None:
    """The class's public annotations, or None when none of them declares a parameter
    (an array, NumPy scalar or Module type, or a container of those)."""
    decl = _Declared()
    has_param = False
    for klass in reversed(cls.__mro__):
        if klass is object or klass is Module:
            continue
        try:
            annotations = inspect.get_annotations(klass)
        except Exception:  # pragma: no cover - broken annotations
            continue
        for name, ann in annotations.items():
            if not isinstance(name, str) or name.startswith("_"):
                continue
            decl.names.add(name)
            is_param, optional, classes = _annotation_info(_resolve_annotation(ann, klass), klass)
            if name in decl.required:
                decl.required.remove(name)
            decl.optional.discard(name)
            if not is_param:
                continue
            has_param = True
            decl.types[name] = classes
            if optional:
                decl.optional.add(name)
            elif not any(name in vars(k) for k in cls.__mro__):
                decl.required.append(name)
    return decl if has_param else None


def _resolve_annotation(ann: Any, klass: type) -> Any:
    if not isinstance(ann, str):
        return ann
    module = sys.modules.get(klass.__module__)
    namespace = dict(vars(module)) if module is not None else {}
    try:
        return eval(ann, namespace, dict(vars(klass)))
    except Exception:
        return ann  # e.g. a class local to a function: judged by its text


def _annotation_info(ann: Any, owner: type, top: bool = True) -> tuple[bool, bool, list[type]]:
    """(declares a parameter, admits None, Module classes it names) of one annotation."""
    if isinstance(ann, str):
        words = set(re.findall(r"[A-Za-z_]\w*", ann))
        if words & {"ClassVar", "Callable"}:
            return False, False, []
        classes = [
            c
            for refs in _CLASSES.values()
            for c in (r() for r in refs)
            if c is not None and c.__name__ in words
        ]
        is_param = bool(classes) or not _ARRAY_WORDS.isdisjoint(words)
        return is_param, top and bool(words & {"None", "Optional"}), classes
    if ann is None or ann is type(None):
        return False, top, []
    origin = typing.get_origin(ann)
    if origin is ClassVar:
        return False, False, []
    if isinstance(ann, type) and origin is None:
        if issubclass(ann, Module):
            return True, False, [ann]
        return issubclass(ann, (np.ndarray, np.generic)), False, []
    if isinstance(origin, type) and issubclass(origin, (np.ndarray, np.generic)):
        return True, False, []
    args = typing.get_args(ann)
    if origin is typing.Annotated:
        return _annotation_info(args[0], owner, top) if args else (False, False, [])
    is_union = origin is typing.Union or origin is types.UnionType
    if not is_union and origin not in _CONTAINER_ORIGINS:
        return False, False, []  # Callable[..., ndarray], type[...], Iterator[...]: not data
    is_param, optional, classes = False, False, []
    for arg in args:
        p, o, c = _annotation_info(arg, owner, top=top and is_union)
        is_param = is_param or p
        optional = optional or (o and is_union)
        classes.extend(c)
    return is_param, optional, classes


_CONTAINER_ORIGINS = frozenset(
    {
        list,
        tuple,
        dict,
        collections.abc.Sequence,
        collections.abc.MutableSequence,
        collections.abc.Mapping,
        collections.abc.MutableMapping,
    }
)


# ====================================================================== the class
class Module:
    """A class whose public array attributes are saved to, and restored from, one ``.npz``.

    Subclass it and set parameters as public attributes (anywhere: ``__init__`` or
    later). :meth:`save` writes them; :meth:`from_file` restores them into a new instance
    without calling ``__init__``. Both are free (0 FLOPs) and never pickle::

        class Estimator(flops.Module):
            W: fnp.ndarray

            def __init__(self, n):
                self.W = fnp.random.randn(n, n)

        Estimator(10).save("est.npz")
        est = Estimator.from_file("est.npz")   # est.W: float64[10, 10], counted

    Class-level annotations of parameter types (``W: fnp.ndarray``, ``enc: Encoder``,
    ``layers: list[Layer]``) make :meth:`from_file` check the file against them: a
    declared parameter missing from the file, or a file parameter not annotated, is a
    :class:`~flopscope.errors.ModuleFileError`. An annotation admitting ``None``
    (``b: fnp.ndarray | None``) may be absent; it is restored as ``None``.
    """

    __module__ = "flopscope"  # where users find it: flops.Module

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _register(cls)

    # ------------------------------------------------------------ parameters
    def parameters(self) -> dict[str, Any]:
        """Every saved parameter: dotted key -> array (or NumPy scalar), in attribute order
        (depth first). These are the attribute values themselves, not copies."""
        return _flatten(self)[1]

    def __repr__(self) -> str:
        name = type(self).__name__
        try:
            leaves = _flatten(self)[1]
        except (TypeError, ValueError) as err:
            return f"{name}(<parameters cannot be saved: {err}>)"
        return f"{name}({', '.join(f'{k}: {_describe(v)}' for k, v in leaves.items())})"

    # ------------------------------------------------------------ saving
    def save(
        self, file: str | os.PathLike[str] | typing.IO[bytes], *, compressed: bool = False
    ) -> None:
        """Write every parameter, and the manifest, to one ``.npz`` (``.npz`` is appended
        to a path without it, as ``numpy.savez`` does). Free (0 FLOPs), no pickle.

        Everything is checked before anything is written: a container mixing arrays and
        other values raises ``TypeError``, a dict key that is not a str or contains
        ``.`` raises ``ValueError``, an object array raises
        :class:`~flopscope.errors.UnsupportedDtypeError`; each names the parameter.

        >>> Estimator(10).save("est.npz", compressed=True)     # doctest: +SKIP
        """
        t0 = time.perf_counter_ns()
        t1 = t2 = 0
        try:
            tree, leaves = _flatten(self)
            arrays = {key: _io.plain_array(v, f"parameter {key!r}") for key, v in leaves.items()}
            manifest = {
                "format": FORMAT_NAME,
                "version": FORMAT_VERSION,
                "class": type(self).__qualname__,
                "tree": tree,
            }
            arrays[MANIFEST_KEY] = np.array(json.dumps(manifest, ensure_ascii=False))
            t1 = time.perf_counter_ns()
            _io.write_npz(file, arrays, compress=bool(compressed))
            t2 = time.perf_counter_ns()
        finally:
            t3 = time.perf_counter_ns()
            _book(t0, t1 or t3, t2 or t3, t3)

    # ------------------------------------------------------------ loading
    @classmethod
    def from_file(cls: type[_M], file: str | os.PathLike[str] | typing.IO[bytes]) -> _M:
        """A new instance with the parameters saved in ``file``; ``__init__`` is not called.

        Arrays come back as counted arrays with their dtype, shape and values; NumPy
        scalars as (counted) NumPy scalars of their dtype; nested Modules as instances of
        their classes (found by ``__qualname__``; the module they live in is not
        compared, so parameters saved from a notebook's ``__main__`` load into the same
        class imported from a package); lists, tuples and dicts as such. Free (0 FLOPs),
        no pickle.

        A file that is missing, unreadable or corrupt, was written for another class,
        lacks a key its manifest lists or holds one it does not, or does not match the
        class's parameter annotations raises
        :class:`~flopscope.errors.ModuleFileError` naming the file and the key; an object
        array raises :class:`~flopscope.errors.UnsupportedDtypeError`. Nothing is created.

        >>> est = Estimator.from_file("est.npz")     # doctest: +SKIP
        """
        t0 = time.perf_counter_ns()
        t1 = t2 = 0
        try:
            t1 = time.perf_counter_ns()
            tree, arrays, classes = _read(cls, file)
            t2 = time.perf_counter_ns()
            obj = _build(tree, "", arrays, classes)
        finally:
            t3 = time.perf_counter_ns()
            _book(t0, t1 or t3, t2 or t3, t3)
        return typing.cast("_M", obj)


_register(Module)


# ====================================================================== reading
def _error(label: str, key: str | None, message: str) -> ModuleFileError:
    where = label if key is None else f"{label}, key {key!r}"
    return ModuleFileError(f"{where}: {message}")


def _open(file: Any) -> tuple[str, _io.NpzArchive]:
    if isinstance(file, (str, os.PathLike)):
        path = os.fspath(file)
        if not os.path.exists(path) and os.path.exists(f"{path}.npz"):
            file = f"{path}.npz"  # Module.save appended the suffix
    label = _io.file_label(file)
    try:
        archive = _io.load(file)
    except UnsupportedDtypeError:
        raise
    except _io.archive_errors(OSError, ValueError, EOFError) as err:
        raise _error(label, None, f"cannot read the parameter file ({err})") from err
    if not isinstance(archive, _io.NpzArchive):
        raise _error(label, None, "is a .npy array, not a parameter file (.npz) of Module.save")
    return label, archive


def _read(
    cls: type[Module], file: Any
) -> tuple[dict, dict[str, np.ndarray], dict[str, type[Module]]]:
    """Open and check ``file`` for ``cls``; read its arrays. (tree, key -> plain array,
    module path -> class)."""
    label, archive = _open(file)
    with archive:
        if MANIFEST_KEY not in archive.files:
            raise _error(
                label,
                MANIFEST_KEY,
                "no manifest: this .npz was not written by Module.save",
            )
        tree = _manifest(label, _read_member(archive, label, MANIFEST_KEY), cls)
        expected: dict[str, str] = {}
        classes: dict[str, type[Module]] = {"": cls}
        _check_module(tree, "", cls, cls, label, expected, classes)
        present = [k for k in archive.files if k != MANIFEST_KEY]
        for key in expected:
            if key not in archive.files:
                raise _error(label, key, "missing key: listed in the manifest but absent")
        for key in present:
            if key not in expected:
                raise _error(label, key, "extra key: an array the manifest does not list")
        arrays: dict[str, np.ndarray] = {}
        for key, kind in expected.items():
            arr = _read_member(archive, label, key)
            if kind == "scalar" and arr.ndim != 0:
                raise _error(label, key, f"a scalar is stored with shape {arr.shape}")
            arrays[key] = arr
    return tree, arrays, classes


def _read_member(archive: _io.NpzArchive, label: str, key: str) -> np.ndarray:
    try:
        return archive.read(key)
    except _io.archive_errors(OSError, ValueError, EOFError, KeyError) as err:
        raise _error(label, key, f"cannot read the array ({err})") from err


def _manifest(label: str, raw: np.ndarray, cls: type[Module]) -> dict:
    if raw.shape != () or raw.dtype.kind != "U":
        raise _error(label, MANIFEST_KEY, "corrupt manifest (not a JSON string)")
    try:
        manifest = json.loads(str(raw[()]))
    except ValueError as err:
        raise _error(label, MANIFEST_KEY, f"corrupt manifest ({err})") from err
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise _error(label, MANIFEST_KEY, "corrupt manifest (not a flopscope.Module manifest)")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _error(label, MANIFEST_KEY, f"corrupt manifest (format version {version!r})")
    if version > FORMAT_VERSION:
        raise _error(
            label,
            MANIFEST_KEY,
            f"format version {version} is newer than this flopscope reads ({FORMAT_VERSION})",
        )
    qualname = manifest.get("class")
    tree = manifest.get("tree")
    if not isinstance(qualname, str) or not isinstance(tree, dict):
        raise _error(label, MANIFEST_KEY, "corrupt manifest (no class or tree)")
    if qualname != cls.__qualname__:
        raise _error(
            label,
            MANIFEST_KEY,
            f"written for class {qualname!r}, not {cls.__qualname__!r}",
        )
    if tree.get("kind") != "module" or tree.get("class") != qualname:
        raise _error(label, MANIFEST_KEY, "corrupt manifest (the root is not the module)")
    return tree


def _check_module(
    node: dict,
    path: str,
    klass: type[Module],
    root: type[Module],
    label: str,
    expected: dict[str, str],
    classes: dict[str, type[Module]],
) -> None:
    """Check a module node against its class (and its annotations), recursively."""
    attrs = node.get("attrs")
    if not isinstance(attrs, dict):
        raise _error(label, MANIFEST_KEY, f"corrupt manifest (module {path or '<root>'!r})")
    decl = _declared(klass)
    if decl is not None:
        for name in decl.required:
            if name not in attrs:
                raise _error(
                    label,
                    _join(path, name),
                    f"missing key: {klass.__qualname__} declares parameter {name!r}, "
                    "which the file lacks",
                )
        for name in attrs:
            if name not in decl.names:
                raise _error(
                    label,
                    _join(path, name),
                    f"extra key: {klass.__qualname__} does not declare parameter {name!r}",
                )
    for name, child in attrs.items():
        if not isinstance(name, str) or not name or "." in name or name.startswith("_"):
            raise _error(label, MANIFEST_KEY, f"corrupt manifest (attribute name {name!r})")
        hint = decl.types.get(name, []) if decl is not None else []
        _check_node(child, _join(path, name), klass, hint, root, label, expected, classes)


def _check_node(
    node: Any,
    path: str,
    owner: type[Module],
    hint: list[type],
    root: type[Module],
    label: str,
    expected: dict[str, str],
    classes: dict[str, type[Module]],
) -> None:
    kind = node.get("kind") if isinstance(node, dict) else None
    if kind in _LEAVES:
        expected[path] = kind
    elif kind == "module":
        qualname = node.get("class")
        if not isinstance(qualname, str):
            raise _error(label, MANIFEST_KEY, f"corrupt manifest (module {path!r})")
        klass = _resolve_class(qualname, owner, hint, root, label, path)
        classes[path] = klass
        _check_module(node, path, klass, root, label, expected, classes)
    elif kind in ("list", "tuple") and isinstance(node.get("items"), list):
        for i, child in enumerate(node["items"]):
            _check_node(child, _join(path, str(i)), owner, hint, root, label, expected, classes)
    elif kind == "dict" and isinstance(node.get("items"), dict):
        for key, child in node["items"].items():
            if not key or "." in key:
                raise _error(label, MANIFEST_KEY, f"corrupt manifest (dict key {key!r})")
            _check_node(child, _join(path, key), owner, hint, root, label, expected, classes)
    else:
        raise _error(label, MANIFEST_KEY, f"corrupt manifest (node {path!r})")


def _resolve_class(
    qualname: str,
    owner: type[Module],
    hint: list[type],
    root: type[Module],
    label: str,
    path: str,
) -> type[Module]:
    """The class a nested module node names: among live Module classes of that qualname,
    one the owner's annotation names, else one in the owner's module, else one in the
    root class's module, else any; the most recently defined within a tier."""
    candidates = _classes_named(qualname)
    if not candidates:
        raise _error(
            label,
            path,
            f"unknown Module class {qualname!r}: define (or import) it before loading",
        )
    tiers = (
        [c for c in candidates if c in hint],
        [c for c in candidates if c.__module__ == owner.__module__],
        [c for c in candidates if c.__module__ == root.__module__],
        candidates,
    )
    return next(t for t in tiers if t)[-1]


def _build(node: dict, path: str, arrays: dict[str, np.ndarray], classes: dict) -> Any:
    kind = node["kind"]
    if kind == "array":
        return _view(arrays[path], _counted)
    if kind == "scalar":
        value = arrays[path][()]
        wrap = SCALAR_WRAP.get(type(value))
        return value if wrap is None else wrap(value)
    if kind == "module":
        klass = classes[path]
        obj = klass.__new__(klass)
        state = obj.__dict__
        for name, child in node["attrs"].items():
            state[name] = _build(child, _join(path, name), arrays, classes)
        decl = _declared(klass)
        if decl is not None:
            for name in decl.optional:
                if name not in node["attrs"]:
                    state[name] = None
        return obj
    items = node["items"]
    if kind == "dict":
        return {k: _build(c, _join(path, k), arrays, classes) for k, c in items.items()}
    built = [_build(c, _join(path, str(i)), arrays, classes) for i, c in enumerate(items)]
    return _CONTAINERS[kind](built)
