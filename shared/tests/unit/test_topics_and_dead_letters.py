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
