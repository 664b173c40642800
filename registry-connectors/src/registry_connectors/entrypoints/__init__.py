"""The connectors' loops: each reads its registry and hands what it read to Kafka."""
