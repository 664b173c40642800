"""The day a case is decided on (ADR 0005, amended 2026-12-05): read from the history, not
from the moment the engine happened to read the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from types import SimpleNamespace

from benefits_shared.clock import BAKU
from benefits_shared.contracts.persons import PersonRecord
from benefits_shared.kafka.consumer_loop import Delivery
from benefits_shared.service_runtime import Received
from eligibility_engine.case_keys import CaseKey
from eligibility_engine.entrypoints.event_handler import decision_day, touch
from eligibility_engine.knowledge import day_of, epoch_ms

REGISTERED = datetime.combine(date(2026, 3, 1), time(10, 15), BAKU)


def delivered(at: datetime, arrived: datetime | None) -> Delivery[Received]:
    person = PersonRecord(
        pin="5XH81PZ", given_name="L", surname="M", birth_date=date(1994, 7, 12), sex="F"
    )  # type: ignore[call-arg]
    event = person.to_cloudevent("/test", at, None)
    record = None if arrived is None else SimpleNamespace(timestamp=epoch_ms(arrived))
    return Delivery(record, Received(event, person))


def test_a_record_touches_on_the_day_it_reached_kafka_when_that_is_later() -> None:
    late = datetime.combine(date(2026, 12, 5), time(3, 0), BAKU)
    assert touch(delivered(REGISTERED, late)).day == date(2026, 12, 5)
    assert touch(delivered(REGISTERED, None)).day == date(2026, 3, 1)  # no record: its time
    assert touch(delivered(late, REGISTERED)).day == date(2026, 12, 5)  # never before its own


def test_the_day_of_a_kafka_timestamp_is_the_baku_calendar_day() -> None:
    # 21:30 UTC on 4 December is 01:30 on 5 December in Baku (UTC+4).
    assert day_of(epoch_ms(datetime(2026, 12, 4, 21, 30, tzinfo=UTC))) == date(2026, 12, 5)
    assert day_of(epoch_ms(datetime(2026, 12, 4, 19, 59, tzinfo=UTC))) == date(2026, 12, 4)
    midnight = epoch_ms(datetime(2026, 12, 4, 20, 0, tzinfo=UTC))  # 00:00 in Baku
    assert (day_of(midnight - 1), day_of(midnight)) == (date(2026, 12, 4), date(2026, 12, 5))


def test_only_an_allowance_is_decided_on_the_clocks_today_when_it_is_later() -> None:
    day, today = date(2026, 3, 1), date(2026, 4, 1)
    assert decision_day(CaseKey("B2", "MSE-1"), day, today) == today
    assert decision_day(CaseKey("B1", "7KQ2M9A"), day, today) == day
    assert decision_day(CaseKey("B3", "2BC4D6F"), day, today) == day
    assert decision_day(CaseKey("B2", "MSE-1"), day, None) == day
    assert decision_day(CaseKey("B2", "MSE-1"), today, day) == today
