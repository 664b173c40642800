"""The common library of the proactive benefits engine.

Services meet only on Kafka topics whose contracts live here; this package imports no
service. Its modules are small and named for what they decide:

- ``settings``: the configuration contract (environment variables) every service reads.
- ``money``, ``pin``, ``clock``: frozen value types of the core (AZN, PIN, Asia/Baku dates).
- ``cloudevents``: the binary-mode CloudEvents envelope with deterministic ids.
- ``topics``: the topic catalog, created at ``make up``.
- ``kafka``: idempotent producer, the consumer loop, dead letters, admin.
- ``db``: async sessions, per-service Alembic migrations, the inbox and the outbox relay.
- ``json_logging``: structured logs that never carry a PIN or a phone number.
- ``metrics``, ``partner_calls``, ``tracing``: Prometheus families, metered partner calls,
  OpenTelemetry trace context carried by events (``docs/observability.md``).
"""
