"""``huibao import --next-year``: every quantity becomes a figure whose last-year value is filled
and whose value waits; validate lists exactly those values; filled in, the report builds with
every 同比 computed."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml

from generator.import_figures import next_year_data
from generator.pipeline import build_report
from tests.helpers import SEEDS, docx_text

RunCli = Callable[..., tuple[int, str, str]]
SEED_000 = SEEDS / "000_d8d9bdc2cfd193d8.txt"


@pytest.fixture(scope="module")
def next_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from generator.cli import app

    folder = tmp_path_factory.mktemp("next-year")
    source = folder / "2020年工作总结.txt"
    shutil.copyfile(SEED_000, source)
    result = CliRunner().invoke(app, ["import", str(source), "--next-year"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "个指标要填写今年的数值" in result.stdout
    draft = folder / "2021年工作总结.yaml"
    assert draft.exists()
    return draft


def _data(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _figures(path: Path) -> dict[str, dict[str, object]]:
    figures = _data(path)["figures"]
    assert isinstance(figures, dict)
    return figures


def test_year_and_title_advance_and_the_date_is_left_to_fill(next_year: Path) -> None:
    data = _data(next_year)
    assert data["year"] == 2021
    assert data["title"] == "嘉兴市住房和城乡建设局2021年工作总结"
    assert "date" not in data


def test_every_quantity_is_a_figure_with_its_last_year_value_or_kept_on_purpose(
    next_year: Path,
) -> None:
    seed = SEED_000.read_text(encoding="utf-8")
    quantities = Counter(
        match[0]
        for match in re.finditer(r"(?<![\d.])\d+(?:[.,]\d+)*", seed)
        # years, dates and ranges of them are not quantities
        if not re.match(r"^(?:年|月|日|[-－]\d)", seed[match.end() :])
        and not re.search(r"(?:月|[-－])$", seed[: match.start()])
    )
    text = next_year.read_text(encoding="utf-8")
    (kept_line,) = [line for line in text.splitlines() if "保留为文字" in line]
    accounted: Counter[str] = Counter()
    for figure in _figures(next_year).values():
        assert figure["value"] is None
        for key in ("last_year", "target"):
            if key in figure:
                accounted[re.match(r"[\d.,]+", str(figure[key]))[0]] += 1  # type: ignore[index]
    for excerpt in re.findall(r"“([^”]*)”", kept_line):
        accounted.update(re.findall(r"(?<![\d.])\d+(?:[.,]\d+)*", excerpt))
    # rates stated after a figure are computed now, and said so in the figure's comment
    for line in text.splitlines():
        if "改为自动计算" in line:
            said = line.split("原文的")[-1]
            accounted.update(re.findall(r"(?<![\d.])\d+(?:[.,]\d+)*", said))
    missing = quantities - accounted
    assert not missing, f"quantities neither a figure nor listed as kept: {missing}"
    assert len(_figures(next_year)) > 90


def test_names_are_short_unique_and_in_reading_order(next_year: Path) -> None:
    figures = _figures(next_year)
    names = list(figures)
    assert len(set(names)) == len(names)
    assert all(len(name) <= 16 and not re.search(r"[\s{}.，。]", name) for name in names)
    assert names[:4] == ["在建工程", "物业小区", "业主", "环卫工人"]
    text = next_year.read_text(encoding="utf-8").split("\nsections:")[1]
    used = [match[1] for match in re.finditer(r"\{([^{}.]+)(?:\.[^{}]+)?\}", text)]
    assert list(dict.fromkeys(used)) == names


def test_stated_rates_become_computed_ones(next_year: Path) -> None:
    text = next_year.read_text(encoding="utf-8")
    figures = _figures(next_year)
    assert "约{建筑业产值}，{建筑业产值.同比}（最终准确数据" in text
    assert figures["建筑业产值"] == {"value": None, "unit": "亿元", "last_year": "1220亿元"}
    # 70 of a planned 85 is the 82.4% stated: the target is found and the rate computed
    assert "计划的{项目开工.目标}项目" in text and "开工率{项目开工.完成率}" in text
    assert "完工{项目完工}，完工率{项目完工.完成率}" in text
    assert figures["项目开工"]["target"] == "85个" and figures["项目完工"]["target"] == "85个"
    assert "原文的“82.4%”改为自动计算" in text
    assert "目标 85个 沿用上年，请改为今年的目标" in text


def test_validate_lists_exactly_the_values_to_fill(next_year: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("validate", str(next_year))
    assert code == 1
    figures = _figures(next_year)
    assert f"有 {len(figures)} 处问题" in err
    places = re.findall(r"^(\S+):(\d+):\d+  指标“([^”]+)” › 数值：(.*)$", err, flags=re.MULTILINE)
    assert [name for *_, name, _ in places] == list(figures)
    lines = next_year.read_text(encoding="utf-8").splitlines()
    for _, line, _name, message in places:
        assert lines[int(line) - 1].strip() == "value:"
        assert message.startswith("还没有填写数值：请填写今年的数值（上年为 ")
    assert "Traceback" not in out + err


def _filled(draft: Path, target: Path) -> None:
    """Every value filled with a made-up number: last year's plus a tenth and one."""
    lines = draft.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.strip() == "value:":
            last = next(each for each in lines[index + 1 : index + 4] if "last_year:" in each)
            number = float(re.search(r"[\d.]+", last.replace(",", ""))[0])  # type: ignore[index]
            lines[index] = f"{line} {round(number * 1.1 + 1, 2)}"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_filled_in_the_draft_builds_with_every_rate_computed(
    next_year: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    filled = tmp_path / "2021.yaml"
    _filled(next_year, filled)
    code, _out, err = run_cli("build", str(filled))
    assert code == 0, err
    text = docx_text(filled.with_suffix(".docx"))
    changes = next_year.read_text(encoding="utf-8").split("\nsections:")[1].count(".同比}")
    assert changes >= 1
    assert len(re.findall(r"同比(?:增长|下降)\d+(?:\.\d+)?%|与上年持平", text)) >= changes
    assert "{" not in text and "}" not in text
    assert re.search(r"建筑业产值约1343(?:\.0)?亿元，同比增长10\.1%", text)
    assert re.search(r"已开工78\.0?个（含新建40），开工率91\.8%", text)


def test_years_dates_document_numbers_and_phones_stay_text() -> None:
    data = {
        "kind": "work-summary",
        "title": "某局2023年工作总结和2024年工作思路",
        "org": "某局",
        "year": 2023,
        "date": "2024-01-15",
        "sections": [
            {
                "heading": "“十四五”规划实施",
                "text": [
                    "2023年6月29日，按照〔2023〕12号文件和地铁9号线第3批计划，1-6月新建道路12公里，"
                    "同比增长5.2%；咨询电话0573-82345678。全年完成投资1,100.76亿元，占比36%。"
                    "计划改造300个小区，已改造302个，完成率100.7%；回收3800余项。"
                ],
            }
        ],
    }
    result, found, _comments = next_year_data(data)
    assert result["title"] == "某局2024年工作总结和2025年工作思路"
    assert result["year"] == 2024 and result["date"] is None
    (text,) = result["sections"][0]["text"]
    assert text == (
        "2023年6月29日，按照〔2023〕12号文件和地铁9号线第3批计划，1-6月新建道路{新建道路}，"
        "{新建道路.同比}；咨询电话0573-82345678。全年完成投资{投资}，占比{投资占比}。"
        "计划改造{小区改造.目标}小区，已改造{小区改造}，完成率{小区改造.完成率}；回收{回收}余项。"
    )
    assert found.figures == {
        "新建道路": {"value": None, "unit": "公里", "last_year": "12公里"},
        "投资": {"value": None, "unit": "亿元", "last_year": "1,100.76亿元"},
        "投资占比": {"value": None, "unit": "%", "last_year": "36%"},
        "小区改造": {"value": None, "unit": "个", "last_year": "302个", "target": "300个"},
        "回收": {"value": None, "last_year": "3800"},
    }
    assert result["sections"][0]["heading"] == "“十四五”规划实施"


def test_a_narrative_draft_as_a_workbook_holds_the_figures(tmp_path: Path, run_cli: RunCli) -> None:
    source = tmp_path / "2020.txt"
    shutil.copyfile(SEED_000, source)
    code, out, err = run_cli(
        "import", str(source), "--next-year", "-o", str(tmp_path / "草稿.xlsx")
    )
    assert code == 0, err
    assert "草稿.xlsx" in out and "草稿.yaml" in out
    companion = tmp_path / "草稿.yaml"
    assert "figures_from: 草稿.xlsx" in companion.read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(tmp_path / "草稿.xlsx")["指标"]
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=False))
    assert (first["名称"], first["数值"], first["上年"]) == ("在建工程", None, "2242个")
    code, out, err = run_cli("validate", str(companion))
    assert code == 1
    assert (
        "草稿.xlsx:指标!B2  指标“在建工程” › 数值：还没有填写数值：请填写今年的数值（上年为 2242个）"
        in err
    )


def test_a_narrative_draft_without_figures_cannot_be_a_workbook(
    tmp_path: Path, run_cli: RunCli
) -> None:
    source = tmp_path / "2020.txt"
    shutil.copyfile(SEED_000, source)
    code, _out, err = run_cli("import", str(source), "-o", str(tmp_path / "草稿.xlsx"))
    assert code == 1
    assert "年度工作总结的正文只能写成 YAML" in err and "--next-year" in err
    assert not list(tmp_path.glob("草稿.*"))


def test_a_table_kind_as_a_workbook_is_a_full_form(tmp_path: Path, run_cli: RunCli) -> None:
    source = tmp_path / "执行情况.txt"
    shutil.copyfile(SEEDS / "003_b3a6e952f35f28ba.txt", source)
    output = tmp_path / "2022.xlsx"
    code, _out, err = run_cli("import", str(source), "--next-year", "-o", str(output))
    assert code == 0, err
    book = openpyxl.load_workbook(output)
    assert {"基本信息", "指标", "任务"} <= set(book.sheetnames)
    tasks = book["任务"]
    assert tasks.cell(2, 1).value == "1"
    assert "{" in str(tasks.cell(2, 3).value)
    code, _out, err = run_cli("validate", str(output))
    assert code == 1
    assert re.search(r"2022\.xlsx:指标!B2  数值：还没有填写数值：请填写今年的数值", err)
    filled = tmp_path / "filled.xlsx"
    figures = book["指标"]
    for row in range(2, figures.max_row + 1):
        figures.cell(row, 2).value = str(figures.cell(row, 5).value)
    book.save(filled)
    build_report(filled, tmp_path / "filled.docx")
    assert "1.推进高水平生态绿色示范区建设专项行动" in docx_text(tmp_path / "filled.docx")


def test_an_empty_or_missing_value_is_one_clear_message(tmp_path: Path, run_cli: RunCli) -> None:
    source = tmp_path / "report.yaml"
    source.write_text(
        "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"
        "figures:\n"
        "  绿地:\n    value:\n    unit: 公顷\n    last_year: 235公顷\n"
        "  道路:\n    value: ''\n    last_year: 24公里\n"
        "  停车位: {unit: 个, last_year: 5656}\n"
        "sections:\n  - heading: 城市建设\n    text: 新增绿地{绿地}，道路{道路}，停车位{停车位}。\n",
        encoding="utf-8",
    )
    code, _out, err = run_cli("validate", str(source))
    assert code == 1
    assert "有 3 处问题" in err
    assert (
        "report.yaml:7:11  指标“绿地” › 数值：还没有填写数值：请填写今年的数值（上年为 235公顷）"
        in err
    )
    assert (
        "report.yaml:11:12  指标“道路” › 数值：还没有填写数值：请填写今年的数值（上年为 24公里）"
        in err
    )
    assert "指标“停车位” › 数值：还没有填写数值：请填写今年的数值（上年为 5656）" in err
