"""YAML mistakes staff make, through ``huibao validate``: a Chinese message at the line of the
mistake (not where PyYAML happened to notice it) and the fix that works."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.english import FIELD_NAMES, english_words, words_of

RunCli = Callable[..., tuple[int, str, str]]
HEAD = "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"  # lines 1-4
SECTION = "sections:\n  - heading: 城市建设\n"  # lines 5-6 after HEAD

# (case, the file, line of the mistake, what the message says, the fix the hint gives)
CASES: list[tuple[str, str, int, str, str]] = [
    # a text beginning with a character YAML reads as syntax
    (
        "{名称} placeholder first",
        HEAD + "opening: {道路里程}完成了任务\n",
        5,
        "文字不能直接以“{”开头",
        'opening: "{道路里程}完成了任务"',
    ),
    (
        "{名称} first in a section text",
        HEAD + SECTION + "    text: {道路里程}，完成率{道路里程.完成率}。\n",
        7,
        "文字不能直接以“{”开头",
        'text: "{道路里程}，完成率{道路里程.完成率}。"',
    ),
    (
        "{名称} alone, which YAML reads without error",
        HEAD + "opening: {道路里程}\n" + SECTION,
        5,
        "文字不能直接以“{”开头",
        'opening: "{道路里程}"',
    ),
    (
        "[ first",
        HEAD + "opening: [重要]今年完成了任务\n",
        5,
        "文字不能直接以“[”开头",
        'opening: "[重要]今年完成了任务"',
    ),
    (
        "* first in a list item",
        HEAD + "opening:\n  - 甲\n  - *重点工作全部完成\n",
        7,
        "文字不能直接以“*”开头",
        '- "*重点工作全部完成"',
    ),
    ("& first", HEAD + "opening: &重点 工作完成\n", 5, "文字不能直接以“&”开头", '"&重点 工作完成"'),
    (
        "& with ASCII, which YAML would take as an anchor and drop",
        HEAD + "opening: &ABC 公司完成改制\n",
        5,
        "锚点",
        "英文双引号",
    ),
    ("! first", HEAD + "opening: !重要 工作完成\n", 5, "文字不能直接以“!”开头", '"!重要 工作完成"'),
    ("@ first", HEAD + "opening: @市委 要求\n", 5, "文字不能直接以“@”开头", '"@市委 要求"'),
    ("` first", HEAD + "opening: `重要` 事项\n", 5, "文字不能直接以“`”开头", '"`重要` 事项"'),
    (
        "% first",
        HEAD + "opening: %50 的任务已完成\n",
        5,
        "文字不能直接以“%”开头",
        '"%50 的任务已完成"',
    ),
    (", first", HEAD + "opening: ,今年\n", 5, "文字不能直接以“,”开头", 'opening: ",今年"'),
    ("- first", HEAD + "opening: - 今年完成\n", 5, "文字不能直接以“- ”开头", '"- 今年完成"'),
    ("? first", HEAD + "opening: ? 今年完成\n", 5, "文字不能直接以“? ”开头", '"? 今年完成"'),
    ("| then text", HEAD + "opening: | 今年以来\n", 5, "“|”后面不能接文字", "移到下一行"),
    (">then text", HEAD + "opening: >今年以来\n", 5, "“>”后面不能接文字", "移到下一行"),
    (
        "quoted part then more text",
        HEAD + 'opening: "市委"要求全面完成\n',
        5,
        "引号括起的部分后面还有文字",
        "opening: “市委”要求全面完成",
    ),
    (
        "quoted heading then more text",
        HEAD + 'sections:\n  - heading: "两战赢"取得成效\n',
        6,
        "引号括起的部分后面还有文字",
        "'\"两战赢\"取得成效'",
    ),
    (
        "': ' inside a text",
        HEAD + "opening: 主要任务: 完成改造\n",
        5,
        "文字中含有“: ”",
        "中文冒号“：”",
    ),
    (
        "': ' inside a long text",
        HEAD + "opening: 主要任务: 完成改造，各项工作取得显著成效，群众满意度持续提升\n",
        5,
        "文字中含有“: ”",
        "在“主要任务: 完成”前面和这一行末尾各加一个英文双引号",
    ),
    ("tab", HEAD + "opening: 今年\t完成\n", 5, "Tab", "改成空格"),
    (
        "backslash in double quotes",
        HEAD + 'figures_from: "D:\\数据\\指标.xlsx"\n',
        5,
        "“\\”被当成了转义符",
        "英文单引号",
    ),
    ("unclosed bracket", HEAD + "opening: [甲, 乙\n" + SECTION, 5, "方括号", "补上“]”"),
    ("unclosed brace", HEAD + "opening: {道路里程\n" + SECTION, 5, "花括号", "英文双引号"),
    (
        "[] of the blank form kept before the text",
        HEAD + "opening: []今年以来\n",
        5,
        "“[]”是空白表单里表示“暂无内容”的记号",
        "opening: 今年以来",
    ),
    (
        "[] of the blank form kept above the text",
        HEAD + "opening: []\n  - 今年以来\n",
        5,
        "“opening: []”表示暂无内容",
        "删去第 5 行的“[]”",
    ),
    (
        "{} of the blank form kept above the figures",
        HEAD + "figures: {}\n  道路里程: 88公里\n",
        5,
        "“figures: {}”表示暂无内容",
        "删去第 5 行的“{}”",
    ),
    # a full-width colon, or a colon without its space
    (
        "title：",
        "kind: work-summary\ntitle：某局2024年工作总结\norg: 某局\n",
        2,
        "字段名“title”后面用了全角冒号“：”",
        "半角冒号“:”，并在冒号后加一个空格，写成：title: 某局2024年工作总结",
    ),
    ("sections：", HEAD + "sections：\n  - heading: 甲\n", 5, "全角冒号", "写成：sections:"),
    (
        "- heading： followed by a field",
        HEAD + "sections:\n  - heading：城市建设\n    text: 完成\n",
        6,
        "字段名“heading”后面用了全角冒号“：”",
        "写成：- heading: 城市建设",
    ),
    (
        "- heading： alone, which YAML reads as the text “heading：城市建设”",
        HEAD + "sections:\n  - heading：城市建设\n",
        6,
        "字段名“heading”后面用了全角冒号“：”",
        "写成：- heading: 城市建设",
    ),
    (
        "text： in a section",
        HEAD + SECTION + "    text：完成\n",
        7,
        "字段名“text”后面用了全角冒号“：”",
        "写成：text: 完成",
    ),
    (
        "heading:text without the space",
        HEAD + "sections:\n  - heading:城市建设\n    text: 完成\n",
        6,
        "字段名“heading”的冒号后面缺少空格",
        "写成：- heading: 城市建设",
    ),
    (
        "title: with a full-width space",
        "kind: work-summary\ntitle:\u3000某局2024年工作总结\n",
        2,
        "冒号后面是全角空格",
        "写成：title: 某局2024年工作总结",
    ),
    (
        "a figure name with a full-width colon",
        HEAD + "figures:\n  道路里程：88公里\n  桥梁: 3座\n",
        6,
        "“道路里程”后面用了全角冒号“：”",
        "写成：道路里程: 88公里",
    ),
    (
        "the last figure with a full-width colon",
        HEAD + "figures:\n  桥梁: 3座\n  道路里程：88公里\n",
        7,
        "“道路里程”后面用了全角冒号“：”",
        "写成：道路里程: 88公里",
    ),
    (
        "a field indented with full-width spaces",
        HEAD + SECTION + "\u3000\u3000text: 甲\n",
        7,
        "这一行开头有全角空格",
        "写成：    text: 甲",
    ),
    (
        "a stray character before a field",
        HEAD + SECTION + "    ` text: 甲\n",
        7,
        "这一行开头多了一个“`”",
        "写成：    text: 甲",
    ),
    (
        "a list item on the line of its field",
        HEAD + "sections:  - heading: 甲\n",
        5,
        "列表项“- ”要另起一行",
        "请把“- heading: 甲”移到下一行，并比“sections”多缩进两个空格",
    ),
    # a list item without its "- "
    (
        "second section without its dash",
        HEAD + SECTION + "    text: 甲\n  heading: 乙\n    text: 丙\n",
        8,
        "没有以“- ”开头",
        "写成：- heading: 乙",
    ),
    (
        "second section without its dash, list not indented",
        HEAD + "sections:\n- heading: 甲\n  text: 甲\nheading: 乙\n  text: 丙\n",
        8,
        "没有以“- ”开头",
        "写成：- heading: 乙",
    ),
    (
        "second item without its dash, written under the first item's fields",
        HEAD
        + SECTION
        + "    items:\n      - heading: 一\n        text: 甲\n        heading: 二\n        text: 乙\n",
        10,
        "缺少列表项开头的“- ”",
        "在“heading”前面加“- ”，与第 8 行的“- ”对齐（缩进 6 个空格）",
    ),
    (
        "second text item without its dash",
        HEAD + SECTION + "    items:\n      - 第一条\n      第二条\n",
        9,
        "缺少列表项开头的“- ”",
        "写成：- 第二条",
    ),
    (
        "a text item without its dash, before the next field",
        HEAD + SECTION + "    items:\n      - 第一条\n      第二条\n    text: 完\n",
        9,
        "缺少列表项开头的“- ”",
        "写成：- 第二条",
    ),
    (
        "an item's field written at its dash",
        HEAD + SECTION + "    items:\n      - heading: 一\n      text: 甲\n",
        9,
        "没有以“- ”开头",
        "请把缩进改为 8 个空格，与第 8 行的“heading”对齐",
    ),
    # indentation
    (
        "a field indented less than its neighbours",
        HEAD + SECTION + "    text: 甲\n   items: 乙\n",
        8,
        "缩进",
        "请把缩进改为 4 个空格（与第 7 行的“text”对齐）",
    ),
    (
        "a field indented by one space",
        HEAD + " date: 2024-12-31\n",
        5,
        "缩进",
        "删去这一行开头的空格（与第 4 行的“year”对齐）",
    ),
    (
        "a list item indented less",
        HEAD + SECTION + " - heading: 乙\n",
        7,
        "“- ”与同一列表的其他项没有对齐",
        "改为 2 个空格（与第 6 行的“- ”对齐）",
    ),
    (
        "a list item after a field's text",
        HEAD + SECTION + "    text: 甲\n    - 乙\n",
        8,
        "第 7 行的“text”已经写了内容，下面不能再接列表项",
        "写成“text:”后换行",
    ),
    (
        "text not indented under its field",
        HEAD + "opening:\n今年以来，工作成效显著。\n",
        6,
        "这一行应是“opening”的内容，但没有缩进",
        "多缩进两个空格",
    ),
]


@pytest.mark.parametrize(
    ("case", "content", "line", "message", "fix"), CASES, ids=[case[0] for case in CASES]
)
def test_yaml_mistake_is_reported_at_its_line_with_its_fix(
    run_cli: RunCli, tmp_path: Path, case: str, content: str, line: int, message: str, fix: str
) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(content, encoding="utf-8")
    code, out, err = run_cli("validate", str(source))
    assert (code, out) == (1, ""), err
    assert "Traceback" not in err
    located = re.findall(r"x\.yaml:(\d+)(?::\d+)?  ", err)
    assert located and int(located[0]) == line, f"{case}: {err}"
    assert message in err, f"{case}: {err}"
    assert fix in err, f"{case}: {err}"
    assert english_words(err, words_of(content) | FIELD_NAMES) == [], err
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize(
    "content",
    [
        HEAD + SECTION + "    text: |\n      heading：这一行是正文\n      title:也是正文\n",
        HEAD + SECTION + "    text:\n      - |\n        heading：正文\n",
        HEAD + SECTION + "    text:\n      - 详见 http://www.example.gov.cn/a\n",
        HEAD + SECTION + "    # heading：注释里的全角冒号\n    text: 甲\n",
        HEAD + SECTION + "    text: 主要任务：完成改造\n",
        HEAD
        + "figures:\n  道路里程: {value: 88, unit: 公里}\n"
        + SECTION
        + "    text: 新增{道路里程}。\n",
    ],
    ids=["block text", "block list item", "URL", "comment", "Chinese colon in text", "figures"],
)
def test_what_looks_like_a_mistake_but_is_text_is_accepted(
    run_cli: RunCli, tmp_path: Path, content: str
) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(content, encoding="utf-8")
    code, out, err = run_cli("validate", str(source))
    assert code == 0, err
    assert "检查通过" in out
