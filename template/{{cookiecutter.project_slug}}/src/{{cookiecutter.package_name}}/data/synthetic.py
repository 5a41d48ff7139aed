"""Rows that satisfy the data contract, with a target the inputs explain: for tests and
rehearsals that must not depend on whichever data file the project holds today.

Every input moves the odds of the positive label by a seeded random amount, so a model can
learn them; missing values appear where the contract allows them, at half the allowed share.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from ..config import Settings
from .contract import Column

POSITIVE_SHARE = 0.35  # about this share of rows gets the positive label
OPEN_CATEGORIES = 4  # values made up for a categorical column without a list


def rows(settings: Settings, count: int | None = None, seed: int = 0) -> pd.DataFrame:
    """``count`` rows (default: comfortably above ``min_rows``) of every contract column, the
    sensitive attributes and the target."""
    count = count or max(1000, int(settings.min_rows * 1.25))
    rng = np.random.default_rng(seed)
    contract = settings.contract
    frame = pd.DataFrame({c.name: values(c, count, rng) for c in contract.columns})
    for name in contract.hidden:
        if name not in frame.columns:
            frame[name] = rng.choice(["group a", "group b"], size=count)
    logit = np.zeros(count)
    for column in contract.inputs:
        logit += effect(column, frame[column.name], rng)
    logit += np.quantile(-logit, POSITIVE_SHARE) if count else 0.0
    positive = rng.uniform(size=count) < 1 / (1 + np.exp(-logit))
    frame[settings.target] = np.where(positive, settings.positive, negative(settings.positive))
    return frame


def values(column: Column, count: int, rng: np.random.Generator) -> np.ndarray | list:
    if column.kind == "numeric":
        low = column.min if column.min is not None else 0.0
        high = column.max if column.max is not None else low + 100.0
        drawn = rng.uniform(low, high, size=count)
    elif column.categorical:
        choices = list(column.values) or [f"value {n}" for n in range(OPEN_CATEGORIES)]
        drawn = rng.choice(choices, size=count).astype(object)
    elif column.kind == "identifier":
        return [f"row-{n}" for n in range(count)]
    elif column.kind == "timestamp":
        newest = datetime.now(UTC).date() - timedelta(days=1)
        return [(newest - timedelta(days=n % 365)).isoformat() for n in range(count)]
    else:
        return [f"{column.kind} {n}" for n in range(count)]
    if column.max_missing > 0:
        drawn = drawn.astype(object)
        drawn[rng.uniform(size=count) < column.max_missing / 2] = None
    return drawn


def effect(column: Column, values: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """This column's contribution to the log-odds: strong enough to learn from 1000 rows."""
    if column.categorical:
        weights = {value: rng.normal(0, 1.5) for value in sorted(set(values.dropna()))}
        return values.map(weights).fillna(0.0).to_numpy(dtype=float)
    numbers = pd.to_numeric(values, errors="coerce")
    spread = numbers.std() or 1.0
    return ((numbers - numbers.mean()) / spread * rng.normal(0, 1.5)).fillna(0.0).to_numpy()


def negative(positive: str | int | float | bool) -> str | int | float | bool:
    """A label other than ``positive``, of the same type."""
    if isinstance(positive, bool):
        return not positive
    if isinstance(positive, int | float):
        return 0 if positive != 0 else 1
    return f"not {positive}"
