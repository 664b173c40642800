import json
import logging

from benefits_shared.json_logging import JsonFormatter, Scrubber
from benefits_shared.pin import PinHasher


def _format(message: str, **extra: object) -> str:
    formatter = JsonFormatter("test", Scrubber(PinHasher("k")))
    record = logging.makeLogRecord({"msg": message, "levelname": "INFO", **extra})
    return formatter.format(record)


def test_pins_are_replaced_by_their_keyed_hash() -> None:
    line = _format("recipient 5XH81PZ has no phone", pin="7KQ2M9A")
    assert "5XH81PZ" not in line and "7KQ2M9A" not in line
    assert f"pin#{PinHasher('k').digest('5XH81PZ')[:12]}" in line


def test_phone_numbers_are_masked() -> None:
    line = _format("sent to +994501234567 and 994 55 123 45 67")
    assert "501234567" not in line and "551234567" not in line
    assert "+994*******67" in line


def test_pins_of_letters_only_are_replaced_too() -> None:
    assert "KQMWXYZ" not in _format("recipient KQMWXYZ")


def test_words_and_hashes_are_left_alone() -> None:
    line = _format("ISSUED certificate", digest="a3f9c0d1e2b4c5d6a3f9c0d1e2b4c5d6")
    entry = json.loads(line)
    assert entry["msg"] == "ISSUED certificate"
    assert entry["digest"] == "a3f9c0d1e2b4c5d6a3f9c0d1e2b4c5d6"
