"""Text that PostgreSQL cannot store and UTF-8 cannot carry: NUL (no ``text`` or
``jsonb`` value holds it) and a lone UTF-16 surrogate (no UTF-8 encodes it). A registry
record holding either is quarantined (``registry_connectors.untrusted_json``); a partner's
free text holding either is kept with U+FFFD in its place (the notifier's delivery
reports)."""

from __future__ import annotations

import re

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
