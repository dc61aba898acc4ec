"""Excel and CSV input: workbooks built from forms, cell-located errors, encodings, hostile files."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest

from generator.errors import FileAccessError, InputError
from generator.forms import write_form
from generator.load import load_source
from generator.pipeline import build_report, validate_input
from schemas import KINDS
from tests.helpers import EXAMPLES, docx_paragraphs, docx_text

RunCli = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("example", ["task-progress", "performance-review"])
def test_example_workbook_builds_the_same_report_as_the_yaml(example: str, tmp_path: Path) -> None:
    from_yaml, from_workbook = tmp_path / "yaml.docx", tmp_path / "xlsx.docx"
    build_report(EXAMPLES / f"{example}.yaml", from_yaml)
    build_report(EXAMPLES / f"{example}.xlsx", from_workbook)
    assert docx_paragraphs(from_workbook) == docx_paragraphs(from_yaml)


def test_the_example_workbook_merges_the_number_of_continued_tasks() -> None:
    sheet = openpyxl.load_workbook(EXAMPLES / "task-progress.xlsx")["任务"]
    merged = [str(cell_range) for cell_range in sheet.merged_cells.ranges]
    assert merged and all(cell_range.startswith("A") for cell_range in merged)


def test_performance_review_workbook_is_laid_out_like_the_table() -> None:
    sheet = openpyxl.load_workbook(EXAMPLES / "performance-review.xlsx")["目标"]
    assert [cell.value for cell in sheet[1]] == [
        "考评维度",
        "目标（指标）名称",
        "重点目标",
        "考核内容及指标",
        "工作完成情况",
    ]
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    # one 考评维度 over all 16 rows; 重点项目建设 (name and 重点目标) over its five rows
    assert merged == {"A2:A17", "B3:B7", "C3:C7"}
    assert sheet["B2"].value == "小区改造" and sheet["C2"].value == "是"
    completion = str(sheet["E2"].value)
    assert completion.startswith("1.完成情况。一是健全政策体系。总结杭州老旧小区改造经验做法")
    assert "\n2.工作举措。一是坚持居民主体。" in completion


def test_performance_review_cells_are_read_back_as_structure() -> None:
    """The example workbook's 工作完成情况 cells come back as entries, parts and items."""
    checked = validate_input(EXAMPLES / "performance-review.xlsx")
    report = checked.report.model_dump()
    first = report["dimensions"][0]["targets"][0]
    assert first["key"] is True and first["name"] == "小区改造"
    assert [entry["heading"] for entry in first["completion"]] == [
        "完成情况",
        "工作举措",
        "工作成效",
    ]
    item = first["completion"][0]["items"][0]
    assert item["heading"] == "健全政策体系" and item["text"]
    assert (item["points"], item["items"], item["responsible"]) == ([], [], [])
    assert len(first["completion"][1]["items"]) == 6
    project = report["dimensions"][0]["targets"][1]
    assert [part["heading"] for part in project["completion"][0]["parts"]] == [
        "完成情况",
        "工作措施",
        "工作成效",
    ]
    assert len(project["continued"]) == 4


def fill_form(
    path: Path,
    rows: list[list[object]],
    figures: list[list[object]] | None = None,
    *,
    sheet: str = "任务",
    merges: tuple[str, ...] = (),
) -> None:
    """Fill a form as staff would: 基本信息, the table rows (example row replaced), 指标."""
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
    table = workbook[sheet]
    table.delete_rows(2, table.max_row)
    for values in rows:
        table.append(values)
    for cell_range in merges:
        table.merge_cells(cell_range)
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
    assert any(m.startswith("tasks.xlsx:任务!E2  进展状态：不能填写“按期推进”") for m in messages)
    assert any(m.startswith("tasks.xlsx:任务!B3  主要工作任务：缺少必填字段") for m in messages)


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
    message, *_ = problems_of(form)  # the value it lacks may be reported at the same cell too
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


def test_a_csv_holding_one_table_is_not_a_whole_report(tmp_path: Path) -> None:
    table = tmp_path / "tasks.csv"
    table.write_text(CSV_TEXT, encoding="utf-8")
    with pytest.raises(FileAccessError, match="只有一张表，没有“基本信息”") as caught:
        validate_input(table)
    assert "figures_from" in str(caught.value) and "huibao form" in str(caught.value)


def test_csv_form_round_trip(run_cli: RunCli, tmp_path: Path) -> None:
    """A CSV form, filled in a text editor and saved as Chinese Excel saves CSV (GB18030)."""
    form = tmp_path / "任务.csv"
    code, out, _ = run_cli("form", "task-progress", "-o", str(form))
    assert code == 0 and "huibao build" in out
    written = form.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel opens it as UTF-8"
    lines = written.decode("utf-8-sig").splitlines()
    assert lines[:3] == ["基本信息", "项目,内容", "报告类型,task-progress"]
    assert "指标" in lines and "任务" in lines
    assert lines[lines.index("任务") + 1] == "序号,主要工作任务,进展情况,牵头部门,进展状态"
    filled = "\r\n".join(
        [
            "基本信息",
            "项目,内容",
            "报告类型,task-progress",
            "标题,2024年某市重点工作执行情况",
            "发文机关,某市政府办公室",
            "年度,2024",
            "指标",
            "名称,数值,单位,目标",
            "道路里程,88,公里,75",
            "任务",
            "序号,主要工作任务,进展情况,牵头部门,进展状态",
            '1,新建城市道路75公里。,"1.新建城市道路{道路里程}。\n2.完成率{道路里程.完成率}。",'
            "市建委、市交通局,按时推进",
            ",续建快速路。,正常推进,市建委,进度较快",
            "2,建设绿道500公里。,已建成597公里。,市园文局,按期推进",
        ]
    )
    form.write_bytes(filled.encode("gb18030"))
    output = tmp_path / "任务.docx"
    code, _, err = run_cli("build", str(form), "-o", str(output))
    assert code == 1 and "任务.csv:E14" in err and "不能填写“按期推进”" in err
    form.write_bytes(filled.replace("按期推进", "按时推进").encode("gb18030"))
    code, _, err = run_cli("build", str(form), "-o", str(output))
    assert code == 0, err
    assert "GB18030" in err, "the note says which encoding was guessed"
    text = docx_text(output)
    assert "2024年某市重点工作执行情况" in text
    assert "1.新建城市道路88公里。\n2.完成率117.3%。" in text and "续建快速路。" in text


@pytest.mark.parametrize("example", ["task-progress", "performance-review"])
def test_csv_form_filled_from_the_example_builds_the_same_report(
    example: str, tmp_path: Path
) -> None:
    source = load_source(EXAMPLES / f"{example}.yaml")
    form = tmp_path / f"{example}.csv"
    write_form(KINDS[example], form, source.data)
    from_yaml, from_csv = tmp_path / "yaml.docx", tmp_path / "csv.docx"
    build_report(EXAMPLES / f"{example}.yaml", from_yaml)
    build_report(form, from_csv)
    assert docx_paragraphs(from_csv) == docx_paragraphs(from_yaml)


def test_figures_from_takes_the_figures_section_of_a_csv_report(tmp_path: Path) -> None:
    report = tmp_path / "指标.csv"
    write_form(KINDS["task-progress"], report)
    # the form's example figure, its 来源 cleared as staff would when keeping it
    text = report.read_text(encoding="utf-8-sig")
    report.write_text(text.replace("（示例，填写时删除本行）", ""), encoding="utf-8-sig")
    source = tmp_path / "summary.yaml"
    source.write_text(SUMMARY, encoding="utf-8")
    checked = validate_input(source)
    assert checked.report.model_dump()["sections"][0]["text"] == ["新增道路88公里。"]


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


def fill_targets(
    path: Path,
    rows: list[list[object]],
    figures: list[list[object]] | None = None,
    merges: tuple[str, ...] = (),
) -> None:
    """Fill a performance-review form: its table rows are on the 目标 sheet."""
    fill_form(path, rows, figures, sheet="目标", merges=merges)


def test_performance_review_form_round_trip(run_cli: RunCli, tmp_path: Path) -> None:
    form = tmp_path / "考评.xlsx"
    code, out, _ = run_cli("form", "performance-review", "-o", str(form))
    assert code == 0 and "huibao build" in out
    workbook = openpyxl.load_workbook(form)
    assert workbook.sheetnames == ["说明", "基本信息", "指标", "目标"]
    assert "工作完成情况" in "\n".join(str(c.value) for c in workbook["说明"]["A"])
    fill_targets(
        form,
        [
            [
                "日常履职",
                "★道路建设",
                None,
                "1.新建道路75公里。\n2.建成支路10公里。",
                "1.完成情况。新建道路{道路里程}，完成率{道路里程.完成率}。\n"
                "2.工作举措。一是加强统筹。按月调度。二是强化督查。\n"
                "3.工作成效。通行条件改善。",
            ],
            [None, "★道路建设", None, "建设慢行过街设施3处。", "建成4处，完成率133%。"],
            ["日常履职", "垃圾分类", "否", "生活垃圾回收利用率60%。", "达到61%。"],
            ["改革创新", "数字化改革", None, "上线一个应用。", "已上线。"],
        ],
        [["道路里程", "88", "公里", "75"]],
        merges=("A2:A4", "B2:B3"),
    )
    output = tmp_path / "考评.docx"
    code, _, err = run_cli("build", str(form), "-o", str(output))
    assert code == 0, err
    (table,) = docx.Document(str(output)).tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[1][:2] == ["日常履职", "★道路建设"] and cells[2][:2] == ["日常履职", "★道路建设"]
    assert cells[1][2] == "1.新建道路75公里。\n2.建成支路10公里。"
    assert cells[1][3] == (
        "1.完成情况。新建道路88公里，完成率117.3%。\n"
        "2.工作举措。一是加强统筹。按月调度。二是强化督查。\n3.工作成效。通行条件改善。"
    )
    assert cells[2][3] == "建成4处，完成率133%。"
    assert cells[3][:2] == ["日常履职", "垃圾分类"]
    assert cells[4][:2] == ["改革创新", "数字化改革"]


def make_targets_form(tmp_path: Path) -> Path:
    form = tmp_path / "考评.xlsx"
    write_form(KINDS["performance-review"], form)
    return form


def test_performance_review_errors_name_the_cell(tmp_path: Path) -> None:
    form = make_targets_form(tmp_path)
    fill_targets(
        form,
        [
            ["日常履职", "道路建设", None, None, "已完成。"],
            [None, None, None, "续行指标。", "一是"],
        ],
    )
    messages = problems_of(form)
    assert any(
        m.startswith("考评.xlsx:目标!D2  考核内容及指标：缺少必填字段")
        and "请填写“考核内容及指标”" in m
        for m in messages
    ), messages
    assert len(messages) == 1, "一是 alone is kept as text, not an empty item"


def test_key_mark_and_key_column_must_agree(tmp_path: Path) -> None:
    form = make_targets_form(tmp_path)
    fill_targets(
        form,
        [
            ["日常履职", "★道路建设", "否", "指标。", "已完成。"],
            [None, None, "是", "续行指标。", "续行完成情况。"],
        ],
    )
    messages = problems_of(form)
    assert any(m.startswith("考评.xlsx:目标!C2") and "名称前有 ★" in m for m in messages)
    assert any(m.startswith("考评.xlsx:目标!C3") and "续行的“重点目标”" in m for m in messages)


def test_missing_info_value_names_its_cell(tmp_path: Path) -> None:
    form = make_targets_form(tmp_path)
    fill_targets(form, [["日常履职", "道路建设", None, "指标。", "完成。"]])
    workbook = openpyxl.load_workbook(form)
    info = workbook["基本信息"]
    title_row = next(row for row in info.iter_rows(min_row=2) if row[0].value == "标题")
    title_row[1].value = None
    workbook.save(form)
    (message,) = problems_of(form)
    assert message.startswith(f"考评.xlsx:基本信息!B{title_row[0].row}  标题：缺少必填字段")
    assert "请填写“标题”" in message


def test_performance_review_workbook_needs_its_targets_sheet(tmp_path: Path) -> None:
    form = make_targets_form(tmp_path)
    fill_targets(form, [["日常履职", "道路建设", None, "指标。", "完成。"]])
    workbook = openpyxl.load_workbook(form)
    del workbook["目标"]
    workbook.save(form)
    (message,) = problems_of(form)
    assert "考评.xlsx" in message and "没有“目标”工作表" in message
