"""How the ``champion`` alias moves: serialised, atomic, audited, and repaired after a crash.

Every promote, rollback and retrain holds the lock of ``champion_lock.py`` and first repairs an
interrupted move (``repair``). A move (``move_champion``) then

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

from ..config import Settings
from . import audit
from .registry import Loaded
from .registry_client import CHAMPION, Registry

PREVIOUS_TAG = "previous_champion"  # set on a version when it replaces a champion
INTENT_TAG = audit.INTENT_TAG  # on the registered model while a move is under way
FAIL_AT = "PHASEGATE_FAIL_AT"  # fault injection: the step after which a move stops
STEPS = ("intent", "previous-tag", "alias", "audit-file", "audit-tag")
TAG_LIMIT = 5000  # characters MLflow keeps of a tag's value


class LifecycleError(ValueError):
    """A promotion or rollback that must not happen (the reason says why)."""


class SimulatedCrash(BaseException):  # a crash, not an error a caller handles
    """Raised after the step named by PHASEGATE_FAIL_AT; nothing catches it, as with a kill."""


def _step_done(step: str) -> None:
    if os.environ.get(FAIL_AT) == step:
        raise SimulatedCrash(f"{FAIL_AT}={step}: stopped right after the {step} step")


def move_champion(
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


def record_decision(
    registry: Registry,
    settings: Settings,
    action: str,
    from_version: str | None,
    to_version: str | None,
    reason: str,
    details: dict,
) -> None:
    """An audit entry (and its registry copy) for a decision that moved no alias."""
    record = audit.append(
        settings.audit_log, audit.entry(action, from_version, to_version, reason, **details)
    )
    registry.tag(None, {audit.tag_key(record): record})
