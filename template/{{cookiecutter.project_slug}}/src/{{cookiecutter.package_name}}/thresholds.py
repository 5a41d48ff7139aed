"""Thresholds tied to an action and to the people told when one is crossed.

Drift thresholds (``[tool.phasegate.monitoring] thresholds``) and performance thresholds
(``[tool.phasegate.operate] thresholds``) share one form::

    { metric = "saving_per_decision", below = 0, action = "rollback", notify = ["@ml-owner"] }

``above`` or ``below`` (one of them), ``action`` one of ACTIONS, ``notify`` the people or teams
told (GitHub or GitLab handles, e-mail addresses); without ``notify``, every owner named in
CODEOWNERS is told. Standard library only: the gate and ``alerts`` read these.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Action(StrEnum):
    """What crossing a threshold asks for, least to most serious; also the status of a
    monitoring run and of the alerts (the most serious action crossed, ``ok`` for none). The
    reports hold the plain strings (a StrEnum member is its value)."""

    OK = "ok"  # nothing crossed: not an action a threshold may name
    WARN = "warn"  # reported, an issue for the people named
    RETRAIN = "retrain"  # CI starts a retraining
    ROLLBACK = "rollback"  # CI moves the champion back to the version it replaced
    BLOCK = "block"  # promotions are refused until the figure is fine again


ACTIONS = tuple(action for action in Action if action is not Action.OK)  # a threshold's
NEEDS_ACTION = frozenset({Action.RETRAIN, Action.ROLLBACK, Action.BLOCK})  # exit code 4
KEYS = ("metric", "above", "below", "action", "notify")
CODEOWNERS = ("CODEOWNERS", ".github/CODEOWNERS", ".gitlab/CODEOWNERS", "docs/CODEOWNERS")


@dataclass(frozen=True)
class Threshold:
    metric: str  # a figure of the monitoring or the performance report
    action: Action  # one of ACTIONS
    above: float = math.inf  # crossed when the figure is above this...
    below: float = -math.inf  # ...or below this
    notify: tuple[str, ...] = ()  # who is told: handles (@name, @group/team) or e-mails

    def crossed(self, value: float) -> bool:
        return value > self.above or value < self.below

    @property
    def limit(self) -> str:
        """``above 0.25`` or ``below 0``, as the reports and issue titles say it."""
        return f"above {self.above:g}" if math.isfinite(self.above) else f"below {self.below:g}"


def owners(root: Path) -> tuple[str, ...]:
    """Every owner CODEOWNERS names (first file found), in order, each once."""
    for name in CODEOWNERS:
        path = root / name
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            rules = [line.split()[1:] for line in lines if line.strip() and line[0] != "#"]
            return tuple(dict.fromkeys(owner for rule in rules for owner in rule))
    return ()


def parse(
    entries: object, default_notify: tuple[str, ...], where: str = "operate"
) -> tuple[Threshold, ...]:
    """A table's ``thresholds``, checked (a ValueError names the table); drift thresholds
    ([tool.phasegate.monitoring]) are crossed above their limit only."""
    above_only = where == "monitoring"
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"{where} thresholds must be a list of tables (metric, action, limit)")
    found = []
    for entry in entries:
        if unknown := sorted(entry.keys() - KEYS):
            raise ValueError(f"{where} threshold keys {unknown} unknown: use {', '.join(KEYS)}")
        limits = {"above", "below"} & entry.keys()
        if len(limits) != 1 or (above_only and limits != {"above"}):
            need = "`above`" if above_only else "one of `above` or `below`"
            raise ValueError(f"{where} threshold {entry.get('metric')!r} needs {need}")
        if entry.get("action") not in ACTIONS:
            raise ValueError(
                f"{where} action {entry.get('action')!r} unknown: use {', '.join(ACTIONS)}"
            )
        notify = entry.get("notify", list(default_notify))
        if not isinstance(notify, list) or not all(isinstance(n, str) and n for n in notify):
            raise ValueError(f"{where} threshold {entry['metric']!r}: notify must list names")
        bound = {name: float(entry[name]) for name in limits}
        found.append(
            Threshold(str(entry["metric"]), Action(entry["action"]), **bound, notify=tuple(notify))
        )
    return tuple(found)


def most_serious(actions: Iterable[str]) -> Action | None:
    """The most serious of ``actions`` (None for none; a name not of Action: ValueError)."""
    return max((Action(action) for action in actions), key=list(Action).index, default=None)
