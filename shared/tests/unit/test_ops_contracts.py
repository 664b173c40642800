"""The ops command contracts: what a selection must name, and how commands are identified."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from benefits_shared.cloudevents import CloudEvent
from benefits_shared.contracts import parse
from benefits_shared.contracts.ops import CancelCommand, ReplayCases, ReplaySelection
from pydantic import ValidationError

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "topic_time"},
        {"kind": "topic_offsets", "topic": "life-events", "offset_from": 0},
        {"kind": "topic_offsets", "topic": "life-events", "partition": 1},
        {"kind": "person"},
    ],
)
def test_an_incomplete_selection_is_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ReplaySelection.model_validate(fields)


def test_a_person_selection_never_says_the_pin_in_words() -> None:
    selection = ReplaySelection(kind="person", pin="5XH81PZ")
    assert "5XH81PZ" not in selection.describe()


def test_a_command_sent_twice_has_one_event_id() -> None:
    command = ReplayCases(
        command_id="c-1", requested_by="op", selection=ReplaySelection(kind="everything")
    )
    first = command.to_cloudevent("/ops", NOW, None)
    again = command.to_cloudevent("/ops", NOW, None)
    assert first.id == again.id
    assert command.mode == "dry_run"


def test_a_command_reads_back_as_its_type() -> None:
    cancel = CancelCommand(command_id="c-2", requested_by="op", target_command_id="c-1")
    event = cancel.to_cloudevent("/ops", NOW, None)
    parsed = parse(CloudEvent(event.id, "/ops", event.type, NOW, event.data))
    assert parsed == cancel


def test_an_ops_topic_is_named_in_the_namespace_of_a_known_one() -> None:
    from benefits_shared.topics import BENEFIT_DECISIONS, OPS_COMMANDS, sibling

    assert sibling(OPS_COMMANDS, BENEFIT_DECISIONS, "benefit-decisions-e2e1") == "ops-commands-e2e1"
    assert sibling(OPS_COMMANDS, BENEFIT_DECISIONS, "benefit-decisions") == "ops-commands"
    assert sibling(OPS_COMMANDS, BENEFIT_DECISIONS, "decisions-of-a-test") == "ops-commands"
