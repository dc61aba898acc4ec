"""Start-up stays lean: ``huibao --version`` imports none of the pipeline's libraries, and a build
builds the models of its own report kind only. (The times are measured by benchmarks/run.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import EXAMPLES, ROOT

KIND_MODULES = {
    "schemas.work_summary",
    "schemas.performance_review",
    "schemas.progress_report",
    "schemas.task_progress",
    "schemas.rule_of_law_report",
    "schemas.government_work_report",
}


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


def test_version_imports_no_pipeline_library() -> None:
    modules = _modules_after(
        "from generator.cli import app\n"
        "try:\n    app(['--version'], prog_name='huibao')\nexcept SystemExit:\n    pass"
    )
    assert "generator.cli" in modules
    heavy = {"pydantic", "docx", "jinja2", "yaml", "lxml", "schemas", "generator.pipeline"}
    assert modules & heavy == set()
    assert modules & {"rich.console", "rich.text", "rich.table", "rich.progress"} == set()


def test_a_build_builds_only_its_own_kind() -> None:
    for example, kind in (
        ("work-summary.yaml", "work_summary"),
        ("task-progress.yaml", "task_progress"),
    ):
        modules = _modules_after(
            "from pathlib import Path\n"
            "import tempfile\n"
            "from generator.pipeline import build_report\n"
            f"build_report(Path({str(EXAMPLES / example)!r}), Path(tempfile.mkdtemp()) / 'a.docx')"
        )
        assert modules & KIND_MODULES == {f"schemas.{kind}"}, example


def test_the_command_answers_version_before_importing_its_framework() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    from generator import __version__

    assert (done.stdout, done.stderr) == (f"huibao {__version__}\n", "")
    modules = _modules_after(
        "import sys\nsys.argv = ['huibao', '-V']\nfrom generator.entry import main\nmain()"
    )
    assert "generator.entry" in modules
    assert modules & {"typer", "click", "rich", "generator.cli"} == set()


def test_one_report_from_the_command_imports_no_batch_or_console_machinery(
    tmp_path: Path,
) -> None:
    output = tmp_path / "a.docx"
    modules = _modules_after(
        "import sys\n"
        f"sys.argv = ['huibao', 'build', {str(EXAMPLES / 'work-summary.yaml')!r}, "
        f"'-o', {str(output)!r}]\n"
        "from generator.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert output.is_file()
    assert "generator.pipeline" in modules
    assert modules & {"generator.batch", "concurrent.futures.process", "rich.console"} == set()
