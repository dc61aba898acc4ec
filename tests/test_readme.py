"""The README's two commands do what it says, on a Python that refuses ``pip`` outside a venv."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.helpers import ROOT

APT_STEP = "sudo apt-get update && sudo apt-get install -y python3-venv && "


def _readme_commands() -> list[str]:
    """The commands of the README's install section, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 安装与使用", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```bash\n(.*?)```", section, re.DOTALL)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def _copy_of_the_project(target: Path) -> Path:
    """The project as a fresh clone has it: no virtual environment, caches or built reports."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {".git", ".venv", "venv", "build", "dist", "__pycache__"}
        skipped |= {name for name in names if name.endswith("_cache") or name == ".hypothesis"}
        if Path(folder).name == "examples":
            skipped |= {name for name in names if name.endswith(".docx")}
        return skipped & set(names)

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def test_two_commands_set_up_and_check() -> None:
    first, second = _readme_commands()
    assert first.startswith(APT_STEP)
    assert "python3 -m venv .venv" in first
    assert first.endswith(".venv/bin/huibao build examples/work-summary.yaml")
    assert second == "bash .ci/run"
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for check in ("ruff check .", "ruff format --check .", "-m mypy", "-m pytest", "python3-venv"):
        assert check in script


def test_first_command_installs_into_the_project_venv_and_builds_the_example(
    tmp_path: Path,
) -> None:
    """Run as written, less the apt-get step (root and a Debian system Python are not here); pip
    is told to refuse any install outside a virtual environment, as Debian 12 and Ubuntu 24.04
    do."""
    first, _ = _readme_commands()
    project = _copy_of_the_project(tmp_path / "huibao")
    environment = {**os.environ, "PIP_REQUIRE_VIRTUALENV": "1"}
    environment.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        ["bash", "-c", first.removeprefix(APT_STEP)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "已生成 examples/work-summary.docx" in result.stdout
    assert (project / "examples" / "work-summary.docx").stat().st_size > 10_000
    assert (project / ".venv" / "bin" / "huibao").is_file()
