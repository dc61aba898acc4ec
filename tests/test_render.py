from __future__ import annotations

from pathlib import Path

import pytest

from generator.document import Document
from generator.errors import TemplateError
from generator.render import build_environment, own_filter, render_report, with_period
from generator.sandbox import plain_data
from schemas import KINDS
from schemas.work_summary import WorkSummary
from tests.helpers import build_file_tree

KIND = KINDS["work-summary"]


def summary(**fields: object) -> WorkSummary:
    data: dict[str, object] = {
        "kind": "work-summary",
        "title": "某局2024年工作总结",
        "org": "某局",
        "year": 2024,
    }
    data.update(fields)
    return WorkSummary.model_validate(data)


def render(report: WorkSummary, override: Path | None = None) -> Document:
    return render_report(report, KIND, build_environment(override))


def lines(document: Document) -> list[tuple[str, str]]:
    return [(block.style, block.text) for block in document.blocks]


def test_outline_numbering_at_every_level() -> None:
    report = summary(
        sections=[
            {
                "heading": "工作总结",
                "text": "总体情况。",
                "sections": [
                    {
                        "heading": "政务服务能力显著提升",
                        "run_in": True,
                        "text": "全年办件10万件。",
                        "sections": [
                            {
                                "heading": "审批提速",
                                "sections": [{"heading": "压缩时限", "run_in": True}],
                            }
                        ],
                    },
                    {"heading": "第二项"},
                ],
            },
            {"heading": "存在问题"},
        ]
    )
    assert lines(render(report)) == [
        ("Title", "某局2024年工作总结"),
        ("Heading 1", "一、工作总结"),
        ("Normal", "总体情况。"),
        ("Normal", "（一）政务服务能力显著提升。全年办件10万件。"),
        ("Heading 3", "1.审批提速"),
        ("Normal", "（1）压缩时限。"),
        ("Heading 2", "（二）第二项"),
        ("Heading 1", "二、存在问题"),
    ]
    run_in = render(report).paragraphs[3]
    assert run_in.runs[0].style == "接排标题2"
    assert run_in.runs[0].text == "（一）政务服务能力显著提升。"


def test_top_level_can_start_at_second_level() -> None:
    report = summary(top_level="（一）", sections=[{"heading": "甲"}, {"heading": "乙"}])
    assert lines(render(report))[1:] == [("Heading 2", "（一）甲"), ("Heading 2", "（二）乙")]


def test_focus_heading_and_items_run_on() -> None:
    items = [{"heading": f"第{n}项", "text": f"内容{n}。"} for n in range(1, 12)]
    report = summary(
        top_level="（一）",
        sections=[
            {"focus": "两战赢", "theme": "防疫复工“两手抓”", "run_in": True, "items": items},
            {"focus": "“两兵”示范", "theme": "勇猛精进抓落实", "run_in": True, "text": "导语。"},
        ],
    )
    blocks = render(report).blocks
    first = blocks[1].text
    assert first.startswith("（一）聚焦“两战赢”，防疫复工“两手抓”。一是第1项。内容1。二是第2项。")
    assert first.endswith("十是第10项。内容10。十一是第11项。内容11。")
    assert blocks[2].text == "（二）聚焦“两兵”示范，勇猛精进抓落实。导语。"


def test_items_follow_the_last_paragraph_or_stand_alone() -> None:
    items = [{"heading": "明目标"}, {"text": "没有小标题的条目；"}]
    report = summary(
        sections=[
            {"heading": "甲", "text": ["第一段。", "第二段。"], "items": items},
            {"heading": "乙", "items": items},
            {"heading": "丙", "items": items, "item_paragraphs": True},
        ]
    )
    assert lines(render(report))[1:] == [
        ("Heading 1", "一、甲"),
        ("Normal", "第一段。"),
        ("Normal", "第二段。一是明目标。二是没有小标题的条目；"),
        ("Heading 1", "二、乙"),
        ("Normal", "一是明目标。二是没有小标题的条目；"),
        ("Heading 1", "三、丙"),
        ("Normal", "一是明目标。"),
        ("Normal", "二是没有小标题的条目；"),
    ]


def test_front_and_back_matter() -> None:
    report = summary(
        title="某局2022年工作总结\n及2023年工作计划",
        opening="第一段开头。\n第二段开头。",
        sections=[{"heading": "甲"}],
        closing=["特此报告。"],
        signature=True,
        date="2023-01-05",
    )
    assert lines(render(report)) == [
        ("Title", "某局2022年工作总结\n及2023年工作计划"),
        ("Normal", "第一段开头。"),
        ("Normal", "第二段开头。"),
        ("Heading 1", "一、甲"),
        ("Normal", "特此报告。"),
        ("落款", "某局"),
        ("成文日期", "2023年1月5日"),
    ]


@pytest.mark.parametrize(
    "typed",
    ["{{ 7*7 }}", "{% raw %}x{% endraw %}", "<b>粗体</b>", "a & b < c > d", "😀𠀀", "{# 注释 #}"],
)
def test_input_text_is_never_evaluated_or_interpreted(typed: str) -> None:
    report = summary(sections=[{"heading": typed, "text": typed}])
    assert lines(render(report))[1:] == [("Heading 1", f"一、{typed}"), ("Normal", typed)]


def test_override_folder_wins_over_built_in_templates(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {"work-summary/report.html.j2": '<p class="Title">{{ report.title }}（修订稿）</p>'},
    )
    document = render(summary(sections=[{"heading": "甲"}]), tmp_path)
    assert lines(document) == [("Title", "某局2024年工作总结（修订稿）")]


def test_the_lines_filter_breaks_lines_and_escapes_each(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {"work-summary/report.html.j2": '<p class="Title">{{ report.title | lines }}</p>'},
    )
    report = summary(sections=[{"heading": "甲"}]).model_copy(
        update={"title": "某局<b>2024年</b>\n工作总结 & 计划"}
    )
    document = render(report, tmp_path)
    assert lines(document) == [("Title", "某局<b>2024年</b>\n工作总结 & 计划")]
    build_file_tree(tmp_path, {"work-summary/report.html.j2": "<p>{{ report.year | lines }}</p>"})
    with pytest.raises(TemplateError, match="过滤器 lines 只能用于文字"):
        render(summary(sections=[{"heading": "甲"}]), tmp_path)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("<p>\n{% if %}</p>", "report.html.j2:2"),
        ("<p>\n\n{{ report.titel }}</p>", "report.html.j2:3"),
        ("<p>{{ report.__class__ }}</p>", "report.html.j2:1"),
    ],
)
def test_template_errors_name_file_and_line(tmp_path: Path, template: str, expected: str) -> None:
    build_file_tree(tmp_path, {"work-summary/report.html.j2": template})
    with pytest.raises(TemplateError) as caught:
        render(summary(sections=[{"heading": "甲"}]), tmp_path)
    assert expected in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("抓落实", "抓落实。"),
        ("抓落实。", "抓落实。"),
        ("怎么办？", "怎么办？"),
        ("如下：", "如下："),
    ],
)
def test_with_period(text: str, expected: str) -> None:
    assert with_period(text) == expected


def test_progress_report_front_matter() -> None:
    from schemas.progress_report import ProgressReport

    report = ProgressReport.model_validate(
        {
            "kind": "progress-report",
            "title": "某厅关于第二季度工作进展情况的报告",
            "org": "某厅",
            "year": 2021,
            "date": "2021-07-05",
            "recipient": "住房城乡建设部",
            "reporter": "我省",
            "period": "今年第二季度",
            "subject": "推进落实中央城市工作会议精神",
            "sections": [{"heading": "城市管理工作方面"}],
            "closing": "特此报告。",
            "signature": True,
        }
    )
    document = render_report(report, KINDS["progress-report"], build_environment())
    assert lines(document) == [
        ("Title", "某厅关于第二季度工作进展情况的报告"),
        ("主送机关", "住房城乡建设部："),
        (
            "Normal",
            "按照工作部署，现将我省今年第二季度推进落实中央城市工作会议精神进展情况报告如下：",
        ),
        ("Heading 2", "（一）城市管理工作方面"),
        ("Normal", "特此报告。"),
        ("落款", "某厅"),
        ("成文日期", "2021年7月5日"),
    ]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        (None, None),
        (
            {
                "author": "政策法规处",
                "reviewer": "马超",
                "source": "政策法规处",
                "date": "2024-02-27",
            },
            "作者：政策法规处　审核人：马超　来源：政策法规处　日期：2024-02-27",
        ),
        ({"source": "办公室"}, "来源：办公室　"),
    ],
)
def test_rule_of_law_byline_is_optional(
    byline: dict[str, str] | None, expected: str | None
) -> None:
    from schemas.rule_of_law_report import RuleOfLawReport

    data: dict[str, object] = {
        "kind": "rule-of-law-report",
        "title": "某局2023年法治政府建设年度报告",
        "org": "某局",
        "year": 2023,
        "opening": "现将有关情况报告如下：",
        "sections": [{"heading": "压实主体责任", "sections": [{"heading": "甲", "run_in": True}]}],
    }
    if byline is not None:
        data["byline"] = byline
    document = render_report(
        RuleOfLawReport.model_validate(data), KINDS["rule-of-law-report"], build_environment()
    )
    rendered = lines(document)
    bylines = [text for style, text in rendered if style == "署名行"]
    assert bylines == ([expected] if expected else [])
    assert rendered[-2:] == [("Heading 1", "一、压实主体责任"), ("Normal", "（一）甲。")]


def test_a_bug_in_a_huibao_filter_keeps_its_traceback(tmp_path: Path) -> None:
    """Misuse of a huibao filter is the template's error; a failure past its check is a bug."""

    def halve(number: int) -> str:
        return str(number // (number - number))  # the bug: always divides by zero

    environment = build_environment(tmp_path)
    environment.add_filter(
        "halve", own_filter(halve, lambda value: isinstance(value, int), "整数", "halve")
    )
    build_file_tree(tmp_path, {"work-summary/report.html.j2": "<p>{{ report.year|halve }}</p>"})
    with pytest.raises(ZeroDivisionError):
        render_report(summary(sections=[{"heading": "甲"}]), KIND, environment)
    build_file_tree(tmp_path, {"work-summary/report.html.j2": "<p>{{ report.title|halve }}</p>"})
    with pytest.raises(TemplateError, match="过滤器 halve 只能用于整数"):
        render_report(summary(sections=[{"heading": "甲"}]), KIND, environment)


def test_templates_are_given_plain_data_only() -> None:
    class Live:
        pass

    assert plain_data({"a": [1, ("b", None)]}) == {"a": [1, ["b", None]]}
    with pytest.raises(TypeError, match="not plain template data: Live"):
        plain_data({"a": [Live()]})
