"""The operate loop's first half: the prediction log, outcomes reconciled with it, the joined
table, and simulated outcomes for a rehearsal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gate_project import edit_setting

from {{ cookiecutter.package_name }} import cli, config
from {{ cookiecutter.package_name }}.data import synthetic, tables
from {{ cookiecutter.package_name }}.operate import outcomes, prediction_log

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
JOINED = {**prediction_log.DTYPES, "outcome": "boolean", "outcome_at": prediction_log.UTC_TIME,
          "acted": "boolean", "acted_at": prediction_log.UTC_TIME, "late": "bool"}  # fmt: skip


@pytest.fixture
def sensitive(settings: config.Settings) -> config.Settings:
    """The project copy with a sensitive column ("segment") in its data."""
    edit_setting(settings.root, "sensitive_attributes", '["segment"]')
    project = config.load(settings.root)
    synthetic.rows(project, count=200, seed=3).to_csv(project.data_path, index=False)
    return project


def scored(settings: config.Settings, count: int = 200, seed: int = 0) -> pd.DataFrame:
    """Rows as ``predict.decide`` returns them: the input columns, a score and a version."""
    frame = tables.read(settings.data_path).head(count).drop(columns=[settings.target])
    score = np.random.default_rng(seed).uniform(0, 1, len(frame))
    return frame.assign(score=score, decision=(score >= 0.5).astype(int), model_version="3")


def log_rows(settings: config.Settings, when: datetime = NOW, **kwargs: int) -> pd.DataFrame:
    log = prediction_log.entries(scored(settings, **kwargs), settings, 0.5, when)
    prediction_log.append(log, settings.operate.prediction_log)
    return log


def test_the_log_holds_only_its_columns_and_never_a_sensitive_one(sensitive):
    rows = scored(sensitive)
    assert "segment" in rows.columns
    log_rows(sensitive)
    files = list(sensitive.operate.prediction_log.glob("date=2026-03-02/*.parquet"))
    assert len(files) == 1
    stored = pd.read_parquet(files[0])
    assert list(stored.columns) == list(prediction_log.COLUMNS)
    read = prediction_log.read(sensitive.operate.prediction_log)
    assert dict(read.dtypes.astype(str)) == prediction_log.DTYPES
    assert list(read["id"]) == list(prediction_log.row_ids(rows, sensitive.contract))
    assert (read["decision"] == (read["score"] >= 0.5)).all()
    assert set(read["model_version"]) == {"3"}


def test_ids_are_the_identifier_or_a_hash_the_data_file_gives_again(settings):
    rows = scored(settings)
    again = tables.read(settings.data_path).head(len(rows))
    ids = prediction_log.row_ids(rows, settings.contract)
    assert ids.equals(prediction_log.row_ids(again, settings.contract))
    assert ids.is_unique


def test_reading_since_a_moment_skips_earlier_days(settings):
    log_rows(settings, NOW - timedelta(days=3), count=10)
    log_rows(settings, NOW, count=20, seed=1)
    folder = settings.operate.prediction_log
    assert len(prediction_log.read(folder)) == 30
    assert len(prediction_log.read(folder, since=NOW - timedelta(hours=1))) == 20


def target_values(settings: config.Settings) -> tuple[object, object]:
    """The team's positive target value and another one: outcome files speak the target's."""
    values = tables.read(settings.data_path)[settings.target].dropna().unique()
    negative = next(v for v in values if str(v) != str(settings.positive))
    return settings.positive, negative


def outcome_file(path: Path, ids: list[str], values: list[int], days: list[float]) -> Path:
    """1 is the positive value, 0 the other (of the project in the current folder)."""
    at = [(NOW + timedelta(days=d)).isoformat() for d in days]
    positive, negative = target_values(config.load())
    outcome = [positive if v else negative for v in values]
    pd.DataFrame({"id": ids, "outcome": outcome, "outcome_at": at}).to_csv(path, index=False)
    return path


def test_outcomes_are_each_counted_once_as_what_they_are(settings, tmp_path, capsys):
    log = log_rows(settings, count=6)
    ids = list(log["id"])
    file = outcome_file(
        tmp_path / "outcomes.csv",
        [ids[0], ids[1], ids[2], ids[2], ids[3], ids[3], "nobody", ids[0]],
        [1, 0, 1, 1, 1, 0, 1, 1],
        [5, 5, 200, 6, 5, 6, 5, 5],
    )
    assert cli.main(["outcomes", str(file)]) == 0
    line = capsys.readouterr().out
    written = pd.read_json(settings.reports_dir / "outcomes.json", typ="series")
    assert (written["matched"], written["late"], written["already_stored"]) == (4, 1, 0)
    assert (written["duplicate"], written["conflict"], written["unknown"]) == (2, 1, 1)
    assert written["rows"] == 8 and "4 matched (1 late)" in line
    unknown = pd.read_csv(settings.reports_dir / "outcomes-unknown.csv")
    assert list(unknown["id"]) == ["nobody"]
    joined = outcomes.joined(settings)
    assert joined["outcome"].notna().sum() == 4
    assert joined.set_index("id").loc[ids[3], "outcome"]  # the first value is kept
    assert joined["late"].sum() == 1


def test_ingesting_the_same_file_again_adds_nothing(settings, tmp_path, capsys):
    ids = list(log_rows(settings, count=5)["id"])
    file = outcome_file(tmp_path / "o.csv", ids, [1, 0, 1, 0, 1], [1, 2, 3, 4, 5])
    assert cli.main(["outcomes", str(file)]) == 0
    stored = list(settings.operate.outcomes_store.glob("*.parquet"))
    capsys.readouterr()
    assert cli.main(["outcomes", str(file)]) == 0
    assert capsys.readouterr().out.startswith("Nothing added from")
    assert list(settings.operate.outcomes_store.glob("*.parquet")) == stored
    assert outcomes.joined(settings)["outcome"].notna().sum() == 5


def test_an_outcome_joins_the_latest_scoring_before_it(settings, tmp_path):
    first = log_rows(settings, NOW - timedelta(days=10), count=3)
    log_rows(settings, NOW, count=3)  # the same rows, scored again
    ids = list(first["id"])
    outcomes.ingest(settings, outcome_file(tmp_path / "o.csv", ids, [1, 1, 1], [-5, 1, -20]))
    joined = outcomes.joined(settings)
    assert dict(joined.dtypes.astype(str)) == JOINED
    assert len(joined) == 6
    got = joined[joined["outcome"].notna()].set_index("id")["scored_at"]
    old, new = pd.Timestamp(NOW - timedelta(days=10)), pd.Timestamp(NOW)
    assert got[ids[0]] == old and got[ids[1]] == new
    assert got[ids[2]] == old  # older than every scoring: the first one
    assert len(outcomes.joined(settings, since=NOW - timedelta(days=1))) == 3


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("id,result\na,1\n", "'outcome'"),
        ("id,outcome,outcome_at\na,1,someday\n", "outcome_at"),
        ("id,outcome\na,1\nb,0\nc,maybe\n", "'outcome' has 3 values"),
        ("id,outcome,acted\na,1,often\n", "'acted'"),
        ("id,outcome\na,yes-ish\nb,no-ish\n", "neither the positive value"),
    ],
)
def test_a_bad_outcome_file_is_refused_in_one_line(settings, tmp_path, capsys, content, named):
    log_rows(settings, count=3)
    file = tmp_path / "bad.csv"
    file.write_text(content, encoding="utf-8")
    assert cli.main(["outcomes", str(file)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and str(file) in error and named in error
    assert not settings.operate.outcomes_store.exists()


def test_simulated_outcomes_round_trip_and_decay(settings, tmp_path):
    log_rows(settings, count=400)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert cli.main(["simulate-outcomes", "--seed", "7", "--output", str(first)]) == 0
    assert cli.main(["simulate-outcomes", "--seed", "7", "--output", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert cli.main(["outcomes", str(first)]) == 0
    joined = outcomes.joined(settings)
    assert joined["outcome"].notna().all() and not joined["late"].any()
    healthy = (joined["decision"] == joined["outcome"]).mean()
    assert joined["acted"][joined["decision"]].mean() > joined["acted"][~joined["decision"]].mean()
    decayed = tmp_path / "decayed.csv"
    since = (NOW - timedelta(days=1)).date().isoformat()
    assert cli.main(["simulate-outcomes", "--decay", since, "--output", str(decayed)]) == 0
    made = pd.read_csv(decayed, dtype=str)
    ids = made[prediction_log.identifier(settings.contract) or "id"]
    decided = joined.set_index("id")["decision"].reindex(ids).to_numpy()
    agree = decided == tables.labels(made["outcome"], settings).astype(bool).to_numpy()
    assert healthy > 0.6 and agree.mean() < healthy - 0.1


def test_predict_logs_each_scored_row_and_no_rejected_one(served, frame, tmp_path):
    rows = frame.drop(columns=[served.target]).head(20).astype(object)
    rows.loc[4, served.contract.inputs[0].name] = "not a number"
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    rows.to_csv(source, index=False)
    assert cli.main(["predict", str(source), str(output)]) == 0
    log = prediction_log.read(served.operate.prediction_log)
    good = rows.drop(index=4)
    assert list(log["id"]) == list(
        prediction_log.row_ids(frame.head(20), served.contract)[good.index]
    )
    assert np.allclose(log["score"], pd.read_csv(output)["score"])
    assert set(log["model_version"]) == {"1"} and log["scored_at"].nunique() == 1


def test_a_failed_predict_logs_nothing(served, frame, tmp_path):
    source = tmp_path / "in.csv"
    frame.drop(columns=[served.contract.inputs[0].name]).to_csv(source, index=False)
    assert cli.main(["predict", str(source), str(tmp_path / "out.csv")]) == 1
    assert not served.operate.prediction_log.exists()


@pytest.fixture
def identified(settings: config.Settings) -> config.Settings:
    """The project copy with an identifier and a timestamp column in its contract and data
    (the team's own, when its contract has them)."""
    with settings.contract_path.open("a", encoding="utf-8") as contract:
        if not settings.contract.identifiers:
            contract.write('\n[columns."case_id"]\nkind = "identifier"\n')
        if not settings.timestamp_column:
            contract.write('\n[columns."seen_at"]\nkind = "timestamp"\n')
    if not settings.timestamp_column:
        edit_setting(settings.root, "timestamp_column", '"seen_at"')
    project = config.load(settings.root)
    synthetic.rows(project, count=50, seed=5).to_csv(project.data_path, index=False)
    return project


def test_the_identifier_and_timestamp_are_logged_and_joined_on(identified, tmp_path):
    rows = scored(identified, count=50)
    log = log_rows(identified, count=50)
    name = prediction_log.identifier(identified.contract)
    assert name is not None and list(log["id"]) == list(rows[name].astype(str))
    assert log["data_at"].notna().all()
    assert (log["data_at"] == pd.to_datetime(rows[identified.timestamp_column], utc=True)).all()
    file = tmp_path / "o.parquet"
    positive = identified.positive
    pd.DataFrame(
        {name: rows[name].head(5), "outcome": positive, "acted": [1, 0, 1, 0, 1]}
    ).to_parquet(file)
    assert outcomes.ingest(identified, file)["matched"] == 5
    joined = outcomes.joined(identified).set_index("id")
    assert joined["outcome"].notna().sum() == 5 and joined["acted"].sum() == 3


def test_the_operate_settings_have_defaults_and_refuse_nonsense(settings):
    assert settings.operate.prediction_log == settings.root / "operate" / "predictions"
    assert settings.operate.late_after_days == 90
    shared = settings.root.parent / "shared-log"
    edit_setting(settings.root, "prediction_log", f'"{shared.as_posix()}"')
    assert config.load(settings.root).operate.prediction_log == shared
    edit_setting(settings.root, "late_after_days", "0")
    with pytest.raises(config.ConfigError, match="late_after_days"):
        config.load(settings.root)
