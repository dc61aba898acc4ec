"""Time building each example and report peak memory: figures to watch, not a pass/fail test.

Run: ``python benchmarks/build_speed.py [--runs N]``. Prints, per example, the median and worst
wall time of a full build (load, validate, render, write .docx) from YAML and from the example
workbooks, and the process's peak RSS.
Target for a yearly report of about 10 pages: under 1 s a build and under 200 MiB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from generator.pipeline import build_report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        for example in sorted([*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*.xlsx")]):
            output = Path(folder) / f"{example.name}.docx"
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                result = build_report(example, output)
                timings.append(time.perf_counter() - start)
            characters = len("".join(result.document.text.split()))
            print(
                f"{example.name:24} {characters:6d} 字  "
                f"median {statistics.median(timings) * 1000:6.1f} ms  "
                f"max {max(timings) * 1000:6.1f} ms  ({runs} runs)"
            )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
