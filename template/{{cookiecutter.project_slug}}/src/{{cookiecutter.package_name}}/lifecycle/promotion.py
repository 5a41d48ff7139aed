"""Champion and challenger: retrain, promote, roll back and smoke-test registered models.

The ``champion`` alias moves only after the target version's files, trusted types and a smoke
prediction were checked (and, for a promotion, the margin on the business metric): a check that
fails leaves the champion and the audit log as they were.

A move is serialised and atomic. Every promote, rollback and retrain holds the registry lock
(``champion_lock.py``) and first repairs an interrupted move. The move then

1. records its intent (the audit entry it will write) as the registered model's tag
   ``move_in_progress``;
2. sets ``previous_champion`` on the target (a promotion), before the alias moves, so the way
   back is never lost;
3. moves the alias only if the champion is still the version the command read when it began
   (compare and set), else refuses and changes nothing;
4. appends the audit entry to governance/audit-log.jsonl and its copy to the registry;
5. removes the intent.

After a crash at any step the next promote, rollback or retrain finds the intent: if the alias
had moved it completes the audit, otherwise it restores the target's ``previous_champion`` and
discards the intent, and says which it did. ``PHASEGATE_FAIL_AT=<step>`` (one of ``STEPS``)
stops a move right after that step, as a crash would: the tests' kill-at-each-step drill.
"""

from __future__ import annotations

import json
import os
import sys
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
from ..operate import alerts
from . import audit
from .champion_lock import locked
from .registry import Loaded, load, register
from .registry_client import CHALLENGER, CHAMPION, Registry, connect

PREVIOUS_TAG = "previous_champion"  # set on a version when it replaces a champion
INTENT_TAG = audit.INTENT_TAG  # on the registered model while a move is under way
FAIL_AT = "PHASEGATE_FAIL_AT"  # fault injection: the step after which a move stops
STEPS = ("intent", "previous-tag", "alias", "audit-file", "audit-tag")
TAG_LIMIT = 5000  # characters MLflow keeps of a tag's value
SCORE = "score"
SMOKE_ROWS = 5


class LifecycleError(ValueError):
    """A promotion or rollback that must not happen (the reason says why)."""


class SimulatedCrash(BaseException):  # a crash, not an error a caller handles
    """Raised after the step named by PHASEGATE_FAIL_AT; nothing catches it, as with a kill."""


def _step_done(step: str) -> None:
    if os.environ.get(FAIL_AT) == step:
        raise SimulatedCrash(f"{FAIL_AT}={step}: stopped right after the {step} step")


@dataclass(frozen=True)
class Decision:
    promote: bool
    reason: str
    challenger_cost: float
    champion_cost: float | None


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
    """Why the last monitoring run of the current data file, or the last alerts (a performance
    threshold), block promotion, or None."""
    path, data = settings.reports_dir / "monitoring.json", settings.data_path
    result = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    same = data.is_file() and result.get("data_sha256") == sha256(data)
    return (result.get("blocks_promotion") if same else None) or alerts.blocks(settings)


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


def reference(model: training.TrainedModel, split: Split, settings: Settings) -> pd.DataFrame:
    """The training features and their scores: what monitoring compares recent data with."""
    x_train: pd.DataFrame = split.train[model.metadata["features"]]
    return x_train.assign(**{SCORE: scores(model, x_train)})


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
            _move(registry, settings, target, "promote", decision.reason, current)
        else:
            details = {"challenger": str(version.version)}
            _record(registry, settings, "keep-champion", current, current, decision.reason, details)
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
        _move(registry, settings, target, "promote", f"{reason} ({decision.reason})", expected)
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
        _move(registry, settings, target, "rollback", reason, str(current.version))
    return to


def _move(
    registry: Registry,
    settings: Settings,
    target: Loaded,
    action: str,
    reason: str,
    expected: str | None,
) -> None:
    """Point the champion alias at ``target`` (already checked) if the champion is still
    ``expected``, and record who did it and why (see the module's docstring for the steps)."""
    current = registry.version(CHAMPION)
    before = str(current.version) if current else None
    if before != expected:
        raise LifecycleError(
            f"the champion changed from version {expected or 'none'} to {before or 'none'} "
            f"while this {action} ran: nothing was changed; check the new champion, then run it "
            "again"
        )
    record = audit.entry(action, before, target.number, reason)
    intent = {
        "record": record,
        "previous_before": target.version.tags.get(PREVIOUS_TAG),
        "set_previous": action == "promote" and before is not None,
    }
    if len(json.dumps(intent)) > TAG_LIMIT:
        raise LifecycleError(f"the reason is too long for the registry ({len(reason)} characters)")
    registry.tag(None, {INTENT_TAG: intent})
    _step_done("intent")
    if intent["set_previous"]:
        registry.tag(target.version, {PREVIOUS_TAG: before})
    _step_done("previous-tag")
    registry.point(CHAMPION, target.version)
    _step_done("alias")
    try:
        _complete(registry, settings, intent)
    except (ValueError, OSError) as error:
        raise LifecycleError(
            f"version {target.number} is the champion now, but its audit entry could not be "
            f"completed ({error}): the next promote, rollback or retrain completes it"
        ) from error


def _complete(registry: Registry, settings: Settings, intent: dict) -> None:
    """Write the intended audit entry (unless already written) and its copy, then drop the
    intent."""
    record = intent["record"]
    written = next(
        (
            e
            for e in audit.read(settings.audit_log)
            if {k: v for k, v in e.items() if k != audit.CHAIN} == record
        ),
        None,
    )
    written = written or audit.append(settings.audit_log, record)
    _step_done("audit-file")
    registry.tag(None, {audit.tag_key(written): written})
    _step_done("audit-tag")
    registry.untag(None, INTENT_TAG)


def repair(registry: Registry, settings: Settings) -> str | None:
    """Finish or undo a move a crash interrupted (its intent tag); says what it did."""
    raw = registry.tags().get(INTENT_TAG)
    if raw is None:
        return None
    try:
        intent = json.loads(raw)
        record, target = intent["record"], intent["record"]["to_version"]
    except (ValueError, KeyError, TypeError):
        registry.untag(None, INTENT_TAG)
        return _said(f"repaired: an unreadable {INTENT_TAG} tag was removed: {raw[:200]!r}")
    current = registry.version(CHAMPION)
    now = str(current.version) if current else None
    what = f"the interrupted {record['action']} of version {target} (started {record['when']})"
    if now == target:
        _complete(registry, settings, intent)
        return _said(f"repaired: {what} had moved the champion; its audit entry is complete now")
    if intent.get("set_previous"):
        version = registry.version(target)
        if intent.get("previous_before") is None:
            registry.untag(version, PREVIOUS_TAG)
        else:
            registry.tag(version, {PREVIOUS_TAG: intent["previous_before"]})
    registry.untag(None, INTENT_TAG)
    return _said(f"repaired: {what} never moved the champion (version {now}); nothing was kept")


def _said(message: str) -> str:
    print(message, file=sys.stderr)
    return message


def _record(
    registry: Registry,
    settings: Settings,
    action: str,
    from_version: str | None,
    to_version: str | None,
    reason: str,
    details: dict,
) -> None:
    record = audit.append(
        settings.audit_log, audit.entry(action, from_version, to_version, reason, **details)
    )
    registry.tag(None, {audit.tag_key(record): record})
