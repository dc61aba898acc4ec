"""``huibao import``: each seed, imported as staff would (the .txt through the CLI), builds the
seed's text again; its kind is recognised; no typed number is left where huibao numbers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.importer import import_report
from generator.load import load_source
from generator.pipeline import validate_input
from generator.reading import ReadDocument, ReadParagraph
from generator.typed_numbers import find_typed_numbers
from generator.validate import validate_report
from schemas import KINDS
from tests.helpers import SEEDS, docx_text, normalise, overlap

RunCli = Callable[..., tuple[int, str, str]]

# seed → (kind, web-page chrome in the seed that is not report content)
SEEDS_READ = {
    "000_d8d9bdc2cfd193d8.txt": ("work-summary", ()),
    # "|" is the seed's own cell separator, not text
    "001_bacda0fce2ec4441.txt": ("performance-review", ("|",)),
    "002_27bbef743ad819c4.txt": ("progress-report", ()),
    "003_b3a6e952f35f28ba.txt": (
        "task-progress",
        (
            "首页\n",
            "> 政务公开 > 政务专题 > 督查督办",
            "【政府工作报告重点任务及政府绩效考核执行情况】",
            "发布日期:2021-09-08 17:17 信息来源:市政府办公室 浏览次数:",
        ),
    ),
    "004_0487bdcd1988260a.txt": ("rule-of-law-report", ("点击数:",)),
}


def seed_document(name: str) -> ReadDocument:
    """A seed as the reader gives a .txt: one paragraph a line, blank lines dropped."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return ReadDocument(tuple(ReadParagraph(line) for line in lines), source_format="txt")


def seed_text(name: str) -> str:
    text = (SEEDS / name).read_text(encoding="utf-8")
    for fragment in SEEDS_READ[name][1]:
        assert fragment in text
        text = text.replace(fragment, "")
    return text


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each seed imported through the CLI into a folder of its own: {seed: draft}."""
    from typer.testing import CliRunner

    from generator.cli import app

    drafts: dict[str, Path] = {}
    for name in SEEDS_READ:
        folder = tmp_path_factory.mktemp(name[:3])
        source = folder / "去年的报告.txt"
        shutil.copyfile(SEEDS / name, source)
        result = CliRunner().invoke(app, ["import", str(source)], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        drafts[name] = folder / "去年的报告.yaml"
    return drafts


@pytest.mark.parametrize("name", sorted(SEEDS_READ))
def test_seed_imports_and_builds_the_seed_again(
    name: str, imported: dict[str, Path], run_cli: RunCli
) -> None:
    draft = imported[name]
    code, out, err = run_cli("build", str(draft))
    assert code == 0, err
    assert "Traceback" not in out + err
    result = overlap(normalise(seed_text(name)), normalise(docx_text(draft.with_suffix(".docx"))))
    assert result.recall >= 0.99, f"missing from the .docx: {result.missing[:5]}"
    assert result.precision >= 0.99, f"not in the seed: {result.extra[:5]}"


@pytest.mark.parametrize("name", sorted(SEEDS_READ))
def test_seed_kind_is_recognised(name: str, imported: dict[str, Path]) -> None:
    text = imported[name].read_text(encoding="utf-8")
    kind = SEEDS_READ[name][0]
    assert f"\nkind: {kind}\n" in text
    assert import_report(seed_document(name)).kind == kind


def test_an_assumed_kind_says_so_at_the_top(imported: dict[str, Path]) -> None:
    """Seed 000 has no title and no other mark of its kind: the draft says it is unsure."""
    head = imported["000_d8d9bdc2cfd193d8.txt"].read_text(encoding="utf-8").split("\nkind:")[0]
    assert "# huibao import：没有把握判断报告类型" in head
    assert "--kind" in head
    rule_of_law = imported["004_0487bdcd1988260a.txt"].read_text(encoding="utf-8")
    assert "没有把握" not in rule_of_law
    assert "# huibao import：按“法治政府建设年度报告”读取：标题中有“法治政府建设”" in rule_of_law


@pytest.mark.parametrize("name", sorted(SEEDS_READ))
def test_no_typed_numbering_is_left_where_huibao_numbers(
    name: str, imported: dict[str, Path], run_cli: RunCli
) -> None:
    code, out, err = run_cli("validate", str(imported[name]))
    assert code == 0, err
    assert "检查通过" in out
    report = validate_input(imported[name]).report
    typed = [found for found in find_typed_numbers(report) if not found.inline_items]
    assert typed == []
    if name != "001_bacda0fce2ec4441.txt":
        assert "手写了" not in err
    text = imported[name].read_text(encoding="utf-8")
    for typed_number in ("heading: （一）", "heading: 一、", "heading: 1.", "- 1.", "text: 一是"):
        assert typed_number not in text


@pytest.mark.parametrize("name", sorted(SEEDS_READ))
def test_the_draft_yaml_reads_back_as_the_draft(name: str, imported: dict[str, Path]) -> None:
    """What was written is what huibao's own loader reads: the YAML writer loses nothing."""
    draft = import_report(seed_document(name))
    model = KINDS[draft.kind].model
    assert validate_report(load_source(imported[name])) == model.model_validate(draft.data)


def test_seed_000_structure(imported: dict[str, Path]) -> None:
    report = validate_input(imported["000_d8d9bdc2cfd193d8.txt"]).report
    assert report.top_level == "（一）"  # type: ignore[attr-defined]
    sections = report.sections  # type: ignore[attr-defined]
    assert [(s.focus, s.theme) for s in sections[:2]] == [
        ("两战赢", "防疫复工“两手抓”"),
        ("品质嘉兴", "全面打响“大会战”"),
    ]
    assert all(section.run_in for section in sections)
    assert [item.heading for item in sections[1].items] == [
        "积极谋划明目标",
        "迅速行动集精兵",
        "时不我待强攻坚",
        "全力以赴抓保障",
    ]
    assert report.org == "嘉兴市住房和城乡建设局" and report.year == 2020


def test_seed_002_front_matter_and_outline(imported: dict[str, Path]) -> None:
    report = validate_input(imported["002_27bbef743ad819c4.txt"]).report
    assert report.recipient == "住房城乡建设部"  # type: ignore[attr-defined]
    assert (report.reporter, report.period, report.subject) == (  # type: ignore[attr-defined]
        "我省",
        "今年第二季度",
        "推进落实中央城市工作会议精神",
    )
    first = report.sections[0]  # type: ignore[attr-defined]
    assert first.heading == "城市人居环境建设工作方面" and not first.run_in
    assert first.sections[2].heading == "城市信息模型（CIM）基础平台建设"
    assert first.sections[2].run_in


def test_seed_003_table(imported: dict[str, Path]) -> None:
    report = validate_input(imported["003_b3a6e952f35f28ba.txt"]).report
    assert report.period == "上半年"  # type: ignore[attr-defined]
    # the validated title holds the lines it prints in (generator/title_lines.py)
    assert report.title == "2021年嘉兴市政府工作报告重点工作\n及政府绩效考核执行情况"
    tasks = report.tasks  # type: ignore[attr-defined]
    assert len(tasks) == 96
    assert tasks[0].departments == ["嘉善县政府", "长三角发展办"]
    assert tasks[0].progress[1].startswith("临沪高能级智慧产业新区")
    eleven = tasks[10]
    assert eleven.continued[0].task.startswith("市区快速路一二期建成通车")
    assert eleven.continued[0].status == "进度较快"
    assert tasks[13].status is None  # the seed leaves task 14's status empty
    assert tasks[18].progress[0].startswith("1-6月")  # "1.1-6月……": point 1, not 1.1
    assert str(report.date) == "2021-09-08"


def test_seed_001_table(imported: dict[str, Path]) -> None:
    report = validate_input(imported["001_bacda0fce2ec4441.txt"]).report
    (dimension,) = report.dimensions  # type: ignore[attr-defined]
    assert dimension.name == "日常履职"  # "日常 履职" repeated on a new page is the same one
    names = [("★" if target.key else "") + target.name for target in dimension.targets]
    assert [name for name in names if name.startswith("★")] == [
        "★小区改造",
        "★便捷交通",
        "★城市建设",
    ]
    assert report.title == "2020年度绩效考评目标完成情况"  # no title in the seed: composed
    text = imported["001_bacda0fce2ec4441.txt"].read_text(encoding="utf-8")
    assert "# huibao import：原文没有标题" in text and "\nyear: 2020\n" in text
    # the seed's own slip (……六是……。四是……) is kept as written, and said
    assert "工作完成情况中的“四是”与前后顺序不符" in text
    projects = next(target for target in dimension.targets if target.name == "重点项目建设")
    assert len(projects.continued) == 4
    assert projects.completion[0].heading == "新扩建城镇污水处理厂15个"
    assert [part.heading for part in projects.completion[0].parts][:2] == ["完成情况", "工作措施"]


def test_seed_004_byline(imported: dict[str, Path]) -> None:
    report = validate_input(imported["004_0487bdcd1988260a.txt"]).report
    byline = report.byline  # type: ignore[attr-defined]
    assert (byline.author, byline.reviewer, str(byline.date)) == (
        "政策法规处（行政审批处）",
        "马超",
        "2024-02-27",
    )
    text = imported["004_0487bdcd1988260a.txt"].read_text(encoding="utf-8")
    assert "点击数" in text.split("\nkind:")[0]  # said in a comment, not kept as content
    assert "点击数" not in text.split("\nkind:")[1]
