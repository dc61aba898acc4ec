"""A plain ``pip install .`` gives a ``huibao`` that works from any folder (templates inside)."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import docx
import jinja2
import pydantic
import pytest
import rich
import typer
import yaml

from tests.helpers import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = folder.glob("huibao-*.whl")
    return built


def test_wheel_carries_templates_and_no_tests(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/templates/reference.docx" in names
    assert "generator/fonts.conf" in names  # the previews' font substitutions
    assert "generator/templates/work-summary/report.html.j2" in names
    assert "generator/templates/_outline.html.j2" in names
    assert "schemas/work_summary.py" in names
    assert not [name for name in names if name.startswith("tests/")]


def test_installed_wheel_builds_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    # The dependencies come from this test's environment through a .pth path line (which,
    # unlike a site directory, does not run that environment's editable-install hooks);
    # huibao itself comes only from the wheel.
    (site_packages,) = environment.glob("lib/python*/site-packages")
    dependency_dirs = {
        str(Path(module.__file__ or "").parent.parent)
        for module in (pydantic, jinja2, docx, yaml, typer, rich)
    }
    (site_packages / "_dependencies.pth").write_text("\n".join(sorted(dependency_dirs)) + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    work = tmp_path / "office"
    work.mkdir()
    (work / "2020.yaml").write_bytes((EXAMPLES / "work-summary.yaml").read_bytes())
    result = subprocess.run(
        [str(environment / "bin" / "huibao"), "build", "2020.yaml"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (work / "2020.docx").is_file()
    location = subprocess.run(
        [str(python), "-c", "import generator; print(generator.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(environment) in location
