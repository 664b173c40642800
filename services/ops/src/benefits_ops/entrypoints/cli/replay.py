"""``benefits-ops replay``, ``shadow`` and ``notices retry`` (ADR 12).

A run is started through the ops API, then followed until the engine's last reply, with
a progress bar on stderr. Exit codes: 0 no change (a dry run) or done (apply, retry), 1 a
dry run or shadow run found differences, 2 an error, a failed or cancelled run, or an
engine that said nothing new for ``--timeout`` seconds (default 300) while waiting. A run
that selected no case ends 0 too (it completed, and nothing would change): its verdict is
"nothing selected", with a hint on stderr, and ``--json`` has ``run.cases_total == 0``.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from benefits_shared.clock import BAKU
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from benefits_ops.entrypoints.cli.api_client import DEFAULT_URL, AsJson, Token, Url, call
from benefits_ops.entrypoints.cli.output import (
    DIFFERENCES,
    DONE,
    ERROR,
    emit_json,
    fail,
    stderr,
    table,
)
from benefits_ops.replay.run_view import NOTHING_SELECTED

Reason = Annotated[str, typer.Option(help="Why (written to the audit log)")]
Wait = Annotated[bool, typer.Option("--wait/--no-wait", help="Follow the run to its end")]
Timeout = Annotated[
    float,
    typer.Option(
        min=1, help="Give up (exit 2) when the engine has said nothing new for this many seconds"
    ),
]
POLL_SECONDS = 1.0
QUIET_SECONDS = 300.0

notices = typer.Typer(help="Notices parked as undeliverable.", no_args_is_help=True)


def replay(
    reason: Reason,
    token: Token,
    url: Url = DEFAULT_URL,
    topic: Annotated[str | None, typer.Option(help="life-events, persons, payments")] = None,
    since: Annotated[datetime | None, typer.Option(help="From (a naive time is Baku's)")] = None,
    until: Annotated[datetime | None, typer.Option(help="To, exclusive")] = None,
    partition: Annotated[int | None, typer.Option(min=0)] = None,
    offset_from: Annotated[int | None, typer.Option(min=0)] = None,
    offset_to: Annotated[int | None, typer.Option(min=0, help="Last offset, inclusive")] = None,
    pin: Annotated[str | None, typer.Option(help="Every case of one person")] = None,
    everything: Annotated[bool, typer.Option(help="Every case the engine knows")] = False,
    apply: Annotated[bool, typer.Option("--apply/--dry-run", help="Publish the changes")] = False,
    horizon: Annotated[str | None, typer.Option(help="Value allowances up to this day")] = None,
    wait: Wait = True,
    timeout: Timeout = QUIET_SECONDS,
    as_json: AsJson = False,
) -> None:
    """Re-decide the selected cases: a dry run (the default) shows what would change."""
    selection = _selection(topic, since, until, partition, offset_from, offset_to, pin, everything)
    mode = "apply" if apply else "dry_run"
    body: dict[str, Any] = {"selection": selection, "mode": mode, "reason": reason}
    body["horizon"] = _day(horizon)
    sent = call("POST", url, token, "/api/v1/replays", body)
    _follow(url, token, sent["command_id"], timeout if wait else None, as_json)


def shadow(
    parameter_file: Annotated[Path, typer.Argument(help="A changed parameter file (YAML)")],
    reason: Reason,
    token: Token,
    url: Url = DEFAULT_URL,
    horizon: Annotated[str | None, typer.Option(help="Value allowances up to this day")] = None,
    wait: Wait = True,
    timeout: Timeout = QUIET_SECONDS,
    as_json: AsJson = False,
) -> None:
    """Decide every case with a changed parameter file: the diff and its cost, nothing published."""
    try:
        text = parameter_file.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"cannot read {parameter_file}: {exc}")
    body: dict[str, Any] = {"parameter_files": {parameter_file.name: text}, "reason": reason}
    body["horizon"] = _day(horizon)
    sent = call("POST", url, token, "/api/v1/shadow-runs", body)
    _follow(url, token, sent["command_id"], timeout if wait else None, as_json)


@notices.command("retry")
def retry(
    notice_id: str, reason: Reason, token: Token, url: Url = DEFAULT_URL, as_json: AsJson = False
) -> None:
    """Give a parked notice a fresh set of attempts (same key and body: sent once)."""
    sent = call("POST", url, token, f"/api/v1/notices/{notice_id}/retry", {"reason": reason})
    if as_json:
        emit_json(sent)
    else:
        stderr.print(f"retry sent as command {sent['command_id']}")


def _follow(url: str, token: str, command_id: str, quiet: float | None, as_json: bool) -> None:
    """Show the run (followed to its end unless ``quiet`` is None: ``--no-wait``) and exit."""
    answer = call("GET", url, token, f"/api/v1/replays/{command_id}")
    if quiet is not None:
        answer = _until_finished(url, token, command_id, answer, quiet)
    if as_json:
        emit_json(answer)
    else:
        _show(answer)
    if quiet is not None and not answer["finished"]:
        stderr.print(
            f"[red]error:[/red] the engine said nothing new for {quiet:g}s: stopped waiting "
            f"(run {command_id}: {answer['verdict']})"
        )
        raise typer.Exit(ERROR)
    raise typer.Exit(exit_code(answer))


def _until_finished(
    url: str, token: str, command_id: str, answer: dict[str, Any], quiet: float
) -> Any:
    """Poll until the run ends, or until ``quiet`` seconds pass without any new reply (the
    engine is down or stuck): a long run that keeps answering is never cut short."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    heard = time.monotonic()
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task(f"run {command_id[:8]}", total=None)
        while not answer["finished"] and time.monotonic() - heard < quiet:
            time.sleep(POLL_SECONDS)
            last, answer = answer, call("GET", url, token, f"/api/v1/replays/{command_id}")
            run = answer["run"]
            if run != last["run"]:
                heard = time.monotonic()
            progress.update(task, completed=run["cases_done"], total=run["cases_total"] or None)
    return answer


def exit_code(answer: dict[str, Any]) -> int:
    """0 no change or done, 1 differences found by a dry or shadow run, 2 failed."""
    run = answer["run"]
    if not answer["finished"]:
        return DONE  # --no-wait: the run was started
    if run["state"] != "completed":
        return ERROR
    return DIFFERENCES if run["mode"] != "apply" and run["changed"] else DONE


def _show(answer: dict[str, Any]) -> None:
    run = answer["run"]
    stderr.print(f"run {run['command_id']}: {answer['verdict']} ({run['selection'] or ''})")
    if run.get("error"):
        stderr.print(f"[red]{run['error']}[/red]")
    if answer["verdict"] == NOTHING_SELECTED:
        stderr.print(
            "[yellow]no case was selected: check the topic, times, offsets or PIN[/yellow]"
        )
    rows = [
        [
            d["case_id"],
            d["benefit"],
            (d["old"] or {}).get("outcome"),
            d["new"].get("outcome") or d["new"].get("error"),
            (d["old"] or {}).get("worth"),
            d["new"].get("worth"),
            d["delta"],
        ]
        for d in run["differences"]
    ]
    if rows:
        columns = ["case", "benefit", "before", "after", "before AZN", "after AZN", "difference"]
        table(f"differences (total {run['delta']} AZN)", columns, rows)


def _selection(
    topic: str | None,
    since: datetime | None,
    until: datetime | None,
    partition: int | None,
    offset_from: int | None,
    offset_to: int | None,
    pin: str | None,
    everything: bool,
) -> dict[str, Any]:
    if everything:
        return {"kind": "everything"}
    if pin:
        return {"kind": "person", "pin": pin}
    if topic and partition is not None:
        offsets = {"partition": partition, "offset_from": offset_from or 0, "offset_to": offset_to}
        return {"kind": "topic_offsets", "topic": topic, **offsets}
    if topic:
        return {"kind": "topic_time", "topic": topic, "since": _iso(since), "until": _iso(until)}
    fail("select something: --topic (with --since/--until or --partition), --pin or --everything")


def _iso(at: datetime | None) -> str | None:
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=BAKU)).isoformat()


def _day(text: str | None) -> str | None:
    return date.fromisoformat(text).isoformat() if text else None
