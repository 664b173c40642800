"""Where bytes become messages: the Kafka handler of the engine."""
