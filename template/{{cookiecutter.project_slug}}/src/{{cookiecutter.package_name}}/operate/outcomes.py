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
from ..data.contract import as_text
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
    for needed in (name, "outcome"):
        if needed not in frame.columns:
            raise tables.DataError(f"{path}: column {needed!r} is missing")
    for column in (name, "outcome"):
        if frame[column].isna().any():
            rows = ", ".join(str(i + 2) for i in np.flatnonzero(frame[column].isna())[:5])
            raise tables.DataError(f"{path}: column {column!r} is empty on line(s) {rows}")
    if len(found := sorted(as_text(frame["outcome"]).unique())) > 2:
        raise tables.DataError(f"{path}: column 'outcome' has {len(found)} values: two are needed")
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
    parsed = pd.to_datetime(frame[column], utc=True, errors="coerce", format="mixed")
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


def reconcile(incoming: pd.DataFrame, known: pd.Series, store: pd.DataFrame) -> pd.Series:
    """Each incoming row's kind (``KINDS``), judged against the store and the rows before it."""
    first = pd.concat([store, incoming]).drop_duplicates("id")  # the outcome each id keeps
    kept = first.set_index("id")["outcome"]
    details = ["outcome", "outcome_at", "acted", "acted_at"]
    seen = store[["id", *details]].astype(str).apply(tuple, axis=1)
    same_row = incoming[["id", *details]].astype(str).apply(tuple, axis=1).isin(set(seen))
    is_first = ~incoming["id"].isin(store["id"]) & ~incoming["id"].duplicated()
    same_value = incoming["outcome"].to_numpy() == kept.reindex(incoming["id"]).to_numpy()
    kind = np.select(
        [~incoming["id"].isin(known), same_row, is_first, same_value],
        ["unknown", "already_stored", "matched", "duplicate"],
        "conflict",
    )
    return pd.Series(kind, index=incoming.index)


def ingest(settings: Settings, path: Path) -> dict:
    """Add the new outcomes of ``path`` to the store; the reconciliation, also as reports."""
    incoming = read_file(path, settings)
    log = prediction_log.read(settings.operate.prediction_log)
    kind = reconcile(incoming, log["id"], stored(settings))
    new = incoming[kind == "matched"]
    attached = _attach(log, new)
    late = new["outcome_at"].fillna(new["received_at"]).array - log["scored_at"].array[attached]
    late_count = int((late > pd.Timedelta(days=settings.operate.late_after_days)).sum())
    if len(new):
        folder = settings.operate.outcomes_store
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex}.parquet"
        new.to_parquet(folder / f".{name}.partial", index=False)
        (folder / f".{name}.partial").replace(folder / name)
    unknown = tables.read(path)[(kind == "unknown").to_numpy()]
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


def _attach(log: pd.DataFrame, outcomes: pd.DataFrame) -> np.ndarray:
    """For each outcome (its id in ``log``, sorted by time), the position of its scoring."""
    if outcomes.empty:
        return np.array([], dtype=int)
    scorings = log[["id", "scored_at"]].assign(row=np.arange(len(log)))
    left = outcomes[["id"]].assign(when=outcomes["outcome_at"].fillna(outcomes["received_at"]),
                                   order=np.arange(len(outcomes)))  # fmt: skip
    found = pd.merge_asof(left.sort_values("when"), scorings, left_on="when",
                          right_on="scored_at", by="id", direction="backward")  # fmt: skip
    first = scorings.drop_duplicates("id").set_index("id")["row"]
    rows = found["row"].fillna(found["id"].map(first)).astype(int)
    return rows.to_numpy()[np.argsort(found["order"].to_numpy())]


def joined(settings: Settings, since: datetime | None = None) -> pd.DataFrame:
    """Every logged prediction (scored at or after ``since``) with its outcome, if any."""
    log = prediction_log.read(settings.operate.prediction_log)
    outcomes = stored(settings).drop_duplicates("id")
    outcomes = outcomes[outcomes["id"].isin(log["id"])]
    found = pd.DataFrame(
        {
            "outcome": outcomes["outcome"].array,
            "outcome_at": outcomes["outcome_at"].fillna(outcomes["received_at"]).array,
            "acted": outcomes["acted"].array,
            "acted_at": outcomes["acted_at"].array,
        },
        index=_attach(log, outcomes),
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
