"""How a run's summary reads: text for a person, JSON for a machine (``--json``)."""

from __future__ import annotations

from typing import Any

from devstack.reconcile import Summary


def summary_text(s: Summary) -> str:
    unresolved = sum(n for (_, o), n in s.decisions.items() if o == "unresolved")
    lines = [
        "\n══ Summary ══",
        "decisions (final, per case):",
        *(f"  {b} {outcome:18} {n:>8,}" for (b, outcome), n in sorted(s.decisions.items())),
        "payments settled:",
        *(f"  {b} {n:>8,} payments  {total:>14,.2f} AZN" for b, (n, total) in s.paid.items()),
        f"accounts opened {s.accounts:,} · payments rejected {dict(s.rejected) or 0}"
        f" · recovery cases {s.recoveries:,}",
        f"SMS accepted by the gateway {s.sms:,} ({s.segments:,} segments)"
        f" · notices by state {dict(s.notices)}",
    ]
    if line := s.waiting_notices_line():
        lines.append(line)
    if s.latency_s:
        lines.append(
            f"latency registry record → SMS accepted: p50 {s.latency_s[0]:.1f} s,"
            f" p99 {s.latency_s[1]:.1f} s"
        )
    lines += [
        f"unresolved (ops queue) {unresolved:,} · dead letters {s.dead_letters or 0}",
        "reconciliation (our own topics; a partner's records where it is our simulator):",
        *(f"  {'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}" for c in s.checks),
        *(f"  not run: {skipped}" for skipped in s.not_run),
        "RECONCILED" if s.reconciled else "NOT RECONCILED",
    ]
    return "\n".join(lines)


def summary_json(s: Summary) -> dict[str, Any]:
    """Amounts as strings (exact decimals), counts as numbers."""
    return {
        "reconciled": s.reconciled,
        "decisions": [
            {"benefit": b, "outcome": o, "cases": n} for (b, o), n in sorted(s.decisions.items())
        ],
        "paid": {b: {"payments": n, "azn": str(total)} for b, (n, total) in s.paid.items()},
        "rejected": dict(s.rejected),
        "accounts_opened": s.accounts,
        "recovery_cases": s.recoveries,
        "sms": s.sms,
        "segments": s.segments,
        "notices": dict(s.notices),
        "notices_not_handed_over": s.not_handed_over,
        "quiet_hours": s.quiet_hours,
        "latency_s": {"p50": s.latency_s[0], "p99": s.latency_s[1]} if s.latency_s else None,
        "dead_letters": s.dead_letters,
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in s.checks],
        "not_run": s.not_run,
    }
