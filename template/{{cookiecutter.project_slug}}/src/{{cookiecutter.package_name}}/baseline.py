"""Today's process without ML, as a rule a person could apply by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import Settings


def decide(frame: pd.DataFrame, settings: Settings) -> np.ndarray:
    """Act when the configured feature exceeds the configured threshold."""
    if settings.baseline_feature not in frame.columns:
        raise KeyError(
            f"baseline feature {settings.baseline_feature!r} is not a column of the data: "
            "set [tool.phasegate.baseline] feature in pyproject.toml"
        )
    return (frame[settings.baseline_feature] > settings.baseline_threshold).to_numpy()


def describe(settings: Settings) -> str:
    return f"act when {settings.baseline_feature} > {settings.baseline_threshold:g}"
