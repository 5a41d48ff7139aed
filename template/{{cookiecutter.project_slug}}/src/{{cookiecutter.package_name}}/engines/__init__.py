"""Where validation, training and batch scoring run.

``local.py`` runs on this machine (pandas, scikit-learn); a project rendered with
``compute: spark`` also has ``spark.py`` (with ``spark_train.py`` and ``spark_predict.py``).
Every engine module offers the same names (``SPLIT``, ``validation``, ``fit_data``,
``held_out``, ``predict_files``); the command line picks one with ``--engine``. Evaluation,
the business metric, the registry, the gates and governance are the same for all of them.
Add an engine as one more module here that offers those names.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

KNOWN = ("local", "spark")


def available() -> tuple[str, ...]:
    """The engines this project has (a module of that name in this package)."""
    return tuple(name for name in KNOWN if importlib.util.find_spec(f"{__name__}.{name}"))


def get(name: str = "local") -> ModuleType:
    """The engine module called ``name`` (one of ``available()``)."""
    return importlib.import_module(f"{__name__}.{name}")
