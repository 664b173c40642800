"""The ops service's Prometheus families (on its HTTP port's ``/metrics``, no token).

Labels are topics and kinds of command: never a PIN, a name or a token.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge

REDRIVES = Counter(
    "ops_redrives", "Dead letters sent back to their origin topic, per topic.", ["topic"]
)
COMMANDS = Counter("ops_commands_sent", "Ops commands sent to the services, per kind.", ["kind"])
GROUP_LAG = Gauge(
    "ops_consumer_group_lag_records",
    "Records not yet processed by a consumer group, read from the broker (committed offsets "
    "against the logs' ends) every 30 s.",
    ["group"],
)
GROUP_COMMITTED = Gauge(
    "ops_consumer_group_committed_offsets",
    "The sum of a consumer group's committed offsets, read from the broker: it grows while "
    "the group works.",
    ["group"],
)
