"""The notifier's settings (environment variables); read only by ``bootstrap.py``.

| variable | default | what |
| --- | --- | --- |
| ``SMS_GATEWAY_URL`` | ``http://127.0.0.1:18082`` | SMS gateway base URL (the simulator) |
| ``NOTIFIER_SCHEMA`` | ``notifier`` | its PostgreSQL schema |
| ``NOTIFIER_GROUP`` | ``notifier`` | its consumer group |
| ``NOTIFIER_INPUT_TOPICS`` | decisions, payments, persons | JSON list; tests use fresh ones |
| ``NOTIFIER_NOTICES_TOPIC`` | ``notices`` | where ``NoticeChanged`` goes |
| ``NOTIFIER_HTTP_HOST``, ``_PORT`` | ``127.0.0.1``, ``18090`` | delivery reports and ``/metrics`` |
| ``NOTIFIER_CALLBACK_URL`` | ``http://<host>:<port>/v1/delivery-reports`` | given to the gateway |
| ``SMS_REPORT_SECRET`` | a development secret | the gateway signs its reports with it (ADR 0017) |
| ``NOTIFIER_SENDER`` | ``142`` | the sender name recipients see |
| ``NOTIFIER_FIXED_TIME`` | unset | ISO datetime that pins the clock (naive = Asia/Baku) |
| ``NOTIFIER_ACCOUNT_WAIT_SECONDS`` | 1800 | how long a grant notice waits for the account |
| ``NOTIFIER_REPORT_WAIT_SECONDS`` | 172800 | accepted without a report this long: ``unknown`` |
| ``NOTIFIER_SEND_RATE`` | 10 | messages per second, below the gateway's rate limit |
| ``NOTIFIER_GATEWAY_TIMEOUT_SECONDS`` | 10 | one attempt's time-out (then: outcome unknown) |
| ``NOTIFIER_SEND_CONCURRENCY`` | 16 | the send window's ceiling: quick hand-overs at once |
| ``NOTIFIER_SEND_LANES`` | 64 | hand-overs in flight in all, hanging ones included |
| ``NOTIFIER_BACKOFF_INITIAL_SECONDS``, ``_MAX_`` | 1, 300 | a notice's retry backoff |
| ``NOTIFIER_BREAKER_FAILURES``, ``_WINDOW``, ``_COOLDOWN_SECONDS`` | 20, 40, 30 | the breaker |
| ``NOTIFIER_MAX_ATTEMPTS`` | 12 | failed hand-overs in a row before a notice is parked |
| ``NOTIFIER_OPS_GROUP`` | ``<group>-ops`` | its consumer group on ``ops-commands`` |
| ``NOTIFIER_OPS_COMMANDS_TOPIC``, ``_REPLIES_`` | named like the notices topic | ADR 12 |
"""

from __future__ import annotations

from datetime import datetime

from benefits_shared.report_signature import DEV_SMS_REPORT_SECRET
from benefits_shared.settings import CommonSettings
from benefits_shared.topics import (
    BENEFIT_DECISIONS,
    NOTICES,
    OPS_COMMANDS,
    OPS_REPLIES,
    PAYMENTS,
    PERSONS,
    sibling,
)
from pydantic import Field, SecretStr

from notifier.adapters.sms_gateway import HEDGE_AFTER_SECONDS


class NotifierSettings(CommonSettings):
    sms_gateway_url: str = "http://127.0.0.1:18082"
    notifier_group: str = "notifier"
    notifier_schema: str = "notifier"
    notifier_batch_max: int = Field(default=500, ge=1)
    #: The topics it reads; overridable so that tests can use fresh ones.
    notifier_input_topics: tuple[str, ...] = (BENEFIT_DECISIONS.name, PAYMENTS.name, PERSONS.name)
    notifier_notices_topic: str = NOTICES.name
    notifier_http_host: str = "127.0.0.1"
    notifier_http_port: int = Field(default=18090, ge=0, le=65535)
    notifier_callback_url: str | None = None
    #: The secret the gateway signs delivery reports with (a Secret in production).
    sms_report_secret: SecretStr = SecretStr(DEV_SMS_REPORT_SECRET)
    notifier_sender: str = "142"
    notifier_fixed_time: datetime | None = None
    notifier_account_wait_seconds: float = Field(default=1800.0, ge=0)
    notifier_report_wait_seconds: float = Field(default=172_800.0, gt=0)
    notifier_send_rate: float = Field(default=10.0, gt=0)
    notifier_gateway_timeout_seconds: float = Field(default=10.0, gt=0)
    #: A hand-over unanswered this long (and 4 times the gateway's typical answer) is sent
    #: once more, same key and body; the first answer decides (ADR 25).
    notifier_hedge_after_seconds: float = Field(default=HEDGE_AFTER_SECONDS, gt=0)
    #: The send window's ceiling (ADR 18): hand-overs in flight that answer quickly.
    notifier_send_concurrency: int = Field(default=16, ge=1, le=128)
    #: Hand-overs in flight in all (each an HTTP connection to the gateway, none holds a
    #: database connection during the call): a call that hangs holds one until its time-out.
    notifier_send_lanes: int = Field(default=64, ge=1, le=256)
    notifier_backoff_initial_seconds: float = Field(default=1.0, gt=0)
    notifier_backoff_max_seconds: float = Field(default=300.0, gt=0)
    notifier_breaker_failures: int = Field(default=20, ge=1)
    notifier_breaker_window: int = Field(default=40, ge=1)
    notifier_breaker_cooldown_seconds: float = Field(default=30.0, ge=0)
    notifier_idle_poll_seconds: float = Field(default=0.5, gt=0)
    #: About an hour of backoff at the defaults (1 s doubling to 300 s) before parking while
    #: the gateway fails generally; seconds for a notice failing while the gateway answers
    #: the others, whose backoff does not grow (ADR 14, amended).
    notifier_max_attempts: int = Field(default=12, ge=1)
    #: Unset, the ops topics are named like the notices topic (``notices-x`` →
    #: ``ops-commands-x``) and the group after the notifier's (ADR 12).
    notifier_ops_group: str | None = None
    notifier_ops_commands_topic: str | None = None
    notifier_ops_replies_topic: str | None = None

    def ops_topics(self) -> tuple[str, str, str]:
        """The ops commands topic, the replies topic and the group that reads commands."""
        notices = self.notifier_notices_topic
        return (
            self.notifier_ops_commands_topic or sibling(OPS_COMMANDS, NOTICES, notices),
            self.notifier_ops_replies_topic or sibling(OPS_REPLIES, NOTICES, notices),
            self.notifier_ops_group or f"{self.notifier_group}-ops",
        )

    @property
    def send_lanes(self) -> int:
        """The sender's lanes: never fewer than the window's ceiling."""
        return max(self.notifier_send_lanes, self.notifier_send_concurrency)

    @property
    def callback_url(self) -> str:
        default = f"http://{self.notifier_http_host}:{self.notifier_http_port}/v1/delivery-reports"
        return self.notifier_callback_url or default
