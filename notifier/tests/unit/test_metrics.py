"""``/metrics`` speaks the Prometheus text format, with labels that name nobody."""

from __future__ import annotations

from notifier.adapters.metrics import NotifierMetrics


def test_segments_per_message_are_a_cumulative_histogram() -> None:
    metrics = NotifierMetrics()
    for segments in (1, 3, 3):
        metrics.segments.observe(segments, kind="b1_assigned", language="az", encoding="UCS2")
    text = metrics.render()
    labels = 'encoding="UCS2",kind="b1_assigned",language="az"'
    assert f'notifier_sms_segments_bucket{{{labels},le="1"}} 1' in text
    assert f'notifier_sms_segments_bucket{{{labels},le="2"}} 1' in text
    assert f'notifier_sms_segments_bucket{{{labels},le="3"}} 3' in text
    assert f'notifier_sms_segments_bucket{{{labels},le="+Inf"}} 3' in text
    assert f"notifier_sms_segments_sum{{{labels}}} 7" in text
    assert f"notifier_sms_segments_count{{{labels}}} 3" in text


def test_counters_end_in_total_and_declare_their_type() -> None:
    metrics = NotifierMetrics()
    metrics.attempts.inc(outcome="accepted")
    metrics.attempts.inc(outcome="accepted")
    text = metrics.render()
    assert "# TYPE notifier_gateway_attempts counter" in text
    assert 'notifier_gateway_attempts_total{outcome="accepted"} 2' in text
