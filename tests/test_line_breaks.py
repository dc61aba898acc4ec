"""Ranges and codes written with a hyphen (``1-6月``, ``2024-02-27``, ``S41-19``) never break at
the hyphen when LibreOffice lays the report out, wherever the line ends, and read back as typed.

A hyphen between two Chinese characters (``同协路-东湖立交``) still breaks in LibreOffice 7.4 in
some positions: its Chinese line breaking ignores the word joiners (and Word's non-breaking
hyphen, and the forbidden-characters settings of the .docx), so it is not asserted here.

The report puts each range at every position around the end of a line (a paragraph per shift,
padded with characters of a full and of half width), builds it with huibao, converts it with
LibreOffice as ``huibao preview`` does and reads the lines of the PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.pipeline import build_report
from tests.helpers import build_file_tree, convert_to_pdf, docx_text, pdf_pages

RANGES = ("1-6月", "2024-02-27", "110.95-120亿元", "S41-19")


def _paragraphs(ranges: tuple[str, ...]) -> list[str]:
    texts = []
    for typed in ranges:
        for shift in range(12):
            padding = "建" * (21 + shift // 2) + ("a" if shift % 2 else "")
            texts.append(f"{padding}{typed}完成建设任务。")
    return texts


REPORT = """\
kind: work-summary
title: 某市住房和城乡建设局2023年工作总结
org: 某市住房和城乡建设局
year: 2023
date: 2024-01-15
sections:
  - heading: 城市建设
"""


def test_a_range_never_breaks_at_its_hyphen_in_libreoffice(tmp_path: Path) -> None:
    ranges = RANGES
    items = "\n".join(f"      - text: {text}" for text in _paragraphs(ranges))
    source = f"{REPORT}    items:\n{items}\n"
    build_file_tree(tmp_path, {"2023.yaml": source})
    output = build_report(tmp_path / "2023.yaml", tmp_path / "2023.docx").output
    lines = [
        line.text for page in pdf_pages(convert_to_pdf(output, tmp_path)) for line in page.lines
    ]
    for typed in ranges:
        assert sum(typed in line for line in lines) >= 6  # the range stood whole on lines
    broken = [line for line in lines if line.rstrip().endswith("-")]
    assert broken == []
    shown = docx_text(output)
    for typed in ranges:
        assert typed in shown


def test_a_range_reads_back_as_typed_on_import(
    run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    source = REPORT + "    text: 1-6月完成同协路-东湖立交段建设，2024-02-27通车。\n"
    build_file_tree(tmp_path, {"2023.yaml": source})
    code, _out, err = run_cli("build", str(tmp_path / "2023.yaml"))
    assert code == 0, err
    code, _out, err = run_cli("import", str(tmp_path / "2023.docx"), "-o", str(tmp_path / "d.yaml"))
    assert code == 0, err
    draft = (tmp_path / "d.yaml").read_text(encoding="utf-8")
    assert "1-6月完成同协路-东湖立交段建设，2024-02-27通车。" in draft
    assert "\u2060" not in draft
