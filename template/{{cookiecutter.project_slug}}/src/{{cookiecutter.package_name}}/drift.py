"""Drift statistics between the champion's training data and recent data, and simulated drift.

Per feature, and for the model's scores, two numbers from scipy and numpy:
- the population stability index (PSI) over the reference's deciles: how far the distribution
  moved (rules of thumb: below 0.1 stable, 0.1-0.25 moderate, above 0.25 large);
- the two-sample Kolmogorov-Smirnov test (``scipy.stats.ks_2samp``): whether it moved at all;
  a feature counts as drifted when the p-value is below ``ks_p_value``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from . import schema
from .config import ConfigError, Monitoring

BINS = 10
FLOOR = 1e-4  # share given to an empty bin, so that the logarithm stays finite
SHIFTED = list(schema.FEATURES)[:4]  # the features simulate() moves


def psi(reference: np.ndarray, recent: np.ndarray) -> float:
    """Population stability index of ``recent`` against ``reference``'s deciles."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, BINS + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    before = np.clip(np.histogram(reference, edges)[0] / len(reference), FLOOR, None)
    after = np.clip(np.histogram(recent, edges)[0] / len(recent), FLOOR, None)
    return float(np.sum((after - before) * np.log(after / before)))


def compare(reference: pd.Series, recent: pd.Series, ks_p_value: float) -> dict:
    test = stats.ks_2samp(reference, recent)
    return {
        "psi": psi(reference.to_numpy(), recent.to_numpy()),
        "ks_statistic": float(test.statistic),
        "p_value": float(test.pvalue),
        "drifted": bool(test.pvalue < ks_p_value),
        "reference_mean": float(reference.mean()),
        "recent_mean": float(recent.mean()),
    }


def measure(reference: pd.DataFrame, recent: pd.DataFrame, monitoring: Monitoring) -> dict:
    """Statistics per feature and overall, and the thresholds they cross with their actions.

    ``reference`` and ``recent`` hold the same feature columns plus ``score``.
    """
    alpha = monitoring.ks_p_value
    names = [c for c in reference.columns if c != "score"]
    features = {n: compare(reference[n], recent[n], alpha) for n in names}
    scores = compare(reference["score"], recent["score"], alpha)
    summary = {
        "max_feature_psi": max(f["psi"] for f in features.values()),
        "drifted_feature_share": sum(f["drifted"] for f in features.values()) / len(features),
        "prediction_psi": scores["psi"],
        "prediction_mean_change": scores["recent_mean"] - scores["reference_mean"],
    }
    crossed = []
    for threshold in monitoring.thresholds:
        if threshold.metric not in summary:
            known = ", ".join(summary)
            raise ConfigError(f"monitoring metric {threshold.metric!r} unknown; known: {known}")
        if summary[threshold.metric] > threshold.above:
            value = summary[threshold.metric]
            crossed.append({**vars(threshold), "value": value})
    actions = {c["action"] for c in crossed}
    blocks = [f"{c['metric']} {c['value']:.3g} above {c['above']:g}" for c in crossed]
    blocks = [text for text, c in zip(blocks, crossed, strict=True) if c["action"] == "block"]
    return {
        "status": next((a for a in ("block", "retrain", "warn") if a in actions), "ok"),
        "retraining_requested": "retrain" in actions,
        "blocks_promotion": "; ".join(blocks) or None,
        "summary": summary,
        "crossed": crossed,
        "features": features,
        "prediction": scores,
    }


def simulate(frame: pd.DataFrame, shift: float = 0.3, seed: int = 0) -> pd.DataFrame:
    """A copy whose first four features grew by about ``shift`` (with noise), still within the
    schema's ranges, as after new equipment, a new population or a unit change upstream."""
    rng = np.random.default_rng(seed)
    drifted = frame.copy()
    for name in SHIFTED:
        low, high = schema.FEATURES[name]
        factor = 1 + shift * rng.uniform(0.8, 1.2, size=len(frame))
        drifted[name] = (frame[name] * factor).clip(low, high)
    return drifted
