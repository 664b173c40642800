"""The summary of a run and whether every count reconciles: pure, over what was observed.

Our records are the events our services published (decisions, payments, notices): every
count comes from them. The partners' records (the bank simulator's ledger and accounts,
the SMS simulator's log) exist only where the partner is our simulator; the checks that
compare with them run only then, and the summary names those that did not (``not_run``).
Each check says what it compared.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import quantiles
from typing import Any

from notifier.quiet_hours import POLICY as QUIET

from devstack.flow import HANDED_OVER, Flow
from devstack.observe import Record

PIN_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NP-Z]{7}(?![0-9A-Za-z])")
IBAN_LIKE = re.compile(r"AZ\d{2}[A-Z]{4}[0-9A-Z]{20}")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Summary:
    decisions: Counter[tuple[str, str]] = field(default_factory=Counter)
    paid: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    rejected: Counter[str] = field(default_factory=Counter)
    accounts: int = 0
    recoveries: int = 0
    sms: int = 0
    segments: int = 0
    notices: Counter[str] = field(default_factory=Counter)
    dead_letters: dict[str, int] = field(default_factory=dict)
    latency_s: tuple[float, float] | None = None
    checks: list[Check] = field(default_factory=list)
    #: Notices the notifier holds (None: not known), and whether its clock is in quiet hours.
    not_handed_over: int | None = None
    quiet_hours: bool = False
    #: The comparisons with a partner's records that did not run, and why.
    not_run: list[str] = field(default_factory=list)

    @property
    def reconciled(self) -> bool:
        return all(c.ok for c in self.checks)

    def waiting_notices_line(self) -> str | None:
        """What the summary says of the notices not handed over yet (None: nothing)."""
        if self.quiet_hours and self.not_handed_over is not None:
            return (
                f"notices held for quiet hours ({QUIET.start:%H:%M}–{QUIET.end:%H:%M} Baku)"
                f" {self.not_handed_over:,}: they leave at {QUIET.end:%H:%M}"
            )
        if self.not_handed_over:
            return (
                f"notices not handed over yet {self.not_handed_over:,}"
                " (waiting for an account or a retry)"
            )
        return None


def final_decisions(decisions: list[Record]) -> dict[str, dict[str, Any]]:
    """The last decision of each case (the one nothing supersedes)."""
    superseded = {r.value.get("supersedes") for r in decisions}
    return {
        r.value["case_id"]: r.value
        for r in decisions
        if r.value.get("decision_id") not in superseded
    }


def summarise(
    decisions: list[Record],
    payments: list[Record],
    notices: list[Record],
    ledger: list[dict[str, Any]] | None,
    accounts: list[dict[str, Any]] | None,
    messages: list[dict[str, Any]] | None,
    ends: dict[str, int],
) -> Summary:
    s = Summary()
    final = final_decisions(decisions)
    s.decisions = Counter((d["benefit"], d["outcome"]) for d in final.values())
    settled = _latest(payments, "payment-settled", "payment_id")
    for benefit in ("B1", "B2", "B3"):
        mine = [p for p in settled.values() if p["case_id"].startswith(f"{benefit}:")]
        s.paid[benefit] = (len(mine), sum((Decimal(p["amount"]) for p in mine), Decimal(0)))
    s.rejected = Counter(
        p["reason_code"] for p in _latest(payments, "payment-rejected", "payment_id").values()
    )
    s.accounts = len(_latest(payments, "account-opened", "account_id"))
    s.recoveries = len(_latest(payments, "recovery-opened", "recovery_id"))
    states = _latest(notices, "notice-changed", "notice_id")
    s.notices = Counter(n["state"] for n in states.values())
    flow = Flow()
    flow.add([*payments, *notices])
    s.sms, s.segments = flow.sms, flow.segments
    s.dead_letters = {t: n for t, n in ends.items() if t.endswith(".dlq") and n}
    s.checks = [
        Check(
            "every payment the bank took is settled or rejected",
            not flow.in_flight,
            f"{flow.in_flight} without an outcome",
        ),
        *_checks(final, settled, payments, notices, ledger, accounts, messages),
    ]
    s.not_run = not_run(ledger, accounts, messages)
    return s


def not_run(
    ledger: list[dict[str, Any]] | None,
    accounts: list[dict[str, Any]] | None,
    messages: list[dict[str, Any]] | None,
) -> list[str]:
    """The comparisons left out because the partner is not our simulator."""
    why = "is not our simulator (no /_sim listing)"
    left_out = [
        ("the bank's ledger against our settled payments", ledger, f"BANK_API_URL {why}"),
        ("the bank's accounts against our accounts opened", accounts, f"BANK_API_URL {why}"),
        ("the SMS gateway's log against our notices", messages, f"SMS_GATEWAY_URL {why}"),
    ]
    return [f"{what}: {reason}" for what, records, reason in left_out if records is None]


def _latest(records: list[Record], kind: str, key: str) -> dict[str, dict[str, Any]]:
    return {r.value[key]: r.value for r in records if r.type.endswith(f".{kind}.v1")}


def _checks(
    final: dict[str, dict[str, Any]],
    settled: dict[str, dict[str, Any]],
    payments: list[Record],
    notices: list[Record],
    ledger: list[dict[str, Any]] | None,
    accounts: list[dict[str, Any]] | None,
    messages: list[dict[str, Any]] | None,
) -> list[Check]:
    checks: list[Check] = []
    if ledger is not None:
        e2e = Counter(c["end_to_end_id"] for c in ledger)
        total = sum((Decimal(c["amount"]) for c in ledger), Decimal(0))
        ours = sum((Decimal(p["amount"]) for p in settled.values()), Decimal(0))
        checks.append(
            Check(
                "no EndToEndId credited twice at the bank",
                max(e2e.values(), default=1) == 1,
                f"{len(ledger)} credits",
            )
        )
        checks.append(
            Check(
                "bank ledger = our settled payments",
                (len(ledger), total) == (len(settled), ours),
                f"bank {len(ledger)} / {total} AZN, ours {len(settled)} / {ours} AZN",
            )
        )
    if accounts is not None:
        pins = Counter(a["pin"] for a in accounts)
        opened = len(_latest(payments, "account-opened", "account_id"))
        checks.append(
            Check(
                "one account per person",
                max(pins.values(), default=1) == 1,
                f"{len(accounts)} accounts at the bank",
            )
        )
        checks.append(
            Check(
                "bank accounts = our accounts opened",
                len(accounts) == opened,
                f"bank {len(accounts)}, ours {opened}",
            )
        )
    grants = [
        c
        for c, d in final.items()
        if d["benefit"] in ("B1", "B3") and d["outcome"] == "assigned" and d.get("recipient")
    ]
    checks += grant_checks(final, grants, settled, payments)
    if messages is not None:
        keys = Counter(m["idempotency_key"] for m in messages)
        accepted = {
            r.value["notice_id"]
            for r in notices
            if r.type.endswith(".notice-changed.v1") and r.value["state"] in HANDED_OVER
        }
        leaks = [m for m in messages if PIN_LIKE.search(m["text"]) or IBAN_LIKE.search(m["text"])]
        checks.append(
            Check(
                "no SMS sent twice", max(keys.values(), default=1) == 1, f"{len(messages)} messages"
            )
        )
        checks.append(
            Check(
                "SMS gateway log = our notices handed over",
                set(keys) == accepted,
                f"gateway {len(keys)}, ours {len(accepted)}",
            )
        )
        checks.append(
            Check("no SMS holds a PIN or an account number", not leaks, f"{len(leaks)} found")
        )
    return checks


def grant_checks(
    final: dict[str, dict[str, Any]],
    grants: list[str],
    settled: dict[str, dict[str, Any]],
    payments: list[Record],
) -> list[Check]:
    """A one-time grant is paid once per (case, recipient, amount); a case paid again
    because a later decision named another recipient or a higher amount has a recovery
    case for each earlier payment (policy.md, Bank); the final decision is what is paid."""
    one_time = [p for p in settled.values() if not p.get("period_start")]
    paid = Counter((p["case_id"], p["recipient_pin"], Decimal(p["amount"])) for p in one_time)
    twice = [k for k, n in paid.items() if n > 1]
    per_case = Counter(p["case_id"] for p in one_time)
    recovered = Counter(
        r["case_id"]
        for r in _latest(payments, "recovery-opened", "recovery_id").values()
        if not r.get("period_start")
    )
    unrecovered = [c for c, n in per_case.items() if recovered[c] < n - 1]
    unpaid = [c for c in grants if not _paid_as_decided(final[c], paid, recovered)]
    return [
        Check("no one-time grant paid twice", not twice, f"{len(twice)} payments"),
        Check(
            "a grant paid anew has a recovery case per earlier payment",
            not unrecovered,
            f"{sum(1 for n in per_case.values() if n > 1)} cases paid anew, "
            f"{len(unrecovered)} without recovery",
        ),
        Check(
            "every assigned one-time grant is paid as decided",
            not unpaid,
            f"{len(grants) - len(unpaid)} of {len(grants)} paid",
        ),
    ]


def _paid_as_decided(
    decision: dict[str, Any], paid: Counter[tuple[str, str, Decimal]], recovered: Counter[str]
) -> bool:
    """Paid what it says; or more, the difference a recovery case (a lowered grant)."""
    case, pin = decision["case_id"], decision["recipient"]["pin"]
    amount = Decimal(str(decision["amount"]))
    if (case, pin, amount) in paid:
        return True
    return recovered[case] > 0 and any((c, p) == (case, pin) and a > amount for c, p, a in paid)


def latency(starts_ms: dict[str, int], ends_ms: dict[str, int]) -> tuple[float, float] | None:
    """p50 and p99 in seconds of end − start over the keys both have."""
    spans = sorted((ends_ms[k] - starts_ms[k]) / 1000 for k in ends_ms if k in starts_ms)
    if len(spans) < 2:
        return None
    cuts = quantiles(spans, n=100)
    return cuts[49], cuts[98]
