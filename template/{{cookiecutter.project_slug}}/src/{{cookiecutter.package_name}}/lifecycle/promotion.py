"""Champion and challenger: the verbs retrain, promote and roll back.

The ``champion`` alias moves only after the target version's files, trusted types and a smoke
prediction were checked (and, for a promotion, the margin on the business metric:
``challenger_checks.py``): a check that fails leaves the champion and the audit log as they
were. Each verb holds the lock of ``champion_lock.py``, first repairs a move a crash
interrupted, and moves the alias by the compare-and-set protocol of ``champion_moves.py``.
"""

from __future__ import annotations

import pandas as pd

from ..config import Settings
from ..data import tables
from ..data.tables import Split
from ..model import train as training
from ..model.evaluate import evaluate
from .challenger_checks import Decision, judge, smoke
from .champion_lock import locked
from .champion_moves import PREVIOUS_TAG, LifecycleError, move_champion, record_decision, repair
from .registry import load, register
from .registry_client import CHALLENGER, CHAMPION, connect

SCORE = "score"  # the column of the reference's scores, which monitoring compares


def reference(model: training.TrainedModel, split: Split, settings: Settings) -> pd.DataFrame:
    """The training features and their scores: what monitoring compares recent data with."""
    x_train: pd.DataFrame = split.train[model.metadata["features"]]
    return x_train.assign(**{SCORE: training.scores(model, x_train)})


def retrain(
    settings: Settings, promote: bool = True, fit: training.Fit = training.fit_data
) -> tuple[str, Decision]:
    """Validate, train and register a challenger (``fit``: the data's split and a model);
    promote it if it beats the champion."""
    split, challenger = fit(settings)
    smoke(challenger, settings)
    registry = connect(settings)
    with locked(settings):
        repair(registry, settings)
        champion = load(registry, CHAMPION) if registry.version(CHAMPION) else None
        evaluation = evaluate(challenger, split, settings)  # kept with the version (model card)
        decision = judge(challenger, champion, split.test, evaluation, settings)
        version = register(
            registry, settings, challenger, reference(challenger, split, settings), evaluation
        )
        registry.point(CHALLENGER, version)
        registry.tag(version, {"expected_cost_per_decision": decision.challenger_cost})
        if not promote:
            return str(version.version), decision
        registry.tag(version, {"promotion": decision.reason})
        current = champion.number if champion else None
        if decision.promote:
            target = load(registry, str(version.version))
            move_champion(registry, settings, target, "promote", decision.reason, current)
        else:
            details = {"challenger": str(version.version)}
            record_decision(
                registry, settings, "keep-champion", current, current, decision.reason, details
            )
    return str(version.version), decision


def promote(settings: Settings, reason: str, version: str | None = None) -> Decision:
    """The challenger (or ``version``) becomes champion if it passes every check."""
    registry = connect(settings)
    with locked(settings):
        repair(registry, settings)
        current = registry.version(CHAMPION)
        expected = str(current.version) if current else None
        target = load(registry, version or CHALLENGER)
        smoke(target.model, settings)
        if expected == target.number:
            raise LifecycleError(f"version {expected} is already the champion")
        split = tables.held_out(settings)
        champion = load(registry, expected) if expected else None
        decision = judge(target.model, champion, split.test, None, settings, split)
        if not decision.promote:
            raise LifecycleError(f"version {target.number} not promoted: {decision.reason}")
        move_champion(
            registry, settings, target, "promote", f"{reason} ({decision.reason})", expected
        )
    return decision


def rollback(settings: Settings, reason: str, to: str | None = None) -> str:
    """The champion goes back to the version it replaced (or to ``to``); returns that version."""
    registry = connect(settings)
    with locked(settings):
        repair(registry, settings)
        current = registry.version(CHAMPION)
        if current is None:
            raise LifecycleError("there is no champion to roll back")
        to = to or current.tags.get(PREVIOUS_TAG)
        if not to:
            raise LifecycleError(
                f"version {current.version} replaced no champion: name one with --to"
            )
        if to == str(current.version):
            raise LifecycleError(f"version {to} is already the champion")
        target = load(registry, to)
        smoke(target.model, settings)
        move_champion(registry, settings, target, "rollback", reason, str(current.version))
    return to
