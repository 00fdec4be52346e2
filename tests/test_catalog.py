"""``python -m flopscope ops`` and docs/operations.md: the documented cost of every
operation is the docstring of the rule that charges it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from flopscope import _catalog
from flopscope.__main__ import main
from flopscope._registry import CATEGORIES, REGISTRY, pending

DOC = Path(__file__).resolve().parents[1] / "docs" / "operations.md"


def test_docs_operations_md_is_the_generated_catalogue():
    written = DOC.read_text(encoding="utf-8")
    generated = _catalog.render_markdown(_catalog.catalog(packaged=True))
    made_with = re.search(r"with NumPy (\d+\.\d+)", written)
    assert made_with is not None
    if made_with.group(1) == ".".join(np.__version__.split(".")[:2]):
        assert written == generated, "regenerate: python -m flopscope ops --markdown"
    else:  # another NumPy has other names: every operation both know reads the same
        written_rows = _operation_rows(written)
        for name, line in _operation_rows(generated).items():
            if name in written_rows:
                assert written_rows[name] == line


def _operation_rows(markdown: str) -> dict[str, str]:
    """(module heading, operation) -> its table line."""
    rows, module = {}, ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            module = line
        cells = line.split("|")
        if len(cells) > 3 and cells[2].strip() in _CATEGORIES:
            rows[f"{module} {cells[1].strip()}"] = line
    return rows


_CATEGORIES = {*CATEGORIES, "pending"}


def test_every_row_and_pending_name_is_listed_once():
    names = [e["name"] for e in _catalog.catalog()]
    assert len(names) == len(set(names))
    assert set(names) == set(REGISTRY) | set(pending())


def test_the_listed_formula_is_the_rules_docstring():
    entries = {e["name"]: e for e in _catalog.catalog()}
    assert entries["sum"]["formula"] == REGISTRY["sum"].formula
    assert "numel(input)" in entries["sum"]["formula"]
    assert entries["matmul"]["fma"] is True
    assert entries["abs"]["alias_of"] == "absolute"
    assert entries["loadtxt"]["blocked_reason"] == REGISTRY["loadtxt"].notes
    assert entries["reshape"]["weight"] == 0.0


def test_ops_command_prints_a_filtered_table(capsys):
    assert main(["ops", "random.rand"]) == 0
    out = capsys.readouterr().out
    assert "random.randn" in out and "random.rand " in out
    assert "numpy.random:" in out and "matmul" not in out


def test_ops_command_json_parses_and_counts_add_up(capsys):
    assert main(["ops", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    total = sum(sum(c.values()) for c in data["counts"].values())
    assert total == len(data["operations"]) == len(set(REGISTRY) | set(pending()))


def test_ops_command_markdown_is_the_doc_generator(capsys):
    assert main(["ops", "--markdown"]) == 0
    assert capsys.readouterr().out == _catalog.render_markdown(_catalog.catalog(packaged=True))


def test_command_line_refuses_an_unknown_command(capsys):
    with pytest.raises(SystemExit):
        main(["nonsense"])
