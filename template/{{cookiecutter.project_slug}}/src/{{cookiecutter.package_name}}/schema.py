"""The data contract, in one place: what a usable row and a usable table look like.

Edit ``FEATURES`` (name → allowed range) and ``TARGET_VALUES`` when you point
the pipeline at your own data; the ``validate`` step enforces this schema
before anything is trained, and phases/2-data/data-audit.md refers to it.
{%- if cookiecutter.compute == "spark" %}

The rules are data; ``build`` turns them into a pandera schema for pandas or, with
``engine=pyspark_engine()``, for Spark DataFrames (pandera's PySpark support). Both engines
enforce the same checks under the same names, so their validation reports compare.
{%- endif %}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pandera.pandas as pa

# Plausible ranges for the bundled breast-cancer measurements (cell-nucleus statistics).
FEATURES: dict[str, tuple[float, float]] = {
    "mean_radius": (0.0, 50.0),
    "mean_texture": (0.0, 60.0),
    "mean_perimeter": (0.0, 300.0),
    "mean_area": (0.0, 5000.0),
    "mean_smoothness": (0.0, 1.0),
    "mean_compactness": (0.0, 1.0),
    "mean_concavity": (0.0, 1.0),
    "mean_concave_points": (0.0, 1.0),
    "mean_symmetry": (0.0, 1.0),
    "mean_fractal_dimension": (0.0, 1.0),
}
TARGET_VALUES = [0, 1]  # 1 = act on the case (the positive class)


@dataclass(frozen=True)
class Engine:
    """What differs between dataframe libraries; the checks built from the rules do not."""

    api: ModuleType  # pandera.pandas{% if cookiecutter.compute == "spark" %} or pandera.pyspark{% endif %}
    real: Any  # the features' type
    integer: Any  # the target's type
    rows: Callable[[Any], int]
    no_duplicates: Callable[[Any], Any]  # a table: True, or one boolean per row
    null_share: Callable[[Any], float]  # a column's data: the share of missing values


PANDAS = Engine(
    api=pa,
    real=float,
    integer=int,
    rows=len,
    no_duplicates=lambda df: ~df.duplicated(),
    null_share=lambda s: s.isna().mean(),
)


def build(
    target: str,
    min_rows: int,
    max_null_fraction: float,
    kept: tuple[str, ...] = (),
    engine: Engine = PANDAS,
) -> Any:
    """The schema with the project's quality thresholds from pyproject.toml.

    ``kept`` columns (the sensitive attributes) must be present and are kept for
    per-group evaluation, whatever their type.
    """
    api = engine.api
    feature_columns = features(max_null_fraction, engine)
    target_column = api.Column(
        engine.integer, pa.Check.isin(TARGET_VALUES), nullable=False, coerce=True
    )
    kept_columns = {name: api.Column(nullable=True) for name in kept if name not in FEATURES}
    return api.DataFrameSchema(
        {**feature_columns, **kept_columns, target: target_column},
        checks=[
            pa.Check(lambda df: engine.rows(df) >= min_rows, name=f"min_rows>={min_rows}"),
            pa.Check(engine.no_duplicates, name="no_duplicate_rows"),
        ],
        strict="filter",  # extra columns are dropped, missing ones fail
        ordered=False,
    )


def features(max_null_fraction: float | None = None, engine: Engine = PANDAS) -> dict[str, Any]:
    """Each feature's type and range; with ``max_null_fraction``, the share of missing
    values a table may have (without it, no value may be missing)."""
    columns = {}
    for name, (low, high) in FEATURES.items():
        checks = [pa.Check.in_range(low, high)]
        if max_null_fraction is not None:
            checks.append(
                pa.Check(
                    lambda s, limit: engine.null_share(s) <= limit,
                    limit=max_null_fraction,  # by keyword, so that every backend passes it
                    element_wise=False,
                    ignore_na=False,
                    name=f"null_fraction<={max_null_fraction}",
                )
            )
        nullable = bool(max_null_fraction)
        columns[name] = engine.api.Column(
            engine.real, checks=checks, nullable=nullable, coerce=True
        )
    return columns


def rows() -> pa.DataFrameSchema:
    """What each row given to the model for prediction must satisfy: every feature present,
    in range and not missing. Other columns are kept as they are (identifiers, for example)."""
    return pa.DataFrameSchema(features(), strict=False, ordered=False)
{%- if cookiecutter.compute == "spark" %}


def pyspark_engine() -> Engine:
    """Spark DataFrames (needs the `spark` dependency group)."""
    import pandera.pyspark as ps
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    def null_share(data: Any) -> float:  # pandera passes (dataframe, column_name)
        missing = F.avg(F.col(data.column_name).isNull().cast("double"))
        return data.dataframe.select(missing).first()[0] or 0.0

    return Engine(
        api=ps,
        real=T.DoubleType(),
        integer=T.LongType(),
        rows=lambda df: df.count(),
        no_duplicates=lambda df: df.count() == df.dropDuplicates().count(),
        null_share=null_share,
    )
{%- endif %}
