"""Every example builds, and the work-summary example reproduces seed 000."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import build_report
from tests.helpers import EXAMPLES, SEEDS, docx_paragraphs, docx_text, normalise, overlap

SEED_000 = SEEDS / "000_d8d9bdc2cfd193d8.txt"

# example → (seed, minimum recall, web-page chrome in the seed that is not report content)
GOLDEN = {
    "progress-report": ("002_27bbef743ad819c4.txt", 0.99, ()),
    "rule-of-law-report": ("004_0487bdcd1988260a.txt", 0.99, ("点击数:",)),
}


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


@pytest.mark.parametrize("example", sorted(GOLDEN))
def test_example_reproduces_its_seed(example: str, tmp_path: Path) -> None:
    seed_name, minimum_recall, chrome = GOLDEN[example]
    seed_text = (SEEDS / seed_name).read_text(encoding="utf-8")
    for fragment in chrome:
        assert fragment in seed_text
        seed_text = seed_text.replace(fragment, "")
    output = tmp_path / f"{example}.docx"
    build_report(EXAMPLES / f"{example}.yaml", output)
    result = overlap(normalise(seed_text), normalise(docx_text(output)))
    assert result.recall >= minimum_recall, f"missing from the .docx: {result.missing[:5]}"
    assert result.precision >= 0.98, f"not in the seed: {result.extra[:5]}"


def test_seed_punctuation_artefacts_become_full_width(tmp_path: Path) -> None:
    """Seeds 001-004 carry half-width , : ; ( ) from web conversion; reports use full-width."""
    output = tmp_path / "progress-report.docx"
    build_report(EXAMPLES / "progress-report.yaml", output)
    text = docx_text(output)
    assert "住房城乡建设部：" in text and "（一）城市人居环境建设工作方面" in text
    assert not any(mark in text for mark in ",:;()"), "half-width punctuation in Chinese text"
