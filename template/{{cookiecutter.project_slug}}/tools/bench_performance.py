"""Seconds `performance` takes over a joined log of 1 M predictions with outcomes.

Builds a synthetic joined log (Contract 1 of the operate loop: five weeks, two model versions,
a sensitive column with three groups), then times the computation of the report and the writing
of its three files separately, three times each, and prints the medians as JSON:

    uv run python tools/bench_performance.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from {{ cookiecutter.package_name }} import config
from {{ cookiecutter.package_name }}.operate import performance, performance_report

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


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rows", type=int, default=1_000_000)
    options.add_argument("--repeat", type=int, default=3)
    args = options.parse_args()
    business = config.load().business
    log, groups = joined(args.rows)
    compute, write = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeat):
            start = time.perf_counter()
            report = performance.report(
                log, business, start=END - timedelta(days=DAYS), end=END,
                run_cost_per_month=1000.0, groups=groups, min_group_rows=20,
            )  # fmt: skip
            compute.append(time.perf_counter() - start)
            start = time.perf_counter()
            performance_report.write(report, Path(folder))
            write.append(time.perf_counter() - start)
    print(json.dumps({
        "rows": args.rows,
        "repeat": args.repeat,
        "compute_seconds_median": round(statistics.median(compute), 3),
        "write_seconds_median": round(statistics.median(write), 3),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
