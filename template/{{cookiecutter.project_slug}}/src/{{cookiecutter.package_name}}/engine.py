"""Where validation, training and batch scoring run: this machine (pandas, scikit-learn)
{%- if cookiecutter.compute == "spark" %} or
Spark (``--engine spark``: spark_engine.py, spark_train.py, spark_predict.py){% endif %}.

Every engine module offers the same functions; the command line picks one by name. Evaluation,
the business metric, the registry, the gates and governance are the same for all of them.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from . import data
from .config import Settings

if TYPE_CHECKING:
    from .registry import Loaded
    from .train import TrainedModel

ENGINES = ("local",{% if cookiecutter.compute == "spark" %} "spark"{% endif %})
SPLIT = "local"  # recorded with each model: evaluate on the split it was trained beside

held_out = data.held_out


def fit_data(settings: Settings) -> tuple[data.Split, TrainedModel]:
    """The data file validated and split, and a model fitted on it (scikit-learn, imported
    here: validation alone does not need it)."""
    from . import train

    return train.fit_data(settings)


def get(name: str = "local") -> ModuleType:
    """The engine module called ``name`` (one of ENGINES)."""
    if name == "local":
        return sys.modules[__name__]
    return importlib.import_module(f"{__package__}.{name}_engine")


def validation(settings: Settings) -> dict:
    """The validation report of the data file (``passed`` says whether it may be used)."""
    return data.validate(data.read(settings.data_path), settings)[1]


def predict_files(
    settings: Settings, champion: Loaded, source: Path, output: Path, rejects: Path
) -> tuple[int, int]:
    """Score ``source`` into ``output`` and the rows the schema refuses into ``rejects``;
    returns how many rows went to each."""
    from . import predict

    frame = data.read(source)
    if frame.empty:
        raise data.DataError(f"{source} has no rows to predict: {output} was left as it was")
    result = predict.predict(champion, frame, settings.contract)
    data.write(result.predictions, output)
    if len(result.rejects):
        data.write(result.rejects, rejects)
    return len(result.predictions), len(result.rejects)
