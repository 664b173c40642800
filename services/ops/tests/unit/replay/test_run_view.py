"""A run folded from its replies, and what the CLI exits with for it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from benefits_ops.entrypoints.cli.replay import exit_code
from benefits_ops.replay.routes import answer
from benefits_ops.replay.run_view import fold

RUN = "c-1"


def reply(seq: int, state: str, done: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "command_id": RUN,
        "seq": seq,
        "mode": "dry_run",
        "state": state,
        "selection": "every case",
        "cases_total": 4,
        "cases_done": done,
        **extra,
    }


def difference(case: str, delta: str) -> dict[str, Any]:
    new = {"outcome": "assigned", "worth": "400.00", "reason": "B1 assigned"}
    old = {"outcome": "assigned", "worth": str(Decimal("400.00") - Decimal(delta))}
    return {"case_id": case, "benefit": "B1", "old": old, "new": new, "delta": delta}


def test_the_differences_of_every_slice_add_up_once_in_order() -> None:
    slices = [
        reply(2, "running", 4, differences=[difference("B1:b", "50.00")], changed_so_far=2),
        reply(0, "started"),
        reply(1, "running", 2, differences=[difference("B1:a", "50.00")], changed_so_far=1),
        reply(1, "running", 2, differences=[difference("B1:a", "50.00")], changed_so_far=1),
        reply(3, "completed", 4, changed_so_far=2, delta_so_far="100.00"),
    ]
    view = fold(RUN, slices)
    assert [d.case_id for d in view.differences] == ["B1:a", "B1:b"]
    assert (view.state, view.changed, view.delta) == ("completed", 2, Decimal("100.00"))
    assert view.verdict == "2 decisions would change"
    assert exit_code(answer(view).model_dump(mode="json")) == 1


def test_a_finished_dry_run_without_differences_says_no_change_and_exits_0() -> None:
    view = fold(RUN, [reply(0, "started"), reply(1, "completed", 4)])
    assert (view.verdict, view.percent) == ("no change", 100)
    assert exit_code(answer(view).model_dump(mode="json")) == 0


@pytest.mark.parametrize("mode", ["dry_run", "apply", "shadow"])
def test_a_completed_run_that_selected_no_case_says_nothing_selected_and_exits_0(
    mode: str,
) -> None:
    nothing = {"cases_total": 0, "mode": mode}
    view = fold(RUN, [reply(0, "started", **nothing), reply(1, "completed", **nothing)])
    assert view.verdict == "nothing selected"
    assert exit_code(answer(view).model_dump(mode="json")) == 0


def test_replies_of_another_run_are_not_counted() -> None:
    other = {**reply(0, "completed", 4, changed_so_far=9), "command_id": "c-2"}
    assert fold(RUN, [other]).verdict == "waiting for the engine"


@pytest.mark.parametrize(("state", "code"), [("failed", 2), ("cancelled", 2)])
def test_a_run_that_did_not_complete_exits_2(state: str, code: int) -> None:
    view = fold(RUN, [reply(0, state, error="boom")])
    assert exit_code(answer(view).model_dump(mode="json")) == code


def test_an_applied_run_is_done_whatever_it_changed() -> None:
    done = reply(1, "completed", 4, mode="apply", changed_so_far=2, published=2)
    view = fold(RUN, [reply(0, "started", mode="apply"), done])
    assert view.verdict == "2 decisions published"
    assert exit_code(answer(view).model_dump(mode="json")) == 0
