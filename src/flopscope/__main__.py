"""``python -m flopscope demo``: run the demonstration."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["demo"]:
        print("usage: python -m flopscope demo", file=sys.stderr)
        return 2
    from ._demo import main as demo

    demo()
    return 0


if __name__ == "__main__":
    sys.exit(main())
