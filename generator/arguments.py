"""What the inputs on ``huibao build``'s command line name: one file, or a batch.

Kept apart from ``batch.py`` so that building one report never imports the batch machinery.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

_GLOB_CHARACTERS = re.compile(r"[*?\[]")


def is_batch(arguments: Sequence[str]) -> bool:
    """Several inputs, a folder or a glob pattern: a batch, whose ``-o`` names a folder."""
    if len(arguments) != 1:
        return True
    return Path(arguments[0]).is_dir() or is_pattern(arguments[0])


def is_pattern(argument: str) -> bool:
    """A glob pattern, not the name of an existing file that happens to hold ``*?[``."""
    return bool(_GLOB_CHARACTERS.search(argument)) and not Path(argument).exists()
