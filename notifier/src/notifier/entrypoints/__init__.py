"""The notifier's edges: the Kafka handler, the sender driven by the clock, and the HTTP
endpoint the gateway posts delivery reports to."""
