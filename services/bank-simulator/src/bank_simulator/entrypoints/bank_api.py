"""The partner bank's API (partners.md): accounts, pain.001 payments, pain.002 status.

Every POST goes through :func:`idempotently`: faults first (outage, 429, 5xx), then the
``Idempotency-Key`` (400 missing, replay, 422 reused), then the work, whose answer is
stored under the key, then perhaps a time-out after the work.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

from benefits_shared.pin import PIN_PATTERN
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from simulator_kit.holding import hold

from bank_simulator.accounts import Account, AccountRequest
from bank_simulator.bank import Bank
from bank_simulator.errors import BadRequest, BankRefusal
from bank_simulator.faults import Faults
from bank_simulator.idempotency import Answer, fingerprint
from bank_simulator.pain001 import read_pain001
from bank_simulator.pain002 import broken

XML_TYPES = ("application/xml", "text/xml")


class AccountBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pin: str = Field(pattern=PIN_PATTERN.pattern)
    full_name: str = Field(min_length=1, max_length=140)
    birth_date: date
    phone: str | None = Field(pattern=r"^\+994[0-9]{9}$")


def router(bank: Bank, faults: Faults) -> APIRouter:
    api = APIRouter(prefix="/v1")

    @api.post("/accounts")
    async def open_account(request: Request) -> Response:
        return await idempotently(request, bank, faults, lambda body: _open(bank, body))

    @api.post("/payments")
    async def submit_payment(request: Request) -> Response:
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        return await idempotently(request, bank, faults, lambda body: _submit(bank, kind, body))

    @api.get("/payments/{msg_id}/status")
    async def payment_status(msg_id: str) -> Response:
        refusal = faults.before_work()
        if refusal is not None:
            return problem(refusal.status_code, "fault", "injected fault", refusal.headers)
        bank.settle_due(timedelta(seconds=faults.current.settlement_delay_seconds))
        try:
            report = bank.status_report(msg_id)
        except BankRefusal as refused:
            return problem(refused.status_code, refused.code, str(refused))
        defect = faults.current.broken_status_report
        report = report if defect is None else broken(report, defect)
        return Response(report, media_type="application/xml")

    return api


async def idempotently(
    request: Request, bank: Bank, faults: Faults, work: Callable[[bytes], Answer]
) -> Response:
    refusal = faults.before_work()
    if refusal is not None:
        return problem(refusal.status_code, "fault", "injected fault", refusal.headers)
    key = request.headers.get("idempotency-key")
    if not key:
        return problem(400, "idempotency_key_missing", "every POST needs an Idempotency-Key")
    body = await request.body()
    seal = fingerprint(request.method, request.url.path, body)
    try:
        answer, replayed = _recall_or_work(bank, key, seal, body, work)
    except BankRefusal as refused:
        return problem(refused.status_code, refused.code, str(refused))
    if faults.times_out():
        await hold(faults.current.timeout_hold_seconds)
        return problem(504, "timeout", "the bank did not answer in time")
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    return Response(answer.body, answer.status_code, headers, media_type=answer.media_type)


def _recall_or_work(
    bank: Bank, key: str, seal: str, body: bytes, work: Callable[[bytes], Answer]
) -> tuple[Answer, bool]:
    """The answer stored under ``key`` (replayed: True), or the work's, stored under it now."""
    answer = bank.answers.recall(key, seal)
    if answer is not None:
        return answer, True
    answer = _answer(work, body)
    bank.remember(key, seal, answer)
    return answer, False


def _answer(work: Callable[[bytes], Answer], body: bytes) -> Answer:
    try:
        return work(body)
    except BankRefusal as refused:
        return Answer(refused.status_code, _problem_body(refused.code, str(refused)))


def _open(bank: Bank, body: bytes) -> Answer:
    try:
        fields = AccountBody.model_validate_json(body)
    except ValidationError as invalid:
        raise BadRequest(
            f"not an account request: {invalid.error_count()} invalid fields"
        ) from None
    account, created = bank.open_account(AccountRequest(**fields.model_dump()))
    return Answer(201 if created else 200, json.dumps(account_json(account)))


def _submit(bank: Bank, content_type: str, body: bytes) -> Answer:
    if content_type not in XML_TYPES:
        raise BadRequest("a payment is a pain.001.001.09 document (Content-Type: application/xml)")
    document = read_pain001(body)
    bank.submit(document)
    accepted = {"msg_id": document.msg_id, "transactions": len(document.transfers)}
    return Answer(202, json.dumps(accepted))


def account_json(account: Account) -> dict[str, str]:
    return {"account_id": account.account_id, "iban": account.iban, "status": account.status}


def problem(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    return Response(_problem_body(code, detail), status, headers, media_type="application/json")


def _problem_body(code: str, detail: str) -> str:
    return json.dumps({"error": code, "detail": detail}, ensure_ascii=False)
