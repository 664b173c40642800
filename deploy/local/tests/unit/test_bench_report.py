"""The report holds each figure to issue #12's target and says met or missed; it is
rendered from its JSON (so it can be shown again as it was)."""

from __future__ import annotations

from pathlib import Path

from devstack.bench.measure import Figure
from devstack.bench.report import render, target_of, write


def test_ratios_are_held_to_their_targets() -> None:
    engine = Figure("engine: events decided and committed", 2_000, "events/s", 20_000)
    replay = Figure("engine: replay from offset 0", 17_000, "events/s", 20_000)
    assert target_of(engine) == ("≥ 0.5× the passthrough", "**missed**")
    assert target_of(replay) == ("≥ 0.8× the passthrough", "met")
    assert target_of(Figure("raw producer (acks=all, batched)", 1.0, "records/s")) == ("—", "—")


def test_the_peak_day_and_the_latency_at_50_per_second() -> None:
    fast = Figure("end to end, 1 instance(s): 25,000 births → paid", 210, "births/s")
    slow = Figure("end to end, 1 instance(s): 25,000 births → paid", 35, "births/s")
    p99 = Figure("end to end, 1 instance(s): p99 latency at 50 births/s offered", 6.5, "s")
    assert target_of(fast)[1] == "met" and target_of(slow)[1] == "**missed**"
    assert target_of(p99) == ("≤ 2 s", "**missed**")
    two = Figure("end to end, 2 instance(s): p99 latency at 50 births/s offered", 1.0, "s")
    assert target_of(two) == ("—", "—")


def test_the_markdown_is_rendered_again_from_the_json(tmp_path: Path) -> None:
    figures = [Figure("bank gateway: grants settled", 500, "payments/s", 550, "bare client")]
    written = write(tmp_path, figures, ["a note"], {"bank": {"x": 1}}, ["## A section"])
    first = written.read_text()
    written.unlink()
    assert render(tmp_path).read_text() == first
    assert "| ≥ 0.8× the bare client | met |" in first
    assert "- a note" in first and "## A section" in first
