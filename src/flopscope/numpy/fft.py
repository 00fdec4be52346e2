"""``flopscope.numpy.fft``: counted Fourier transforms.

Every callable of ``numpy.fft`` is here, running NumPy's own function (``out=``
included) after its cost is charged:

* ``fft``, ``ifft``: ``5 * n * ceil(log2 n)`` per transform of length ``n`` (the
  classic radix-2 count of real operations; not FMA-priced), times the product of the
  other axes' extents;
* ``rfft``, ``irfft``, ``hfft``, ``ihfft``: half that, ``5 * n * ceil(log2 n) // 2``, for
  ``n`` real points;
* ``fftn``, ``ifftn``, ``fft2``, ``ifft2``, ``rfftn``, ``irfftn``, ``rfft2``,
  ``irfft2``: the sum of the 1-D transforms NumPy runs, one per transformed axis, each
  on the array as it stands at that step (``rfftn``: the last axis real, the others
  complex on the half-length output);
* a ``norm`` that scales the output (forward transforms: ``'ortho'``, ``'forward'``;
  inverse transforms: the default and ``'ortho'``) adds ``numel(output)``
  multiplications per 1-D step;
* ``fftfreq``, ``rfftfreq``: one multiplication per frequency; ``fftshift``,
  ``ifftshift``: free (a ``roll``).

``n`` and ``s`` are the lengths actually transformed (padding with zeros or cropping
changes the cost). A length below 1, an unknown ``norm`` or a bad axis raises NumPy's
error before anything is charged. ``flopscope.fft_cost``, ``rfft_cost``, ``hfft_cost``,
``fftn_cost`` and ``rfftn_cost`` give these costs from sizes and shapes alone.
"""

from __future__ import annotations

from .._namespace import populate as _populate

_names, __getattr__ = _populate(globals(), "fft")
__all__ = list(_names)


def __dir__() -> list[str]:
    return __all__
