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

import json

from ..config import Settings
from ..data.tables import Split, held_out
from ..digest import sha256
from . import business, candidates, train
from .evaluate import evaluate
from .report_types import EvaluationReport, Leaderboard, LeaderboardEntry
from .simplicity import recommend

LEADERBOARD = "leaderboard"
CHART = "leaderboard.png"


def validation_cost(model: train.TrainedModel, split: Split, settings: Settings) -> float:
    y = split.validation[settings.target].to_numpy()
    acted = train.scores(model, split.validation) >= model.metadata["threshold"]
    return business.expected_cost(y, acted, settings.business)


Fitted = tuple[train.TrainedModel, EvaluationReport]  # a family's best model, its evaluation


def best_of(
    family: candidates.Family, split: Split, settings: Settings, sha: str
) -> tuple[LeaderboardEntry, Fitted]:
    """The family's best hyperparameters on validation, evaluated on the held-out rows."""
    tried = []
    for params in family.search:
        model = candidates.fit(settings, split, sha, family.name, params)
        tried.append((validation_cost(model, split, settings), params, model))
    cost, params, model = min(tried, key=lambda t: t[0])  # the first of equals: the simplest
    report = evaluate(model, split, settings)
    result, base = report["model"], report["baseline"]
    entry: LeaderboardEntry = {
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
    return entry, (model, report)


def run(settings: Settings, families: list[str] | None = None) -> tuple[Leaderboard, list[Fitted]]:
    """The leaderboard (every family's best candidate and the recommendation) and the
    candidates' models with their evaluation reports, in the leaderboard's order: all on the
    validated data file's fixed split, the board naming the file's hash."""
    split, sha = held_out(settings), sha256(settings.data_path)
    chosen = [candidates.family(n) for n in families] if families else candidates.FAMILIES
    entries, fitted = zip(
        *(best_of(family, split, settings, sha) for family in chosen), strict=True
    )
    name, reason = recommend(entries, settings.registry.promotion_margin)
    board: Leaderboard = {
        "data_sha256": sha,
        "contract": settings.contract.fingerprint(),
        "seed": settings.seed,
        "held_out_rows": len(split.test),
        "currency": settings.business.currency,
        "margin": settings.registry.promotion_margin,
        "candidates": list(entries),
        "recommended": name,
        "reason": reason,
    }
    return board, list(fitted)


def markdown(board: Leaderboard) -> list[str]:
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


def chosen(settings: Settings, name: str | None) -> LeaderboardEntry:
    """The leaderboard's entry for ``name`` (None: the recommended one), refused unless the
    leaderboard was made on the current data file and contract."""
    path = settings.data_reports_dir / f"{LEADERBOARD}.json"
    if not path.is_file():
        raise ValueError(f"no leaderboard in {path}: run `nox -s experiment` first")
    board: Leaderboard = json.loads(path.read_text(encoding="utf-8"))
    entries = {entry["family"]: entry for entry in board["candidates"]}
    if (name := name or board["recommended"]) not in entries:
        known = ", ".join(entries)
        raise ValueError(f"{name!r} is not on the leaderboard {path}: the candidates are {known}")
    if (board["data_sha256"], board["contract"]) != (
        sha256(settings.data_path),
        settings.contract.fingerprint(),
    ):
        raise ValueError(
            f"{path} was made on another data file or contract: run the experiment again"
        )
    return entries[name].copy()


def fit_chosen(entry: LeaderboardEntry) -> train.Fit:
    """A training engine for retrain: the entry's family with its hyperparameters, refused
    unless it reproduces the threshold the leaderboard chose for it."""

    def fit(settings: Settings) -> tuple[Split, train.TrainedModel]:
        split = held_out(settings)
        sha, family = sha256(settings.data_path), entry["family"]
        model = candidates.fit(settings, split, sha, family, entry["params"])
        if model.metadata["threshold"] != entry["threshold"]:
            raise train.ModelError(
                f"{family} chose threshold {model.metadata['threshold']} on retraining, not the "
                f"leaderboard's {entry['threshold']}: run the experiment again"
            )
        return split, model

    return fit


def track(settings: Settings, board: Leaderboard, fitted: list[Fitted]) -> list[str]:
    """Every candidate as a run of its own in MLflow tracking (experiment ``<model>-experiments``,
    lifecycle/tracking.py): parameters, metrics and reports. The run ids."""
    from ..lifecycle import tracking

    where, ids = f"{settings.registry.model_name}-experiments", []
    for entry, (model, report) in zip(board["candidates"], fitted, strict=True):
        tags = {"recommended": str(entry["family"] == board["recommended"])}
        ids.append(tracking.log(settings, model, report, entry["family"], where, tags=tags))
    return ids
