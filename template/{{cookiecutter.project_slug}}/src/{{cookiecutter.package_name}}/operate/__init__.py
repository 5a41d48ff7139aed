"""Operating on evidence: the prediction log (``prediction_log.py``), realized outcomes joined
to it (``outcomes.py``), outcomes simulated for a rehearsal (``simulate.py``), performance on
those outcomes (``performance.py``) and alerts from crossed thresholds (``alerts.py``).

Settings come from ``[tool.phasegate.operate]`` (``Operate.from_table``); this module needs
the standard library only, so that reading the configuration stays light.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..thresholds import Threshold, parse


@dataclass(frozen=True)
class Operate:
    """Where predictions and outcomes are kept (absolute paths: shared storage may be used)."""

    prediction_log: Path = Path("operate/predictions")
    outcomes_store: Path = Path("operate/outcomes")
    late_after_days: int = 90  # an outcome arriving later than this after scoring is late
    run_cost_per_month: float = 0.0  # `performance` weighs the saving against it (0: no ROI)
    window_days: int = 30  # `performance`: the predictions of the last so many days
    min_group_rows: int = 20  # a sensitive group with fewer outcomes is shown without figures
    thresholds: tuple[Threshold, ...] = ()  # on figures of reports/performance.json

    @classmethod
    def from_table(cls, table: dict, root: Path, notify: tuple[str, ...] = ()) -> Operate:
        """``[tool.phasegate.operate]``; relative locations are relative to the project's root;
        ``notify``: who is told of a crossed threshold that names nobody."""
        late = table.get("late_after_days", cls.late_after_days)
        if isinstance(late, bool) or not isinstance(late, int) or late < 1:
            raise ValueError("operate late_after_days must be a whole number of days, at least 1")
        log, store = (
            Path(str(table.get(key, getattr(cls, key))))
            for key in ("prediction_log", "outcomes_store")
        )
        # an absolute path stays as it is
        thresholds = parse(table.get("thresholds", []), notify)
        return cls(root / log, root / store, late, **_performance(table), thresholds=thresholds)


def _performance(table: dict) -> dict:
    """The keys `performance` reads: a cost of 0 or more, whole numbers of at least 1."""
    cost = table.get("run_cost_per_month", Operate.run_cost_per_month)
    if isinstance(cost, bool) or not isinstance(cost, int | float) or cost < 0:
        raise ValueError("operate run_cost_per_month must be a number, 0 or more")
    found: dict = {"run_cost_per_month": float(cost)}
    for key in ("window_days", "min_group_rows"):
        value = table.get(key, getattr(Operate, key))
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"operate {key} must be a whole number, at least 1")
        found[key] = value
    return found
