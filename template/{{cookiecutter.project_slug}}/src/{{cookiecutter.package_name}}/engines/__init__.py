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
from types import ModuleType


def available() -> tuple[str, ...]:
    """The engines this project has, ``local`` first."""
    found = sorted(m.name for m in pkgutil.iter_modules(__path__) if "_" not in m.name)
    return tuple(sorted(found, key=lambda name: name != "local"))


def get(name: str = "local") -> ModuleType:
    """The engine module called ``name`` (one of ``available()``)."""
    return importlib.import_module(f"{__name__}.{name}")
