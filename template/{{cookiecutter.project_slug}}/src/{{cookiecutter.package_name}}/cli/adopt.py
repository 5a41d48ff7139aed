"""The data verb of the command line: ``adopt`` (see cli/__init__.py for exit codes)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..config import Settings


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
    print("Next: `nox` (tests, validate, train, evaluate), then `nox -s retrain`.")
    return 0


Verb = Callable[[Settings, argparse.Namespace], int]
VERBS: dict[str, tuple[Verb, str]] = {
    "adopt": (adopt, "make a CSV or Parquet file the project's data: contract, settings, baseline"),
}


def add_arguments(verb: str, parser: argparse.ArgumentParser) -> None:
    if verb != "adopt":
        return
    parser.add_argument("source", type=Path, metavar="DATA", help="a CSV or Parquet file")
    parser.add_argument("--target", required=True, metavar="COLUMN", help="the column to predict")
    parser.add_argument(
        "--positive", required=True, metavar="VALUE", help='the target value meaning "act"'
    )
    many: dict[str, Any] = {"action": "extend", "nargs": "+", "default": [], "metavar": "COLUMN"}
    parser.add_argument("--id", **many, help="identifier columns (not model inputs)")
    parser.add_argument("--timestamp", metavar="COLUMN", help="each row's date or time")
    parser.add_argument("--sensitive", **many, help="sensitive attributes (per-group metrics)")
    parser.add_argument("--text", **many, help="free-text columns (not model inputs)")
    parser.add_argument("--ignore", **many, help="columns to keep out of the model")
    parser.add_argument(
        "--force", action="store_true", help="replace a data contract that was edited by hand"
    )
