"""Pydantic models of the report kinds, one module per kind, and the registry that lists them.

Adding a kind: write its module here (with a ``KIND`` entry), add a line to ``_KIND_MODULES``,
add ``templates/<name>/``.

The registry is lazy: ``KINDS`` knows each kind's name and module path, and imports the module
(which builds its pydantic models, the costly part of starting huibao) the first time that kind
is looked up. A build of one work summary builds only the work summary's models; ``huibao
--version`` builds none.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from schemas.base import ReportBase, ReportKind

_KIND_MODULES: dict[str, str] = {
    "work-summary": "schemas.work_summary",
    "performance-review": "schemas.performance_review",
    "progress-report": "schemas.progress_report",
    "task-progress": "schemas.task_progress",
    "rule-of-law-report": "schemas.rule_of_law_report",
    "government-work-report": "schemas.government_work_report",
}
"""Kind name → the module whose ``KIND`` describes it, in the order ``huibao kinds`` lists them."""


class _KindRegistry(Mapping[str, ReportKind]):
    """Kind name → ``ReportKind``; a kind's module is imported the first time it is looked up."""

    def __init__(self, modules: Mapping[str, str]) -> None:
        self._modules = dict(modules)
        self._loaded: dict[str, ReportKind] = {}

    def __getitem__(self, name: str) -> ReportKind:
        kind = self._loaded.get(name)
        if kind is None:
            module = importlib.import_module(self._modules[name])  # KeyError: no such kind
            kind = module.KIND
            if not isinstance(kind, ReportKind) or kind.name != name:
                raise TypeError(f"{module.__name__}.KIND does not describe the kind {name!r}")
            self._loaded[name] = kind
        return kind

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __contains__(self, name: object) -> bool:
        return name in self._modules


KINDS: Mapping[str, ReportKind] = _KindRegistry(_KIND_MODULES)
"""Every report kind by name. Iterating gives the names without importing anything; looking a
kind up (``KINDS[name]``, ``.get``, ``.values()``) imports its module once."""

__all__ = ["KINDS", "ReportBase", "ReportKind"]
