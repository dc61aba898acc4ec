"""docs/errors.md stays true: every fixed message fragment it lists is still in the program."""

from __future__ import annotations

import re

from tests.helpers import ROOT


def test_every_catalogued_message_exists_in_the_source() -> None:
    catalogue = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    rows = [line for line in catalogue.splitlines() if line.startswith("| `")]
    fragments = [
        fragment for row in rows for fragment in re.findall(r"`([^`]+)`", row.split("|")[1])
    ]
    assert len(fragments) >= 50
    source = "".join(
        path.read_text(encoding="utf-8")
        for folder in ("generator", "schemas")
        for path in (ROOT / folder).rglob("*.py")
    )
    missing = [fragment for fragment in fragments if fragment not in source]
    assert not missing, f"docs/errors.md lists messages the program no longer has: {missing}"
