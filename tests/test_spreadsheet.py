"""Excel and CSV input: workbooks built from forms, cell-located errors, encodings, hostile files."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from generator.errors import FileAccessError, InputError
from generator.forms import write_form
from generator.pipeline import build_report, validate_input
from schemas import KINDS
from tests.helpers import EXAMPLES, docx_paragraphs, docx_text

RunCli = Callable[..., tuple[int, str, str]]


def test_task_progress_workbook_builds_the_same_report_as_the_yaml(tmp_path: Path) -> None:
    from_yaml, from_workbook = tmp_path / "yaml.docx", tmp_path / "xlsx.docx"
    build_report(EXAMPLES / "task-progress.yaml", from_yaml)
    build_report(EXAMPLES / "task-progress.xlsx", from_workbook)
    assert docx_paragraphs(from_workbook) == docx_paragraphs(from_yaml)


def test_the_example_workbook_merges_the_number_of_continued_tasks() -> None:
    sheet = openpyxl.load_workbook(EXAMPLES / "task-progress.xlsx")["任务"]
    merged = [str(cell_range) for cell_range in sheet.merged_cells.ranges]
    assert merged and all(cell_range.startswith("A") for cell_range in merged)


def fill_form(
    path: Path, tasks: list[list[object]], figures: list[list[object]] | None = None
) -> None:
    """Fill a form as staff would: 基本信息, the 任务 rows (example row replaced), 指标."""
    workbook = openpyxl.load_workbook(path)
    info = workbook["基本信息"]
    for row in info.iter_rows(min_row=2):
        label = row[0].value
        typed: dict[str, str | int] = {
            "标题": "2024年某市重点工作执行情况",
            "发文机关": "某市政府办公室",
            "年度": 2024,
        }
        value = typed.get(str(label))
        if value is not None:
            row[1].value = value
    sheet = workbook["任务"]
    sheet.delete_rows(2, sheet.max_row)
    for values in tasks:
        sheet.append(values)
    numbers = workbook["指标"]
    numbers.delete_rows(2, numbers.max_row)
    for values in figures or []:
        numbers.append(values)
    workbook.save(path)


def test_form_round_trip(run_cli: RunCli, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    code, out, _ = run_cli("form", "task-progress", "-o", str(form))
    assert code == 0 and "huibao build" in out
    workbook = openpyxl.load_workbook(form)
    assert workbook.sheetnames == ["说明", "基本信息", "指标", "任务"]
    tasks = workbook["任务"]
    assert [cell.value for cell in tasks[1]] == [
        "序号",
        "主要工作任务",
        "进展情况",
        "牵头部门",
        "进展状态",
    ]
    assert tasks.freeze_panes == "A2"
    assert "牵头部门" in (tasks["D1"].comment.text if tasks["D1"].comment else "")
    (dropdown,) = tasks.data_validations.dataValidation
    assert dropdown.formula1 == '"按时推进,进度较快,部分滞后,进度滞后"' and "E2" in str(
        dropdown.sqref
    )
    fill_form(
        form,
        [
            [
                1,
                "新建城市道路75公里。",
                "1.新建城市道路{道路里程}。\n2.完成率{道路里程.完成率}。",
                "市建委、市交通局",
                "按时推进",
            ],
            [None, "续建快速路。", "正常推进", "市建委", "进度较快"],
            [2, "建设绿道500公里。", "已建成597公里。", "市园文局", None],
        ],
        [["道路里程", "88", "公里", 75]],
    )
    output = tmp_path / "form.docx"
    code, _, err = run_cli("build", str(form), "-o", str(output))
    assert code == 0, err
    text = docx_text(output)
    assert "2024年某市重点工作执行情况" in text
    assert "1.新建城市道路88公里。\n2.完成率117.3%。" in text
    assert "续建快速路。" in text and "进度较快" in text and "已建成597公里。" in text


def make_form(tmp_path: Path) -> Path:
    form = tmp_path / "tasks.xlsx"
    write_form(KINDS["task-progress"], form)
    return form


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        validate_input(path)
    return [str(problem) for problem in caught.value.problems]


def test_errors_name_the_sheet_and_cell(tmp_path: Path) -> None:
    form = make_form(tmp_path)
    fill_form(
        form, [[1, "任务一。", "进展。", "市建委", "按期推进"], [2, None, "进展。", "市建委", None]]
    )
    messages = problems_of(form)
    assert any(
        m.startswith("tasks.xlsx:任务!E2  tasks[0].status：不能填写“按期推进”") for m in messages
    )
    assert any(m.startswith("tasks.xlsx:任务!") and "缺少必填字段“task”" in m for m in messages)


def test_unknown_column_and_item_are_reported_with_closest_names(tmp_path: Path) -> None:
    form = make_form(tmp_path)
    fill_form(form, [[1, "任务一。", "进展。", "市建委", None]])
    workbook = openpyxl.load_workbook(form)
    workbook["任务"]["E1"] = "进度状态"
    workbook["基本信息"]["A3"] = "题目"
    workbook.save(form)
    messages = problems_of(form)
    assert any(
        "任务!E1" in m and "不认识的列名“进度状态”" in m and "进展状态" in m for m in messages
    )
    assert any("基本信息!A3" in m and "不认识的项目“题目”" in m for m in messages)


def test_cells_are_read_as_staff_expect(tmp_path: Path) -> None:
    form = make_form(tmp_path)
    fill_form(
        form,
        [
            ["1 ", "  任务一。  ", "进展{开工率}，{投资}。", "市建委", "按时推进"],
            [],  # an empty row is skipped
            [None, "续行。", "进展。", "市建委", None],
        ],
        [["开工率", 0.824, None], ["投资", "1220", "亿元"]],
    )
    workbook = openpyxl.load_workbook(form)
    workbook["指标"]["B2"].number_format = "0.0%"
    info = workbook["基本信息"]
    date_row = next(row for row in info.iter_rows(min_row=2) if row[0].value == "成文日期")
    date_row[1].value = 45292  # an Excel date serial: 2024-01-01
    workbook.save(form)
    checked = validate_input(form)
    report = checked.report.model_dump()
    assert report["date"] == dt.date(2024, 1, 1)
    (task,) = report["tasks"]
    assert task["task"] == "任务一。" and task["progress"] == ["进展82.4%，1220亿元。"]
    assert task["continued"][0]["task"] == "续行。"


def test_formula_without_cached_value_is_a_clear_error(tmp_path: Path) -> None:
    form = make_form(tmp_path)
    fill_form(form, [[1, "任务一。", "进展{投资}。", "市建委", None]], [["投资", "=1+1", "亿元"]])
    workbook = openpyxl.load_workbook(form)
    workbook["指标"]["B2"] = "=1+1"  # openpyxl saves formulas without a cached result
    workbook.save(form)
    (message,) = problems_of(form)
    assert message.startswith("tasks.xlsx:指标!B2") and "公式 =1+1 没有保存计算结果" in message


def test_workbook_figures_sheet_feeds_figures_from(tmp_path: Path) -> None:
    book = tmp_path / "指标.xlsx"
    write_form(KINDS["work-summary"], book)
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["说明", "指标"]
    sheet = workbook["指标"]
    sheet.delete_rows(2, sheet.max_row)
    sheet.append(["道路里程", "88", "公里", "75"])
    workbook.save(book)
    source = tmp_path / "summary.yaml"
    source.write_text(
        "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"
        "figures_from: 指标.xlsx\nsections:\n  - heading: 主要工作\n"
        "    text: 新增道路{道路里程}，完成率{道路里程.完成率}。\n",
        encoding="utf-8",
    )
    checked = validate_input(source)
    assert checked.report.model_dump()["sections"][0]["text"] == ["新增道路88公里，完成率117.3%。"]
    # a figure with a wrong value names the workbook cell
    sheet.cell(2, 2, "八十八")
    workbook.save(book)
    (message,) = problems_of(source)
    assert message.startswith("指标.xlsx:指标!B2") and "不是数值" in message


CSV_TEXT = "名称,数值,单位,目标\n道路里程,88,公里,75\n"
SUMMARY = (
    "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"
    "figures_from: 指标.csv\nsections:\n  - heading: 主要工作\n    text: 新增道路{道路里程}。\n"
)


@pytest.mark.parametrize(
    ("encoding", "note"), [("utf-8", False), ("utf-8-sig", False), ("gb18030", True)]
)
def test_csv_figures_in_the_three_encodings(tmp_path: Path, encoding: str, note: bool) -> None:
    (tmp_path / "指标.csv").write_bytes(CSV_TEXT.encode(encoding))
    source = tmp_path / "summary.yaml"
    source.write_text(SUMMARY, encoding="utf-8")
    checked = validate_input(source)
    assert checked.report.model_dump()["sections"][0]["text"] == ["新增道路88公里。"]
    notes = [str(warning) for warning in checked.warnings if "编码" in str(warning)]
    assert bool(notes) == note
    if note:
        assert "GB18030" in notes[0] and "指标.csv" in notes[0]


def test_csv_errors_name_the_cell(tmp_path: Path) -> None:
    (tmp_path / "指标.csv").write_text("名称,数值,单位\n道路里程,很多,公里\n", encoding="utf-8")
    source = tmp_path / "summary.yaml"
    source.write_text(SUMMARY, encoding="utf-8")
    (message,) = problems_of(source)
    assert message.startswith("指标.csv:B2") and "“很多”不是数值" in message


def test_a_figure_defined_twice_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "指标.csv").write_text(CSV_TEXT, encoding="utf-8")
    source = tmp_path / "summary.yaml"
    source.write_text(
        SUMMARY.replace("sections:", "figures:\n  道路里程: 90公里\nsections:"), encoding="utf-8"
    )
    (message,) = problems_of(source)
    assert "指标“道路里程”在本文件和 指标.csv 中都有定义" in message


def test_a_csv_cannot_be_built_alone(tmp_path: Path) -> None:
    table = tmp_path / "tasks.csv"
    table.write_text(CSV_TEXT, encoding="utf-8")
    with pytest.raises(FileAccessError, match="CSV 文件只能保存一张表"):
        validate_input(table)


def test_renamed_and_damaged_workbooks_are_refused(tmp_path: Path) -> None:
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_text(CSV_TEXT, encoding="utf-8")
    with pytest.raises(FileAccessError, match="不是有效的 Excel 工作簿"):
        validate_input(renamed)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes((EXAMPLES / "task-progress.xlsx").read_bytes()[:3000])
    with pytest.raises(FileAccessError, match=r"不是有效的 Excel 工作簿|已损坏"):
        validate_input(truncated)


def test_zip_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"<c>0</c>" * 131072
            for _ in range(256):  # 256 MiB of sheet XML, a few hundred KB packed
                member.write(chunk)
    bomb.write_bytes(buffer.getvalue())
    started = time.perf_counter()
    with pytest.raises(FileAccessError, match="解压后过大"):
        validate_input(bomb)
    assert time.perf_counter() - started < 1
