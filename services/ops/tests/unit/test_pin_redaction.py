from benefits_ops.pin_redaction import PinRedactor, digests_in
from benefits_shared.pin import PinHasher

HASHER = PinHasher("test-key")


def test_every_pin_becomes_its_keyed_hash_and_is_listed() -> None:
    redacted = PinRedactor(HASHER).redact(
        {
            "child": {"pin": "7CD9P3Q", "given_name": "Aysu"},
            "mother_pin": "5AB7K2M",
            "note": "informant 2EF4R8S called",
            "children": ["3JK6V4W"],
        }
    )
    digests = {HASHER.digest(p) for p in ("7CD9P3Q", "5AB7K2M", "2EF4R8S", "3JK6V4W")}
    assert redacted.pin_hashes == digests
    assert redacted.payload["child"] == {
        "pin": "#" + HASHER.digest("7CD9P3Q"),
        "given_name": "Aysu",
    }
    assert "2EF4R8S" not in str(redacted.payload)


def test_hashes_uuids_and_longer_tokens_stay_as_they_are() -> None:
    text = "d1b1a000-0000-5000-8000-000000000001 CR-1001 ABCDEFGH"
    assert PinRedactor(HASHER).redact(text).payload == text


def test_a_hash_already_in_a_case_id_or_key_is_found() -> None:
    digest = HASHER.digest("7CD9P3Q")
    assert digests_in(f"B1:{digest}", None) == {digest}
