"""Realized outcomes: ingested from a team's file, kept beside the prediction log, joined to it.

An outcome file (CSV or Parquet) has the identifier (the contract's identifier column, or
``id``), ``outcome`` (a value of the target; the project's ``positive`` value means positive)
and optionally ``outcome_at``, ``acted`` (true/false: a person acted on the recommendation)
and ``acted_at``. Each row is counted once, as one of: matched (stored; ``late`` when it came
more than ``late_after_days`` after scoring), already stored (the same row ingested before),
duplicate (its id already has an outcome), conflict (a different outcome for such an id: the
first is kept) or unknown (no such id in the log: listed in ``reports/outcomes-unknown.csv``).

The outcome store (``[tool.phasegate.operate] outcomes_store``) is append-only Parquet.
``joined`` gives every logged prediction with its outcome: an outcome joins to the latest
scoring of its id at or before its time (``outcome_at``, or when it was ingested), or to the
first scoring when it is older than all of them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Settings
from ..data import tables
from ..data.contract import as_text, text_of
from . import prediction_log

TIME = prediction_log.UTC_TIME
STORED = {"id": "string", "outcome": "boolean", "outcome_at": TIME, "acted": "boolean",
          "acted_at": TIME, "received_at": TIME}  # fmt: skip
KINDS = ("matched", "already_stored", "duplicate", "conflict", "unknown")
ACTED = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def read_file(path: Path, settings: Settings) -> pd.DataFrame:
    """An outcome file as the store's columns (``received_at`` now); refuses bad values."""
    frame = tables.read(path)
    name = prediction_log.identifier(settings.contract) or "id"
    name = name if name in frame.columns or "id" not in frame.columns else "id"  # either works
    for needed in (name, "outcome"):
        if needed not in frame.columns:
            also = " (or 'id')" if needed == name != "id" else ""
            raise tables.DataError(f"{path}: column {needed!r}{also} is missing")
    for column in (name, "outcome"):
        if frame[column].isna().any():
            rows = ", ".join(str(i + 2) for i in np.flatnonzero(frame[column].isna())[:5])
            raise tables.DataError(f"{path}: column {column!r} is empty on line(s) {rows}")
    if len(found := sorted(as_text(frame["outcome"]).unique())) > 2:
        raise tables.DataError(f"{path}: column 'outcome' has {len(found)} values: two are needed")
    if len(found) == 2 and (positive := text_of(settings.positive)) not in found:
        raise tables.DataError(  # e.g. 1/0 where the target says "bad"/"good": all would be 0
            f"{path}: column 'outcome' has {found}, neither the positive value {positive!r}"
        )
    acted_text = as_text(frame["acted"]).str.lower() if "acted" in frame else None
    if acted_text is not None and (bad := set(acted_text.dropna()) - set(ACTED)):
        raise tables.DataError(f"{path}: column 'acted' has {sorted(bad)[:3]}: use true or false")
    return pd.DataFrame(
        {
            "id": as_text(frame[name]).astype("string"),
            "outcome": tables.labels(frame["outcome"], settings).astype(bool),
            "outcome_at": _times(frame, "outcome_at", path),
            "acted": acted_text.map(ACTED) if acted_text is not None else pd.NA,
            "acted_at": _times(frame, "acted_at", path),
            "received_at": pd.Timestamp(datetime.now(UTC)),
        }
    ).astype(STORED)


def _times(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype=TIME)
    parsed = pd.to_datetime(frame[column], utc=True, errors="coerce", format="ISO8601")
    if (other := parsed.isna() & frame[column].notna()).any():  # not ISO 8601: slower, any form
        parsed[other] = pd.to_datetime(
            frame.loc[other, column], utc=True, errors="coerce", format="mixed"
        )
    if (bad := parsed.isna() & frame[column].notna()).any():
        example = frame.loc[bad, column].iloc[0]
        raise tables.DataError(f"{path}: column {column!r} has {example!r}, not a date or time")
    return parsed


def stored(settings: Settings) -> pd.DataFrame:
    """Every outcome kept, in the order they arrived."""
    folder = settings.operate.outcomes_store
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not files:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in STORED.items()})
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True).astype(STORED)


def reconcile(incoming: pd.DataFrame, logged: pd.Series, store: pd.DataFrame) -> np.ndarray:
    """Each incoming row's kind (``KINDS``), judged against the store and the rows before it."""
    log_key, keys = _keys(logged, pd.concat([store["id"], incoming["id"]], ignore_index=True))
    stored_key, key = keys[: len(store)], keys[len(store) :]
    columns = ["id", "outcome", "outcome_at", "acted", "acted_at"]
    same_row = np.isin(_hashed(incoming[columns]), _hashed(store[columns]))
    values = np.concatenate([store["outcome"].to_numpy(bool), incoming["outcome"].to_numpy(bool)])
    ids, first = np.unique(keys, return_index=True)  # the outcome each id keeps: its first
    kept = np.zeros(ids.max() + 1 if len(ids) else 0, dtype=bool)
    kept[ids] = values[first]
    is_first = ~np.isin(key, stored_key) & ~pd.Series(key).duplicated().to_numpy()
    same_value = incoming["outcome"].to_numpy(bool) == kept[key]
    cases = [~np.isin(key, log_key), same_row, is_first, same_value]
    return np.select(cases, ["unknown", "already_stored", "matched", "duplicate"], "conflict")


def _hashed(frame: pd.DataFrame) -> np.ndarray:
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


def _keys(logged: pd.Series, others: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The ids as whole numbers (one number per id), quicker to compare and join than text."""
    codes, _ = pd.factorize(pd.concat([logged, others], ignore_index=True))
    return codes[: len(logged)], codes[len(logged) :]


def ingest(settings: Settings, path: Path) -> dict:
    """Add the new outcomes of ``path`` to the store; the reconciliation, also as reports."""
    incoming = read_file(path, settings)
    log = prediction_log.read(settings.operate.prediction_log)
    kind = reconcile(incoming, log["id"], stored(settings))
    new = incoming[kind == "matched"]
    attached = _attach(log, new, *_keys(log["id"], new["id"]))
    late = new["outcome_at"].fillna(new["received_at"]).array - log["scored_at"].array[attached]
    late_count = int((late > pd.Timedelta(days=settings.operate.late_after_days)).sum())
    if len(new):
        folder = settings.operate.outcomes_store
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex}.parquet"
        new.to_parquet(folder / f".{name}.partial", index=False)
        (folder / f".{name}.partial").replace(folder / name)
    unknown = tables.read(path)[kind == "unknown"]
    tables.write(unknown, settings.reports_dir / "outcomes-unknown.csv")
    counts = {k: int((kind == k).sum()) for k in KINDS}
    positive = int(new["outcome"].sum())
    return {"file": str(path), "rows": len(incoming), **counts, "late": late_count,
            "matched_positive": positive, "matched_negative": len(new) - positive,
            "late_after_days": settings.operate.late_after_days,
            "received_at": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip


def summary(report: dict) -> str:
    """The reconciliation in one line; it starts "Nothing added" when the store did not grow."""
    start = "Nothing added from" if report["matched"] == 0 else "Outcomes from"
    return (
        f"{start} {report['file']}: {report['rows']} rows, {report['matched']} matched "
        f"({report['late']} late), {report['already_stored']} already stored, "
        f"{report['duplicate']} duplicates, {report['conflict']} conflicts (first kept), "
        f"{report['unknown']} unknown ids (reports/outcomes-unknown.csv)"
    )


def _attach(
    log: pd.DataFrame, outcomes: pd.DataFrame, log_key: np.ndarray, key: np.ndarray
) -> np.ndarray:
    """For each outcome (its id in ``log``, sorted by time), the position of its scoring."""
    if outcomes.empty:
        return np.array([], dtype=int)
    scorings = pd.DataFrame(
        {"key": log_key, "scored_at": log["scored_at"], "row": np.arange(len(log))}
    )
    when = outcomes["outcome_at"].fillna(outcomes["received_at"]).array
    left = pd.DataFrame({"key": key, "when": when, "order": np.arange(len(outcomes))})
    found = pd.merge_asof(left.sort_values("when"), scorings, left_on="when",
                          right_on="scored_at", by="key", direction="backward")  # fmt: skip
    ids, first = np.unique(log_key, return_index=True)  # the log is in scoring order
    earliest = np.zeros(ids.max() + 1, dtype=int)
    earliest[ids] = first
    rows = found["row"].fillna(pd.Series(earliest[found["key"]], index=found.index)).astype(int)
    return rows.to_numpy()[np.argsort(found["order"].to_numpy())]


def joined(settings: Settings, since: datetime | None = None) -> pd.DataFrame:
    """Every logged prediction (scored at or after ``since``) with its outcome, if any."""
    log, outcomes = prediction_log.read(settings.operate.prediction_log), stored(settings)
    log_key, key = _keys(log["id"], outcomes["id"])
    kept = ~pd.Series(key).duplicated().to_numpy() & np.isin(key, log_key)  # first, and logged
    outcomes, key = outcomes[kept], key[kept]
    found = pd.DataFrame(
        {
            "outcome": outcomes["outcome"].array,
            "outcome_at": outcomes["outcome_at"].fillna(outcomes["received_at"]).array,
            "acted": outcomes["acted"].array,
            "acted_at": outcomes["acted_at"].array,
        },
        index=_attach(log, outcomes, log_key, key),
    )
    result = pd.concat([log, found.reindex(log.index)], axis=1)
    late = result["outcome_at"] - result["scored_at"] > pd.Timedelta(
        days=settings.operate.late_after_days
    )
    result["late"] = late.fillna(False).astype(bool)
    if since is not None:
        start = pd.Timestamp(since)
        start = start.tz_convert("UTC") if start.tzinfo else start.tz_localize("UTC")
        result = result[result["scored_at"] >= start].reset_index(drop=True)
    return result
