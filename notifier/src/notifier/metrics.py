"""The notifier's Prometheus families (served on ``/metrics`` with the shared ones).

Labels are kinds of notice, languages, encodings, states and outcomes: never a PIN, a
phone, a name or a notice id. The families live in the process's default registry;
:class:`NotifierMetrics` is the handle the stores and the sender are given.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

SEGMENT_BUCKETS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)

SMS_SEGMENTS = Histogram(
    "notifier_sms_segments",
    "Segments the gateway charges per message handed over.",
    ["kind", "language", "encoding"],
    buckets=SEGMENT_BUCKETS,
)
NOTICE_TRANSITIONS = Counter(
    "notifier_notice_transitions", "Notices reaching a state.", ["state", "kind"]
)
GATEWAY_ATTEMPTS = Counter(
    "notifier_gateway_attempts", "Hand-overs to the SMS gateway by its answer.", ["outcome"]
)
QUIET_HOURS_HOLDS = Counter(
    "notifier_quiet_hours_holds", "Sender passes that held due notices for quiet hours."
)
QUIET_HOURS_HELD = Gauge(
    "notifier_quiet_hours_held_notices",
    "Notices due but held for quiet hours at the sender's last pass (0 outside them).",
)


class NotifierMetrics:
    """What the notifier counts, by name."""

    def sms_handed_over(self, segments: int, kind: str, language: str, encoding: str) -> None:
        SMS_SEGMENTS.labels(kind=kind, language=language, encoding=encoding).observe(segments)

    def notice_reached(self, state: str, kind: str) -> None:
        NOTICE_TRANSITIONS.labels(state=state, kind=kind).inc()

    def attempt(self, outcome: str) -> None:
        GATEWAY_ATTEMPTS.labels(outcome=outcome).inc()

    def held_for_quiet_hours(self, due: int) -> None:
        QUIET_HOURS_HELD.set(due)
        if due:
            QUIET_HOURS_HOLDS.inc()
