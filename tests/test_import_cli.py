"""``huibao import`` at the command line, the draft's side: where the draft goes, what is said,
and what is refused (never overwritten, never a traceback, never English, no stray file)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.english import english_words
from tests.helpers import SEEDS

RunCli = Callable[..., tuple[int, str, str]]
SEED_004 = SEEDS / "004_0487bdcd1988260a.txt"


def _report(folder: Path, name: str = "2023年法治政府建设年度报告.txt") -> Path:
    source = folder / name
    shutil.copyfile(SEED_004, source)
    return source


def test_the_draft_goes_beside_the_report_and_the_next_step_is_said(
    tmp_path: Path, run_cli: RunCli
) -> None:
    source = _report(tmp_path)
    code, out, err = run_cli("import", str(source))
    assert (code, err) == (0, "")
    draft = tmp_path / "2023年法治政府建设年度报告.yaml"
    assert draft.exists()
    assert f"已导入 {source}（法治政府建设年度报告），草稿写在 {draft}。" in out
    assert f"huibao validate {draft}" in out
    assert english_words(out) == [], out
    assert sorted(path.name for path in tmp_path.iterdir()) == [source.name, draft.name]


def test_next_years_draft_is_named_for_next_year(tmp_path: Path, run_cli: RunCli) -> None:
    source = _report(tmp_path)
    code, out, err = run_cli("import", str(source), "--next-year")
    assert (code, err) == (0, "")
    draft = tmp_path / "2024年法治政府建设年度报告.yaml"
    assert draft.exists()
    assert "个指标要填写今年的数值" in out
    text = draft.read_text(encoding="utf-8")
    assert "\nyear: 2024\n" in text
    assert "title: 嘉兴市住房和城乡建设局2024年法治政府建设年度报告" in text
    assert english_words(out) == [], out


def test_an_existing_draft_is_not_overwritten_without_force(
    tmp_path: Path, run_cli: RunCli
) -> None:
    source = _report(tmp_path)
    draft = tmp_path / "2023年法治政府建设年度报告.yaml"
    draft.write_text("# 已经改过的草稿\n", encoding="utf-8")
    code, out, err = run_cli("import", str(source))
    assert code == 1
    assert err.startswith(f"错误：{draft}：文件已存在，未覆盖")
    assert "--force" in err and "Traceback" not in out + err
    assert draft.read_text(encoding="utf-8") == "# 已经改过的草稿\n"
    code, out, err = run_cli("import", str(source), "--force")
    assert code == 0, err
    assert "kind: rule-of-law-report" in draft.read_text(encoding="utf-8")


def test_refused_outputs_leave_nothing_behind(tmp_path: Path, run_cli: RunCli) -> None:
    source = _report(tmp_path)
    cases = [
        (("-o", str(tmp_path / "草稿.docx")), "草稿的文件名应以 .yaml（或 .xlsx）结尾"),
        (("-o", str(tmp_path / "草稿.xlsx")), "法治政府建设年度报告的正文只能写成 YAML"),
        (("-o", str(source)), "草稿的文件名应以 .yaml（或 .xlsx）结尾"),
    ]
    for options, message in cases:
        code, out, err = run_cli("import", str(source), *options)
        assert code == 1, out
        assert message in err and "提示：" in err
        assert "Traceback" not in out + err
        assert english_words(err) == [], err
        assert [path.name for path in tmp_path.iterdir()] == [source.name]


def test_a_draft_cannot_replace_its_own_report(tmp_path: Path, run_cli: RunCli) -> None:
    source = tmp_path / "报告.txt"
    shutil.copyfile(SEED_004, source)
    link = tmp_path / "草稿.yaml"
    link.symlink_to(source)
    code, _, err = run_cli("import", str(source), "-o", str(link))
    assert code == 1
    assert "草稿不能覆盖原文件" in err
    assert source.read_bytes() == SEED_004.read_bytes()


def test_kind_given_on_the_command_line(tmp_path: Path, run_cli: RunCli) -> None:
    source = _report(tmp_path)
    draft = tmp_path / "x.yaml"
    code, _, err = run_cli("import", str(source), "--kind", "work-summary", "-o", str(draft))
    assert code == 0, err
    text = draft.read_text(encoding="utf-8")
    assert "\nkind: work-summary\n" in text
    assert "按指定的类型“年度工作总结”读取" in text
    code, _, err = run_cli("import", str(source), "--kind", "summary")
    assert code == 2
    assert "不认识的报告类型“summary”" in err
    assert not (tmp_path / "2023年法治政府建设年度报告.yaml").exists()
