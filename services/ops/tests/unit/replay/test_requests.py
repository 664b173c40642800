"""What ops ask for, as commands: selections from the console's form, limits."""

from __future__ import annotations

from datetime import datetime

import pytest
from benefits_ops.replay.pages import selection_of
from benefits_ops.replay.requests import (
    ReplayRequest,
    ShadowRequest,
    cancel_command,
    shadow_command,
)
from benefits_shared.clock import BAKU
from pydantic import ValidationError


def test_a_form_s_times_are_baku_times_and_empty_fields_are_left_out() -> None:
    form = {"kind": "topic_time", "topic": "life-events", "since": "2026-03-01T00:00", "pin": " "}
    selection = selection_of(form)
    assert selection.since == datetime(2026, 3, 1, tzinfo=BAKU)
    assert (selection.until, selection.pin) == (None, None)


def test_an_offset_selection_without_its_partition_is_refused() -> None:
    with pytest.raises(ValidationError):
        selection_of({"kind": "topic_offsets", "topic": "life-events", "offset_from": "3"})


def test_a_parameter_file_too_large_is_refused() -> None:
    request = ShadowRequest(parameter_files={"birth_grant.yaml": "x" * 200_001}, reason="try")
    with pytest.raises(ValueError, match="too large"):
        shadow_command(request, "op")


def test_a_cancel_names_the_run_it_cancels_and_has_an_id_of_its_own() -> None:
    cancel = cancel_command("c-1", "wrong day", "op")
    assert cancel.target_command_id == "c-1" and cancel.command_id != "c-1"


def test_a_text_that_cannot_be_stored_or_sent_is_refused_wherever_it_is() -> None:
    with pytest.raises(ValidationError):
        ShadowRequest(parameter_files={"birth_grant.yaml": "x\x00"}, reason="try")
    with pytest.raises(ValidationError):
        ShadowRequest(parameter_files={"\ud800.yaml": "x"}, reason="try")
    with pytest.raises(ValidationError):
        ReplayRequest.model_validate(
            {"selection": {"kind": "person", "pin": "\ud800"}, "reason": "why"}
        )
