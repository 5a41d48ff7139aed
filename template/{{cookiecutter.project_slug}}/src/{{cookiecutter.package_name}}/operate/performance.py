"""Performance on realized outcomes: what the model's decisions cost against the baseline rule
on the same rows, per week, per model version and per sensitive group, from the joined
prediction log (``operate.outcomes.joined``). The report's shape is Contract 2 of the operate
loop (README: performance).

Every figure is a sum over a slice, computed for all slices at once by a pandas groupby (no loop
over rows). Costs, precision, recall and calibration use the rows with an outcome; adoption and
the time from data to decision use every logged row of the slice (they need no outcome).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

import numpy as np
import pandas as pd

from ..config import Business
from ..model.business import cost_of_errors
from .report_types import Figures, PerformanceReport

COLUMNS = ("id", "scored_at", "data_at", "model_version", "score", "decision",
           "baseline_decision", "outcome", "acted", "late")  # fmt: skip
BINS = 10  # calibration: equal-width score bins, edges as sklearn's calibration_curve
MONTH_DAYS = 30  # run_cost_per_month is prorated by the window's days / 30
COUNTS = ["logged", "rows", "tp", "fp", "fn", "base_fp", "base_fn", "acted", "acted_reported"]
NOT_IN_GROUPS = "(not in the groups file)"


class NoOutcomes(ValueError):
    """The window holds no logged prediction with a realized outcome."""


def report(
    log: pd.DataFrame,
    business: Business,
    *,
    start: datetime,
    end: datetime,
    run_cost_per_month: float = 0.0,
    groups: pd.DataFrame | None = None,
    min_group_rows: int = 20,
) -> PerformanceReport:
    """The performance report of the predictions scored from ``start`` to ``end``.

    ``groups``: the sensitive columns, indexed by the log's ``id`` (None: no per-group figures).
    """
    if missing := [name for name in COLUMNS if name not in log.columns]:
        raise ValueError(f"prediction log: column {missing[0]!r} is missing")
    log = log[(log["scored_at"] >= start) & (log["scored_at"] <= end)]
    flags = _flags(log)
    if not flags["rows"].any():
        raise NoOutcomes(
            f"no outcomes for predictions scored from {start:%Y-%m-%d} to {end:%Y-%m-%d}: "
            "record some with `outcomes FILE` (or widen --window); the last report is kept"
        )
    days = (end - start) / pd.Timedelta(days=1)
    days = int(days) if days % 1 == 0 else days  # whole days, as --window gives them
    run_cost = run_cost_per_month * days / MONTH_DAYS
    flags["period"] = _monday(log["scored_at"])
    flags["model_version"] = log["model_version"].astype(str)
    flags["all"] = "all"

    def table(keys: list[str]) -> list[Figures]:
        return _records(_figures(flags, keys, business, run_cost), keys)

    by_period = table(["period", "model_version"])
    for entry in by_period:
        entry["period"] = f"{entry['period']:%Y-%m-%d}"
    return {
        "generated_at": _iso(end),
        "window": {"start": _iso(start), "end": _iso(end), "days": days},
        "logged": len(log),
        "with_outcome": int(flags["rows"].sum()),
        "late": int(log["late"].fillna(False).astype(bool).sum()),
        "currency": business.currency,
        "run_cost_per_month": float(run_cost_per_month),
        "min_group_rows": min_group_rows,
        "overall": {k: v for k, v in table(["all"])[0].items() if k != "all"},
        "by_period": by_period,
        "by_version": table(["model_version"]),
        "by_group": _by_group(flags, log["id"], groups, min_group_rows, table),
    }


def _flags(log: pd.DataFrame) -> pd.DataFrame:
    """Per logged row, the 0/1 counts every figure is a sum of."""
    score = log["score"].to_numpy(dtype=float)
    if len(score) and not (np.nanmin(score) >= 0 and np.nanmax(score) <= 1):
        raise ValueError("prediction log: column 'score' has values outside [0, 1]")
    known = log["outcome"].notna().to_numpy(dtype=bool)
    positive = log["outcome"].fillna(False).to_numpy(dtype=bool) & known
    decision = log["decision"].to_numpy(dtype=bool)
    base = log["baseline_decision"].to_numpy(dtype=bool)
    acted = log["acted"]
    frame = {
        "logged": np.ones(len(log), dtype=np.int64),
        "rows": known,
        "tp": decision & positive,
        "fp": decision & known & ~positive,
        "fn": ~decision & positive,
        "base_fp": base & known & ~positive,
        "base_fn": ~base & positive,
        "acted": decision & acted.fillna(False).to_numpy(dtype=bool),
        "acted_reported": decision & acted.notna().to_numpy(dtype=bool),
        "bin": np.searchsorted(np.linspace(0, 1, BINS + 1)[1:-1], score),
        "score": np.where(known, score, 0.0),  # rows without an outcome add nothing to a bin
        "positive": positive,
        "hours": (log["scored_at"] - log["data_at"]).dt.total_seconds() / 3600,
    }
    return pd.DataFrame(frame, index=log.index)


def _figures(
    flags: pd.DataFrame, keys: list[str], business: Business, run_cost: float
) -> pd.DataFrame:
    """Contract 2's METRICS for each slice of ``keys`` (a frame indexed by them)."""
    by = flags.groupby(keys, observed=True, sort=True)
    sums = by[COUNTS].sum()
    rows, decided = sums["rows"], sums["tp"] + sums["fp"]
    cost = cost_of_errors(sums["fp"], sums["fn"], rows, business)
    baseline = cost_of_errors(sums["base_fp"], sums["base_fn"], rows, business)
    # Expected calibration error: per bin |observed positives - summed scores|, over the rows.
    binned = flags.groupby([*keys, "bin"], observed=True)[["positive", "score"]].sum()
    gap = (binned["positive"] - binned["score"]).abs().groupby(level=keys).sum()
    share = sums["logged"] / sums["logged"].sum()
    slice_cost = run_cost * share
    saving = (baseline - cost) * rows
    return pd.DataFrame(
        {
            "rows": rows,
            "expected_cost_per_decision": cost,
            "baseline_cost_per_decision": baseline,
            "saving_per_decision": baseline - cost,
            "precision": sums["tp"] / decided,
            "recall": sums["tp"] / (sums["tp"] + sums["fn"]),
            "calibration_error": gap / rows,
            "adoption_rate": sums["acted"] / sums["acted_reported"],
            "median_hours_data_to_decision": by["hours"].median(),
            "realized_saving": saving,
            "run_cost": slice_cost,
            "roi": (saving - slice_cost) / slice_cost if run_cost > 0 else np.nan,
        }
    )


def _by_group(
    flags: pd.DataFrame,
    ids: pd.Series,
    groups: pd.DataFrame | None,
    min_rows: int,
    table: Callable[[list[str]], list[Figures]],
) -> dict[str, list[Figures]]:
    """Figures per value of each sensitive column; a group below ``min_rows`` outcomes only
    says how many it has."""
    if groups is None:
        return {}
    groups = groups[~groups.index.duplicated(keep="last")]
    result = {}
    for column in groups.columns:
        values = groups[column].astype("string").fillna("(missing)")
        flags[column] = ids.map(values).fillna(NOT_IN_GROUPS).to_numpy()
        entries = []
        for entry in table([column]):
            name = entry.pop(column)
            if entry["rows"] < min_rows:
                entries.append({"group": name, "rows": entry["rows"], "suppressed": True})
            else:
                entries.append({"group": name, **entry})
        result[str(column)] = entries
    return result


def _records(figures: pd.DataFrame, keys: list[str]) -> list[Figures]:
    """JSON-ready rows: ints for counts, floats or None (never NaN or infinity)."""
    records = []
    for row in figures.reset_index().to_dict("records"):
        record: Figures = {key: row[key] for key in keys}
        for name in figures.columns:
            number = float(row[name])
            finite = number if math.isfinite(number) else None
            record[str(name)] = int(number) if name == "rows" else finite
        records.append(record)
    return records


def _monday(scored_at: pd.Series) -> pd.Series:
    """The Monday (00:00 UTC) of each row's week: a period is a week by default."""
    day = scored_at.dt.floor("D")
    monday: pd.Series = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    return monday


def _iso(moment: datetime) -> str:
    return pd.Timestamp(moment).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
