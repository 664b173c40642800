"""``benefits-ops``: the CLI (typer), a client of the ops API except for ``tokens``."""
