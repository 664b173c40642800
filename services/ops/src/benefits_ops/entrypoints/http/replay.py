"""Replay, shadow runs and notice retries: the replay engineer's routes (ADR 0012).

This module is the include point ``app.py`` mounts; its routes live in
``benefits_ops.replay`` and are added to ``router`` here.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
