import pytest
from benefits_shared.errors import DeadLetterStorm
from benefits_shared.kafka.dead_letters import StormGuard
from benefits_shared.topics import CATALOG, all_topics, by_name


def test_every_topic_has_its_dead_letter_companion() -> None:
    names = {t.name for t in all_topics()}
    for topic in CATALOG:
        assert f"{topic.name}.dlq" in names
    assert by_name("persons").configs()["cleanup.policy"] == "compact"


def test_a_few_dead_letters_do_not_stop_the_consumer() -> None:
    guard = StormGuard(window=100, max_ratio=0.5)
    for _ in range(10):
        guard.record(processed=9, dead=1)


def test_a_storm_of_dead_letters_stops_the_consumer() -> None:
    guard = StormGuard(window=100, max_ratio=0.5)
    guard.record(processed=40, dead=10)
    with pytest.raises(DeadLetterStorm):
        guard.record(processed=9, dead=41)  # 51 of the last 100


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_deadlocks_and_serialization_failures_are_retried_not_dead_lettered() -> None:
    from benefits_shared.outages import is_transient
    from sqlalchemy.exc import DBAPIError

    assert is_transient(DBAPIError("UPDATE", {}, _PgError("40P01")))
    assert is_transient(DBAPIError("UPDATE", {}, _PgError("40001")))
    assert not is_transient(DBAPIError("INSERT", {}, _PgError("23505")))  # unique violation
