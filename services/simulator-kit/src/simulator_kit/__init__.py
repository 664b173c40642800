"""What every partner simulator shares (ADR 0014): ``faults`` (the switch that holds a
simulator's faults and the seeded dice that draw them), ``rate_limit`` (a token bucket that
answers a ``Retry-After``) and ``admin`` (``/_sim/health`` and ``/_sim/faults``)."""
