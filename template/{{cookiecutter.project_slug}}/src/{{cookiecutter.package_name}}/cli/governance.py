"""The governance verb of the command line (see cli/__init__.py for exit codes).

``governance`` writes the generated parts of governance/ (model card, datasheet, model update
policy, audit-log table); ``governance --check`` only compares them with their sources. Until
0.5.0 the verb also answers to its old name, ``report``.
"""

from __future__ import annotations

import argparse
import sys

from ..config import Settings
from .declare import Verb, arg

EXIT_FAILED = 1


def governance(settings: Settings, args: argparse.Namespace) -> int:
    from ..governance import records

    if args.check:
        finding = records.check(settings)
        for line in finding.evidence:
            print(f"current: {line}")
        for line in finding.problems:
            print(f"STALE: {line}", file=sys.stderr)
        return EXIT_FAILED if finding.problems else 0
    written, skipped = records.write(settings)
    for path in written:
        print(f"written: {path}")
    for reason in skipped:
        print(f"not written: {reason}", file=sys.stderr)
    return EXIT_FAILED if skipped else 0


VERBS = (
    Verb(
        "governance",
        governance,
        "write governance/ records from the champion and the reports (--check)",
        (
            arg(
                "--check",
                action="store_true",
                help="change nothing; exit 1 when a generated record differs from its sources",
            ),
        ),
        old_names=(("report", "0.5.0"),),
    ),
)
