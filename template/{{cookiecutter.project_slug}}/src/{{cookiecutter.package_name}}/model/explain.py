"""What drives the score, for every model family, in the data's own columns.

A model with coefficients (the logistic regression) is explained by them: each one-hot
category's coefficient is reported under its source column (the strongest category stands for
the column). Any other model is explained by permutation importance on the held-out rows: how
much the ROC AUC of its scores drops when one source column's values are shuffled, so an
encoded column counts once. evaluate.py adds the explanation to the evaluation report;
``evaluate`` writes it to reports/explanation.json and .md, tracked runs keep it as an
artifact, and the model card reads it.
"""

from __future__ import annotations

import math

import pandas as pd
from sklearn.inspection import permutation_importance

from ..config import Settings
from . import train
from .report_types import Driver, Explanation
from .train import TrainedModel

REPORT = "explanation"
REPEATS = 5  # shuffles per column; the report gives the mean drop and its spread


def driver(
    column: str,
    importance: float,
    coefficient: float | None = None,
    category: str | None = None,
    spread: float | None = None,
) -> Driver:
    return {"column": column, "importance": importance, "coefficient": coefficient,
            "category": category, "spread": spread}  # fmt: skip


def terms(model: TrainedModel) -> list[tuple[str, str | None]]:
    """The model's inputs after preprocessing, as (source column, category or None)."""
    first = model.pipeline[0]
    if not hasattr(first, "transformers_"):  # numbers only: one input per column
        return [(name, None) for name in model.metadata["features"]]
    found: list[tuple[str, str | None]] = []
    for _, transformer, columns in first.transformers_:
        if isinstance(transformer, str) or not len(columns):
            continue  # "drop" or "passthrough" of nothing
        encoder = transformer[-1]
        if hasattr(encoder, "categories_"):
            for column, categories in zip(columns, encoder.categories_, strict=True):
                found += [(column, str(category)) for category in categories]
        else:
            found += [(column, None) for column in columns]
    return found


def coefficients(model: TrainedModel) -> list[Driver] | None:
    """One driver per source column from the final step's coefficients (None: it has none)."""
    final = model.pipeline[-1]
    if not hasattr(final, "coef_"):
        return None
    strongest: dict[str, Driver] = {}
    for (column, category), weight in zip(terms(model), final.coef_[0].tolist(), strict=True):
        if column not in strongest or abs(weight) > strongest[column]["importance"]:
            strongest[column] = driver(column, abs(weight), weight, category)
    return list(strongest.values())


def permuted(model: TrainedModel, rows: pd.DataFrame, settings: Settings) -> list[Driver]:
    """One driver per source column: the mean drop in ROC AUC when it is shuffled."""
    names = model.metadata["features"]
    x = train.inputs(rows, names, model.metadata.get("categorical", []))
    result = permutation_importance(
        model.pipeline,
        x,
        rows[settings.target].to_numpy(),
        scoring="roc_auc",
        n_repeats=REPEATS,
        random_state=settings.seed,
    )
    return [
        driver(name, float(mean), spread=float(spread))
        for name, mean, spread in zip(
            names, result.importances_mean, result.importances_std, strict=True
        )
    ]


def explain(model: TrainedModel, rows: pd.DataFrame, settings: Settings) -> Explanation:
    """The drivers of ``model``'s score, largest first (``rows``: held-out rows with the
    target, used only when the model has no coefficients)."""
    if found := by_coefficients(model):
        return found
    return report(model, "permutation_importance", rows, permuted(model, rows, settings))


def by_coefficients(model: TrainedModel) -> Explanation | None:
    """The explanation by coefficients (None: the model has none); needs no data."""
    found = coefficients(model)
    return None if found is None else report(model, "coefficients", None, found)


def report(
    model: TrainedModel, method: str, rows: pd.DataFrame | None, drivers: list[Driver]
) -> Explanation:
    return {
        "family": model.metadata.get("family", train.FAMILY),
        "method": method,
        "rows": None if rows is None else len(rows),
        "drivers": sorted(drivers, key=lambda d: -d["importance"]),
    }


def sentence(driver: Driver, action: str) -> str:
    """One line a business user can read."""
    name, weight, category = driver["column"], driver["coefficient"], driver["category"]
    if weight is None:
        return (
            f"Shuffling `{name}` lowers the ROC AUC of the scores by {driver['importance']:.3f} "
            f"(± {driver['spread']:.3f}): the larger, the more the score relies on it."
        )
    way, change = ("more", "multiplies") if weight > 0 else ("less", "divides")
    factor = f"{math.exp(abs(weight)):.2f}"
    if category is not None:
        return (f"`{name}` = {category} makes {action} {way} likely: it {change} the odds by "
                f"{factor} (against the model's average).")  # fmt: skip
    return (f"Higher `{name}` makes {action} {way} likely: one standard deviation more "
            f"{change} the odds by {factor}.")  # fmt: skip


def how(explanation: Explanation) -> str:
    if explanation["method"] == "coefficients":
        return ("the model's coefficients on standardised inputs, one line per source column of "
                "the data (its strongest category for a categorical one)")  # fmt: skip
    return (f"permutation importance on {explanation['rows']} held-out rows ({REPEATS} shuffles "
            "per source column of the data)")  # fmt: skip


def markdown(explanation: Explanation, action: str = "acting") -> list[str]:
    return [
        "# What drives the score",
        "",
        f"Model family: {explanation['family']}. Measured by {how(explanation)}, largest "
        "effect first:",
        "",
        *[f"- {sentence(d, action)}" for d in explanation["drivers"]],
    ]
