"""Champion and challenger: retrain, promote, roll back and smoke-test registered models.

The ``champion`` alias moves only as the last step, after the target version's hash,
trusted types and a smoke prediction were checked (and, for a promotion, the margin on the
business metric): a step that fails leaves the champion and the audit log as they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Settings
from ..data import tables
from ..data.tables import Split
from ..digest import sha256
from ..model import business
from ..model import train as training
from ..model.evaluate import evaluate
from . import audit
from .registry import CHALLENGER, CHAMPION, Loaded, Registry, connect, load, register

PREVIOUS_TAG = "previous_champion"  # set on a version when it replaces a champion
SCORE = "score"
SMOKE_ROWS = 5


class LifecycleError(ValueError):
    """A promotion or rollback that must not happen (the reason says why)."""


@dataclass(frozen=True)
class Decision:
    promote: bool
    reason: str
    challenger_cost: float
    champion_cost: float | None


held_out = tables.held_out
scores = training.scores


def expected_cost(model: training.TrainedModel, frame: pd.DataFrame, settings: Settings) -> float:
    """The business metric of the model's decisions on ``frame`` (with the target column)."""
    acted = scores(model, frame) >= model.metadata["threshold"]
    return business.expected_cost(frame[settings.target], acted, settings.business)


def smoke(model: training.TrainedModel, settings: Settings) -> np.ndarray:
    """Scores for the first rows of the data file; raises unless they are probabilities."""
    frame = tables.read(settings.data_path).head(SMOKE_ROWS)
    result = scores(model, frame)
    if result.shape != (len(frame),) or not np.all((result >= 0) & (result <= 1)):
        raise training.ModelError(f"smoke prediction returned {result!r}, not probabilities")
    return result


def blocked(settings: Settings) -> str | None:
    """Why the last monitoring run of the current data file blocks promotion, or None."""
    path = settings.reports_dir / "monitoring.json"
    if not path.is_file() or not settings.data_path.is_file():
        return None
    result = json.loads(path.read_text(encoding="utf-8"))
    if result.get("data_sha256") != sha256(settings.data_path):
        return None
    return result.get("blocks_promotion") or None


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
    evaluation: dict | None,
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
    evaluation = evaluation or evaluate(model, split, settings)
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


def reference(model: training.TrainedModel, split: Split, settings: Settings) -> pd.DataFrame:
    """The training features and their scores: what monitoring compares recent data with."""
    x_train = split.train[model.metadata["features"]]
    return x_train.assign(**{SCORE: scores(model, x_train)})


def retrain(
    settings: Settings, promote: bool = True, fit: training.Fit = training.fit_data
) -> tuple[str, Decision]:
    """Validate, train and register a challenger (``fit``: the data's split and a model);
    promote it if it beats the champion."""
    split, challenger = fit(settings)
    smoke(challenger, settings)
    registry = connect(settings)
    champion = load(registry, CHAMPION) if registry.version(CHAMPION) else None
    evaluation = evaluate(challenger, split, settings)  # kept with the version for the model card
    decision = judge(challenger, champion, split.test, evaluation, settings)
    version = register(
        registry, settings, challenger, reference(challenger, split, settings), evaluation
    )
    registry.point(CHALLENGER, version)
    registry.tag(version, {"expected_cost_per_decision": decision.challenger_cost})
    if not promote:
        return str(version.version), decision
    registry.tag(version, {"promotion": decision.reason})
    if decision.promote:
        _move(registry, settings, load(registry, str(version.version)), "promote", decision.reason)
    else:
        current = champion.number if champion else None
        details = {"challenger": str(version.version)}
        _record(registry, settings, "keep-champion", current, current, decision.reason, details)
    return str(version.version), decision


def promote(settings: Settings, reason: str, version: str | None = None) -> Decision:
    """The challenger (or ``version``) becomes champion if it passes every check."""
    registry = connect(settings)
    target = load(registry, version or CHALLENGER)
    smoke(target.model, settings)
    current = registry.version(CHAMPION)
    if current and str(current.version) == target.number:
        raise LifecycleError(f"version {current.version} is already the champion")
    split = held_out(settings)
    champion = load(registry, CHAMPION) if current else None
    decision = judge(target.model, champion, split.test, None, settings, split)
    if not decision.promote:
        raise LifecycleError(f"version {target.number} not promoted: {decision.reason}")
    _move(registry, settings, target, "promote", f"{reason} ({decision.reason})")
    return decision


def rollback(settings: Settings, reason: str, to: str | None = None) -> str:
    """The champion goes back to the version it replaced (or to ``to``); returns that version."""
    registry = connect(settings)
    current = registry.version(CHAMPION)
    if current is None:
        raise LifecycleError("there is no champion to roll back")
    to = to or current.tags.get(PREVIOUS_TAG)
    if not to:
        raise LifecycleError(f"version {current.version} replaced no champion: name one with --to")
    if to == str(current.version):
        raise LifecycleError(f"version {to} is already the champion")
    target = load(registry, to)
    smoke(target.model, settings)
    _move(registry, settings, target, "rollback", reason)
    return to


def _move(registry: Registry, settings: Settings, target: Loaded, action: str, reason: str) -> None:
    """Point the champion alias at ``target`` (already checked) and record who did it and why."""
    current = registry.version(CHAMPION)
    registry.point(CHAMPION, target.version)
    if action == "promote" and current:
        registry.tag(target.version, {PREVIOUS_TAG: str(current.version)})
    before = str(current.version) if current else None
    _record(registry, settings, action, before, target.number, reason, {})


def _record(
    registry: Registry,
    settings: Settings,
    action: str,
    from_version: str | None,
    to_version: str | None,
    reason: str,
    details: dict,
) -> None:
    record = audit.entry(action, from_version, to_version, reason, **details)
    audit.append(settings.audit_log, record)
    registry.tag(None, {audit.tag_key(record): record})
