"""Drift statistics between the champion's training data and recent data, and simulated drift.

Per input column, by its kind in the data contract, and for the model's scores, two numbers
from scipy and numpy:
- the population stability index (PSI): how far the distribution moved (over the reference's
  deciles for numbers, over the categories' shares for categories; rules of thumb: below 0.1
  stable, 0.1-0.25 moderate, above 0.25 large);
- a test of whether it moved at all: two-sample Kolmogorov-Smirnov (``scipy.stats.ks_2samp``)
  for numbers, chi-squared on the category counts (``scipy.stats.chi2_contingency``) for
  categories; a column counts as drifted when the p-value is below ``ks_p_value``.
Missing values are left out of numeric statistics and are a category of their own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..config import ConfigError, Monitoring
from ..data.contract import Column, Contract, as_text
from ..thresholds import Action, most_serious
from .report_types import CategoryDrift, Crossed, Drift, NumericDrift

BINS = 10
FLOOR = 1e-4  # share given to an empty bin, so that the logarithm stays finite
SHIFTED = 4  # how many input columns simulate() moves
MISSING = "(missing)"


def psi(reference: np.ndarray, recent: np.ndarray) -> float:
    """Population stability index of ``recent`` against ``reference``'s deciles."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, BINS + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    before = np.clip(np.histogram(reference, edges)[0] / len(reference), FLOOR, None)
    after = np.clip(np.histogram(recent, edges)[0] / len(recent), FLOOR, None)
    return float(np.sum((after - before) * np.log(after / before)))


def compare(reference: pd.Series, recent: pd.Series, ks_p_value: float) -> NumericDrift:
    reference = pd.to_numeric(reference, errors="coerce").dropna()
    recent = pd.to_numeric(recent, errors="coerce").dropna()
    test = stats.ks_2samp(reference, recent)
    return {
        "psi": psi(reference.to_numpy(), recent.to_numpy()),
        "ks_statistic": float(test.statistic),
        "p_value": float(test.pvalue),
        "drifted": bool(test.pvalue < ks_p_value),
        "reference_mean": float(reference.mean()),
        "recent_mean": float(recent.mean()),
    }


def compare_categories(reference: pd.Series, recent: pd.Series, p_value: float) -> CategoryDrift:
    before = as_text(reference).fillna(MISSING).value_counts()
    after = as_text(recent).fillna(MISSING).value_counts()
    counts = pd.concat([before, after], axis=1).fillna(0).astype(float)
    shares = (counts / counts.sum()).clip(lower=FLOOR)
    old, new = shares.iloc[:, 0], shares.iloc[:, 1]
    index = float(np.sum((new - old) * np.log(new / old)))
    p = 1.0 if len(counts) < 2 else float(stats.chi2_contingency(counts.to_numpy().T + 0.5)[1])
    return {
        "psi": index,
        "p_value": p,
        "drifted": bool(p < p_value),
        "reference_top": str(before.index[0]) if len(before) else "",
        "recent_top": str(after.index[0]) if len(after) else "",
    }


def measure(
    reference: pd.DataFrame, recent: pd.DataFrame, monitoring: Monitoring, contract: Contract
) -> Drift:
    """Statistics per input column and overall, and the thresholds they cross with their
    actions. ``reference`` and ``recent`` hold the same input columns plus ``score``."""
    alpha = monitoring.ks_p_value
    kinds = {c.name: c for c in contract.inputs}
    names = [c for c in reference.columns if c != "score"]
    features = {n: _compare(kinds.get(n), reference[n], recent[n], alpha) for n in names}
    scores = compare(reference["score"], recent["score"], alpha)
    summary = {
        "max_feature_psi": max(f["psi"] for f in features.values()),
        "drifted_feature_share": sum(f["drifted"] for f in features.values()) / len(features),
        "prediction_psi": scores["psi"],
        "prediction_mean_change": scores["recent_mean"] - scores["reference_mean"],
    }
    crossed: list[Crossed] = []
    for threshold in monitoring.thresholds:
        if threshold.metric not in summary:
            known = ", ".join(summary)
            raise ConfigError(f"monitoring metric {threshold.metric!r} unknown; known: {known}")
        if summary[threshold.metric] > threshold.above:
            value = summary[threshold.metric]
            t = threshold
            crossed.append(
                {"metric": t.metric, "above": t.above, "action": t.action, "value": value}
            )
    actions = {c["action"] for c in crossed}
    blocks = [f"{c['metric']} {c['value']:.3g} above {c['above']:g}" for c in crossed]
    blocks = [text for text, c in zip(blocks, crossed, strict=True) if c["action"] == Action.BLOCK]
    return {
        "status": most_serious(actions) or Action.OK,
        "retraining_requested": Action.RETRAIN in actions,
        "blocks_promotion": "; ".join(blocks) or None,
        "summary": summary,
        "crossed": crossed,
        "features": features,
        "prediction": scores,
    }


def _compare(
    column: Column | None, reference: pd.Series, recent: pd.Series, alpha: float
) -> NumericDrift | CategoryDrift:
    if column is not None and column.categorical:
        return compare_categories(reference, recent, alpha)
    return compare(reference, recent, alpha)


def simulate(
    frame: pd.DataFrame, contract: Contract, shift: float = 0.3, seed: int = 0
) -> tuple[pd.DataFrame, list[str]]:
    """A copy in which a few input columns moved, still within the contract, as after new
    equipment, a new population or a unit change upstream; and the names of those columns.
    Numbers grow by about ``shift`` (with noise); categories: ``shift`` of the rows (at least
    half) take the column's rarest value."""
    rng = np.random.default_rng(seed)
    drifted = frame.copy()
    moved = [c for c in contract.inputs if c.name in frame.columns][:SHIFTED]
    for column in moved:
        values = frame[column.name]
        if column.categorical:
            text = as_text(values)
            rare = text.value_counts().index[-1] if text.notna().any() else None
            chosen = rng.uniform(size=len(frame)) < max(shift, 0.5)
            if rare is not None:  # every value missing: nothing to move
                text = text.where(~chosen, rare)
            drifted[column.name] = text.astype(object)
            continue
        factor = 1 + shift * rng.uniform(0.8, 1.2, size=len(frame))
        numbers = pd.to_numeric(values, errors="coerce")
        spread = (numbers.max() - numbers.min()) or 1.0
        moved_values = numbers * factor + shift * spread * 0.5
        drifted[column.name] = moved_values.clip(column.min, column.max)
    return drifted, [c.name for c in moved]
