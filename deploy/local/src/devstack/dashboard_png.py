"""The Grafana dashboard's panels drawn with matplotlib from real scrapes (Grafana cannot
run here): ``capture`` scrapes every service's ``/metrics`` a few times, ``render`` draws
the panels of ``deploy/grafana/dashboards/benefits.json`` as the same sums, rates and
quantiles computed from those scrapes. docs/observability.md shows the result."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

#: (title, sample name, kind, label to split by): kind is rate, value or p95.
PANELS = (
    ("Records consumed /s, by topic", "benefits_records_consumed_total", "rate", "topic"),
    ("Dead letters /s, by topic", "benefits_records_dead_lettered_total", "rate", "topic"),
    ("Consumer lag, by group", "benefits_consumer_lag_records", "value", "group"),
    ("Batch duration p95 (s), by group", "benefits_batch_duration_seconds", "p95", "group"),
    ("Outbox backlog, by schema", "benefits_outbox_backlog_rows", "value", "schema"),
    ("Relay latency p95 (s)", "benefits_outbox_relay_latency_seconds", "p95", "schema"),
    ("Decisions, by outcome", "engine_decisions_total", "value", "outcome"),
    ("Payments (AZN), by state", "bank_gateway_payment_amount_azn_total", "value", "state"),
    ("Accounts, by state", "bank_gateway_accounts_total", "value", "state"),
    ("Partner calls /s, by partner", "benefits_partner_calls_total", "rate", "partner"),
    ("Partner latency p95 (s)", "benefits_partner_call_duration_seconds", "p95", "partner"),
    ("Circuit breakers (2 = open)", "benefits_circuit_breaker_state", "value", "breaker"),
    ("SMS notices, by state", "notifier_notice_transitions_total", "value", "state"),
    ("SMS segments, by encoding", "notifier_sms_segments_count", "value", "encoding"),
    ("Held by quiet hours", "notifier_quiet_hours_held_notices", "value", ""),
)
Scrape = tuple[float, list[tuple[str, dict[str, str], float]]]


def capture(urls: Mapping[str, str], seconds: float, every: float = 5.0) -> list[Scrape]:
    """Scrape every URL each ``every`` seconds for ``seconds``; the samples of each pass."""
    scrapes: list[Scrape] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        samples = []
        for url in urls.values():
            text = httpx.get(url, timeout=10).text
            for family in text_string_to_metric_families(text):
                samples += [(s.name, dict(s.labels), float(s.value)) for s in family.samples]
        scrapes.append((time.monotonic(), samples))
        time.sleep(every)
    return scrapes


def _sums(
    samples: Sequence[tuple[str, dict[str, str], float]], name: str, by: str
) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = defaultdict(float)
    for n, labels, v in samples:
        if n == name:
            out[(labels.get(by, "all") if by else "all", labels.get("le", ""))] += v
    return out


def _p95(buckets: Mapping[str, float]) -> float:
    total = buckets.get("+Inf", 0.0)
    if total <= 0:
        return 0.0
    for le, count in sorted(((float(k), c) for k, c in buckets.items()), key=lambda x: x[0]):
        if count >= 0.95 * total:
            return le
    return 0.0


def series(scrapes: Sequence[Scrape], name: str, kind: str, by: str) -> dict[str, list[float]]:
    """One line per label value: a value, a per-second rate or a p95 per scrape."""
    suffix = "_bucket" if kind == "p95" else ""
    per = [(t, _sums(s, name + suffix, by)) for t, s in scrapes]
    keys = sorted({k for _, sums in per for k, _le in sums})
    lines: dict[str, list[float]] = {}
    for key in keys:
        if kind == "value":
            lines[key] = [sums.get((key, ""), 0.0) for _, sums in per]
        elif kind == "rate":
            values = [sums.get((key, ""), 0.0) for _, sums in per]
            times = [t for t, _ in per]
            lines[key] = [0.0] + [
                max(0.0, (values[i] - values[i - 1]) / (times[i] - times[i - 1]))
                for i in range(1, len(values))
            ]
        else:
            lines[key] = [
                _p95({le: v for (k, le), v in sums.items() if k == key}) for _, sums in per
            ]
    return lines


def render(scrapes: Sequence[Scrape], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(5, 3, figsize=(18, 20))
    start = scrapes[0][0]
    xs = [t - start for t, _ in scrapes]
    for ax, (title, name, kind, by) in zip(axes.flat, PANELS, strict=True):
        for label, ys in series(scrapes, name, kind, by).items():
            ax.plot(xs, ys, label=label[:28])
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("seconds", fontsize=8)
        ax.tick_params(labelsize=7)
        if ax.lines:
            ax.legend(fontsize=6, loc="upper left")
    fig.suptitle("Proactive benefits (panels of deploy/grafana/dashboards/benefits.json)")
    fig.tight_layout(rect=(0, 0, 1, 0.98))
    fig.savefig(out, dpi=70)
    plt.close(fig)
