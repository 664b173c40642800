"""When a group member counts as wedged (``benefits_shared.kafka.group_member``)."""

from benefits_shared.kafka.group_member import Absence, members_client_ids


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_member_missing_for_the_grace_period_is_wedged() -> None:
    clock = Clock()
    absence = Absence(grace_s=30, clock=clock)
    assert not absence.seen(False)  # first seen missing: a rejoin takes seconds
    clock.now = 29
    assert not absence.seen(False)
    clock.now = 30
    assert absence.seen(False)


def test_being_seen_again_starts_the_count_over() -> None:
    clock = Clock()
    absence = Absence(grace_s=30, clock=clock)
    absence.seen(False)
    clock.now = 25
    assert not absence.seen(True)
    clock.now = 50
    assert not absence.seen(False)
    clock.now = 79
    assert not absence.seen(False)
    clock.now = 80
    assert absence.seen(False)
    absence.reset()
    assert not absence.seen(False)


class Described:
    def __init__(self, groups: list[dict[str, object]]) -> None:
        self._groups = groups

    def to_object(self) -> dict[str, object]:
        return {"groups": self._groups}


def test_the_members_client_ids_are_read_from_the_broker_answer() -> None:
    answer = Described(
        [
            {"group": "other", "error_code": 0, "members": [{"client_id": "x"}]},
            {"group": "engine", "error_code": 0, "members": [{"client_id": "engine-1a2b"}]},
        ]
    )
    assert members_client_ids([answer], "engine") == {"engine-1a2b"}
    assert (
        members_client_ids(
            [Described([{"group": "engine", "error_code": 0, "members": []}])], "engine"
        )
        == set()
    )


def test_an_error_or_no_answer_for_the_group_is_no_answer() -> None:
    refused = Described([{"group": "engine", "error_code": 15, "members": []}])
    assert members_client_ids([refused], "engine") is None
    assert members_client_ids([], "engine") is None
