"""The model-lifecycle verbs of the command line (see cli/__init__.py for exit codes).

retrain, promote, rollback and smoke work on the registry's champion and challenger;
predict, monitor and simulate-drift use the champion and the data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import Settings
from ..thresholds import NEEDS_ACTION
from .declare import Verb, arg

EXIT_FAILED, EXIT_ACTION_NEEDED = 1, 4


def retrain(settings: Settings, args: argparse.Namespace) -> int:
    from ..engines import get
    from ..lifecycle import tracking
    from ..lifecycle.promotion import retrain as run_retrain
    from ..lifecycle.registry import load
    from ..lifecycle.registry_client import connect
    from ..progress import step

    fit, name = get(args.engine).fit_data, "retrain"
    if args.candidate is not None:  # a family of the leaderboard (reports/leaderboard.json)
        from ..model import experiment

        if args.engine != "local":
            raise ValueError("retrain --candidate trains on the local engine only")
        entry = experiment.chosen(settings, args.candidate or None)
        fit, name = experiment.fit_chosen(entry), f"retrain {entry['family']}"
    with step("Validating data, training and registering a challenger"):
        version, decision = run_retrain(settings, promote=not args.no_promote, fit=fit)
    with step("Logging the run to MLflow tracking"):  # the run of the version just registered
        loaded = load(connect(settings), version)
        if loaded.evaluation is not None:
            tracking.log(settings, loaded.model, loaded.evaluation, name, "", loaded.version.run_id)
    if args.no_promote:
        print(f"Challenger version {version} registered (not promoted): {decision.reason}")
    elif decision.promote:
        print(f"Version {version} is the champion now: {decision.reason}")
    else:
        print(f"Champion kept; challenger version {version} not promoted: {decision.reason}")
    return 0


def promote(settings: Settings, args: argparse.Namespace) -> int:
    from ..lifecycle.promotion import promote as run_promote

    decision = run_promote(settings, args.reason, args.version)
    print(f"Promoted {args.version or 'the challenger'} to champion: {decision.reason}")
    return 0


def rollback(settings: Settings, args: argparse.Namespace) -> int:
    from ..lifecycle.promotion import rollback as run_rollback

    version = run_rollback(settings, args.reason, args.to)
    print(f"Rolled back: version {version} is the champion again")
    return 0


def smoke(settings: Settings, args: argparse.Namespace) -> int:
    from ..lifecycle.challenger_checks import smoke as run_smoke
    from ..lifecycle.registry import load
    from ..lifecycle.registry_client import connect

    loaded = load(connect(settings), args.alias)
    result = run_smoke(loaded.model, settings)
    print(f"{args.alias} (version {loaded.number}) scored {len(result)} rows: OK")
    return 0


def predict(settings: Settings, args: argparse.Namespace) -> int:
    from ..engines import get
    from ..lifecycle.registry import load
    from ..lifecycle.registry_client import CHAMPION, connect
    from ..model.predict import rejects_path

    champion = load(connect(settings), CHAMPION)
    rejects = args.rejects or rejects_path(args.output)
    scored, rejected = get(args.engine).predict_files(
        settings, champion, args.input, args.output, rejects
    )
    if rejected:
        print(f"{rejected} rows rejected, with reasons, in {rejects}", file=sys.stderr)
    print(f"{scored} predictions by version {champion.number} in {args.output}")
    return EXIT_FAILED if scored == 0 else 0


def monitor(settings: Settings, args: argparse.Namespace) -> int:
    from ..lifecycle.monitor import run
    from ..progress import step

    with step(f"Comparing {settings.data_path.name} with the champion's training data"):
        result = run(settings)
    crossed = ", ".join(f"{c['metric']} → {c['action']}" for c in result["crossed"]) or "none"
    print(
        f"Monitoring {result['status']}: thresholds crossed: {crossed}; "
        f"report {settings.reports_dir / 'monitoring.md'}"
    )
    return EXIT_ACTION_NEEDED if result["status"] in NEEDS_ACTION else 0


def simulate_drift(settings: Settings, args: argparse.Namespace) -> int:
    from ..data import tables
    from ..lifecycle import drift

    frame = tables.read(settings.data_path)
    drifted, moved = drift.simulate(frame, settings.contract, args.shift, settings.seed)
    tables.write(drifted, args.output)
    print(f"Drifted copy of {settings.data_path.name} ({', '.join(moved)} moved) in {args.output}")
    return 0


REASON = arg("--reason", required=True, help="why (kept in the audit log)")
VERBS = (
    Verb(
        "retrain",
        retrain,
        "validate data, train a challenger, promote it if it beats the champion",
        (
            arg(
                "--no-promote",
                action="store_true",
                help="only register and evaluate the challenger",
            ),
            arg(
                "--candidate",
                nargs="?",
                const="",
                metavar="NAME",
                help="train this family of the experiment's leaderboard "
                "(alone: the recommended one)",
            ),
        ),
        engine=True,
    ),
    Verb(
        "promote",
        promote,
        "make the challenger (or --version) champion after every check",
        (REASON, arg("--version", help="the version to promote (default: the challenger)")),
    ),
    Verb(
        "rollback",
        rollback,
        "move the champion back to the previous (or --to) version",
        (REASON, arg("--to", help="the version to go back to (default: the previous one)")),
    ),
    Verb(
        "smoke",
        smoke,
        "load a registered model, verify its hash, predict a few rows",
        (arg("--alias", choices=("champion", "challenger"), default="champion"),),
    ),
    Verb(
        "predict",
        predict,
        "predict INPUT to OUTPUT (CSV or Parquet) with the champion",
        (
            arg("input", type=Path, help="CSV or Parquet file of rows to score"),
            arg("output", type=Path, help="CSV or Parquet file for the predictions"),
            arg(
                "--rejects", type=Path, help="file for rejected rows (default: OUTPUT.rejects.EXT)"
            ),
        ),
        engine=True,
    ),
    Verb(
        "monitor",
        monitor,
        "compare recent data and predictions with the training data",
    ),
    Verb(
        "simulate-drift",
        simulate_drift,
        "write a drifted copy of the data to OUTPUT",
        (
            arg("output", type=Path, help="CSV or Parquet file to write"),
            arg("--shift", type=float, default=0.3, help="relative shift (0.3)"),
        ),
    ),
)
