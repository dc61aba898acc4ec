"""``huibao check``: errors of every class planted into copies of the seeds, into our own inputs
and into made-up reports, each found at its place; exit codes; the JSON format's keys.

Each test runs the real command on real files (a .txt copy of a seed, a YAML copy of an example,
an .xlsx saved by openpyxl, a .docx written by python-docx) and asserts what staff would read:
the finding, its place (file:line, sheet!cell, 第N段, 表N第R行第C列), the computation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.check_input import run_checks
from generator.check_text import CATEGORIES, CheckDocument, CheckParagraph, CheckTable, Place, Span
from tests.helpers import EXAMPLES, SEEDS

RunCli = Callable[..., tuple[int, str, str]]
SEED_000 = SEEDS / "000_d8d9bdc2cfd193d8.txt"
SEED_001 = SEEDS / "001_bacda0fce2ec4441.txt"
SEED_004 = SEEDS / "004_0487bdcd1988260a.txt"


def planted(tmp_path: Path, seed: Path, old: str, new: str, name: str = "") -> Path:
    """A copy of ``seed`` with ``old`` (which must occur once) replaced by ``new``."""
    text = seed.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    target = tmp_path / (name or seed.name)
    target.write_text(text.replace(old, new), encoding="utf-8")
    return target


def findings(run_cli: RunCli, *args: str) -> tuple[int, list[dict[str, object]]]:
    code, out, err = run_cli("check", "--format", "json", *args)
    assert "Traceback" not in out + err
    return code, json.loads(out)["findings"]


def where(found: list[dict[str, object]], rule: str) -> list[str]:
    return [
        str(finding["location"]["text"])  # type: ignore[index]
        for finding in found
        if finding["rule"] == rule
    ]


# --- rates ----------------------------------------------------------------------------------------


def test_a_wrong_rate_in_a_seed_is_an_error_with_its_computation(
    run_cli: RunCli, tmp_path: Path
) -> None:
    report = planted(tmp_path, SEED_000, "开工率82.4%", "开工率84.2%")
    code, out, err = run_cli("check", str(report))
    assert code == 1 and "Traceback" not in out + err
    assert f"错误：{report.name}:3  写的“开工率84.2%”与同一句中的数字算得的不符" in out
    assert "计算：70个 ÷ 85个 = 82.35%，按写出的精度应为 82.4%" in out
    assert f"检查完成：{report} 有 1 处错误" in out


def test_a_wrong_rate_against_the_target_in_the_same_table_row(
    run_cli: RunCli, tmp_path: Path
) -> None:
    report = planted(tmp_path, SEED_001, "完成年度目标任务的149%", "完成年度目标任务的159%")
    code, found = findings(run_cli, str(report))
    assert code == 1
    (rate,) = [finding for finding in found if finding["rule"] == "rate-mismatch"]
    assert rate["location"]["line"] == 17  # type: ignore[index]
    assert rate["computed"] == "59759个 ÷ 40000个 = 149.4%，按写出的精度应为 149%"


def test_a_rate_whose_basis_is_not_in_its_sentence_is_not_judged(
    run_cli: RunCli, tmp_path: Path
) -> None:
    report = tmp_path / "报告.txt"
    report.write_text(
        "新建项目已开工50个，开工率122%。全市投放小区达到1200个，占比68%。\n", "utf-8"
    )
    code, found = findings(run_cli, str(report))
    assert code == 0 and [f for f in found if f["category"] == "rate"] == []


def test_a_change_against_last_years_number(run_cli: RunCli, tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text("全年完成产值1220亿元，比上年的1134亿元增长8.6%。\n", encoding="utf-8")
    code, found = findings(run_cli, str(report))
    assert code == 1
    (change,) = found
    assert change["rule"] == "change-mismatch"
    assert change["computed"] == "（1220亿元 − 1134亿元）÷ 1134亿元 = 7.58%，按写出的精度应为 7.6%"


def test_a_wrong_rate_in_our_yaml_input_names_its_line_and_stops_the_build(
    run_cli: RunCli, tmp_path: Path
) -> None:
    text = (EXAMPLES / "work-summary.yaml").read_text(encoding="utf-8")
    old = "已开工{开工项目}（含新建40），开工率{开工项目.完成率}"
    assert text.count(old) == 1
    source = tmp_path / "2020.yaml"
    source.write_text(text.replace(old, "已开工{开工项目}（含新建40），开工率84.2%"), "utf-8")
    line = text.splitlines().index(next(row for row in text.splitlines() if old in row)) + 1
    code, out, _ = run_cli("check", str(source))
    assert code == 1
    assert f"错误：2020.yaml:{line}  第2节 › 第3条 › 内容：写的“开工率84.2%”" in out
    assert "70个 ÷ 85个 = 82.35%" in out
    code, out, err = run_cli("build", str(source))
    assert code == 1 and "开工率84.2%" in err and "Traceback" not in out + err
    assert not (tmp_path / "2020.docx").exists()
    code, _, err = run_cli("build", "--lenient", str(source))
    assert code == 0 and "警告：2020.yaml" in err and "开工率84.2%" in err


def test_a_wrong_rate_in_a_workbook_names_its_cell(run_cli: RunCli, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(EXAMPLES / "performance-review.xlsx")
    cell = workbook["目标"]["E4"]
    assert isinstance(cell.value, str) and "完工率131.3%" in cell.value
    cell.value = cell.value.replace("完工率131.3%", "完工率113.3%")
    source = tmp_path / "考评.xlsx"
    workbook.save(source)
    code, found = findings(run_cli, str(source))
    assert code == 1
    (rate,) = [finding for finding in found if finding["category"] == "rate"]
    assert rate["location"]["cell"] == "目标!E4"  # type: ignore[index]
    assert rate["computed"] == "2626个 ÷ 2000个 = 131.30%，按写出的精度应为 131.3%"


# --- totals ---------------------------------------------------------------------------------------


def test_parts_that_add_up_to_more_than_their_total(run_cli: RunCli, tmp_path: Path) -> None:
    report = planted(
        tmp_path,
        SEED_004,
        "其中双随机抽查次数131次,专项检查23次",
        "其中双随机抽查次数141次,专项检查23次",
    )
    code, found = findings(run_cli, str(report))
    assert code == 1
    (total,) = [finding for finding in found if finding["category"] == "total"]
    assert total["rule"] == "parts-exceed-total"
    assert total["location"]["line"] == 50  # type: ignore[index]
    assert total["computed"] == "141次 + 23次 + 1次 = 165次，大于 155次"


def test_a_total_row_of_a_text_table(run_cli: RunCli, tmp_path: Path) -> None:
    report = tmp_path / "统计.txt"
    report.write_text(
        "各县完成情况\n县 | 新建 | 改造 |\n甲县 | 12 | 3 |\n乙县 | 20 | 4.5 |\n合计 | 33 | 7.5 |\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli("check", str(report))
    assert code == 1
    assert "错误：统计.txt:5  合计行“新建”的 33 不等于上面各行之和" in out
    assert "计算：12 + 20 = 32" in out
    assert "“改造”" not in out  # 3 + 4.5 = 7.5 adds up


# --- numbering ------------------------------------------------------------------------------------


def test_a_skipped_er_shi_is_found_where_it_is(run_cli: RunCli, tmp_path: Path) -> None:
    report = planted(tmp_path, SEED_000, "二是迅速行动集精兵。", "迅速行动集精兵。")
    code, found = findings(run_cli, str(report))
    (gap,) = [finding for finding in found if finding["category"] == "numbering"]
    assert (gap["rule"], gap["severity"]) == ("numbering-gap", "warning")
    assert gap["location"]["line"] == 3  # type: ignore[index]
    assert gap["message"] == "“三是”之前缺少“二是”"
    assert code == 0  # running-text numbers are warnings


def test_a_repeated_heading_number_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    report = planted(tmp_path, SEED_004, "(三)“农房浙建事”高效推进", "(二)“农房浙建事”高效推进")
    code, found = findings(run_cli, str(report))
    assert code == 1
    assert where(found, "numbering-repeat") == [f"{report.name}:16"]


def test_numbering_restarts_under_a_new_parent_and_may_continue(
    run_cli: RunCli, tmp_path: Path
) -> None:
    report = tmp_path / "报告.txt"
    report.write_text(
        "一、甲\n（一）子一\n（二）子二\n二、乙\n（一）子一\n1.点一\n三、丙\n（二）接着编号\n"
        "四、丁\n1.跳过一级\n",
        encoding="utf-8",
    )
    code, found = findings(run_cli, str(report))
    assert code == 0
    assert [finding["rule"] for finding in found] == ["numbering-skipped-level"]
    assert where(found, "numbering-skipped-level") == ["报告.txt:10"]


# --- stale content --------------------------------------------------------------------------------


def test_a_stale_year_end_in_a_report_of_a_later_year(run_cli: RunCli, tmp_path: Path) -> None:
    report = planted(
        tmp_path, SEED_004, "构建“风貌嘉”数字化平台", "截至2022年末，构建“风貌嘉”数字化平台"
    )
    code, found = findings(run_cli, str(report))
    assert code == 0
    (stale,) = [finding for finding in found if finding["category"] == "stale"]
    assert stale["location"]["line"] == 12  # type: ignore[index]
    assert stale["message"] == "“截至2022年末”指的是2022年，而本报告是2023年的"


def test_a_stale_year_in_our_input_uses_its_year_field(run_cli: RunCli, tmp_path: Path) -> None:
    text = (EXAMPLES / "work-summary.yaml").read_text(encoding="utf-8")
    source = tmp_path / "2020.yaml"
    source.write_text(text.replace("截至2020年末", "截至2019年末", 1), encoding="utf-8")
    code, found = findings(run_cli, str(source))
    (stale,) = [finding for finding in found if finding["category"] == "stale"]
    assert stale["location"]["field"] == "第2节 › 第3条 › 内容"  # type: ignore[index]
    assert code == 0


def test_sentences_unchanged_from_last_year(run_cli: RunCli, tmp_path: Path) -> None:
    last = tmp_path / "2020.txt"
    last.write_text(
        "嘉兴市住房和城乡建设局2020年工作总结\n2020年全市新增城市道路24公里，新建绿道180公里。\n"
        "全年新增停车位5656个。\n",
        encoding="utf-8",
    )
    this = tmp_path / "2021.txt"
    this.write_text(
        "嘉兴市住房和城乡建设局2021年工作总结\n2021年全市新增城市道路24公里，新建绿道180公里。\n"
        "全年新增停车位6120个。\n截至2020年末，全市共有公园35个。\n",
        encoding="utf-8",
    )
    code, found = findings(run_cli, str(this), "--against", str(last))
    assert code == 0
    assert where(found, "unchanged-numbers") == ["2021.txt:2"]
    assert where(found, "last-year-period") == ["2021.txt:4"]
    (unchanged,) = [finding for finding in found if finding["rule"] == "unchanged-numbers"]
    assert "24公里、180公里" in str(unchanged["message"])


# --- punctuation ----------------------------------------------------------------------------------


def test_punctuation_and_numbers(run_cli: RunCli, tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    lines = [
        "全市新增绿地235公顷,公园绿地62公顷。",
        "完成“美城建设，推进工作。",
        '开展"三服务"活动。',
        "新建道路24公里，，改造管网95公里。",
        "完成投资473 亿元。",
        "新增停车位５６５６个。",
        "5月13号召开推进会。",
        "实施方案（2020-2022年），用时1-3个月。",
    ]
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, found = findings(run_cli, str(report))
    assert code == 0
    assert [(finding["rule"], finding["location"]["line"]) for finding in found] == [  # type: ignore[index]
        ("half-width-punctuation", 1),
        ("unpaired-mark", 2),
        ("straight-quote", 3),
        ("doubled-punctuation", 4),
        ("number-unit-space", 5),
        ("full-width-digits", 6),
        ("hao-for-ri", 7),
        ("range-dash", 8),
    ]
    range_dash = found[-1]
    assert (
        range_dash["message"] == "范围“2020-2022年”的连接号不对，应写作“2020—2022年”（本段共 2 处）"
    )


# --- a made-up Word report ------------------------------------------------------------------------


def _word_report(path: Path) -> None:
    document = docx.Document()
    for text in (
        "某某局2021年工作总结",
        "一、主要工作",
        "（一）项目建设",
        "全市85个项目已开工70个，开工率84.2%。一是加强调度。三是强化保障。",
        "（二）城市管理",
        "（二）住房保障",
        "截至2020年末，完成棚改安置住房5389套。",
        "新增停车泊位 5656 个,其中公共停车位2635个。",
    ):
        document.add_paragraph(text)
    table = document.add_table(rows=4, cols=2)
    for row, (name, value) in enumerate(
        (("区县", "新增"), ("甲区", "12"), ("乙区", "20"), ("合计", "33"))
    ):
        table.cell(row, 0).text = name
        table.cell(row, 1).text = value
    document.save(str(path))


def test_a_made_up_word_report_has_every_class_found_at_its_paragraph(
    run_cli: RunCli, tmp_path: Path
) -> None:
    report = tmp_path / "总结.docx"
    _word_report(report)
    code, found = findings(run_cli, str(report))
    assert code == 1
    assert where(found, "rate-mismatch") == ["总结.docx 第4段"]
    assert where(found, "table-total") == ["总结.docx 表1第4行第2列"]
    assert where(found, "numbering-gap") == ["总结.docx 第4段"]
    assert where(found, "numbering-repeat") == ["总结.docx 第6段"]
    assert where(found, "last-year-period") == ["总结.docx 第7段"]
    assert where(found, "half-width-punctuation") == ["总结.docx 第8段"]
    assert where(found, "number-unit-space") == ["总结.docx 第8段"]


# --- the command ----------------------------------------------------------------------------------


def test_exit_codes(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, _ = run_cli("check", str(EXAMPLES / "work-summary.yaml"))
    assert code == 0 and "检查通过：" in out and "没有发现错误（4 处警告）" in out
    code, _, err = run_cli("check", str(tmp_path / "没有.docx"))
    assert code == 1 and "文件不存在" in err and "Traceback" not in err
    code, _, err = run_cli("check", "--format", "xml", str(EXAMPLES / "work-summary.yaml"))
    assert code == 2 and "不认识的输出格式“xml”" in err
    code, _, err = run_cli("check")
    assert code == 2


def test_our_input_that_does_not_validate_is_exit_1_with_its_line(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = tmp_path / "2020.yaml"
    text = (EXAMPLES / "work-summary.yaml").read_text(encoding="utf-8")
    source.write_text(text.replace("theme:", "them:", 1), encoding="utf-8")
    code, out, err = run_cli("check", str(source))
    assert code == 1 and "2020.yaml:" in err and "Traceback" not in out + err


def test_check_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "2020.yaml"
    source.write_bytes((EXAMPLES / "work-summary.yaml").read_bytes())
    run_cli("check", str(source))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2020.yaml"]


JSON_KEYS = [
    "version",
    "file",
    "kind",
    "year",
    "against",
    "errors",
    "warnings",
    "findings",
    "notes",
]
FINDING_KEYS = [
    "severity",
    "severity_text",
    "category",
    "category_text",
    "rule",
    "location",
    "message",
    "context",
    "computed",
    "hint",
]
LOCATION_KEYS = ["file", "line", "cell", "paragraph", "table", "row", "column", "field", "text"]


@pytest.mark.parametrize("example", ["work-summary.yaml", "performance-review.xlsx"])
def test_the_json_format_is_stable(run_cli: RunCli, example: str) -> None:
    """The keys docs/check.md documents; changing one is a new ``version``."""
    code, out, _ = run_cli("check", "--format", "JSON", str(EXAMPLES / example))
    assert code == 0
    data = json.loads(out)
    assert list(data) == JSON_KEYS
    assert (
        data["version"] == 1 and data["errors"] == 0 and data["warnings"] == len(data["findings"])
    )
    for finding in data["findings"]:
        assert list(finding) == FINDING_KEYS
        assert list(finding["location"]) == LOCATION_KEYS
        assert finding["severity"] in ("error", "warning")
        assert finding["category"] in ("rate", "total", "numbering", "stale", "punctuation")


def test_a_pdf_is_refused_with_what_to_do(run_cli: RunCli, tmp_path: Path) -> None:
    report = tmp_path / "总结.pdf"
    report.write_bytes(b"%PDF-1.4\n")
    code, out, err = run_cli("check", str(report))
    assert code == 1 and "不能检查PDF 文件" in err and "另存为 .docx" in err
    assert "Traceback" not in out + err


_PIECES = st.sampled_from(
    [
        *"一二三四五六七八九十是、（）()《》“”\"',，。；;：:%－-~～ 　\n",
        "开工率",
        "完成率",
        "合计",
        "其中",
        "同比增长",
        "比上年",
        "截至2020年末",
        "85个",
        "70个",
        "1.5万",
        "亿元",
        "|",
        "一是",
        "（二）",
        "3.",
    ]
)


@given(
    st.lists(st.one_of(_PIECES, st.text(max_size=3), st.integers(0, 99999).map(str)), max_size=40)
)
def test_any_text_is_checked_without_a_crash(pieces: list[str]) -> None:
    """Whatever a report says, the checks answer with findings, never an exception."""
    text = "".join(pieces)
    place = Place(Path("报告.txt"), line=1)
    paragraphs = [CheckParagraph(line, (Span(0, place),)) for line in text.split("\n") if line]
    table = CheckTable(((CheckParagraph(text, (Span(0, place),)),) * 2,) * 3)
    document = CheckDocument(Path("报告.txt"), (*paragraphs, table), 2021)
    for finding in run_checks(document, against=document):
        assert finding.message and finding.category in CATEGORIES


def test_lenient_lets_a_total_through_as_a_warning(run_cli: RunCli, tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text("全市共有企业120家，其中规上企业80家、小微企业50家。\n", encoding="utf-8")
    code, found = findings(run_cli, str(report))
    assert code == 1 and [f["rule"] for f in found] == ["parts-exceed-total"]
    code, found = findings(run_cli, "--lenient", str(report))
    assert code == 0 and [f["severity"] for f in found] == ["warning"]


def test_a_comparison_with_last_year_is_not_stale(run_cli: RunCli, tmp_path: Path) -> None:
    report = tmp_path / "报告.txt"
    report.write_text(
        "某局2021年工作总结\n比2020年全市增加12个。截至2021年末，全市共有公园35个。\n", "utf-8"
    )
    code, found = findings(run_cli, str(report))
    assert (code, found) == (0, [])


def test_numbering_past_one_hundred_and_ten_is_read(
    tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    """一百一十一 has five characters: section numbers up to 九百九十九 are read, no false gap."""
    sections = "".join(f"  - heading: 第{index}项工作\n" for index in range(1, 131))
    source = tmp_path / "many.yaml"
    source.write_text(
        "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"
        "top_level: （一）\nsections:\n" + sections,
        encoding="utf-8",
    )
    code, out, err = run_cli("check", str(source))
    assert code == 0, out + err
    assert "之前缺少" not in out + err


_RATE_PIECES = st.sampled_from(
    [
        *"率比例重占完成同较与上去年期末度相长增加下降幅速了为达到是约近超过逾的",
        "开工",
        "化解",
        "负增长",
        "2023年",
        "同期",
        "相比",
        "，",
        "。",
        "、",
        " ",
        "\u3000",
        "-",
        "+",
        ".",
        "%",
        "％",
        *"0123456789",
    ]
)


@given(st.lists(_RATE_PIECES, max_size=60).map("".join))
def test_rate_phrases_are_found_near_their_words_as_everywhere(text: str) -> None:
    """The rate checks try their patterns only near a rate word or a direction word: they find
    exactly what trying at every character finds."""
    from generator import check_rates

    for pattern, anchor, reach in (
        (check_rates._RATE_WORD, check_rates._RATE_WORD_AT, check_rates._RATE_WORD_REACH),
        (check_rates._CHANGE, check_rates._DIRECTION_AT, check_rates._SINCE_REACH),
    ):
        everywhere = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        near = [(m.span(), m.groupdict()) for m in check_rates.near(pattern, anchor, reach, text)]
        assert near == everywhere


def test_rate_phrases_of_the_seeds_are_found_near_their_words_as_everywhere() -> None:
    from generator import check_rates

    found = 0
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for pattern, anchor, reach in (
            (check_rates._RATE_WORD, check_rates._RATE_WORD_AT, check_rates._RATE_WORD_REACH),
            (check_rates._CHANGE, check_rates._DIRECTION_AT, check_rates._SINCE_REACH),
        ):
            everywhere = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in check_rates.near(pattern, anchor, reach, text)] == everywhere
            found += len(everywhere)
    assert found > 20


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_finding_in_a_block_of_text_names_the_line_of_the_text(
    run_cli: RunCli, tmp_path: Path, encoding: str
) -> None:
    """``text: |-`` is a line of its own: a finding in the text is placed on the line below it,
    whatever the file's encoding."""
    lines = (EXAMPLES / "work-summary.yaml").read_text(encoding="utf-8").splitlines()
    opening = lines.index("        text: |-")  # an item's text (one paragraph)
    assert lines[opening + 1].startswith("          加强顶层设计、系统谋划，")
    lines[opening + 1] = lines[opening + 1].replace("加强顶层设计、系统谋划，", "加强顶层设计,", 1)
    source = tmp_path / "2020.yaml"
    source.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    code, found = findings(run_cli, str(source))
    (comma,) = [
        finding
        for finding in found
        if finding["rule"] == "half-width-punctuation" and "加强顶层设计" in str(finding["context"])
    ]
    assert comma["location"]["line"] == opening + 2  # type: ignore[index]
    assert code == 0


def test_the_reach_of_a_rate_phrase_covers_its_longest_opening() -> None:
    """``near`` tries starts up to ``reach`` characters before the anchor: the reach must be
    at least the longest text the pattern can match before it (a longer 比……同期 phrase added to
    ``SINCE`` would otherwise be missed)."""
    import importlib

    from generator import check_rates
    from generator.check_text import HAN
    from generator.stated_rates import SINCE

    parser = importlib.import_module("re._parser")  # the widths a pattern can match
    assert parser.parse(SINCE).getwidth()[1] <= check_rates._SINCE_REACH
    assert parser.parse(f"[{HAN}]{{0,6}}?").getwidth()[1] <= check_rates._RATE_WORD_REACH
