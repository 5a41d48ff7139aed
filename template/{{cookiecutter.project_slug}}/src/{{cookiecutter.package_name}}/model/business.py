"""The business metric: what the decisions cost, and what that means for the KPI."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..config import Business

THRESHOLDS = np.round(np.linspace(0.0, 1.0, 201), 3)


def expected_cost(y_true: npt.ArrayLike, acted: npt.ArrayLike, business: Business) -> float:
    """Average cost of being wrong per decision, in the project's currency."""
    y_true, acted = np.asarray(y_true, dtype=bool), np.asarray(acted, dtype=bool)
    false_positives, false_negatives = np.sum(acted & ~y_true), np.sum(~acted & y_true)
    return float(cost_of_errors(false_positives, false_negatives, len(y_true), business))


def cost_of_errors(
    false_positives: Any, false_negatives: Any, decisions: Any, business: Business
) -> Any:
    """Cost per decision of so many errors; numbers or arrays (one slice each) alike."""
    total = (
        false_positives * business.cost_false_positive
        + false_negatives * business.cost_false_negative
    )
    return total / decisions


def cost_curve(y_true: npt.ArrayLike, scores: npt.ArrayLike, business: Business) -> np.ndarray:
    """Expected cost per decision at every threshold in THRESHOLDS."""
    scores = np.asarray(scores)
    return np.array([expected_cost(y_true, scores >= t, business) for t in THRESHOLDS])


def best_threshold(y_true: npt.ArrayLike, scores: npt.ArrayLike, business: Business) -> float:
    """The threshold that minimises expected cost (the lowest one on ties)."""
    return float(THRESHOLDS[int(np.argmin(cost_curve(y_true, scores, business)))])


def projected_kpi(model_cost: float, baseline_cost: float, business: Business) -> float:
    """The KPI if it moves in proportion to the saving in cost of errors.

    An assumption to replace with the team's own model of how decisions move
    the KPI: a 10 % lower cost of errors moves the KPI 10 % in its direction.
    """
    if baseline_cost <= 0:
        return business.kpi_baseline
    saving = (baseline_cost - model_cost) / baseline_cost
    sign = 1 if business.kpi_direction == "increase" else -1
    return business.kpi_baseline * (1 + sign * saving)
