"""What every command prints: JSON on stdout for machines, tables and errors for people."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

DONE, DIFFERENCES, ERROR = 0, 1, 2
stderr = Console(stderr=True)
stdout = Console()


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2) + "\n")


def table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    out = Table(title=title)
    for column in columns:
        out.add_column(column)
    for row in rows:
        out.add_row(*("" if v is None else str(v) for v in row))
    stdout.print(out)


def fail(message: str) -> NoReturn:
    stderr.print(f"[red]error:[/red] {message}")
    raise typer.Exit(ERROR)
