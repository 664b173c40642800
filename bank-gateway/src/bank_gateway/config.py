"""The bank gateway's settings (environment variables; read only by ``bootstrap.py``).

``BANK_API_URL`` comes from the shared configuration contract; the agency settings say who
pays (the agency's name and account at the partner bank, the bank's BIC and public name:
the name goes into notices with the last 4 characters of the account); the ``GATEWAY_*``
settings say where it reads, writes and keeps its state and how it treats the bank.
"""

from __future__ import annotations

from benefits_shared.settings import EndpointSettings
from benefits_shared.topics import BENEFIT_DECISIONS, CLOCK_TICKS, PAYMENTS
from pydantic import Field

from bank_gateway.adapters.bank_client import HEDGE_AFTER_SECONDS

#: The IBAN registry's Azerbaijani example account; a real deployment sets its own.
EXAMPLE_AGENCY_IBAN = "AZ21NABZ00000000137010001944"
LOCAL_BANK_URL = "http://127.0.0.1:18081"


class BankGatewaySettings(EndpointSettings):
    agency_name: str = Field(default="Social Benefits Agency")
    agency_iban: str = Field(default=EXAMPLE_AGENCY_IBAN)
    agency_bank_bic: str = Field(default="NABZAZ2X")
    bank_name: str = Field(default="Partner Bank")
    bank_timeout_seconds: float = Field(default=10.0, gt=0)
    #: A call unanswered this long (and 4 times the bank's typical answer) is sent again,
    #: same key and body; the first answer decides (ADR 25).
    bank_hedge_after_seconds: float = Field(default=HEDGE_AFTER_SECONDS, gt=0)

    gateway_group: str = "bank-gateway"
    gateway_schema: str = "bank_gateway"
    gateway_batch_max: int = Field(default=500, ge=1)
    #: The topics it reads and writes; overridable so that tests can use fresh ones.
    gateway_input_topics: tuple[str, ...] = (BENEFIT_DECISIONS.name, CLOCK_TICKS.name)
    gateway_payments_topic: str = PAYMENTS.name
    #: Credit transfers per pain.001 document.
    gateway_document_size: int = Field(default=1000, ge=1, le=10_000)
    #: Bank calls the bank is answering at once (account requests, documents, status
    #: reads); a call slower than a second gives its slot back while it waits (ADR 18).
    gateway_concurrency: int = Field(default=32, ge=1, le=256)
    #: Bank calls in flight in all, slow ones included, each on its own kept-alive
    #: connection: a call that hangs until its time-out holds one of these.
    gateway_calls_in_flight: int = Field(default=128, ge=1, le=1024)
    #: How long after acceptance, and then between reads, a document's status is read.
    gateway_status_poll_seconds: float = Field(default=5.0, gt=0)
    #: Retries: full-jitter exponential backoff between these bounds.
    gateway_retry_base_seconds: float = Field(default=0.5, gt=0)
    gateway_retry_max_seconds: float = Field(default=300.0, gt=0)
    #: The circuit breaker: failures among the last ``window`` calls that open it (half of
    #: them: a bank that is down, not one failing a call in seven), and how long it stays open.
    gateway_breaker_failures: int = Field(default=20, ge=1)
    gateway_breaker_window: int = Field(default=40, ge=1)
    gateway_breaker_open_seconds: float = Field(default=30.0, gt=0)
    #: How long the payment worker waits when it found nothing to do.
    gateway_idle_seconds: float = Field(default=0.2, gt=0)

    @property
    def calls_in_flight(self) -> int:
        """Bank calls in flight at most: never fewer than the slots."""
        return max(self.gateway_calls_in_flight, self.gateway_concurrency)

    def bank_url(self) -> str:
        return self.bank_api_url or LOCAL_BANK_URL
