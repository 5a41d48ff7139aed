"""The governance verb of the command line (see cli.py for exit codes).

report writes the generated parts of governance/ (model card, datasheet, model update policy,
audit-log table); ``report --check`` only compares them with their sources.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .config import Settings

EXIT_FAILED = 1


def report(settings: Settings, args: argparse.Namespace) -> int:
    from . import governance

    if args.check:
        finding = governance.check(settings)
        for line in finding.evidence:
            print(f"current: {line}")
        for line in finding.problems:
            print(f"STALE: {line}", file=sys.stderr)
        return EXIT_FAILED if finding.problems else 0
    written, skipped = governance.write(settings)
    for path in written:
        print(f"written: {path}")
    for reason in skipped:
        print(f"not written: {reason}", file=sys.stderr)
    return EXIT_FAILED if skipped else 0


Verb = Callable[[Settings, argparse.Namespace], int]
VERBS: dict[str, tuple[Verb, str]] = {
    "report": (report, "write governance/ records from the champion and the reports (--check)"),
}


def add_arguments(verb: str, parser: argparse.ArgumentParser) -> None:
    """The options of the governance verb."""
    if verb == "report":
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; exit 1 when a generated record differs from its sources",
        )
