"""The README's YAML examples are what staff copy: each one that shows a report body builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.pipeline import build_report
from tests.helpers import ROOT, docx_text

HEAD = "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"


def _report_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^( *)```yaml\n(.*?)^\1```", readme, flags=re.MULTILINE | re.DOTALL)
    found = []
    for indent, block in blocks:
        text = "\n".join(line[len(indent) :] for line in block.splitlines()) + "\n"
        if re.search(r"^sections:", text, flags=re.MULTILINE):
            found.append(text if text.startswith("kind:") else HEAD + text)
    return found


def test_the_readme_has_report_examples() -> None:
    assert len(_report_blocks()) >= 3


@pytest.mark.parametrize("block", _report_blocks())
def test_a_readme_example_builds(tmp_path: Path, block: str) -> None:
    source = tmp_path / "example.yaml"
    source.write_text(block, encoding="utf-8")
    result = build_report(source, tmp_path / "example.docx")
    assert result.output.exists() and docx_text(result.output)
