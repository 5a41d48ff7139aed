"""The data verb of the command line: ``adopt`` (see cli/__init__.py for exit codes)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..config import Settings
from .declare import Verb, arg


def adopt(settings: Settings, args: argparse.Namespace) -> int:
    from ..data.adopt import adopt as run_adopt
    from ..data.profile import Request

    asked = Request(
        target=args.target,
        positive=args.positive,
        ids=tuple(args.id),
        timestamp=args.timestamp,
        sensitive=tuple(args.sensitive),
        text=tuple(args.text),
        ignored=tuple(args.ignore),
    )
    review = run_adopt(settings, args.source, asked, force=args.force)
    contract = settings.contract_path.relative_to(settings.root)
    print(f"Adopted {args.source}: {contract} and [tool.phasegate.data] are written.")
    print("Review, then commit:")
    for line in review:
        print(f"  - {line}")
    print("Next: `nox` (lint, tests), `nox -s pipeline` (validate, train, evaluate),")
    print("then `nox -s retrain`.")
    return 0


MANY: dict[str, Any] = {"action": "extend", "nargs": "+", "default": [], "metavar": "COLUMN"}
VERBS = (
    Verb(
        "adopt",
        adopt,
        "make a CSV or Parquet file the project's data: contract, settings, baseline",
        (
            arg("source", type=Path, metavar="DATA", help="a CSV or Parquet file"),
            arg("--target", required=True, metavar="COLUMN", help="the column to predict"),
            arg(
                "--positive", required=True, metavar="VALUE", help='the target value meaning "act"'
            ),
            arg("--id", **MANY, help="identifier columns (not model inputs)"),
            arg("--timestamp", metavar="COLUMN", help="each row's date or time"),
            arg("--sensitive", **MANY, help="sensitive attributes (per-group metrics)"),
            arg("--text", **MANY, help="free-text columns (not model inputs)"),
            arg("--ignore", **MANY, help="columns to keep out of the model"),
            arg(
                "--force",
                action="store_true",
                help="replace a data contract that was edited by hand",
            ),
        ),
    ),
)
