"""Profile a data file into a data contract and a proposed baseline rule (``adopt``'s reading).

Every guess is said out loud in the review list; nothing here writes a file.
"""

from __future__ import annotations

import json
import keyword
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import Business
from ..model import baseline, business
from .contract import Column, Contract, as_text

MAX_CATEGORIES = 50  # more distinct text values than this: an identifier or free text
LIKELY_ID = re.compile(r"(^|_)(id|key|uuid|rownames|code)$|^id", re.IGNORECASE)


class AdoptError(ValueError):
    """The data file cannot become the project's data as asked."""


@dataclass(frozen=True)
class Request:
    target: str
    positive: str
    ids: tuple[str, ...] = ()
    timestamp: str | None = None
    sensitive: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()


@dataclass
class Profile:
    contract: Contract
    positive: str | int | float | bool  # the positive label with the target column's type
    timestamp: str | None
    review: list[str] = field(default_factory=list)


def profile(frame: pd.DataFrame, asked: Request) -> Profile:
    """The contract a person would write after looking at ``frame``, and what they must check."""
    if frame.empty:
        raise AdoptError("the data file has no rows")
    named = {asked.target, *asked.ids, *asked.sensitive, *asked.text, *asked.ignored}
    if asked.timestamp:
        named.add(asked.timestamp)
    if missing := sorted(n for n in named if n not in frame.columns):
        shown = ", ".join(map(str, frame.columns[:20]))
        raise AdoptError(f"not a column of the data file: {', '.join(missing)} (columns: {shown})")
    positive = _positive(frame[asked.target], asked.positive)
    result = Profile(Contract(()), positive, asked.timestamp)
    columns = [
        _column(frame[name], asked, result) for name in frame.columns if name != asked.target
    ]
    result.contract = Contract(tuple(columns), hidden=asked.sensitive)
    return result


def _positive(target: pd.Series, asked: str) -> str | int | float | bool:
    labels = as_text(target).dropna()
    found = sorted(labels.unique())
    if not found:
        raise AdoptError(f"target column {target.name!r} has no values")
    if len(found) > 2:
        shown = ", ".join(repr(v) for v in found[:6])
        raise AdoptError(
            f"target column {target.name!r} has {len(found)} values ({shown}…): this project "
            "decides yes or no; make a two-valued column first"
        )
    if asked.strip() not in found:
        raise AdoptError(f"--positive {asked!r} is not a value of {target.name!r} (found {found})")
    original = target[labels.index[labels == asked.strip()][0]]
    label = original.item() if hasattr(original, "item") else original
    if not isinstance(label, str | int | float | bool):  # what pyproject.toml can hold
        raise AdoptError(
            f"target column {target.name!r}: {label!r} is not text, a number or a bool"
        )
    return label


def _column(values: pd.Series, asked: Request, result: Profile) -> Column:
    name, present = str(values.name), values.dropna()
    missing = _missing_share(values)
    if name in asked.ids:
        return Column(name, "identifier")
    if name == asked.timestamp:
        return Column(name, "timestamp", max_missing=missing)
    if name in asked.text or name in asked.ignored:
        kind = "text" if name in asked.text else "ignored"
        return Column(name, kind, max_missing=missing, note="named by the person who adopted")
    if present.empty:
        raise AdoptError(f"column {name!r} has no values in any row: drop it, or --ignore {name}")
    distinct = present.nunique()
    if distinct == len(values) and LIKELY_ID.search(name):
        result.review.append(f"{name}: identifier (unique in every row; its name says so)")
        return Column(name, "identifier")
    if pd.api.types.is_datetime64_any_dtype(values) or _looks_like_time(present):
        result.review.append(f"{name}: timestamp (its values parse as dates)")
        result.timestamp = result.timestamp or name
        return Column(name, "timestamp", max_missing=missing)
    if distinct == 2:
        allowed = tuple(sorted(as_text(pd.Series(present.unique())).unique()))
        return Column(name, "boolean", values=allowed, max_missing=missing)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        low, high = float(present.min()), float(present.max())
        span = (high - low) or abs(high) or 1.0
        allowed_low = 0.0 if low >= 0 else _round(low - 0.1 * span, up=False)
        allowed_high = _round(high + 0.1 * span, up=True)
        limits = f"allowed {allowed_low:g} to {allowed_high:g} (seen {low:g} to {high:g})"
        result.review.append(f"{name}: numeric, {limits}")
        return Column(name, "numeric", allowed_low, allowed_high, max_missing=missing)
    if distinct <= MAX_CATEGORIES:
        allowed = tuple(sorted(as_text(pd.Series(present.unique())).unique()))
        return Column(name, "categorical", values=allowed, max_missing=missing)
    if as_text(present).str.len().mean() > 30:
        result.review.append(f"{name}: free text ({distinct} distinct values), not a model input")
        return Column(name, "text", max_missing=missing, note="long text: not a model input")
    raise AdoptError(
        f"column {name!r} has {distinct} distinct values, too many for a category "
        f"(at most {MAX_CATEGORIES}): --id {name} if it identifies rows, --text {name} if it "
        f"is free text, or --ignore {name}"
    )


def _missing_share(values: pd.Series) -> float:
    share = float(values.isna().mean())
    return 0.0 if share == 0 else min(1.0, math.ceil((share * 1.5 + 0.01) * 100) / 100)


def _looks_like_time(present: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(present) or pd.api.types.is_bool_dtype(present):
        return False
    sample = present.astype(str).head(200)
    parsed = pd.to_datetime(sample, errors="coerce", format="ISO8601", utc=True)
    return bool(parsed.notna().mean() >= 0.95)


def _round(value: float, up: bool) -> float:
    """``value`` to three significant digits, rounded outwards."""
    if value == 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(abs(value))) - 2)
    return float(f"{(math.ceil if up else math.floor)(value / scale) * scale:.6g}")


def propose_rule(
    frame: pd.DataFrame, contract: Contract, labels: pd.Series, costs: Business
) -> str:
    """The single-column rule with the lowest expected cost per decision on ``frame``: a
    stand-in until the team writes down the rule it applies today."""
    candidates = []
    for column in contract.inputs:
        reference = _reference(column.name)
        if column.categorical:
            for value in column.values or as_text(frame[column.name]).dropna().unique()[:20]:
                candidates.append(f"{reference} == {json.dumps(str(value))}")
            continue
        numbers = pd.to_numeric(frame[column.name], errors="coerce").dropna()
        for cut in np.unique(np.quantile(numbers, np.linspace(0.1, 0.9, 9))):
            candidates += [f"{reference} > {cut:.6g}", f"{reference} <= {cut:.6g}"]
    if not candidates:
        return "false"
    costs_of = {
        rule: business.expected_cost(labels, baseline.evaluate(rule, frame).to_numpy(), costs)
        for rule in candidates
    }
    return min(costs_of, key=costs_of.__getitem__)


def _reference(name: str) -> str:
    """A column as the rule grammar names it."""
    plain = name.isidentifier() and not keyword.iskeyword(name)
    return (
        name if plain and name not in ("true", "false", "column") else f"column({json.dumps(name)})"
    )
