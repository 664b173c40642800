"""``benefits-ops``: one command per operation, scriptable first.

- ``--json`` prints machine-readable results on stdout; progress and messages go to stderr.
- Exit codes: 0 done / no change, 1 differences found (a dry run), 2 error.
- ``tokens`` talks to PostgreSQL directly (it makes the first admin token, before any
  token exists); every other command is a client of the ops API (``OPS_URL``,
  ``OPS_TOKEN``), so it is authorised and audited like the console.
"""

from __future__ import annotations

import typer

from benefits_ops.entrypoints.cli import dead_letters, lookups, replay, tokens

app = typer.Typer(
    name="benefits-ops",
    help="Ops tooling of the proactive benefits engine.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(tokens.app, name="tokens")
app.add_typer(dead_letters.app, name="dlq")
app.command("citizen")(lookups.citizen)
app.command("replay")(replay.replay)
app.command("shadow")(replay.shadow)
app.add_typer(replay.notices, name="notices")

if __name__ == "__main__":
    app()
