"""The local engine: validation, training and scoring on this machine (pandas, scikit-learn)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from ..data import tables
from ..data.report_types import ValidationReport

if TYPE_CHECKING:
    from ..lifecycle.registry import Loaded
    from ..model.train import TrainedModel

SPLIT = "local"  # recorded with each model: evaluate on the split it was trained beside

held_out = tables.held_out


def fit_data(settings: Settings) -> tuple[tables.Split, TrainedModel]:
    """The data file validated and split, and a model fitted on it (scikit-learn, imported
    here: validation alone does not need it)."""
    from ..model import train

    return train.fit_data(settings)


def validation(settings: Settings) -> ValidationReport:
    """The validation report of the data file (``passed`` says whether it may be used)."""
    return tables.validate(tables.read(settings.data_path), settings)[1]


def predict_files(
    settings: Settings, champion: Loaded, source: Path, output: Path, rejects: Path
) -> tuple[int, int]:
    """Score ``source`` into ``output`` and the rows the schema refuses into ``rejects``;
    returns how many rows went to each."""
    from ..model import predict
    from ..operate import prediction_log

    frame = tables.read(source)
    if frame.empty:
        raise tables.DataError(f"{source} has no rows to predict: {output} was left as it was")
    result = predict.predict(champion, frame, settings.contract)
    threshold = champion.model.metadata["threshold"]
    log = prediction_log.entries(result.predictions, settings, threshold)
    tables.write(result.predictions, output)
    prediction_log.append(log, settings.operate.prediction_log)
    if len(result.rejects):
        tables.write(result.rejects, rejects)
    return len(result.predictions), len(result.rejects)
