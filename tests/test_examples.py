"""Every example builds, and the work-summary example reproduces seed 000."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import build_report
from tests.helpers import EXAMPLES, SEEDS, docx_paragraphs, docx_text, normalise, overlap

SEED_000 = SEEDS / "000_d8d9bdc2cfd193d8.txt"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_example_builds(example: Path, tmp_path: Path) -> None:
    output = tmp_path / f"{example.stem}.docx"
    build_report(example, output)
    assert docx_text(output).strip()


def test_work_summary_reproduces_seed_000(work_summary_docx: Path) -> None:
    seed = normalise(SEED_000.read_text(encoding="utf-8"))
    produced = normalise(docx_text(work_summary_docx))
    result = overlap(seed, produced)
    assert result.recall >= 0.995, f"missing from the .docx: {result.missing[:5]}"
    assert result.precision >= 0.98, f"not in the seed: {result.extra[:5]}"


def test_work_summary_structure_follows_the_seed(work_summary_docx: Path) -> None:
    paragraphs = docx_paragraphs(work_summary_docx)
    seed_lines = [
        line.strip() for line in SEED_000.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    # title, the opening, seven run-in sections, then the signature and date
    assert [style for style, _ in paragraphs] == [
        "Title",
        *["Normal"] * len(seed_lines),
        "落款",
        "成文日期",
    ]
    for (_, text), seed_line in zip(paragraphs[1:], seed_lines, strict=False):
        assert normalise(text) == normalise(seed_line)
    assert paragraphs[-1] == ("成文日期", "2021年1月15日")
