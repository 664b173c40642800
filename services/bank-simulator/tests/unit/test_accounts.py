"""``POST /v1/accounts``: one account per person, a valid Azerbaijani IBAN, idempotent."""

from __future__ import annotations

import httpx
from bank_simulator.iban import is_valid_az_iban

PERSON = {
    "pin": "5AB7C9D",
    "full_name": "Əliyeva Şəbnəm",
    "birth_date": "1990-05-17",
    "phone": "+994501234567",
}


def independent_mod97_ok(iban: str) -> bool:
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


async def test_a_new_person_gets_an_open_account_with_a_valid_azerbaijani_iban(
    bank: httpx.AsyncClient,
) -> None:
    answer = await bank.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "k1"})
    assert answer.status_code == 201
    account = answer.json()
    assert account["status"] == "OPEN" and account["account_id"]
    assert len(account["iban"]) == 28 and account["iban"].startswith("AZ")
    assert independent_mod97_ok(account["iban"])


async def test_a_person_who_has_an_account_gets_the_same_one_with_200(
    bank: httpx.AsyncClient,
) -> None:
    first = await bank.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "k1"})
    again = await bank.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "k2"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()


async def test_two_people_get_two_accounts(bank: httpx.AsyncClient) -> None:
    other = {**PERSON, "pin": "7XY2K3M", "full_name": "Məmmədov Əli"}
    a = await bank.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "k1"})
    b = await bank.post("/v1/accounts", json=other, headers={"Idempotency-Key": "k2"})
    assert a.json()["iban"] != b.json()["iban"]
    listed = (await bank.get("/_sim/accounts")).json()
    assert {(x["pin"], x["full_name"]) for x in listed} == {
        ("5AB7C9D", "Əliyeva Şəbnəm"),
        ("7XY2K3M", "Məmmədov Əli"),
    }


async def test_a_post_without_an_idempotency_key_is_refused(bank: httpx.AsyncClient) -> None:
    answer = await bank.post("/v1/accounts", json=PERSON)
    assert answer.status_code == 400
    assert answer.json()["error"] == "idempotency_key_missing"
    assert (await bank.get("/_sim/accounts")).json() == []


async def test_a_repeated_key_gets_the_first_answer(bank: httpx.AsyncClient) -> None:
    first = await bank.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "k1"})
    repeat = await bank.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "k1"})
    assert (repeat.status_code, repeat.json()) == (201, first.json())
    assert repeat.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert repeat.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


async def test_a_key_reused_for_another_body_is_refused(bank: httpx.AsyncClient) -> None:
    await bank.post("/v1/accounts", json=PERSON, headers={"Idempotency-Key": "k1"})
    other = {**PERSON, "pin": "7XY2K3M"}
    answer = await bank.post("/v1/accounts", json=other, headers={"Idempotency-Key": "k1"})
    assert answer.status_code == 422
    assert len((await bank.get("/_sim/accounts")).json()) == 1


async def test_a_request_that_is_not_an_account_request_is_refused(bank: httpx.AsyncClient) -> None:
    bad_pin = {**PERSON, "pin": "OIO1234"}
    answer = await bank.post("/v1/accounts", json=bad_pin, headers={"Idempotency-Key": "k1"})
    assert answer.status_code == 400
    assert "OIO1234" not in answer.text


def test_the_iban_registry_example_is_a_valid_azerbaijani_iban() -> None:
    assert is_valid_az_iban("AZ21NABZ00000000137010001944")
    assert not is_valid_az_iban("AZ12NABZ00000000137010001944")
    assert not is_valid_az_iban("AZ21NABZ0000000013701000194")
