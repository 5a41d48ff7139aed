"""The operate verbs of the command line (see cli/__init__.py for exit codes).

``outcomes FILE`` adds realized outcomes to the outcome store and reconciles them with the
prediction log; ``simulate-outcomes`` writes made-up outcomes for the logged predictions, to
rehearse the loop before real ones arrive.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from ..config import Settings
from .declare import Verb, arg


def outcomes(settings: Settings, args: argparse.Namespace) -> int:
    from ..model import reports
    from ..operate import outcomes as store

    report = store.ingest(settings, args.file)
    path = reports.write_json(report, settings.reports_dir, "outcomes")
    print(f"{store.summary(report)}; report {path.relative_to(settings.root)}")
    return 0


def simulate_outcomes(settings: Settings, args: argparse.Namespace) -> int:
    from ..data import tables
    from ..operate import simulate

    seed = settings.seed if args.seed is None else args.seed
    made = simulate.outcomes(settings, seed, args.decay)
    output = args.output if args.output.is_absolute() else settings.root / args.output
    tables.write(made, output)
    decayed = f", decaying from {args.decay:%Y-%m-%d}" if args.decay else ""
    print(f"{len(made)} simulated outcomes (seed {seed}{decayed}) in {output}")
    return 0


VERBS = (
    Verb(
        "outcomes",
        outcomes,
        "add realized outcomes from FILE and reconcile them with the log",
        (
            arg("file", type=Path, help="CSV or Parquet: the identifier (or id), outcome, "
                "optional outcome_at, acted, acted_at"),
        ),
    ),
    Verb(
        "simulate-outcomes",
        simulate_outcomes,
        "write made-up outcomes for the logged predictions, to rehearse the loop",
        (
            arg("--output", type=Path, default=Path("data/simulated-outcomes.csv"),
                help="CSV or Parquet file to write (data/simulated-outcomes.csv)"),
            arg("--seed", type=int, help="default: [tool.phasegate.split] seed"),
            arg("--decay", type=datetime.fromisoformat, metavar="DATE",
                help="rows scored on or after DATE (e.g. 2026-01-31) get outcomes that disagree "
                "with the model more, so that a performance threshold is crossed"),
        ),
    ),
)  # fmt: skip
