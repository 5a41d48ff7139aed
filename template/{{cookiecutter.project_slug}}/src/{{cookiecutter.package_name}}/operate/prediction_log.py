"""The prediction log: every scored row's identifier, time, model version, score and decisions.

An append-only store partitioned by day: ``<prediction_log>/date=YYYY-MM-DD/<unique>.parquet``
(``[tool.phasegate.operate] prediction_log``, default ``operate/predictions``). Files are only
ever added, each written beside its place first and then renamed, so a reader never sees half
of one. Only ``COLUMNS`` are stored: no feature values, never a sensitive column.

A row's ``id`` is the contract's identifier column; without one (or without a value for the
row) it is ``"row:"`` and the first 16 hexadecimal digits of the SHA-256 of the row's model
inputs (``row_ids``): the numeric ones rounded to 10 significant digits, as little-endian
float64 bytes in contract order, then
the others as category text joined by U+001F. The same row read again from the data file, CSV
or Parquet, gets the same id.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from ..config import Settings
from ..data.contract import Contract, as_text
from ..model import baseline

if TYPE_CHECKING:
    from ..model.train import TrainedModel

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
    """Each row's id: its identifier as text; without one (no such column in the contract, or
    none given for the row), ``row:`` and a hash of its model inputs."""
    name = identifier(contract)
    given = as_text(frame[name]).astype("string") if name in frame.columns else None
    if given is not None and given.notna().all():
        return given
    numbers = [c.name for c in contract.inputs if c.kind == "numeric"]
    values = frame[numbers].apply(pd.to_numeric).to_numpy(dtype="<f8") + 0.0  # -0.0 is 0.0
    # CSV readers may differ in the last bit (pandas' fast parser, a text column coerced).
    mantissa, exponent = np.frexp(values)
    values = np.ldexp(np.round(mantissa, 10), exponent)
    values[np.isnan(values)] = np.nan  # one NaN, whatever its bits were
    data, width = values.tobytes(), 8 * len(numbers)
    texts = [as_text(frame[c.name]).fillna("").tolist() for c in contract.inputs
             if c.kind != "numeric"]  # fmt: skip
    labels = ["\x1f".join(row).encode() for row in zip(*texts, strict=True)] if texts else None
    hashed = [
        hashlib.sha256(
            data[i * width : (i + 1) * width] + (labels[i] if labels else b"")
        ).hexdigest()[:16]
        for i in range(len(frame))
    ]
    made = pd.Series(["row:" + h for h in hashed], index=frame.index, dtype="string")
    return made if given is None else given.fillna(made)


def carried(settings: Settings) -> list[str]:
    """Columns a caller may send beside the model inputs, for the log: the identifier, the
    timestamp and the columns the baseline rule reads."""
    names = [identifier(settings.contract), settings.timestamp_column]
    names += sorted(baseline.columns(settings.baseline_rule))
    inputs = {c.name for c in settings.contract.inputs}
    return [n for n in dict.fromkeys(names) if n and n not in inputs]


def entries(
    predictions: pd.DataFrame,
    settings: Settings,
    threshold: float,
    scored_at: datetime | pd.Series | None = None,
) -> pd.DataFrame:
    """The log's rows for scored rows (``predict.decide``'s predictions, input columns kept),
    scored now or at ``scored_at`` (one moment, or one per row)."""
    moment = pd.to_datetime(datetime.now(UTC) if scored_at is None else scored_at, utc=True)
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
            "scored_at": pd.Series(moment, index=predictions.index).astype(UTC_TIME),
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
    """The log of a long-running service: a request's scored rows are kept in memory (a list
    append) and written together, in a thread of their own, when ``seconds`` have passed or
    ``rows`` are waiting, and by ``lifespan`` when the service stops."""

    def __init__(
        self, settings: Settings, model: TrainedModel, seconds: float = 5.0, rows: int = 10_000
    ) -> None:
        self.settings, self.seconds, self.rows = settings, seconds, rows
        self.threshold: float = model.metadata["threshold"]
        self.carried = carried(settings)  # columns a request may send for the log
        self.waiting: list[tuple[pd.DataFrame, datetime]] = []
        self.count, self.since = 0, time.monotonic()
        self.lock, self.writing = threading.Lock(), threading.Lock()

    def add(self, predictions: pd.DataFrame) -> None:
        with self.lock:
            self.waiting.append((predictions, datetime.now(UTC)))
            self.count += len(predictions)
            due = self.count >= self.rows or time.monotonic() - self.since >= self.seconds
        if due:
            threading.Thread(target=self.flush, name="prediction-log").start()

    def flush(self) -> None:
        """Write every row waiting (one file a day)."""
        with self.writing:
            with self.lock:
                waiting, self.waiting, self.count = self.waiting, [], 0
                self.since = time.monotonic()
            if not (waiting := [(p, at) for p, at in waiting if len(p)]):
                return
            rows = pd.concat([p for p, _ in waiting], ignore_index=True)
            moments = pd.Series([at for p, at in waiting for _ in range(len(p))])
            log = entries(rows, self.settings, self.threshold, moments)
            append(log, self.settings.operate.prediction_log)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: object) -> AsyncIterator[None]:
        """For FastAPI's ``lifespan``: what is waiting is written when the service stops."""
        yield
        self.flush()
