"""``flopscope.Module``: saving and restoring a class's public array attributes as one
``.npz``: round trips, the manifest, class lookup by qualname, every error path, repr."""

from __future__ import annotations

import io
import json
import pathlib
import textwrap
import zipfile
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Sequence
from typing import Annotated, ClassVar, Optional

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import _module
from flopscope._module import MANIFEST_KEY, Module
from flopscope.errors import ModuleFileError, UnsupportedDtypeError
from samples import FILE_DTYPES as DTYPES

counted_ndarray = fnp.ndarray


# ---------------------------------------------------------------------- classes
class Encoder(Module):
    def __init__(self, n: int = 3) -> None:
        self.W = np.arange(n * n, dtype=np.float32).reshape(n, n)


class Estimator(Module):
    """No annotations: checked against the manifest only."""

    init_calls: ClassVar[int] = 0

    def __init__(self, n: int = 4) -> None:
        type(self).init_calls += 1
        self.W = np.linspace(0, 1, n * n).reshape(n, n)
        self.b = np.zeros(n)
        self.encoder = Encoder()
        self.layers = [{"W": np.eye(2, dtype=np.float32)}, {"W": np.ones((2, 2), np.float16)}]
        self.scale = np.float32(0.5)
        self.name = "est"
        self.n = n
        self._cache = np.ones(3)


class Declared(Module):
    W: fnp.ndarray
    encoder: Encoder
    layers: list[fnp.ndarray]
    bias: fnp.ndarray | None
    steps: int = 3  # a setting, not a parameter

    def __init__(self) -> None:
        self.W = np.ones((2, 2))
        self.encoder = Encoder(2)
        self.layers = [np.zeros(2), np.ones(3)]
        self.bias = None


class Empty(Module):
    pass


class Counting(Module):
    """Counts instances created (also by from_file, which calls __new__)."""

    created: ClassVar[int] = 0

    def __new__(cls, *args, **kwargs):
        Counting.created += 1
        return super().__new__(cls)

    def __init__(self) -> None:
        self.W = np.ones(3)


def same(a, b) -> None:
    """Identical type family, dtype, shape and values (bit for bit)."""
    if isinstance(b, np.ndarray):
        assert type(a) is counted_ndarray
    elif isinstance(b, np.generic):
        assert isinstance(a, np.generic) and not isinstance(a, np.ndarray)
        assert isinstance(a, type(b))
    a_arr, b_arr = np.asarray(a), np.asarray(b)
    assert a_arr.dtype == b_arr.dtype
    assert a_arr.shape == b_arr.shape
    assert a_arr.tobytes() == b_arr.tobytes()


def same_tree(a, b) -> None:
    if isinstance(b, Module):
        assert type(a) is type(b)
        names = saved_names(b)
        assert list(vars(a)) == names
        for name in names:
            same_tree(getattr(a, name), getattr(b, name))
    elif isinstance(b, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            same_tree(x, y)
    elif isinstance(b, dict):
        assert type(a) is dict and list(a) == list(b)
        for k in b:
            same_tree(a[k], b[k])
    else:
        same(a, b)


def saved_names(m: Module) -> list[str]:
    """The attributes ``save`` keeps: those in the manifest tree."""
    tree, _ = _module._flatten(m)
    return list(tree["attrs"])


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def rewrite(path, new_path, *, drop=(), add=None, replace=None) -> None:
    """Copy an .npz, dropping / adding / replacing members (name without .npy)."""
    data = members(path)
    with zipfile.ZipFile(new_path, "w") as z:
        for name, raw in data.items():
            key = name[:-4]
            if key in drop:
                continue
            if replace and key in replace:
                raw = npy_bytes(replace[key])
            z.writestr(name, raw)
        for key, value in (add or {}).items():
            z.writestr(key + ".npy", npy_bytes(value))


def npy_bytes(value) -> bytes:
    buf = io.BytesIO()
    np.save(buf, value, allow_pickle=True)
    return buf.getvalue()


def manifest_of(path) -> dict:
    with np.load(path, allow_pickle=False) as f:
        return json.loads(str(f[MANIFEST_KEY][()]))


@pytest.fixture
def saved(tmp_path) -> pathlib.Path:
    path = tmp_path / "est.npz"
    Estimator().save(path)
    return path


# ---------------------------------------------------------------------- round trips
def test_round_trip_restores_everything_exactly(saved):
    original = Estimator()
    before = Estimator.init_calls
    loaded = Estimator.from_file(saved)
    assert Estimator.init_calls == before  # __init__ not called
    assert type(loaded) is Estimator
    same_tree(loaded, original)
    assert type(loaded.encoder) is Encoder
    assert set(vars(loaded)) == {"W", "b", "encoder", "layers", "scale"}
    assert not hasattr(loaded, "_cache")
    assert not hasattr(loaded, "name") and not hasattr(loaded, "n")


def test_private_and_non_array_attributes_are_not_saved(saved):
    with np.load(saved, allow_pickle=False) as f:
        assert sorted(f.files) == sorted(
            ["W", "b", "encoder.W", "layers.0.W", "layers.1.W", "scale", MANIFEST_KEY]
        )


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_every_dtype_round_trips_as_array_zero_d_and_scalar(tmp_path, dtype):
    m = Empty()
    rng = np.random.default_rng(1)
    m.a = rng.integers(0, 100, size=(3, 5)).astype(dtype)
    m.z = np.zeros((), dtype)
    m.e = np.zeros((0, 2), dtype)
    m.s = np.dtype(dtype).type(1)
    m.f = np.asfortranarray(m.a)
    m.save(tmp_path / "m.npz")
    r = Empty.from_file(tmp_path / "m.npz")
    for name in ("a", "z", "e", "s", "f"):
        same(getattr(r, name), getattr(m, name))
    assert r.z.ndim == 0 and isinstance(r.z, np.ndarray)
    assert np.asarray(r.s).dtype == np.dtype(dtype)
    assert r.f.flags.f_contiguous


def test_scalars_come_back_as_counted_numpy_scalars(tmp_path, unit_weights):
    m = Empty()
    m.lr = np.float64(0.1)
    m.k = np.int32(7)
    m.flag = np.bool_(True)
    m.save(tmp_path / "s.npz")
    r = Empty.from_file(tmp_path / "s.npz")
    assert isinstance(r.lr, np.float64) and r.lr == 0.1
    assert isinstance(r.k, np.int32) and r.k == 7
    assert r.flag is np.True_
    with flops.BudgetContext(flop_budget=10) as b:
        r.lr * 2.0
    assert b.flops_used == 1  # arithmetic on a restored scalar is counted


def test_restored_arrays_are_counted(saved, unit_weights):
    r = Estimator.from_file(saved)
    with flops.BudgetContext(flop_budget=10**6) as b:
        r.W @ r.W
    assert b.flops_used == 4 * 4 * 4


def test_large_parameters(tmp_path):
    m = Empty()
    m.big = np.random.default_rng(0).standard_normal(1_000_000)
    m.save(tmp_path / "big.npz", compressed=True)
    same(Empty.from_file(tmp_path / "big.npz").big, m.big)


def test_empty_module(tmp_path):
    Empty().save(tmp_path / "e.npz")
    r = Empty.from_file(tmp_path / "e.npz")
    assert type(r) is Empty and vars(r) == {}
    assert repr(r) == "Empty()"


def test_containers_nested_and_empty(tmp_path):
    m = Empty()
    m.t = (np.arange(2), (np.ones(1), []), {})
    m.d = {"mean": np.zeros(3), "inner": {"x": [np.eye(2)]}, "empty": []}
    m.empty_list = []
    m.empty_tuple = ()
    m.empty_dict = {}
    m.nested_empty = [[], {}]
    m.modules = [Encoder(1), Encoder(2)]
    m.save(tmp_path / "c.npz")
    r = Empty.from_file(tmp_path / "c.npz")
    same_tree(r.t, m.t)
    same_tree(r.d, m.d)
    assert r.empty_list == [] and r.empty_tuple == () and r.empty_dict == {}
    assert r.nested_empty == [[], {}]
    assert [type(e) for e in r.modules] == [Encoder, Encoder]
    same(r.modules[1].W, m.modules[1].W)
    assert list(r.parameters()) == [
        "t.0",
        "t.1.0",
        "d.mean",
        "d.inner.x.0",
        "modules.0.W",
        "modules.1.W",
    ]


def test_non_array_containers_are_skipped(tmp_path):
    m = Empty()
    m.names = ["a", "b"]
    m.config = {"lr": 0.1, "steps": [1, 2]}
    m.sizes = (1, 2, [])
    m.callback = print
    m.nothing = None
    m.text = np.str_("x")
    m.save(tmp_path / "n.npz")
    assert vars(Empty.from_file(tmp_path / "n.npz")) == {}


def test_str_pathlike_file_object_and_suffix(tmp_path):
    m = Encoder(2)
    m.save(str(tmp_path / "a"))  # .npz appended, as numpy.savez does
    assert (tmp_path / "a.npz").exists()
    same(Encoder.from_file(str(tmp_path / "a.npz")).W, m.W)
    same(Encoder.from_file(tmp_path / "a").W, m.W)  # the suffix save appended
    buf = io.BytesIO()
    m.save(buf, compressed=True)
    buf.seek(0)
    same(Encoder.from_file(buf).W, m.W)
    assert not buf.closed


def test_compressed_file_is_smaller_and_equal(tmp_path):
    m = Empty()
    m.zeros = np.zeros(100_000)
    m.save(tmp_path / "u.npz")
    m.save(tmp_path / "c.npz", compressed=True)
    assert (tmp_path / "c.npz").stat().st_size < (tmp_path / "u.npz").stat().st_size
    same(Empty.from_file(tmp_path / "c.npz").zeros, m.zeros)


def test_counted_arrays_are_saved_as_plain_arrays(tmp_path):
    m = Empty()
    m.W = fnp.ones((2, 2))
    m.save(tmp_path / "c.npz")
    with np.load(tmp_path / "c.npz", allow_pickle=False) as f:
        assert type(f["W"]) is np.ndarray


def test_manifest_is_json_in_a_string_array_never_pickle(saved):
    manifest = manifest_of(saved)  # np.load with allow_pickle=False reads every member
    assert manifest["format"] == "flopscope.Module"
    assert manifest["version"] == 1
    assert manifest["class"] == "Estimator"
    tree = manifest["tree"]
    assert tree["kind"] == "module" and tree["class"] == "Estimator"
    assert list(tree["attrs"]) == ["W", "b", "encoder", "layers", "scale"]
    assert tree["attrs"]["encoder"] == {
        "kind": "module",
        "class": "Encoder",
        "attrs": {"W": {"kind": "array"}},
    }
    assert tree["attrs"]["layers"]["kind"] == "list"
    assert tree["attrs"]["scale"] == {"kind": "scalar"}
    raw = members(saved)
    assert all(b"pickle" not in v and b"\x80\x04" not in v[:20] for v in raw.values())


def test_parameters_are_the_attribute_values_in_order():
    m = Estimator()
    params = m.parameters()
    assert list(params) == ["W", "b", "encoder.W", "layers.0.W", "layers.1.W", "scale"]
    assert params["W"] is m.W and params["layers.1.W"] is m.layers[1]["W"]


def test_repr_lists_parameters_with_dtype_and_shape():
    m = Estimator(n=10)
    m.z = np.zeros(())
    assert repr(m) == (
        "Estimator(W: float64[10, 10], b: float64[10], encoder.W: float32[3, 3], "
        "layers.0.W: float32[2, 2], layers.1.W: float16[2, 2], scale: float32, z: float64[])"
    )
    bad = Empty()
    bad.mixed = [np.ones(2), "x"]
    assert "cannot be saved" in repr(bad)  # repr never raises


def test_declared_annotations_round_trip_with_optional_none(tmp_path):
    m = Declared()
    m.save(tmp_path / "d.npz")
    r = Declared.from_file(tmp_path / "d.npz")
    same(r.W, m.W)
    assert type(r.encoder) is Encoder
    same_tree(r.layers, m.layers)
    assert r.bias is None  # declared Optional, not in the file: restored as None
    assert r.steps == 3  # class default untouched
    m.bias = np.ones(2)
    m.save(tmp_path / "d2.npz")
    same(Declared.from_file(tmp_path / "d2.npz").bias, m.bias)


def test_module_base_class_can_be_used_directly(tmp_path):
    m = flops.Module() if hasattr(flops, "Module") else Module()
    m.W = np.ones(2)
    m.save(tmp_path / "m.npz")
    r = Module.from_file(tmp_path / "m.npz")
    assert type(r) is Module
    same(r.W, m.W)


def test_subclass_of_a_subclass_round_trips(tmp_path):
    class Base(Module):
        W: fnp.ndarray

    class Child(Base):
        b: fnp.ndarray

    c = Child()
    c.W, c.b = np.ones(2), np.zeros(2)
    c.save(tmp_path / "c.npz")
    r = Child.from_file(tmp_path / "c.npz")
    same(r.W, c.W)
    same(r.b, c.b)
    with pytest.raises(ModuleFileError, match=r"written for class .*Child.*not .*Base"):
        Base.from_file(tmp_path / "c.npz")


# ---------------------------------------------------------------------- qualnames
MAIN_SCRIPT = """
    import numpy as np
    import flopscope as flops
    from flopscope._module import Module

    class Encoder(Module):
        def __init__(self):
            self.W = np.full((2, 2), 3.0, dtype=np.float32)

    class Estimator(Module):
        def __init__(self):
            self.W = np.arange(16.0).reshape(4, 4)
            self.encoder = Encoder()

    assert Estimator.__module__ == "__main__"
    Estimator().save({path!r})
"""


def test_parameters_saved_in_main_load_into_the_package_class(tmp_path, run_python):
    path = tmp_path / "main.npz"
    result = run_python(textwrap.dedent(MAIN_SCRIPT.format(path=str(path))))
    assert result.returncode == 0, result.stderr
    r = Estimator.from_file(path)
    assert type(r) is Estimator and type(r.encoder) is Encoder
    same(r.W, np.arange(16.0).reshape(4, 4))
    same(r.encoder.W, np.full((2, 2), 3.0, dtype=np.float32))


def test_ambiguous_nested_qualname_prefers_the_owners_module(tmp_path, saved):
    impostor = type("Encoder", (Module,), {"__module__": "somewhere_else"})
    assert impostor.__qualname__ == "Encoder"
    r = Estimator.from_file(saved)
    assert type(r.encoder) is Encoder


def test_ambiguous_nested_qualname_prefers_the_annotation(tmp_path):
    other = type("Encoder", (Module,), {"__module__": "somewhere_else"})
    # a real (not stringified) annotation naming the other Encoder
    Holder = type("Holder", (Module,), {"__annotations__": {"enc": other}})
    h = Holder()
    h.enc = other()
    h.enc.W = np.ones(1)
    h.save(tmp_path / "h.npz")
    r = Holder.from_file(tmp_path / "h.npz")
    assert type(r.enc) is other


def test_unknown_nested_class_is_a_module_file_error(tmp_path):
    ghost = type("Ghost", (Module,), {"__module__": "gone"})
    m = Empty()
    m.g = ghost()
    m.g.W = np.ones(1)
    m.save(tmp_path / "g.npz")
    doc = manifest_of(tmp_path / "g.npz")
    doc["tree"]["attrs"]["g"]["class"] = "NoSuchClass"
    rewrite(
        tmp_path / "g.npz", tmp_path / "g2.npz", replace={MANIFEST_KEY: np.array(json.dumps(doc))}
    )
    with pytest.raises(
        ModuleFileError, match=r"g2\.npz, key 'g'.*unknown Module class 'NoSuchClass'"
    ):
        Empty.from_file(tmp_path / "g2.npz")


# ---------------------------------------------------------------------- load errors
def expect_load_error(cls, path, match, error=ModuleFileError) -> None:
    """The load fails with ``error``, creates no instance and charges nothing."""
    created = Counting.created
    with flops.BudgetContext(flop_budget=0) as b:
        with pytest.raises(error, match=match):
            cls.from_file(path)
    assert b.flops_used == 0
    assert Counting.created == created


@pytest.fixture
def counting_file(tmp_path) -> pathlib.Path:
    path = tmp_path / "counting.npz"
    Counting().save(path)
    return path


def test_from_file_creates_instances_through_new_only(counting_file):
    created = Counting.created
    Counting.from_file(counting_file)
    assert Counting.created == created + 1


def test_another_class_names_both_qualnames(saved):
    expect_load_error(Counting, saved, r"est\.npz.*written for class 'Estimator', not 'Counting'")


def test_missing_key(tmp_path, counting_file):
    rewrite(counting_file, tmp_path / "m.npz", drop={"W"})
    expect_load_error(Counting, tmp_path / "m.npz", r"m\.npz, key 'W'.*missing key")


def test_extra_key(tmp_path, counting_file):
    rewrite(counting_file, tmp_path / "x.npz", add={"V": np.ones(2)})
    expect_load_error(Counting, tmp_path / "x.npz", r"x\.npz, key 'V'.*extra key")


def test_missing_file(tmp_path):
    expect_load_error(Counting, tmp_path / "nope.npz", r"nope\.npz.*cannot read")


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage, not a zip file", b"PK\x03\x04 truncated zip header", b"\x80\x04K\x01."],
    ids=["empty", "garbage", "broken-zip", "pickle"],
)
def test_corrupt_file(tmp_path, content):
    path = tmp_path / "bad.npz"
    path.write_bytes(content)
    expect_load_error(Counting, path, r"bad\.npz")


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9, 0.99])
def test_truncated_file(tmp_path, fraction):
    m = Counting()
    m.W = np.random.default_rng(0).standard_normal(10_000)
    m.save(tmp_path / "full.npz", compressed=True)
    data = (tmp_path / "full.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: int(len(data) * fraction)])
    expect_load_error(Counting, tmp_path / "cut.npz", r"cut\.npz")


def test_corrupted_member_data(tmp_path):
    m = Counting()
    m.W = np.arange(1000.0)
    m.save(tmp_path / "ok.npz", compressed=True)
    data = bytearray((tmp_path / "ok.npz").read_bytes())
    data[len(data) // 3] ^= 0xFF  # inside the deflated data of W: CRC or zlib fails
    (tmp_path / "flip.npz").write_bytes(bytes(data))
    expect_load_error(Counting, tmp_path / "flip.npz", r"flip\.npz")


def test_npy_file_is_not_a_parameter_file(tmp_path):
    np.save(tmp_path / "a.npy", np.ones(3))
    expect_load_error(Counting, tmp_path / "a.npy", r"a\.npy.*not a parameter file")


def test_missing_manifest(tmp_path):
    np.savez(tmp_path / "plain.npz", W=np.ones(3))
    expect_load_error(
        Counting, tmp_path / "plain.npz", rf"plain\.npz, key '{MANIFEST_KEY}'.*no manifest"
    )


@pytest.mark.parametrize(
    "manifest",
    [
        np.array("{not json"),
        np.array(json.dumps([1, 2])),
        np.array(json.dumps({"format": "other"})),
        np.array(json.dumps({"format": "flopscope.Module", "version": 99, "class": "Counting"})),
        np.array(json.dumps({"format": "flopscope.Module", "version": 1, "class": "Counting"})),
        np.array(
            json.dumps(
                {
                    "format": "flopscope.Module",
                    "version": 1,
                    "class": "Counting",
                    "tree": {"kind": "module", "class": "Counting", "attrs": {"W": {"kind": "?"}}},
                }
            )
        ),
        np.arange(3),
        np.array(b"bytes"),
    ],
    ids=["bad-json", "list", "format", "version", "no-tree", "bad-node", "numbers", "bytes"],
)
def test_bad_manifest(tmp_path, counting_file, manifest):
    rewrite(counting_file, tmp_path / "bad.npz", replace={MANIFEST_KEY: manifest})
    expect_load_error(Counting, tmp_path / "bad.npz", rf"bad\.npz, key '{MANIFEST_KEY}'")


def test_scalar_stored_with_a_shape_is_corrupt(tmp_path):
    m = Empty()
    m.s = np.float32(1)
    m.save(tmp_path / "s.npz")
    rewrite(tmp_path / "s.npz", tmp_path / "s2.npz", replace={"s": np.ones(2, np.float32)})
    expect_load_error(Empty, tmp_path / "s2.npz", r"s2\.npz, key 's'.*scalar")


def test_object_array_in_the_file(tmp_path, counting_file):
    rewrite(counting_file, tmp_path / "o.npz", replace={"W": np.array([1, None], dtype=object)})
    expect_load_error(Counting, tmp_path / "o.npz", r"o\.npz.*key 'W'", error=UnsupportedDtypeError)


def test_annotation_declares_a_parameter_the_file_lacks(tmp_path):
    Empty().save(tmp_path / "e.npz")
    manifest = manifest_of(tmp_path / "e.npz")
    manifest["class"] = manifest["tree"]["class"] = "Declared"
    rewrite(
        tmp_path / "e.npz",
        tmp_path / "d.npz",
        replace={MANIFEST_KEY: np.array(json.dumps(manifest))},
    )
    expect_load_error(Declared, tmp_path / "d.npz", r"d\.npz, key 'W'.*missing key.*declares")


def test_file_parameter_the_annotations_do_not_declare(tmp_path):
    m = Declared()
    m.extra = np.ones(2)
    m.save(tmp_path / "d.npz")
    expect_load_error(Declared, tmp_path / "d.npz", r"d\.npz, key 'extra'.*does not declare")


def test_nested_module_annotations_are_checked_too(tmp_path):
    class Inner(Module):
        W: fnp.ndarray

    class Outer(Module):
        inner: Inner

    o = Outer()
    o.inner = Inner()
    o.inner.W = np.ones(2)
    o.inner.V = np.ones(2)
    o.save(tmp_path / "o.npz")
    expect_load_error(Outer, tmp_path / "o.npz", r"key 'inner\.V'.*does not declare")


def test_classes_without_annotations_accept_any_manifest_consistent_file(tmp_path):
    m = Empty()
    m.anything = np.ones(1)
    m.save(tmp_path / "a.npz")
    same(Empty.from_file(tmp_path / "a.npz").anything, m.anything)


def test_annotation_forms_are_understood():
    class Forms(Module):
        a: fnp.ndarray
        b: np.ndarray
        c: np.float64
        d: Optional[np.ndarray]  # noqa: UP045 - the typing spelling is under test
        e: dict[str, list[Encoder]]
        f: int
        g: ClassVar[np.ndarray]
        h: np.ndarray = np.zeros(1)
        i: Callable[[np.ndarray], np.ndarray]
        j: Annotated[np.ndarray, "meta"]
        k: Sequence[Encoder] | None

    decl = _module._declared(Forms)
    assert decl is not None
    assert sorted(decl.required) == ["a", "b", "c", "e", "j"]
    assert decl.optional == {"d", "k"}
    assert decl.types["e"] == [Encoder] and decl.types["k"] == [Encoder]
    assert {"f", "g", "h", "i"} <= decl.names
    assert _module._declared(Estimator) is None


# ---------------------------------------------------------------------- save errors
def expect_save_error(obj, tmp_path, error, match) -> None:
    with flops.BudgetContext(flop_budget=0) as b:
        with pytest.raises(error, match=match):
            obj.save(tmp_path / "out.npz")
    assert b.flops_used == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "value, path",
    [
        ([np.ones(2), 3], "mixed"),
        ({"a": np.ones(2), "b": "text"}, "mixed"),
        ([[np.ones(2)], [None]], "mixed"),
        ([Encoder(), 1.0], "mixed"),
        ({"ok": [np.ones(1)], "bad": [np.ones(1), "x"]}, r"mixed\.bad"),
    ],
)
def test_mixed_containers_are_refused_naming_the_path(tmp_path, value, path):
    m = Empty()
    m.fine = np.ones(3)
    m.mixed = value
    expect_save_error(m, tmp_path, TypeError, rf"'{path}'.*mixing")


@pytest.mark.parametrize("key", [1, "a.b", "", ("t",)])
def test_bad_dict_keys_are_refused_naming_the_path(tmp_path, key):
    m = Empty()
    m.fine = np.ones(3)
    m.params = {key: np.ones(2)}
    expect_save_error(m, tmp_path, ValueError, r"'params'.*key")


def test_bad_dict_keys_in_non_array_dicts_are_fine(tmp_path):
    m = Empty()
    m.lookup = {1: "one", "a.b": 2}
    m.save(tmp_path / "ok.npz")
    assert vars(Empty.from_file(tmp_path / "ok.npz")) == {}


def test_object_arrays_are_refused_naming_the_key(tmp_path):
    m = Empty()
    m.fine = np.ones(3)
    m.layers = [{"W": np.array([1, "x"], dtype=object)}]
    expect_save_error(m, tmp_path, UnsupportedDtypeError, r"'layers\.0\.W'")


def test_cycles_are_refused(tmp_path):
    m = Empty()
    m.W = np.ones(1)
    m.me = m
    expect_save_error(m, tmp_path, ValueError, r"'me'.*cycle")
    loop: list = [np.ones(1)]
    loop.append(loop)
    n = Empty()
    n.loop = loop
    expect_save_error(n, tmp_path, ValueError, r"'loop\.1'.*cycle")


def test_container_subclasses_holding_arrays_are_refused(tmp_path):
    Pair = namedtuple("Pair", "a b")
    m = Empty()
    m.pair = Pair(np.ones(1), np.zeros(1))
    expect_save_error(m, tmp_path, TypeError, r"'pair' is a Pair")
    n = Empty()
    n.od = OrderedDict(x=np.ones(1))
    expect_save_error(n, tmp_path, TypeError, r"'od' is a OrderedDict")


def test_attribute_names_with_dots_are_refused(tmp_path):
    m = Empty()
    setattr(m, "a.b", np.ones(1))
    expect_save_error(m, tmp_path, ValueError, r"'a\.b'")


def test_save_overwrites_an_existing_file(tmp_path):
    a = Encoder(2)
    a.save(tmp_path / "e.npz")
    b = Encoder(3)
    b.save(tmp_path / "e.npz")
    same(Encoder.from_file(tmp_path / "e.npz").W, b.W)


# ---------------------------------------------------------------------- free, timed
def test_save_and_load_charge_no_flops_and_book_flopscope_time(tmp_path):
    m = Estimator()
    with flops.BudgetContext(flop_budget=0) as b:
        m.save(tmp_path / "e.npz")
        r = Estimator.from_file(tmp_path / "e.npz")
    assert b.flops_used == 0
    assert len(b.op_log) == 0
    assert b.flopscope_backend_time_s > 0
    assert b.flopscope_overhead_time_s >= 0
    assert type(r.W) is counted_ndarray


def test_book_free_is_called_once_per_save_and_per_load(tmp_path, monkeypatch):
    calls: list[tuple[int, ...]] = []
    monkeypatch.setattr(flops._budget, "book_free", lambda *t: calls.append(t))
    Estimator().save(tmp_path / "e.npz")
    assert len(calls) == 1
    Estimator.from_file(tmp_path / "e.npz")
    assert len(calls) == 2
    for t0, t1, t2, t3 in calls:
        assert t0 <= t1 <= t2 <= t3


def test_docstrings_show_usage():
    assert "from_file" in Module.__doc__ and "save" in Module.__doc__
    assert "0 FLOPs" in Module.save.__doc__ and "0 FLOPs" in Module.from_file.__doc__
    assert "pickle" in _module.__doc__


# ---------------------------------------------------------------------- property
_leaf_arrays = st.sampled_from(DTYPES).flatmap(
    lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
)
_leaf_scalars = st.sampled_from(DTYPES).flatmap(lambda dt: hnp.arrays(dt, ()).map(lambda a: a[()]))
_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=6).filter(
    lambda s: not s.startswith("_") and not hasattr(Module, s)  # not `save`, `from_file`, ...
)


def _trees(leaves):
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.lists(children, max_size=3).map(tuple),
            st.dictionaries(_keys, children, max_size=3),
            st.dictionaries(_keys, children, max_size=3).map(_as_module),
        ),
        max_leaves=8,
    )


def _as_module(attrs: dict) -> Module:
    m = Encoder.__new__(Encoder)
    vars(m).update(attrs)
    return m


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(_keys, _trees(st.one_of(_leaf_arrays, _leaf_scalars)), max_size=4),
    st.booleans(),
)
def test_random_parameter_trees_round_trip_exactly(attrs, compressed):
    m = Empty()
    vars(m).update(attrs)
    buf = io.BytesIO()
    with flops.BudgetContext(flop_budget=0) as b:
        m.save(buf, compressed=compressed)
        buf.seek(0)
        r = Empty.from_file(buf)
    assert b.flops_used == 0
    assert list(vars(r)) == list(vars(m))
    same_tree(r, m)
    assert list(r.parameters()) == list(m.parameters())
    assert repr(r) == repr(m)
    again = io.BytesIO()  # restored (counted) values save and restore the same way
    r.save(again)
    again.seek(0)
    same_tree(Empty.from_file(again), m)
