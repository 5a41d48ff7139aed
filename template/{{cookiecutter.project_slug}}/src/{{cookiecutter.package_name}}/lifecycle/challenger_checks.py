"""What a model must pass before it becomes champion: a smoke prediction, and a lower expected
cost than the champion by the configured margin (or, when the champion was trained for another
data contract, than the baseline), unless monitoring or the alerts block promotion.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..config import Settings
from ..data import tables
from ..data.tables import Split
from ..digest import sha256
from ..model import business
from ..model import train as training
from ..model.evaluate import evaluate
from ..model.report_types import EvaluationReport
from ..operate import alerts
from .report_types import MonitoringReport

if TYPE_CHECKING:  # the registry module imports MLflow, which `blocked` alone does not need
    from .registry import Loaded

SMOKE_ROWS = 5


@dataclass(frozen=True)
class Decision:
    promote: bool
    reason: str
    challenger_cost: float
    champion_cost: float | None


def expected_cost(model: training.TrainedModel, frame: pd.DataFrame, settings: Settings) -> float:
    """The business metric of the model's decisions on ``frame`` (with the target column)."""
    acted = training.scores(model, frame) >= model.metadata["threshold"]
    return business.expected_cost(frame[settings.target], acted, settings.business)


def smoke(model: training.TrainedModel, settings: Settings) -> np.ndarray:
    """Scores for the first rows of the data file; raises unless they are probabilities."""
    frame = tables.read(settings.data_path).head(SMOKE_ROWS)
    result = training.scores(model, frame)
    if result.shape != (len(frame),) or not np.all((result >= 0) & (result <= 1)):
        raise training.ModelError(f"smoke prediction returned {result!r}, not probabilities")
    return result


def blocked(settings: Settings) -> str | None:
    """Why the last monitoring run of the current data file, or the last alerts (a performance
    threshold), block promotion, or None."""
    path, data = settings.reports_dir / "monitoring.json", settings.data_path
    found: MonitoringReport | None = (
        json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    )
    if found and data.is_file() and found.get("data_sha256") == sha256(data):
        return found.get("blocks_promotion") or alerts.blocks(settings)
    return alerts.blocks(settings)


def compare(challenger: float, champion: float | None, settings: Settings) -> Decision:
    """Promote when the challenger's expected cost is lower by at least the configured margin
    and the last monitoring run does not block promotion."""
    if why := blocked(settings):
        return Decision(False, f"monitoring blocks promotion: {why}", challenger, champion)
    margin = settings.registry.promotion_margin
    if champion is None:
        return Decision(True, "no champion yet", challenger, None)
    saving = (champion - challenger) / champion if champion else (0.0 if challenger == 0 else -1.0)
    verdict = "at least" if saving >= margin else "below"
    reason = (
        f"expected cost per decision {challenger:.4f} against the champion's {champion:.4f} "
        f"on the same held-out data: saves {saving:.1%}, {verdict} the margin {margin:.1%}"
    )
    return Decision(saving >= margin, reason, challenger, champion)


def judge(
    model: training.TrainedModel,
    champion: Loaded | None,
    test: pd.DataFrame,
    evaluation: EvaluationReport | None,
    settings: Settings,
    split: Split | None = None,
) -> Decision:
    """Whether ``model`` should replace the champion. A champion trained for another data
    contract cannot score today's data: then the model must beat the baseline instead."""
    cost = expected_cost(model, test, settings)
    change = champion and training.contract_change(champion.model, settings.contract)
    if not champion or not change:
        return compare(
            cost, expected_cost(champion.model, test, settings) if champion else None, settings
        )
    if not evaluation:
        if split is None:
            raise ValueError("no evaluation report and no held-out rows to make one")
        evaluation = evaluate(model, split, settings)
    baseline_cost = evaluation["baseline"]["expected_cost_per_decision"]
    if why := blocked(settings):
        return Decision(False, f"monitoring blocks promotion: {why}", cost, None)
    verdict = "beats" if cost < baseline_cost else "does not beat"
    reason = (
        f"the champion (version {champion.number}) was trained for another data contract "
        f"({change}); the model {verdict} the baseline: expected cost per decision {cost:.4f} "
        f"against {baseline_cost:.4f}"
    )
    return Decision(cost < baseline_cost, reason, cost, None)
