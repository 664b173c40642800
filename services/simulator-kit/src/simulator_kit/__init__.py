"""What every partner simulator shares (ADR 0014): ``faults`` (the switch that holds a
simulator's faults and the seeded dice that draw them), ``rate_limit`` (a token bucket that
answers a ``Retry-After``), ``admin`` (``/_sim/health`` and ``/_sim/faults``) and ``holding``
(an answer held back, and how long a stopping server waits for such answers)."""
