"""Seconds `performance` takes over a joined log of 1 M predictions with outcomes.

Builds a synthetic joined log (Contract 1 of the operate loop: five weeks, two model versions,
a sensitive column with three groups), then times the computation of the report and the writing
of its three files separately, three times each, and prints the medians as JSON. With
``--stores``, the log and its outcomes are also written to Parquet stores in a temporary folder
(through ``prediction_log.append`` and ``outcomes.ingest``, not timed) and reading them back with
``outcomes.joined``, the verb's first step, is timed too:

    uv run python tools/bench_performance.py [--rows 1000000] [--repeat 3] [--stores]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from {{ cookiecutter.package_name }} import config
from {{ cookiecutter.package_name }}.data.contract import text_of
from {{ cookiecutter.package_name }}.operate import (  # one per line: any package name fits
    outcomes,
    performance,
    performance_report,
    prediction_log,
)

END = datetime(2026, 11, 30, tzinfo=UTC)
DAYS = 35


def joined(rows: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A joined log of ``rows`` predictions, every one with an outcome, and its groups."""
    rng = np.random.default_rng(seed)
    scored = pd.Timestamp(END - timedelta(days=DAYS)) + pd.to_timedelta(
        np.sort(rng.uniform(0, DAYS * 86400, rows)), unit="s"
    )
    score = rng.uniform(0, 1, rows)
    acted = pd.array(rng.uniform(0, 1, rows) < 0.7, dtype="boolean")
    acted[rng.uniform(0, 1, rows) < 0.2] = pd.NA
    log = pd.DataFrame(
        {
            "id": pd.array([f"c{i}" for i in range(rows)], dtype="string"),
            "scored_at": scored,
            "data_at": scored - pd.to_timedelta(rng.exponential(6, rows), unit="h"),
            "model_version": pd.array(np.where(np.arange(rows) < rows // 2, "3", "4")),
            "score": score,
            "threshold": 0.3,
            "decision": score >= 0.3,
            "baseline_decision": rng.uniform(0, 1, rows) < 0.4,
            "outcome": pd.array(rng.uniform(0, 1, rows) < score, dtype="boolean"),
            "outcome_at": scored + pd.Timedelta(days=7),
            "acted": acted,
            "acted_at": scored + pd.Timedelta(hours=2),
            "late": rng.uniform(0, 1, rows) < 0.01,
        }
    )
    groups = pd.DataFrame({"band": rng.choice(["a", "b", "c"], rows)}, index=log["id"])
    return log, groups


def stored(settings: config.Settings, log: pd.DataFrame, folder: Path) -> config.Settings:
    """Settings whose prediction log and outcome store under ``folder`` hold ``log``."""
    operate = replace(settings.operate, prediction_log=folder / "log", outcomes_store=folder / "o")
    settings = replace(settings, root=folder, operate=operate)
    prediction_log.append(log[list(prediction_log.COLUMNS)], operate.prediction_log)
    file = folder / "outcomes.parquet"
    file_rows = log[["id", "outcome", "outcome_at", "acted", "acted_at"]]
    positive = text_of(settings.positive)  # outcome files speak the target's values
    outcome = np.where(file_rows["outcome"].astype(bool), positive, f"not {positive}")
    file_rows.assign(outcome=outcome).to_parquet(file, index=False)
    outcomes.ingest(settings, file)
    return settings


def median(seconds: list[float]) -> float:
    return round(statistics.median(seconds), 3)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rows", type=int, default=1_000_000)
    options.add_argument("--repeat", type=int, default=3)
    options.add_argument("--stores", action="store_true", help="also time outcomes.joined")
    args = options.parse_args()
    settings = config.load()
    log, groups = joined(args.rows)
    start_at = END - timedelta(days=DAYS)
    times: dict[str, list[float]] = {"compute": [], "write": [], "joined": []}
    with tempfile.TemporaryDirectory() as folder:
        project = stored(settings, log, Path(folder)) if args.stores else None
        for _ in range(args.repeat):
            if project is not None:
                start = time.perf_counter()
                log = outcomes.joined(project, since=start_at)
                times["joined"].append(time.perf_counter() - start)
            start = time.perf_counter()
            report = performance.report(
                log, settings.business, start=start_at, end=END,
                run_cost_per_month=1000.0, groups=groups, min_group_rows=20,
            )  # fmt: skip
            times["compute"].append(time.perf_counter() - start)
            start = time.perf_counter()
            performance_report.write(report, Path(folder) / "reports")
            times["write"].append(time.perf_counter() - start)
    figures = {f"{name}_seconds_median": median(found) for name, found in times.items() if found}
    print(json.dumps({"rows": args.rows, "with_outcome": report["with_outcome"],
                      "repeat": args.repeat, **figures}))  # fmt: skip


if __name__ == "__main__":
    main()
