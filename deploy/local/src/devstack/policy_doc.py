"""``devstack policy-doc``: the parameter tables of ``docs/policy.md``, from the YAML files.

The amounts, dates and counts the engine uses live in
``eligibility-engine/src/eligibility_engine/parameters/*.yaml``; the policy text shows them
in tables generated from those files, between markers::

    <!-- parameters: disability_allowance.monthly_rate.I disability_allowance.monthly_rate.II -->
    (a table: one row per in-force date, one column per parameter)
    <!-- /parameters -->

    <!-- parameters:list: birth_grant.programme_start -->
    (a list: one row per parameter and in-force date)
    <!-- /parameters -->

``devstack policy-doc`` rewrites what is between the markers; ``--check`` only says
whether the file is current (exit 1 if not), which a test does too.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from eligibility_engine.errors import ParameterNotInForceError
from eligibility_engine.parameters import Parameter, Parameters, Value

BLOCK = re.compile(
    r"(?P<open><!-- parameters(?P<kind>:list)?: (?P<names>[^>]+?) -->\n)"
    r"(?P<body>.*?)"
    r"(?P<close><!-- /parameters -->)",
    re.DOTALL,
)
DOC = Path("docs") / "policy.md"


def refreshed(text: str, parameters: Parameters) -> str:
    """``text`` with every marked block rendered from ``parameters``."""

    def render(block: re.Match[str]) -> str:
        chosen = [parameters.parameter(name) for name in block["names"].split()]
        body = as_list(chosen) if block["kind"] else as_table(chosen)
        return f"{block['open']}{body}{block['close']}"

    return BLOCK.sub(render, text)


def as_table(chosen: list[Parameter]) -> str:
    """One row per date on which one of them changes; each column the value in force."""
    days = sorted({day for p in chosen for day in p.starts})
    lines = [
        "| in force from | " + " | ".join(f"`{_short(p.name)}`" for p in chosen) + " |",
        "| --- |" + " ---: |" * len(chosen),
    ]
    lines += [f"| {day} | " + " | ".join(_in_force(p, day) for p in chosen) + " |" for day in days]
    return "\n".join([*lines, "", *_legend(chosen), ""])


def as_list(chosen: list[Parameter]) -> str:
    """One row per parameter and in-force date."""
    lines = ["| parameter | in force from | value | unit |", "| --- | --- | ---: | --- |"]
    for p in chosen:
        lines += [
            f"| `{p.name}` | {day} | {_text(value)} | {p.unit} |"
            for day, value in zip(p.starts, p.values, strict=True)
        ]
    return "\n".join([*lines, "", *_legend(chosen), ""])


def _legend(chosen: list[Parameter]) -> list[str]:
    return [f"- `{p.name}` ({p.unit}): {p.description}." for p in chosen]


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _in_force(parameter: Parameter, day: date) -> str:
    try:
        return parameter.reading(day).text
    except ParameterNotInForceError:
        return "—" if day < parameter.starts[0] else "(ends)"


def _text(value: Value | None) -> str:
    if value is None:
        return "(ends)"
    return value.isoformat() if isinstance(value, date) else str(value)


def main(root: Path, check: bool) -> int:
    """Rewrite ``docs/policy.md`` (or, with ``check``, say whether it is current)."""
    path = root / DOC
    text = path.read_text(encoding="utf-8")
    current = refreshed(text, Parameters.packaged())
    if current == text:
        print(f"{DOC}: the parameter tables match the YAML files")
        return 0
    if check:
        print(f"{DOC}: the parameter tables differ from the YAML files: run `devstack policy-doc`")
        return 1
    path.write_text(current, encoding="utf-8")
    print(f"{DOC}: parameter tables rewritten from the YAML files")
    return 0
