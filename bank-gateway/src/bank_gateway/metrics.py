"""The bank gateway's Prometheus families (served on ``/metrics`` with the shared ones).

Counted when the gateway writes the event that says so into its outbox: accounts by
state, payments by state with their amounts in AZN. Labels are states and benefits,
never a PIN, an IBAN, a name or a payment id.
"""

from __future__ import annotations

from decimal import Decimal

from prometheus_client import Counter

ACCOUNTS = Counter("bank_gateway_accounts", "Accounts reaching a state.", ["state"])
PAYMENTS = Counter("bank_gateway_payments", "Payments reaching a state.", ["state"])
PAYMENT_AMOUNTS = Counter(
    "bank_gateway_payment_amount_azn",
    "The amounts of payments reaching a state, in AZN.",
    ["state"],
)

#: Event type names → (what, state).
STATES = {
    "account-opened": ("account", "opened"),
    "payment-submitted": ("payment", "submitted"),
    "payment-settled": ("payment", "settled"),
    "payment-rejected": ("payment", "rejected"),
    "payment-cancelled": ("payment", "cancelled"),
    "owed-to-estate": ("payment", "owed_to_estate"),
    "recovery-opened": ("payment", "recovery_opened"),
}


def count(event_name: str, amount: Decimal | None) -> None:
    """Count an event the gateway queues (by its contract's ``NAME``)."""
    what, state = STATES.get(event_name, ("", ""))
    if what == "account":
        ACCOUNTS.labels(state=state).inc()
    elif what == "payment":
        PAYMENTS.labels(state=state).inc()
        if amount is not None:
            PAYMENT_AMOUNTS.labels(state=state).inc(float(amount))
