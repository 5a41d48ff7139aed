"""Load the data file, validate it against the schema, and split it reproducibly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pandera.errors
from sklearn.model_selection import train_test_split

from . import schema
from .config import Settings
from .digest import sha256


class DataError(ValueError):
    """The data file cannot be read or does not satisfy the schema."""


@dataclass(frozen=True)
class Split:
    train: pd.DataFrame
    validation: pd.DataFrame
    test: pd.DataFrame


def read(path: Path) -> pd.DataFrame:
    """A CSV file, or a Parquet file or a folder of Parquet files."""
    if not path.exists():
        raise DataError(f"data file not found: {path} (set [tool.phasegate.data] path)")
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    if path.suffix.lower() == ".csv":
        return pd.read_csv(path)
    raise DataError(f"unsupported data file {path.name}: use .csv or .parquet")


def write(frame: pd.DataFrame, path: Path) -> None:
    """A CSV or Parquet file, by the name's suffix (text columns as strings for Parquet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".parquet":
        text = {c: "string" for c in frame.columns if frame[c].dtype == object}
        frame.astype(text).to_parquet(path, index=False)
    elif path.suffix.lower() == ".csv":
        frame.to_csv(path, index=False)
    else:
        raise DataError(f"unsupported data file {path.name}: use .csv or .parquet")


def validate(frame: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame | None, dict]:
    """The validated frame (None on failure) and a report of every failed check."""
    contract = schema.build(
        settings.target,
        settings.min_rows,
        settings.max_null_fraction,
        kept=settings.sensitive_attributes or (),
    )
    report = report_header(settings, len(frame), len(frame.columns), newest_record(frame, settings))
    try:
        valid = contract.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases.astype(object).fillna("")
        report["failures"] = [
            {
                "column": str(row["column"]),
                "check": str(row["check"]),
                "failure_case": str(row["failure_case"]),
                "index": str(row["index"]),
            }
            for _, row in cases.head(200).iterrows()
        ]
        report["failure_count"] = len(cases)
        valid = None
    report["passed"] = valid is not None
    return valid, report


def report_header(settings: Settings, rows: int, columns: int, newest: str | None) -> dict:
    """The validation report's facts about the data file, with no failures yet."""
    modified = datetime.fromtimestamp(settings.data_path.stat().st_mtime, UTC)
    return {
        "data_path": str(settings.data_path),
        "data_sha256": sha256(settings.data_path),
        "data_modified_at": modified.isoformat(timespec="seconds"),
        "newest_record_at": newest,
        "validated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": rows,
        "columns": columns,
        "min_rows": settings.min_rows,
        "max_null_fraction": settings.max_null_fraction,
        "failures": [],
    }


def newest_record(frame: pd.DataFrame, settings: Settings) -> str | None:
    """The latest value of the configured timestamp column (None when none is configured)."""
    column = settings.timestamp_column
    if not column:
        return None
    if column not in frame.columns:
        raise DataError(
            f"timestamp column {column!r} is not in the data: "
            "set [tool.phasegate.data] timestamp_column"
        )
    newest = pd.to_datetime(frame[column], errors="coerce", utc=True).max()
    return None if pd.isna(newest) else newest.isoformat(timespec="seconds")


def load_valid(settings: Settings) -> pd.DataFrame:
    """The data file, validated; raises DataError naming the failed checks."""
    valid, report = validate(read(settings.data_path), settings)
    if valid is None:
        checks = sorted({f"{f['column']}: {f['check']}" for f in report["failures"]})
        raise DataError("data validation failed: " + "; ".join(checks[:10]))
    return valid


def held_out(settings: Settings) -> Split:
    """The validated data file, split with the fixed seed (validation failure raises)."""
    return split(load_valid(settings), settings)


def split(frame: pd.DataFrame, settings: Settings) -> Split:
    """Stratified train / validation / test split with the configured seed."""
    target = frame[settings.target]
    rest, test = train_test_split(
        frame, test_size=settings.test_fraction, random_state=settings.seed, stratify=target
    )
    validation_share = settings.validation_fraction / (1 - settings.test_fraction)
    train, validation = train_test_split(
        rest,
        test_size=validation_share,
        random_state=settings.seed,
        stratify=rest[settings.target],
    )
    return Split(train=train, validation=validation, test=test)


def features(frame: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame, pd.Series]:
    """Model inputs and target; sensitive attributes are never model inputs."""
    dropped = [settings.target, *(settings.sensitive_attributes or ())]
    return frame.drop(columns=dropped, errors="ignore"), frame[settings.target]
