"""The pandera schema, derived from the data contract (data/contract.py, data/contract.toml).

What a usable table and a usable row look like; the ``validate`` step enforces it before
anything is trained, and ``predict`` checks every row with the same rules.

The rules are data; ``build`` turns them into a pandera schema for a ``Backend``: pandas here
(``PANDAS``), or the dataframe library of another engine, which supplies its own ``Backend``
(engines/<engine>_schema.py). Every engine enforces the same checks under the same names, so
their validation reports compare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pandera.pandas as pa

from .contract import Column, Contract, as_text


@dataclass(frozen=True)
class Backend:
    """What differs between dataframe libraries; the checks built from the rules do not."""

    api: ModuleType  # pandera.pandas, or the pandera module of another dataframe library
    real: Any  # numeric columns' type
    text: Any  # categorical columns' type
    rows: Callable[[Any], int]
    # a table and the columns that identify a row (None: all): True, or one boolean per row
    no_duplicates: Callable[[Any, list[str] | None], Any]
    null_share: Callable[[Any], float]  # a column's data: the share of missing values
    distinct: Callable[[Any], int]  # a column's data: how many values it has
    parses_text: bool = True  # categories are made text by a pandera parser (else beforehand)


PANDAS = Backend(
    api=pa,
    real=float,
    text="string",
    rows=len,
    no_duplicates=lambda df, subset: ~df.duplicated(subset=subset),
    null_share=lambda s: s.isna().mean(),
    distinct=lambda s: s.nunique(),
)


def build(contract: Contract, target: str, min_rows: int, backend: Backend = PANDAS) -> Any:
    """The table's schema: every contract column, the target present and never missing,
    at least ``min_rows`` rows, no duplicates (judged on the identifiers when there are any).
    Columns the contract does not list are dropped (the validation report names them)."""
    api = backend.api
    columns = {c.name: column(c, backend, table=True) for c in contract.columns}
    kept = [name for name in contract.hidden if name not in columns]  # sensitive attributes
    columns.update({name: api.Column(nullable=True) for name in kept})
    columns[target] = api.Column(nullable=False)  # its labels are checked by data.labels
    ids = contract.identifiers or None
    checks = [
        pa.Check(lambda df: backend.rows(df) >= min_rows, name=f"min_rows>={min_rows}"),
        pa.Check(
            lambda df: backend.no_duplicates(df, ids),
            name="no_duplicate_identifiers" if ids else "no_duplicate_rows",
        ),
    ]
    return api.DataFrameSchema(columns, checks=checks, strict="filter", ordered=False)


def rows(contract: Contract) -> pa.DataFrameSchema:
    """What each row given to the model must satisfy: every input present and valid, missing
    only where the contract allows missing values. Other columns are kept as they are."""
    inputs = {c.name: column(c, PANDAS, table=False) for c in contract.inputs}
    return pa.DataFrameSchema(inputs, strict=False, ordered=False)


def column(spec: Column, backend: Backend, table: bool) -> Any:
    """One contract column; ``table``: with the share-of-missing-values check."""
    if spec.kind not in ("numeric", "categorical", "boolean", "identifier"):
        return backend.api.Column(nullable=True)  # timestamp, text, ignored: present
    if spec.kind == "identifier":
        return backend.api.Column(nullable=False)
    checks = []
    if spec.kind == "numeric":
        if spec.min is not None:
            checks.append(pa.Check.ge(spec.min))
        if spec.max is not None:
            checks.append(pa.Check.le(spec.max))
    elif spec.values:
        checks.append(pa.Check.isin(list(spec.values)))
    elif table:
        limit = spec.max_categories
        checks.append(
            pa.Check(
                lambda s: backend.distinct(s) <= limit,
                element_wise=False,
                name=f"categories<={limit}",
            )
        )
    if table and 0 < spec.max_missing < 1:
        checks.append(
            pa.Check(
                lambda s, limit: backend.null_share(s) <= limit,
                limit=spec.max_missing,  # by keyword, so that every backend passes it
                element_wise=False,
                ignore_na=False,
                name=f"missing<={spec.max_missing}",
            )
        )
    nullable = spec.max_missing > 0
    if spec.kind == "numeric":
        return backend.api.Column(backend.real, checks=checks, nullable=nullable, coerce=True)
    parsing = {"parsers": pa.Parser(as_text)} if backend.parses_text else {}
    return backend.api.Column(backend.text, checks=checks, nullable=nullable, **parsing)
