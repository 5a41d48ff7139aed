"""Continuous experimentation: every family of candidates.py over its search space, ranked on
the business metric on the same held-out rows; the simplest one that wins is recommended.

Each set of hyperparameters is fitted on the training rows and gets its cost-minimising
threshold on the validation rows; the set with the lowest expected cost on validation stands
for its family. The families are then evaluated on the held-out test rows (evaluate.py, with the
baseline on the same rows). The simplest family is recommended unless a more complex one saves
at least the promotion margin ([tool.phasegate.registry] promotion_margin) of its expected
cost: the bar a challenger must clear to replace the champion.
"""

from __future__ import annotations

from typing import Any

from ..config import Settings
from ..data.tables import Split
from . import business, candidates, train
from .evaluate import evaluate
from .simplicity import recommend

LEADERBOARD = "leaderboard"
CHART = "leaderboard.png"
Entry = dict[str, Any]


def validation_cost(model: train.TrainedModel, split: Split, settings: Settings) -> float:
    y = split.validation[settings.target].to_numpy()
    acted = train.scores(model, split.validation) >= model.metadata["threshold"]
    return business.expected_cost(y, acted, settings.business)


def best_of(family: candidates.Family, split: Split, settings: Settings, sha: str) -> Entry:
    """The family's best hyperparameters on validation, evaluated on the held-out rows."""
    tried = []
    for params in family.search:
        model = candidates.fit(settings, split, sha, family.name, params)
        tried.append((validation_cost(model, split, settings), params, model))
    cost, params, model = min(tried, key=lambda t: t[0])  # the first of equals: the simplest
    report = evaluate(model, split, settings)
    result, base = report["model"], report["baseline"]
    return {
        "family": family.name,
        "complexity": family.complexity,
        "description": family.description,
        "params": params,
        "tried": len(tried),
        "threshold": model.metadata["threshold"],
        "validation_cost": cost,
        "expected_cost_per_decision": result["expected_cost_per_decision"],
        "baseline_cost_per_decision": base["expected_cost_per_decision"],
        "saving_per_decision": report["business"]["saving_per_decision"],
        "beats_baseline": report["business"]["beats_baseline"],
        "roc_auc": result["roc_auc"],
        "precision": result["precision"],
        "recall": result["recall"],
    }


def run(settings: Settings, split: Split, sha: str, families: list[str] | None = None) -> dict:
    """The leaderboard: every family's best candidate and the recommendation."""
    chosen = [candidates.family(n) for n in families] if families else candidates.FAMILIES
    entries = [best_of(family, split, settings, sha) for family in chosen]
    name, reason = recommend(entries, settings.registry.promotion_margin)
    return {
        "data_sha256": sha,
        "contract": settings.contract.fingerprint(),
        "seed": settings.seed,
        "held_out_rows": len(split.test),
        "currency": settings.business.currency,
        "margin": settings.registry.promotion_margin,
        "candidates": entries,
        "recommended": name,
        "reason": reason,
    }


def markdown(board: dict) -> list[str]:
    lines = [
        "# Experiment leaderboard",
        "",
        f"Recommended: **{board['recommended']}**. Why: {board['reason']}.",
        "",
        f"Expected cost per decision in {board['currency']} on the same {board['held_out_rows']}"
        " held-out rows; hyperparameters chosen and thresholds set on the validation rows.",
        "",
        "| Family | Complexity | Expected cost | Baseline | ROC AUC | Precision | Recall | "
        "Hyperparameters |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for e in sorted(board["candidates"], key=lambda e: e["expected_cost_per_decision"]):
        params = ", ".join(f"{k}={v}" for k, v in e["params"].items())
        lines.append(
            f"| {e['family']} | {e['complexity']} | {e['expected_cost_per_decision']:.4f} | "
            f"{e['baseline_cost_per_decision']:.4f} | {e['roc_auc']:.3f} | "
            f"{e['precision']:.3f} | {e['recall']:.3f} | {params} ({e['tried']} tried) |"
        )
    return lines


def track(settings: Settings, board: dict) -> list[str]:
    """Every candidate as a run of its own in MLflow tracking (experiment ``<model>-experiments``):
    its parameters and its metrics, comparable in the MLflow UI. The run ids."""
    from mlflow.entities import Metric, Param, RunTag

    from ..lifecycle import registry

    client = registry.connect(settings).client  # bounded calls, quiet logs, as every verb
    name = f"{settings.registry.model_name}-experiments"
    found = client.get_experiment_by_name(name)
    experiment = found.experiment_id if found else client.create_experiment(name)
    metrics = ("expected_cost_per_decision", "baseline_cost_per_decision", "roc_auc",
               "precision", "recall", "validation_cost", "threshold")  # fmt: skip
    ids = []
    for entry in board["candidates"]:
        run = client.create_run(experiment, run_name=entry["family"])
        params = {"family": entry["family"], "seed": board["seed"], **entry["params"]}
        params |= {"data_sha256": board["data_sha256"], "contract": board["contract"]}
        client.log_batch(
            run.info.run_id,
            metrics=[Metric(key, float(entry[key]), 0, 0) for key in metrics],
            params=[Param(key, str(value)) for key, value in params.items()],
            tags=[RunTag("recommended", str(entry["family"] == board["recommended"]))],
        )
        client.set_terminated(run.info.run_id)
        ids.append(run.info.run_id)
    return ids
