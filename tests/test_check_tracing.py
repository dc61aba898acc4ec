"""Findings of ``huibao check`` and ``huibao build`` on our input name the line the text was typed
on, also when several fields hold the same text (a status, a repeated sentence): each is traced to
its own place in the document, in order, not all to the last field that has it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

RunCli = Callable[..., tuple[int, str, str]]

TASKS = """\
kind: task-progress
title: 2021年某市重点工作执行情况
org: 某市人民政府办公室
year: 2021
date: 2021-09-08
period: 上半年
tasks:
  - task: 建设第一批项目。
    progress:
      - 1-6月完成投资5亿元。
    departments: 市发展改革委
    status: 按时推进
  - task: 建设第二批项目。
    progress:
      - 项目全部开工。
    departments: 市发展改革委
    status: 按时推进
  - task: 建设第三批项目。
    progress:
      - 1-6月完成投资5亿元。
    departments: 市发展改革委
    status: 按时推进
"""


def test_the_same_text_in_two_tasks_is_found_at_each_line(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "2021.yaml"
    source.write_text(TASKS, encoding="utf-8")
    lines = [number for number, line in enumerate(TASKS.splitlines(), 1) if "1-6月" in line]
    assert len(lines) == 2
    code, out, err = run_cli("check", "--format", "json", str(source))
    assert "Traceback" not in out + err
    found = json.loads(out)["findings"]
    ranges = [finding for finding in found if finding["rule"] == "range-dash"]
    assert [finding["location"]["line"] for finding in ranges] == lines
    assert [finding["location"]["field"] for finding in ranges] == [
        "第1项任务 › 进展情况 › 第1条",
        "第3项任务 › 进展情况 › 第1条",
    ]
    code, out, err = run_cli("build", str(source))
    assert code == 0
    for line in lines:
        assert f"2021.yaml:{line}" in err


def test_a_status_beside_a_progress_that_contains_it_is_found_in_its_own_cell(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """The status 按时推进 also stands inside the progress text of its row: the finding on the
    progress is the progress's line, not the status's."""
    text = TASKS.replace(
        "1-6月完成投资5亿元。\n    departments: 市发展改革委\n    status: 按时推进\n  - task: 建设第二批",
        "按时推进，1-6月完成投资5亿元。\n    departments: 市发展改革委\n    status: 按时推进\n  - task: 建设第二批",
        1,
    )
    source = tmp_path / "2021.yaml"
    source.write_text(text, encoding="utf-8")
    line = next(
        number for number, row in enumerate(text.splitlines(), 1) if "按时推进，1-6月" in row
    )
    _code, out, _ = run_cli("check", "--format", "json", str(source))
    ranges = [finding for finding in json.loads(out)["findings"] if finding["rule"] == "range-dash"]
    assert ranges[0]["location"]["line"] == line


def test_columns_a_maintainer_put_in_another_order_are_traced_to_their_own_lines(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A template override that prints each row's columns in another order than the data (status
    first, the task last) still names each finding's own line."""
    shipped = Path(__file__).resolve().parent.parent / "templates" / "task-progress"
    template = (shipped / "report.html.j2").read_text(encoding="utf-8")
    cells = [
        "<td>{{ row.task | lines }}</td>\n",
        "<td>{{ table.numbered(row.progress) }}</td>\n",
    ]
    for cell in cells:
        assert cell in template
    reordered = template.replace(cells[0], "").replace(
        cells[1], '<td class="表格居中">{{ row.status or "" }}</td>\n' + cells[1] + cells[0]
    )
    reordered = reordered.replace(
        '<td class="表格居中">{{ row.status or "" }}</td>\n</tr>', "</tr>"
    )
    (tmp_path / "templates" / "task-progress").mkdir(parents=True)
    (tmp_path / "templates" / "task-progress" / "report.html.j2").write_text(reordered, "utf-8")
    text = TASKS.replace("建设第三批项目。", "建设第三批项目，1-2个。")
    source = tmp_path / "2021.yaml"
    source.write_text(text, encoding="utf-8")
    lines = [
        number
        for number, line in enumerate(text.splitlines(), 1)
        if "1-6月" in line or "1-2个" in line
    ]
    assert len(lines) == 3
    code, out, err = run_cli(
        "check", "--format", "json", "--templates", str(tmp_path / "templates"), str(source)
    )
    assert code == 0 and "Traceback" not in out + err  # warnings only
    found = json.loads(out)["findings"]
    ranges = [finding for finding in found if finding["rule"] == "range-dash"]
    assert sorted(finding["location"]["line"] for finding in ranges) == lines
