"""Spreadsheet input never loses, invents or mangles content: what a hostile tester tried.

Every workbook is a real .xlsx written by openpyxl; where openpyxl cannot write what Excel, WPS
or LibreOffice write (a formula's saved result, an error value, a merge over the whole sheet),
the sheet's XML is patched inside the zip. Every CSV is real bytes in the encoding and layout
Chinese Excel saves. Builds run through the CLI: exit code, the Chinese message with its cell,
the text of the .docx, no traceback and no .docx when refused.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import given
from openpyxl.styles import Border, Side

from generator.forms import write_form
from generator.load import load_source
from generator.pipeline import build_report
from generator.spreadsheet import EXAMPLE_MARK
from generator.xlsx import displayed_number, format_number
from schemas import KINDS
from tests.helpers import EXAMPLES, docx_text
from tests.test_properties import DEPARTMENT, TEXT

RunCli = Callable[..., tuple[int, str, str]]
Rows = Sequence[Sequence[Any]]
"""Rows of a sheet as openpyxl appends them: any cell values."""

INFO: list[list[Any]] = [
    ["项目", "内容"],
    ["报告类型", "task-progress"],
    ["标题", "2024年某市重点工作执行情况"],
    ["发文机关", "某市政府办公室"],
    ["年度", 2024],
]
TASK_HEADER: list[Any] = ["序号", "主要工作任务", "进展情况", "牵头部门", "进展状态"]
FIGURE_HEADER: list[Any] = ["名称", "数值", "单位", "目标"]
TASK: list[Any] = [1, "新建城市道路。", "新建{道路里程}。", "市建委", "按时推进"]
ROAD: list[Any] = ["道路里程", 88, "公里", 75]


def workbook(path: Path, sheets: Mapping[str, Rows]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def task_book(
    path: Path,
    tasks: Rows | None = None,
    figures: Rows | None = None,
    *,
    info: Rows | None = None,
    extra: Mapping[str, Rows] | None = None,
) -> Path:
    """A filled task-progress workbook: 基本信息, 指标 and 任务 (and any ``extra`` sheets)."""
    sheets: dict[str, Rows] = {
        "基本信息": info or INFO,
        "指标": [FIGURE_HEADER, *([ROAD] if figures is None else figures)],
        "任务": [TASK_HEADER, *(tasks or [TASK])],
        **(extra or {}),
    }
    return workbook(path, sheets)


def edit_sheet_xml(path: Path, sheet: str, edit: Callable[[str], str]) -> None:
    """Rewrite one worksheet's XML inside the zip (openpyxl names them sheetN.xml in order)."""
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(
                info, edit(data.decode("utf-8")).encode("utf-8") if info.filename == part else data
            )


def set_cells(path: Path, sheet: str, cells: dict[str, str]) -> None:
    """Replace cells (which must exist) by XML as Excel writes it, e.g. a formula and its result."""

    def edit(xml: str) -> str:
        for reference, replacement in cells.items():
            pattern = rf'<c r="{reference}"(?: [^>]*)?(?:/>|>.*?</c>)'
            xml, found = re.subn(pattern, replacement, xml, count=1)
            assert found == 1, reference
        return xml

    edit_sheet_xml(path, sheet, edit)


def add_merges(path: Path, sheet: str, *ranges: str) -> None:
    merges = "".join(f'<mergeCell ref="{cell_range}"/>' for cell_range in ranges)
    edit_sheet_xml(
        path,
        sheet,
        lambda xml: xml.replace(
            "</sheetData>",
            f'</sheetData><mergeCells count="{len(ranges)}">{merges}</mergeCells>',
            1,
        ),
    )


def refused(run_cli: RunCli, source: Path) -> str:
    """``huibao build`` refuses ``source``: exit 1, a message, no traceback, no .docx."""
    output = source.with_suffix(".docx")
    code, _, err = run_cli("build", str(source), "-o", str(output))
    assert code == 1, err
    assert "Traceback" not in err and not output.exists()
    return err


def built(run_cli: RunCli, source: Path) -> tuple[str, str]:
    """``huibao build`` makes the .docx: its text, and what was printed on stderr (warnings)."""
    output = source.with_suffix(".docx")
    code, _, err = run_cli("build", str(source), "-o", str(output))
    assert code == 0, err
    return docx_text(output), err


# --- 1. a figure defined twice --------------------------------------------------------------


def test_a_figure_twice_in_the_figures_sheet_names_both_cells(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = task_book(tmp_path / "任务.xlsx", figures=[ROAD, ["合计", 1, "个"], ["道路里程", 90]])
    err = refused(run_cli, source)
    assert "任务.xlsx:指标!A4  指标“道路里程”重复出现（第一次在 指标!A2）" in err


def test_a_figure_twice_across_the_figures_sheet_and_its_continuation(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = task_book(tmp_path / "任务.xlsx", extra={"指标 (2)": [FIGURE_HEADER, ROAD]})
    err = refused(run_cli, source)
    assert "任务.xlsx:指标 (2)!A2  指标“道路里程”重复出现（第一次在 指标!A2）" in err


REPORT_CSV = [
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
    '1,新建城市道路。,"1.新建{道路里程}。\n2.完成率{道路里程.完成率}。",市建委、市交通局,按时推进',
]


def csv_report(path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


def test_a_figure_twice_in_a_csv_report_names_both_cells(run_cli: RunCli, tmp_path: Path) -> None:
    lines = [*REPORT_CSV]
    lines.insert(9, "道路里程,90,公里")
    err = refused(run_cli, csv_report(tmp_path / "报告.csv", lines))
    assert "报告.csv:A10  指标“道路里程”重复出现（第一次在 A9）" in err


SUMMARY = (
    "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"
    "figures_from: {name}\nsections:\n  - heading: 主要工作\n    text: 新增道路{{道路里程}}。\n"
)


def summary(tmp_path: Path, figures_from: str) -> Path:
    source = tmp_path / "总结.yaml"
    source.write_text(SUMMARY.format(name=figures_from), encoding="utf-8")
    return source


def test_a_figure_twice_in_a_figures_from_file_names_both_cells_and_the_yaml_line(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "指标.csv").write_text(
        "名称,数值,单位\n道路里程,88,公里\n道路里程,90,公里\n", encoding="utf-8"
    )
    err = refused(run_cli, summary(tmp_path, "指标.csv"))
    assert "指标.csv:A3  指标“道路里程”重复出现（第一次在 A2）" in err
    assert "总结.yaml:5:15" in err and "figures_from 引用的文件“指标.csv”有问题" in err


# --- 2. numbers as Excel shows them -----------------------------------------------------------


def test_formula_results_print_as_excel_shows_them(run_cli: RunCli, tmp_path: Path) -> None:
    """Excel saves a formula's binary double in full; the report never shows its noise."""
    progress = "甲{甲}，乙{乙}，丙{丙}，丁{丁}，戊{戊}，己{己}。"
    names = ["甲", "乙", "丙", "丁", "戊", "己"]
    source = task_book(
        tmp_path / "任务.xlsx",
        [[1, "任务。", progress, "某局", None]],
        [[name, 1, None] for name in names],
    )
    book = openpyxl.load_workbook(source)
    book["指标"]["B6"].number_format = "0.0%"
    book["指标"]["B7"].number_format = "#,##0.00"
    book.save(source)
    set_cells(
        source,
        "指标",
        {
            "B2": '<c r="B2"><f>0.1+0.2</f><v>0.30000000000000004</v></c>',
            "B3": '<c r="B3"><f>1.1*3</f><v>3.3000000000000003</v></c>',
            "B4": '<c r="B4"><v>12345678901234567</v></c>',  # an integer stays exact
            "B5": '<c r="B5"><f>B4/B4*1220</f><v>1220.0000000000002</v></c>',
            "B6": '<c r="B6" s="1"><f>0.824*1</f><v>0.82400000000000007</v></c>',
            "B7": '<c r="B7" s="2"><f>2/3</f><v>0.66666666666666663</v></c>',
        },
    )
    text, _ = built(run_cli, source)
    assert "甲0.3，乙3.3，丙12345678901234567，丁1220，戊82.4%，己0.67。" in text


@pytest.mark.parametrize(
    ("saved", "number_format", "shown"),
    [
        ("0.30000000000000004", "General", "0.3"),
        ("0.7999999999999999", "General", "0.8"),
        ("1E-3", "General", "0.001"),
        ("1.2345678901234567E+19", "General", "12345678901234600000"),
        ("12345678901234567", "General", "12345678901234567"),
        ("0.824", "0.0%", "82.4%"),
        ("0.8249", "0%", "82%"),
        ("2.675", "0.00", "2.68"),
        ("1234.5", '#,##0"元"', "1235元"),
        ("88", '0"公里"', "88公里"),
        ("82.4", '0.0"%"', "82.4%"),
        ("3", 'G/通用格式"个"', "3个"),
        ("5", "\\第0\\名", "第5名"),
        ("1220", "[$¥-804]#,##0.00", "1220"),
        ("-1.5", "0.0_ ;[Red]\\-0.0\\ ", "-1.5"),
        ("88", "0.00", "88"),
        ("45292", "yyyy-mm-dd", "2024-01-01"),
        ("45292.5", 'yyyy"年"m"月"d"日" h:mm', "2024-01-01 12:00"),
        ("0.5", "h:mm", "12:00"),
        ("3.14159", "@", "3.14159"),
        ("1234567", "0.0,,", "1234567"),
    ],
)
def test_numbers_read_as_excel_displays_them(saved: str, number_format: str, shown: str) -> None:
    assert format_number(displayed_number(saved), number_format) == shown


# --- 3. content silently ignored ----------------------------------------------------------------


def test_a_repeated_column_and_a_column_without_header(run_cli: RunCli, tmp_path: Path) -> None:
    source = task_book(tmp_path / "任务.xlsx", [[*TASK, "备注文字", "另一段进展。"]])
    book = openpyxl.load_workbook(source)
    book["任务"]["G1"] = "进展情况"
    book.save(source)
    err = refused(run_cli, source)
    assert "任务.xlsx:任务!G1  列名“进展情况”重复出现（第一次在 任务!C1）" in err
    assert "任务.xlsx:任务!F2  F 列有内容，但没有列名，其中的内容不会读取" in err


def test_info_items_repeated_unlabelled_or_in_a_third_column(
    run_cli: RunCli, tmp_path: Path
) -> None:
    info = [*INFO, ["标题", "又一个标题"], ["发文机关", "某局", "（盖章）"], [None, "特此报告。"]]
    err = refused(run_cli, task_book(tmp_path / "任务.xlsx", info=info))
    assert "任务.xlsx:基本信息!A6  项目“标题”重复出现（第一次在 基本信息!A3）" in err
    assert "任务.xlsx:基本信息!C7  “基本信息”只有两列（项目、内容），这一格的内容不会读取" in err
    assert "任务.xlsx:基本信息!B8  这一格有内容，但左边没有项目名称" in err


def test_a_figure_row_without_a_name(run_cli: RunCli, tmp_path: Path) -> None:
    err = refused(run_cli, task_book(tmp_path / "任务.xlsx", figures=[ROAD, [None, 5, "个"]]))
    assert "任务.xlsx:指标!A3  这一行有内容，但没有填写“名称”" in err


def test_csv_cells_beyond_the_header(run_cli: RunCli, tmp_path: Path) -> None:
    lines = [*REPORT_CSV]
    lines[8] = "道路里程,1,220,公里,75"  # an unquoted thousands separator
    err = refused(run_cli, csv_report(tmp_path / "报告.csv", lines))
    assert "报告.csv:E9  这一行比列名行多出了单元格" in err and "英文逗号" in err


def test_content_above_the_header_row(run_cli: RunCli, tmp_path: Path) -> None:
    source = task_book(tmp_path / "任务.xlsx")
    book = openpyxl.load_workbook(source)
    book["任务"].insert_rows(1)
    book["任务"]["A1"] = "2024年重点工作执行情况表"
    book.save(source)
    err = refused(run_cli, source)
    assert "任务.xlsx:任务!A1  第 1 行在列名行之上，其中的内容不会读取" in err
    assert "不认识的列名" not in err


def test_sheets_named_like_the_table_continue_it(run_cli: RunCli, tmp_path: Path) -> None:
    """任务（续）, 任务3 …: read after 任务, in workbook order; 说明 and hidden sheets are skipped."""
    continued = [None, "续建快速路。", "正常推进。", "市建委", None]
    source = task_book(
        tmp_path / "任务.xlsx",
        extra={
            "任务（续）": [TASK_HEADER, continued, [2, "建设绿道。", "已建成。", "市园文局", None]],
            "任务3": [TASK_HEADER, [3, "改造小区。", "已开工。", "市住建局", None]],
            "说明": [["填表人：张三"]],
        },
    )
    book = openpyxl.load_workbook(source)
    book.move_sheet("任务（续）", offset=-2)  # before 任务 in the workbook: 任务 still comes first
    book.create_sheet("下拉").append(["按时推进"])
    book["下拉"].sheet_state = "hidden"  # where dropdown lists live: ignored
    book.save(source)
    text, err = built(run_cli, source)
    order = ["1\n新建城市道路。", "\n\n续建快速路。", "2\n建设绿道。", "3\n改造小区。"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "警告" not in err


def test_another_sheet_that_looks_like_the_table_is_an_error(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = task_book(
        tmp_path / "任务.xlsx", extra={"Sheet2": [TASK_HEADER, [2, "另一任务。", "x。", "某局"]]}
    )
    err = refused(run_cli, source)
    assert "任务.xlsx:Sheet2!A1  工作表“Sheet2”的列名与“任务”表相同，但它的内容不会写入报告" in err
    assert "改名为“任务（续）”" in err


def test_a_sheet_of_another_kind_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    target_header = ["考评维度", "目标（指标）名称", "考核内容及指标", "工作完成情况"]
    source = task_book(
        tmp_path / "任务.xlsx", extra={"目标": [target_header, ["履职", "x", "y", "z"]]}
    )
    err = refused(run_cli, source)
    assert "任务.xlsx:目标!A1  重点工作执行情况表不使用“目标”表" in err


def test_another_sheet_with_other_content_is_a_warning(run_cli: RunCli, tmp_path: Path) -> None:
    source = task_book(tmp_path / "任务.xlsx", extra={"计算": [["月份", "里程"], [1, 7]]})
    text, err = built(run_cli, source)
    assert "新建88公里。" in text
    assert "任务.xlsx:计算!A1  工作表“计算”不是 huibao 读取的工作表，其中的内容没有写入报告" in err


# --- 4. Excel error values ----------------------------------------------------------------------


def test_saved_error_values_are_errors_naming_the_cell(run_cli: RunCli, tmp_path: Path) -> None:
    source = task_book(tmp_path / "任务.xlsx", [TASK, [2, "任务二。", "x", "某局", None]])
    set_cells(source, "指标", {"B2": '<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'})
    set_cells(source, "任务", {"C3": '<c r="C3" t="e"><f>VLOOKUP(9,A:A,2)</f><v>#N/A</v></c>'})
    err = refused(run_cli, source)
    assert "任务.xlsx:指标!B2  单元格中是 Excel 错误值 #DIV/0!" in err
    assert "任务.xlsx:任务!C3  单元格中是 Excel 错误值 #N/A" in err
    assert "除数为 0" in err


@pytest.mark.parametrize("value", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#SPILL!"])
def test_error_values_in_a_csv_are_errors(run_cli: RunCli, tmp_path: Path, value: str) -> None:
    lines = [*REPORT_CSV]
    lines[8] = f"道路里程,{value},公里,75"
    err = refused(run_cli, csv_report(tmp_path / "报告.csv", lines))
    assert f"报告.csv:B9  单元格中是 Excel 错误值 {value}" in err


# --- 5. the form's example rows -----------------------------------------------------------------


def fill_info(form: Path) -> openpyxl.Workbook:
    book = openpyxl.load_workbook(form)
    front: dict[str, Any] = {
        "标题": "2024年某市重点工作执行情况",
        "发文机关": "某市政府办公室",
        "年度": 2024,
    }
    for row in book["基本信息"].iter_rows(min_row=2):
        row[1].value = front.get(str(row[0].value), row[1].value)
    return book


def test_a_form_still_holding_its_example_rows_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    form = tmp_path / "任务.xlsx"
    assert run_cli("form", "task-progress", "-o", str(form))[0] == 0
    book = fill_info(form)
    book["任务"].append([1, "真实的任务。", "进展{道路里程}。", "某局", None])
    book.save(form)
    err = refused(run_cli, form)
    assert f"任务.xlsx:任务!B2  第 2 行是表单自带的示例（含“{EXAMPLE_MARK}”）" in err
    assert f"任务.xlsx:指标!G2  第 2 行是表单自带的示例（含“{EXAMPLE_MARK}”）" in err
    book = openpyxl.load_workbook(form)
    book["任务"].delete_rows(2)
    book["指标"].delete_rows(2)
    book["指标"].append(["道路里程", "88", "公里"])
    book.save(form)
    text, _ = built(run_cli, form)
    assert "1\n真实的任务。\n进展88公里。" in text and "示例" not in text


@pytest.mark.parametrize("kind", ["task-progress", "performance-review"])
def test_csv_forms_are_refused_with_their_example_rows(
    run_cli: RunCli, tmp_path: Path, kind: str
) -> None:
    form = tmp_path / "表.csv"
    assert run_cli("form", kind, "-o", str(form))[0] == 0
    err = refused(run_cli, form)
    assert err.count("是表单自带的示例") == 2


@pytest.mark.parametrize("kind", ["task-progress", "performance-review"])
def test_forms_filled_from_a_report_hold_no_example(tmp_path: Path, kind: str) -> None:
    form = tmp_path / f"{kind}.xlsx"
    write_form(KINDS[kind], form, load_source(EXAMPLES / f"{kind}.yaml").data)
    for filled in (EXAMPLES / f"{kind}.xlsx", form):
        book = openpyxl.load_workbook(filled)
        cells = [
            str(cell.value)
            for sheet in book
            if sheet.title != "说明"  # the instructions name the mark
            for row in sheet.iter_rows()
            for cell in row
        ]
        assert cells and not any(EXAMPLE_MARK in cell for cell in cells)


# --- 6. a huge sheet extent ---------------------------------------------------------------------


def test_stray_formatting_far_away_costs_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    """A formatted cell at XFD1048576, borders down 3000 rows, a merge over the rest of a sheet:
    the sheet's extent is huge, its content two rows."""
    source = task_book(
        tmp_path / "任务.xlsx", [TASK, [None, "续建快速路。", "正常推进。", "市建委"]]
    )
    book = openpyxl.load_workbook(source)
    thin = Side(style="thin")
    tasks = book["任务"]
    for row in range(1, 3001):
        for column in range(1, 6):
            tasks.cell(row, column).border = Border(top=thin, bottom=thin, left=thin, right=thin)
    tasks.cell(1048576, 16384).border = Border(top=thin)
    book["指标"].cell(1048576, 16384).number_format = "0.00"
    book.save(source)
    add_merges(source, "基本信息", "C1:XFD1048576")
    add_merges(source, "任务", "A2:A1048576", "F1:XFD1048576")
    text, _ = built(run_cli, source)
    assert "1\n新建城市道路。\n新建88公里。\n市建委\n按时推进\n\n续建快速路。\n正常推进。" in text


# --- 7. a formula's saved empty result ----------------------------------------------------------


def test_a_saved_empty_formula_result_is_an_empty_cell(run_cli: RunCli, tmp_path: Path) -> None:
    """``=IF(…,"",ROW()-1)`` numbering: an empty result continues the task above."""
    rows = [
        TASK,
        [9, "续行任务。", "续行进展。", "某局", None],
        [9, "任务二。", "进展二。", "某局"],
    ]
    source = task_book(tmp_path / "任务.xlsx", rows)
    set_cells(
        source,
        "任务",
        {
            "A2": '<c r="A2"><f>IF(B2="续行任务。","",ROW()-1)</f><v>1</v></c>',
            "A3": '<c r="A3" t="str"><f>IF(B3="续行任务。","",ROW()-1)</f><v></v></c>',
            "A4": '<c r="A4"><f>IF(B4="续行任务。","",ROW()-2)</f><v>2</v></c>',
        },
    )
    text, _ = built(run_cli, source)
    assert "1\n新建城市道路。" in text and "\n\n续行任务。" in text and "2\n任务二。" in text


def test_a_formula_never_calculated_is_still_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    source = task_book(tmp_path / "任务.xlsx", figures=[["道路里程", "=80+8", "公里"]])
    err = refused(run_cli, source)
    assert "任务.xlsx:指标!B2  公式 =80+8 没有保存计算结果" in err


# --- 8. CSV as Chinese Excel saves it -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("semicolons in GB18030", lambda text: text.replace(",", ";").encode("gb18030")),
        ("sep= line", lambda text: ("sep=;\r\n" + text.replace(",", ";")).encode("utf-8")),
        ("Unicode 文本", lambda text: b"\xff\xfe" + text.replace(",", "\t").encode("utf-16-le")),
        ("UTF-16 BE", lambda text: b"\xfe\xff" + text.replace(",", "\t").encode("utf-16-be")),
    ],
)
def test_csv_delimiters_and_utf16_as_excel_writes_them(
    run_cli: RunCli, tmp_path: Path, name: str, encode: Callable[[str], bytes]
) -> None:
    lines = [line.replace("市建委、市交通局", "市建委") for line in REPORT_CSV]
    lines[11] = lines[11].replace("新建城市道路。", "新建城市道路，含支路。")  # a comma in a cell
    source = tmp_path / "报告.csv"
    source.write_bytes(encode("\r\n".join(lines)))
    text, _ = built(run_cli, source)
    assert "新建城市道路，含支路。\n1.新建88公里。\n2.完成率117.3%。\n市建委" in text, name


def test_utf16_without_its_mark_is_named(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "报告.csv"
    source.write_bytes("\r\n".join(REPORT_CSV).replace(",", "\t").encode("utf-16-le"))
    err = refused(run_cli, source)
    assert "看起来是没有 BOM 标记的 UTF-16 文本" in err and "CSV UTF-8" in err


# --- 9. a merged header cell --------------------------------------------------------------------


def test_a_merged_header_names_the_hidden_title(run_cli: RunCli, tmp_path: Path) -> None:
    source = task_book(tmp_path / "任务.xlsx")
    add_merges(source, "任务", "B1:C1")
    err = refused(run_cli, source)
    assert "任务.xlsx:任务!B1  列名单元格 B1:C1 是合并单元格，遮住了 C 列的列名" in err
    assert "表中缺少的列名：进展情况" in err


def test_merges_in_the_body_go_down_never_across(run_cli: RunCli, tmp_path: Path) -> None:
    rows = [TASK, [None, "续建快速路。", "正常推进。", None, None]]
    source = task_book(tmp_path / "任务.xlsx", rows)
    add_merges(source, "任务", "D2:D3")
    text, _ = built(run_cli, source)
    assert "续建快速路。\n正常推进。\n市建委" in text  # the merged 牵头部门 reaches row 3
    source = task_book(tmp_path / "横.xlsx", [[1, "任务。", "进展。", None, None]])
    add_merges(source, "任务", "C2:D2")
    err = refused(run_cli, source)
    assert "横.xlsx:任务!C2  单元格 C2:D2 把“进展情况”、“牵头部门”几列合并成了一格" in err


# --- 10. figures_from that cannot be used -------------------------------------------------------


def test_figures_from_a_missing_file_names_the_yaml_line(run_cli: RunCli, tmp_path: Path) -> None:
    err = refused(run_cli, summary(tmp_path, "2024指标.xlsx"))
    assert (
        "总结.yaml:5:15" in err
        and "figures_from 引用的文件“2024指标.xlsx”无法读取：文件不存在" in err
    )
    assert str(tmp_path) in err


def test_figures_from_an_unreadable_or_wrong_file_names_the_yaml_line(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "坏.xlsx").write_text("名称,数值\n", encoding="utf-8")
    err = refused(run_cli, summary(tmp_path, "坏.xlsx"))
    assert "总结.yaml:5:15" in err and "这不是有效的 Excel 工作簿" in err
    workbook(tmp_path / "无指标.xlsx", {"数据": [["名称", "数值"]]})
    err = refused(run_cli, summary(tmp_path, "无指标.xlsx"))
    assert "总结.yaml:5:15" in err and "工作簿中没有“指标”工作表" in err
    (tmp_path / "指标.csv").write_bytes(b"\xff\xfe\x00\xd8")  # a lone surrogate
    err = refused(run_cli, summary(tmp_path, "指标.csv"))
    assert "总结.yaml:5:15" in err and "指标.csv:1  文件以 UTF-16 编码的标记开头" in err


# --- 11. the form's notes speak spreadsheet -----------------------------------------------------


YAML_WORDS = re.compile(r"\b(?:date|heading|text|true|false|list|yaml)\b|写成列表|YAML", re.I)


@pytest.mark.parametrize("kind", ["task-progress", "performance-review", "work-summary"])
def test_form_notes_are_worded_for_a_spreadsheet(tmp_path: Path, kind: str) -> None:
    form = tmp_path / "表.xlsx"
    write_form(KINDS[kind], form)
    book = openpyxl.load_workbook(form)
    notes = [
        cell.comment.text
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None
    ]
    assert notes
    assert [note for note in notes if YAML_WORDS.search(note)] == []
    if kind in ("task-progress", "performance-review"):
        instructions = "\n".join(str(cell.value) for cell in book["说明"]["A"] if cell.value)
        assert not YAML_WORDS.search(instructions)
        title = book["基本信息"]["A3"].comment
        assert title is not None and "Alt+Enter" in title.text
        assert ("执行情况表" if kind == "task-progress" else "绩效考评") in title.text


# --- 12. a missing value names its empty cell ---------------------------------------------------


def test_a_missing_figure_value_names_the_empty_cell(run_cli: RunCli, tmp_path: Path) -> None:
    err = refused(run_cli, task_book(tmp_path / "任务.xlsx", figures=[["道路里程", None, "公里"]]))
    assert "任务.xlsx:指标!B2  数值：" in err  # the empty cell, whatever the wording


# --- siblings a hostile tester finds ------------------------------------------------------------


def test_hidden_rows_columns_and_sheets_are_questions(run_cli: RunCli, tmp_path: Path) -> None:
    rows = [
        TASK,
        [2, "旧任务。", "x。", "某局"],
        [3, "旧任务。", "y。", "某局"],
        [4, "z。", "z。", "某局"],
    ]
    source = task_book(tmp_path / "任务.xlsx", rows)
    book = openpyxl.load_workbook(source)
    book["任务"].row_dimensions[3].hidden = True
    book["任务"].row_dimensions[4].hidden = True
    book["任务"].column_dimensions["E"].hidden = True
    book["指标"].sheet_state = "hidden"
    book.save(source)
    err = refused(run_cli, source)
    assert "任务.xlsx:任务!A3  第 3–4 行是隐藏的，其中有内容" in err
    assert "任务.xlsx:任务!E1  E 列是隐藏的，其中有内容" in err
    assert "任务.xlsx:指标!A1  工作表“指标”是隐藏的" in err


def test_content_under_a_merged_cell_is_reported(run_cli: RunCli, tmp_path: Path) -> None:
    source = task_book(tmp_path / "任务.xlsx", [TASK, [None, "续。", "续进展。", "某局", None]])
    add_merges(source, "任务", "D2:D3")
    err = refused(run_cli, source)
    assert "任务.xlsx:任务!D3  这个单元格被合并单元格 D2:D3 遮住了，但其中还有内容“某局”" in err


def test_excel_escapes_are_decoded_and_control_characters_refused(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = task_book(tmp_path / "任务.xlsx", [[1, "任务。", "1.第一条_x000D_\n2.第二条", "某局"]])
    text, _ = built(run_cli, source)
    assert "1.第一条\n2.第二条" in text and "_x000D_" not in text
    source = task_book(tmp_path / "控制.xlsx", [[1, "任务。", "进展_x0007_。", "某局"]])
    err = refused(run_cli, source)
    assert "控制.xlsx:任务!C2  文字中含有不可见的控制字符 U+0007" in err


def test_strict_open_xml_and_xlsm_read_alike(run_cli: RunCli, tmp_path: Path) -> None:
    source = task_book(tmp_path / "任务.xlsx")
    strict = tmp_path / "严格.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(strict, "w") as target:
        for info in original.infolist():
            text = original.read(info).decode("utf-8")
            for transitional, purl in (
                (
                    "schemas.openxmlformats.org/spreadsheetml/2006/main",
                    "purl.oclc.org/ooxml/spreadsheetml/main",
                ),
                (
                    "schemas.openxmlformats.org/officeDocument/2006/relationships",
                    "purl.oclc.org/ooxml/officeDocument/relationships",
                ),
            ):
                text = text.replace(transitional, purl)
            target.writestr(info, text.encode("utf-8"))
    assert "新建88公里。" in built(run_cli, strict)[0]
    macro = tmp_path / "宏.xlsm"
    shutil.copy(source, macro)
    assert "新建88公里。" in built(run_cli, macro)[0]


def test_old_xls_and_password_protected_workbooks_are_named(
    run_cli: RunCli, tmp_path: Path
) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    (tmp_path / "加密.xlsx").write_bytes(ole)
    err = refused(run_cli, tmp_path / "加密.xlsx")
    assert "旧版 .xls 工作簿，或设置了打开密码" in err
    (tmp_path / "旧.xls").write_bytes(ole)
    err = refused(run_cli, tmp_path / "旧.xls")
    assert "旧版" in err and "另存为" in err and ".xlsx" in err


def test_dates_full_width_numbers_and_long_cells(run_cli: RunCli, tmp_path: Path) -> None:
    info = [*INFO, ["成文日期", dt.date(2021, 9, 8)], ["落款", "是"]]
    figures = [["道路里程", "８８", "公里", "７５"]]
    text, _ = built(run_cli, task_book(tmp_path / "任务.xlsx", info=info, figures=figures))
    assert "新建88公里。" in text and text.endswith("2021年9月8日")
    long_task = [1, "长" * 20001, "进展。", "某局"]
    err = refused(run_cli, task_book(tmp_path / "长.xlsx", [long_task]))
    assert "长.xlsx:任务!B2" in err and "文字太长（20001 字）" in err


def test_a_misspelt_kind_does_not_make_every_item_unknown(run_cli: RunCli, tmp_path: Path) -> None:
    info = [row if row[0] != "报告类型" else ["报告类型", "task progress"] for row in INFO]
    err = refused(run_cli, task_book(tmp_path / "任务.xlsx", info=info))
    assert "不认识的报告类型“task progress”" in err and "是否想写“task-progress”" in err
    assert "不认识的项目" not in err


def test_empty_csv_report(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "空.csv").write_bytes(b"\xef\xbb\xbf")
    assert "文件是空的" in refused(run_cli, tmp_path / "空.csv")


def test_a_decimal_figure_keeps_its_digits(tmp_path: Path) -> None:
    """Text cells are never rounded: only number cells are read as Excel displays them."""
    assert displayed_number("12345678901234567") == Decimal("12345678901234567")
    assert format_number(Decimal("3.14159265358979"), "@") == "3.14159265358979"


def test_csv_sections_continue_like_sheets(run_cli: RunCli, tmp_path: Path) -> None:
    lines = [
        *REPORT_CSV,
        "任务（续）",
        "序号,主要工作任务,进展情况,牵头部门",
        "2,建设绿道。,已建成。,市园文局",
    ]
    text, _ = built(run_cli, csv_report(tmp_path / "报告.csv", lines))
    assert "2\n建设绿道。\n已建成。\n市园文局" in text
    lines = [
        *REPORT_CSV,
        "任务",
        "序号,主要工作任务,进展情况,牵头部门",
        "2,建设绿道。,已建成。,市园文局",
    ]
    err = refused(run_cli, csv_report(tmp_path / "两次.csv", lines))
    assert "两次.csv:A13  “任务”部分出现了两次" in err


def test_csv_with_old_mac_line_ends(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "报告.csv"
    source.write_bytes("\r".join(REPORT_CSV).replace(",", ";").encode("utf-8"))
    text, _ = built(run_cli, source)
    assert "1.新建88公里。" in text


def test_a_title_row_naming_the_info_sheet_is_no_item(run_cli: RunCli, tmp_path: Path) -> None:
    info = [["基本信息"], *INFO]
    text, _ = built(run_cli, task_book(tmp_path / "任务.xlsx", info=info))
    assert text.startswith("2024年某市重点工作执行情况")
    info = [["项目", "2024年"], *INFO[1:]]  # a header row holding a value is not skipped
    err = refused(run_cli, task_book(tmp_path / "错.xlsx", info=info))
    assert "错.xlsx:基本信息!A1  “基本信息”中不认识的项目“项目”" in err


def test_dates_of_a_1904_workbook(run_cli: RunCli, tmp_path: Path) -> None:
    """Old Mac Excel counts dates from 1904: the same serial is four years and a day later."""
    info = [*INFO, ["成文日期", 43716], ["落款", "是"]]
    source = task_book(tmp_path / "任务.xlsx", info=info)
    book = openpyxl.load_workbook(source)
    book["基本信息"]["B6"].number_format = "yyyy-mm-dd"
    book.save(source)
    with zipfile.ZipFile(source) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(source, "w") as archive:
        for member, data in members:
            if member.filename == "xl/workbook.xml":
                data = re.sub(rb"<workbookPr[^>]*/>", b'<workbookPr date1904="1"/>', data)
            archive.writestr(member, data)
    text, _ = built(run_cli, source)
    assert text.endswith("2023年9月9日")  # 43716 is 2019-09-08 in the 1900 system


def test_a_workbook_without_info_names_its_sheets(run_cli: RunCli, tmp_path: Path) -> None:
    source = workbook(tmp_path / "任务.xlsx", {"Sheet1": [TASK_HEADER, TASK]})
    err = refused(run_cli, source)
    assert "工作簿中没有“基本信息”工作表（现有：“Sheet1”）" in err


def save_as_excel_does(path: Path) -> None:
    """Move every text of an openpyxl workbook (inline strings) into a shared-strings part, as
    Excel, WPS and LibreOffice save text; each as rich text (two runs) with a phonetic run (ruby),
    which is not part of the text."""
    strings: list[str] = []
    pattern = re.compile(
        r'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is><t>(.*?)</t></is></c>'
    )
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    for name, data in members.items():
        if name.startswith("xl/worksheets/"):
            members[name] = pattern.sub(
                lambda match: _share(match, strings), data.decode("utf-8")
            ).encode("utf-8")
    items = [
        f"<si><r><t>{escape(text[:1])}</t></r><r><rPr><b/></rPr>"
        f'<t xml:space="preserve">{escape(text[1:])}</t></r>'
        '<rPh sb="0" eb="1"><t>ビ</t></rPh><phoneticPr fontId="1"/></si>'
        for text in strings
    ]
    members["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{"".join(items)}</sst>'
    ).encode()
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats'
        b'.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _share(match: re.Match[str], strings: list[str]) -> str:
    strings.append(html.unescape(match[3]))  # openpyxl writes 中 as &#20013;
    return f'<c r="{match[1]}"{match[2]} t="s"><v>{len(strings) - 1}</v></c>'


def test_shared_strings_as_excel_saves_text(run_cli: RunCli, tmp_path: Path) -> None:
    source = task_book(
        tmp_path / "任务.xlsx", [TASK, [None, "续建快速路。", "正常推进。", "市建委"]]
    )
    save_as_excel_does(source)
    with zipfile.ZipFile(source) as archive:
        assert b"inlineStr" not in archive.read("xl/worksheets/sheet3.xml")
    text, _ = built(run_cli, source)
    assert text.startswith("2024年某市重点工作执行情况")
    assert "1\n新建城市道路。\n新建88公里。\n市建委\n按时推进\n\n续建快速路。" in text


def test_blank_looking_cells_are_empty(run_cli: RunCli, tmp_path: Path) -> None:
    """Spaces, full-width spaces and non-breaking spaces alone are no content; text dates read."""
    info = [*INFO, ["成文日期", "2021/9/8"], ["落款", "是"], ["执行期", "\u3000"]]
    rows = [TASK, ["\u00a0", "续建快速路。", "正常推进。", "市建委", " "]]
    text, _ = built(run_cli, task_book(tmp_path / "任务.xlsx", rows, info=info))
    assert "\n\n续建快速路。\n正常推进。\n市建委" in text and text.endswith("2021年9月8日")
    assert "（" not in text.splitlines()[1]  # no 执行期 line under the title


def test_a_form_filled_from_a_report_keeps_excel_escape_lookalikes(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Text that looks like Excel's ``_x000D_`` escape is written escaped, so it reads back as typed."""
    data = load_source(EXAMPLES / "task-progress.yaml").data
    data["tasks"][0]["task"] = "编号_x0041_与_x000D_保留原样。"
    form = tmp_path / "任务.xlsx"
    write_form(KINDS["task-progress"], form, data)
    text, _ = built(run_cli, form)
    assert "编号_x0041_与_x000D_保留原样。" in text


# a cell typed "=…" is a formula in Excel, and openpyxl writes it as one
CELL_TEXT = TEXT.filter(lambda text: not text.startswith("="))


@given(task=CELL_TEXT, progress=CELL_TEXT, department=DEPARTMENT.filter(lambda t: t[0] != "="))
def test_any_text_in_a_workbook_reaches_the_docx_literally(
    task: str, progress: str, department: str
) -> None:
    """Cells go through the sheet XML reader (inline and shared strings): nothing typed is lost."""
    with tempfile.TemporaryDirectory() as folder:
        source = task_book(Path(folder) / "任务.xlsx", [[1, task, progress, department]], [])
        for shared in (False, True):
            if shared:
                save_as_excel_does(source)
            output = Path(folder) / "out.docx"
            build_report(source, output)
            text = docx_text(output)
            for typed in (task, progress, department):
                assert typed in text


def test_the_unit_a_number_format_shows_is_not_lost(run_cli: RunCli, tmp_path: Path) -> None:
    """82.4 shown as ``82.4%`` by the format ``0.0"%"`` is 82.4%, not a bare 82.4."""
    progress = "达标率{达标率}，里程{道路里程}。"
    figures = [["达标率", 82.4, None], ["道路里程", 88, None, 75]]
    source = task_book(tmp_path / "任务.xlsx", [[1, "任务。", progress, "某局"]], figures)
    book = openpyxl.load_workbook(source)
    book["指标"]["B2"].number_format = '0.0"%"'
    book["指标"]["B3"].number_format = '0"公里"'
    book.save(source)
    text, _ = built(run_cli, source)
    assert "达标率82.4%，里程88公里。" in text
