"""The simulator's HTTP edge: the gateway API of partners.md and the ``/_sim`` admin API."""
