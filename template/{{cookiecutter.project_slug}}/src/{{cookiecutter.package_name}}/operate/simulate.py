"""Outcomes made up for the logged predictions, so that a team can rehearse the operate loop
(predict → outcomes → performance) on its first day, before any real outcome exists.

Each id's latest scoring gets one outcome, drawn with the logged score as its probability: a
model whose scores are calibrated looks as good as it is. ``decay_from`` makes the outcomes of
rows scored on or after that moment disagree with the model (the probability moves towards
``1 - score`` by ``strength``), so that a performance threshold is crossed. Outcomes arrive 1 to
60 days after scoring; a person acts on most positive decisions and on few others, a few hours
to days later. Numbers come from numpy's Generator seeded with ``seed``: the same log and seed
give the same file.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from ..config import Settings
from . import prediction_log

ACT_WHEN_POSITIVE, ACT_OTHERWISE = 0.8, 0.1  # share of recommendations a person acts on


def negative_value(positive: str | int | float | bool) -> str | int | float | bool:
    """A target value that is not ``positive`` (ingesting maps every other value to negative)."""
    if isinstance(positive, bool):
        return not positive
    if isinstance(positive, int | float):
        return 0 if positive != 0 else 1
    return f"not {positive}"


def outcomes(
    settings: Settings, seed: int, decay_from: datetime | None = None, strength: float = 0.6
) -> pd.DataFrame:
    """One made-up outcome per logged id (the outcome file's columns)."""
    log = prediction_log.read(settings.operate.prediction_log)
    latest = log.drop_duplicates("id", keep="last").reset_index(drop=True)
    if latest.empty:
        raise ValueError(
            f"no predictions logged in {settings.operate.prediction_log}: run predict first"
        )
    generator = np.random.default_rng(seed)
    chance = latest["score"].clip(0, 1).to_numpy()
    if decay_from is not None:
        start = pd.Timestamp(decay_from)
        start = start.tz_convert("UTC") if start.tzinfo else start.tz_localize("UTC")
        decayed = (latest["scored_at"] >= start).to_numpy()
        chance = np.where(decayed, (1 - strength) * chance + strength * (1 - chance), chance)
    positive = generator.random(len(latest)) < chance
    delay = pd.to_timedelta(generator.uniform(1, 60, len(latest)), unit="D")
    acts = np.where(latest["decision"], ACT_WHEN_POSITIVE, ACT_OTHERWISE)
    acted = generator.random(len(latest)) < acts
    reaction = pd.to_timedelta(generator.uniform(1, 72, len(latest)), unit="h")
    name = prediction_log.identifier(settings.contract) or "id"
    values = np.array([settings.positive, negative_value(settings.positive)], dtype=object)
    return pd.DataFrame(
        {
            name: latest["id"],
            "outcome": values[np.where(positive, 0, 1)],
            "outcome_at": (latest["scored_at"] + delay).dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "acted": acted,
            "acted_at": (latest["scored_at"] + reaction).dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    ).assign(acted_at=lambda f: f["acted_at"].where(f["acted"]))
