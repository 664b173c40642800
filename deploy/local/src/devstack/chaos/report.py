"""The chaos run's tables, in Markdown (docs/reliability.md holds one): the rounds × the
faults (what was injected, when, for how long), then every check."""

from __future__ import annotations

from devstack.chaos.faults import KINDS, Injected
from devstack.reconcile import Check


def report(injected: list[Injected], checks: list[Check], took_s: float, seed: int) -> str:
    held = bool(checks) and all(c.ok for c in checks)
    verdict = "EVERY CHECK HOLDS" if held else "NOT HELD"
    lines = [
        f"## Chaos: {max((f.round for f in injected), default=0)} rounds, seed {seed},"
        f" {took_s / 60:.1f} min: {verdict}",
        "",
        *faults_table(injected),
        "",
        *checks_table(checks),
    ]
    return "\n".join(lines)


def faults_table(injected: list[Injected]) -> list[str]:
    """A row per round, a column per kind: target, at (s since the chaos began), lasted."""
    rows = [_row(("round", *KINDS)), _row(("---",) * (len(KINDS) + 1))]
    for n in sorted({f.round for f in injected}):
        cells = {f.kind: _cell(f) for f in injected if f.round == n}
        rows.append(_row((str(n), *(cells.get(kind, "") for kind in KINDS))))
    return rows


def checks_table(checks: list[Check]) -> list[str]:
    if not checks:
        return ["(no check ran: the run stopped before the drain)"]
    rows = [_row(("check", "holds", "detail")), _row(("---",) * 3)]
    rows += [_row((c.name, "yes" if c.ok else "**NO**", c.detail)) for c in checks]
    return rows


def _cell(fault: Injected) -> str:
    return f"{fault.target} at {fault.at_s:.0f} s, {fault.lasted_s:.1f} s"


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"
