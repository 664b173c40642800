"""The ops service's Prometheus families (on its HTTP port's ``/metrics``, no token).

Labels are topics and kinds of command: never a PIN, a name or a token.
"""

from __future__ import annotations

from prometheus_client import Counter

REDRIVES = Counter(
    "ops_redrives", "Dead letters sent back to their origin topic, per topic.", ["topic"]
)
COMMANDS = Counter("ops_commands_sent", "Ops commands sent to the services, per kind.", ["kind"])
