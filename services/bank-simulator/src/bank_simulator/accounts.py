"""Social-card accounts: one per person (PIN), numbered in the order they were opened.

Settlement asks :meth:`AccountBook.refusal_for` whether a credit may land: ``AC01`` for
an IBAN the bank does not hold, ``MD07`` when the holder is marked deceased, ``AC04``
when the account is marked closed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from bank_simulator.errors import UnknownAccount
from bank_simulator.events import AccountClosed, AccountOpened, PersonDeceased
from bank_simulator.iban import az_iban


@dataclass(frozen=True, slots=True)
class AccountRequest:
    pin: str
    full_name: str
    birth_date: date
    phone: str | None


@dataclass(frozen=True, slots=True)
class Account:
    account_id: str
    iban: str
    pin: str
    full_name: str
    status: str = "OPEN"


class AccountBook:
    def __init__(self, bank_code: str) -> None:
        self._bank_code = bank_code
        self._by_pin: dict[str, Account] = {}
        self._pin_of_iban: dict[str, str] = {}
        self._deceased: set[str] = set()

    def find(self, pin: str) -> Account | None:
        return self._by_pin.get(pin)

    def all(self) -> list[Account]:
        return list(self._by_pin.values())

    def is_deceased(self, pin: str) -> bool:
        return pin in self._deceased

    def opening(self, request: AccountRequest, at: datetime) -> AccountOpened:
        """The fact of opening the next account for ``request`` (the caller checks find first)."""
        number = len(self._by_pin) + 1
        return AccountOpened(
            at=at,
            account_id=f"ACC{number:09d}",
            iban=az_iban(self._bank_code, number),
            pin=request.pin,
            full_name=request.full_name,
            birth_date=request.birth_date,
            phone=request.phone,
        )

    def closing(self, iban: str, at: datetime) -> AccountClosed:
        if iban not in self._pin_of_iban:
            raise UnknownAccount("no account with this IBAN")
        return AccountClosed(at=at, iban=iban)

    def refusal_for(self, iban: str) -> str | None:
        """The reason code a credit to ``iban`` is rejected with, or None: it may land."""
        pin = self._pin_of_iban.get(iban)
        if pin is None:
            return "AC01"
        if pin in self._deceased:
            return "MD07"
        return "AC04" if self._by_pin[pin].status == "CLOSED" else None

    def apply(self, fact: AccountOpened | AccountClosed | PersonDeceased) -> None:
        if isinstance(fact, AccountOpened):
            self._by_pin[fact.pin] = Account(fact.account_id, fact.iban, fact.pin, fact.full_name)
            self._pin_of_iban[fact.iban] = fact.pin
        elif isinstance(fact, AccountClosed):
            pin = self._pin_of_iban[fact.iban]
            self._by_pin[pin] = replace(self._by_pin[pin], status="CLOSED")
        else:
            self._deceased.add(fact.pin)
