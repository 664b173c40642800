"""Edges of the ops service: the projection's Kafka handler, the HTTP API and console, the CLI."""
