"""``benefits-ops citizen PIN``: the timeline of one citizen (the lookup is audited)."""

from __future__ import annotations

from typing import Annotated

import typer

from benefits_ops.entrypoints.cli.api_client import DEFAULT_URL, AsJson, Token, Url, call
from benefits_ops.entrypoints.cli.output import emit_json, table
from benefits_ops.presentation import baku_time


def citizen(
    pin: Annotated[str, typer.Argument(help="The citizen's PIN (sent in the request body)")],
    reason: Annotated[str, typer.Option(help="Why (audited), e.g. a 142 call reference")],
    token: Token,
    url: Url = DEFAULT_URL,
    as_json: AsJson = False,
) -> None:
    """Everything the system knows and did about a citizen, in time order."""
    lookup = {"pin": pin, "reason": reason}
    timeline = call("POST", url, token, "/api/v1/citizens/lookup", lookup)
    if as_json:
        emit_json(timeline)
        return
    table(
        "timeline",
        ["when (Asia/Baku)", "what", "summary"],
        [[baku_time(e["at"]), e["title"], e["summary"]] for e in timeline["entries"]],
    )
