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
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from ..config import Settings
from ..data.contract import Contract, as_text
from ..data.tables import Split, features, held_out
from ..digest import sha256
from . import business
from .report_types import ModelMetadata

MODEL_FILE = "model.skops"
METADATA_FILE = "model.json"
MISSING = "(missing)"  # the category a missing categorical value becomes
# Types outside scikit-learn's own that this project's model may contain; skops
# refuses to load anything else. Review every addition: it can run code on load.
# numpy.dtype: SimpleImputer records the type of the data it was fitted on; a dtype is a
# description of a number format and runs no code when it is loaded.
TRUSTED_TYPES: list[str] = ["numpy.dtype"]
FAMILY = "logistic_regression"  # build()'s family; the others are in candidates.py
Trust = Callable[[ModelMetadata], list[str]]  # a model's metadata → the types to trust loading it


class ModelError(ValueError):
    """No usable model: missing, tampered with, or containing untrusted types."""


@dataclass(frozen=True)
class TrainedModel:
    pipeline: Pipeline
    metadata: ModelMetadata


def build(settings: Settings) -> Pipeline:
    """The contract's preprocessing into a logistic regression: explainable, fast, hard to beat.

    Numeric inputs are scaled (after filling a missing value with the training median, where
    the contract allows missing values); categorical and boolean ones are one-hot encoded
    (missing is a category of its own; a value not seen in training is no category at all).
    With numeric inputs only, the pipeline is scaler → model (imputer first if needed).
    """
    inputs = settings.contract.inputs
    numeric = [c.name for c in inputs if c.kind == "numeric"]
    categorical = [c.name for c in inputs if c.categorical]
    model = LogisticRegression(max_iter=settings.max_iter, random_state=settings.seed)
    imputing = any(c.max_missing > 0 for c in inputs if c.kind == "numeric")
    scaling = (
        [SimpleImputer(strategy="median"), StandardScaler()] if imputing else [StandardScaler()]
    )
    if not categorical:
        return make_pipeline(*scaling, model)
    encoding = make_pipeline(
        SimpleImputer(strategy="constant", fill_value=MISSING),
        OneHotEncoder(handle_unknown="ignore", sparse_output=False),
    )
    steps = [("numeric", make_pipeline(*scaling), numeric), ("categorical", encoding, categorical)]
    return make_pipeline(ColumnTransformer(steps, verbose_feature_names_out=False), model)


def inputs(frame: pd.DataFrame, names: list[str], categorical: list[str]) -> pd.DataFrame:
    """The model's input columns, categories as text and missing values as NaN (what
    scikit-learn's imputers recognise), the same for training and every prediction."""
    x = frame[names].copy()
    for name in categorical:
        text = as_text(x[name]).astype(object)
        x[name] = text.where(text.notna(), np.nan)
    return x


def fit(
    split: Split,
    settings: Settings,
    data_sha256: str,
    pipeline: Pipeline | None = None,
    family: tuple[str, dict] = (FAMILY, {}),
) -> TrainedModel:
    """Fit on the training set (or take ``pipeline``, fitted elsewhere: ``family`` names it and
    its hyperparameters) and choose the cost-minimising threshold on validation data."""
    x_train, y_train = features(split.train, settings)
    x_val, y_val = features(split.validation, settings)
    names, categorical = list(x_train.columns), categorical_inputs(settings)
    x_train, x_val = inputs(x_train, names, categorical), inputs(x_val, names, categorical)
    pipeline = pipeline or build(settings).fit(x_train, y_train)
    scores = pipeline.predict_proba(x_val)[:, 1]
    metadata: ModelMetadata = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_path": str(settings.data_path),
        "data_sha256": data_sha256,
        "family": family[0],
        "params": family[1],
        "features": names,
        "categorical": categorical,
        "contract": settings.contract.fingerprint(),
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


def contract_change(model: TrainedModel, contract: Contract) -> str | None:
    """How the model's inputs differ from the current contract's (None: they do not).
    A model from before contracts were recorded is judged on its input names."""
    before, now = model.metadata["features"], [c.name for c in contract.inputs]
    recorded = model.metadata.get("contract")
    if recorded == contract.fingerprint() or (recorded is None and before == now):
        return None
    added = ", ".join(n for n in now if n not in before)
    removed = ", ".join(n for n in before if n not in now)
    parts = [f"added {added}" if added else "", f"removed {removed}" if removed else ""]
    return "; ".join(p for p in parts if p) or "the same names with other kinds or values"


def check_contract(model: TrainedModel, contract: Contract, which: str = "the model") -> None:
    """Refuse a model trained for another data contract, saying what to do."""
    if change := contract_change(model, contract):
        raise ModelError(
            f"{which} was trained for another data contract (inputs {change}): train and register "
            "a model for the current one with `nox -s retrain`; the champion stays until one passes"
        )


def check_trained_beside(model: TrainedModel, data: Path, split: str) -> None:
    """Refuse to evaluate ``model`` on held-out rows it may have seen: the data file changed
    since training, or the model was trained on another engine's split."""
    if model.metadata["data_sha256"] != sha256(data):
        raise ModelError("the data changed since the model was trained: train again")
    trained_on = model.metadata.get("split", "local")  # models from before engines: local
    if trained_on != split:
        raise ModelError(f"the model was trained on the {trained_on} split: train again")


def categorical_inputs(settings: Settings) -> list[str]:
    return [c.name for c in settings.contract.inputs if c.categorical]


def scores(model: TrainedModel, frame: pd.DataFrame) -> np.ndarray:
    """The probability of the positive class for each row of ``frame``."""
    names = model.metadata["features"]
    if missing := [name for name in names if name not in frame.columns]:
        raise ModelError(
            f"the model needs columns the data does not have: {', '.join(missing)}. "
            "If the data contract changed, train a model for it: `nox -s retrain`"
        )
    x = inputs(frame, names, model.metadata.get("categorical", []))
    probabilities: np.ndarray = model.pipeline.predict_proba(x)
    return probabilities[:, 1]


def save(model: TrainedModel, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MODEL_FILE
    skops.io.dump(model.pipeline, path)
    metadata: ModelMetadata = {**model.metadata, "model_sha256": sha256(path)}
    (folder / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return path


def load(
    folder: Path, expected_sha256: str | None = None, trusted_types: Trust | None = None
) -> TrainedModel:
    """The saved model, after checking its hash and that every type in it is trusted.

    ``expected_sha256`` is the hash recorded elsewhere (the registry); it must match too.
    ``trusted_types`` gives the types to trust from the metadata (candidates.trusted_types:
    those its family declares); without it, only the logistic regression's.
    """
    path, metadata_path = folder / MODEL_FILE, folder / METADATA_FILE
    if not path.is_file() or not metadata_path.is_file():
        raise ModelError(f"no trained model in {folder}: run the train step first")
    metadata: ModelMetadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    actual = sha256(path)
    if actual != metadata.get("model_sha256") or actual != (expected_sha256 or actual):
        raise ModelError(f"{path} does not match the hash recorded at training: refusing it")
    trusted = trusted_types(metadata) if trusted_types else TRUSTED_TYPES
    untrusted = [t for t in skops.io.get_untrusted_types(file=path) if t not in trusted]
    if untrusted:
        raise ModelError(f"{path} contains untrusted types {untrusted}: refusing it")
    pipeline = skops.io.load(path, trusted=trusted)
    return TrainedModel(pipeline, metadata)
