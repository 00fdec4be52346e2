"""The README's tour: every ```python block runs as written, and its opening commands hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import flopscope as flops

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_opens_with_the_two_commands():
    first_block = re.search(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert first_block is not None
    lines = [ln for ln in first_block.group(1).splitlines() if ln.strip()]
    assert lines[0] == "pip install . && python -m flopscope demo"
    assert lines[1] == 'pip install ".[test]" && python -m pytest'


def test_readme_has_a_tour():
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_block_runs(index):
    flops.load_weights()
    flops.budget_reset()
    exec(compile(BLOCKS[index], f"README block {index}", "exec"), {"__name__": "__readme__"})
