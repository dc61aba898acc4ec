"""Structured cells: 进展情况 and 工作完成情况 typed in a spreadsheet cell, read and written."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.cell_text import format_completion, format_points, parse_completion, parse_points
from schemas.outline import Item
from schemas.performance_review import CompletionEntry


def test_points_numbered_in_order_lose_their_numbers() -> None:
    assert parse_points("1.甲。\n2、乙。\n 3． 丙。") == ["甲。", "乙。", "丙。"]
    assert format_points(["甲。", "乙。"]) == "1.甲。\n2.乙。"


def test_points_not_numbered_in_order_are_kept_as_typed() -> None:
    assert parse_points("1.甲。\n3.乙。") == ["1.甲。\n3.乙。"]
    assert parse_points("1.只有一条。") == ["1.只有一条。"]
    assert parse_points("甲。\n\n乙。") == ["甲。\n乙。"]
    assert parse_points("说明：\n1.甲。\n2.乙。") == ["说明：\n1.甲。\n2.乙。"]


def test_unnumbered_lines_belong_to_the_point_above() -> None:
    assert parse_points("1.甲。\n其中乙。\n2.丙。") == ["甲。\n其中乙。", "丙。"]
    assert format_points(["甲。\n其中乙。", "丙。"]) == "1.甲。\n其中乙。\n2.丙。"


@given(st.lists(st.sampled_from(["1.", "2.", "3.", "1、", "", "其中", "（1）"]), max_size=6))
def test_reading_points_never_renumbers_what_was_typed(prefixes: list[str]) -> None:
    """What the report prints for a cell is what was typed, numbers normalised to ``N.``."""
    typed = "\n".join(f"{prefix}第{index}句。" for index, prefix in enumerate(prefixes))
    points = parse_points(typed)

    def numbers_as_dots(text: str) -> str:
        return "\n".join(re.sub(r"^(\d)、", r"\1.", line) for line in text.splitlines())

    assert numbers_as_dots(format_points(points)) == numbers_as_dots(typed)


def test_completion_entries_headings_and_items() -> None:
    entries = parse_completion(
        "1.完成情况。新建道路88公里。\n2.工作举措。一是加强统筹。按月调度。二是强化督查。"
    )
    assert entries == [
        CompletionEntry(heading="完成情况", text=["新建道路88公里。"]),
        CompletionEntry(
            heading="工作举措",
            items=[Item(heading="加强统筹", text="按月调度。"), Item(text="强化督查。")],
        ),
    ]


def test_completion_sub_targets_with_parts() -> None:
    text = "1.新扩建污水处理厂15个。\n（1）完成情况。全部完成。\n(2)工作措施。一是分解目标。\n2.完成海绵城市项目。\n（1）完成情况。完工110个。"
    entries = parse_completion(text)
    assert [entry.heading for entry in entries] == ["新扩建污水处理厂15个", "完成海绵城市项目"]
    assert [part.heading for part in entries[0].parts] == ["完成情况", "工作措施"]
    assert entries[0].parts[1].items == [Item(text="分解目标。")]
    assert format_completion(entries) == text.replace("(2)", "（2）")


def test_typed_number_forms_are_read_as_numbers() -> None:
    entries = parse_completion("1、完成情况。甲。\n2．工作成效。乙。")
    assert format_completion(entries) == "1.完成情况。甲。\n2.工作成效。乙。"


def test_plain_text_stays_one_entry_without_number() -> None:
    assert parse_completion("全部完成。\n超额完成。") == [
        CompletionEntry(text=["全部完成。", "超额完成。"])
    ]


def test_numbers_out_of_order_are_kept_as_typed_text() -> None:
    typed = "1.完成情况。甲。\n3.工作成效。乙。"
    entries = parse_completion(typed)
    assert format_completion(entries) == typed
    assert len(entries) == 1, "3. does not follow 1.: it is text, not a second entry"


def test_shi_inside_a_sentence_is_not_an_item() -> None:
    (entry,) = parse_completion("做到统一是关键，二是之后。")
    assert entry.items == [] and entry.text == ["做到统一是关键，二是之后。"]


def test_a_decimal_at_line_start_is_not_a_number() -> None:
    entries = parse_completion("1.完成情况。甲。\n2.工作成效。乙。\n12.5公里已建成。")
    assert entries[1].text == ["乙。", "12.5公里已建成。"]


def _canonical(text: str) -> str:
    """Text with typed numbers in the forms the report prints, for comparing readings."""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        line = re.sub(r"^(\d+)\s*[.．、](?!\d)\s*", r"\1.", line)
        lines.append(re.sub(r"^[（(]\s*(\d+)\s*[）)]\s*", r"（\1）", line))
    return "\n".join(line for line in lines if line)


_PIECES = st.sampled_from(
    [
        "1.",
        "2.",
        "3.",
        "1、",
        "（1）",
        "(2)",
        "（3）",
        "一是",
        "二是",
        "三是",
        "十一是",
        "。",
        "，",
        "；",
        "：",
        "！",
        "完成情况",
        "甲",
        "12.5",
        "是",
        "\n",
        "\n",
        " ",
        "{道路}",
        "<b>",
        "&",
    ]
)


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_reading_a_cell_never_loses_or_rewords_text(typed: str) -> None:
    """Whatever is typed, the cell as the report prints it is the cell as typed (numbers aside)."""
    if not typed.strip():
        return
    assert _canonical(format_completion(parse_completion(typed))) == _canonical(typed)
