"""Load the data file, validate it against the schema, and split it reproducibly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pandera.errors

from ..config import Settings
from ..digest import sha256
from . import causes, schema
from .contract import as_text, text_of
from .report_types import ValidationReport


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
    try:
        if path.suffix.lower() == ".parquet":
            return pd.read_parquet(path)
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path} is empty: no header, no rows") from None
    except (UnicodeDecodeError, pd.errors.ParserError) as error:
        raise DataError(f"{path} cannot be read as a table: {error}") from None
    raise DataError(f"unsupported data file {path.name}: use .csv or .parquet")


def write(frame: pd.DataFrame, path: Path) -> None:
    """A CSV or Parquet file, by the name's suffix (text columns as strings for Parquet),
    written beside ``path`` first and moved into place whole: a failure leaves what was there."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise DataError(f"unsupported data file {path.name}: use .csv or .parquet")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial{suffix}")
    try:
        if suffix == ".parquet":
            text = {c: "string" for c in frame.columns if frame[c].dtype == object}
            frame.astype(text).to_parquet(partial, index=False)
        else:
            frame.to_csv(partial, index=False)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def validate(
    frame: pd.DataFrame, settings: Settings
) -> tuple[pd.DataFrame | None, ValidationReport]:
    """The validated frame (None on failure), its target as 1 (positive) or 0, and a report
    naming the causes of every failed check. Rows without a target value are set aside."""
    contract, frame = settings.contract, frame.reset_index(drop=True)  # a file's rows: 0, 1, …
    report = report_header(settings, len(frame), len(frame.columns), newest_record(frame, settings))
    listed = {*contract.names, *contract.hidden, settings.target}
    report["ignored_columns"] = [str(c) for c in frame.columns if c not in listed]
    report["kept_out_of_model"] = {c.name: c.kind for c in contract.kept_out}
    target_problems = []
    if settings.target in frame.columns:
        unlabelled = frame[settings.target].isna()
        report["unlabelled_rows"] = int(unlabelled.sum())
        frame = frame[~unlabelled]
        target_problems = label_problems(frame[settings.target], settings)
    schema_ = schema.build(contract, settings.target, settings.min_rows)
    try:
        valid = schema_.validate(frame, lazy=True)
        cases = pd.DataFrame(columns=["column", "check", "failure_case", "index"])
    except pandera.errors.SchemaErrors as errors:
        valid, cases = None, errors.failure_cases
    causes.record(report, cases, target_problems)
    if report["failures"]:
        valid = None
    if valid is not None:
        valid = valid.assign(**{settings.target: labels(valid[settings.target], settings)})
    report["passed"] = valid is not None
    return valid, report


def label_problems(target: pd.Series, settings: Settings) -> list[str]:
    """Why the target column cannot be read as positive / negative (empty: it can)."""
    found = sorted(as_text(pd.Series(target.dropna().unique())).unique())  # values, then text
    positive = text_of(settings.positive)
    if len(found) > 2:
        shown = ", ".join(repr(v) for v in found[:5])
        return [f"{len(found)} values ({shown}{', …' if len(found) > 5 else ''}); two are needed"]
    if positive not in found:
        return [f"the positive label {positive!r} never occurs (found {found})"]
    return []


def labels(target: pd.Series, settings: Settings) -> pd.Series:
    """1 where the target is the positive label, else 0."""
    return (as_text(target) == text_of(settings.positive)).astype(int)


def report_header(
    settings: Settings, rows: int, columns: int, newest: str | None
) -> ValidationReport:
    """The validation report's facts about the data file, with no failures yet (not passed
    until the checks have run: causes.record fills the failures, the validator ``passed``)."""
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
        "target": settings.target,
        "positive": text_of(settings.positive),
        "passed": False,
        "failures": [],
        "failure_count": 0,
        "failures_left_out": 0,
        "causes": [],
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
        raise DataError(f"data validation failed: {causes.summary(report)}")
    return valid


def held_out(settings: Settings) -> Split:
    """The validated data file, split with the fixed seed (validation failure raises)."""
    return split(load_valid(settings), settings)


def split(frame: pd.DataFrame, settings: Settings) -> Split:
    """Stratified train / validation / test split with the configured seed."""
    from sklearn.model_selection import train_test_split  # not needed to validate

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
    """Model inputs (the contract's; never identifiers, text or sensitive attributes) and
    target."""
    return frame[[c.name for c in settings.contract.inputs]], frame[settings.target]
