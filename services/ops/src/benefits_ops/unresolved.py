"""The unresolved queue: what the pipeline could not finish on its own (pure).

An item is the **latest** event of its thing when that event leaves work for a human
(the condition is SQL, in ``adapters/unresolved_queue.py``, so that paging and counts
see every thing):

| category | thing, keyed by | its latest event is |
| --- | --- | --- |
| ``undecided`` | a case, ``case_id`` | a decision ``unresolved`` (nobody to pay, …) |
| ``payment`` | a payment, ``payment_id`` | ``payment-rejected`` by the bank |
| ``estate`` | B2 days owed, ``owed_id`` | ``owed-to-estate`` (never sent, or ``MD07``) |
| ``recovery`` | a recovery case, ``recovery_id`` | ``recovery-opened`` |
| ``notice`` | a notice, ``notice_id`` | ``notice-parked``; failed, expired, unknown, skipped |

``owed-to-estate``: days of a B2 allowance due to a holder who died before they were
paid, owed to the estate (policy.md); ``recovery-opened``: money paid that was not due.

An item's key names the event (``<category>:<ce_id>``): resolving it hides that event,
and a later event of the same thing that needs a human again is a new item. Every item
can be resolved; a parked notice can also be retried (``actions``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from benefits_ops.plain_words import explain, headline
from benefits_ops.presentation import azn

NOTICE_STATES_NEEDING_HELP = ("failed", "expired", "unknown", "skipped")
CATEGORIES = ("undecided", "payment", "estate", "recovery", "notice")


@dataclass(frozen=True, slots=True)
class LatestEvent:
    category: str
    ce_id: str
    ce_type: str
    at: datetime | None
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    category: str
    at: datetime | None
    title: str
    summary: str
    state: str
    case_id: str | None
    decision_id: str | None
    notice_id: str | None
    #: What an operator may do with it: ``resolve``, and ``retry`` for a parked notice.
    actions: tuple[str, ...]


def item(event: LatestEvent) -> Item:
    p = event.payload
    title, summary, state = _describe(event)
    return Item(
        f"{event.category}:{event.ce_id}",
        event.category,
        event.at,
        title,
        summary,
        state,
        _s(p.get("case_id")),
        _s(p.get("decision_id")),
        _s(p.get("notice_id")),
        ("retry", "resolve") if state == "parked" else ("resolve",),
    )


def _describe(e: LatestEvent) -> tuple[str, str, str]:
    p = e.payload
    if e.category == "undecided":
        title = headline(str(p.get("benefit", "")), "unresolved")
        return title, explain(str(p.get("reason", ""))), "unresolved"
    if e.category == "payment":
        why = f"bank reason {p.get('reason_code')}"
        return "Payment rejected by the bank", f"{azn(p.get('amount'))}: {why}", "rejected"
    if e.category == "estate":
        days = f"{p.get('period_start')} to {p.get('period_end')} ({p.get('days')} days)"
        summary = f"{azn(p.get('amount'))} owed to the estate for {days}" + _why(p)
        return "Owed to a deceased holder's estate", summary, "owed"
    if e.category == "recovery":
        return "Recovery case", f"{azn(p.get('amount'))} to recover" + _why(p), "open"
    if "notice-parked" in e.ce_type:
        summary = f"{p.get('kind')} notice, {p.get('attempts')} attempts" + _why(p)
        return "SMS undeliverable (parked)", summary, "parked"
    state = str(p.get("state"))
    return f"SMS {state}", f"{p.get('kind')} notice" + _why(p), state


def _why(p: Mapping[str, Any]) -> str:
    return f": {p['reason']}" if p.get("reason") else ""


def _s(value: object) -> str | None:
    return value if isinstance(value, str) else None
