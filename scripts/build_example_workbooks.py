"""Write ``examples/{task-progress,performance-review}.xlsx`` from the YAML examples.

The workbook is what a bureau would fill with ``huibao form task-progress``; building it must give
the same report as the YAML (a test checks both against seeds 003 and 001). Run after changing the YAML.
"""

from __future__ import annotations

from pathlib import Path

from generator.forms import write_form
from generator.load import load_source
from schemas import KINDS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    for name in ("performance-review", "task-progress"):
        source = load_source(EXAMPLES / f"{name}.yaml")
        write_form(KINDS[name], EXAMPLES / f"{name}.xlsx", source.data)


if __name__ == "__main__":
    main()
