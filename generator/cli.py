"""The ``huibao`` command: thin wrappers that parse options and call one pipeline function each.

The one error boundary is ``_Commands``: a ``UserError`` becomes a Chinese message on stderr and
exit code 1; a usage error (a mistyped command line) becomes a Chinese message, the usage line and
a hint, with exit code 2; anything else is a bug and keeps its traceback. The words of the frame
(usage lines, help headings, click's usage errors) come from ``generator/cli_text.py``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, cast

import typer
from typer._click.core import Command, Context
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperCommand, TyperGroup

from generator import __version__
from generator.cli_text import ChineseHelpFormatter, frame_text, translate
from generator.errors import FileAccessError, Problem, UserError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text as RichText

    from generator.batch import BatchItem, BatchOutcome, BuildOptions, ItemResult
    from generator.preview import Previews
    from schemas import ReportKind

# Start-up is kept short (``huibao --version`` well under 0.1 s): the pipeline, the schemas and
# rich's console are imported by the commands that use them, not here.


class _LazyConsole:
    """A rich ``Console`` made on first use (importing rich.console costs start-up time).

    Plain texts printed where no terminal reads them (a pipe, a log, a script's batch) are
    written directly, as rich would write them there (no colour, no wrapping): a build that
    prints one line need not import rich at all."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, highlight=False, soft_wrap=True)
        return self._console

    @property
    def is_terminal(self) -> bool:
        """Whether rich would treat the stream as a terminal, without making the console."""
        if self._console is not None:
            return self._console.is_terminal
        return _is_terminal(sys.stderr if self._stderr else sys.stdout)

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", **options: Any) -> None:
        stream = sys.stderr if self._stderr else sys.stdout
        if (
            self._console is None
            and not options
            and all(isinstance(item, _PlainText) for item in objects)
            and not _is_terminal(stream)
        ):
            stream.write(sep.join(item.text for item in objects) + end)
            return
        self.console.print(*objects, sep=sep, end=end, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


def _is_terminal(stream: IO[str]) -> bool:
    """Whether rich would treat ``stream`` as a terminal (colours, wrapping)."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


_out: Console = cast("Console", _LazyConsole(stderr=False))
_err: Console = cast("Console", _LazyConsole(stderr=True))


@dataclass(frozen=True)
class _PlainText:
    """A text printed as it is (never read as markup), with a style for a terminal; rich turns it
    into its ``Text`` when it prints it (``__rich__``)."""

    text: str
    style: str = ""

    def __rich__(self) -> RichText:
        from rich.text import Text as RichText

        return RichText(self.text, style=self.style)


def Text(text: str = "", style: str = "") -> Any:  # noqa: N802 (stands in for rich's Text)
    """A text for ``_out``/``_err`` or a rich table: rich's ``Text`` only when rich prints it."""
    return _PlainText(text, style)


class _Context(typer.Context):
    """A context whose help pages and usage lines are worded in Chinese."""

    formatter_class = ChineseHelpFormatter


class _FrameError(ClickException):
    """A usage error of click or typer, shown in Chinese with the usage line and a hint."""

    def __init__(self, error: ClickException) -> None:
        super().__init__(error.format_message())
        self.exit_code = error.exit_code
        self.ctx: Context | None = getattr(error, "ctx", None)

    def show(self, file: IO[Any] | None = None) -> None:
        # An unknown text is not shown in English: the usage line and the hint still say what to do.
        message = translate(self.message) or "命令的写法有误。"
        if self.ctx is not None:
            _err.print(Text(self.ctx.get_usage()))
        _err.print(Text("错误：", style="bold red"), Text(message), sep="")
        if self.ctx is not None and self.ctx.help_option_names:
            hint = frame_text(
                "Try '{command} {option}' for help.",
                command=self.ctx.command_path,
                option=self.ctx.help_option_names[0],
            )
            _err.print(Text(f"    提示：{hint}"))


@contextmanager
def _frame_errors_in_chinese() -> Iterator[None]:
    """Re-raise click's errors as ``_FrameError``; a bare ``huibao`` still shows the help page."""
    try:
        yield
    except (NoArgsIsHelpError, _FrameError):
        raise
    except ClickException as error:
        raise _FrameError(error) from None


class _ChineseFrame(Command):
    """Help pages, usage lines and usage errors worded in Chinese (mixed into the classes below)."""

    context_class = _Context

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return [translate(piece) or piece for piece in super().collect_usage_pieces(ctx)]

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except UsageError as error:
            # click's parser raises some errors without their command: give them the usage line
            if error.ctx is None:
                error.ctx, error.cmd = ctx, self
            raise


class _Command(_ChineseFrame, TyperCommand):
    """A command whose help and usage errors are worded in Chinese."""


class _Commands(_ChineseFrame, TyperGroup):
    """The command group: the one boundary that turns errors into Chinese messages."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Context | None = None,
        **extra: Any,
    ) -> Context:
        with _frame_errors_in_chinese():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        try:
            with _frame_errors_in_chinese():
                return super().invoke(ctx)
        except UserError as error:
            _err.print(Text("错误：", style="bold red"), Text(str(error)), sep="")
            raise typer.Exit(1) from None


app = typer.Typer(
    name="huibao",
    cls=_Commands,
    help="汇报（huibao）：把填好的 YAML 报告表单生成为符合 GB/T 9704 公文格式的 Word 文档。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"huibao {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="显示版本号后退出。", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    """汇报（huibao）：把填好的 YAML 报告表单生成为符合 GB/T 9704 公文格式的 Word 文档。"""


def _kind_or_exit(name: str) -> ReportKind:
    """A kind named on the command line; an unknown name is a usage error (exit 2)."""
    from generator.kinds import find_kind, kind_names

    kind = find_kind(name)
    if kind is None:
        _err.print(
            Text(
                f"错误：不认识的报告类型“{name}”。可选：{'、'.join(kind_names())}（huibao kinds 查看说明）。"
            )
        )
        raise typer.Exit(2)
    return kind


_LENIENT_HELP = "手写的完成率、同比与算得的不一致，或合计与各项之和不符时，只警告、不报错。"
_STRIP_NUMBERS_HELP = "删去在自动编号处手写的编号（一、（一）1. 一是 等），逐条提示，不报错。"
_PNG_HELP = "再把 PDF 的每一页存为 PNG 图片（需要 pdftoppm）。"


def _print_warnings(warnings: list[Problem]) -> None:
    for warning in warnings:
        _err.print(Text("警告：", style="bold yellow"), Text(str(warning)), sep="")


def _at_least_one(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise typer.BadParameter("进程数至少为 1")
    return value


@app.command(cls=_Command)
def build(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT",
            help="报告输入文件（.yaml，或 .xlsx 工作簿、.csv 文件）。可以给出多个文件，"
            "也可以给出文件夹（生成其中的全部输入文件）或通配符（如 2024/*.yaml）。",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="输出的 .docx 文件；一次生成多份时，是存放它们的文件夹（没有则会创建）。"
            "默认与输入文件同名、同文件夹。",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="自定义模板文件夹：其中的模板和 reference.docx 优先于内置的使用。",
        ),
    ] = None,
    lenient: Annotated[bool, typer.Option("--lenient", help=_LENIENT_HELP)] = False,
    strip_numbers: Annotated[
        bool, typer.Option("--strip-numbers", help=_STRIP_NUMBERS_HELP)
    ] = False,
    pdf: Annotated[
        bool,
        typer.Option("--pdf", help="同时用 LibreOffice 生成 PDF 预览（与 .docx 同名）。"),
    ] = False,
    png: Annotated[
        bool,
        typer.Option("--png", help="同时生成 PDF，并把每一页存为 PNG 图片（需要 pdftoppm）。"),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            callback=_at_least_one,
            help="一次生成多份时同时运行的进程数，默认为处理器的核数（-j 1 则在本进程中逐份生成）。",
            show_default=False,
        ),
    ] = None,
    changed: Annotated[
        bool,
        typer.Option(
            "--changed",
            help="只生成有改动的报告：如果输出文件比输入文件、它引用的指标文件、模板和参考样式"
            "文件都新，就跳过不生成。",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="不显示进度条：每份报告输出一行，最后输出汇总表。"),
    ] = False,
) -> None:
    """生成报告：检查输入文件，生成 Word 文档（.docx）；可一次生成多份。"""
    from generator.arguments import is_batch

    arguments = [str(path) for path in inputs]
    if is_batch(arguments):
        from generator.batch import BuildOptions

        options = BuildOptions(templates, lenient=lenient, strip_numbers=strip_numbers)
        _build_batch(
            arguments, output, options, jobs=jobs, changed=changed, quiet=quiet, pdf=pdf or png
        )
        return
    input_file = inputs[0]
    if changed and _skip_unchanged(input_file, output, templates):
        return
    if pdf or png:
        from generator.preview import build_with_preview  # LibreOffice: only when asked

        previews = build_with_preview(
            input_file,
            output,
            templates_dir=templates,
            lenient=lenient,
            strip_numbers=strip_numbers,
            images=png,
        )
        (preview,) = previews.previews
        assert preview.docx is not None
        _print_warnings(preview.warnings)
        _out.print(Text(f"已生成 {preview.docx}（{preview.kind.label}）"))
        _print_previews(previews)
        return
    from generator.pipeline import build_report

    result = build_report(
        input_file, output, templates_dir=templates, lenient=lenient, strip_numbers=strip_numbers
    )
    _print_warnings(result.warnings)
    paragraphs = len(result.document.paragraphs)
    characters = len("".join(result.document.text.split()))
    _out.print(
        Text(f"已生成 {result.output}（{result.kind.label}，{paragraphs} 段，{characters} 字）")
    )


def _skip_unchanged(input_file: Path, output: Path | None, templates: Path | None) -> bool:
    """``--changed`` with one input: say so and skip when its report is up to date."""
    from generator.batch import BatchItem, is_up_to_date
    from generator.pipeline import default_output

    item = BatchItem(input_file, output or default_output(input_file))
    if not is_up_to_date(item, templates):
        return False
    _out.print(Text(f"未改动，跳过：{item.output} 比输入文件、模板都新"))
    return True


_LISTED_IN_SUMMARY = 30
"""A batch of up to this many inputs lists each in the summary table; a larger one its failures."""


def _build_batch(
    inputs: list[str],
    output: Path | None,
    options: BuildOptions,
    *,
    jobs: int | None,
    changed: bool,
    quiet: bool,
    pdf: bool,
) -> None:
    """Build every input named (files, folders, patterns); exit 1 if any of them failed."""
    from generator.batch import default_jobs, plan_batch

    if pdf:
        raise FileAccessError(
            path=Path(inputs[0]),
            reason="一次生成多份报告时不能同时生成 PDF",
            hint="请先生成 .docx，再用 huibao preview 输入文件… 生成 PDF 预览。",
        )
    joined = Path(" ".join(inputs))
    if not any(Path(argument).exists() for argument in inputs) and joined.is_file():
        raise FileAccessError(
            path=joined,
            reason="文件名中有空格，被当成了几个文件",
            hint=f'请用英文引号把整个文件名括起来：huibao build "{joined}"',
        )
    if options.templates_dir is not None and not options.templates_dir.is_dir():
        raise FileAccessError(path=options.templates_dir, reason="模板文件夹不存在")
    if output is not None:
        _make_output_folder(output)
    items = plan_batch(inputs, output)
    if len(items) == 1 and items[0].problem is not None:
        raise UserError(items[0].problem)  # a folder with no inputs: one message, no table
    outcome = _run_batch(items, options, jobs or default_jobs(), changed=changed, quiet=quiet)
    _print_summary(outcome)
    if outcome.bugs:
        raise outcome.bugs[0]
    if outcome.failed:
        raise typer.Exit(1)


def _make_output_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise FileAccessError(
            path=folder,
            reason="一次生成多份报告时，-o 应是文件夹，这里是一个文件",
            hint="请在 -o 后写一个文件夹（没有则自动创建），每份报告在其中以输入文件的名字命名。",
        )
    if not folder.exists() and folder.suffix.lower() == ".docx":
        raise FileAccessError(
            path=folder,
            reason="一次生成多份报告时，-o 应是文件夹，不是 .docx 文件名",
            hint="请在 -o 后写一个文件夹（没有则自动创建），每份报告在其中以输入文件的名字命名。",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise FileAccessError(
            path=folder,
            reason="无法创建输出文件夹",
            hint="请检查路径和写入权限，或换一个输出文件夹（-o）。",
        ) from None


def _run_batch(
    items: list[BatchItem], options: BuildOptions, jobs: int, *, changed: bool, quiet: bool
) -> BatchOutcome:
    """Run the batch with a progress bar on a terminal, else (or ``--quiet``) a line a report."""
    from generator.batch import run_batch

    if quiet or not _out.is_terminal:
        return run_batch(
            items, options, jobs=jobs, changed_only=changed, on_result=_print_result_line
        )
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("生成报告"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("已用"),
        TimeElapsedColumn(),
        TextColumn("预计还需"),
        TimeRemainingColumn(),
    )
    console = cast(_LazyConsole, _out).console
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("", total=len(items))

        def advance(result: ItemResult) -> None:
            if result.status != "built":
                _print_result_line(result)  # a failure (or a skip) is shown above the bar
            else:
                _print_item_warnings(result)
            bar.advance(task)

        return run_batch(items, options, jobs=jobs, changed_only=changed, on_result=advance)


def _print_item_warnings(result: ItemResult) -> None:
    for warning in result.warnings:
        _err.print(Text("警告：", style="bold yellow"), Text(warning), sep="")


def _print_result_line(result: ItemResult) -> None:
    """One report's outcome: what was built (stdout), or why not (stderr)."""
    _print_item_warnings(result)
    if result.status == "built":
        _out.print(
            Text(
                f"已生成 {result.output}（{result.label}，{result.paragraphs} 段，{result.characters} 字）"
            )
        )
    elif result.status == "skipped":
        _out.print(Text(f"未改动，跳过：{result.output} 比输入文件、模板都新"))
    else:
        _err.print(Text("错误：", style="bold red"), Text(f"{result.input} 未生成："), sep="")
        _err.print(Text(result.message))


def _print_summary(outcome: BatchOutcome) -> None:
    """The summary table: each input with what became of it (only the failed ones in a large
    batch), then the counts."""
    from rich.table import Table

    results = outcome.results
    listed = results if len(results) <= _LISTED_IN_SUMMARY else outcome.failed
    status_text = {"built": "已生成", "skipped": "未改动，跳过", "failed": "失败"}
    table = Table(title="汇总", title_justify="left", box=None, pad_edge=False, show_edge=False)
    table.add_column("输入文件", overflow="fold")
    table.add_column("结果", no_wrap=True)
    table.add_column("输出文件或第一处错误", overflow="fold")
    for result in listed:
        detail = result.first_error if result.status == "failed" else str(result.output)
        style = "red" if result.status == "failed" else ""
        table.add_row(
            Text(str(result.input)), Text(status_text[result.status], style=style), Text(detail)
        )
    if listed and _out.is_terminal:
        _out.print(table)
    elif listed:
        # in a log file or a pipe a row is never folded (it is searched, not looked at)
        from rich.console import Console

        wide = Console(width=100_000, color_system=None, highlight=False)
        with wide.capture() as captured:
            wide.print(table)
        _out.print(Text("\n".join(line.rstrip() for line in captured.get().splitlines())))
    counts = f"共 {len(results)} 份：已生成 {outcome.count('built')} 份"
    if outcome.count("skipped"):
        counts += f"，未改动跳过 {outcome.count('skipped')} 份"
    counts += f"，失败 {len(outcome.failed)} 份"
    if len(listed) < len(results):
        counts += "（上表只列出失败的）"
    _out.print(Text(counts + "。"))


def _print_previews(previews: Previews) -> None:
    for preview in previews.previews:
        _out.print(Text(f"已生成 {preview.pdf}（{preview.kind.label}，{preview.pages} 页）"))
        if preview.images:
            first, last = preview.images[0], preview.images[-1]
            shown = str(first) if first == last else f"{first} … {last.name}"
            _out.print(Text(f"页面图片：{shown}（{len(preview.images)} 张）"))
    for note in previews.font_notes:
        _err.print(Text("警告：", style="bold yellow"), Text(note), sep="")


@app.command(cls=_Command)
def preview(
    input_files: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT...",
            help="报告输入文件（.yaml、.xlsx 或 .csv），可以一次给出多个。",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="输出的 PDF 文件（仅限一个输入文件）；默认与输入文件同名、在同一文件夹。",
        ),
    ] = None,
    png: Annotated[bool, typer.Option("--png", help=_PNG_HELP)] = False,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="自定义模板文件夹：其中的模板和 reference.docx 优先于内置的使用。",
        ),
    ] = None,
    lenient: Annotated[bool, typer.Option("--lenient", help=_LENIENT_HELP)] = False,
    strip_numbers: Annotated[
        bool, typer.Option("--strip-numbers", help=_STRIP_NUMBERS_HELP)
    ] = False,
) -> None:
    """预览：生成报告并用 LibreOffice 转换为 PDF（不保留 .docx），字体按公文字体的同类字体显示。"""
    from generator.preview import preview_reports  # LibreOffice: import on use

    previews = preview_reports(
        input_files,
        output,
        templates_dir=templates,
        lenient=lenient,
        strip_numbers=strip_numbers,
        images=png,
    )
    for item in previews.previews:
        _print_warnings(item.warnings)
    _print_previews(previews)


@app.command(cls=_Command)
def validate(
    input_file: Annotated[
        Path,
        typer.Argument(metavar="INPUT", help="报告输入文件（.yaml，或 .xlsx 工作簿、.csv 文件）。"),
    ],
    lenient: Annotated[bool, typer.Option("--lenient", help=_LENIENT_HELP)] = False,
    strip_numbers: Annotated[
        bool, typer.Option("--strip-numbers", help=_STRIP_NUMBERS_HELP)
    ] = False,
) -> None:
    """只检查输入文件，不生成文档；列出所有问题及其行号。"""
    from generator.pipeline import validate_input

    checked = validate_input(input_file, lenient=lenient, strip_numbers=strip_numbers)
    _print_warnings(checked.warnings)
    _out.print(Text(f"检查通过：{input_file}（{checked.kind.label}，{checked.kind.name}）"))


_CHECK_FORMATS = ("text", "json")


@app.command(cls=_Command)
def check(
    report: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="要检查的报告：输入文件（.yaml、.xlsx、.csv），"
            "或已有的报告（Word、WPS 文档，文本文件，网页）。",
        ),
    ],
    against: Annotated[
        Path | None,
        typer.Option(
            "--against",
            metavar="LAST_YEAR",
            help="去年的报告（输入文件或已有的报告）：列出数字与去年完全相同的句子，"
            "并按它的年份检查沿用去年的日期。",
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="输出格式：默认是供人阅读的文字；写 JSON 则输出供程序读取的 JSON"
            "（格式见 docs/check.md）。",
            show_default=False,
        ),
    ] = "text",
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="自定义模板文件夹：检查输入文件时按其中的模板生成正文。",
        ),
    ] = None,
    lenient: Annotated[bool, typer.Option("--lenient", help=_LENIENT_HELP)] = False,
) -> None:
    """检查报告：比率、合计、编号、沿用去年的内容、标点和数字，不生成文档；有错误时退出码为 1。"""
    output_format = output_format.lower()
    if output_format not in _CHECK_FORMATS:
        _err.print(Text(f"错误：不认识的输出格式“{output_format}”。可选：text（默认）、json。"))
        raise typer.Exit(2)
    from generator.check import check_file, check_json

    result = check_file(report, against=against, templates_dir=templates, lenient=lenient)
    if output_format == "json":
        typer.echo(check_json(result), nl=False)
    else:
        _print_warnings(result.notes)
        for finding in result.findings:
            style = "bold red" if finding.severity == "错误" else "bold yellow"
            where = f"{finding.place}  " + (
                f"{finding.place.field}：" if finding.place.field else ""
            )
            _out.print(
                Text(f"{finding.severity}：", style=style), Text(where + finding.message), sep=""
            )
            if finding.context:
                _out.print(Text(f"    原文：{finding.context}"))
            if finding.computed:
                _out.print(Text(f"    计算：{finding.computed}"))
            if finding.hint:
                _out.print(Text(f"    提示：{finding.hint}"))
        errors, warnings = len(result.errors), len(result.warnings)
        if errors:
            _out.print(Text(f"检查完成：{report} 有 {errors} 处错误、{warnings} 处警告。"))
        else:
            _out.print(Text(f"检查通过：{report} 没有发现错误（{warnings} 处警告）。"))
    if result.errors:
        raise typer.Exit(1)


@app.command(cls=_Command)
def form(
    kind_name: Annotated[str, typer.Argument(metavar="KIND", help="报告类型，如 task-progress。")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="要创建的 .xlsx（或 .csv）文件；默认为“类型名.xlsx”。"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖。")] = False,
) -> None:
    """创建供填写的 Excel 工作簿（基本信息、指标、表格各行，带说明批注和下拉选项）。"""
    kind = _kind_or_exit(kind_name)
    target = output or Path(f"{kind.name}.xlsx")
    if target.suffix.lower() not in {".xlsx", ".csv"}:
        raise FileAccessError(path=target, reason="填报表的文件名应以 .xlsx（或 .csv）结尾")
    if target.is_dir():
        raise FileAccessError(
            path=target, reason="这是一个文件夹", hint="请在 -o 后写出要创建的文件名。"
        )
    if target.exists() and not force:
        raise FileAccessError(
            path=target, reason="文件已存在，未覆盖", hint="换一个文件名（-o），或加 --force 覆盖。"
        )
    from generator.forms import write_form  # openpyxl: import on use
    from generator.spreadsheet import TABLE_SHEETS

    write_form(kind, target)
    if kind.name in TABLE_SHEETS:
        _out.print(Text(f"已创建 {target}（{kind.label}）。填写后运行：huibao build {target}"))
    else:
        _out.print(
            Text(
                f"已创建 {target}：{kind.label}的正文请用 YAML 填写（huibao new {kind.name}），"
                f"本工作簿只填“指标”，在 YAML 中写 figures_from: {target.name} 引用。"
            )
        )


@app.command(name="import", cls=_Command)
def import_(
    report: Annotated[
        Path,
        typer.Argument(
            metavar="REPORT",
            help="去年的报告：Word 文档（.docx 等）、WPS 文档、文本文件或保存的网页。",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="要写出的草稿：.yaml（默认与报告同名、同文件夹），或 .xlsx 工作簿。",
        ),
    ] = None,
    kind_name: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help="报告类型，如 work-summary；默认自动判断。"),
    ] = None,
    next_year: Annotated[
        bool,
        typer.Option(
            "--next-year", help="生成下一年的草稿：年份加一，正文中的数字改为待填写今年数值的指标。"
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖。")] = False,
) -> None:
    """导入已有的报告：读出标题、各级小节、条目和表格，写成可以修改后生成的草稿。"""
    kind = _kind_or_exit(kind_name).name if kind_name is not None else None
    from generator.importer import import_file  # the reader's lxml: import on use
    from generator.kinds import find_kind

    result = import_file(report, output, kind=kind, next_year=next_year, force=force)
    found = find_kind(result.draft.kind)
    label = found.label if found else result.draft.kind
    written = "、".join(str(path) for path in result.outputs)
    _out.print(Text(f"已导入 {report}（{label}），草稿写在 {written}。"))
    if not result.draft.certain:
        _out.print(Text("注意：没有把握判断报告类型，请看草稿开头的说明。"))
    if result.to_fill:
        _out.print(Text(f"有 {result.to_fill} 个指标要填写今年的数值。"))
    draft_file = next((p for p in result.outputs if p.suffix.lower() != ".xlsx"), None)
    if draft_file is not None:
        _out.print(
            Text(f"请打开核对标有“huibao import”的注释，然后运行：huibao validate {draft_file}")
        )
    else:
        for note in result.draft.notes:
            _out.print(Text(f"提示：{note}"))
        _out.print(Text(f"请打开核对，然后运行：huibao validate {result.outputs[0]}"))


@app.command(cls=_Command)
def kinds() -> None:
    """列出可以生成的报告类型。"""
    from rich.table import Table

    from schemas import KINDS

    table = Table(box=None, pad_edge=False)
    table.add_column("类型", no_wrap=True)
    table.add_column("名称", no_wrap=True)
    table.add_column("说明", overflow="fold")
    for kind in KINDS.values():
        table.add_row(kind.name, kind.label, kind.description)
    _out.print(table)


@app.command(cls=_Command)
def new(
    kind_name: Annotated[str, typer.Argument(metavar="KIND", help="报告类型，如 work-summary。")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="要创建的 YAML 文件；默认为“类型名.yaml”。"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖。")] = False,
) -> None:
    """创建一份带说明注释的空白输入文件，并在旁边写出供编辑器提示用的 JSON Schema。"""
    kind = _kind_or_exit(kind_name)
    target = output or Path(f"{kind.name}.yaml")
    if target.is_dir():
        raise FileAccessError(
            path=target, reason="这是一个文件夹", hint="请在 -o 后写出要创建的文件名。"
        )
    if target.exists() and not force:
        raise FileAccessError(
            path=target, reason="文件已存在，未覆盖", hint="换一个文件名（-o），或加 --force 覆盖。"
        )
    from generator.output import write_text
    from generator.skeleton import schema_json, skeleton_yaml

    schema_path = target.with_name(f"{kind.name}.schema.json")
    write_text(schema_path, schema_json(kind))
    write_text(target, skeleton_yaml(kind, schema_path.name))
    _out.print(
        Text(f"已创建 {target}（{kind.label}）和 {schema_path}。填写后运行：huibao build {target}")
    )


@app.command(cls=_Command)
def schema(
    kind_name: Annotated[str, typer.Argument(metavar="KIND", help="报告类型，如 work-summary。")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入该文件；默认输出到屏幕。")
    ] = None,
) -> None:
    """输出某类报告输入文件的 JSON Schema（供编辑器自动提示和检查）。"""
    from generator.output import write_text
    from generator.skeleton import schema_json

    kind = _kind_or_exit(kind_name)
    text = schema_json(kind)
    if output is None:
        typer.echo(text, nl=False)
        return
    write_text(output, text)
    _out.print(Text(f"已写出 {output}"))


def _subcommands(help_text: str) -> typer.Typer:
    """A group of commands under one name (``huibao reference check``), framed in Chinese."""
    return typer.Typer(
        cls=_Commands,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_show_locals=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


reference_app = _subcommands(
    "参考样式文件（reference.docx）：检查字体、页面设置和样式（模板维护人员使用）。"
)
app.add_typer(reference_app, name="reference")
templates_app = _subcommands("导出内置模板，作为自定义模板文件夹的起点（模板维护人员使用）。")
app.add_typer(templates_app, name="templates")


@reference_app.command(name="check", cls=_Command)
def reference_check(
    reference: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE",
            help="要检查的参考样式文件（.docx），或导出的模板文件夹；默认检查内置的 reference.docx。",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="按这个自定义模板文件夹中的模板检查需要哪些样式。"),
    ] = None,
) -> None:
    """检查参考样式文件：所需样式齐全，纸张、页边距、每页 22 行每行 28 字、中文字体和页码符合 GB/T 9704。"""
    from generator.reference_check import check_reference  # lxml: import on use

    summary = check_reference(reference, templates_dir=templates)
    width, height = summary.text_block_mm
    _out.print(
        Text(
            f"检查通过：{summary.reference}（A4，版心 {width:g} × {height:g} 毫米，"
            f"每页 {summary.lines} 行、每行 {summary.characters} 字；"
            f"所需的 {summary.styles} 个样式齐全，中文字体均已设置，页脚有页码）"
        )
    )


@templates_app.command(name="export", cls=_Command)
def templates_export(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="导出到这个文件夹（新的或空的文件夹）。"),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="文件夹不是空的也导出，覆盖其中的同名文件。")
    ] = False,
) -> None:
    """导出内置的模板和参考样式文件（reference.docx），作为自定义模板文件夹的起点。"""
    from generator.reference_check import export_templates

    exported = export_templates(folder, force=force)
    _out.print(Text(f"已导出 {len(exported.files)} 个文件到 {folder}。"))
    _out.print(
        Text(
            f"修改措辞请改其中的 .html.j2，修改字体和版式请用 Word 打开 reference.docx；"
            f"改好后运行：huibao reference check {folder}，"
            f"生成时加上 --templates {folder}"
        )
    )
