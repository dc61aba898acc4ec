"""The 基本信息 sheet sets what YAML sets with ``seal`` and ``landscape``: 加盖印章 (the 落款 of
GB/T 9704 §7.3.5.1) and 横排 (the table's pages turned). Real workbooks written by openpyxl, built
with the CLI; the .docx is read back."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tests.helpers import EXAMPLES, docx_paragraphs

RunCli = Callable[..., tuple[int, str, str]]


def _workbook(tmp_path: Path, settings: dict[str, str | bool | None]) -> Path:
    """The task-progress example with the 基本信息 items ``settings`` set (added if missing)."""
    workbook = openpyxl.load_workbook(EXAMPLES / "task-progress.xlsx")
    sheet = workbook["基本信息"]
    rows = {row[0].value: row for row in sheet.iter_rows()}
    for label, value in settings.items():
        if label in rows:
            rows[label][1].value = value
        else:
            sheet.append([label, value])
    path = tmp_path / "执行情况.xlsx"
    workbook.save(path)
    return path


def _landscape(docx: Path) -> bool:
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    return 'w:orient="landscape"' in xml


def test_the_form_offers_seal_and_landscape_with_notes(run_cli: RunCli, tmp_path: Path) -> None:
    code, _out, err = run_cli("form", "task-progress", "-o", str(tmp_path / "f.xlsx"))
    assert code == 0, err
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["基本信息"]
    notes = {
        row[0].value: row[0].comment.text for row in sheet.iter_rows(min_row=2) if row[0].comment
    }
    assert "成文日期右空四字" in notes["加盖印章"]
    assert "默认横排" in notes["横排"]
    code, _out, err = run_cli("form", "performance-review", "-o", str(tmp_path / "p.xlsx"))
    assert code == 0, err
    labels = [row[0].value for row in openpyxl.load_workbook(tmp_path / "p.xlsx")["基本信息"]]
    assert labels[-2:] == ["加盖印章", "横排"]


@pytest.mark.parametrize("typed", ["否", False, "FALSE"])
def test_landscape_no_in_a_cell_gives_upright_pages(
    run_cli: RunCli, tmp_path: Path, typed: str | bool
) -> None:
    source = _workbook(tmp_path, {"横排": typed})
    code, _out, err = run_cli("build", str(source))
    assert code == 0, err
    assert not _landscape(source.with_suffix(".docx"))


def test_landscape_left_empty_is_the_kinds_default(run_cli: RunCli, tmp_path: Path) -> None:
    source = _workbook(tmp_path, {"横排": None})
    code, _out, err = run_cli("build", str(source))
    assert code == 0, err
    assert _landscape(source.with_suffix(".docx"))


def test_a_seal_in_a_cell_places_the_signature_as_stamped(run_cli: RunCli, tmp_path: Path) -> None:
    source = _workbook(tmp_path, {"落款": "是", "加盖印章": "是"})
    code, _out, err = run_cli("build", str(source))
    assert code == 0, err
    styles = [style for style, _text in docx_paragraphs(source.with_suffix(".docx"))[-2:]]
    assert styles == ["落款", "成文日期（加盖印章）"]


def test_a_seal_without_a_signature_names_the_cell(run_cli: RunCli, tmp_path: Path) -> None:
    source = _workbook(tmp_path, {"加盖印章": "是"})
    code, out, err = run_cli("build", str(source))
    assert code == 1
    assert "执行情况.xlsx:基本信息!B" in err and "要加盖印章，但没有加落款" in err
    assert "Traceback" not in out + err


def test_a_value_that_is_not_yes_or_no_names_the_cell(run_cli: RunCli, tmp_path: Path) -> None:
    source = _workbook(tmp_path, {"横排": "横着"})
    code, out, err = run_cli("build", str(source))
    assert code == 1
    assert "执行情况.xlsx:基本信息!B" in err and "横排" in err
    assert "Traceback" not in out + err
