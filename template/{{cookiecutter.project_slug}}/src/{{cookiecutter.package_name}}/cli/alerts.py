"""The `alerts` verb (see cli for exit codes): every drift and performance threshold against
the latest reports, written as issue payloads to reports/alerts.json; ``--respond`` starts the
move an alert asks for, through the same retrain and rollback as the verbs of those names."""

from __future__ import annotations

import argparse
import os

from ..config import Settings
from ..thresholds import NEEDS_ACTION
from .declare import Verb, arg
from .lifecycle import EXIT_ACTION_NEEDED, retrain


def alerts(settings: Settings, args: argparse.Namespace) -> int:
    from ..operate import alerts as judged

    if args.respond:
        return respond(settings, args)
    result = judged.judge(settings)
    path = judged.write(result, settings)
    for alert in result["alerts"]:
        told = ", ".join(alert["assignees"]) or "nobody named"
        print(f"{alert['action']}: {alert['metric']} = {alert['value']:.4g}, {alert['limit']}"
              f" (told: {told})")  # fmt: skip
    for skipped in result["not_judged"]:
        print(f"not judged: {skipped['metric']} {skipped['limit']}: {skipped['why']}")
    print(
        f"Alerts: {len(result['alerts'])} thresholds crossed, most serious "
        f"{result['most_serious']}; response: {result['response']}; report {path}"
    )
    if output := os.environ.get("GITHUB_OUTPUT"):  # for the workflow's next jobs
        with open(output, "a", encoding="utf-8") as file:
            file.write(f"response={result['response']}\nreason={result['reason']}\n")
    return EXIT_ACTION_NEEDED if result["most_serious"] in NEEDS_ACTION else 0


def respond(settings: Settings, args: argparse.Namespace) -> int:
    """The move reports/alerts.json asks for, when it is ``args.respond``; else nothing."""
    from ..operate.alerts import latest

    result = latest(settings)
    if result.get("response") != args.respond:
        print(f"No alert asks for {args.respond} (response: {result.get('response')})")
        return 0
    if args.respond == "rollback":
        from ..lifecycle.promotion import rollback

        version = rollback(settings, result["reason"])
        print(f"Rolled back ({result['reason']}): version {version} is the champion again")
        return 0
    return retrain(settings, argparse.Namespace(engine=args.engine, no_promote=False))


VERBS = (
    Verb(
        "alerts",
        alerts,
        "judge every threshold on the latest reports, write reports/alerts.json",
        (
            arg(
                "--respond",
                choices=("retrain", "rollback"),
                help="run this move if reports/alerts.json asks for it (CI), else do nothing",
            ),
        ),
    ),
)
