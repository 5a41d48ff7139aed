"""Evaluate model and baseline on held-out data, on the business metric first."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn import metrics

from ..config import Settings
from ..data.tables import Split
from . import baseline, business
from . import train as training
from .explain import explain
from .report_types import BaselineDecisions, Decisions, EvaluationReport, Group, ModelDecisions
from .train import TrainedModel


def decision_metrics(y_true: npt.ArrayLike, acted: npt.ArrayLike, settings: Settings) -> Decisions:
    """The business metric and the usual classification metrics of a set of decisions."""
    tn, fp, fn, tp = metrics.confusion_matrix(y_true, acted, labels=[0, 1]).ravel()
    return {
        "expected_cost_per_decision": business.expected_cost(y_true, acted, settings.business),
        "accuracy": metrics.accuracy_score(y_true, acted),
        "precision": metrics.precision_score(y_true, acted, zero_division=0),
        "recall": metrics.recall_score(y_true, acted, zero_division=0),
        "f1": metrics.f1_score(y_true, acted, zero_division=0),
        "false_positive_rate": float(fp / (fp + tn)) if fp + tn else 0.0,
        "false_negative_rate": float(fn / (fn + tp)) if fn + tp else 0.0,
        "confusion": {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
    }


def group_metrics(
    test: pd.DataFrame, model_acted: np.ndarray, baseline_acted: np.ndarray, settings: Settings
) -> dict[str, dict[str, Group]]:
    """Per group of every sensitive attribute: model and baseline error rates and costs."""
    y_test = test[settings.target].to_numpy()
    groups: dict[str, dict[str, Group]] = {}
    for attribute in settings.sensitive_attributes or ():
        values = test[attribute].astype("string").fillna("(missing)").to_numpy()
        groups[attribute] = {}
        for value in sorted(set(values)):
            member = values == value
            groups[attribute][str(value)] = {
                "rows": int(member.sum()),
                "positive_rate": float(y_test[member].mean()),
                "model": decision_metrics(y_test[member], model_acted[member], settings),
                "baseline": decision_metrics(y_test[member], baseline_acted[member], settings),
            }
    return groups


def evaluate(model: TrainedModel, split: Split, settings: Settings) -> EvaluationReport:
    """The evaluation report that later stages (gates, model card) read."""
    y_test = split.test[settings.target].to_numpy()
    scores = training.scores(model, split.test)
    threshold = model.metadata["threshold"]
    model_acted, baseline_acted = scores >= threshold, baseline.decide(split.test, settings)
    model_result: ModelDecisions = {
        **decision_metrics(y_test, model_acted, settings),
        "roc_auc": metrics.roc_auc_score(y_test, scores),
        "brier": metrics.brier_score_loss(y_test, scores),
    }
    baseline_result: BaselineDecisions = {
        "rule": baseline.describe(settings),
        **decision_metrics(y_test, baseline_acted, settings),
    }
    model_cost = model_result["expected_cost_per_decision"]
    baseline_cost = baseline_result["expected_cost_per_decision"]
    b = settings.business
    return {
        "evaluated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_sha256": model.metadata["data_sha256"],
        "model_trained_at": model.metadata["trained_at"],
        "held_out_rows": len(y_test),
        "positive_rate": float(np.mean(y_test)),
        "threshold": threshold,
        "threshold_chosen_on": "validation",
        "currency": b.currency,
        "model": model_result,
        "baseline": baseline_result,
        "business": {
            "decision": b.decision,
            "saving_per_decision": baseline_cost - model_cost,
            "relative_saving": (baseline_cost - model_cost) / baseline_cost
            if baseline_cost
            else 0.0,
            "beats_baseline": model_cost < baseline_cost,
            "kpi_name": b.kpi_name,
            "kpi_unit": b.kpi_unit,
            "kpi_baseline": b.kpi_baseline,
            "kpi_target": b.kpi_target,
            "kpi_projected": business.projected_kpi(model_cost, baseline_cost, b),
        },
        "groups": group_metrics(split.test, model_acted, baseline_acted, settings),
        "explanation": explain(model, split.test, settings),
        "cost_curve": {
            "thresholds": business.THRESHOLDS.tolist(),
            "expected_cost": business.cost_curve(y_test, scores, b).tolist(),
        },
    }
