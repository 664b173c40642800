"""The ops service: what ops staff see and do (projection, timeline, queues, audit)."""
