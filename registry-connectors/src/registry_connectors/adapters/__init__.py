"""The connectors' I/O: registries over HTTP, the drop folder, PostgreSQL, Kafka."""
