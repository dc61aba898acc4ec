"""Broken and hostile inputs, through the CLI: exit 1, a Chinese message naming the file and the
place, no traceback, no output file."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.forms import write_form
from schemas import KINDS
from tests.helpers import EXAMPLES, ROOT, docx_text

RunCli = Callable[..., tuple[int, str, str]]
GOOD = (EXAMPLES / "work-summary.yaml").read_text(encoding="utf-8")
HEAD = "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# (case, input file name, content, fragments the message must contain)
CASES: list[tuple[str, str, bytes, tuple[str, ...]]] = [
    ("empty", "a.yaml", b"", ("a.yaml", "文件是空的")),
    ("only comments", "a.yaml", "# 只有注释\n# 第二行\n".encode(), ("a.yaml", "文件是空的")),
    ("top-level list", "a.yaml", b"- a\n- b\n", ("a.yaml:1", "最外层")),
    ("top-level scalar", "a.yaml", "只是一句话\n".encode(), ("a.yaml:1", "最外层")),
    (
        "csv unclosed quote",
        "a.csv",
        '报告类型,task-progress\n标题,"重点工作\n发文机关,某局\n'.encode(),
        ("a.csv:2", "英文双引号不成对"),
    ),
    ("tabs", "a.yaml", (HEAD + "sections:\n\t- heading: x\n").encode(), ("a.yaml:6", "Tab")),
    ("unclosed quote", "a.yaml", (HEAD + 'opening: "没有结束\n').encode(), ("a.yaml:", "引号")),
    ("unclosed bracket", "a.yaml", (HEAD + "opening: [甲, 乙\n").encode(), ("a.yaml:", "方括号")),
    ("duplicate key", "a.yaml", (HEAD + "org: 另一个局\n").encode(), ("a.yaml:5", "重复出现")),
    (
        "missing kind",
        "a.yaml",
        GOOD.replace("kind: work-summary\n", "").encode(),
        ("a.yaml", "缺少报告类型"),
    ),
    (
        "unknown kind",
        "a.yaml",
        GOOD.replace("kind: work-summary", "kind: summary").encode(),
        ("a.yaml:4", "不认识的报告类型"),
    ),
    (
        "python tag",
        "a.yaml",
        (HEAD + "opening: !!python/object/apply:os.system [ls]\n").encode(),
        ("a.yaml:5", "不支持的 YAML 标记"),
    ),
    (
        "unknown tag",
        "a.yaml",
        (HEAD + "opening: !secret 文字\n").encode(),
        ("a.yaml:5", "不支持的 YAML 标记"),
    ),
    (
        "billion laughs",
        "a.yaml",
        (
            HEAD
            + 'a: &a ["哈","哈"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
        ).encode(),
        ("a.yaml:6", "锚点和别名"),
    ),
    (
        "deep nesting",
        "a.yaml",
        (HEAD + "opening: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
        ("a.yaml", "嵌套"),
    ),
    ("binary garbage", "a.yaml", bytes(range(256)) * 4, ("a.yaml", "二进制")),
    ("docx renamed", "a.yaml", _docx_bytes(), ("a.yaml", "二进制")),
    ("NUL in text", "a.yaml", (HEAD + "opening: 甲\x00乙\n").encode(), ("a.yaml", "二进制")),
    (
        "control character",
        "a.yaml",
        (HEAD + "opening: 甲\x07乙\n").encode(),
        ("a.yaml:5", "控制字符 U+0007"),
    ),
    (
        "csv renamed xlsx",
        "a.xlsx",
        "名称,数值\n道路,88\n".encode(),
        ("a.xlsx", "不是有效的 Excel 工作簿"),
    ),
    (
        "truncated xlsx",
        "a.xlsx",
        (EXAMPLES / "task-progress.xlsx").read_bytes()[:4000],
        ("a.xlsx", "Excel"),
    ),
    (
        "one damaged byte in UTF-8",
        "a.yaml",
        HEAD.encode() + "opening: café\n".encode("latin-1"),
        ("a.yaml:5", "不是 UTF-8"),
    ),
    (
        "latin-1",
        "a.yaml",
        "kind: work-summary\ntitle: café\n".encode("latin-1"),
        ("a.yaml:2", "不是 UTF-8"),
    ),
]


@pytest.mark.parametrize(
    ("case", "name", "content", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_bad_input_gets_a_message_not_a_traceback(
    run_cli: RunCli, tmp_path: Path, case: str, name: str, content: bytes, expected: tuple[str, ...]
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    output = tmp_path / "out.docx"
    started = time.perf_counter()
    code, _, err = run_cli("build", str(source), "-o", str(output))
    assert time.perf_counter() - started < 5
    assert code == 1, err
    assert "Traceback" not in err
    for fragment in expected:
        assert fragment in err, f"{case}: {fragment!r} not in {err!r}"
    assert not output.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize(
    ("target", "expected"),
    [("{folder}/nowhere.yaml", "文件不存在"), ("{folder}", "文件夹")],
)
def test_missing_input_and_folder(
    run_cli: RunCli, tmp_path: Path, target: str, expected: str
) -> None:
    code, _, err = run_cli("build", target.format(folder=tmp_path))
    assert code == 1 and expected in err and "Traceback" not in err


def test_output_in_a_missing_folder(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "a.yaml"
    source.write_text(GOOD, encoding="utf-8")
    code, _, err = run_cli("build", str(source), "-o", str(tmp_path / "no" / "out.docx"))
    assert code == 1 and "输出文件夹不存在" in err


def test_xml_entity_bomb_in_a_workbook_is_refused_quickly(run_cli: RunCli, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    write_form(KINDS["task-progress"], form)
    bomb = tmp_path / "bomb.xlsx"
    entities = (
        '<!DOCTYPE x [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + "]>"
    )
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(bomb, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                declaration_end = text.index("?>") + 2 if text.startswith("<?xml") else 0
                data = (text[:declaration_end] + entities + text[declaration_end:]).encode("utf-8")
            target.writestr(member, data)
    form.unlink()
    started = time.perf_counter()
    code, _, err = run_cli("build", str(bomb), "-o", str(tmp_path / "out.docx"))
    assert time.perf_counter() - started < 1
    assert code == 1 and "bomb.xlsx" in err and "Traceback" not in err
    assert not (tmp_path / "out.docx").exists()


KILLED_MID_WRITE = """
import sys, time
from pathlib import Path
from generator import docx_writer
from generator.pipeline import build_report

write_package = docx_writer._write_package

def write_then_hang(word, stream, copied):
    write_package(word, stream, copied)
    stream.flush()
    print("written", flush=True)
    time.sleep(60)

docx_writer._write_package = write_then_hang
build_report(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_kill_9_mid_write_leaves_the_previous_report_intact(tmp_path: Path) -> None:
    source = tmp_path / "a.yaml"
    source.write_text(GOOD, encoding="utf-8")
    output = tmp_path / "a.docx"
    output.write_bytes(b"last year's report")
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_WRITE, str(source), str(output)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "written"  # the new file is half way through
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert output.read_bytes() == b"last year's report"


LITERALS = [
    "&",
    "<b>粗体</b>",
    "{{ 7*7 }}",
    "{% raw %}",
    "“引号”'单引号'",
    "😀",
    "𠀀𪚥",
    "no",
    "on",
]


def test_inputs_that_must_work_appear_literally(run_cli: RunCli, tmp_path: Path) -> None:
    """UTF-8 with BOM, XML specials, template look-alikes, emoji, Extension B, YAML 1.1 words."""
    source = tmp_path / "a.yaml"
    items = "".join(f"      - {json.dumps(text, ensure_ascii=False)}\n" for text in LITERALS)
    body = HEAD + "sections:\n  - heading: on\n    text: no\n    items:\n" + items
    source.write_bytes("\ufeff".encode() + body.encode())
    output = tmp_path / "a.docx"
    code, _, err = run_cli("build", str(source), "-o", str(output))
    assert code == 0, err
    text = docx_text(output)
    assert "一、on" in text and "\nno" in text
    for literal in LITERALS:
        assert literal in text


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize("given", [".", "/", ""])
def test_a_folder_as_input_is_a_message_not_a_traceback(
    run_cli: RunCli, command: str, given: str
) -> None:
    code, _, err = run_cli(command, given)
    assert code == 1 and "这是一个文件夹，不是文件" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "reason", "fix"),
    [
        ("去年.docx", "这是 Word 文件", "huibao new"),
        ("去年.wps", "这是 WPS 文字文件", "huibao form"),
        ("表.xls", "旧版 Excel 文件", "另存为"),
        ("报告.pdf", "这是 PDF 文件", "huibao new"),
    ],
)
def test_an_office_file_as_input_says_what_to_give_instead(
    tmp_path: Path, run_cli: RunCli, name: str, reason: str, fix: str
) -> None:
    (tmp_path / name).write_bytes(_docx_bytes())
    for command in ("build", "validate"):
        code, _, err = run_cli(command, str(tmp_path / name))
        assert code == 1 and reason in err and fix in err and "覆盖输入文件" not in err
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize(
    "command",
    [
        ("form", "task-progress", "-o", "{folder}"),
        ("new", "work-summary", "-o", "{folder}", "--force"),
        ("schema", "work-summary", "-o", "{folder}"),
        ("build", "{example}", "-o", "{folder}"),
    ],
)
def test_a_folder_as_output_says_to_name_a_file(
    tmp_path: Path, run_cli: RunCli, command: tuple[str, ...]
) -> None:
    folder = tmp_path / ("d.docx" if command[0] == "build" else "d.xlsx")
    folder.mkdir()
    example = str(EXAMPLES / "work-summary.yaml")
    args = [part.format(folder=folder, example=example) for part in command]
    code, _, err = run_cli(*args)
    assert code == 1 and "文件夹" in err and "文件名" in err
    assert "已存在" not in err and "Traceback" not in err
    assert list(folder.iterdir()) == []
