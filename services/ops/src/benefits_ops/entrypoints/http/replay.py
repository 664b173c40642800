"""Replay, shadow runs and notice retries: the replay engineer's routes (ADR 0012).

This module is the include point ``app.py`` mounts; its routes live in
``benefits_ops.replay`` (``routes``: the API, ``pages``: the console) and are added to
``router`` here.
"""

from __future__ import annotations

from fastapi import APIRouter

from benefits_ops.replay import pages, routes

router = APIRouter()
router.include_router(routes.router)
router.include_router(pages.router)
