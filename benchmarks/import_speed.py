"""Time ``huibao import`` on a 100-page Word report and report peak memory: figures to watch, not a
pass/fail test.

Run: ``python benchmarks/import_speed.py [--runs N] [--pages P]``. Builds a report with
python-docx the way Word users write one — a multilevel automatic list (一、（一）1.（1）)
attached to the heading styles, bold run-in headings, runs split mid-word, tables with merged
cells — then prints the median and worst time of reading it (``read_document``) and, when the
importer is present, of the whole import (read, recognise, write the YAML draft), and the
process's peak RSS. Target for the whole import of 100 pages: under 1 s and under 200 MiB; the
reader's share should be small.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml

from generator.reader import read_document

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SENTENCE = (
    "全市新建改造城镇污水管网204.8公里，改造生活小区类“污水零直排区”241个，"
    "新建项目已开工50个，开工率122%，较好地完成了年度目标任务。"
)


def _level(index: int, number_format: str, text: str, style: str = "") -> str:
    link = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
        f'{link}<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>'
    )


def build_report(path: Path, pages: int) -> int:
    """A report of about ``pages`` pages of 22 lines of 28 characters; returns its characters."""
    word = docx.Document()
    numbering = word.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {W} w:abstractNumId="90">'
            + _level(0, "chineseCounting", "%1、", "Heading1")
            + _level(1, "chineseCounting", "（%2）", "Heading2")
            + _level(2, "decimal", "%3.")
            + _level(3, "decimal", "（%4）")
            + "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, style in enumerate(("Heading 1", "Heading 2")):
        properties = word.styles[style].element.get_or_add_pPr().get_or_add_numPr()
        properties.get_or_add_ilvl().val = level
        properties.get_or_add_numId().val = 90
    word.add_paragraph("嘉兴市住房和城乡建设局2023年工作总结", style="Title")
    characters = 0
    section = 0
    while characters < pages * 22 * 28:
        section += 1
        word.add_heading(f"第{section}部分工作情况", level=1)
        for part in range(3):
            word.add_heading(f"推进重点工作第{part + 1}项", level=2)
            for item in range(3):
                paragraph = word.add_paragraph()
                paragraph.add_run("一是").bold = True
                paragraph.add_run("健全机").bold = True
                paragraph.add_run("制。").bold = True
                for piece in (SENTENCE[:20], SENTENCE[20:45], SENTENCE[45:]):
                    paragraph.add_run(piece)
                numbered = word.add_paragraph(f"完成第{item + 1}项任务，{SENTENCE}")
                paragraph_properties: Any = numbered._p.get_or_add_pPr()
                list_properties = paragraph_properties.get_or_add_numPr()
                list_properties.get_or_add_numId().val = 90
                list_properties.get_or_add_ilvl().val = 2
                characters += 2 * len(SENTENCE) + 20
        table = word.add_table(rows=4, cols=4)
        for row in range(4):
            for column in range(4):
                table.cell(row, column).text = f"指标{row}{column}：完成302个"
        table.cell(1, 0).merge(table.cell(3, 0))
        table.cell(0, 1).merge(table.cell(0, 2))
        characters += 16 * 10
    word.save(str(path))
    return characters


def _time(runs: int, action: Callable[[], Any]) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), max(timings)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pages", type=int, default=100)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.docx"
        characters = build_report(source, arguments.pages)
        before = _peak_mib()
        document = read_document(source)
        print(
            f"{arguments.pages} pages: {characters} characters, {len(document.blocks)} blocks, "
            f"{source.stat().st_size // 1024} KB .docx"
        )
        median, worst = _time(arguments.runs, lambda: read_document(source))
        print(
            f"read     median {median * 1000:6.1f} ms  max {worst * 1000:6.1f} ms  "
            f"({arguments.runs} runs)"
        )
        try:
            from generator.importer import import_file
        except ImportError:
            print("import   (generator.importer not present: whole import not timed)")
        else:
            draft = Path(folder) / "draft.yaml"
            median, worst = _time(arguments.runs, lambda: import_file(source, draft, force=True))
            print(
                f"import   median {median * 1000:6.1f} ms  max {worst * 1000:6.1f} ms  "
                f"({arguments.runs} runs, read + recognise + write YAML)"
            )
    print(f"peak RSS {_peak_mib():.0f} MiB ({before:.0f} MiB before the first read)")


if __name__ == "__main__":
    main()
