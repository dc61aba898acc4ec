"""Check that speed work changed no output: build every example with and without a change and
compare the packages member by member, byte for byte.

Run: ``python benchmarks/compare_outputs.py COMMIT ...``: for each commit, its parent's tree
against its own (the commit alone, whatever landed before or after it). ``--base REV`` compares
REV with HEAD instead (``--working-tree``: with the working tree, uncommitted files included).
Trees are taken with ``git archive``; nothing in the working tree is touched.

Each example (``examples/*.yaml`` and ``*.xlsx``) is built in a fresh process per tree; the
packages' member names, their order and every member's uncompressed bytes must be equal
(``word/document.xml`` first of all). Exit status 1 if any differs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _export(commit: str, folder: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", commit], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)


def _working_tree(folder: Path) -> None:
    """The working tree as it is (tracked and untracked files, without ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())


def _build_all(tree: Path, out: Path) -> dict[str, str]:
    """Build each example with the code in ``tree``; the error of each that fails."""
    environment = dict(os.environ, PYTHONPATH=str(tree))
    failures = {}
    for example in sorted(
        [*(tree / "examples").glob("*.yaml"), *(tree / "examples").glob("*.xlsx")]
    ):
        output = out / f"{example.name}.docx"
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build", str(example), "-o", str(output)],
            cwd=tree,
            env=environment,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            failures[example.name] = done.stderr.strip()
    return failures


def _members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as package:
        return [(name, package.read(name)) for name in package.namelist()]


def _compare(before: Path, after: Path) -> int:
    """Build the examples with both trees; print each package's differences; count those."""
    for tree in (before, after):
        (tree / "out").mkdir()
    failed = {tree: _build_all(tree / "src", tree / "out") for tree in (before, after)}
    differing = 0
    for built in sorted((before / "out").glob("*.docx")):
        other = after / "out" / built.name
        if not other.exists():
            print(f"  {built.name}: not built after: {failed[after].get(built.name[:-5])}")
            differing += 1
            continue
        old, new = _members(built), _members(other)
        if [name for name, _ in old] != [name for name, _ in new]:
            print(f"  {built.name}: the members differ")
            differing += 1
            continue
        changed = [name for (name, data), (_, again) in zip(old, new, strict=True) if data != again]
        print(
            f"  {built.name}: {len(old)} members, "
            + (f"differing: {', '.join(changed)}" if changed else "all identical")
        )
        differing += bool(changed)
    for name, error in failed[before].items():
        print(f"  {name}: not built before: {error.splitlines()[-1] if error else ''}")
    return differing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commits", nargs="*", help="compare each with its parent")
    parser.add_argument("--base", help="compare this commit with HEAD")
    parser.add_argument(
        "--working-tree", action="store_true", help="with --base: the working tree, not HEAD"
    )
    arguments = parser.parse_args()
    if not arguments.commits and not arguments.base:
        parser.error("give COMMIT ... or --base REV")
    pairs: list[tuple[str, str | None]] = [(f"{commit}^", commit) for commit in arguments.commits]
    if arguments.base:
        pairs.append((arguments.base, None if arguments.working_tree else "HEAD"))
    differing = 0
    for old, new in pairs:
        with tempfile.TemporaryDirectory(prefix="huibao-compare-") as temporary:
            before, after = Path(temporary) / "before", Path(temporary) / "after"
            (before / "src").mkdir(parents=True)
            (after / "src").mkdir(parents=True)
            _export(old, before / "src")
            if new is None:
                _working_tree(after / "src")
            else:
                _export(new, after / "src")
            print(f"{old} -> {new or 'the working tree'}")
            differing += _compare(before, after)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
