"""Shared fixtures: the built work-summary example, built once per test session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.cli import app
from generator.pipeline import build_report
from tests.helpers import EXAMPLES


@pytest.fixture(scope="session")
def work_summary_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("example") / "work-summary.docx"
    build_report(EXAMPLES / "work-summary.yaml", output)
    return output


@pytest.fixture
def run_cli() -> Callable[..., tuple[int, str, str]]:
    """Run ``huibao`` with arguments; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return run
