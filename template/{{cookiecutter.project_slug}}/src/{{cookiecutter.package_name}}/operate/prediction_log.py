"""The prediction log: every scored row's identifier, time, model version, score and decisions.

An append-only store partitioned by day: ``<prediction_log>/date=YYYY-MM-DD/<unique>.parquet``
(``[tool.phasegate.operate] prediction_log``, default ``operate/predictions``). Files are only
ever added, each written beside its place first and then renamed, so a reader never sees half
of one. Only ``COLUMNS`` are stored: no feature values, never a sensitive column.

A row's ``id`` is the contract's identifier column; without one it is ``"row:"`` and the first
16 hexadecimal digits of the SHA-256 of the row's model inputs as text (``row_ids``), so that
the same row read again from the data file gets the same id.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from ..config import Settings
from ..data.contract import Contract, as_text
from ..model import baseline

COLUMNS = (
    "id",
    "scored_at",
    "data_at",
    "model_version",
    "score",
    "threshold",
    "decision",
    "baseline_decision",
)
UTC_TIME: Final = "datetime64[ns, UTC]"
DTYPES = {
    "id": "string",
    "scored_at": UTC_TIME,
    "data_at": UTC_TIME,
    "model_version": "string",
    "score": "float64",
    "threshold": "float64",
    "decision": "bool",
    "baseline_decision": "bool",
}


def identifier(contract: Contract) -> str | None:
    """The identifier column the log records, when the contract has one."""
    return contract.identifiers[0] if contract.identifiers else None


def row_ids(frame: pd.DataFrame, contract: Contract) -> pd.Series:
    """Each row's id: its identifier as text, or ``row:`` and a hash of its model inputs."""
    if (name := identifier(contract)) is not None:
        return as_text(frame[name]).astype("string")
    parts = [
        as_text(pd.to_numeric(frame[c.name]) if c.kind == "numeric" else frame[c.name])
        .fillna("")
        .tolist()
        for c in contract.inputs
    ]
    rows = ("\x1f".join(values) for values in zip(*parts, strict=True))
    hashed = [hashlib.sha256(row.encode()).hexdigest()[:16] for row in rows]
    return pd.Series(["row:" + h for h in hashed], index=frame.index, dtype="string")


def entries(
    predictions: pd.DataFrame,
    settings: Settings,
    threshold: float,
    scored_at: datetime | None = None,
) -> pd.DataFrame:
    """The log's rows for scored rows (``predict.decide``'s predictions, input columns kept)."""
    moment = pd.Timestamp(scored_at or datetime.now(UTC)).tz_convert("UTC")
    stamp = settings.timestamp_column
    data_at = (
        pd.to_datetime(predictions[stamp], utc=True, errors="coerce")
        if stamp and stamp in predictions.columns
        else pd.Series(pd.NaT, index=predictions.index, dtype=UTC_TIME)
    )
    score = predictions["score"].astype("float64")
    return pd.DataFrame(
        {
            "id": row_ids(predictions, settings.contract),
            "scored_at": pd.Series(moment, index=predictions.index, dtype=UTC_TIME),
            "data_at": data_at.astype(UTC_TIME),
            "model_version": predictions["model_version"].astype("string"),
            "score": score,
            "threshold": np.float64(threshold),
            "decision": (score >= threshold).to_numpy(),
            "baseline_decision": baseline.decide(predictions, settings).astype(bool),
        },
        index=predictions.index,
    )[list(COLUMNS)].reset_index(drop=True)


def append(log: pd.DataFrame, folder: Path) -> list[Path]:
    """Add ``log`` (``entries``' rows) to the store under ``folder``: one new file per day."""
    written = []
    days = log["scored_at"].dt.strftime("%Y-%m-%d")
    for day, rows in log.groupby(days, sort=True):
        place = folder / f"date={day}"
        place.mkdir(parents=True, exist_ok=True)
        path = place / f"{time.strftime('%H%M%S')}-{uuid.uuid4().hex}.parquet"
        partial = place / f".{path.name}.partial"  # readers skip names starting with a dot
        rows.astype(DTYPES).to_parquet(partial, index=False)
        partial.replace(path)
        written.append(path)
    return written


def read(folder: Path, since: datetime | None = None) -> pd.DataFrame:
    """Every logged row (scored at or after ``since``), in the order they were scored."""
    if not folder.is_dir():
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in DTYPES.items()})
    wanted = None
    if since is not None:
        start = pd.Timestamp(since)
        start = start.tz_convert("UTC") if start.tzinfo else start.tz_localize("UTC")
        wanted = [("date", ">=", start.strftime("%Y-%m-%d")), ("scored_at", ">=", start)]
    frame = pd.read_parquet(folder, columns=list(COLUMNS), filters=wanted)
    return frame.astype(DTYPES).sort_values("scored_at", kind="stable", ignore_index=True)


class Writer:
    """Log rows for a long-running service: rows are kept in memory and written together,
    at most every ``seconds`` or ``rows`` (and by ``flush`` when the service stops), so that
    a request pays for a list append, not a file."""

    def __init__(self, folder: Path, seconds: float = 5.0, rows: int = 10_000) -> None:
        self.folder, self.seconds, self.rows = folder, seconds, rows
        self.waiting: list[pd.DataFrame] = []
        self.count, self.since = 0, time.monotonic()
        self.lock = threading.Lock()

    def add(self, log: pd.DataFrame) -> None:
        with self.lock:
            self.waiting.append(log)
            self.count += len(log)
            due = self.count >= self.rows or time.monotonic() - self.since >= self.seconds
        if due:
            self.flush()

    def flush(self) -> None:
        with self.lock:
            waiting, self.waiting, self.count = self.waiting, [], 0
            self.since = time.monotonic()
        if waiting:
            append(pd.concat(waiting, ignore_index=True), self.folder)
