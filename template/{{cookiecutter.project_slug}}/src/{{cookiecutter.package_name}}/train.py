"""Train the simplest model that could work and store it in a format that cannot run code."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import skops.io
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from . import business
from .config import Settings
from .data import Split, features, held_out
from .digest import sha256

MODEL_FILE = "model.skops"
METADATA_FILE = "model.json"
# Types outside scikit-learn's own that this project's model may contain; skops
# refuses to load anything else. Review every addition: it can run code on load.
TRUSTED_TYPES: list[str] = []


class ModelError(ValueError):
    """No usable model: missing, tampered with, or containing untrusted types."""


@dataclass(frozen=True)
class TrainedModel:
    pipeline: Pipeline
    metadata: dict


def build(settings: Settings) -> Pipeline:
    """Scaled features into a logistic regression: explainable, fast, hard to beat."""
    return make_pipeline(
        StandardScaler(),
        LogisticRegression(max_iter=settings.max_iter, random_state=settings.seed),
    )


def fit(
    split: Split, settings: Settings, data_sha256: str, pipeline: Pipeline | None = None
) -> TrainedModel:
    """Fit on the training set (or take ``pipeline``, fitted elsewhere) and choose the
    cost-minimising threshold on validation data."""
    x_train, y_train = features(split.train, settings)
    x_val, y_val = features(split.validation, settings)
    pipeline = pipeline or build(settings).fit(x_train, y_train)
    scores = pipeline.predict_proba(x_val)[:, 1]
    metadata = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_path": str(settings.data_path),
        "data_sha256": data_sha256,
        "features": list(x_train.columns),
        "threshold": business.best_threshold(y_val, scores, settings.business),
        "rows": {"train": len(split.train), "validation": len(split.validation)},
        "scikit_learn": sklearn.__version__,
    }
    return TrainedModel(pipeline, metadata)


Fit = Callable[[Settings], tuple[Split, TrainedModel]]  # a training engine


def fit_data(settings: Settings) -> tuple[Split, TrainedModel]:
    """The data file validated and split, and a model fitted on it (the local engine)."""
    split = held_out(settings)
    return split, fit(split, settings, sha256(settings.data_path))


def scores(model: TrainedModel, frame: pd.DataFrame) -> np.ndarray:
    return model.pipeline.predict_proba(frame[model.metadata["features"]])[:, 1]


def save(model: TrainedModel, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MODEL_FILE
    skops.io.dump(model.pipeline, path)
    metadata = {**model.metadata, "model_sha256": sha256(path)}
    (folder / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return path


def load(folder: Path, expected_sha256: str | None = None) -> TrainedModel:
    """The saved model, after checking its hash and that every type in it is trusted.

    ``expected_sha256`` is the hash recorded elsewhere (the registry); it must match too.
    """
    path, metadata_path = folder / MODEL_FILE, folder / METADATA_FILE
    if not path.is_file() or not metadata_path.is_file():
        raise ModelError(f"no trained model in {folder}: run the train step first")
    metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    actual = sha256(path)
    if actual != metadata.get("model_sha256") or actual != (expected_sha256 or actual):
        raise ModelError(f"{path} does not match the hash recorded at training: refusing it")
    untrusted = [t for t in skops.io.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
    if untrusted:
        raise ModelError(f"{path} contains untrusted types {untrusted}: refusing it")
    pipeline = skops.io.load(path, trusted=TRUSTED_TYPES)
    return TrainedModel(pipeline, metadata)
