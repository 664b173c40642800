"""``benefits-ops tokens create|list|revoke``: straight to the ops schema (``DATABASE_URL``).

``tokens create --role admin --name first-admin`` is how the first admin token is made.
The actor written to the audit log is ``cli:<OS user>``.
"""

from __future__ import annotations

import asyncio
import getpass
from typing import Annotated

import typer

from benefits_ops.access import Role
from benefits_ops.bootstrap import token_admin
from benefits_ops.entrypoints.cli.output import DONE, emit_json, fail, stderr, table

app = typer.Typer(
    help="Make, list and revoke API tokens (needs DATABASE_URL).", no_args_is_help=True
)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@app.command("create")
def create(
    name: Annotated[str, typer.Option(help="Who or what holds the token")],
    role: Annotated[Role, typer.Option(help="viewer, operator or admin")] = Role.VIEWER,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """Create a token and print its secret (shown once)."""
    token_id, secret = asyncio.run(token_admin().create(name, role, _actor()))
    if as_json:
        emit_json({"token_id": token_id, "role": role.value, "secret": secret})
    else:
        stderr.print(f"token {token_id} ({role.value}) for {name}; its secret, shown once:")
        typer.echo(secret)
    raise typer.Exit(DONE)


@app.command("list")
def list_tokens(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """Every token (never a secret)."""
    rows = asyncio.run(token_admin().all())
    if as_json:
        emit_json([{k: getattr(r, k) for k in r.__slots__} for r in rows])
        return
    table(
        "tokens",
        ["id", "name", "role", "created", "revoked"],
        [[r.token_id, r.name, r.role.value, r.created_at, r.revoked_at] for r in rows],
    )


@app.command("revoke")
def revoke(token_id: str) -> None:
    """Revoke a token: it stops working at once."""
    if not asyncio.run(token_admin().revoke(token_id, _actor())):
        fail("no such active token")
    stderr.print(f"revoked {token_id}")
