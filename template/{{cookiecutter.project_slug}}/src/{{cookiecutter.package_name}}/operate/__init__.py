"""Operating on evidence: the prediction log (``prediction_log.py``), realized outcomes joined
to it (``outcomes.py``) and outcomes simulated for a rehearsal (``simulate.py``).

Settings come from ``[tool.phasegate.operate]`` (``Operate.from_table``); this module needs
the standard library only, so that reading the configuration stays light.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Operate:
    """Where predictions and outcomes are kept (absolute paths: shared storage may be used)."""

    prediction_log: Path = Path("operate/predictions")
    outcomes_store: Path = Path("operate/outcomes")
    late_after_days: int = 90  # an outcome arriving later than this after scoring is late

    @classmethod
    def from_table(cls, table: dict, root: Path) -> Operate:
        """``[tool.phasegate.operate]``; relative locations are relative to the project's root."""
        late = table.get("late_after_days", cls.late_after_days)
        if isinstance(late, bool) or not isinstance(late, int) or late < 1:
            raise ValueError("operate late_after_days must be a whole number of days, at least 1")
        log, store = (
            Path(str(table.get(key, getattr(cls, key))))
            for key in ("prediction_log", "outcomes_store")
        )
        return cls(root / log, root / store, late)  # an absolute path stays as it is
