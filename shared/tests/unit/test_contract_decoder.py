"""``contract_decoder``: a consumer reads the values of the types its handler applies only;
another type's event is known by its headers, with no payload, whatever its value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from benefits_shared.cloudevents import InvalidEnvelopeError
from benefits_shared.contracts import Contract
from benefits_shared.contracts.life_events import BirthRegistered, Child, CivilRecord
from benefits_shared.contracts.payments import AccountOpened
from benefits_shared.errors import PoisonMessage
from benefits_shared.service_runtime import contract_decoder, decode_contract

AT = datetime(2026, 10, 1, 9, tzinfo=UTC)
BIRTH = BirthRegistered(
    record_no="B-1",
    seq=1,
    registered_at=AT,
    office="Bakı",
    child=Child(
        pin="1234567", given_name="Aysel", surname="Əliyeva", birth_date=date(2026, 9, 30), sex="F"
    ),
)
ACCOUNT = AccountOpened(
    recipient_pin="7654321", account_id="A-1", account_last4="0001", bank_name="Bank"
)


def record(payload: Contract, value: bytes | None = None) -> SimpleNamespace:
    event = payload.to_cloudevent("/test", AT, "subject")
    return SimpleNamespace(headers=event.headers(), value=event.value() if value is None else value)


def test_an_applied_type_is_read_as_decode_contract_reads_it() -> None:
    decoder = contract_decoder([CivilRecord])  # a base: its subtypes are applied
    assert decoder(record(BIRTH)) == decode_contract(record(BIRTH))
    assert decoder(record(BIRTH)).payload == BIRTH


def test_another_type_is_known_by_its_headers_and_its_value_is_not_read() -> None:
    decoder = contract_decoder([CivilRecord])
    for value in (None, b"{not json", b"[1]", b'{"account_id": 5}'):
        received = decoder(record(ACCOUNT, value))
        assert received.payload is None
        assert (received.event.id, received.event.type) == (
            ACCOUNT.event_id(),
            AccountOpened.type_name(),
        )
    with pytest.raises(InvalidEnvelopeError):
        decode_contract(record(ACCOUNT, b"{not json"))  # read by one that applies it


def test_an_applied_type_that_breaks_its_contract_or_json_is_still_refused() -> None:
    decoder = contract_decoder([CivilRecord, AccountOpened])
    with pytest.raises(PoisonMessage, match="breaks its contract"):
        decoder(record(ACCOUNT, b'{"account_id": 5}'))
    with pytest.raises(InvalidEnvelopeError):
        decoder(record(BIRTH, b"{not json"))


def test_an_envelope_without_its_headers_is_refused_whatever_its_type() -> None:
    decoder = contract_decoder([CivilRecord])
    with pytest.raises(InvalidEnvelopeError, match="missing CloudEvents headers"):
        decoder(SimpleNamespace(headers=[("ce_type", b"x")], value=b"{}"))
