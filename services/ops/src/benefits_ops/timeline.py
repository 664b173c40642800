"""A citizen's timeline from the projected events about them and their family (pure).

Every event becomes an :class:`Entry` in time order: registry events, decisions (their
reason in plain words, rule version, parameters, facts, and whether a later decision
superseded them), accounts, payments with their ISO 20022 status, recovery cases, and
SMS notices with their text as sent and delivery state, notices parked as undeliverable,
B2 days owed to a dead holder's estate; and the dead letters about them (a record a
service could not take: state, reason, origin topic, when). A type this module does not
know is shown as it is, by its type name and payload. PINs in payloads are keyed hashes
(``#<digest>``): the timeline names the person when the projection knows their name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from benefits_shared.cloudevents import TYPE_PREFIX

from benefits_ops.pin_redaction import HASH_MARK
from benefits_ops.plain_words import benefit_name, explain, headline
from benefits_ops.presentation import azn

EARLIEST = datetime.min.replace(tzinfo=UTC)
#: pain.002 group status of each payment event (partners.md): what the bank said.
ISO_STATUS = {
    "payment-submitted": "ACTC/PDNG (accepted, pending)",
    "payment-settled": "ACSC (settled)",
    "payment-rejected": "RJCT (rejected)",
}
#: ``PaymentCancelled.reason`` in words.
CANCELLED_BECAUSE = {
    "recipient-changed": "the case now pays someone else",
    "amount-changed": "the amount changed; it is paid as another payment",
    "withdrawn": "the benefit was withdrawn (revoked, rejected or undecided)",
}


@dataclass(frozen=True, slots=True)
class EventView:
    """A projected event as the timeline reads it."""

    ce_type: str | None
    at: datetime | None
    area: str
    payload: Mapping[str, Any] | None
    trace_id: str | None = None


@dataclass(frozen=True, slots=True)
class DeadLetterView:
    """A projected dead letter whose raw record mentioned the citizen or their family."""

    id: int
    origin_topic: str
    reason: str
    kind: str
    state: str
    at: datetime | None
    ce_type: str | None
    consumer_group: str | None


#: What became of a dead letter, in words.
DEAD_LETTER_STATES = {
    "open": "waits in the dead-letter queue: not processed",
    "redriven": "sent again to its topic by ops",
    "discarded": "discarded by ops",
}


@dataclass(frozen=True)
class Entry:
    at: datetime | None
    area: str
    title: str
    summary: str
    state: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    facts: Mapping[str, Any] | None = None
    parameters: Mapping[str, Any] | None = None
    decision_id: str | None = None
    superseded_by: str | None = None
    event_type: str | None = None
    #: The journey's trace (ADR 0015): the same id on every step of one registry record.
    trace_id: str | None = None


@dataclass(frozen=True)
class Timeline:
    subject: str
    name: str | None
    entries: list[Entry]


class People:
    """Names by keyed hash, from the persons records of the lookup; "this citizen" for one."""

    def __init__(self, subject: str, events: Sequence[EventView]) -> None:
        self.subject = subject
        self.names: dict[str, str] = {}
        for e in events:
            p = e.payload or {}
            if _name(e.ce_type) == "person-recorded" and isinstance(p.get("pin"), str):
                self.names[p["pin"]] = f"{p.get('given_name', '')} {p.get('surname', '')}".strip()

    def __call__(self, value: object) -> str:
        if not isinstance(value, str) or not value.startswith(HASH_MARK):
            return "" if value is None else str(value)
        name = self.names.get(value)
        if value == HASH_MARK + self.subject:
            return f"this citizen ({name})" if name else "this citizen"
        return name or f"person {value[1:9]}…"


def build(
    subject: str, events: Sequence[EventView], dead_letters: Sequence[DeadLetterView] = ()
) -> Timeline:
    people = People(subject, events)
    superseding = {
        str(e.payload.get("supersedes")): str(e.payload.get("decision_id"))
        for e in events
        if e.payload and _name(e.ce_type) == "benefit-decided" and e.payload.get("supersedes")
    }
    entries = [_entry(e, people, superseding) for e in events]
    entries += [_dead_letter(d) for d in dead_letters]
    entries.sort(key=lambda e: (e.at is None, e.at or EARLIEST))
    return Timeline(subject, people.names.get(HASH_MARK + subject), entries)


def _entry(e: EventView, people: People, superseding: Mapping[str, str]) -> Entry:
    name = _name(e.ce_type)
    render = RENDERERS.get(name)
    if render is None or e.payload is None:
        return Entry(
            e.at,
            e.area,
            name or "unreadable record",
            _raw(e.payload),
            event_type=e.ce_type,
            trace_id=e.trace_id,
        )
    entry = render(e.payload, people)
    superseded = superseding.get(str(e.payload.get("decision_id")))
    return Entry(
        e.at,
        e.area,
        entry.title,
        entry.summary,
        entry.state,
        entry.details,
        entry.facts,
        entry.parameters,
        entry.decision_id,
        superseded,
        e.ce_type,
        e.trace_id,
    )


def _dead_letter(d: DeadLetterView) -> Entry:
    details = {
        "what became of it": DEAD_LETTER_STATES.get(d.state, d.state),
        "origin topic": d.origin_topic,
        "refused by": d.consumer_group or "not recorded",
        "kind": d.kind,
        "dead letter": f"#{d.id}",
    }
    what = _name(d.ce_type) or "unreadable record"
    title = f"Record not processed ({what})"
    return Entry(d.at, "dead-letters", title, d.reason, d.state, details, event_type=d.ce_type)


def _name(ce_type: str | None) -> str:
    """``az.gov.benefits.birth-registered.v1`` → ``birth-registered``."""
    if not ce_type:
        return ""
    return ce_type.removeprefix(TYPE_PREFIX).rsplit(".v", 1)[0]


def _raw(payload: Mapping[str, Any] | None) -> str:
    if not payload:
        return "(no readable payload)"
    return ", ".join(f"{k}: {v}" for k, v in payload.items())[:400]


def _birth(p: Mapping[str, Any], who: People) -> Entry:
    child = p.get("child") or {}
    summary = (
        f"{child.get('given_name', '')} {child.get('surname', '')}, born "
        f"{child.get('birth_date', '?')}"
    )
    details = {
        "record": str(p.get("record_no", "")),
        "office": str(p.get("office", "")),
        "child": who(child.get("pin")),
        "mother": who(p.get("mother_pin")) or "not named",
        "father": who(p.get("father_pin")) or "not named",
    }
    return Entry(None, "", "Birth registered", summary, details=details)


def _death(p: Mapping[str, Any], who: People) -> Entry:
    summary = f"{who(p.get('deceased_pin'))} died on {p.get('death_date', '?')}"
    return Entry(None, "", "Death registered", summary, details={"record": str(p.get("record_no"))})


def _cancelled(p: Mapping[str, Any], who: People) -> Entry:
    summary = f"record {p.get('cancels')} cancelled" + (
        f": {p['reason']}" if p.get("reason") else ""
    )
    return Entry(None, "", "Registry record cancelled", summary)


def _corrected(p: Mapping[str, Any], who: People) -> Entry:
    changes = ", ".join(f"{k} → {v}" for k, v in (p.get("changes") or {}).items())
    return Entry(None, "", "Registry record corrected", f"record {p.get('corrects')}: {changes}")


def _certificate(p: Mapping[str, Any], who: People) -> Entry:
    until = p.get("valid_until") or "open-ended"
    summary = (
        f"group {p.get('group')} for {who(p.get('pin'))}, valid {p.get('valid_from')} – {until}"
    )
    details = {"certificate": str(p.get("certificate_no")), "file": str(p.get("source_file"))}
    return Entry(None, "", "Disability certificate issued", summary, details=details)


def _revoked(p: Mapping[str, Any], who: People) -> Entry:
    summary = f"certificate {p.get('certificate_no')} revoked from {p.get('effective_from')}"
    return Entry(None, "", "Disability certificate revoked", summary)


def _person(p: Mapping[str, Any], who: People) -> Entry:
    name = " ".join(str(p[k]) for k in ("given_name", "patronymic", "surname") if p.get(k))
    details = {
        "who": who(p.get("pin")),
        "born": str(p.get("birth_date", "")),
        "phone": str(p.get("phone") or "none"),
        "language": str(p.get("language", "")),
        "mother": who(p.get("mother_pin")) or "not known",
        "father": who(p.get("father_pin")) or "not known",
    }
    if p.get("date_of_death"):
        details["died"] = str(p["date_of_death"])
    return Entry(None, "", "Population registry record", name, details=details)


def _decision(p: Mapping[str, Any], who: People) -> Entry:
    outcome = str(p.get("outcome", ""))
    recipient = p.get("recipient") or {}
    details = {
        "decided on": str(p.get("decided_on", "")),
        "case": str(p.get("case_id", "")),
        "rule version": str(p.get("rule_version", "")),
        "recipient": who(recipient.get("pin")) if recipient else "nobody",
    }
    if p.get("amount") is not None:
        details["amount"] = azn(p["amount"])
    if p.get("entitlement"):
        details["entitlement"] = _entitlement(p["entitlement"])
    if p.get("supersedes"):
        details["supersedes"] = str(p["supersedes"])
    return Entry(
        None,
        "",
        headline(str(p.get("benefit", "")), outcome),
        explain(str(p.get("reason", ""))),
        state=outcome,
        details=details,
        facts=p.get("facts") or {},
        parameters=p.get("parameters") or {},
        decision_id=str(p.get("decision_id", "")),
    )


def _entitlement(e: Mapping[str, Any]) -> str:
    rates = "; ".join(
        f"{azn(r.get('monthly_rate'))}/month from {r.get('from_month')}"
        for r in e.get("rates") or []
    )
    return f"group {e.get('group')}, {e.get('start')} – {e.get('end') or 'open-ended'}: {rates}"


def _account(p: Mapping[str, Any], who: People) -> Entry:
    summary = f"{p.get('bank_name')}, account ending {p.get('account_last4')}"
    return Entry(None, "", "Account opened", summary, state="opened")


def _payment(kind: str) -> Callable[[Mapping[str, Any], People], Entry]:
    def render(p: Mapping[str, Any], who: People) -> Entry:
        state = kind.removeprefix("payment-")
        details = {"ISO 20022 status": ISO_STATUS[kind], "payment": str(p.get("payment_id"))}
        if p.get("reason_code"):
            details["reason code"] = str(p["reason_code"])
        if p.get("period_start"):
            details["period"] = f"{p.get('period_start')} – {p.get('period_end')}"
        summary = f"{azn(p.get('amount'))} to {who(p.get('recipient_pin'))}"
        return Entry(
            None, "", f"Payment {state}", summary, state, details, decision_id=p.get("decision_id")
        )

    return render


def _recovery(p: Mapping[str, Any], who: People) -> Entry:
    summary = f"{azn(p.get('amount'))} to recover: {p.get('reason')}"
    return Entry(
        None, "", "Recovery case opened", summary, state="open", decision_id=p.get("decision_id")
    )


def _cancelled_payment(p: Mapping[str, Any], who: People) -> Entry:
    why = CANCELLED_BECAUSE.get(str(p.get("reason")), str(p.get("reason")))
    summary = f"{azn(p.get('amount'))} to {who(p.get('recipient_pin'))} will not be sent: {why}"
    details = {"payment": str(p.get("payment_id")), "cancelled by": str(p.get("cancelled_by"))}
    return Entry(
        None,
        "",
        "Payment cancelled",
        summary,
        "cancelled",
        details,
        decision_id=p.get("decision_id"),
    )


def _owed_to_estate(p: Mapping[str, Any], who: People) -> Entry:
    summary = (
        f"{azn(p.get('amount'))} for {p.get('days')} days ({p.get('period_start')} – "
        f"{p.get('period_end')}) owed to the estate of {who(p.get('deceased_pin'))}, "
        f"who died on {p.get('died_on')}: not sent to the bank; ops pay the heirs"
    )
    details = {
        "benefit": benefit_name(str(p.get("benefit", ""))),
        "rate": f"{azn(p.get('monthly_rate'))}/month, a month of {p.get('days_in_month')} days",
        "why": str(p.get("reason")),
    }
    if p.get("payment_id"):
        details["refused payment (MD07)"] = str(p["payment_id"])
    return Entry(
        None, "", "Owed to the estate", summary, "owed", details, decision_id=p.get("decision_id")
    )


def _parked(p: Mapping[str, Any], who: People) -> Entry:
    summary = f"not taken by the SMS gateway after {p.get('attempts')} attempts: waits for ops"
    details = {"kind": str(p.get("kind")), "language": str(p.get("language"))}
    if p.get("reason"):
        details["last error"] = str(p["reason"])
    title = "SMS undeliverable (parked)"
    return Entry(None, "", title, summary, "parked", details, decision_id=p.get("decision_id"))


def _notice(p: Mapping[str, Any], who: People) -> Entry:
    state = str(p.get("state", ""))
    details = {"kind": str(p.get("kind")), "language": str(p.get("language"))}
    if p.get("segments") is not None:
        details["segments"] = f"{p.get('segments')} ({p.get('encoding')})"
    if p.get("reason"):
        details["why"] = str(p["reason"])
    text = p.get("text")
    summary = f"“{text}”" if text else "(text not carried by this event)"
    return Entry(
        None, "", f"SMS {state}", summary, state, details, decision_id=p.get("decision_id")
    )


RENDERERS: dict[str, Callable[[Mapping[str, Any], People], Entry]] = {
    "birth-registered": _birth,
    "death-registered": _death,
    "record-cancelled": _cancelled,
    "record-corrected": _corrected,
    "certificate-issued": _certificate,
    "certificate-revoked": _revoked,
    "person-recorded": _person,
    "benefit-decided": _decision,
    "account-opened": _account,
    "payment-submitted": _payment("payment-submitted"),
    "payment-settled": _payment("payment-settled"),
    "payment-rejected": _payment("payment-rejected"),
    "payment-cancelled": _cancelled_payment,
    "recovery-opened": _recovery,
    "owed-to-estate": _owed_to_estate,
    "notice-changed": _notice,
    "notice-parked": _parked,
}

__all__ = ["DeadLetterView", "Entry", "EventView", "Timeline", "benefit_name", "build"]
