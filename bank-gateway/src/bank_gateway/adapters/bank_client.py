"""The partner bank over HTTP (spec/partners.md), behind one circuit breaker.

Each method sends exactly what it is given (stored body or document bytes, stored
``Idempotency-Key``) and turns the answer into a result or an error of ``errors.py``:
``BankRefused`` for a 4xx the bank means (never retried), ``BankUnavailable`` for 5xx,
429 (with its ``Retry-After``), a time-out or a lost connection: an unknown outcome, to be
asked again later with the same key and body. A 429 does not count against the circuit
breaker: the bank answers, it only asks us to wait its ``Retry-After``. HTTP stays here.

A call unanswered for ``hedge_after`` seconds and for several times the bank's typical
answer is sent a second time, same key and body, and the first answer of the two decides
(``benefits_shared.hedging``, ADR 25): a call that hangs after the work costs about a
second, not the 10-s time-out and a retry.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from benefits_shared.circuit_breaker import CircuitBreaker
from benefits_shared.hedging import Hedger

from bank_gateway.errors import BankRefused, BankUnavailable, CircuitOpen, MessageNotKnown

JSON = "application/json"
XML = "application/xml"
#: A call unanswered this long (and 4 times the bank's typical answer) is sent again.
HEDGE_AFTER_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class OpenedAccount:
    account_id: str
    iban: str
    created: bool  # 201: opened now; 200: the person already had it


class BankClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        breaker: CircuitBreaker,
        hedge_after: float = HEDGE_AFTER_SECONDS,
    ) -> None:
        self._http = http
        self.breaker = breaker
        self._hedger = Hedger(hedge_after, "bank")

    async def open_account(self, key: str, body: bytes) -> OpenedAccount:
        answer = await self._call("POST", "/v1/accounts", key, body, JSON)
        data = answer.json()
        return OpenedAccount(str(data["account_id"]), str(data["iban"]), answer.status_code == 201)

    async def submit(self, key: str, document: bytes) -> None:
        """Hand a pain.001 document to the bank (202: accepted, or accepted before)."""
        await self._call("POST", "/v1/payments", key, document, XML)

    async def status(self, msg_id: str) -> bytes:
        """The pain.002 report of a document; MessageNotKnown if the bank has no such MsgId."""
        return (await self._call("GET", f"/v1/payments/{msg_id}/status")).content

    async def _call(
        self,
        method: str,
        path: str,
        key: str | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> httpx.Response:
        if not self.breaker.allow():
            raise CircuitOpen("circuit open", self.breaker.seconds_until_probe())
        headers = {"Idempotency-Key": key, "Content-Type": content_type or JSON} if key else {}
        began = self.breaker.now()
        try:
            answer = await self._hedger.call(
                lambda: self._http.request(method, path, content=body, headers=headers)
            )
        except (httpx.TimeoutException, TimeoutError) as lost:
            self.breaker.timed_out(began)
            raise BankUnavailable(f"{method} {path}: {type(lost).__name__}") from lost
        except httpx.TransportError as lost:
            self.breaker.failed()
            raise BankUnavailable(f"{method} {path}: {type(lost).__name__}") from lost
        except BaseException:
            self.breaker.failed()
            raise
        return self._judge(method, path, answer, began)

    def _judge(
        self, method: str, path: str, answer: httpx.Response, began: float
    ) -> httpx.Response:
        status = answer.status_code
        if status >= 500:
            self.breaker.failed()
            raise BankUnavailable(f"{method} {path}: {status}", _retry_after(answer))
        self.breaker.succeeded(began)  # a 429 too: the bank works, we are too fast (ADR 18)
        if status == 429:
            raise BankUnavailable(f"{method} {path}: {status}", _retry_after(answer))
        if status == 404 and method == "GET":
            raise MessageNotKnown(f"{method} {path}: 404")
        if status >= 400:
            raise BankRefused(status, _error_code(answer))
        return answer


def _retry_after(answer: httpx.Response) -> float | None:
    try:
        return float(answer.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def _error_code(answer: httpx.Response) -> str:
    try:
        return str(answer.json().get("error") or answer.status_code)
    except ValueError:
        return str(answer.status_code)
