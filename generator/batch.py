"""Build many reports in one run: inputs named by files, folders and glob patterns, built by
worker processes.

``plan_batch`` turns the command line's inputs into one ``BatchItem`` per input file with the
output it builds; ``run_batch`` builds them and returns one ``ItemResult`` each. Nothing here
prints: ``run_batch`` hands every result to a callback as it arrives, and the CLI decides what to
show (a progress bar, plain lines, the summary table).

One bad input never stops the others: a ``UserError`` becomes a failed result carrying its
Chinese message. A bug (any other exception) fails its input too, so that the rest are still
built, and comes back in ``BatchOutcome.bugs`` with its traceback, for the CLI to raise after the
summary.

Each worker process loads the templates and the reference document once (``_start_worker``) and
keeps them for every report it builds; with ``jobs=1`` the reports are built in this process, with
the same caches.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from generator.arguments import is_pattern
from generator.errors import FileAccessError, InputError, UserError

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Future

YAML_SUFFIXES = frozenset({".yaml", ".yml"})
INPUT_SUFFIXES = YAML_SUFFIXES | {".xlsx", ".xlsm", ".csv"}
"""What a folder or a glob pattern contributes to a batch (a file named on its own is always
tried, so that a Word file given by mistake is explained)."""

_FIGURES_FROM_LINE = re.compile(r"^figures_from:[ \t]*(?P<name>.*?)[ \t]*(?:[ \t]#.*)?$", re.M)

Status = Literal["built", "skipped", "failed"]


@dataclass(frozen=True)
class BuildOptions:
    """The options of ``huibao build`` that every report of a batch shares."""

    templates_dir: Path | None = None
    lenient: bool = False
    strip_numbers: bool = False


@dataclass(frozen=True)
class BatchItem:
    """One input of a batch and the .docx it builds; ``problem`` if it is known to fail already
    (a pattern that matched nothing, two inputs that would write the same file)."""

    input: Path
    output: Path
    problem: str | None = None


@dataclass(frozen=True)
class ItemResult:
    """What became of one input: built, skipped (``changed_only`` and the output is up to date)
    or failed, with the Chinese message of its error."""

    input: Path
    output: Path
    status: Status
    message: str = ""
    """The whole error message (every problem of the input), for a failed input."""
    first_error: str = ""
    """The first problem of the message, on one line, for the summary table."""
    label: str = ""
    paragraphs: int = 0
    characters: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchOutcome:
    """Every input's result, in the order of the inputs, and the bugs met on the way."""

    results: list[ItemResult]
    bugs: list[BaseException] = field(default_factory=list)

    @property
    def failed(self) -> list[ItemResult]:
        return [result for result in self.results if result.status == "failed"]

    def count(self, status: Status) -> int:
        return sum(result.status == status for result in self.results)


def _inputs_in_folder(folder: Path) -> list[Path]:
    """The files of ``folder`` (not of its subfolders) that huibao reads, by name."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    return [path for path in entries if _is_input_name(path) and path.is_file()]


def _is_input_name(path: Path) -> bool:
    # "~$报告.xlsx" is the owner file Excel and WPS keep beside an open workbook
    return path.suffix.lower() in INPUT_SUFFIXES and not path.name.startswith(("~$", "."))


def _figures_files(inputs: Iterable[Path]) -> set[Path]:
    """Workbooks named by ``figures_from`` in the YAML inputs: they hold figures, not a report.

    A quick look at each file's top-level ``figures_from:`` line is enough here: a workbook it
    misses is built on its own and fails with a message saying what it lacks.
    """
    named: set[Path] = set()
    for path in inputs:
        if path.suffix.lower() not in YAML_SUFFIXES:
            continue
        try:
            text = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        for match in _FIGURES_FROM_LINE.finditer(text):
            name = match["name"].strip().strip("\"'")
            if name:
                named.add(_identity(path.parent / name))
    return named


def _identity(path: Path) -> Path:
    """A key under which two spellings of one file are equal."""
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def plan_batch(arguments: Sequence[str], output_dir: Path | None) -> list[BatchItem]:
    """One item per input file named by ``arguments`` (files, folders, glob patterns).

    A file is taken as given; a folder contributes its .yaml, .yml, .xlsx, .xlsm and .csv files
    (not its subfolders'), less the workbooks its YAML files name in ``figures_from``; a pattern
    (``*.yaml``, ``2024/**/*.xlsx``) the input files it matches. A file named twice is built once.
    Each output is ``<output_dir>/<name>.docx``, or beside its input without ``output_dir``; two
    inputs that would write the same file fail, both named in the message.
    """
    items: list[BatchItem] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = _identity(path)
        if key not in seen:
            seen.add(key)
            output = (output_dir or path.parent) / f"{path.stem}.docx"
            items.append(BatchItem(path, output))

    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = _inputs_in_folder(path)
            figures = (
                _figures_files(found)
                if any(p.suffix.lower() not in YAML_SUFFIXES for p in found)
                else set()
            )
            found = [each for each in found if _identity(each) not in figures]
            if not found:
                items.append(_failed_item(path, _empty_folder(path)))
            for each in found:
                add(each)
        elif is_pattern(argument):
            matches = sorted(
                Path(name)
                for name in glob.glob(argument, recursive=True)  # noqa: PTH207 (absolute patterns too)
                if _is_input_name(Path(name)) and Path(name).is_file()
            )
            if not matches:
                items.append(_failed_item(path, _no_match(argument)))
            for each in matches:
                add(each)
        else:
            add(path)
    return _refuse_clashes(items)


def _failed_item(path: Path, error: UserError) -> BatchItem:
    return BatchItem(path, path, problem=str(error))  # nothing is written for it


def _empty_folder(folder: Path) -> FileAccessError:
    return FileAccessError(
        path=folder,
        reason="这是一个文件夹，不是文件；文件夹中也没有可以生成报告的输入文件（.yaml、.xlsx、.csv）",
        hint="请给出报告文件的路径，或存放报告输入文件的文件夹。",
    )


def _no_match(pattern: str) -> FileAccessError:
    return FileAccessError(
        path=Path(pattern),
        reason="没有找到与之匹配的报告输入文件（.yaml、.xlsx、.csv）",
        hint="检查文件名和所在文件夹；通配符 * 代表任意文字，如 2024/*.yaml。",
    )


def _refuse_clashes(items: list[BatchItem]) -> list[BatchItem]:
    """Two inputs writing the same .docx would overwrite each other: every one of them fails."""
    by_output: dict[Path, list[BatchItem]] = {}
    for item in items:
        if item.problem is None:
            by_output.setdefault(_identity(item.output), []).append(item)
    clashing = {id(item): group for group in by_output.values() if len(group) > 1 for item in group}
    planned = []
    for item in items:
        group = clashing.get(id(item))
        if group is None:
            planned.append(item)
            continue
        others = "、".join(str(other.input) for other in group if other is not item)
        error = FileAccessError(
            path=item.input,
            reason=f"与 {others} 生成同一个文件 {item.output}，未生成",
            hint="请给其中一个输入文件改名，或分两次生成到不同的文件夹（-o 文件夹）。",
        )
        planned.append(BatchItem(item.input, item.output, problem=str(error)))
    return planned


def default_jobs() -> int:
    """The number of processor cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def run_batch(
    items: Sequence[BatchItem],
    options: BuildOptions,
    *,
    jobs: int = 1,
    changed_only: bool = False,
    on_result: Callable[[ItemResult], None] = lambda result: None,
) -> BatchOutcome:
    """Build every item, ``jobs`` at a time, calling ``on_result`` as each one finishes.

    With ``changed_only``, an input whose output is newer than the input, its ``figures_from``
    file, every template and the reference document is skipped.
    """
    results: dict[int, ItemResult] = {}
    bugs: list[BaseException] = []
    newest = _newest_template_time(options.templates_dir) if changed_only else None
    pending: list[tuple[int, BatchItem]] = []
    for index, item in enumerate(items):
        if item.problem is not None:
            results[index] = _failure(item, item.problem)
            on_result(results[index])
        else:
            pending.append((index, item))

    def finish(index: int, result: ItemResult) -> None:
        results[index] = result
        on_result(result)

    workers = min(jobs, len(pending))
    if workers <= 1:
        if pending:
            _start_worker(options.templates_dir)
        for index, item in pending:
            try:
                finish(index, build_item(item, options, newest))
            except Exception as bug:  # a bug: the others are still built, then it is raised
                bugs.append(bug)
                finish(index, _failure(item, _bug_message(bug)))
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_process_context(),
            initializer=_start_worker,
            initargs=(options.templates_dir,),
        ) as pool:
            futures: dict[Future[ItemResult], tuple[int, BatchItem]] = {
                pool.submit(build_item, item, options, newest): (index, item)
                for index, item in pending
            }
            for future in as_completed(futures):
                index, item = futures[future]
                error = future.exception()
                if error is None:
                    finish(index, future.result())
                else:
                    bugs.append(error)
                    finish(index, _failure(item, _bug_message(error)))
    return BatchOutcome([results[index] for index in range(len(items))], bugs)


def _process_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a server that has imported huibao once (POSIX), else spawned."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["generator.pipeline"])
        return context
    return multiprocessing.get_context("spawn")


def _start_worker(templates_dir: Path | None) -> None:
    """Load what every report of the batch uses, once per process: the Jinja environment (each
    template is then compiled on first use and kept) and the reference document."""
    from generator.docx_writer import load_reference
    from generator.render import reference_docx, report_environment

    report_environment(templates_dir)
    with contextlib.suppress(UserError):  # a broken reference: each build says so, with its input
        load_reference(reference_docx(templates_dir))


def build_item(item: BatchItem, options: BuildOptions, newest: float | None) -> ItemResult:
    """Build one input (in whichever process runs it); a ``UserError`` is a failed result."""
    from generator.pipeline import build_report

    try:
        if newest is not None and _up_to_date(item, newest):
            return ItemResult(item.input, item.output, "skipped")
        result = build_report(
            item.input,
            item.output,
            templates_dir=options.templates_dir,
            lenient=options.lenient,
            strip_numbers=options.strip_numbers,
        )
    except UserError as error:
        return _failure(item, str(error), _first_error(error))
    return ItemResult(
        item.input,
        item.output,
        "built",
        label=result.kind.label,
        paragraphs=len(result.document.paragraphs),
        characters=len("".join(result.document.text.split())),
        warnings=tuple(str(warning) for warning in result.warnings),
    )


def _failure(item: BatchItem, message: str, first: str | None = None) -> ItemResult:
    return ItemResult(item.input, item.output, "failed", message, first or message.splitlines()[0])


def _first_error(error: UserError) -> str:
    """The first problem of ``error`` on one line (its place and what is wrong, not the hint)."""
    if isinstance(error, InputError) and error.problems:
        return str(error.problems[0]).splitlines()[0]
    return str(error).splitlines()[0]


def _bug_message(bug: BaseException) -> str:
    return f"huibao 内部错误（{type(bug).__name__}），请把本次运行的完整输出报告给维护人员"


def _newest_template_time(templates_dir: Path | None) -> float:
    """When a template or the reference document (built-in or in ``templates_dir``) last changed."""
    from generator.kinds import builtin_templates_dir

    newest = 0.0
    for folder in (builtin_templates_dir(), templates_dir):
        if folder is None:
            continue
        for root, _, names in os.walk(folder):
            for name in names:
                try:
                    newest = max(newest, (Path(root) / name).stat().st_mtime)
                except OSError:
                    continue
    return newest


def is_up_to_date(item: BatchItem, templates_dir: Path | None) -> bool:
    """``--changed``: the output of ``item`` is newer than everything it is built from."""
    return _up_to_date(item, _newest_template_time(templates_dir))


def _up_to_date(item: BatchItem, newest_template: float) -> bool:
    """The output is newer than its input, the input's ``figures_from`` file and the templates."""
    try:
        built = item.output.stat().st_mtime
        if built <= max(item.input.stat().st_mtime, newest_template):
            return False
    except OSError:
        return False
    if item.input.suffix.lower() not in YAML_SUFFIXES:
        return True
    from generator.load import load_source

    try:
        reference = load_source(item.input).data.get("figures_from")
    except UserError:
        return False  # built again, to say what is wrong
    if not isinstance(reference, str) or not reference.strip():
        return True
    try:
        return built > (item.input.parent / reference.strip()).stat().st_mtime
    except OSError:
        return False
