"""The shape of the monitoring report (reports/monitoring.json), as monitor.py and drift.py
write it and the CLI, promotion and the alerts read it. Standard library only: any module may
import it.

TypedDicts rather than dataclasses: the report is written with json and read back with json, so
the same dict is both the file and the typed value, and mypy checks every key a reader uses.
"""

from __future__ import annotations

from typing import TypedDict, final

from ..thresholds import Action


@final  # final: `"ks_statistic" in figures` tells the two apart
class NumericDrift(TypedDict):
    """A numeric column (or the scores): PSI and the Kolmogorov-Smirnov test."""

    psi: float
    ks_statistic: float
    p_value: float
    drifted: bool
    reference_mean: float
    recent_mean: float


@final
class CategoryDrift(TypedDict):
    """A categorical column: PSI over the categories' shares and the chi-squared test."""

    psi: float
    p_value: float
    drifted: bool
    reference_top: str  # the most frequent category
    recent_top: str


class Crossed(TypedDict):
    """A monitoring threshold the figures cross."""

    metric: str
    above: float
    action: Action
    value: float


class Drift(TypedDict):
    """What drift.measure finds."""

    status: Action  # the most serious action crossed, OK for none
    retraining_requested: bool
    blocks_promotion: str | None  # the crossed `block` thresholds in words, or None
    summary: dict[str, float]  # the figures thresholds name (drift.measure lists them)
    crossed: list[Crossed]
    features: dict[str, NumericDrift | CategoryDrift]  # per input column
    prediction: NumericDrift  # the model's scores


class MonitoringReport(Drift):
    monitored_at: str
    data_path: str
    data_sha256: str
    champion_version: str
    reference_rows: int
    recent_rows: int
    rejected_rows: int  # rows the schema refused, left out
