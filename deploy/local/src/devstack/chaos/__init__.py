"""``make chaos``: one run of the whole platform on a Kafka and a PostgreSQL of its own,
while the registries stream in, through rounds of faults in a seeded random order: a
service SIGKILLed, the broker SIGKILLed, PostgreSQL crashed, the network to either made
slow, stalled or cut (``devstack.tcp_proxy``), a partner down or timing out after the
work. Then the backlog drains and every check of the end-to-end suite must hold
(``devstack.reconcile``, ``devstack.invariants``). See docs/reliability.md."""
