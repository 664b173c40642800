"""The CLI's client of the ops API: ``--url``/``OPS_URL`` and ``--token``/``OPS_TOKEN``."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import typer

from benefits_ops.entrypoints.cli.output import fail

Url = Annotated[str, typer.Option("--url", envvar="OPS_URL", help="The ops service")]
Token = Annotated[str, typer.Option("--token", envvar="OPS_TOKEN", help="A bearer token")]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout")]
DEFAULT_URL = "http://127.0.0.1:8080"


def call(
    method: str, url: str, token: str, path: str, body: dict[str, Any] | None = None, **params: Any
) -> Any:
    """The answer's JSON; an error answer or no answer ends the command with status 2."""
    try:
        answer = httpx.request(
            method,
            url.rstrip("/") + path,
            headers={"Authorization": f"Bearer {token}"},
            json=body,
            params={k: v for k, v in params.items() if v is not None},
            timeout=60,
        )
    except httpx.HTTPError as exc:
        fail(f"the ops service did not answer: {exc}")
    if answer.status_code >= 400:
        try:
            detail = answer.json().get("detail", answer.text)
        except ValueError:
            detail = answer.text
        fail(f"{answer.status_code}: {detail}")
    return answer.json() if answer.content else None
