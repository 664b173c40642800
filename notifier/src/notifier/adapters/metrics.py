"""The notifier's metrics in the Prometheus text format (``GET /metrics``).

Labels are kinds of notice, languages, encodings, states and outcomes: never a PIN, a
phone, a name or a notice id. The process keeps the numbers since it started, as every
Prometheus client does; Prometheus takes care of restarts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

Labels = tuple[tuple[str, str], ...]
SEGMENT_BUCKETS = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(labels: Labels, extra: Labels = ()) -> str:
    pairs = [*labels, *extra]
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs) + "}"


class Counter:
    def __init__(self, name: str, help_text: str) -> None:
        self.name = name
        self.help = help_text
        self._values: dict[Labels, float] = defaultdict(float)

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        self._values[tuple(sorted(labels.items()))] += amount

    def value(self, **labels: str) -> float:
        return self._values.get(tuple(sorted(labels.items())), 0.0)

    def lines(self) -> Iterator[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} counter"
        for labels, value in sorted(self._values.items()):
            yield f"{self.name}_total{_labels(labels)} {value:g}"


class Histogram:
    def __init__(self, name: str, help_text: str, buckets: Sequence[float]) -> None:
        self.name = name
        self.help = help_text
        self._buckets = tuple(sorted(buckets))
        self._counts: dict[Labels, list[int]] = {}
        self._sums: dict[Labels, float] = defaultdict(float)

    def observe(self, value: float, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        counts = self._counts.setdefault(key, [0] * (len(self._buckets) + 1))
        for i, bound in enumerate((*self._buckets, float("inf"))):
            if value <= bound:
                counts[i] += 1
        self._sums[key] += value

    def lines(self) -> Iterator[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} histogram"
        for labels, counts in sorted(self._counts.items()):
            for bound, count in zip((*self._buckets, float("inf")), counts, strict=True):
                le = "+Inf" if bound == float("inf") else f"{bound:g}"
                yield f"{self.name}_bucket{_labels(labels, (('le', le),))} {count}"
            yield f"{self.name}_sum{_labels(labels)} {self._sums[labels]:g}"
            yield f"{self.name}_count{_labels(labels)} {counts[-1]}"


class NotifierMetrics:
    def __init__(self) -> None:
        self.segments = Histogram(
            "notifier_sms_segments",
            "Segments the gateway charges per message handed over.",
            SEGMENT_BUCKETS,
        )
        self.notices = Counter("notifier_notice_transitions", "Notices reaching a state.")
        self.attempts = Counter("notifier_gateway_attempts", "Hand-overs by the gateway's answer.")
        self.quiet_holds = Counter(
            "notifier_quiet_hours_holds", "Sender passes that held notices for quiet hours."
        )

    def render(self) -> str:
        metrics = (self.segments, self.notices, self.attempts, self.quiet_holds)
        return "\n".join(line for m in metrics for line in m.lines()) + "\n"
