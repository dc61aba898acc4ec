"""A checker for English left in what staff see: every word of a message should be Chinese."""

from __future__ import annotations

import re
import typing
from typing import Any

import typer
from pydantic import BaseModel
from typer._click.core import Command

from generator.cli import app
from schemas import KINDS

_GROUP = typer.main.get_command(app)
assert isinstance(_GROUP, typer.core.TyperGroup)
COMMANDS: dict[str, Command] = dict(_GROUP.commands)
SUBCOMMANDS: dict[tuple[str, str], Command] = {
    (group_name, name): command
    for group_name, group in COMMANDS.items()
    if isinstance(group, typer.core.TyperGroup)
    for name, command in group.commands.items()
}
"""Commands of a command group (``huibao reference check``), by (group, command)."""

# Names that are not English words to translate: the program, its commands, the metavars the help
# shows, the report kinds, and the names of formats, products and standards huibao's Chinese uses.
ALLOWED = frozenset(
    {
        "huibao",
        *COMMANDS,
        *(name for _, name in SUBCOMMANDS),
        *(
            param.metavar
            for command in (*COMMANDS.values(), *SUBCOMMANDS.values())
            for param in command.params
            if param.metavar
        ),
        *KINDS,
        *("YAML", "JSON", "Schema", "Word", "Excel", "WPS", "GB", "T", "Tab"),
        *("PDF", "PNG", "LibreOffice", "pdftoppm"),
        *("yaml", "xlsx", "csv", "docx"),
    }
)
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_PATH = re.compile(r"\S*[/\\]\S*|[\w.-]*\.(?:yaml|yml|docx|xlsx|xlsm|csv|json)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z_-]*")


def english_words(text: str, typed: tuple[str, ...] | frozenset[str] = ()) -> list[str]:
    """ASCII words left in ``text`` once option names, paths, the names above and the words the
    user typed (``typed``: their command line, or the words of their input file) are taken out."""
    allowed = ALLOWED | {word for token in typed for word in _WORD.findall(token)}
    text = _OPTION.sub(" ", _PATH.sub(" ", text))
    return [word for word in _WORD.findall(text) if word not in allowed]


def words_of(text: str) -> frozenset[str]:
    """The ASCII words of a user's input: field names and whatever they typed themselves."""
    return frozenset(_WORD.findall(text))


def _field_names() -> frozenset[str]:
    names: set[str] = set()
    pending: list[Any] = [kind.model for kind in KINDS.values()]
    models: set[type[BaseModel]] = set()
    while pending:
        annotation = pending.pop()
        if typing.get_origin(annotation) is typing.Annotated:
            pending.append(typing.get_args(annotation)[0])  # not the metadata after it
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in models:
                models.add(annotation)
                names.update(annotation.model_fields)
                pending.extend(info.annotation for info in annotation.model_fields.values())
        else:
            pending.extend(typing.get_args(annotation))
    return frozenset(names)


FIELD_NAMES = _field_names()
"""Every field name of every report kind: messages name the field they concern."""
