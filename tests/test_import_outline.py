"""The importer reads every structure of the outline model out of plain paragraphs (as the reader
gives them for a .txt or .docx) and the draft builds the same paragraphs again, numbering
generated, not typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.importer import Draft, draft_text, import_report
from generator.pipeline import build_report, validate_input
from generator.reading import ReadDocument, ReadParagraph
from tests.helpers import docx_paragraphs, normalise

Paragraph = str | ReadParagraph


def read(*paragraphs: Paragraph, kind: str | None = None) -> Draft:
    blocks = tuple(p if isinstance(p, ReadParagraph) else ReadParagraph(p) for p in paragraphs)
    return import_report(ReadDocument(blocks, source_format="txt"), kind)


def built(draft: Draft, tmp_path: Path) -> list[tuple[str, str]]:
    """(style, text) of the paragraphs the draft builds."""
    source = tmp_path / "draft.yaml"
    source.write_text(draft_text(draft, "原文.txt"), encoding="utf-8")
    output = tmp_path / "draft.docx"
    build_report(source, output)
    return docx_paragraphs(output)


def texts(draft: Draft, tmp_path: Path) -> list[str]:
    return [text for _, text in built(draft, tmp_path)]


def section(draft: Draft, *path: int) -> dict[str, Any]:
    node: dict[str, Any] = {"sections": draft.data["sections"]}
    for index in path:
        node = node["sections"][index]
    return node


TITLE = "某市住房和城乡建设局2023年工作总结"


def test_four_levels_own_line_run_in_and_numbered_sentence(tmp_path: Path) -> None:
    paragraphs = [
        TITLE,
        "2023年，我局坚持稳中求进，各项工作取得新成效。",
        "一、主要工作",
        "（一）城市建设提速。全年新开工项目32个。",
        "1.道路建设。新建城市道路12公里。",
        "（1）完成主干路5条，次干路7条，支路若干，全部按期通车，群众满意度明显提升，为全市交通改善打下基础。",
        "（2）推进慢行系统建设。新建绿道20公里。",
        "2.管网建设。新建雨污管网30公里。",
        "（二）住房保障有力。发放租赁补贴8000户。",
        "二、存在问题",
        "资金压力较大，项目推进不平衡。",
    ]
    draft = read(*paragraphs)
    assert draft.kind == "work-summary"
    assert draft.data["title"] == TITLE
    first = section(draft, 0)
    assert first["heading"] == "主要工作" and "run_in" not in first
    assert section(draft, 0, 0) | {"sections": None} == {
        "heading": "城市建设提速",
        "run_in": True,
        "text": ["全年新开工项目32个。"],
        "sections": None,
    }
    assert "heading" not in section(draft, 0, 0, 0, 0)  # a numbered sentence, no heading
    assert section(draft, 0, 0, 0, 1)["heading"] == "推进慢行系统建设"
    assert section(draft, 1)["text"] == ["资金压力较大，项目推进不平衡。"]
    styles = built(draft, tmp_path)
    assert [text for _, text in styles] == paragraphs
    assert styles[2] == ("Heading 1", "一、主要工作")


def test_focus_headings_and_items_in_a_paragraph(tmp_path: Path) -> None:
    paragraphs = [
        TITLE,
        "（一）聚焦“两战赢”，防疫复工“两手抓”。面对疫情，全系统积极行动。一是积极谋划明目标。加强顶层设计。"
        "二是迅速行动集精兵。系统优化组织构架，整合各方力量，实行集中办公，党建引领保障大会战。三是时不我待强攻坚。",
        "（二）聚焦“两兵”示范，勇猛精进抓落实。一是强化党建引领。深入学习。二是加强队伍建设。推进人才工程。",
    ]
    draft = read(*paragraphs)
    first, second = section(draft, 0), section(draft, 1)
    assert (first["focus"], first["theme"]) == ("两战赢", "防疫复工“两手抓”")
    assert (second["focus"], second["theme"]) == ("“两兵”示范", "勇猛精进抓落实")
    assert first["text"] == ["面对疫情，全系统积极行动。"]
    assert first["items"] == [
        {"heading": "积极谋划明目标", "text": "加强顶层设计。"},
        {
            "heading": "迅速行动集精兵",
            "text": "系统优化组织构架，整合各方力量，实行集中办公，党建引领保障大会战。",
        },
        {"text": "时不我待强攻坚。"},
    ]
    assert "text" not in second  # the items follow the run-in heading at once
    assert texts(draft, tmp_path) == paragraphs


def test_items_a_paragraph_each_and_items_inside_items(tmp_path: Path) -> None:
    paragraphs = [
        TITLE,
        "一、工作举措",
        "主要做法如下：",
        "一是加强统筹。建立联席会议制度。",
        "二是提升保障水平。完善资金机制。一是设立专项资金。二是引入社会资本。",
        "三是强化督查。每月通报进展。",
    ]
    draft = read(*paragraphs)
    first = section(draft, 0)
    assert first["text"] == ["主要做法如下："]
    assert first["item_paragraphs"] is True
    assert first["items"][1] == {
        "heading": "提升保障水平",
        "text": "完善资金机制。",
        "items": [{"text": "设立专项资金。"}, {"text": "引入社会资本。"}],
    }
    assert texts(draft, tmp_path) == paragraphs


def test_text_after_the_children_is_the_parents_closing(tmp_path: Path) -> None:
    paragraphs = [
        TITLE,
        "一、2023年工作回顾",
        "（一）经济运行持续向好。地区生产总值增长6%。",
        "（二）发展动能不断增强。新增高新技术企业120家。",
        "（三）民生福祉持续增进。城镇新增就业9万人。",
        "在取得上述成效的同时，我们也清醒地看到，发展中还存在一些问题，主要是：一是产业结构不优；"
        "二是创新能力不强。对此，我们将采取有力措施，切实加以解决。",
        "二、2024年工作安排",
        "（一）扩大有效投资。滚动实施重大项目200个。",
        "特此报告。",
    ]
    draft = read(*paragraphs)
    review = section(draft, 0)
    assert review["closing"] == {
        "text": ["在取得上述成效的同时，我们也清醒地看到，发展中还存在一些问题，主要是："],
        "items": [
            {"text": "产业结构不优；"},
            {"heading": "创新能力不强", "text": "对此，我们将采取有力措施，切实加以解决。"},
        ],
    }
    assert review["sections"][2]["text"] == ["城镇新增就业9万人。"]
    assert draft.data["closing"] == ["特此报告。"]
    assert any("结尾" in line for line in draft.comments[("sections", 0, "closing")])
    assert texts(draft, tmp_path) == paragraphs


def test_a_closing_after_items_in_a_section_without_children(tmp_path: Path) -> None:
    paragraphs = [
        TITLE,
        "一、主要工作",
        "全年重点抓了三件事：一是稳投资。二是促消费。三是保民生。",
        "通过以上举措，全年目标任务全面完成。",
        "二、下一步打算",
        "继续做好各项工作。",
    ]
    draft = read(*paragraphs)
    first = section(draft, 0)
    assert first["text"] == ["全年重点抓了三件事："]
    assert len(first["items"]) == 3
    assert first["closing"] == {"text": ["通过以上举措，全年目标任务全面完成。"]}
    assert texts(draft, tmp_path) == paragraphs


def test_an_item_number_out_of_order_stays_in_the_text_with_a_comment(tmp_path: Path) -> None:
    paragraphs = [TITLE, "一、主要工作", "全年抓了三件事：一是稳投资。二是促消费。四是保民生。"]
    draft = read(*paragraphs)
    assert section(draft, 0)["items"][1] == {"heading": "促消费", "text": "四是保民生。"}
    assert any("第2条中的“四是”与前后顺序不符" in line for line in draft.comments[("sections", 0)])
    assert texts(draft, tmp_path) == paragraphs


def test_responsibility_tags(tmp_path: Path) -> None:
    paragraphs = [
        "某局2024年工作要点",
        "一、深化改革",
        "（一）推进审批改革。一是压缩审批时限。全面推行告知承诺制。（责任处室：行政审批处、法规处）"
        "二是推进一网通办。（责任处室：办公室）",
        "（二）加强队伍建设。开展业务培训。（责任处室：人事处）",
    ]
    draft = read(*paragraphs)
    assert draft.data["responsible_label"] == "责任处室"
    items = section(draft, 0, 0)["items"]
    assert items[0]["responsible"] == ["行政审批处", "法规处"]
    assert items[1] == {"heading": "推进一网通办", "responsible": ["办公室"]}
    assert section(draft, 0, 1)["responsible"] == ["人事处"]
    assert texts(draft, tmp_path) == paragraphs


def test_numbering_that_continues_across_parents(tmp_path: Path) -> None:
    paragraphs = [
        TITLE,
        "一、主要工作",
        "（一）城市建设",
        "1.道路建设。新建道路12公里。",
        "2.管网建设。新建管网30公里。",
        "（二）住房保障",
        "3.租赁补贴。发放补贴8000户。",
        "4.棚户区改造。开工安置房1200套。",
    ]
    draft = read(*paragraphs)
    assert section(draft, 0, 1)["continue_numbering"] is True
    assert [s["heading"] for s in section(draft, 0, 1)["sections"]] == ["租赁补贴", "棚户区改造"]
    assert texts(draft, tmp_path) == paragraphs


def test_a_number_out_of_order_stays_text_with_a_comment(tmp_path: Path) -> None:
    paragraphs = [
        TITLE,
        "一、主要工作",
        "（一）城市建设。新建道路12公里。",
        "（三）住房保障。发放补贴8000户。",
        "二、下一步打算",
        "继续做好各项工作。",
    ]
    draft = read(*paragraphs)
    first = section(draft, 0)
    assert len(first["sections"]) == 1
    assert first["sections"][0]["text"] == ["新建道路12公里。", "（三）住房保障。发放补贴8000户。"]
    comment = draft.comments[("sections", 0, "sections", 0)]
    assert any("“（三）”与前后编号不连贯" in line for line in comment)
    # the draft reads back as written, the number kept where the report had it
    source = tmp_path / "draft.yaml"
    source.write_text(draft_text(draft, "原文.txt"), encoding="utf-8")
    report = validate_input(source).report
    assert report.sections[0].sections[0].text == [  # type: ignore[attr-defined]
        "新建道路12公里。",
        "（三）住房保障。发放补贴8000户。",
    ]


def test_words_automatic_numbers_are_structure(tmp_path: Path) -> None:
    """The reader gives Word's automatic number at the start of the text and in ``number``."""
    paragraphs = [
        ReadParagraph(TITLE, style="Title"),
        ReadParagraph("一、\t主要工作", style="Heading 1", number="一、"),
        ReadParagraph("（一）\t城市建设提速。全年新开工项目32个。", number="（一）"),
        ReadParagraph("（二）\t住房保障有力。发放租赁补贴8000户。", number="（二）"),
        ReadParagraph("二、\t存在问题", style="Heading 1", number="二、"),
        ReadParagraph("资金压力较大。"),
    ]
    draft = read(*paragraphs)
    assert section(draft, 0)["heading"] == "主要工作"
    assert section(draft, 0, 1)["heading"] == "住房保障有力"
    assert texts(draft, tmp_path) == [
        TITLE,
        "一、主要工作",
        "（一）城市建设提速。全年新开工项目32个。",
        "（二）住房保障有力。发放租赁补贴8000户。",
        "二、存在问题",
        "资金压力较大。",
    ]


def test_bold_run_in_points_and_unnumbered_sections(tmp_path: Path) -> None:
    paragraphs = [
        ReadParagraph("某县2023年政府工作报告", style="Title"),
        ReadParagraph(
            "稳增长、调结构，产业发展迈出新步伐。全年地区生产总值增长6.5%。",
            bold_prefix="稳增长、调结构，产业发展迈出新步伐。",
        ),
        ReadParagraph("（一）工业提质增效。新增规上企业40家。"),
        ReadParagraph("强化要素保障。新增建设用地3000亩。", bold_prefix="强化要素保障。"),
        ReadParagraph("稳投资、促消费：新开工项目86个。", bold_prefix="稳投资、促消费："),
        ReadParagraph(
            "惠民生、补短板，社会事业全面进步。新增学位5000个。",
            bold_prefix="惠民生、补短板，社会事业全面进步。",
        ),
    ]
    draft = read(*paragraphs)
    assert draft.data["top_level"] == "不编号"
    assert section(draft, 0)["heading"] == "稳增长、调结构，产业发展迈出新步伐"
    assert section(draft, 0, 0)["points"] == [
        {"heading": "强化要素保障", "text": "新增建设用地3000亩。"},
        {"heading": "稳投资、促消费", "colon": True, "text": "新开工项目86个。"},
    ]
    assert texts(draft, tmp_path) == [p.text for p in paragraphs]


def test_front_matter_of_a_speech(tmp_path: Path) -> None:
    paragraphs = [
        "政府工作报告",
        "——2024年1月10日在某市第十六届人民代表大会第四次会议上",
        "市长  某某",
        "各位代表：",
        "现在，我代表市人民政府，向大会报告工作，请予审议。",
        "一、2023年工作回顾",
        "过去一年，我们全力拼经济、促发展、惠民生。",
        "二、2024年工作安排",
        "今年重点抓好以下工作。",
        "各位代表！新征程催人奋进，让我们团结奋斗，再创佳绩！",
    ]
    draft = read(*paragraphs)
    assert draft.kind == "government-work-report"
    data = draft.data
    assert data["subtitle"] == paragraphs[1] and data["speaker"] == "市长  某某"
    assert data["salutation"] == "各位代表"
    assert data["opening"] == [paragraphs[4]]
    assert data["closing"] == [paragraphs[-1]]
    assert data["year"] == 2023
    assert texts(draft, tmp_path) == paragraphs


def test_front_matter_of_an_upward_report_and_its_signature(tmp_path: Path) -> None:
    paragraphs = [
        "某市住房和城乡建设局",
        "关于2024年上半年城市更新工作进展情况的报告",
        "市人民政府：",
        "现将我局2024年上半年城市更新工作进展情况报告如下：",
        "一、工作进展",
        "完成老旧小区改造45个。",
        "特此报告。",
        "某市住房和城乡建设局",
        "2024年7月5日",
    ]
    draft = read(*paragraphs)
    data = draft.data
    assert draft.kind == "progress-report"
    assert data["title"] == "某市住房和城乡建设局\n关于2024年上半年城市更新工作进展情况的报告"
    assert data["recipient"] == "市人民政府"
    assert data["opening"] == [paragraphs[3]]
    assert (data["org"], data["date"], data["signature"]) == (
        "某市住房和城乡建设局",
        "2024-07-05",
        True,
    )
    assert data["top_level"] == "一、"
    assert data["closing"] == ["特此报告。"]
    result = built(draft, tmp_path)
    assert result[0] == ("Title", data["title"])
    assert result[-2:] == [("落款", "某市住房和城乡建设局"), ("成文日期", "2024年7月5日")]
    assert [text for _, text in result[1:-2]] == paragraphs[2:7]


def test_half_width_punctuation_from_web_pages_becomes_full_width(tmp_path: Path) -> None:
    draft = read(
        "某局2023年法治政府建设年度报告",
        "作者:政策法规处(行政审批处)审核人:马某来源:政策法规处日期:2024-02-27点击数:",
        "2023年,我局法治工作稳步推进(详见附件)。现将有关情况汇报如下:",
        "一、压实主体责任",
        "全年召开专题会议4次,时间为17:30,经费1,220万元,完成64%,3个项目完工(含续建)。",
    )
    assert draft.kind == "rule-of-law-report"
    assert draft.data["byline"] == {
        "author": "政策法规处（行政审批处）",
        "reviewer": "马某",
        "source": "政策法规处",
        "date": "2024-02-27",
    }
    assert draft.data["opening"] == [
        "2023年，我局法治工作稳步推进（详见附件）。现将有关情况汇报如下："
    ]
    assert section(draft, 0)["text"] == [
        "全年召开专题会议4次，时间为17:30，经费1,220万元，完成64%，3个项目完工（含续建）。"
    ]
    notes = [note for note in draft.notes if "半角标点" in note]
    assert len(notes) == 1
    yaml_text = draft_text(draft, "原文.txt")
    assert yaml_text.count("半角标点") == 1
    byline = "作者：政策法规处（行政审批处）审核人：马某来源：政策法规处日期：2024-02-27"
    assert normalise(byline) in normalise("".join(texts(draft, tmp_path)))


def test_a_report_without_numbered_sections_is_one_section_with_a_comment(tmp_path: Path) -> None:
    paragraphs = [TITLE, "全年工作平稳有序。", "各项任务全面完成。"]
    draft = read(*paragraphs)
    assert draft.data["sections"][0]["text"] == paragraphs[1:]
    assert any("没有找到" in line for line in draft.comments[("sections",)])
    assert texts(draft, tmp_path)[2:] == paragraphs[1:]


def test_kind_given_overrides_and_says_so() -> None:
    draft = read(TITLE, "一、主要工作", "全年工作平稳。", kind="rule-of-law-report")
    assert draft.kind == "rule-of-law-report"
    assert any("按指定的类型" in note for note in draft.notes)
