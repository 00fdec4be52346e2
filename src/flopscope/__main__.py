"""The command line: ``python -m flopscope demo``, ``python -m flopscope ops``,
``python -m flopscope run script.py`` and ``python -m flopscope calibrate`` (also
``flopscope demo`` / ``ops`` / ``run`` / ``calibrate`` when installed)."""

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="flopscope", description="FLOP-counted NumPy")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run the MLP demonstration and print its FLOP summary")
    ops = commands.add_parser(
        "ops", help="list every operation: module, category, FLOP cost, weight"
    )
    ops.add_argument("filter", nargs="?", help="only names or modules containing this text")
    form = ops.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="machine-readable output")
    form.add_argument(
        "--markdown", action="store_true", help="docs/operations.md (packaged weights)"
    )
    # listed here for the help; its arguments are parsed by ``_run`` (see ``main``)
    commands.add_parser(
        "run",
        add_help=False,
        help="run a plain NumPy script with its NumPy counted (flopscope run --help)",
    )
    commands.add_parser(
        "calibrate",
        add_help=False,
        help="measure per-operation weights into weights.json (flopscope calibrate --help)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    if words and words[0] == "run":
        # The script's own arguments follow it, so ``run`` parses its words itself.
        from ._run import main as run

        return run(words[1:])
    if words and words[0] == "calibrate":
        from .calibration.runner import main as calibrate

        return calibrate(words[1:])
    args = _parser().parse_args(words)
    if args.command == "demo":
        from ._demo import main as demo

        demo()
        return 0
    from . import _catalog

    entries = _catalog.catalog(args.filter, packaged=args.markdown)
    if args.json:
        text = _catalog.render_json(entries) + "\n"
    elif args.markdown:
        text = _catalog.render_markdown(entries)
    else:
        text = _catalog.render_text(entries) + "\n"
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `flopscope ops | head`
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
