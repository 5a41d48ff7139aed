"""The command line: ``<package> VERB`` (``--help`` lists the verbs).

Pipeline (cli/pipeline.py): validate, train, evaluate, pipeline, gate. Data (cli/adopt.py): adopt.
Experiments (cli/experiment.py): experiment.
Model lifecycle (cli/lifecycle.py): retrain, promote, rollback, smoke, predict, monitor,
simulate-drift. Governance (cli/governance.py): governance. Alerts (cli/alerts.py): alerts.
Operate (cli/operate.py): outcomes, simulate-outcomes; (cli/performance.py): performance.
Heavy libraries are imported inside the verbs so that ``--help`` stays fast.

Exit codes:
  0  success (monitor: no drift, or only warnings)
  1  a step failed (invalid data, no model, a refused promotion or rollback, a tampered
     or untrusted model) or a required gate criterion fails; nothing was changed
     (governance: a record could not be written; --check: a record is out of date)
  2  usage or configuration error
  3  the model does not beat the baseline (evaluate --fail-if-worse)
  4  monitor, alerts: a threshold asks for retraining or a rollback, or blocks promotion
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import __version__, engines
from ..config import ConfigError, load
from . import adopt, alerts, experiment, governance, lifecycle, operate, performance, pipeline

EXIT_FAILED, EXIT_USAGE = 1, 2
EXIT_WORSE_THAN_BASELINE = pipeline.EXIT_WORSE_THAN_BASELINE
EXIT_ACTION_NEEDED = lifecycle.EXIT_ACTION_NEEDED
DECLARED = (pipeline.VERBS, adopt.VERBS, experiment.VERBS, lifecycle.VERBS, governance.VERBS,
            operate.VERBS, performance.VERBS, alerts.VERBS)  # fmt: skip
VERBS = {verb.name: verb for group in DECLARED for verb in group}
# Old verb names that still work, with a note, until the release named.
ALIASES = {old: (v.name, until) for v in VERBS.values() for old, until in v.old_names}


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog=__name__.partition(".")[0],
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("--version", action="version", version=__version__)
    verbs = root.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in VERBS.values():
        old_names = [old for old, _ in verb.old_names]
        sub = verbs.add_parser(verb.name, aliases=old_names, help=verb.help, description=verb.help)
        sub.add_argument(
            "--data", type=Path, help="data file to use instead of [tool.phasegate.data] path"
        )
        sub.set_defaults(engine="local")
        if verb.engine and len(engines.available()) > 1:
            sub.add_argument(
                "--engine",
                choices=engines.available(),
                default="local",
                help="where to run: an engine of src/…/engines/ (README: engines)",
            )
        for argument in verb.arguments:
            argument.add_to(sub)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.verb in ALIASES:
        args.verb, until = ALIASES[args.verb]
        print(f"Note: this verb is now called `{args.verb}`; the old name works until {until}.",
              file=sys.stderr)  # fmt: skip
    try:
        settings = load(data=args.data)
        return VERBS[args.verb].run(settings, args)
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, KeyError, OSError) as error:  # DataError and ModelError are ValueErrors
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_FAILED
