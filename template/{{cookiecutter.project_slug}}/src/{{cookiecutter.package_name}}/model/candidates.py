"""The model families ``experiment`` compares, simplest first: add a family here, in one place.

Each family names how complex it is (the leaderboard recommends the simplest one unless a more
complex one saves enough), builds a scikit-learn pipeline from the data contract and a set of
hyperparameters, lists its small search space, and declares the types skops must trust to load
it (beyond scikit-learn's own; every addition is reviewed: a trusted type can run code on load).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OrdinalEncoder

from ..config import Settings
from ..data.tables import Split, features
from . import train
from .report_types import ModelMetadata

Params = dict[str, Any]


@dataclass(frozen=True)
class Family:
    name: str
    complexity: int  # 1 is the simplest; the recommendation prefers lower numbers
    build: Callable[[Settings, Params], Pipeline]
    search: list[Params]
    trusted_types: list[str] = field(default_factory=list)
    description: str = ""


def logistic_regression(settings: Settings, params: Params) -> Pipeline:
    """The project's model (train.build) with the regularisation strength ``C``."""
    pipeline = train.build(settings)
    pipeline[-1].set_params(**params)
    return pipeline


def gradient_boosting(settings: Settings, params: Params) -> Pipeline:
    """Histogram gradient boosting: missing values and categories handled by the model itself
    (categories as ordinal codes it splits on as categories; an unseen value is missing)."""
    inputs = settings.contract.inputs
    numeric = [c.name for c in inputs if c.kind == "numeric"]
    categorical = [c.name for c in inputs if c.categorical]
    codes = OrdinalEncoder(
        handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan
    )
    columns = ColumnTransformer(
        [("numeric", "passthrough", numeric), ("categorical", codes, categorical)],
        verbose_feature_names_out=False,
    )
    model = HistGradientBoostingClassifier(
        categorical_features=[False] * len(numeric) + [True] * len(categorical),
        early_stopping=False,
        random_state=settings.seed,
        **params,
    )
    return make_pipeline(columns, model)


FAMILIES = [
    Family(
        train.FAMILY,
        1,
        logistic_regression,
        [{"C": c} for c in (0.1, 1.0, 10.0)],
        train.TRUSTED_TYPES,
        "scaled inputs, one-hot categories, a weight per input",
    ),
    Family(
        "gradient_boosting",
        2,
        gradient_boosting,
        [
            {"learning_rate": rate, "max_leaf_nodes": leaves, "max_iter": 100}
            for rate in (0.05, 0.1)
            for leaves in (15, 31)
        ],
        # TreePredictor holds the fitted trees; the model keeps check_array in a partial.
        [
            "functools.partial",
            "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
            "sklearn.utils.validation.check_array",
        ],
        "histogram gradient boosting over the raw inputs",
    ),
]


def family(name: str) -> Family:
    for candidate in FAMILIES:
        if candidate.name == name:
            return candidate
    known = ", ".join(f.name for f in FAMILIES)
    raise ValueError(f"no model family {name!r}: the families are {known}")


def fit(
    settings: Settings, split: Split, data_sha256: str, name: str, params: Params
) -> train.TrainedModel:
    """The family ``name`` with ``params`` fitted on the training rows, its threshold chosen on
    the validation rows (train.fit); its metadata names the family and the hyperparameters."""
    x, y = features(split.train, settings)
    x = train.inputs(x, list(x.columns), train.categorical_inputs(settings))
    pipeline = family(name).build(settings, params).fit(x, y)
    return train.fit(split, settings, data_sha256, pipeline, (name, params))


def trusted_types(metadata: ModelMetadata) -> list[str]:
    """The types skops may load for a saved model's family (its metadata names it; a model
    from before families were recorded is the logistic regression)."""
    try:
        return family(metadata.get("family", train.FAMILY)).trusted_types
    except ValueError as error:
        raise train.ModelError(f"{error}: refusing the model") from None
