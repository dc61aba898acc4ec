"""Shared fixtures: the built work-summary example, built once per test session; and the
hypothesis profiles (``ci``: bounded; ``HYPOTHESIS_PROFILE=long`` for a campaign)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from generator.cli import app
from generator.pipeline import build_report
from tests.helpers import EXAMPLES

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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
