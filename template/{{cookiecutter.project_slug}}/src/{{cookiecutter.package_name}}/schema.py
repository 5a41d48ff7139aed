"""The data contract, in one place: what a usable row and a usable table look like.

Edit ``FEATURES`` (name → allowed range) and ``TARGET_VALUES`` when you point
the pipeline at your own data; the ``validate`` step enforces this schema
before anything is trained, and phases/2-data/data-audit.md refers to it.
"""

from __future__ import annotations

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


def build(
    target: str, min_rows: int, max_null_fraction: float, kept: tuple[str, ...] = ()
) -> pa.DataFrameSchema:
    """The schema with the project's quality thresholds from pyproject.toml.

    ``kept`` columns (the sensitive attributes) must be present and are kept for
    per-group evaluation, whatever their type.
    """
    feature_columns = features(max_null_fraction)
    target_column = pa.Column(int, pa.Check.isin(TARGET_VALUES), nullable=False, coerce=True)
    kept_columns = {name: pa.Column(nullable=True) for name in kept if name not in FEATURES}
    return pa.DataFrameSchema(
        {**feature_columns, **kept_columns, target: target_column},
        checks=[
            pa.Check(lambda df: len(df) >= min_rows, name=f"min_rows>={min_rows}"),
            pa.Check(lambda df: ~df.duplicated(), name="no_duplicate_rows"),
        ],
        strict="filter",  # extra columns are dropped, missing ones fail
        ordered=False,
    )


def features(max_null_fraction: float | None = None) -> dict[str, pa.Column]:
    """Each feature's type and range; with ``max_null_fraction``, the share of missing
    values a table may have (without it, no value may be missing)."""
    columns = {}
    for name, (low, high) in FEATURES.items():
        checks = [pa.Check.in_range(low, high)]
        if max_null_fraction is not None:
            checks.append(
                pa.Check(
                    lambda s, limit=max_null_fraction: s.isna().mean() <= limit,
                    element_wise=False,
                    ignore_na=False,
                    name=f"null_fraction<={max_null_fraction}",
                )
            )
        nullable = bool(max_null_fraction)
        columns[name] = pa.Column(float, checks=checks, nullable=nullable, coerce=True)
    return columns


def rows() -> pa.DataFrameSchema:
    """What each row given to the model for prediction must satisfy: every feature present,
    in range and not missing. Other columns are kept as they are (identifiers, for example)."""
    return pa.DataFrameSchema(features(), strict=False, ordered=False)
