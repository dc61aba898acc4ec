"""The draft's YAML is read back by huibao's own loader exactly as written: whatever the text
holds (YAML signs, ``: ``, `` #``, quotes, braces, backslashes), in every place it can stand."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.import_yaml import draft_yaml, plain_is_safe
from generator.load import load_source
from generator.validate import validate_report
from schemas.work_summary import WorkSummary

_ALPHABET = st.sampled_from(
    list("的是在一二三（）“”：；，。、—…《》【】｛｝　")
    + list("abcXYZ0123456789 .,:;#-?![]{}|>&*%@`'\"\\/=~+")
)
texts = st.text(_ALPHABET, min_size=1, max_size=80).filter(lambda text: text.strip() != "")


def _load(data: dict[str, object], comments: dict[tuple[str | int, ...], list[str]]) -> object:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draft.yaml"
        path.write_text(draft_yaml(data, comments, ["说明：# 与 : 都可以出现在注释里"]), "utf-8")
        return load_source(path)


@given(heading=texts, paragraph=texts, item=texts, second=texts)
def test_any_text_reads_back_as_written(
    heading: str, paragraph: str, item: str, second: str
) -> None:
    data: dict[str, object] = {
        "kind": "work-summary",
        "title": heading.strip(),
        "org": item.strip(),
        "year": 2023,
        "opening": [paragraph.strip(), second.strip()],
        "sections": [
            {
                "heading": heading.strip(),
                "run_in": True,
                "text": [paragraph.strip()],
                "items": [
                    {"heading": item.strip(), "text": second.strip()},
                    {"text": item.strip()},
                ],
                "responsible": [second.strip()],
            }
        ],
        "closing": [second.strip()],
    }
    comments = {("sections", 0): ["注释：# 与 : 也可以"], ("sections", 0, "heading"): ["标题"]}
    source = _load(data, comments)
    assert validate_report(source) == WorkSummary.model_validate(data)  # type: ignore[arg-type]


def test_styles_chosen_for_staff_to_read() -> None:
    long_text = "全年新建城市道路12公里，" * 8
    text = draft_yaml(
        {
            "title": "某局\n2023年工作总结",
            "opening": [long_text, "第二段。"],
            "sections": [{"heading": "{道路}建设", "run_in": True, "text": ["短段。"]}],
            "figures": {"道路": {"value": None, "unit": "%", "last_year": "12%"}},
        },
        {("figures", "道路"): ["原文：……"]},
        [],
    )
    assert "title: |-\n  某局\n  2023年工作总结\n" in text
    assert f"opening: |-\n  {long_text}\n  第二段。\n" in text
    assert '  - heading: "{道路}建设"\n    run_in: true\n    text: 短段。\n' in text
    assert '  # 原文：……\n  道路:\n    value:\n    unit: "%"\n    last_year: 12%\n' in text


def test_plain_text_only_where_yaml_reads_it_as_the_same_text() -> None:
    for text in ("加强组织领导", "完成率82.4%", "2023年", "《方案》", "“两战赢”"):
        assert plain_is_safe(text)
    for text in ("- 列表", "a: b", "文字 #注释", "{名称}", "null", "yes", "%", "结尾:", " 前空格"):
        assert not plain_is_safe(text)
