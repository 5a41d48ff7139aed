"""The experiment verb: ``experiment [--family NAME ...] [--no-track]`` (exit codes: cli/).

Trains every model family of model/candidates.py over its search space, writes the leaderboard
(reports/leaderboard.json, .md, .png) with the recommended family and the reason, and logs
each candidate as a run in MLflow tracking.
"""

from __future__ import annotations

import argparse

from ..config import Settings
from .declare import Verb, arg


def experiment(settings: Settings, args: argparse.Namespace) -> int:
    from ..model import experiment as lab
    from ..model import reports
    from ..progress import step

    with step("Training and comparing the candidate model families"):
        board, fitted = lab.run(settings, args.family)
    reports.write_json(board, settings.data_reports_dir, lab.LEADERBOARD)
    reports.leaderboard_chart(board, settings.data_reports_dir, lab.CHART)
    path = reports.write_markdown(lab.markdown(board), settings.data_reports_dir, lab.LEADERBOARD)
    if args.track:
        with step("Logging every candidate to MLflow tracking"):
            lab.track(settings, board, fitted)
    print(f"Recommended: {board['recommended']} ({board['reason']}). Leaderboard: {path}")
    return 0


VERBS = (
    Verb(
        "experiment",
        experiment,
        "compare model families on the business metric, simplest first",
        (
            arg("--family", action="extend", nargs="+", metavar="NAME", help="only these families"),
            arg("--no-track", dest="track", action="store_false", help="do not log runs to MLflow"),
        ),
    ),
)
