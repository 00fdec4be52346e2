"""NumPy's binary array files, without pickle: ``load``, ``save``, ``savez``, ``savez_compressed``.

Challenge code computes parameters offline and ships them beside the program as ``.npy``
or ``.npz`` files; these functions read and write them. They are free (0 FLOPs): no
arithmetic happens, so nothing is charged and no ``OpRecord`` is written, but the time
spent is flopscope's (backend and overhead time, never the user's residual time).

Pickle is refused everywhere: ``allow_pickle=True`` raises ``ValueError``, an object
array (``dtype.hasobject``) raises :class:`~flopscope.errors.UnsupportedDtypeError`, and
a file that is neither ``.npy`` nor ``.npz`` (a raw pickle, say) raises ``ValueError``.
Memory maps are read-only (``mmap_mode='r'``) or copy-on-write (``'c'``); writing through
a map (``'r+'``, ``'w+'``) is outside the counted API. Text and raw-binary I/O
(``loadtxt``, ``savetxt``, ``genfromtxt``, ``fromfile``, ``fromregex``, ``tofile``) stays
blocked.

The registry rows ``load``, ``save``, ``savez`` and ``savez_compressed`` call these
functions with plain NumPy arguments and give a returned array the counted type; called
directly they also accept counted arrays and lists. ``load`` of an ``.npz`` returns an
:class:`NpzArchive`, whose members are read lazily and come back as counted arrays.

>>> import flopscope.numpy as fnp
>>> fnp.savez("params.npz", W=fnp.ones((3, 3)), b=fnp.zeros(3))   # doctest: +SKIP
>>> with fnp.load("params.npz") as f:                             # doctest: +SKIP
...     W, b = f["W"], f["b"]
"""

from __future__ import annotations

import importlib
import inspect
import os
import time
from collections.abc import Iterator, Mapping
from typing import IO, Any

import numpy as np
import numpy.lib.format as _format

from . import _budget
from ._ndarray import ndarray as _counted
from ._rules.outputs import is_unknown
from .errors import DryRunValueError, UnsupportedDtypeError

__all__ = ["NpzArchive", "load", "save", "savez", "savez_compressed"]

_NO_VALUE: Any = object()  # marks an argument the caller did not pass
_view = np.ndarray.view  # ndarray's own view, whatever a subclass makes of .view
_MAGIC = _format.MAGIC_PREFIX
_ZIP_PREFIXES = (b"PK\x03\x04", b"PK\x05\x06")  # a zip file; an empty zip file
_NPY_SUFFIX = ".npy"


def _private_format() -> Any:
    # NumPy 2.1+ keeps the implementation in numpy.lib._format_impl; 2.0 in numpy.lib.format.
    try:
        return importlib.import_module("numpy.lib._format_impl")
    except ImportError:  # pragma: no cover - NumPy 2.0
        return _format


_FORMAT_IMPL = _private_format()
_MAX_HEADER_SIZE: int = getattr(_FORMAT_IMPL, "_MAX_HEADER_SIZE", 10000)
_read_any_header = getattr(_FORMAT_IMPL, "_read_array_header", None)

#: mmap_mode values accepted (NumPy's long spellings included) and refused.
_MMAP_OK = {"r": "r", "readonly": "r", "c": "c", "copyonwrite": "c"}
_MMAP_WRITE = frozenset({"r+", "readwrite", "w+", "write"})
_NUMPY_SAVE_PARAMS = frozenset(inspect.signature(np.save).parameters)

_PICKLE_REFUSED = (
    "{fn}: allow_pickle=True is not supported; flopscope {verb} without pickle "
    "(object arrays and pickled data are refused)"
)


# ---------------------------------------------------------------------- helpers
def file_label(file: Any) -> str:
    """How an error names ``file``: its path, or a file object's ``name`` or repr."""
    if isinstance(file, (str, bytes, os.PathLike)):
        path = os.fspath(file)
        return path.decode(errors="replace") if isinstance(path, bytes) else path
    name = getattr(file, "name", None)
    return name if isinstance(name, str) else repr(file)


def _book(t0: int, t1: int, t2: int, t3: int) -> None:
    """Book a free call's time: backend ``t2 - t1``, overhead the rest; 0 FLOPs."""
    _budget.book_free(t0, t1, t2, t3)


def _refuse_pickle(allow_pickle: object, fn: str, verb: str) -> None:
    if allow_pickle:
        raise ValueError(_PICKLE_REFUSED.format(fn=fn, verb=verb))


def plain_array(value: Any, what: str) -> np.ndarray:
    """``value`` as a plain ``numpy.ndarray`` (counted arrays and subclasses viewed as the
    base class, lists converted); an object dtype raises ``UnsupportedDtypeError``."""
    arr = np.asarray(value)
    if type(arr) is not np.ndarray:
        arr = _view(arr, np.ndarray)
    if is_unknown(arr):  # a dry run's stand-in: a file of zeros would be a wrong answer
        raise DryRunValueError(
            f"{what} is a shape-only stand-in from a dry run: it has no values to save"
        )
    if arr.dtype.hasobject:
        raise UnsupportedDtypeError(
            f"{what} has dtype {arr.dtype}, which holds Python objects; flopscope saves "
            "arrays without pickle, so object arrays cannot be saved"
        )
    return arr


def read_header(fp: IO[bytes], where: str, max_header_size: int) -> tuple[tuple, bool, np.dtype]:
    """Read a ``.npy`` header at ``fp``'s position: (shape, fortran_order, dtype).

    An object dtype raises ``UnsupportedDtypeError`` and a malformed header ``ValueError``,
    both naming ``where``; no array data is read.
    """
    try:
        version = _format.read_magic(fp)
        if version == (1, 0):
            header = _format.read_array_header_1_0(fp, max_header_size=max_header_size)
        elif version == (2, 0):
            header = _format.read_array_header_2_0(fp, max_header_size=max_header_size)
        elif _read_any_header is not None:
            header = _read_any_header(fp, version, max_header_size=max_header_size)
        else:  # pragma: no cover - every supported NumPy has the private reader
            raise ValueError(f"unsupported .npy format version {version}")
    except (ValueError, EOFError, OSError, SyntaxError) as err:
        raise ValueError(f"{where}: not a readable .npy array ({err})") from err
    dtype = header[2]
    if dtype.hasobject:
        raise UnsupportedDtypeError(
            f"{where} holds an array of dtype {dtype}, which needs pickle to load; "
            "flopscope loads without pickle, so object arrays are refused"
        )
    return header


def archive_errors(*others: type[BaseException]) -> tuple[type[BaseException], ...]:
    """What a damaged ``.npz`` raises, with ``others`` (the modules load on first use,
    not at import: an ``except`` clause evaluates this only when something is raised)."""
    import zipfile
    import zlib

    return (*others, zipfile.BadZipFile, zlib.error)


def write_npz(file: Any, arrays: Mapping[str, np.ndarray], *, compress: bool) -> None:
    """Write plain arrays as one ``.npz`` (NumPy's layout; ``.npz`` appended to a path
    without it), with ``allow_pickle=False``. The caller has validated every array."""
    if not hasattr(file, "write"):
        file = os.fsdecode(os.fspath(file))
        if not file.endswith(".npz"):
            file += ".npz"
    import zipfile  # loaded when first used: it adds milliseconds to every import

    compression = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(file, mode="w", compression=compression, allowZip64=True) as zipf:
        for key, arr in arrays.items():
            # always force zip64, as NumPy does (gh-10776)
            with zipf.open(key + _NPY_SUFFIX, "w", force_zip64=True) as fid:
                _format.write_array(fid, arr, allow_pickle=False)


# ---------------------------------------------------------------------- .npz archive
class _Attributes:
    """``archive.f.key`` is ``archive["key"]`` (NumPy's ``NpzFile.f``)."""

    __slots__ = ("_archive",)

    def __init__(self, archive: NpzArchive) -> None:
        self._archive = archive

    def __getattr__(self, key: str) -> Any:
        try:
            return self._archive[key]
        except KeyError:
            raise AttributeError(key) from None

    def __dir__(self) -> list[str]:
        return list(self._archive.files)


class NpzArchive(Mapping[str, Any]):
    """An opened ``.npz`` file: a read-only mapping from key to counted array.

    NumPy's ``NpzFile`` API: ``files``, ``keys()``, ``archive[key]`` (with or without the
    ``.npy`` suffix), ``in``, iteration, ``len``, ``close()`` and ``with``. Every member's
    header was checked when the archive was opened (no object arrays); a member is read
    when it is looked up, free (0 FLOPs), and comes back as a counted array.
    """

    def __init__(
        self,
        fid: IO[bytes],
        *,
        label: str,
        own_fid: bool,
        max_header_size: int = _MAX_HEADER_SIZE,
    ) -> None:
        self.fid: IO[bytes] | None = fid
        self._own_fid = own_fid
        self._label = label
        self.max_header_size = max_header_size
        self.zip: Any = None  # the zipfile.ZipFile
        #: key -> member name, in archive order
        self._members: dict[str, str] = {}
        import zipfile

        try:
            self.zip = zipfile.ZipFile(fid)
            for member in self.zip.namelist():
                if not member.endswith(_NPY_SUFFIX):
                    raise ValueError(
                        f"{label}: member {member!r} is not a .npy array; flopscope reads "
                        ".npz archives of .npy arrays only"
                    )
                key = member[: -len(_NPY_SUFFIX)]
                with self.zip.open(member) as fp:
                    read_header(fp, f"{label} (key {key!r})", max_header_size)
                self._members[key] = member
        except BaseException:
            # the caller closes the file it opened; this object holds on to nothing
            self.fid, self._own_fid = None, False
            self.close()
            raise
        self.files: list[str] = list(self._members)
        self.f = _Attributes(self)

    # ------------------------------------------------------------ reading
    def _member(self, key: str) -> str:
        member = self._members.get(key)
        if member is None and key.endswith(_NPY_SUFFIX):
            member = self._members.get(key[: -len(_NPY_SUFFIX)])
        if member is None:
            raise KeyError(f"{key} is not a file in the archive")
        return member

    def read(self, key: str) -> np.ndarray:
        """Read member ``key`` as a plain ndarray (no timing is booked)."""
        member = self._member(key)
        if self.zip is None:
            raise ValueError(f"{self._label}: the archive is closed")
        with self.zip.open(member) as fp:
            arr = _format.read_array(fp, allow_pickle=False, max_header_size=self.max_header_size)
        return arr

    def __getitem__(self, key: str) -> Any:
        t0 = time.perf_counter_ns()
        self._member(key)  # a KeyError before any time is booked
        t1 = time.perf_counter_ns()
        arr = self.read(key)
        t2 = time.perf_counter_ns()
        result = _view(arr, _counted)
        t3 = time.perf_counter_ns()
        _book(t0, t1, t2, t3)
        return result

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            self._member(key)
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    # ------------------------------------------------------------ closing
    def close(self) -> None:
        """Close the archive (and the file, if ``load`` opened it)."""
        if self.zip is not None:
            self.zip.close()
            self.zip = None
        if self.fid is not None and self._own_fid:
            self.fid.close()
        self.fid = None

    def __enter__(self) -> NpzArchive:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __repr__(self) -> str:
        names = ", ".join(self.files[:5])
        if len(self.files) > 5:
            names += "..."
        return f"NpzArchive {self._label!r} with keys: {names}"


# ---------------------------------------------------------------------- load
def load(
    file: Any,
    mmap_mode: str | None = None,
    allow_pickle: bool = False,
    fix_imports: bool = True,
    encoding: str = "ASCII",
    *,
    max_header_size: int = _MAX_HEADER_SIZE,
) -> Any:
    """Load an array from a ``.npy`` file, or an :class:`NpzArchive` from a ``.npz`` file.

    Free (0 FLOPs) and pickle-free: ``allow_pickle=True`` raises ``ValueError``; an object
    array raises :class:`~flopscope.errors.UnsupportedDtypeError` naming the file (and the
    key, for an ``.npz``: every member is checked before the archive is returned); a file
    that is neither ``.npy`` nor ``.npz`` raises ``ValueError``. ``mmap_mode`` may be
    ``None``, ``'r'`` (read-only) or ``'c'`` (copy-on-write); ``'r+'`` and ``'w+'`` are
    refused. ``fix_imports`` and ``encoding`` only concern pickled data and are checked as
    NumPy checks them. Text and raw-binary I/O (``loadtxt``, ``fromfile``, ...) stays
    blocked.

    >>> W = fnp.load("W.npy")                       # doctest: +SKIP
    >>> with fnp.load("params.npz") as f:           # doctest: +SKIP
    ...     b = f["b"]
    """
    _refuse_pickle(allow_pickle, "load", "loads")
    if encoding not in ("ASCII", "latin1", "bytes"):
        raise ValueError("encoding must be 'ASCII', 'latin1', or 'bytes'")
    mode = _check_mmap_mode(mmap_mode)
    label = file_label(file)
    own_fid = not hasattr(file, "read")
    fid: IO[bytes] = open(os.fspath(file), "rb") if own_fid else file
    try:
        start = fid.tell()
        magic = fid.read(len(_MAGIC))
        if not magic:
            raise EOFError(f"{label}: no data left in file")
        fid.seek(start)
        if magic.startswith(_ZIP_PREFIXES):
            try:
                archive = NpzArchive(
                    fid, label=label, own_fid=own_fid, max_header_size=max_header_size
                )
            except archive_errors() as err:
                raise ValueError(f"{label}: not a valid .npz archive ({err})") from err
            own_fid = False  # the archive closes it
            return archive
        if magic != _MAGIC:
            raise ValueError(
                f"{label} is neither a .npy nor a .npz file (pickled data and other formats "
                "are refused: flopscope loads binary array files without pickle)"
            )
        read_header(fid, label, max_header_size)
        fid.seek(start)
        if mode is not None:
            if own_fid:
                fid.close()
                own_fid = False
            m = _format.open_memmap(file, mode=mode, max_header_size=max_header_size)
            return _view(m, np.ndarray)
        return _format.read_array(fid, allow_pickle=False, max_header_size=max_header_size)
    finally:
        if own_fid:
            fid.close()


def _check_mmap_mode(mmap_mode: object) -> str | None:
    if mmap_mode is None:
        return None
    if isinstance(mmap_mode, str):
        if mmap_mode in _MMAP_OK:
            return _MMAP_OK[mmap_mode]
        if mmap_mode in _MMAP_WRITE:
            raise ValueError(
                f"mmap_mode={mmap_mode!r} is not supported: writing through a memory map is "
                "outside flopscope's counted API; use 'r' (read-only) or 'c' (copy-on-write)"
            )
    raise ValueError(f"mmap_mode must be None, 'r' or 'c', got {mmap_mode!r}")


# ---------------------------------------------------------------------- save
def save(file: Any, arr: Any, allow_pickle: bool = False, fix_imports: Any = _NO_VALUE) -> None:
    """Save one array to a ``.npy`` file (``.npy`` appended to a path without it).

    Free (0 FLOPs) and pickle-free: ``allow_pickle=True`` raises ``ValueError`` and an
    object array :class:`~flopscope.errors.UnsupportedDtypeError`, before anything is
    written. The file holds a plain NumPy array. ``fix_imports`` is passed on only where
    the installed NumPy still accepts it. Text and raw-binary output (``savetxt``,
    ``tofile``) stays blocked.

    >>> fnp.save("W.npy", fnp.eye(3))     # doctest: +SKIP
    """
    _refuse_pickle(allow_pickle, "save", "saves")
    if fix_imports is not _NO_VALUE and "fix_imports" not in _NUMPY_SAVE_PARAMS:
        raise TypeError("save() got an unexpected keyword argument 'fix_imports'")
    plain = plain_array(arr, "the array to save")
    extra = {} if fix_imports is _NO_VALUE else {"fix_imports": fix_imports}
    np.save(file, plain, allow_pickle=False, **extra)


def _mirror_signature(fn: Any, numpy_fn: Any) -> None:
    """Show the installed NumPy's parameters, with ``allow_pickle`` defaulting to False."""
    params = [
        p.replace(default=False) if p.name == "allow_pickle" else p
        for p in inspect.signature(numpy_fn).parameters.values()
    ]
    fn.__signature__ = inspect.Signature(params)


_mirror_signature(save, np.save)


def _named_arrays(fn: str, args: tuple, kwds: dict) -> dict[str, np.ndarray]:
    named: dict[str, Any] = dict(kwds)
    for i, val in enumerate(args):
        key = f"arr_{i}"
        if key in named:
            raise ValueError(f"Cannot use un-named variables and keyword {key}")
        named[key] = val
    return {key: plain_array(val, f"{fn}: array {key!r}") for key, val in named.items()}


def savez(file: Any, *args: Any, allow_pickle: bool = False, **kwds: Any) -> None:
    """Save several arrays into one uncompressed ``.npz`` (``.npz`` appended to a path
    without it); positional arrays are stored as ``arr_0``, ``arr_1``, ...

    Free (0 FLOPs) and pickle-free: ``allow_pickle=True`` raises ``ValueError`` and an
    object array :class:`~flopscope.errors.UnsupportedDtypeError` naming its key; every
    array is checked before anything is written. Text and raw-binary output stays blocked.

    >>> fnp.savez("params.npz", W=fnp.eye(3), b=fnp.zeros(3))     # doctest: +SKIP
    """
    _refuse_pickle(allow_pickle, "savez", "saves")
    write_npz(file, _named_arrays("savez", args, kwds), compress=False)


def savez_compressed(file: Any, *args: Any, allow_pickle: bool = False, **kwds: Any) -> None:
    """Save several arrays into one compressed ``.npz``; otherwise as :func:`savez`.

    Free (0 FLOPs) and pickle-free: ``allow_pickle=True`` raises ``ValueError`` and an
    object array :class:`~flopscope.errors.UnsupportedDtypeError` naming its key; every
    array is checked before anything is written. Text and raw-binary output stays blocked.

    >>> fnp.savez_compressed("params.npz", W=fnp.eye(3))     # doctest: +SKIP
    """
    _refuse_pickle(allow_pickle, "savez_compressed", "saves")
    write_npz(file, _named_arrays("savez_compressed", args, kwds), compress=True)
