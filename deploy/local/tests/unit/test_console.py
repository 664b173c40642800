"""Progress off a terminal (a CI log, captured output): plain lines on stderr, a few at a
time, the last figures at the end, never a control character; stdout stays clean."""

from __future__ import annotations

import pytest
from devstack import console
from devstack.console import Board, Steps


def test_steps_off_a_terminal_say_the_start_the_end_and_little_between(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Steps("fetching", total=3) as steps:
        for name in ("a.jar", "b.jar", "c.jar"):
            steps.advance(name)
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == ""
    assert lines[0] == "fetching…"
    assert lines[-1].startswith("fetching: done in ")
    assert len(lines) == 2  # the steps came quicker than one line per PLAIN_EVERY_S


def test_steps_off_a_terminal_say_how_far_they_are_when_a_line_is_due(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "PLAIN_EVERY_S", 0.0)
    with Steps("benchmarks", total=2) as steps:
        steps.advance("(engine done)")
    assert "benchmarks: 1/2 (engine done)" in capsys.readouterr().err.splitlines()


def test_a_failed_task_does_not_say_done(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError), Steps("generating"):
        raise RuntimeError("the generator failed")
    assert "done" not in capsys.readouterr().err


def test_the_board_off_a_terminal_ends_with_the_last_figures_as_one_plain_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Board("make run") as board:
        board.show({"payments settled": "1", "SMS": "0"})
        board.show({"payments settled": "19", "SMS": "16"})
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == ["payments settled 1 · SMS 0", "payments settled 19 · SMS 16"]
    assert "\r" not in err and "\x1b" not in err
