"""What staff see when ``huibao import`` cannot read their report: one Chinese message naming
the file and the fix, exit code 1, no traceback, and no draft left behind."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.english import english_words
from tests.test_reader import REPORT_LIST, para, write_docx

RunCli = Callable[..., tuple[int, str, str]]

# names of products, systems, formats and units that the messages use as they are
NAMES = (
    *("LibreOffice", "libreoffice-writer-nogui", "Windows", "macOS", "Debian", "Ubuntu"),
    *("sudo", "apt-get", "install", "OCR", "DTD", "MB", "PDF", "HTML", "MHT", "XML"),
    *("doc", "wps", "txt", "html", "pdf"),
)


def _refused(run_cli: RunCli, path: Path, *fragments: str) -> str:
    code, out, err = run_cli("import", str(path))
    assert code == 1, (out, err)
    assert "Traceback" not in out + err
    assert err.startswith(f"错误：{path}：")
    for fragment in fragments:
        assert fragment in err, err
    assert "提示：" in err
    assert english_words(err, NAMES) == [], err
    assert not list(path.parent.glob("*.yaml")), (
        "no draft is written for a file that cannot be read"
    )
    return err


def test_damaged_word_document(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "去年总结.docx"
    path.write_bytes(b"PK\x03\x04 cut off while copying")
    _refused(run_cli, path, "Word 文档已损坏，无法读取", "另存为")


def test_zip_bomb(run_cli: RunCli, tmp_path: Path) -> None:
    path = write_docx(tmp_path / "报告.docx", para("正文"))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * (64 * 1024 * 1024))
    _refused(run_cli, path, "word/media/padding.bin 部分压缩比异常", "压缩炸弹")


def test_entity_bomb(run_cli: RunCli, tmp_path: Path) -> None:
    path = write_docx(tmp_path / "报告.docx", para("正文"))
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    items["word/document.xml"] = items["word/document.xml"].replace(
        b"\n", b'\n<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">]>\n', 1
    )
    with zipfile.ZipFile(path, "w") as target:
        for name, data in items.items():
            target.writestr(name, data)
    _refused(run_cli, path, "文档类型声明（DTD）", "为安全起见拒绝读取")


def test_doc_without_libreoffice(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    path = tmp_path / "去年总结.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    _refused(run_cli, path, "需要 LibreOffice", "sudo apt-get install libreoffice-writer-nogui")


def test_text_in_an_unknown_encoding(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "总结.txt"
    path.write_bytes("一、总体情况\n".encode() + "Größe überall".encode("latin-1"))
    code, out, err = run_cli("import", str(path))
    assert code == 1 and "Traceback" not in out + err
    assert "总结.txt:2  文件不是 UTF-8 编码，也不是 GB18030（GBK）编码的中文" in err
    assert not list(tmp_path.glob("*.yaml"))


def test_pdf(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "总结.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    _refused(run_cli, path, "不能导入 .pdf 文件", "另存为 .docx")


def test_a_word_document_with_automatic_numbering_imports(run_cli: RunCli, tmp_path: Path) -> None:
    """The reader's numbers are what the importer recognises the outline by."""
    body = (
        para("嘉兴市住房和城乡建设局2023年工作总结", style="Title")
        + para("总体情况", style="1")
        + para("全年完成投资125亿元。")
        + para("存在问题", style="1")
        + para("短板弱项仍然存在。")
    )
    path = write_docx(tmp_path / "总结.docx", body, numbering=REPORT_LIST)
    code, out, err = run_cli("import", str(path), "-o", str(tmp_path / "草稿.yaml"))
    assert (code, err) == (0, ""), out
    draft = (tmp_path / "草稿.yaml").read_text(encoding="utf-8")
    assert "heading: 总体情况" in draft and "heading: 存在问题" in draft
    assert "heading: 一、" not in draft and "heading: 二、" not in draft
