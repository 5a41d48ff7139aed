"""Where validation, training and batch scoring run.

An engine is a module of this package whose name has no underscore (its helpers have one):
``local.py`` runs on this machine (pandas, scikit-learn), and a project rendered for a cluster
has one more. Every engine offers the same names (``SPLIT``, ``validation``, ``fit_data``,
``held_out``, ``predict_files``); the command line picks one with ``--engine``. Evaluation,
the business metric, the registry, the gates and governance are the same for all of them.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from ..config import Settings
    from ..data.report_types import ValidationReport
    from ..data.tables import Split
    from ..lifecycle.registry import Loaded
    from ..model.train import TrainedModel


class Engine(Protocol):
    """What every engine module offers (its callers are typed by it)."""

    SPLIT: str  # recorded with each model: evaluate on the split it was trained beside

    def validation(self, settings: Settings) -> ValidationReport: ...

    def held_out(self, settings: Settings) -> Split: ...

    def fit_data(self, settings: Settings, /) -> tuple[Split, TrainedModel]: ...  # a train.Fit

    def predict_files(
        self, settings: Settings, champion: Loaded, source: Path, output: Path, rejects: Path
    ) -> tuple[int, int]: ...


def available() -> tuple[str, ...]:
    """The engines this project has, ``local`` first."""
    found = sorted(m.name for m in pkgutil.iter_modules(__path__) if "_" not in m.name)
    return tuple(sorted(found, key=lambda name: name != "local"))


def get(name: str = "local") -> Engine:
    """The engine module called ``name`` (one of ``available()``)."""
    return cast("Engine", importlib.import_module(f"{__name__}.{name}"))


if TYPE_CHECKING:  # mypy checks that the local engine offers every name of Engine
    from . import local

    _checked: Engine = local
