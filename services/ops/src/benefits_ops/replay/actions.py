"""What each replay action does, for the API and the console alike: send the command,
write the audit entry (who, what, on which command, why).

The audit entry is written only once the command is in Kafka: a command that could not
be sent is an error to the caller, not an entry. A one-person selection is audited by the
PIN's keyed hash, never the PIN.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaProducer
from benefits_shared.contracts.ops import OpsCommand, ReplayCases, ReplaySelection, RunShadow

from benefits_ops.access import Caller
from benefits_ops.adapters.tables import OpsTables
from benefits_ops.entrypoints.http.context import OpsContext
from benefits_ops.errors import ActionRefused
from benefits_ops.replay.command_sender import CommandSender, commands_topic
from benefits_ops.replay.requests import (
    ReplayRequest,
    ShadowRequest,
    cancel_command,
    replay_command,
    retry_command,
    shadow_command,
)
from benefits_ops.replay.run_reader import RunReader

PART = "replay"


@dataclass(frozen=True, slots=True)
class ReplayParts:
    """What ``bootstrap`` puts in ``OpsContext.parts["replay"]``."""

    sender: CommandSender
    reader: RunReader


def replay_parts(
    producer: AIOKafkaProducer, topics: Iterable[str], tables: OpsTables
) -> ReplayParts:
    """The replay's parts, on the service's producer, for its ``ops-commands`` topic."""
    return ReplayParts(CommandSender(producer, commands_topic(topics)), RunReader(tables))


def parts_of(context: OpsContext) -> ReplayParts:
    found = context.parts.get(PART)
    if not isinstance(found, ReplayParts):
        raise ActionRefused("replays are not available: no command topic is configured", 503)
    return found


async def replay(context: OpsContext, caller: Caller, request: ReplayRequest) -> ReplayCases:
    command = replay_command(request, caller.actor)
    await _send(
        context, caller, command, f"replay.{request.mode}", _selection(context, request.selection)
    )
    return command


async def shadow(context: OpsContext, caller: Caller, request: ShadowRequest) -> RunShadow:
    try:
        command = shadow_command(request, caller.actor)
    except ValueError as exc:
        raise ActionRefused(str(exc), 422) from exc
    details = {**_selection(context, request.selection), "files": sorted(request.parameter_files)}
    await _send(context, caller, command, "shadow.run", details)
    return command


async def cancel(context: OpsContext, caller: Caller, command_id: str, reason: str) -> OpsCommand:
    command = cancel_command(command_id, reason, caller.actor)
    await _send(context, caller, command, "replay.cancel", {"cancels": command_id})
    return command


async def retry_notice(
    context: OpsContext, caller: Caller, notice_id: str, reason: str
) -> OpsCommand:
    command = retry_command(notice_id, reason, caller.actor)
    await _send(context, caller, command, "notice.retry", {"notice_id": notice_id})
    return command


async def _send(
    context: OpsContext, caller: Caller, command: OpsCommand, action: str, details: dict[str, Any]
) -> None:
    await parts_of(context).sender.send(command)
    async with context.sessions.begin() as s:
        await context.audit.write(s, caller, action, command.command_id, command.reason, details)


def _selection(context: OpsContext, selection: ReplaySelection) -> dict[str, Any]:
    described: dict[str, Any] = {"selection": selection.describe(), "kind": selection.kind}
    if selection.pin:
        described["pin_hash"] = context.hasher.digest(selection.pin)
    return described
