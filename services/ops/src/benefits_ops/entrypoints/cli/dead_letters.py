"""``benefits-ops dlq list|show|redrive|discard``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from benefits_ops.entrypoints.cli.api_client import DEFAULT_URL, AsJson, Token, Url, call
from benefits_ops.entrypoints.cli.output import emit_json, fail, stderr, table

app = typer.Typer(
    help="Dead letters: list, show, redrive (as is or fixed), discard.", no_args_is_help=True
)


@app.command("list")
def list_dead_letters(
    token: Token,
    url: Url = DEFAULT_URL,
    state: Annotated[str, typer.Option(help="open, redriven, discarded or all")] = "open",
    as_json: AsJson = False,
) -> None:
    """Dead letters, newest first."""
    rows = call("GET", url, token, "/api/v1/dead-letters", state=state)
    if as_json:
        emit_json(rows)
        return
    table(
        f"dead letters ({state})",
        ["id", "origin", "kind", "reason", "state"],
        [
            [
                r["id"],
                f"{r['origin_topic']}[{r['origin_partition']}]@{r['origin_offset']}",
                r["kind"],
                r["reason"][:80],
                r["state"],
            ]
            for r in rows
        ],
    )


@app.command("show")
def show(
    dead_letter_id: int, token: Token, url: Url = DEFAULT_URL, as_json: AsJson = False
) -> None:
    """One dead letter with its raw payload and headers."""
    shown = call("GET", url, token, f"/api/v1/dead-letters/{dead_letter_id}")
    if as_json:
        emit_json(shown)
        return
    for key in (
        "id",
        "origin_topic",
        "origin_partition",
        "origin_offset",
        "kind",
        "reason",
        "state",
    ):
        stderr.print(f"{key}: {shown[key]}")
    typer.echo(shown.get("raw_payload") or "")


@app.command("redrive")
def redrive(
    dead_letter_id: int,
    reason: Annotated[str, typer.Option(help="Why (written to the audit log)")],
    token: Token,
    url: Url = DEFAULT_URL,
    fixed: Annotated[Path | None, typer.Option(help="A file with the fixed JSON payload")] = None,
    as_json: AsJson = False,
) -> None:
    """Send it back to its origin topic, as it is or with ``--fixed`` payload."""
    body: dict[str, object] = {"reason": reason}
    if fixed is not None:
        try:
            body["fixed_payload"] = json.loads(fixed.read_text())
        except (OSError, ValueError) as exc:
            fail(f"the fixed payload is not readable JSON: {exc}")
    done = call("POST", url, token, f"/api/v1/dead-letters/{dead_letter_id}/redrive", body)
    if as_json:
        emit_json(done)
    else:
        stderr.print(f"redriven to {done['origin_topic']} as {done['ce_id']}")


@app.command("discard")
def discard(
    dead_letter_id: int,
    reason: Annotated[str, typer.Option(help="Why (written to the audit log)")],
    token: Token,
    url: Url = DEFAULT_URL,
    as_json: AsJson = False,
) -> None:
    """Close it without sending it anywhere; the reason is kept."""
    done = call(
        "POST", url, token, f"/api/v1/dead-letters/{dead_letter_id}/discard", {"reason": reason}
    )
    if as_json:
        emit_json(done)
    else:
        stderr.print(f"discarded {dead_letter_id}")
