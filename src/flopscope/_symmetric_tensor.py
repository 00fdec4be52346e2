"""Tensors declared symmetric: :class:`SymmetricTensor`, :func:`as_symmetric`,
:func:`is_symmetric` and :func:`symmetrize`.

A :class:`SymmetricTensor` is a counted array that carries a :class:`SymmetryGroup` acting
on its axes, and whose data satisfies that group. The guarantee rests on three things:

* **Its data is checked or built symmetric.** :func:`as_symmetric` compares the data with
  the group's generators (``SymmetryGroup.is_symmetric``: ``|a - b| <= atol + rtol * |b|``,
  ``rtol=1e-05``, ``atol=1e-08`` for floating and complex data, exact equality for integer
  and boolean data) and raises :class:`~flopscope.SymmetryError` otherwise;
  :func:`symmetrize` builds data that is exactly symmetric.
* **Its data cannot change.** The data is a private copy made at declaration and held in
  an immutable ``bytes`` buffer, so the array it was made from can change without
  touching it, and NumPy refuses to make it (or any view of it) writeable again:
  ``setflags(write=True)`` fails on every array over that buffer. Every write path of
  NumPy's API - item and slice assignment, in-place operators, ``out=``, ``fill``,
  ``put``, ``sort``, ``np.copyto``, writes through views or through ``.flat`` - raises
  ``ValueError``. The boundary is memory access around NumPy's checks: building a new
  array over the buffer's address (``ctypes``, an ``__array_interface__`` that reports
  the address as writable), and NumPy's ``ufunc.at``, which does not check the write
  flag (NumPy 2.4): ``np.add.at(np.asarray(t), ...)`` on a plain NumPy view writes into
  the buffer. flopscope's own ``ufunc.at`` (``fnp.add.at``, and ``np.add.at`` on any
  counted array) refuses read-only arrays.
* **No derivation claims a group it has not earned.** ``.T``, ``transpose``, ``mT``,
  ``view()`` and ``.real`` give a SymmetricTensor with the derived group (``.T`` and
  ``transpose(perm)`` carry ``symmetry.permute(perm)``); pointwise ufuncs give one with
  the group they keep (below); indexing, ``reshape`` and the other data-moving methods
  give a plain counted array; every other computation (reductions, ``@``, NumPy's
  functions, ufunc methods) runs on the plain data and gives a plain counted array. Any other way NumPy makes an instance of the subclass (``np.array(t,
  subok=True)``, a subclass-preserving NumPy method this module does not know) gives a
  SymmetricTensor whose group is the trivial one: it claims nothing, so it is never
  wrong.

**Computed tensors.** A result flopscope knows to be symmetric by construction (``X.T @
X``, ``S @ S``, a Gram einsum, a pointwise function or a reduction of a computed tensor) is
a *computed* SymmetricTensor: it owns its memory, which is read-only to everything but its
own API. Item assignment, in-place operators, ``out=``, ``ufunc.at``, ``fill``/``put``/
``sort`` and NumPy's functions that write into their first argument (``fill_diagonal``,
``copyto``, ``put``, ``place``, ``putmask``, ``put_along_axis``) write into it as NumPy
would: the memory is unlocked for the write and locked again, and the write is counted
(shared by the SymmetricTensor views of that memory). A claim written since it was last
checked is compared with the data, bit for bit, the next time it would lower a price;
data written out of symmetry ends it for good. Plain views of the memory
(``np.asarray(g)``, ``g.flat``) cannot write; making them writable (``setflags``, a
``flags.writeable`` toggle) is the same documented boundary as for declared tensors.

Pointwise ufuncs (the ``counted_unary`` and ``counted_binary`` ufunc rows, called as
functions or as operators: ``-S``, ``abs(S)``, ``S * 2.0``, ``S + T``, ``S ** 2``,
``S < 0``) keep symmetry and price it:

* **The group the result keeps.** Each operand that declares a group constrains the
  result to that group, placed on the result's axes as NumPy broadcasts (aligned from
  the end: ``SymmetryGroup.expand``); an operand holding one value (a Python or NumPy
  scalar, a 0-d array, any array of size-1 axes no longer than the result) constrains
  nothing; any other operand (a plain array, a SymmetricTensor claiming no group)
  allows only the identity. The result keeps the intersection: a unary operation, or a
  SymmetricTensor with a scalar, keeps the whole group; ``S + T`` keeps
  ``S.symmetry.intersect(T.symmetry)``; two SymmetricTensors broadcasting to a larger
  rank keep the intersection of their expanded groups (an element of both maps each
  operand's broadcast data onto itself, so the result too). A result of several
  outputs (``divmod``, ``modf``, ``frexp``) gives each that group.
* **Cost.** A result that keeps a nontrivial group costs the number of its distinct
  elements, ``group.orbit_count(shape)`` (``n * (n + 1) / 2`` for an ``n x n`` matrix
  symmetric in both axes), times the row's weight. It is a SymmetricTensor holding
  NumPy's result (built symmetric: an elementwise function of symmetric data, not
  checked again): declared (a private read-only copy) when every operand claiming the
  group is declared, computed otherwise.
* **Loss.** A result that keeps only the identity, or a call with ``out=`` or
  ``where=`` (the values go where the caller says: into a plain buffer, or only at some
  entries), is a plain counted array (the ``out`` buffer, when given) priced at every
  element of the broadcast, as any other call, and emits one
  :class:`~flopscope.SymmetryLossWarning` per call naming the operation, before
  anything is charged, when a declared group is lost (a computed tensor's loses
  silently: nothing was declared); ``flops.configure(symmetry_warnings=False)``
  silences it. The
  keywords ``dtype``, ``casting``, ``order`` and ``signature`` keep the symmetry.
  (``a += S`` on a plain ``a`` is ``add(a, S, out=a)``: it warns.)

Declaring and symmetrizing are charged as recorded operations: ``as_symmetric`` and
``is_symmetric`` the comparisons of the check, ``symmetrize`` its additions and
multiplications (the formulas are in the functions' docstrings).
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from time import perf_counter_ns as _now
from typing import Any

import numpy as np

from ._array_protocol import array_function, array_ufunc
from ._budget import (
    ACTIVE,
    ShapeOnlyCall,
    _user_stacklevel,
    charge,
    fallback_scope,
    record,
    refund,
)
from ._config import SETTINGS
from ._dispatch import plain, register_stand_in, register_symmetric
from ._dry_run import STAND_IN_TYPES, ShapeOnlyArray, stand_in_plain
from ._ndarray import ndarray as _CA
from ._records import intern_key, intern_name
from ._rules.contractions import same_memory_permutation
from ._rules.outputs import is_unknown, unknown, values_of
from ._symmetry import DEFAULT_ATOL, DEFAULT_RTOL, SymmetryGroup, _cycle_notation
from ._symmetry import _is_int_like as _is_axis
from .errors import SymmetryError, SymmetryLossWarning

__all__ = ["SymmetricTensor", "as_symmetric", "is_symmetric", "symmetrize"]

_ND = np.ndarray
_view = np.ndarray.view
#: the dtype kinds a symmetric tensor may hold: boolean and numbers
_KINDS = frozenset("biufc")


def _read_only(action: str) -> ValueError:
    return ValueError(
        f"cannot {action}: a SymmetricTensor is read-only, so that its data keeps the "
        "symmetry it declares; .copy() gives a writable plain counted array"
    )


class _Buffer:
    """The write state of a computed tensor's memory, shared by the tensor and the
    SymmetricTensor views of it: ``version`` counts the writes made through flopscope's
    API (the only way to write into the memory, which is read-only between writes)."""

    __slots__ = ("version",)

    def __init__(self) -> None:
        self.version = 0


@contextmanager
def _unlocked(tensor: SymmetricTensor) -> Iterator[None]:
    """Let a write into a computed tensor through: its memory (the array that owns it,
    and the views from it to ``tensor``) writable for the write, read-only again after;
    the write is counted, so the claim is compared with the data at its next use."""
    chain = []
    x: Any = tensor
    while isinstance(x, _ND):
        chain.append(x)
        x = x.base
    for array in reversed(chain):  # the owner first: a view is writable only over one
        array.flags.writeable = True
    try:
        yield
    finally:
        for array in chain:
            array.flags.writeable = False
        assert tensor._buffer is not None
        tensor._buffer.version += 1


def _write_access(tensor: SymmetricTensor, action: str) -> Any:
    """The context a write into ``tensor`` runs in: refused (ValueError) for a declared
    tensor; let through, and counted, for a computed one (its claim is checked when next
    used); as NumPy would for one that never claimed anything."""
    if type(tensor) is ShapeOnlySymmetric:  # a dry run's: nothing is written into it
        return nullcontext()
    if tensor._buffer is not None:
        return _unlocked(tensor)
    if tensor._symmetry is not None and tensor._trusted:
        raise _read_only(action)
    return nullcontext()


def _frozen(data: np.ndarray) -> np.ndarray:
    """A private, immutable copy of ``data`` (C order): its memory is a ``bytes`` object,
    which no array over it can make writeable."""
    return np.frombuffer(data.tobytes(), dtype=data.dtype).reshape(data.shape)


def _as_counted(result: Any) -> Any:
    """A SymmetricTensor result as a plain counted array over the same data."""
    if isinstance(result, ShapeOnlySymmetric):
        return _view(result, ShapeOnlyArray)
    if isinstance(result, SymmetricTensor):
        return _view(result, _CA)
    return result


def _claiming(
    data: np.ndarray, group: SymmetryGroup, trusted: bool = True, like: Any = None
) -> SymmetricTensor:
    """``data`` as a SymmetricTensor of ``group``. ``trusted``: ``data`` is a read-only
    array over a frozen buffer (a declared tensor). Otherwise it is a computed tensor's
    read-only view: ``like`` is the computed tensor it is derived from (its write state
    shared), or None for new memory (see :func:`_computed_tensor`)."""
    # a dry run's data (unknown values) makes a symmetric stand-in
    tensor = _view(data, ShapeOnlySymmetric if is_unknown(data) else SymmetricTensor)
    tensor._symmetry = group
    tensor._declared_shape = data.shape
    tensor._trusted = trusted
    if not trusted:
        if like is None or like._buffer is None:
            tensor._buffer = _Buffer()
            tensor._verified = 0
        else:
            tensor._buffer = like._buffer
            tensor._verified = like._verified
    return tensor


def _computed_tensor(data: np.ndarray, group: SymmetryGroup, verified: bool = True) -> Any:
    """``data`` (an array of its own, exactly symmetric under ``group`` unless
    ``verified`` is False) as a computed SymmetricTensor: its memory read-only between the
    writes flopscope's API lets through, so that a claim checked once stays true until
    the next write."""
    if is_unknown(data):  # a dry run's: no values to protect
        return _claiming(data, group, trusted=False)
    if not data.flags.writeable or not data.flags.owndata:
        data = data.copy()
    data.flags.writeable = False
    tensor = _claiming(data, group, trusted=False)
    if not verified:
        tensor._verified = -1
    return tensor


def _exactly_symmetric(data: np.ndarray, group: SymmetryGroup) -> bool:
    """Whether ``data`` equals its transposes under the group's generators bit for bit
    (floating entries compared as their bits: -0.0 differs from 0.0, NaN equals a NaN of
    the same bits)."""
    bits = _bits(data)
    extra = tuple(range(data.ndim, bits.ndim))  # the parts of an entry: not moved
    nan = bits.dtype.kind == "f"
    return all(
        np.array_equal(bits, bits.transpose((*g, *extra)), equal_nan=nan) for g in group.generators
    )


def _bits(data: np.ndarray) -> np.ndarray:
    """The entries of ``data`` as integers holding their bits (floating and complex data;
    a complex entry's real and imaginary parts on a last axis); other data as it is."""
    kind = data.dtype.kind
    if kind == "c":
        return np.stack([_bits(data.real), _bits(data.imag)], axis=-1)
    if kind == "f" and data.dtype.itemsize in (2, 4, 8):
        return data.view(f"u{data.dtype.itemsize}")
    if kind == "f":  # extended precision: no integer of its width; value and sign
        return np.stack([data, np.signbit(data)], axis=-1)
    return data


def computed(result: Any, group: SymmetryGroup) -> SymmetricTensor:
    """A computed result that is symmetric under ``group`` by construction (a Gram matrix,
    a contraction of symmetric operands) as a computed SymmetricTensor (see
    :func:`_computed_tensor`). Rounding can leave copies of one entry a last bit apart:
    each then takes the value of the first entry of its orbit (C order)."""
    data = np.asarray(result)
    if is_unknown(data):  # a dry run's: symmetric by construction, no values
        return _claiming(data, group, trusted=False)
    if not data.flags.writeable or not data.flags.owndata:
        data = data.copy()
    if not _exactly_symmetric(data, group):
        flat = data.reshape(-1)
        flat[...] = flat[_orbit_representatives(group, data.shape)]
    return _computed_tensor(data, group)


def _rebuild(data: np.ndarray, group: SymmetryGroup, trusted: bool = True) -> SymmetricTensor:
    """Unpickling: the data is checked again (free), so a crafted pickle cannot forge."""
    data = np.asarray(data)
    group.validate(data.shape)
    if not (group.is_symmetric(data) if trusted else _exactly_symmetric(data, group)):
        raise SymmetryError(_asymmetry_message(data, group))
    return _claiming(_frozen(data), group) if trusted else _computed_tensor(data.copy(), group)


def _plain_method(name: str) -> Any:
    parent = getattr(_CA, name)

    def method(self: SymmetricTensor, *args: Any, **kwargs: Any) -> Any:
        return _as_counted(parent(self, *args, **kwargs))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"As ndarray.{name}, on the data; the result is a plain counted array."
    return method


def _refused(name: str, action: str) -> Any:
    parent = getattr(_CA, name)

    def method(self: SymmetricTensor, *args: Any, **kwargs: Any) -> Any:
        with _write_access(self, action):
            return parent(self, *args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = (
        f"Refused on a declared SymmetricTensor: {action} would change its data; on a "
        "computed one, as NumPy's (its claim is checked when next used)."
    )
    return method


def _transposed(tensor: SymmetricTensor, perm: tuple[int, ...]) -> SymmetricTensor:
    result = _ND.transpose(tensor, perm)
    return _claiming(result, tensor._claim().permute(perm), tensor._trusted, tensor)


class SymmetricTensor(_CA):
    """A counted array whose data is symmetric under a group of permutations of its axes.

    Made by :func:`flopscope.as_symmetric` (which checks the data) and
    :func:`flopscope.symmetrize` (which builds it), never directly. ``.symmetry`` is the
    :class:`~flopscope.SymmetryGroup` (of rank ``ndim``), ``.symmetric_axes`` the axes it
    moves. The data is a private read-only copy: every write raises ``ValueError`` (see the
    module's documentation for the write paths and the boundary: raw memory access outside
    NumPy's API). ``.T``, ``transpose``, ``mT``, ``view()`` and ``.real`` keep the
    (permuted) group; pointwise ufuncs (``-S``, ``S * 2.0``, ``S + T``) keep the group
    they preserve and cost its distinct elements (see the module's documentation);
    indexing, reshaping, ``copy()`` and all other computation give plain counted arrays.
    A SymmetricTensor that NumPy derives in a way flopscope cannot follow carries
    the trivial group.
    """

    __module__ = "flopscope"

    _symmetry: SymmetryGroup | None
    _declared_shape: tuple[int, ...] | None
    _trusted: bool
    _buffer: _Buffer | None  # a computed tensor's write state (None: declared, or none)
    _verified: int  # the write count at which its claim was last found true

    def __new__(cls, *args: Any, **kwargs: Any) -> SymmetricTensor:
        raise TypeError(
            "a SymmetricTensor is made by flopscope.as_symmetric(x, symmetry=...) or "
            "flopscope.symmetrize(x, symmetry=...)"
        )

    def __array_finalize__(self, obj: Any) -> None:
        # NumPy made this instance (a view, a copy, a new array of the subclass) without
        # saying how: it claims nothing until flopscope attaches a group it has derived
        self._symmetry = None
        self._declared_shape = None
        self._trusted = True
        self._buffer = None
        self._verified = -1

    # ------------------------------------------------------------ the group

    @property
    def symmetry(self) -> SymmetryGroup:
        """The group the data is symmetric under (the trivial group when none is known).

        A computed tensor (a Gram matrix, a contraction's result) written since its claim
        was last checked has its data compared with the group's generators, bit for bit:
        data written out of symmetry ends the claim for good (no discount is ever given
        for it)."""
        group = self._symmetry
        if group is None or self._declared_shape != _ND.shape.__get__(self):
            return SymmetryGroup.trivial(self.ndim)
        buffer = self._buffer
        if buffer is not None and self._verified != buffer.version:
            if not _exactly_symmetric(_view(self, _ND), group):
                self._symmetry = None
                return SymmetryGroup.trivial(self.ndim)
            self._verified = buffer.version
        return group

    def _claim(self) -> SymmetryGroup:
        """The group claimed, not checked (a view passes it on; it is checked when used)."""
        group = self._symmetry
        if group is None or self._declared_shape != _ND.shape.__get__(self):
            return SymmetryGroup.trivial(self.ndim)
        return group

    @property
    def symmetric_axes(self) -> tuple[int, ...]:
        """The axes the group moves, sorted."""
        return self.symmetry.symmetric_axes

    def __repr__(self) -> str:
        return f"SymmetricTensor({_view(self, _ND)!r}, symmetry={self.symmetry!r})"

    # ------------------------------------------------------------ derivations that keep it

    def transpose(self, *axes: Any) -> SymmetricTensor:  # type: ignore[override]
        """As ndarray.transpose; the result carries ``symmetry.permute(axes)``."""
        if len(axes) == 1 and (axes[0] is None or not _is_axis(axes[0])):
            axes = axes[0]
        if axes is None or axes == ():
            perm = tuple(reversed(range(self.ndim)))
        else:
            if len(axes) != self.ndim:
                raise ValueError("axes don't match array")
            perm = tuple(_normalize(axis, self.ndim) for axis in axes)
            if len(set(perm)) != self.ndim:
                raise ValueError("repeated axis in transpose")
        return _transposed(self, perm)

    @property
    def T(self) -> SymmetricTensor:  # type: ignore[override]
        """The transpose (axes reversed), carrying the permuted group."""
        return self.transpose()

    @property
    def mT(self) -> SymmetricTensor:  # type: ignore[override]
        """The last two axes swapped, carrying the permuted group."""
        if self.ndim < 2:
            raise ValueError("matrix transpose with ndim < 2 is undefined")
        perm = (*range(self.ndim - 2), self.ndim - 1, self.ndim - 2)
        return _transposed(self, perm)

    def view(self, *args: Any, **kwargs: Any) -> Any:
        """As ndarray.view. The same dtype, as this class, keeps the group; another dtype
        (a reinterpretation of the bytes) gives a plain counted array; another class
        asked for by ``type`` is NumPy's view as that class (read-only)."""
        dtype = args[0] if args else kwargs.get("dtype")
        requested = args[1] if len(args) > 1 else kwargs.get("type")
        if requested is None and isinstance(dtype, type) and issubclass(dtype, _ND):
            requested, dtype = dtype, None
        if requested is not None and requested is not SymmetricTensor:
            return _ND.view(_view(self, _ND), *args, **kwargs)
        result = _view(self, _ND) if dtype is None else _ND.view(_view(self, _ND), dtype)
        if result.dtype == self.dtype and result.shape == self.shape:
            return _claiming(result, self._claim(), self._trusted, self)
        return _view(result, _CA)

    @property
    def real(self) -> Any:  # type: ignore[override]
        """The real part: the same group (entries equal up to the group stay equal)."""
        result = _ND.real.__get__(self)
        if isinstance(result, SymmetricTensor) and result.shape == self.shape:
            return _claiming(result, self._claim(), self._trusted, self)
        return _as_counted(result)

    @real.setter
    def real(self, value: Any) -> None:
        with _write_access(self, "assign .real"):
            _ND.real.__set__(self, value)  # type: ignore[attr-defined]

    @property
    def imag(self) -> Any:  # type: ignore[override]
        """The imaginary part, as a plain counted array."""
        return _as_counted(_ND.imag.__get__(self))

    @imag.setter
    def imag(self, value: Any) -> None:
        with _write_access(self, "assign .imag"):
            _ND.imag.__set__(self, value)  # type: ignore[attr-defined]

    # ------------------------------------------------------------ attributes that write

    @property
    def shape(self) -> tuple[int, ...]:  # type: ignore[override]
        """The shape (read-only: reshape with ``reshape``, which gives a plain array)."""
        return _ND.shape.__get__(self)

    @shape.setter
    def shape(self, value: Any) -> None:
        _refuse_metadata(self, "set .shape")
        _ND.shape.__set__(self, value)  # type: ignore[attr-defined]

    @property
    def strides(self) -> tuple[int, ...]:  # type: ignore[override]
        return _ND.strides.__get__(self)

    @strides.setter
    def strides(self, value: Any) -> None:
        _refuse_metadata(self, "set .strides")
        _ND.strides.__set__(self, value)  # type: ignore[attr-defined]

    @property
    def dtype(self) -> np.dtype:  # type: ignore[override]
        return _ND.dtype.__get__(self)

    @dtype.setter
    def dtype(self, value: Any) -> None:
        _refuse_metadata(self, "set .dtype")
        _ND.dtype.__set__(self, value)  # type: ignore[attr-defined]

    @property
    def flat(self) -> Any:  # type: ignore[override]
        """A flat iterator over the data (read-only)."""
        return _CA.flat.__get__(self)

    @flat.setter
    def flat(self, value: Any) -> None:
        with _write_access(self, "assign .flat"):
            _CA.flat.__set__(self, value)  # type: ignore[attr-defined]

    # ------------------------------------------------------------ writes

    def __setitem__(self, key: Any, value: Any) -> None:
        with _write_access(self, "assign to items"):
            _CA.__setitem__(self, key, value)

    def __setstate__(self, state: Any) -> None:
        _refuse_metadata(self, "set the state")
        _ND.__setstate__(self, state)

    def __reduce__(self) -> Any:
        return (_rebuild, (_view(self, _ND).copy(), self.symmetry, self._trusted))

    def __reduce_ex__(self, protocol: Any) -> Any:
        return self.__reduce__()

    def __copy__(self) -> SymmetricTensor:
        if self._buffer is None:
            return _claiming(_view(self, _ND), self.symmetry)
        return _computed_tensor(_view(self, _ND).copy(), self.symmetry)

    def __deepcopy__(self, memo: Any) -> SymmetricTensor:
        return self.__copy__()

    def byteswap(self, inplace: bool = False) -> Any:
        """As ndarray.byteswap: a plain counted copy; in place, refused."""
        if inplace:
            with _write_access(self, "byteswap it in place"):
                return _ND.byteswap(self, True)
        return _as_counted(_CA.byteswap(self))

    # ------------------------------------------------------------ indexing

    def __getitem__(self, key: Any) -> Any:
        """As ndarray indexing. Basic indexing keeps the elements of the group that send
        every axis to one indexed alike (the same integer, or the same slice after
        normalisation: ``S[:3, :3]``, ``T[0]`` of a symmetric 3-tensor); integer-indexed
        axes are dropped, new axes (None) are fixed. Anything else (advanced indexing, a
        group with nothing left) gives a plain counted array."""
        result = _CA.__getitem__(self, key)
        if not isinstance(result, SymmetricTensor) or result.ndim < 2:
            return _as_counted(result)
        group = _indexed_group(self._claim(), self.shape, key)
        if group is None or group.rank != result.ndim:
            return _as_counted(result)
        return _derived(result, self, group)

    def squeeze(self, axis: Any = None) -> Any:
        """As ndarray.squeeze: axes of length 1 removed, the group kept on the others."""
        return _moved_axes(self, _ND.squeeze(_view(self, _ND), axis))

    def swapaxes(self, axis1: Any, axis2: Any) -> Any:
        """As ndarray.swapaxes, carrying the permuted group."""
        return _moved_axes(self, _ND.swapaxes(_view(self, _ND), axis1, axis2))

    def reshape(self, *args: Any, **kwargs: Any) -> Any:
        """As ndarray.reshape. The symmetry survives where every axis the group moves is
        an axis of the new shape, neither split nor merged (axes of length 1 added or
        removed, other axes regrouped: ``(b, n, n) -> (b, 1, n, n)``); elements moving an
        axis that does not survive are dropped. Nothing left: a plain counted array."""
        result = _CA.reshape(self, *args, **kwargs)
        if not isinstance(result, SymmetricTensor) or result.ndim < 2:
            return _as_counted(result)
        group = _reshaped_group(self._claim(), self.shape, result.shape)
        if group is None:
            return _as_counted(result)
        return _derived(result, self, group)

    # ------------------------------------------------------------ NumPy's protocols

    def __array_ufunc__(self, ufunc: Any, method: Any, *inputs: Any, **kwargs: Any) -> Any:
        out = kwargs.get("out")
        written = list(out) if isinstance(out, tuple) else [out]
        if method == "at" and inputs:
            written.append(inputs[0])
        with _writes_into(written, f"write the result of {ufunc.__name__} into it"):
            return array_ufunc(self, ufunc, method, *inputs, **kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        written = [kwargs.get("out")]
        if args and func in _WRITE_INTO_FIRST:
            written.append(args[0])
        with _writes_into(written, f"write the result of {func.__name__} into it"):
            return array_function(self, func, types, args, kwargs)


def _derived(result: np.ndarray, source: SymmetricTensor, group: SymmetryGroup) -> Any:
    """A view or copy of ``source``'s data, claiming ``group``: a view shares its
    standing (declared, or computed and its write state); a copy (NumPy made one) is a
    computed tensor of its own, its claim as good as the source's."""
    if np.may_share_memory(result, source):
        return _claiming(result, group, source._trusted, source)
    clean = source._buffer is None or source._verified == source._buffer.version
    return _computed_tensor(np.asarray(result), group, verified=clean)


def _indexed_group(group: SymmetryGroup, shape: tuple[int, ...], key: Any) -> SymmetryGroup | None:
    """The group of ``x[key]`` for ``x`` of ``shape`` symmetric under ``group``, for basic
    indexing (see ``SymmetricTensor.__getitem__``); None for anything else."""
    if group.is_trivial:
        return None
    entries = key if type(key) is tuple else (key,)
    rank = len(shape)
    consumed = sum(1 for e in entries if e is not None and e is not Ellipsis)
    if consumed > rank or sum(1 for e in entries if e is Ellipsis) > 1:
        return None
    expanded: list[Any] = []
    for e in entries:
        if e is Ellipsis:
            expanded.extend([slice(None)] * (rank - consumed))
        else:
            expanded.append(e)
    expanded.extend([slice(None)] * (rank - sum(1 for e in expanded if e is not None)))
    per_axis: list[Any] = []  # each old axis: ('i', value) or ('s', start, stop, step)
    new_position: dict[int, int] = {}  # old axis kept -> its axis in the result
    position = 0
    for e in expanded:
        if e is None:
            position += 1
            continue
        axis = len(per_axis)
        if type(e) is slice:
            per_axis.append(("s", *e.indices(shape[axis])))
            new_position[axis] = position
            position += 1
        elif _is_axis(e) and not isinstance(e, (bool, np.bool_)):
            value = operator.index(e)
            if not -shape[axis] <= value < shape[axis]:
                return None  # NumPy raises for it
            per_axis.append(("i", value % shape[axis]))
        else:
            return None  # advanced indexing
    kept = [g for g in group.elements if all(per_axis[g[a]] == per_axis[a] for a in range(rank))]
    old_of = {new: old for old, new in new_position.items()}  # new axes (None): fixed
    elements = {
        tuple(new_position[g[old_of[axis]]] if axis in old_of else axis for axis in range(position))
        for g in kept
    }
    if len(elements) < 2:
        return None
    return SymmetryGroup._from_elements(elements, position)


def _reshaped_group(
    group: SymmetryGroup, old: tuple[int, ...], new: tuple[int, ...]
) -> SymmetryGroup | None:
    """The group of ``x.reshape(new)`` for ``x`` of shape ``old`` symmetric under
    ``group`` (see ``SymmetricTensor.reshape``); None when nothing is left."""
    if group.is_trivial:
        return None
    # the axes longer than 1, matched in runs of equal products: a run of one old axis
    # and one new axis is an axis that survives
    old_axes = [a for a, d in enumerate(old) if d != 1]
    new_axes = [a for a, d in enumerate(new) if d != 1]
    survives: dict[int, int] = {}
    i = j = 0
    while i < len(old_axes) and j < len(new_axes):
        run_old, run_new = [old_axes[i]], [new_axes[j]]
        p, q = old[old_axes[i]], new[new_axes[j]]
        i, j = i + 1, j + 1
        while p != q:
            if p < q:
                if i == len(old_axes):
                    return None
                run_old.append(old_axes[i])
                p *= old[old_axes[i]]
                i += 1
            else:
                if j == len(new_axes):
                    return None
                run_new.append(new_axes[j])
                q *= new[new_axes[j]]
                j += 1
        if len(run_old) == 1 and len(run_new) == 1:
            survives[run_old[0]] = run_new[0]
    elements = set()
    for g in group.elements:
        moved = [a for a in range(len(old)) if g[a] != a]
        if all(a in survives for a in moved):
            image = list(range(len(new)))
            for a in moved:
                image[survives[a]] = survives[g[a]]
            elements.add(tuple(image))
    if len(elements) < 2:
        return None
    return SymmetryGroup._from_elements(elements, len(new))


def _refuse_metadata(tensor: SymmetricTensor, action: str) -> None:
    """Setting ``shape``, ``strides``, ``dtype`` or the state: refused on a declared
    tensor; on a computed one it ends the claim (the data is read differently)."""
    if tensor._symmetry is not None and tensor._trusted:
        raise _read_only(action)
    tensor._symmetry = None


@contextmanager
def _writes_into(targets: Any, action: str) -> Iterator[None]:
    """The context a call writing into ``targets`` runs in (see :func:`_write_access`)."""
    with ExitStack() as stack:
        for target in targets:
            if isinstance(target, SymmetricTensor):
                stack.enter_context(_write_access(target, action))
        yield


#: NumPy's functions that write into their first argument
_WRITE_INTO_FIRST = frozenset(
    (np.fill_diagonal, np.copyto, np.put, np.place, np.putmask, np.put_along_axis)
)


def _normalize(axis: Any, ndim: int) -> int:
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(axis, ndim)
    return axis % ndim


_IN_PLACE_OPERATORS = (
    "iadd isub imul itruediv ifloordiv imod ipow imatmul iand ior ixor ilshift irshift"
).split()
for _name in _IN_PLACE_OPERATORS:
    setattr(SymmetricTensor, f"__{_name}__", _refused(f"__{_name}__", "update it in place"))
for _name in ("fill", "put", "sort", "partition", "setfield", "resize"):
    setattr(SymmetricTensor, _name, _refused(_name, f"{_name} it"))
#: data-moving methods of ndarray that keep the subclass: the result is a plain counted
#: array (its group, if it has one, is not derived here)
_PLAIN_METHODS = ("copy astype flatten ravel repeat take compress choose diagonal getfield").split()
for _name in _PLAIN_METHODS:
    setattr(SymmetricTensor, _name, _plain_method(_name))


# ---------------------------------------------------------------------- charging


def _charged(
    name: str, analytical: int, shape: tuple[int, ...], run: Any, shape_only: Any = None
) -> Any:
    """Run ``run()`` as the recorded operation ``name`` of ``analytical`` FLOPs (weighted
    by ``name``'s weight): charged before it runs, refunded if it raises. In a dry run,
    ``shape_only()`` runs instead (what can be known without the values)."""
    t0 = _now()
    budget, ns, _ = ACTIVE.get() or fallback_scope()
    key = intern_key(intern_name(name), ns, (shape,))
    try:
        cost = charge(budget, name, analytical, t0)
    except ShapeOnlyCall as call:
        try:
            result = shape_only()
        except BaseException:
            refund(budget, call.cost)
            raise
        t1 = _now()
        record(budget, key, call.cost, t0, t1, t1, t1, None)
        return result
    t1 = _now()
    try:
        result = run()
    except BaseException:
        refund(budget, cost)
        raise
    t2 = _now()
    record(budget, key, cost, t0, t1, t2, _now(), result if isinstance(result, _ND) else None)
    return result


def _data(x: Any, what: str) -> np.ndarray:
    """The plain data of ``x``; boolean and numeric dtypes only (TypeError otherwise)."""
    data = stand_in_plain(x) if type(x) in STAND_IN_TYPES else np.asarray(plain(x))
    if data.dtype.kind not in _KINDS:
        raise TypeError(f"{what} takes boolean or numeric data, got dtype {data.dtype}")
    return data


def _group(symmetry: Any, data: np.ndarray) -> SymmetryGroup:
    """The group of ``symmetry`` on ``data``'s axes, its shape validated (ValueError)."""
    group = SymmetryGroup.from_spec(symmetry, data.ndim)
    group.validate(data.shape)
    return group


def _asymmetry_message(data: np.ndarray, group: SymmetryGroup) -> str:
    worst: Any = 0
    worst_generator = None
    for generator in group.generators:
        moved = data.transpose(generator)
        if data.dtype.kind == "b":
            deviation: Any = int(np.count_nonzero(data != moved))
        else:
            with np.errstate(all="ignore"):
                difference = np.abs(data.astype(np.result_type(data, np.float64)) - moved)
            deviation = float(np.nanmax(difference)) if difference.size else 0.0
        if worst_generator is None or deviation > worst:
            worst, worst_generator = deviation, generator
    measure = (
        f"{worst} entries differ" if data.dtype.kind == "b" else f"largest |x - x'| = {worst:.6g}"
    )
    where = f" under {_cycle_notation(worst_generator)}" if worst_generator else ""
    return (
        f"data of shape {data.shape} is not symmetric under {group!r}: {measure}{where} "
        f"(tolerance |a - b| <= atol + rtol * |b|, rtol={DEFAULT_RTOL}, atol={DEFAULT_ATOL}, "
        "for floating data; exact for integer and boolean data)"
    )


# ---------------------------------------------------------------------- public functions


def as_symmetric(x: Any, symmetry: Any) -> SymmetricTensor:
    """``x`` declared symmetric under ``symmetry``: a :class:`SymmetricTensor` holding a
    private read-only copy of the data.

    ``symmetry`` is anything :meth:`SymmetryGroup.from_spec` takes: one group of axes
    ``(0, 1)``, several ``[(0, 1), (2, 3)]``, blocks ``[((0, 1), (2, 3))]``, or a
    :class:`SymmetryGroup` of rank ``x.ndim``. A bad spec or a shape the group does not fit
    (axes moved onto each other with different sizes) raises ValueError; data that is not
    boolean or numeric raises TypeError; both before anything is charged.

    Cost: ``numel * len(generators)`` comparisons (each generator's transpose compared
    with the data, entry by entry), recorded as ``as_symmetric``. The data must match
    within ``|a - b| <= atol + rtol * |b|`` with ``rtol=1e-05``, ``atol=1e-08`` (NumPy's
    ``allclose``; NaN matches NaN) for floating and complex data, exactly for integer and
    boolean data; otherwise :class:`~flopscope.SymmetryError` names the group and the
    largest deviation, and the charge is refunded. The data is kept as given (within that
    tolerance, not averaged: :func:`symmetrize` makes data exactly symmetric).

    A SymmetricTensor already carrying this group is returned as it is, free; one with
    another group is checked against the new one (its buffer is shared, not copied).
    """
    if isinstance(x, SymmetricTensor) and x._symmetry is not None:
        data = _view(x, _ND)
        group = _group(symmetry, data)
        if group == x.symmetry:
            return x
        frozen = data  # already a frozen buffer: shared, not copied
    else:
        data = _data(x, "as_symmetric")
        group = _group(symmetry, data)
        frozen = None

    def check() -> None:
        # raised inside the charged call: a refused declaration is refunded, as any
        # failed operation
        if not group.is_symmetric(data):
            raise SymmetryError(_asymmetry_message(data, group))

    def check_known() -> None:
        # a dry run checks the values it has; unknown ones are taken as declared
        if not is_unknown(data):
            check()

    _charged("as_symmetric", group.check_cost(data.shape), data.shape, check, check_known)
    if (ACTIVE.get() or fallback_scope())[0]._shape_only:
        return _claiming(unknown(data.shape, data.dtype), group)  # a dry run's stand-in
    if frozen is None:
        frozen = _frozen(data)
    return _claiming(frozen, group)


def is_symmetric(x: Any, symmetry: Any = None) -> bool:
    """Whether ``x`` is symmetric under ``symmetry``.

    With ``symmetry=None``, ``x`` must be a :class:`SymmetricTensor`: True, free (its data
    was checked or built when it was made). With a ``symmetry`` (any spec
    :func:`as_symmetric` takes): the same check and the same cost as ``as_symmetric``,
    ``numel * len(generators)`` comparisons within the same tolerance, recorded as
    ``is_symmetric``; returns False for data that is not symmetric (and, free, for a shape
    the group does not fit) and never raises for it.
    """
    if symmetry is None:
        if isinstance(x, SymmetricTensor):
            return True
        raise TypeError(
            "is_symmetric(x) without symmetry= asks a SymmetricTensor about its declared "
            f"group; x is a {type(x).__name__}: pass symmetry= to check its data"
        )
    data = _data(x, "is_symmetric")
    group = SymmetryGroup.from_spec(symmetry, data.ndim)
    try:
        group.validate(data.shape)
    except ValueError:
        return False
    return bool(
        _charged(
            "is_symmetric",
            group.check_cost(data.shape),
            data.shape,
            lambda: group.is_symmetric(data),
            lambda: group.is_symmetric(values_of(data, "is_symmetric's answer")),
        )
    )


def _orbit_representatives(group: SymmetryGroup, shape: tuple[int, ...]) -> np.ndarray:
    """For each entry (C order), the flat index of the smallest entry of its orbit."""
    index = np.arange(int(np.prod(shape, dtype=np.int64)), dtype=np.intp).reshape(shape)
    smallest = index.copy()
    for element in group.elements:
        np.minimum(smallest, index.transpose(element), out=smallest)
    return smallest.reshape(-1)


def symmetrize(x: Any, symmetry: Any) -> SymmetricTensor:
    """The projection of ``x`` onto the tensors symmetric under ``symmetry``: the group
    average ``(1 / |G|) * sum over g in G of x.transpose(g)``, as a :class:`SymmetricTensor`.

    Cost: ``(|G| - 1) * numel`` additions and ``numel`` multiplications (by ``1 / |G|``),
    ``|G| * numel`` in all, recorded as ``symmetrize``. Integer and boolean data average to
    float64 (as ``mean`` does); floating and complex data keep their dtype. The result is
    exactly symmetric: rounding can make the sums of one orbit differ in the last bit, so
    every entry takes the value computed for the first entry of its orbit (C order), a
    copy, not arithmetic. ``symmetry`` as in :func:`as_symmetric` (ValueError for a bad
    spec or a shape it does not fit, before anything is charged).
    """
    data = _data(x, "symmetrize")
    group = _group(symmetry, data)
    numel = data.size
    dtype = np.result_type(data.dtype, np.float64) if data.dtype.kind in "biu" else data.dtype

    def average() -> np.ndarray:
        total = data.astype(dtype, copy=True)
        identity = tuple(range(data.ndim))
        for element in group.elements:
            if element != identity:
                total += data.transpose(element)
        total *= total.dtype.type(1) / total.dtype.type(group.order)
        return total.reshape(-1)[_orbit_representatives(group, data.shape)].reshape(data.shape)

    result = _charged(
        "symmetrize",
        group.order * numel,
        data.shape,
        average,
        lambda: unknown(data.shape, dtype),  # a dry run's stand-in
    )
    return _claiming(result if is_unknown(result) else _frozen(result), group)


# ---------------------------------------------------------------------- pointwise ufuncs


def _pointwise_group(
    name: str, inputs: tuple, shapes: tuple[tuple[int, ...], ...], keeps: bool
) -> tuple[SymmetryGroup, bool] | None:
    """(the group the result of the pointwise ufunc ``name`` on ``inputs`` (of
    ``shapes``, which broadcast) keeps, whether every operand claiming it is declared),
    or None; warns (once) when a declared group is lost. See the module's
    documentation."""
    rank = max(map(len, shapes))
    kept: SymmetryGroup | None = None
    declared = False  # an operand declared symmetric (as_symmetric, symmetrize)
    computed_claim = False  # an operand computed symmetric (its claim checked here)
    constrained = False  # an operand allowing only the identity
    for x, shape in zip(inputs, shapes):
        group = x.symmetry if isinstance(x, SymmetricTensor) else None
        if group is not None and not group.is_trivial:
            if x._trusted:
                declared = True
            else:
                computed_claim = True
            lifted = group.expand(rank) if group.rank < rank else group
            kept = lifted if kept is None else kept.intersect(lifted)
        elif any(size != 1 for size in shape):
            constrained = True
    if kept is None:
        return None  # nothing was claimed, nothing is lost
    if keeps and not constrained and not kept.is_trivial:
        return kept, not computed_claim
    if declared and SETTINGS.symmetry_warnings:
        why = (
            "its output goes where out= / where= say"
            if not keeps
            else "its operands share no symmetry"
        )
        warnings.warn(
            f"{name}: the result does not keep the declared symmetry ({why}); it is a "
            "plain counted array, priced at every element "
            "(flops.configure(symmetry_warnings=False) silences this warning)",
            SymmetryLossWarning,
            stacklevel=_user_stacklevel(),
        )
    return None


def _pointwise_result(result: Any, claim: tuple[SymmetryGroup, bool]) -> Any:
    """NumPy's result of a pointwise ufunc (an array, or a tuple of them) as
    SymmetricTensors of the claimed group: an elementwise function of data symmetric
    under it is symmetric under it, so the data is not checked again. From declared
    operands only, a declared (frozen) tensor; otherwise a computed (writable) one."""
    if type(result) is tuple:
        return tuple(_pointwise_result(r, claim) for r in result)
    group, declared = claim
    if declared:
        data = np.asarray(result)
        return _claiming(data if is_unknown(data) else _frozen(data), group)
    return _computed_tensor(np.asarray(result), group)


# ---------------------------------------------------------------------- propagation


def _propagated_claim(
    kind: str, name: str, args: tuple, kwargs: dict
) -> tuple[SymmetryGroup, bool] | None:
    """The claim the result of a counted function on a SymmetricTensor keeps (the
    dispatch's ``SYMMETRY_PROPAGATION`` rows), or None for a plain result.

    * elementwise (``round``, ``nan_to_num``, ``isneginf``, ...): the whole group, priced
      at its distinct elements; with ``out=`` a plain result, with a warning, as for
      pointwise ufuncs;
    * reductions (``sum``, ``max``, ``mean``, ``argmax``, ...) over ``axis``: the group
      of what is left, :meth:`SymmetryGroup.drop_axes` (``keepdims=True``: the
      stabilizer of the reduced axes, which stay as axes of length 1); all axes, or
      ``out=``: a plain result. Reductions are priced as on plain data."""
    x = args[0]
    group = x._claim()  # a computed tensor's claim is checked below, if it matters
    if group.is_trivial:
        return None
    trusted = x._trusted
    if kwargs.get("out") is not None:
        if trusted and SETTINGS.symmetry_warnings:
            warnings.warn(
                f"{name}: the result does not keep the declared symmetry (its output goes "
                "where out= says); it is a plain counted array, priced at every element "
                "(flops.configure(symmetry_warnings=False) silences this warning)",
                SymmetryLossWarning,
                stacklevel=_user_stacklevel(),
            )
        return None
    if kind == "elementwise":
        return (group, trusted) if trusted or not x.symmetry.is_trivial else None
    axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
    if axis is None:
        return None
    try:
        axes = (
            (_normalize(axis, x.ndim),)
            if _is_axis(axis)
            else tuple(_normalize(a, x.ndim) for a in axis)
        )
    except (TypeError, np.exceptions.AxisError):
        return None  # NumPy names the bad axis
    kept = group.stabilizer_of(axes) if kwargs.get("keepdims") else group.drop_axes(axes)
    if kept.is_trivial or (not trusted and x.symmetry.is_trivial):
        return None
    return kept, trusted


def _warn_if_lost(name: str, x: SymmetricTensor, result: Any) -> None:
    """A counted function of a declared SymmetricTensor whose result has its shape but
    no group (``cumsum``, ``sort``, ``linalg.inv``): one SymmetryLossWarning, as for
    pointwise operations. Results of another shape (eigenvalues, norms) and computed
    tensors' results stay silent."""
    if (
        isinstance(result, _ND)
        and not isinstance(result, SymmetricTensor)
        and x._trusted
        and x._symmetry is not None
        and result.shape == x.shape
        and SETTINGS.symmetry_warnings
        and not x.symmetry.is_trivial
    ):
        warnings.warn(
            f"{name}: the result does not keep the declared symmetry; it is a plain "
            "counted array (flops.configure(symmetry_warnings=False) silences this "
            "warning; flops.as_symmetric declares a symmetry the result has)",
            SymmetryLossWarning,
            stacklevel=_user_stacklevel(),
        )


def _moved_axes(x: SymmetricTensor, result: np.ndarray) -> Any:
    """``result`` of a transpose or reshape of ``x`` (NumPy's view or copy of its data)
    with what survives of its group: a permutation of its axes over the same memory
    carries the permuted group, another shape what :func:`_reshaped_group` leaves; a
    plain counted array when nothing does."""
    group = x._claim()
    source = _view(x, _ND)
    new_group = None
    if result.ndim == source.ndim and result.ndim > 1:
        perm = same_memory_permutation(source, result)
        if perm is not None:
            new_group = group.permute(perm)
    if new_group is None and result.size == source.size and result.ndim > 1:
        if result.shape == source.shape and np.shares_memory(result, source):
            perm = same_memory_permutation(source, result)
            new_group = group if perm == tuple(range(source.ndim)) else None
        elif result.shape != source.shape:
            new_group = _reshaped_group(group, source.shape, result.shape)
    if new_group is None or new_group.is_trivial:
        return _view(result, ShapeOnlyArray if is_unknown(result) else _CA)
    return _derived(_view(result, SymmetricTensor), x, new_group)


class _Hooks:
    """What the dispatch asks of symmetric tensors (``register_symmetric``); the
    contraction family's pricing is added by the symmetric contraction module."""

    pointwise_group = staticmethod(_pointwise_group)
    pointwise_result = staticmethod(_pointwise_result)
    computed = staticmethod(computed)
    propagated = staticmethod(_propagated_claim)
    layout = staticmethod(_moved_axes)
    writes = staticmethod(_writes_into)
    lost = staticmethod(_warn_if_lost)
    contraction: Any = None


class ShapeOnlySymmetric(ShapeOnlyArray, SymmetricTensor):
    """A dry run's stand-in for a SymmetricTensor: the shape, the dtype and the group are
    exact, the values unknown (see :class:`~flopscope.ShapeOnlyArray`). Its group
    propagates and lowers prices as a real tensor's does; reading a value raises."""

    __module__ = "flopscope"

    def __repr__(self) -> str:
        return f"ShapeOnlyArray(shape={self.shape}, dtype={self.dtype}, symmetry={self._claim()!r})"

    __str__ = __repr__

    def __copy__(self) -> Any:
        return _claiming(unknown(self.shape, self.dtype), self._claim(), self._trusted)

    def __deepcopy__(self, memo: Any) -> Any:
        return self.__copy__()

    def __getitem__(self, key: Any) -> Any:
        """As a SymmetricTensor's indexing (the group basic indexing keeps), on a
        stand-in."""
        result = ShapeOnlyArray.__getitem__(self, key)
        if not isinstance(result, ShapeOnlyArray) or result.ndim < 2:
            return result
        group = _indexed_group(self._claim(), self.shape, key)
        if group is None or group.rank != result.ndim:
            return result
        return _derived(_view(result, _ND), self, group)


register_symmetric(SymmetricTensor, _Hooks)
register_symmetric(ShapeOnlySymmetric, _Hooks)
register_stand_in(ShapeOnlySymmetric)
