"""Build of flopscope's optional compiled hot path (``flopscope._hotpath``).

Everything else is in ``pyproject.toml``. Where the extension cannot be built (no C
compiler, no NumPy headers), the install goes on without it and flopscope runs its
pure-Python bodies, which are the reference for the compiled one.
"""

from __future__ import annotations

import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

NOTICE = "flopscope: the compiled hot path was not built ({}); the pure-Python path is used"


class OptionalBuildExt(build_ext):
    """Build the extension if this machine can; otherwise say so in one line."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # no compiler at all
            print(NOTICE.format(error), file=sys.stderr)

    def build_extension(self, ext: Extension) -> None:
        try:
            import numpy

            ext.include_dirs.append(numpy.get_include())
            super().build_extension(ext)
        except Exception as error:  # a compiler that fails, or no NumPy headers
            print(NOTICE.format(error), file=sys.stderr)


setup(
    ext_modules=[
        Extension(
            "flopscope._hotpath",
            sources=["src/flopscope/_hotpath.c"],
            optional=True,
        )
    ],
    cmdclass={"build_ext": OptionalBuildExt},
)
