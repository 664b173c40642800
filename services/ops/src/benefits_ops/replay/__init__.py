"""Replays, shadow runs and notice retries from the ops side (ADR 12).

The ops service never writes another service's tables: it publishes a command on
``ops-commands`` (``command_sender``) and shows what the services answer on
``ops-replies``, which its projection keeps like every other topic (``run_reader``,
folded by ``run_view``). ``requests`` turns what ops staff ask (API, console, CLI) into
commands; ``routes`` are the API and console pages.
"""
