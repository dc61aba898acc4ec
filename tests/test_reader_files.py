"""The import reader on text files, web pages, old Word files through LibreOffice, and on every
file a user can get wrong: each is read as its reader sees it, or refused in Chinese."""

from __future__ import annotations

import os
import quopri
import re
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest

import generator.reader
from generator.errors import FileAccessError, InputError
from generator.reader import read_document
from generator.reading import ReadCell, ReadDocument, ReadParagraph, ReadTable
from tests.helpers import SEEDS, normalise, require_libreoffice
from tests.test_reader import REPORT_LIST, para, paragraphs, text_run, texts, write_docx

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def flat_text(document: ReadDocument) -> list[str]:
    """Every paragraph, those of table cells included, in reading order."""
    found: list[str] = []
    for block in document.blocks:
        if isinstance(block, ReadParagraph):
            found.append(block.text)
        else:
            found += [text for row in block.rows for cell in row for text in cell.paragraphs]
    return found


# --- text files -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.name[:3])
def test_seeds_are_read_line_by_line(seed: Path) -> None:
    document = read_document(seed)
    lines = [line for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(document.blocks) == len(lines)
    assert [normalise(text) for text in texts(document)] == [normalise(line) for line in lines]
    assert document.source_format == "txt"
    assert all(paragraph.text == paragraph.text.strip() for paragraph in paragraphs(document))


def test_gb18030_and_utf16_copies_read_the_same(tmp_path: Path) -> None:
    seed = SEEDS / "004_0487bdcd1988260a.txt"
    original = read_document(seed)
    text = seed.read_text(encoding="utf-8")
    gbk = tmp_path / "法治政府建设年度报告.txt"
    gbk.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    document = read_document(gbk)
    assert texts(document) == texts(original)
    assert "文件不是 UTF-8 编码，已按 GB18030（GBK）读取" in document.notes
    for encoding in ("utf-8-sig", "utf-16"):
        copy = tmp_path / f"{encoding}.txt"
        copy.write_bytes(text.encode(encoding))
        assert texts(read_document(copy)) == texts(original)


def test_text_file_indentation_and_spaces_in_numbers(tmp_path: Path) -> None:
    path = tmp_path / "总结.txt"
    path.write_text(
        "嘉兴市住建局2023年工作总结\n\n　　全年完成投资 473 亿元，同比增长 8.2 %。  \n"
        "    新增停车位 1 220 个。\n\t\n　　二〇二三年十二月\n",
        encoding="utf-8",
    )
    document = read_document(path)
    assert texts(document) == [
        "嘉兴市住建局2023年工作总结",
        "全年完成投资473亿元，同比增长8.2%。",
        "新增停车位1 220个。",  # two digits around a space may be two numbers: kept
        "二〇二三年十二月",
    ]
    assert any("“473 亿元”→“473亿元”" in note for note in document.notes)
    assert "段首用空格做的缩进已删去（3 段）" in document.notes


def test_text_file_in_an_unknown_encoding(tmp_path: Path) -> None:
    path = tmp_path / "报告.txt"
    path.write_bytes("第一行\n".encode() + "Ünïcödé ärger: größer".encode("latin-1") + b"\n")
    with pytest.raises(InputError) as raised:
        read_document(path)
    message = str(raised.value)
    assert message.startswith("报告.txt:2  文件不是 UTF-8 编码，也不是 GB18030（GBK）编码的中文")
    assert "另存为" in message


# --- web pages ------------------------------------------------------------------------------

GOVERNMENT_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>嘉兴市住房和城乡建设局2023年法治政府建设年度报告_嘉兴市住房和城乡建设局</title>
<style>.title { font-size: 22px; }</style><script>var views = 0;</script></head>
<body><form id="form1">
<div class="header"><a href="/">嘉兴市住房和城乡建设局</a><ul class="nav"><li><a>首页</a></li>
<li><a>政务公开</a></li><li><a>互动交流</a></li></ul></div>
<div class="main">
<div class="position">当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>法治政府建设</a></div>
<div class="article">
<div class="title">嘉兴市住房和城乡建设局2023年法治政府建设年度报告</div>
<div class="info"><span>来源：政策法规处</span>&nbsp;&nbsp;<span>发布时间：2024-02-27</span>
<span>浏览次数：<script>document.write(views)</script></span></div>
<div class="fontsize">【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div id="zoom"><div class="TRS_Editor">
<p>&nbsp;&nbsp;&nbsp;&nbsp;2023年，嘉兴市住房和城乡建设局法治工作紧紧围绕
创新深化改革攻坚开放提升，为我市提供最优住建营商环境。现将情况汇报如下：</p>
<p><strong>一、压实法治建设主体责任</strong></p>
<p style="text-indent:2em"><b>（一）强化组织领导。</b>全年召开专题会议 12 次，<br>
完成培训 1 220 人次。</p>
<div>二、存在问题</div>
<table border="1"><tr><th>指标</th><th colspan="2">完成情况</th></tr>
<tr><td rowspan="2">行政复议</td><td>收到</td><td>15件</td></tr>
<tr><td>办结</td><td>15件</td></tr></table>
<p style="display:none">隐藏的统计代码</p>
<p align="right">嘉兴市住房和城乡建设局</p><p align="right">2024年2月27日</p>
</div></div>
<div class="tools">【<a>打印本页</a>】【<a>关闭窗口</a>】</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul><li><a>2022年法治政府建设年度报告</a></li>
<li><a>关于开展法治宣传教育的通知</a></li></ul></div>
</div>
<div class="footer">主办：嘉兴市住房和城乡建设局 版权所有 浙ICP备12345678号</div>
</form></body></html>
"""

EXPECTED_PAGE = [
    "嘉兴市住房和城乡建设局2023年法治政府建设年度报告",
    "2023年，嘉兴市住房和城乡建设局法治工作紧紧围绕创新深化改革攻坚开放提升，"
    "为我市提供最优住建营商环境。现将情况汇报如下：",
    "一、压实法治建设主体责任",
    "（一）强化组织领导。全年召开专题会议12次，",
    "完成培训1 220人次。",
    "二、存在问题",
    "嘉兴市住房和城乡建设局",
    "2024年2月27日",
]


def test_government_web_page_gives_the_article_only(tmp_path: Path) -> None:
    path = tmp_path / "报告.html"
    path.write_bytes(GOVERNMENT_PAGE.encode("gb18030"))
    document = read_document(path)
    assert texts(document) == EXPECTED_PAGE
    (table,) = [block for block in document.blocks if isinstance(block, ReadTable)]
    assert table.rows == (
        (ReadCell(("指标",)), ReadCell(("完成情况",), colspan=2)),
        (ReadCell(("行政复议",), rowspan=2), ReadCell(("收到",)), ReadCell(("15件",))),
        (ReadCell(("办结",)), ReadCell(("15件",))),
    )
    read = paragraphs(document)
    assert read[2].bold_prefix == "一、压实法治建设主体责任"
    assert read[3].bold_prefix == "（一）强化组织领导。"
    assert document.source_format == "html"
    notes = "\n".join(document.notes)
    assert "来源：政策法规处" in notes and "发布时间：2024-02-27" in notes
    for chrome in ("当前位置", "打印本页", "分享到", "相关链接", "版权所有", "隐藏的统计代码"):
        assert chrome not in "".join(flat_text(document))


def test_web_page_without_known_containers(tmp_path: Path) -> None:
    """No class names to go by: the article is where most running text is, links aside."""
    article = "".join(
        f"<p>第{index}段：全市新建改造城镇污水管网204.8公里，完成年度任务。</p>"
        for index in range(6)
    )
    page = (
        "<html><head><meta charset='utf-8'><title>工作总结</title></head><body>"
        "<div><a>首页</a> | <a>机构概况</a> | <a>政务公开</a> | <a>办事服务</a></div>"
        "<table><tr><td><div>当前位置：首页 > 工作总结</div></td></tr></table>"
        f"<div><div>{article}</div><div>【打印】【关闭】</div></div>"
        "<div><a>上一篇：关于做好春节期间安全生产工作的通知</a></div></body></html>"
    )
    path = tmp_path / "总结.htm"
    path.write_text(page, encoding="utf-8")
    assert texts(read_document(path)) == [
        f"第{index}段：全市新建改造城镇污水管网204.8公里，完成年度任务。" for index in range(6)
    ]


def test_web_page_saved_as_doc_is_read_as_a_web_page(tmp_path: Path) -> None:
    path = tmp_path / "导出.doc"
    path.write_bytes(GOVERNMENT_PAGE.encode("gb18030"))
    document = read_document(path)
    assert texts(document) == EXPECTED_PAGE
    assert document.notes[0] == "文件扩展名是 .doc，内容却是网页（HTML），已按网页读取"


# --- .doc and .wps through LibreOffice ------------------------------------------------------


def report_body() -> str:
    cell = "<w:tc><w:tcPr>{}</w:tcPr>{}</w:tc>"
    table = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>"
        + cell.format("", para("维度"))
        + cell.format('<w:gridSpan w:val="2"/>', para("指标"))
        + "</w:tr><w:tr>"
        + cell.format('<w:vMerge w:val="restart"/>', para("日常履职"))
        + cell.format("", para("小区改造"))
        + cell.format("", para("300个"))
        + "</w:tr><w:tr>"
        + cell.format("<w:vMerge/>", "<w:p/>")
        + cell.format("", para("加装电梯"))
        + cell.format("", para("500台"))
        + "</w:tr></w:tbl>"
    )
    return "".join(
        [
            para("嘉兴市住建局2023年工作总结", style="Title"),
            para("总体情况", style="1"),
            para(text_run("加强组织领导。", "<w:b/>"), "成立领导小组。", style="2"),
            para("健全机制", num=1, ilvl=2),
            para("制度建设", num=1, ilvl=3),
            para("强化督查", style="2"),
            para("定期通报", num=1, ilvl=2),
            para("附：说明", style="1", num=0),
            para("存在问题", style="1"),
            table,
            para("工作要求", style="1"),
        ]
    )


REPORT_TEXTS = [
    "嘉兴市住建局2023年工作总结",
    "一、总体情况",
    "（一）加强组织领导。成立领导小组。",
    "1.健全机制",
    "（1）制度建设",
    "（二）强化督查",
    "1.定期通报",
    "附：说明",
    "二、存在问题",
    "三、工作要求",
]


def soffice_convert(source: Path, target_format: str, folder: Path) -> Path:
    binary = require_libreoffice()
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    converted = folder / f"{source.stem}.{target_format.partition(':')[0]}"
    assert converted.is_file()
    return converted


@pytest.mark.libreoffice
def test_doc_made_by_libreoffice_reads_as_libreoffice_shows_it(tmp_path: Path) -> None:
    source = write_docx(tmp_path / "工作总结.docx", report_body(), numbering=REPORT_LIST)
    assert texts(read_document(source)) == REPORT_TEXTS
    doc = soffice_convert(source, "doc", tmp_path)
    document = read_document(doc)
    assert texts(document) == REPORT_TEXTS
    assert document.source_format == "doc"
    assert document.notes[0].startswith("已用 LibreOffice 把 .doc 文件转换为 .docx 后读取")
    assert paragraphs(document)[2].bold_prefix == "（一）加强组织领导。"
    (table,) = [block for block in document.blocks if isinstance(block, ReadTable)]
    assert table.rows[1][0] == ReadCell(("日常履职",), rowspan=2)
    # LibreOffice's own rendering of the .doc, numbers included, is what was read
    shown = soffice_convert(doc, "txt:Text (encoded):UTF8", tmp_path / "text")
    lines = [normalise(line) for line in shown.read_text(encoding="utf-8-sig").splitlines()]
    assert [line for line in lines if line] == [normalise(text) for text in flat_text(document)]
    # a .wps from WPS Office is the same binary format
    wps = tmp_path / "工作总结.wps"
    wps.write_bytes(doc.read_bytes())
    from_wps = read_document(wps)
    assert texts(from_wps) == REPORT_TEXTS and from_wps.source_format == "wps"


@pytest.mark.libreoffice
def test_two_conversions_at_once_do_not_clash(tmp_path: Path) -> None:
    source = write_docx(tmp_path / "a.docx", report_body(), numbering=REPORT_LIST)
    doc = soffice_convert(source, "doc", tmp_path)
    results: list[list[str]] = []

    def convert() -> None:
        results.append(texts(read_document(doc)))

    threads = [threading.Thread(target=convert) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [REPORT_TEXTS, REPORT_TEXTS]


@pytest.mark.libreoffice
def test_a_doc_libreoffice_cannot_read(tmp_path: Path) -> None:
    require_libreoffice()
    path = tmp_path / "损坏.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096))
    with pytest.raises(FileAccessError) as raised:
        read_document(path)
    message = str(raised.value)
    assert "损坏.doc" in message and "LibreOffice 无法转换这个文件" in message
    assert "source" not in message and "/tmp/huibao-import" not in message


@pytest.mark.libreoffice
def test_conversion_that_takes_too_long_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_docx(tmp_path / "a.docx", report_body(), numbering=REPORT_LIST)
    doc = soffice_convert(source, "doc", tmp_path)
    monkeypatch.setattr(generator.reader, "CONVERT_TIMEOUT_SECONDS", 0.05)
    with pytest.raises(FileAccessError, match=r"LibreOffice 转换超时（超过 0.05 秒）"):
        read_document(doc)
    running = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True)
    assert "huibao-import-" not in running.stdout


def test_doc_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    path = tmp_path / "去年报告.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    with pytest.raises(FileAccessError) as raised:
        read_document(path)
    message = str(raised.value)
    assert "读取 .doc 文件需要 LibreOffice，但这台电脑上没有找到它" in message
    assert "sudo apt-get install libreoffice-writer-nogui" in message
    assert "另存为 .docx" in message


# --- files that are not what they should be ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.pdf", b"%PDF-1.7", "不能导入 .pdf 文件"),
        ("报告", b"text", "不能导入没有扩展名的文件"),
        ("报告.yaml", b"kind: work-summary", "这是 huibao 的表单，不需要导入"),
        ("空.docx", b"", "文件是空的"),
        ("空.txt", b"  \n", "文件是空的"),
        ("伪装.txt", b"PK\x03\x04rest", "这是 Word 或其他 Office 文档，不是文本文件"),
        (
            "伪装.html",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "这是 Word 或其他 Office 文档，不是网页",
        ),
        ("二进制.txt", b"abc\x00def", "这不是文本文件（含有二进制内容）"),
    ],
)
def test_files_that_cannot_be_imported(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileAccessError) as raised:
        read_document(path)
    assert message in str(raised.value)
    assert str(raised.value).startswith(str(path))
    assert "提示：" in str(raised.value) or "文件是空的" in str(raised.value)


def test_missing_file_folder_and_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(FileAccessError, match="文件不存在"):
        read_document(tmp_path / "没有.docx")
    folder = tmp_path / "文件夹.docx"
    folder.mkdir()
    with pytest.raises(FileAccessError, match="这是一个文件夹，不是文件"):
        read_document(folder)
    monkeypatch.setattr(generator.reader, "MAX_INPUT_BYTES", 1024)
    big = tmp_path / "大.txt"
    big.write_text("文字" * 1000, encoding="utf-8")
    with pytest.raises(FileAccessError, match=re.escape("文件太大（0.0 MB），超过上限 0.0 MB")):
        read_document(big)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("文字", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(FileAccessError, match="没有读取权限"):
        read_document(path)


def test_single_file_web_page_saved_as_doc(tmp_path: Path) -> None:
    """Word's "single file web page" (MHT), as office systems export it under a .doc name."""
    page = GOVERNMENT_PAGE.replace("charset=gb2312", "charset=utf-8")
    quoted = quopri.encodestring(page.encode("gb18030")).decode("ascii")
    mht = (
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="----=_NextPart_01DA"\r\n\r\n'
        "------=_NextPart_01DA\r\n"
        "Content-Location: file:///C:/report.htm\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        'Content-Type: text/html; charset="gb2312"\r\n\r\n'
        + quoted.replace("\n", "\r\n")
        + "\r\n\r\n------=_NextPart_01DA--\r\n"
    )
    path = tmp_path / "导出.doc"
    path.write_bytes(mht.encode("ascii"))
    document = read_document(path)
    assert texts(document) == EXPECTED_PAGE
    assert document.notes[0] == "文件扩展名是 .doc，内容却是单个文件网页（MHT），已按网页读取"


@pytest.mark.libreoffice
def test_word_2003_xml_saved_as_doc(tmp_path: Path) -> None:
    """What many office systems generate from a template and hand out as .doc."""
    require_libreoffice()
    path = tmp_path / "系统导出.doc"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<?mso-application progid="Word.Document"?>\n'
        '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml">'
        "<w:body><w:p><w:r><w:t>嘉兴市住建局2023年工作总结</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:body></w:wordDocument>",
        encoding="utf-8",
    )
    document = read_document(path)
    assert texts(document) == ["嘉兴市住建局2023年工作总结", "一、总体情况"]
    assert document.source_format == "doc"


def test_word_owner_file_picked_by_mistake(tmp_path: Path) -> None:
    path = tmp_path / "~$去年报告.docx"
    path.write_bytes(b"\x06zhangsan" + b"\x00" * 40 + "张三".encode("utf-16-le"))
    with pytest.raises(FileAccessError) as raised:
        read_document(path)
    assert "这是 Word 打开文档时生成的临时文件，不是文档本身" in str(raised.value)
    assert "去年报告.docx" in str(raised.value)


def test_document_without_text(tmp_path: Path) -> None:
    scanned = write_docx(tmp_path / "扫描件.docx", "<w:p/>")
    with zipfile.ZipFile(scanned, "a") as archive:
        archive.writestr("word/media/image1.png", b"\x89PNG\r\n\x1a\n")
    with pytest.raises(FileAccessError) as raised:
        read_document(scanned)
    assert "文件中没有可以读取的文字（只有图片，可能是扫描件）" in str(raised.value)
    page = tmp_path / "空网页.html"
    page.write_text("<html><body><script>x()</script><div>  </div></body></html>")
    with pytest.raises(FileAccessError, match="文件中没有可以读取的文字"):
        read_document(page)


def test_chrome_inside_the_article_container_and_numbered_lists(tmp_path: Path) -> None:
    page = """<html><head><meta charset="utf-8"><title>工作总结</title></head><body>
<div class="article">
  <h1>嘉兴市住建局2023年工作总结</h1>
  <p>发布时间：2024-01-15　　信息来源：办公室　　点击数：1024</p>
  <p>【字体：大 中 小】</p>
  <p>　　今年以来，我局全面贯彻党的二十大精神，各项工作取得新成效。</p>
  <ol><li>完成老旧小区改造302个。</li><li><p>新增停车位5656个。</p></li></ol>
  <ol type="a" start="3"><li>加装电梯541台。</li></ol>
  <p>【打印本页】 【关闭窗口】</p>
  <p>扫一扫在手机上打开</p>
</div></body></html>"""
    path = tmp_path / "总结.html"
    path.write_text(page, encoding="utf-8")
    document = read_document(path)
    assert texts(document) == [
        "嘉兴市住建局2023年工作总结",
        "今年以来，我局全面贯彻党的二十大精神，各项工作取得新成效。",
        "1. 完成老旧小区改造302个。",
        "2. 新增停车位5656个。",
        "c. 加装电梯541台。",
    ]
    read = paragraphs(document)
    assert (read[0].style, read[0].bold_prefix) == ("Heading 1", "嘉兴市住建局2023年工作总结")
    assert [paragraph.number for paragraph in read[2:]] == ["1.", "2.", "c."]
    notes = "\n".join(document.notes)
    assert "发布时间：2024-01-15" in notes
    assert "已删去网页上的导航、按钮等文字（3 处" in notes
