"""Two civil connectors on one feed (ADR 0019): only the leader reads it, so while both run
no record is sent twice; the leader killed with SIGKILL, the standby takes the lead and
reads the feed to its end, every record once in ``life-events`` (or quarantined)."""

from pathlib import Path

from connector_rig import Rig, by, wait_until
from test_civil_crash import RECORDS, _cursor_at, _sent_at_least, serve_slow_feed


async def test_a_standby_sends_nothing_and_takes_over_when_the_leader_dies(
    rig: Rig, tmp_path: Path
) -> None:
    records = serve_slow_feed(rig, tmp_path)
    rig.env["CIVIL_POLL_SECONDS"] = "0.5"
    leader = rig.start("civil")
    await wait_until(lambda: _sent_at_least(rig, 0.05), 60, "the leader's first pages")
    standby = rig.start("civil")
    await wait_until(lambda: _sent_at_least(rig, 0.5), 60, "half the feed")

    sent = [m.headers["ce_id"] for m in await rig.read(rig.life_events)]
    sent += [m.headers["dlq_id"] for m in await rig.read(f"{rig.life_events}.dlq")]
    assert len(sent) == len(set(sent)), "a record was sent twice while both instances ran"
    standby_log = tmp_path / "connector-1.log"
    assert "civil page done" not in standby_log.read_text(), "the standby read the feed"

    rig.kill(leader)
    await wait_until(lambda: _cursor_at(rig, RECORDS), 90, "the standby at the end of the feed")
    assert rig.terminate(standby) == 0
    events = by(await rig.read(rig.life_events), lambda m: str(m.data["record_no"]))
    letters = by(await rig.read(f"{rig.life_events}.dlq"), lambda m: m.headers["dlq_record_no"])
    assert set(events) | set(letters) == {r["record_no"] for r in records}
    assert all(len({m.headers["ce_id"] for m in ms}) == 1 for ms in events.values())
    assert "lead taken" in standby_log.read_text()
    assert "civil page done" in standby_log.read_text()
