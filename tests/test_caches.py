"""What is kept between reports of one process (the Jinja environment, the parsed reference
document, the reference's compressed parts) never changes a report: every example builds to the
same package whether it is the first report of the process or comes after all the others; nor
do templates compiled by an earlier run."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator import docx_writer, pipeline, render
from generator.errors import FileAccessError, TemplateError, UserError
from generator.pipeline import build_report
from tests.helpers import EXAMPLES, ROOT, build_file_tree, docx_text

INPUTS = sorted([*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*.xlsx")])


def _members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        return [(name, package.read(name)) for name in package.namelist()]


def _forget_everything() -> None:
    render._environment_for.cache_clear()
    docx_writer._REFERENCES.clear()


def test_a_report_is_the_same_first_in_a_process_or_after_all_the_others(tmp_path: Path) -> None:
    first: dict[str, list[tuple[str, bytes]]] = {}
    for source in INPUTS:
        _forget_everything()
        output = tmp_path / "first" / f"{source.name}.docx"
        output.parent.mkdir(exist_ok=True)
        build_report(source, output)
        first[source.name] = _members(output)
    for round_ in ("forward", "backward"):
        for source in INPUTS if round_ == "forward" else reversed(INPUTS):
            output = tmp_path / round_ / f"{source.name}.docx"
            output.parent.mkdir(exist_ok=True)
            build_report(source, output)
            assert _members(output) == first[source.name], (round_, source.name)
    # the parts every report shares (all but the document and its core properties) are as
    # they were parsed
    (loaded,) = docx_writer._REFERENCES.values()
    shared = list(loaded.shared)
    assert {part.partname.membername for part in shared} >= {
        "word/styles.xml",
        "word/numbering.xml",
        "word/footer1.xml",
        "word/settings.xml",
    }
    for part in shared:
        assert part.blob == loaded.packed[part.partname.membername].blob, part.partname


def test_the_package_is_what_python_docx_writes() -> None:
    """The writer reuses the reference's compressed parts; what it writes is what python-docx's
    own save writes: the same members, in the same order, with the same bytes."""
    ours, theirs = io.BytesIO(), io.BytesIO()
    with docx_writer._reference_copy(ROOT / "templates" / "reference.docx") as (word, copied):
        word.add_paragraph("正文", style="Normal")
        word.core_properties.title = "标题"
        docx_writer._write_package(word, ours, copied)
        word.save(theirs)
    with zipfile.ZipFile(ours) as mine, zipfile.ZipFile(theirs) as python_docx:
        assert mine.testzip() is None
        assert mine.namelist() == python_docx.namelist()
        for name in mine.namelist():
            assert mine.read(name) == python_docx.read(name), name
            assert mine.getinfo(name).compress_type == zipfile.ZIP_DEFLATED


def test_a_reference_document_changed_during_the_process_is_read_again(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    reference = templates / "reference.docx"
    reference.write_bytes((ROOT / "templates" / "reference.docx").read_bytes())
    source = EXAMPLES / "work-summary.yaml"
    build_report(source, tmp_path / "a.docx", templates_dir=templates)
    assert docx_text(tmp_path / "a.docx").startswith("嘉兴市住房和城乡建设局2020年工作总结")
    reference.write_bytes(b"not a word document")
    with pytest.raises(TemplateError, match="参考样式文件无法打开"):
        build_report(source, tmp_path / "b.docx", templates_dir=templates)
    assert not (tmp_path / "b.docx").exists()


def test_a_template_edited_during_the_process_is_compiled_again(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "work-summary").mkdir(parents=True)
    template = templates / "work-summary" / "report.html.j2"
    original = (ROOT / "templates" / "work-summary" / "report.html.j2").read_text("utf-8")
    template.write_text(original, encoding="utf-8")
    source = EXAMPLES / "work-summary.yaml"
    build_report(source, tmp_path / "a.docx", templates_dir=templates)
    template.write_text("<p>只有这一段</p>\n" + original, encoding="utf-8")
    build_report(source, tmp_path / "b.docx", templates_dir=templates)
    assert docx_text(tmp_path / "b.docx").startswith("只有这一段\n")


def test_a_build_leaves_the_garbage_collector_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Builds collect cycles less often, and only while they run: after a build, and after one
    that fails, the process collects at its own pace again."""

    before = gc.get_threshold()
    during: list[tuple[int, int, int]] = []
    render_input = pipeline.render_input

    def observed(*args: object, **kwargs: object) -> object:
        during.append(gc.get_threshold())
        return render_input(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "render_input", observed)
    pipeline.build_report(EXAMPLES / "task-progress.yaml", tmp_path / "a.docx")
    assert during == [(pipeline.BUILD_COLLECTION_EVERY, *before[1:])]
    assert gc.get_threshold() == before
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: work-summary\ntitle: [\n", encoding="utf-8")
    with pytest.raises(UserError):
        pipeline.build_report(broken, tmp_path / "b.docx")
    assert gc.get_threshold() == before


def test_builds_that_overlap_put_the_collector_pace_back_when_the_last_ends() -> None:
    """Two builds in threads end in any order: the process's own pace comes back after the
    last, not the pace the second found when it started (the first's)."""
    before = gc.get_threshold()
    first, second = pipeline.fewer_collections(), pipeline.fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold() == (pipeline.BUILD_COLLECTION_EVERY, *before[1:])
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


BUILDS_IN_THREADS = """
import gc, sys, threading, zipfile
from pathlib import Path
from generator.pipeline import build_report

before = gc.get_threshold()
inputs = [Path(name) for name in sys.argv[2:]]
start = threading.Barrier(len(inputs))
errors = []

def build(source):
    start.wait()
    try:
        build_report(source, Path(sys.argv[1]) / (source.stem + ".docx"))
    except BaseException as error:
        errors.append(repr(error))

threads = [threading.Thread(target=build, args=(source,)) for source in inputs]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert not errors, errors
assert gc.get_threshold() == before, gc.get_threshold()
"""


def test_reports_of_several_kinds_built_at_once_in_threads(tmp_path: Path) -> None:
    """The first reports of a process, of different kinds, built at the same moment in threads
    (each kind's schema imported while the others' reports are checked): each is the report a
    build on its own makes, and the collector's pace is the process's own afterwards."""
    sources = [
        EXAMPLES / f"{kind}.yaml"
        for kind in ("work-summary", "task-progress", "performance-review")
    ]
    together, alone = tmp_path / "together", tmp_path / "alone"
    together.mkdir()
    alone.mkdir()
    completed = subprocess.run(
        [sys.executable, "-c", BUILDS_IN_THREADS, str(together), *map(str, sources)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    for source in sources:
        build_report(source, alone / f"{source.stem}.docx")
        built = together / f"{source.stem}.docx"
        assert _members(built) == _members(alone / f"{source.stem}.docx")


def test_a_report_that_fails_while_written_leaves_the_reference_as_parsed(tmp_path: Path) -> None:
    """A report writes through the parsed reference with copies of the parts it changes: one
    that fails after its paragraphs and properties went in (here: its folder is gone) leaves
    nothing behind for the next."""

    source = EXAMPLES / "work-summary.yaml"
    _forget_everything()
    build_report(source, tmp_path / "first.docx")
    with pytest.raises(FileAccessError):
        build_report(EXAMPLES / "task-progress.yaml", tmp_path / "gone" / "b.docx")
    build_report(source, tmp_path / "again.docx")
    assert _members(tmp_path / "again.docx") == _members(tmp_path / "first.docx")


# --- templates compiled by an earlier run --------------------------------------------------------


def _build_in_a_process(tmp_path: Path, *arguments: str) -> Path:
    """``huibao build`` in a fresh process whose temporary folder (and so its cache of compiled
    templates) is ``tmp_path / "tmp"``; the report it wrote."""

    temporary = tmp_path / "tmp"
    temporary.mkdir(exist_ok=True)
    output = tmp_path / f"report-{len(list(tmp_path.glob('report-*.docx')))}.docx"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", *arguments, "-o", str(output)],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temporary)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return output


def _cached_templates(tmp_path: Path) -> list[Path]:

    return sorted((tmp_path / "tmp" / f"_jinja2-cache-{os.getuid()}").glob("huibao-*.cache"))


def test_templates_compiled_by_an_earlier_run_give_the_same_report(tmp_path: Path) -> None:
    source = str(EXAMPLES / "work-summary.yaml")
    first = _build_in_a_process(tmp_path, source)
    assert _cached_templates(tmp_path)  # the report's template and the ones it imports
    again = _build_in_a_process(tmp_path, source)
    assert _members(again) == _members(first)


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    template = (ROOT / "templates" / "work-summary" / "report.html.j2").read_text(encoding="utf-8")
    build_file_tree(folder, {"work-summary/report.html.j2": template})
    source = str(EXAMPLES / "work-summary.yaml")
    before = _build_in_a_process(tmp_path, source, "--templates", str(folder))
    assert "本报告由模板维护人员改过" not in docx_text(before)
    edited = template.replace("</body>", "<p>本报告由模板维护人员改过</p>\n</body>")
    assert edited != template
    build_file_tree(folder, {"work-summary/report.html.j2": edited})
    after = _build_in_a_process(tmp_path, source, "--templates", str(folder))
    assert "本报告由模板维护人员改过" in docx_text(after)


def test_a_cache_that_cannot_be_used_is_passed_over(tmp_path: Path) -> None:
    """A damaged cache entry is compiled again; a cache folder that is not a private folder
    (here a file in its place) is not used at all: the report is the same either way."""

    source = str(EXAMPLES / "work-summary.yaml")
    first = _build_in_a_process(tmp_path, source)
    for entry in _cached_templates(tmp_path):
        entry.write_bytes(b"j2 not compiled code")
    damaged = _build_in_a_process(tmp_path, source)
    assert _members(damaged) == _members(first)
    cache = tmp_path / "tmp" / f"_jinja2-cache-{os.getuid()}"
    for entry in cache.iterdir():
        entry.unlink()
    cache.rmdir()
    cache.write_text("not a folder", encoding="utf-8")
    unusable = _build_in_a_process(tmp_path, source)
    assert _members(unusable) == _members(first)
