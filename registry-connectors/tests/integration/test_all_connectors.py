"""``python -m registry_connectors`` runs every connector whose endpoint is configured, in
one process, and stops them all on SIGTERM."""

from pathlib import Path

from connector_rig import Rig, wait_until
from registry_connectors.bench import births
from registry_connectors.local_registries import write_dataset

ROW = "MSE-26-004512;4RT7Y2K;ISSUED;II;01.03.2026;01.03.2027;;02.03.2026"
HEADER = "certificate_no;pin;decision;group;valid_from;valid_until;effective_from;issued_at"
PERSON = {
    "given_name": "Leyla",
    "surname": "Mammadova",
    "patronymic": None,
    "birth_date": "1994-07-12",
    "sex": "F",
    "phone": None,
    "language": "az",
    "date_of_death": None,
    "mother_pin": None,
    "father_pin": None,
}


async def test_one_process_runs_the_three_connectors_and_stops_them_cleanly(
    rig: Rig, tmp_path: Path
) -> None:
    persons = [PERSON | {"pin": pin} for pin in ("1AAAAAA", "2BBBBBB")]
    change = {"seq": 1, "pin": "2BBBBBB", "person": persons[1] | {"phone": "+994501234567"}}
    write_dataset(tmp_path / "data", births(3), persons, [change])
    rig.serve(tmp_path / "data")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "mse_20260302.csv").write_bytes(f"\ufeff{HEADER}\r\n{ROW}\r\n".encode())

    connector = rig.start("all", MSE_DROP_DIR=str(drop))

    async def all_done() -> bool:
        civil = await rig.checkpoint("civil-registry")
        changes = await rig.checkpoint("population-changes")
        files = await rig.query("SELECT name FROM {schema}.mse_files")
        return bool(civil and civil["seq"] == 3 and changes and changes["seq"] == 1 and files)

    await wait_until(all_done, 60, f"three connectors done\n{rig.logs()[-2000:]}")
    assert rig.terminate(connector) == 0
    assert await rig.count(rig.life_events) == 4
    assert await rig.count(rig.persons) == 3
    assert rig.logs().count('"msg": "connector stopped"') == 3
