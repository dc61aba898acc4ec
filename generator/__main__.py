"""Allow ``python -m generator``."""

from generator.cli import app

app(prog_name="huibao")
