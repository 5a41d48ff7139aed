"""Batch prediction with the champion: rows that fail the schema are set aside with reasons.

Every input row ends up in exactly one file: the predictions (the input columns plus score,
decision and model version) or the rejects (the input columns plus the reasons).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pandera.errors

from ..data import schema, tables
from ..data.contract import Contract
from .train import TrainedModel, check_contract, scores

if TYPE_CHECKING:
    from pandera.pandas import DataFrameSchema

    from ..lifecycle.registry import Loaded

REASONS = "rejected_because"


@dataclass(frozen=True)
class Result:
    predictions: pd.DataFrame
    rejects: pd.DataFrame


def checked(
    frame: pd.DataFrame, contract: Contract, rules: DataFrameSchema | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows that satisfy the feature schema (coerced) and the others with their reasons.

    A value that is not a number hides the column's other checks, so rows are set aside and
    the rest validated again until they pass; a problem with no row (a missing column) refuses
    the whole input. ``rules``: ``schema.rows(contract)`` built once by a caller that checks
    many tables (the HTTP service), built here otherwise.
    """
    rows = rules if rules is not None else schema.rows(contract)
    reasons = dict[object, list[str]]()
    while True:
        remaining = frame[~frame.index.isin(list(reasons))]
        try:
            valid = rows.validate(remaining, lazy=True)
            break
        except pandera.errors.SchemaErrors as errors:
            cases = errors.failure_cases
        cases = cases[~cases["check"].astype(str).str.startswith("dtype(")]  # repeats coerce
        if cases["index"].isna().all():
            problems = sorted({_problem(c) for _, c in cases.iterrows()})
            raise tables.DataError("the input cannot be used at all: " + "; ".join(problems))
        for _, case in cases[cases["index"].notna()].iterrows():
            text = f"{case['column']}: {case['check']} (got {case['failure_case']})"
            reasons.setdefault(case["index"], []).append(text)
    bad = frame.index.isin(list(reasons))
    why = ["; ".join(reasons[i]) for i in frame.index[bad]]
    return valid, frame[bad].assign(**{REASONS: why})


def _problem(case: pd.Series) -> str:
    if case["check"] == "column_in_dataframe":
        return f"column {case['failure_case']!r} is missing"
    return f"{case['column']}: {case['check']}"


def predict(champion: Loaded, frame: pd.DataFrame, contract: Contract) -> Result:
    check_contract(champion.model, contract, f"the champion (version {champion.number})")
    return decide(champion.model, champion.number, frame, contract)


def decide(
    model: TrainedModel,
    version: str,
    frame: pd.DataFrame,
    contract: Contract,
    rules: DataFrameSchema | None = None,
) -> Result:
    """Scores and decisions of ``model`` (registered as ``version``) for the valid rows
    (``rules``: as for ``checked``)."""
    valid, rejects = checked(frame, contract, rules)
    score: np.ndarray | list[float] = scores(model, valid) if len(valid) else []
    predictions = valid.assign(
        score=score,
        decision=(pd.Series(score, index=valid.index) >= model.metadata["threshold"]).astype(int),
        model_version=version,
    )
    return Result(predictions, rejects)


def rejects_path(output: Path) -> Path:
    """Where rejected rows go unless told otherwise: OUTPUT's name with `.rejects`."""
    return output.with_name(f"{output.stem}.rejects{output.suffix}")
