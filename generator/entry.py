"""The ``huibao`` command: ``huibao --version`` is answered before the command-line framework
(typer, click) is imported, which is most of its start-up; everything else goes to ``cli.app``."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the ``huibao`` command with ``sys.argv``."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        from generator import __version__

        sys.stdout.write(f"huibao {__version__}\n")
        return
    from generator.cli import app

    app(prog_name="huibao")
