"""``python -m registry_simulators.population``: write a dataset, optionally drop MSE files.

    uv run python -m registry_simulators.population --persons 10000 --seed 1 \\
        --start 2025-11-01 --days 365 --out .state/registry-sim

With ``--mse-drop-dir DIR`` it then replays the commission's uploads into DIR over time
(``--drop-interval`` seconds apart), reusing the dataset in ``--out`` when its manifest
says it was made with the same options.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from dataclasses import fields
from datetime import date
from pathlib import Path

from benefits_shared.production import simulator_refusal

from registry_simulators.population.drop import drop_all
from registry_simulators.population.generator import generate, read_manifest
from registry_simulators.population.options import GeneratorOptions, Messiness


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="registry-population",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--persons", type=int, default=10_000, help="residents at the start")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2025, 11, 1))
    parser.add_argument("--days", type=int, default=365, help="length of the period")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the dataset to")
    parser.add_argument(
        "--history-years",
        type=int,
        default=10,
        help="births this many years before --start are in the civil feed too",
    )
    for rate in fields(Messiness):
        parser.add_argument(f"--{rate.name.replace('_', '-')}", type=float, default=rate.default)
    parser.add_argument("--mse-drop-dir", type=Path, help="replay the MSE uploads into this folder")
    parser.add_argument("--drop-interval", type=float, default=1.0, help="seconds between uploads")
    return parser.parse_args(argv)


def options_from(args: argparse.Namespace) -> GeneratorOptions:
    mess = Messiness(**{rate.name: getattr(args, rate.name) for rate in fields(Messiness)})
    return GeneratorOptions(
        persons=args.persons,
        seed=args.seed,
        start=args.start,
        days=args.days,
        history_years=args.history_years,
        mess=mess,
    )


def main(argv: list[str] | None = None) -> None:
    if refusal := simulator_refusal(os.environ.get("APP_ENV", ""), "the MSE simulator"):
        sys.exit(refusal)  # it would drop invented certificates into a real folder
    args = parse(argv)
    options = options_from(args)
    manifest = read_manifest(args.out) if args.mse_drop_dir is not None else None
    if manifest is None or manifest["options"] != json.loads(json.dumps(options.as_manifest())):
        manifest = generate(options, args.out)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(json.dumps({**manifest["counts"], "peak_rss_mb": round(peak_mb, 1)}) + "\n")
    if args.mse_drop_dir is not None:
        made = drop_all(args.out, args.mse_drop_dir, args.drop_interval)
        sys.stdout.write(json.dumps({"mse_uploads": made}) + "\n")


if __name__ == "__main__":
    main()
