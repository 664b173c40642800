import pytest
from benefits_shared.pin import InvalidPinError, Pin, PinHasher, is_pin


@pytest.mark.parametrize("text", ["5XH81PZ", "0000000", "ZZZZZZZ"])
def test_valid_pins_are_accepted(text: str) -> None:
    assert Pin(text).value == text


@pytest.mark.parametrize("text", ["5XH81P", "5XH81PZZ", "5XH81PO", "5xh81pz", "5XH81PI", ""])
def test_pins_of_the_wrong_shape_are_refused(text: str) -> None:
    assert not is_pin(text)
    with pytest.raises(InvalidPinError):
        Pin(text)


def test_a_pin_never_shows_in_its_repr() -> None:
    assert "5XH81PZ" not in repr(Pin("5XH81PZ"))


def test_keyed_hash_is_stable_and_depends_on_the_key() -> None:
    a, b = PinHasher("key-one"), PinHasher("key-two")
    assert a.digest("5XH81PZ") == a.digest(Pin("5XH81PZ"))
    assert a.digest("5XH81PZ") != b.digest("5XH81PZ")
    assert "5XH81PZ" not in a.kafka_key("5XH81PZ").decode()
