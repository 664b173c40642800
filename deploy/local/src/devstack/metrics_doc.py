"""The metric families docs/observability.md documents, read from its families table: the
scrape test holds every service to them, and the alerting rules' test holds the rules."""

from __future__ import annotations

import re
from pathlib import Path

ROW = re.compile(r"^\| ([a-z-]+) \| `([a-z_]+)` \| (counter|gauge|histogram) \|")


def documented_families(root: Path) -> dict[str, set[str]]:
    """``service → families`` (``shared`` for those on every service's endpoint)."""
    out: dict[str, set[str]] = {}
    for line in (root / "docs" / "observability.md").read_text().splitlines():
        if m := ROW.match(line):
            out.setdefault(m.group(1), set()).add(m.group(2))
    return out
