"""What ops staff ask for, as the API takes it, and the command each becomes (pure).

Every command gets a fresh id (a uuid4) and says who asked and why; that id is what the
console, the CLI and the audit log follow the run by.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any, Literal

from benefits_shared.contracts.ops import (
    CancelCommand,
    ReplayCases,
    ReplaySelection,
    RetryNotice,
    RunShadow,
)
from pydantic import BaseModel, ConfigDict, Field, model_validator

from benefits_ops.entrypoints.http.fields import storable

MAX_PARAMETER_FILE_CHARS = 200_000


class Reasoned(BaseModel):
    """Every text of a request must be storable and sendable: no NUL, no lone surrogate."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000, description="Why (the audit log)")

    @model_validator(mode="after")
    def _storable(self) -> Reasoned:
        for text in _texts(self.model_dump()):
            storable(text)
        return self


class ReplayRequest(Reasoned):
    """A replay: a dry run unless ``mode`` is ``apply``."""

    selection: ReplaySelection
    mode: Literal["dry_run", "apply"] = "dry_run"
    horizon: date | None = Field(default=None, description="Allowances valued up to this day")


class ShadowRequest(Reasoned):
    """A shadow run: ``parameter_files`` maps a parameter file's name to its new text."""

    selection: ReplaySelection = ReplaySelection(kind="everything")
    parameter_files: dict[str, str] = Field(min_length=1)
    label: str = Field(default="uploaded", max_length=200)
    horizon: date | None = None


def _texts(value: Any) -> Iterator[str]:
    """Every string in a request, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def new_command_id() -> str:
    return str(uuid.uuid4())


def replay_command(request: ReplayRequest, actor: str) -> ReplayCases:
    return ReplayCases(
        command_id=new_command_id(),
        requested_by=actor,
        reason=request.reason,
        selection=request.selection,
        mode=request.mode,
        horizon=request.horizon,
    )


def shadow_command(request: ShadowRequest, actor: str) -> RunShadow:
    too_long = [
        n for n, text in request.parameter_files.items() if len(text) > MAX_PARAMETER_FILE_CHARS
    ]
    if too_long:
        raise ValueError(f"parameter files too large: {', '.join(sorted(too_long))}")
    return RunShadow(
        command_id=new_command_id(),
        requested_by=actor,
        reason=request.reason,
        selection=request.selection,
        parameter_files=request.parameter_files,
        label=request.label,
        horizon=request.horizon,
    )


def cancel_command(target: str, reason: str, actor: str) -> CancelCommand:
    return CancelCommand(
        command_id=new_command_id(), requested_by=actor, reason=reason, target_command_id=target
    )


def retry_command(notice_id: str, reason: str, actor: str) -> RetryNotice:
    return RetryNotice(
        command_id=new_command_id(), requested_by=actor, reason=reason, notice_id=notice_id
    )
