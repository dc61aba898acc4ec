"""Benchmarks: huibao against what a user would pick instead, on the same content.

Run: ``python benchmarks/run.py`` (a few minutes), or ``python benchmarks/run.py --short`` (what CI
runs: fewer runs and a smaller batch). Prints figures and the issue's targets beside them; it never
fails on timing (only a crash of a build is an error).

The content is ``examples/work-summary.yaml`` (seed 000) as huibao lays it out: the same
paragraphs, styles and character styles are written

- by huibao (``huibao build``);
- by a bare python-docx script (open ``templates/reference.docx``, add the paragraphs by style
  name, save): the least any tool must do;
- by docxtpl (python-docx-template), from a template made of the same reference document;
- by pandoc (pypandoc-binary) from Markdown with ``custom-style`` attributes and
  ``--reference-doc``.

Figures (medians of interleaved runs; a busy machine shows in the load average printed first):

- cold build: one whole process per report, as a person runs it, with its peak memory;
- steady per-report time: many reports in one process, each tool in turn in nine rounds
  (pandoc: one process a report, as a script would run it);
- huibao alone: ``huibao --version``, a batch of work summaries on every core
  (``huibao build FOLDER -o OUT``), and the scaling table: 1x, 10x and 30x the work summary
  (its sections repeated), 100, 300 and 1,000 tasks of the task table, each size in a process
  of its own (time per build, per stage, and peak memory).

Child processes get a bytecode cache of their own (``PYTHONPYCACHEPREFIX``), so that imports
cost what they cost in an installed huibao, whatever ``PYTHONDONTWRITEBYTECODE`` says.
The peers are development extras (``pip install -e '.[bench]'``); a missing one is skipped.

The targets in seconds were set on a day the peers ran at the speeds in ``ISSUE_PEERS``; the
machine has since run them up to about twice as slowly. So the peers' slow-down is printed, and
each target in seconds is judged twice: as measured, and at the issue's day's speed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "work-summary.yaml"
TASKS_EXAMPLE = ROOT / "examples" / "task-progress.yaml"
REFERENCE = ROOT / "templates" / "reference.docx"
MIB = 1024 * 1024
STAGES = ("load", "validate", "render", "check", "checks", "write")

TARGETS = {
    "cold": 1.3,  # huibao's cold build / a bare python-docx script's
    "version": 0.1,  # seconds
    "steady": 0.5,  # huibao's steady per-report time / docxtpl's
    "batch": 10.0,  # seconds for 1,000 work summaries on 2 cores
    "table": 1.0,  # seconds for the 1,000-task table
    "memory": 150.0,  # MiB for a report of about 300 pages
}

ISSUE_PEERS = {
    # The peers as issue 15 measured them on the development machine when it set the targets
    # (medians of paired runs, same content): the yardstick of that machine's speed that day.
    # The machine's speed swings (by half within an hour, by more between days), so a target in
    # seconds is also shown at that day's speed: the time measured, divided by how much slower
    # the peers ran in this run (the smallest of their slow-downs, to flatter nobody).
    ("cold", "python-docx script"): 0.095,
    ("cold", "docxtpl"): 0.12,
    ("cold", 'python -c "import docx"'): 0.07,
    ("steady", "python-docx"): 0.016,
    ("steady", "docxtpl"): 0.017,
}

# --- the peers' scripts (run as separate processes) ------------------------------------------

PYTHON_DOCX_SCRIPT = """
import json, sys
import docx
from docx.oxml.ns import qn

def write(content, reference, output):
    word = docx.Document(reference)
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for paragraph in content["paragraphs"]:
        written = word.add_paragraph(style=paragraph["style"])
        for run in paragraph["runs"]:
            written.add_run(run["text"], style=run["style"])
    word.save(output)

if __name__ == "__main__":
    write(json.load(open(sys.argv[1], encoding="utf-8")), sys.argv[2], sys.argv[3])
"""

DOCXTPL_SCRIPT = """
import json, sys
from docxtpl import DocxTemplate, RichText

def write(content, template, output):
    document = DocxTemplate(template)
    body = []
    for paragraph in content["paragraphs"][1:]:
        text = RichText()
        for run in paragraph["runs"]:
            text.add(run["text"], style=run["style_id"])
        body.append({"style": paragraph["style"], "text": text})
    document.render({"title": content["paragraphs"][0]["text"], "body": body})
    document.save(output)

if __name__ == "__main__":
    write(json.load(open(sys.argv[1], encoding="utf-8")), sys.argv[2], sys.argv[3])
"""


@dataclass
class Run:
    """What one measured process took."""

    seconds: float
    peak_mib: float


def _child_environment(cache: Path) -> dict[str, str]:
    environment = dict(os.environ, PYTHONPYCACHEPREFIX=str(cache))
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    return environment


def run_process(command: Sequence[str], environment: dict[str, str], cwd: Path) -> Run:
    """Run ``command`` to its end; its wall time and peak resident memory (its own, by wait4)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command), stdout=subprocess.DEVNULL, stderr=errors, env=environment, cwd=cwd
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{message}")
    return Run(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def interleaved(
    commands: dict[str, list[str]], runs: int, environment: dict[str, str], cwd: Path
) -> dict[str, list[Run]]:
    """Each command ``runs`` times, taking turns, so that a change in the machine's load falls
    on all of them alike; one warm-up run each first (bytecode, file cache). A peer that fails
    is left out with its error (huibao failing is an error of the benchmark)."""
    for name, command in list(commands.items()):
        try:
            run_process(command, environment, cwd)
        except RuntimeError as error:
            if name.startswith("huibao"):
                raise
            print(f"{name} failed, left out: {error}\n")
            del commands[name]
    results: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(run_process(command, environment, cwd))
    return results


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- content ---------------------------------------------------------------------------------


def _content(example: Path) -> dict[str, Any]:
    """The example's paragraphs as huibao lays them out, for the peers to write."""
    import docx

    from generator.pipeline import render_input, validate_input

    document = render_input(validate_input(example))
    styles = docx.Document(str(REFERENCE)).styles
    paragraphs = []
    for paragraph in document.paragraphs:
        runs = [
            {
                "text": run.text,
                "style": run.style,
                "style_id": styles[run.style].style_id if run.style else None,
            }
            for run in paragraph.runs
        ]
        paragraphs.append({"style": paragraph.style, "text": paragraph.text, "runs": runs})
    return {"paragraphs": paragraphs}


def _docxtpl_template(content: dict[str, Any], path: Path) -> None:
    """The reference document with the tags a docxtpl user writes: one styled paragraph a style."""
    import docx
    from docx.oxml.ns import qn

    word = docx.Document(str(REFERENCE))
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    word.add_paragraph("{{ title }}", style="Title")
    word.add_paragraph("{%p for p in body %}")
    for style in dict.fromkeys(paragraph["style"] for paragraph in content["paragraphs"][1:]):
        word.add_paragraph(f"{{%p if p.style == '{style}' %}}")
        word.add_paragraph("{{r p.text }}", style=style)
        word.add_paragraph("{%p endif %}")
    word.add_paragraph("{%p endfor %}")
    word.save(str(path))


_MARKDOWN_SPECIALS = str.maketrans({char: "\\" + char for char in "\\`*_{}[]()<>#+-.!|~^$\"'"})


def _markdown(content: dict[str, Any]) -> str:
    """Pandoc Markdown: a fenced div a paragraph, a span a character style."""
    blocks = []
    for paragraph in content["paragraphs"]:
        text = ""
        for run in paragraph["runs"]:
            piece = run["text"].translate(_MARKDOWN_SPECIALS).replace("\n", "\\\n")
            text += f'[{piece}]{{custom-style="{run["style"]}"}}' if run["style"] else piece
        blocks.append(f'::: {{custom-style="{paragraph["style"]}"}}\n{text}\n:::\n')
    return "\n".join(blocks)


def scaled_summary(times: int, path: Path) -> Path:
    """The work summary ``times`` over: its sections (（一）…（七）) repeated under ``times``
    parts (一、二、…), as a long report is laid out; once, the example itself."""
    data = _data(EXAMPLE, "sections", times=1)
    if times > 1:
        sections = data["sections"]
        data["top_level"] = "一、"
        data["sections"] = [
            {"heading": f"第{index + 1}部分工作", "sections": sections} for index in range(times)
        ]
    return _dump(data, path)


def task_table(tasks: int, path: Path) -> Path:
    """The task table with its tasks repeated to ``tasks`` rows."""
    data = _data(TASKS_EXAMPLE, "tasks", times=1)
    rows = data["tasks"]
    data["tasks"] = [rows[index % len(rows)] for index in range(tasks)]
    return _dump(data, path)


def _data(example: Path, key: str, *, times: int) -> dict[str, Any]:
    from generator.load import load_source

    data = load_source(example).data
    data[key] = data[key] * times
    return data


def _dump(data: dict[str, Any], path: Path) -> Path:
    import yaml

    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    text = yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=1 << 20)
    path.write_text(text, encoding="utf-8")
    return path


# --- child processes: steady state and scaling, each in a process of its own ------------------


def _child_steady(tool: str, runs: int, folder: Path) -> dict[str, Any]:
    """Per-report time of ``tool`` writing the example ``runs`` times in this one process."""
    content = json.loads((folder / "content.json").read_text(encoding="utf-8"))
    write: Callable[[int], object]
    if tool == "huibao":
        from generator.pipeline import build_report

        def write(index: int) -> object:
            return build_report(EXAMPLE, folder / f"huibao-{index % 2}.docx")

    elif tool == "python-docx":
        scope: dict[str, Any] = {}
        exec(PYTHON_DOCX_SCRIPT, scope)

        def write(index: int) -> object:
            return scope["write"](content, str(REFERENCE), folder / f"docx-{index % 2}.docx")

    elif tool == "docxtpl":
        scope = {}
        exec(DOCXTPL_SCRIPT, scope)
        template = str(folder / "template.docx")

        def write(index: int) -> object:
            return scope["write"](content, template, folder / f"docxtpl-{index % 2}.docx")

    else:
        raise ValueError(tool)
    for index in range(3):
        write(index)
    timings = []
    for index in range(runs):
        start = time.perf_counter()
        write(index)
        timings.append(time.perf_counter() - start)
    return {"median": median(timings), "peak_mib": _peak_mib()}


def _child_scale(source: Path, runs: int, folder: Path) -> dict[str, Any]:
    """Time of a whole build of ``source`` and of each stage, and this process's peak memory."""
    from generator.pipeline import build_report

    output = folder / f"{source.stem}.docx"
    result = build_report(source, output)  # warm-up: templates, reference document
    build_checks: Callable[..., object] | None
    try:
        from generator.check_input import build_checks
    except ImportError:  # a huibao without the checks of huibao check
        build_checks = None
    characters = len("".join(result.document.text.split()))
    del result
    stages: dict[str, list[float]] = {"load": [], "validate": [], "render": [], "check": []}
    stages |= {"checks": [], "write": [], "build": []}
    for _ in range(runs):  # whole builds, each in a process that holds no other report
        start = time.perf_counter()
        build_report(source, output)
        stages["build"].append(time.perf_counter() - start)
    from generator import pipeline

    # the stages at the collector's pace of a build (a huibao from before it: the default pace)
    pace: Callable[[], Any] = getattr(pipeline, "fewer_collections", contextlib.nullcontext)
    for _ in range(runs):  # then each stage on its own
        with pace():
            _time_stages(source, output, stages, build_checks)
    return {
        "characters": characters,
        "stages": {name: median(values) for name, values in stages.items()},
        "peak_mib": _peak_mib(),
    }


def _time_stages(
    source: Path,
    output: Path,
    stages: dict[str, list[float]],
    build_checks: Callable[..., object] | None,
) -> None:
    """One run of each stage of a build, timed on its own."""
    import datetime as dt

    from generator.completeness import check_nothing_lost
    from generator.docx_writer import DocumentProperties, write_docx
    from generator.load import load_source
    from generator.pipeline import render_input, validate_input
    from generator.render import TEMPLATE_NAME, reference_docx

    start = time.perf_counter()
    load_source(source)
    stages["load"].append(time.perf_counter() - start)
    start = time.perf_counter()
    checked = validate_input(source)
    stages["validate"].append(time.perf_counter() - start - stages["load"][-1])
    start = time.perf_counter()
    document = render_input(checked)
    stages["render"].append(time.perf_counter() - start)
    report = checked.report
    created = dt.datetime(report.year, 12, 31, tzinfo=dt.UTC)
    title = "".join(report.title.splitlines())
    properties = DocumentProperties(title=title, author=report.org, created=created)
    start = time.perf_counter()
    template = f"{checked.kind.name}/{TEMPLATE_NAME}"
    check_nothing_lost(report, document, template, (properties.title, properties.author))
    stages["check"].append(time.perf_counter() - start)
    start = time.perf_counter()
    if build_checks is not None:
        build_checks(report, checked.source, document)
    stages["checks"].append(time.perf_counter() - start)
    start = time.perf_counter()
    write_docx(document, output, reference=reference_docx(), properties=properties)
    stages["write"].append(time.perf_counter() - start)
    del checked, document, report


def _peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_child(arguments: list[str], environment: dict[str, str], cwd: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *arguments]
    completed = subprocess.run(
        command, env=environment, cwd=cwd, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.splitlines()[-1])
    return result


# --- the whole benchmark ---------------------------------------------------------------------


def _huibao_command() -> list[str]:
    script = Path(sysconfig.get_path("scripts")) / "huibao"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "generator"]


def _pandoc() -> str | None:
    with contextlib.suppress(ImportError, OSError):
        import pypandoc  # type: ignore[import-untyped]

        return str(pypandoc.get_pandoc_path())
    return shutil.which("pandoc")


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * width for width in widths], *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    print()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _verdict(value: float, target: float) -> str:
    if value != value:  # NaN: not measured
        return "not measured"
    if value <= target:
        return "met"
    return f"missed by {value / target - 1:.0%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="fewer runs and sizes (CI)")
    parser.add_argument("--runs", type=int, help="runs of each cold build (default 15, short 5)")
    parser.add_argument("--batch", type=int, help="reports in the batch (default 1000, short 100)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        kind, *rest = arguments.child
        if kind == "steady":
            result = _child_steady(rest[0], int(rest[1]), Path(rest[2]))
        else:
            result = _child_scale(Path(rest[0]), int(rest[1]), Path(rest[2]))
        print(json.dumps(result))
        return
    short = arguments.short
    runs = arguments.runs or (5 if short else 15)
    batch = arguments.batch or (100 if short else 1000)
    with tempfile.TemporaryDirectory(prefix="huibao-bench-") as temporary:
        _benchmark(Path(temporary), runs=runs, batch=batch, short=short)


def _benchmark(folder: Path, *, runs: int, batch: int, short: bool) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()
    print(f"huibao benchmarks ({'short' if short else 'full'}): Python {platform.python_version()}")
    print(f"{cores} cores; load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if load[0] > 0.5 * (cores or 1):
        print("NOTE: the machine is busy: the times below are inflated, the ratios less so.")
    print()
    environment = _child_environment(folder / "pycache")
    content = _content(EXAMPLE)
    (folder / "content.json").write_text(json.dumps(content, ensure_ascii=False), "utf-8")
    (folder / "python_docx_write.py").write_text(PYTHON_DOCX_SCRIPT, "utf-8")
    (folder / "docxtpl_write.py").write_text(DOCXTPL_SCRIPT, "utf-8")
    (folder / "report.md").write_text(_markdown(content), "utf-8")
    peers = {"python-docx": True, "docxtpl": _has("docxtpl"), "pandoc": _pandoc() is not None}
    if peers["docxtpl"]:
        _docxtpl_template(content, folder / "template.docx")
    paragraphs = len(content["paragraphs"])
    characters = sum(len(p["text"]) for p in content["paragraphs"])
    print(f"content: {EXAMPLE.name}, {paragraphs} paragraphs, {characters} characters")
    missing = [name for name, present in peers.items() if not present]
    if missing:
        print(f"not installed, skipped: {', '.join(missing)} (pip install -e '.[bench]')")
    print()

    commands = {
        "huibao build": [*_huibao_command(), "build", str(EXAMPLE), "-o", str(folder / "h.docx")],
        "python-docx script": [
            sys.executable,
            str(folder / "python_docx_write.py"),
            str(folder / "content.json"),
            str(REFERENCE),
            str(folder / "d.docx"),
        ],
    }
    if peers["docxtpl"]:
        commands["docxtpl"] = [
            sys.executable,
            str(folder / "docxtpl_write.py"),
            str(folder / "content.json"),
            str(folder / "template.docx"),
            str(folder / "t.docx"),
        ]
    pandoc = _pandoc()
    if pandoc is not None:
        commands["pandoc"] = [
            pandoc,
            str(folder / "report.md"),
            "-f",
            "markdown",
            "--reference-doc",
            str(REFERENCE),
            "-o",
            str(folder / "p.docx"),
        ]
    commands["huibao --version"] = [*_huibao_command(), "--version"]
    commands['python -c "import docx"'] = [sys.executable, "-c", "import docx"]
    cold = interleaved(commands, runs, environment, folder)
    base = median([run.seconds for run in cold["python-docx script"]])
    rows = []
    for name, measured in cold.items():
        seconds = median([run.seconds for run in measured])
        peak = max(run.peak_mib for run in measured)
        rows.append([name, _ms(seconds), f"{seconds / base:.2f}x", f"{peak:.0f} MiB"])
    print(f"Cold build, one whole process (median of {runs} interleaved runs)")
    _print_table(["", "time", "vs python-docx", "peak memory"], rows)

    # rounds of every tool in turn, so that a slow spell of a shared machine falls on all of them;
    # a tool's ratio to docxtpl is the median of its rounds' ratios (each to the docxtpl round
    # of the same turn), which a drifting machine speed moves less than a ratio of medians
    rounds = 1 if short else 9
    per_round = 30 if short else 20
    per_tool: dict[str, list[float]] = {
        tool: []
        for tool in ("huibao", "docxtpl", "python-docx")  # huibao and docxtpl side by side
        if tool != "docxtpl" or "docxtpl" in cold
    }
    steady_peak: dict[str, float] = {}
    for _ in range(rounds):
        for tool in list(per_tool):
            try:
                result = _run_child(
                    ["steady", tool, str(per_round), str(folder)], environment, folder
                )
            except RuntimeError as error:
                if tool == "huibao":
                    raise
                print(f"{tool} failed, left out: {error}\n")
                del per_tool[tool]
                continue
            per_tool[tool].append(result["median"])
            steady_peak[tool] = max(steady_peak.get(tool, 0.0), result["peak_mib"])
    steady: dict[str, float] = {tool: median(values) for tool, values in per_tool.items()}
    if "pandoc" in cold:
        steady["pandoc"] = median([run.seconds for run in cold["pandoc"]])
        steady_peak["pandoc"] = max(run.peak_mib for run in cold["pandoc"])
    steady_ratios: dict[str, float] = {}
    for tool, seconds in steady.items():
        if "docxtpl" not in steady:
            steady_ratios[tool] = float("nan")
        elif tool in per_tool:
            paired = zip(per_tool[tool], per_tool["docxtpl"], strict=False)
            steady_ratios[tool] = median([mine / theirs for mine, theirs in paired])
        else:
            steady_ratios[tool] = seconds / steady["docxtpl"]
    rows = [
        [tool, _ms(seconds), f"{steady_ratios[tool]:.2f}x", f"{steady_peak[tool]:.0f} MiB"]
        for tool, seconds in steady.items()
    ]
    print(
        f"Steady per-report time in one process (median of {rounds} interleaved rounds of "
        f"{per_round}; vs docxtpl: the median of the rounds' ratios; pandoc: a process)"
    )
    _print_table(["", "per report", "vs docxtpl", "peak memory"], rows)

    inputs = folder / "batch"
    inputs.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for index in range(batch):
        (inputs / f"{index:04d}.yaml").write_text(text, encoding="utf-8")
    command = [*_huibao_command(), "build", str(inputs), "-o", str(folder / "out"), "--quiet"]
    batch_runs = [run_process(command, environment, folder) for _ in range(1 if short else 3)]
    batch_seconds = median([run.seconds for run in batch_runs])
    print(f"Batch: huibao build FOLDER -o OUT ({batch} work summaries, {cores} worker processes)")
    _print_table(
        ["reports", "whole run", "per report", "for 1,000"],
        [
            [
                str(batch),
                f"{batch_seconds:.2f} s",
                _ms(batch_seconds / batch),
                f"{batch_seconds / batch * 1000:.1f} s",
            ]
        ],
    )

    sizes = [("work summary 1x", 1), ("work summary 10x", 10), ("work summary 30x", 30)]
    sizes += [("tasks 100", -100), ("tasks 300", -300), ("tasks 1000", -1000)]
    if short:
        sizes = [size for size in sizes if size[1] in (1, 10, -100, -1000)]
    rows = []
    scale: dict[str, dict[str, Any]] = {}
    for name, size in sizes:
        path = folder / f"scale-{size}.yaml"
        if size > 0:
            scaled_summary(size, path)
        else:
            task_table(-size, path)
        repeat = 1 if short or abs(size) >= 300 else 3
        result = _run_child(["scale", str(path), str(repeat), str(folder)], environment, folder)
        scale[name] = result
        stages = result["stages"]
        per_thousand = stages["build"] / result["characters"] * 1000
        rows.append(
            [
                name,
                f"{path.stat().st_size // 1024} KB",
                str(result["characters"]),
                _ms(stages["build"]),
                f"{per_thousand * 1000:.2f} ms",
                *(_ms(stages[stage]) for stage in STAGES),
                f"{result['peak_mib']:.0f} MiB",
            ]
        )
    print("Scaling: one build in a warm process (each size in its own process)")
    print("(stages: check = nothing lost; checks = those of huibao check, run by build)")
    header = ["input", "size", "characters", "build", "per 1,000 chars", *STAGES]
    _print_table([*header, "peak memory"], rows)

    nan = float("nan")

    def cold_median(name: str) -> float:
        return median([run.seconds for run in cold[name]]) if name in cold else nan

    slowdowns = {
        f"{peer} ({kind})": (cold_median(peer) if kind == "cold" else steady.get(peer, nan)) / then
        for (kind, peer), then in ISSUE_PEERS.items()
    }
    measured_slowdowns = [factor for factor in slowdowns.values() if factor == factor]
    slowdown = min(measured_slowdowns) if measured_slowdowns else nan
    print("This machine against the day issue 15 set its targets (the same peers, same content)")
    _print_table(
        ["peer", "then", "now", "slower by"],
        [
            [name, _ms(then), _ms(factor * then), f"{factor:.2f}x"]
            for (name, factor), then in zip(slowdowns.items(), ISSUE_PEERS.values(), strict=True)
        ],
    )

    cold_ratio = cold_median("huibao build") / cold_median("python-docx script")
    version = cold_median("huibao --version")
    steady_ratio = steady_ratios["huibao"]
    table = scale["tasks 1000"]["stages"]["build"] if "tasks 1000" in scale else float("nan")
    large = scale.get("work summary 30x", scale.get("tasks 1000", {}))
    memory = large.get("peak_mib", float("nan"))
    thousand = batch_seconds / batch * 1000 * (cores or 1) / 2
    rows = [
        ["cold build vs python-docx", f"<= {TARGETS['cold']}x", f"{cold_ratio:.2f}x"],
        ["huibao --version", f"<= {TARGETS['version']} s", f"{version:.3f} s"],
        ["steady per report vs docxtpl", f"<= {TARGETS['steady']}x", f"{steady_ratio:.2f}x"],
        ["1,000 reports on 2 cores", f"<= {TARGETS['batch']:.0f} s", f"{thousand:.1f} s"],
        ["1,000-task table", f"<= {TARGETS['table']:.0f} s", f"{table:.2f} s"],
        ["peak memory, ~300 pages", f"<= {TARGETS['memory']:.0f} MiB", f"{memory:.0f} MiB"],
    ]
    for row, key in zip(
        rows, ("cold", "version", "steady", "batch", "table", "memory"), strict=True
    ):
        value = float(row[2].rstrip("xsMiB "))
        row.append(_verdict(value, TARGETS[key]))
        if key in ("version", "batch", "table"):  # seconds: at the speed of the issue's day
            row += [f"{value / slowdown:.3g} s", _verdict(value / slowdown, TARGETS[key])]
        else:  # a ratio of tools measured side by side, or memory: the same on any day
            row += ["", ""]
    print("Targets (issue 15)")
    _print_table(
        ["", "target", "measured", "", f"at the issue's speed (/{slowdown:.2f})", ""], rows
    )
    if batch != 1000 or cores != 2:
        print(
            f"(1,000 reports: {batch} built on {cores} cores, scaled to 1,000 on 2 cores; from a"
            " small batch this counts the workers' start-up several times over)"
        )
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
