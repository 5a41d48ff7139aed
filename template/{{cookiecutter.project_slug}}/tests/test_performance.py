"""Performance on outcomes: figures checked by hand on small joined logs (Contract 1 frames
built here, not the team's data), the splits, suppressed groups, and the files written."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gate_project import edit_setting

from {{ cookiecutter.package_name }} import cli, config
from {{ cookiecutter.package_name }}.cli.performance import window
from {{ cookiecutter.package_name }}.data import synthetic, tables
from {{ cookiecutter.package_name }}.operate import (  # one per line: any package name fits
    Operate,
    outcomes,
    performance,
    performance_report,
    prediction_log,
)

END = datetime(2026, 11, 30, 12, tzinfo=UTC)
START = END - timedelta(days=30)
NA = pd.NA


def joined(rows: list[tuple], at: datetime = END - timedelta(days=2)) -> pd.DataFrame:
    """A joined log (Contract 1) of (score, decision, baseline, outcome, acted[, version, at])."""
    frame = pd.DataFrame(
        [(*r, "1", at)[:7] if len(r) == 5 else r for r in rows],
        columns=["score", "decision", "baseline_decision", "outcome", "acted", "model_version",
                 "scored_at"],
    )  # fmt: skip
    frame["scored_at"] = pd.to_datetime(frame["scored_at"], utc=True)
    frame["id"] = [f"c{i}" for i in range(len(frame))]
    frame["data_at"] = frame["scored_at"] - pd.to_timedelta(np.arange(1, len(frame) + 1), "h")
    frame["outcome"] = frame["outcome"].astype("boolean")
    frame["acted"] = frame["acted"].astype("boolean")
    frame["late"] = False
    return frame


# score, model decision, baseline decision, outcome, acted
SIX = [
    (0.95, True, True, True, True),  # true positive; baseline right too; acted
    (0.85, True, False, True, False),  # true positive; baseline misses it; not acted
    (0.75, True, True, False, NA),  # false positive for both
    (0.25, False, True, False, NA),  # baseline's false positive
    (0.15, False, False, True, NA),  # false negative for both
    (0.35, False, False, NA, NA),  # no outcome yet
]


@pytest.fixture
def costs(settings):
    return replace(settings.business, cost_false_positive=10.0, cost_false_negative=50.0)


def run(frame, costs, **options):
    return performance.report(frame, costs, start=START, end=END, **options)


def test_figures_of_six_rows_checked_by_hand(costs):
    report = run(joined(SIX), costs, run_cost_per_month=30.0)
    overall = report["overall"]
    assert (report["logged"], report["with_outcome"], overall["rows"]) == (6, 5, 5)
    assert overall["expected_cost_per_decision"] == pytest.approx((10 + 50) / 5)  # 1 FP, 1 FN
    assert overall["baseline_cost_per_decision"] == pytest.approx((2 * 10 + 2 * 50) / 5)
    assert overall["saving_per_decision"] == pytest.approx(12.0)
    assert overall["realized_saving"] == pytest.approx(60.0)
    assert overall["precision"] == pytest.approx(2 / 3)
    assert overall["recall"] == pytest.approx(2 / 3)
    # One outcome per bin: |1-.95| + |1-.85| + |0-.75| + |0-.25| + |1-.15| over 5 rows.
    assert overall["calibration_error"] == pytest.approx(2.05 / 5)
    assert overall["adoption_rate"] == pytest.approx(1 / 2)  # the third flag has no report
    assert overall["median_hours_data_to_decision"] == pytest.approx(3.5)  # 1..6 hours
    assert overall["run_cost"] == pytest.approx(30.0)  # 30 a month over 30 days
    assert overall["roi"] == pytest.approx((60 - 30) / 30)
    assert report["window"]["days"] == 30 and isinstance(report["window"]["days"], int)


def test_calibration_error_agrees_with_scikit_learn(costs):
    from sklearn.calibration import calibration_curve

    rng = np.random.default_rng(7)
    score = rng.uniform(0, 1, 2000)
    outcome = rng.uniform(0, 1, 2000) < score**2
    frame = joined([(s, s >= 0.5, False, o, NA) for s, o in zip(score, outcome, strict=True)])
    found = run(frame, costs)["overall"]["calibration_error"]
    observed, predicted = calibration_curve(outcome, score, n_bins=10)
    counts = np.bincount(np.searchsorted(np.linspace(0, 1, 11)[1:-1], score), minlength=10)
    expected = np.sum(counts[counts > 0] * np.abs(observed - predicted)) / len(score)
    assert found == pytest.approx(expected)


def test_figures_per_week_and_per_model_version(costs):
    monday = datetime(2026, 11, 16, 9, tzinfo=UTC)
    rows = [
        (0.9, True, False, True, NA, "1", monday),  # week 1, version 1: right, baseline missed
        (0.1, False, False, False, NA, "1", monday + timedelta(days=6)),  # Sunday: same week
        (0.9, True, True, False, NA, "2", monday + timedelta(days=7)),  # week 2: both wrong
        (0.2, False, False, True, NA, "2", monday + timedelta(days=8)),
    ]
    report = run(joined(rows), costs, run_cost_per_month=30.0)
    weeks = {(e["period"], e["model_version"]): e for e in report["by_period"]}
    assert sorted(weeks) == [("2026-11-16", "1"), ("2026-11-23", "2")]
    first, second = weeks["2026-11-16", "1"], weeks["2026-11-23", "2"]
    assert (first["rows"], first["expected_cost_per_decision"]) == (2, 0.0)
    assert first["baseline_cost_per_decision"] == pytest.approx(50 / 2)
    assert second["expected_cost_per_decision"] == pytest.approx((10 + 50) / 2)
    assert first["run_cost"] == second["run_cost"] == pytest.approx(15.0)  # half the decisions
    versions = {e["model_version"]: e for e in report["by_version"]}
    assert versions["1"]["saving_per_decision"] == pytest.approx(25.0)
    assert versions["2"]["saving_per_decision"] == pytest.approx(0.0)


def test_small_groups_are_suppressed_and_unknown_ids_kept(costs):
    frame = joined(SIX)
    groups = pd.DataFrame({"sex": ["F", "F", "F", "M", "M"]}, index=[f"c{i}" for i in range(5)])
    report = run(frame, costs, groups=groups, min_group_rows=3)
    by_sex = {e["group"]: e for e in report["by_group"]["sex"]}
    assert by_sex["M"] == {"group": "M", "rows": 2, "suppressed": True}
    assert by_sex["F"]["rows"] == 3
    assert by_sex["F"]["expected_cost_per_decision"] == pytest.approx(10 / 3)
    # c5 has no outcome: 0 rows, below the minimum, but not silently dropped.
    assert by_sex[performance.NOT_IN_GROUPS]["rows"] == 0


def test_json_has_no_nan_and_roi_is_null_without_run_cost(costs, tmp_path):
    # No positive decision (no precision), nothing acted reported, no data time.
    frame = joined([(0.2, False, False, False, NA), (0.3, False, True, True, NA)])
    frame["data_at"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
    report = run(frame, costs)
    overall = report["overall"]
    assert overall["precision"] is None and overall["adoption_rate"] is None
    assert overall["median_hours_data_to_decision"] is None
    assert overall["roi"] is None and overall["run_cost"] == 0.0
    path = performance_report.write(report, tmp_path)
    text = (tmp_path / "performance.json").read_text(encoding="utf-8")
    assert "NaN" not in text and json.loads(text)["overall"]["roi"] is None
    assert "not computed" in path.read_text(encoding="utf-8")
    assert (tmp_path / "performance.png").stat().st_size > 0


def test_a_window_without_outcomes_is_refused_and_keeps_the_last_report(costs, tmp_path):
    report = run(joined(SIX), costs)
    performance_report.write(report, tmp_path)
    before = (tmp_path / "performance.json").read_text(encoding="utf-8")
    waiting = joined([(0.9, True, True, NA, NA)])
    old = joined(SIX, at=START - timedelta(days=1))  # scored before the window
    for frame in (waiting, old):
        with pytest.raises(performance.NoOutcomes, match="no outcomes"):
            run(frame, costs)
    assert (tmp_path / "performance.json").read_text(encoding="utf-8") == before
    assert not list(tmp_path.glob(".*partial*"))


def test_the_window_option_takes_days_or_weeks():
    assert (window("30d"), window("4w"), window("7")) == (30, 28, 7)
    for wrong in ("0d", "30m", "soon"):
        with pytest.raises(argparse.ArgumentTypeError, match="days or weeks"):
            window(wrong)


def test_the_settings_refuse_a_negative_run_cost_or_an_empty_window(tmp_path):
    assert Operate.from_table({"run_cost_per_month": 1200}, tmp_path).run_cost_per_month == 1200
    for table in ({"run_cost_per_month": -1}, {"window_days": 0}, {"min_group_rows": "20"}):
        with pytest.raises(ValueError, match="operate"):
            Operate.from_table(table, tmp_path)


@pytest.fixture
def rehearsed(settings: config.Settings) -> config.Settings:
    """The project copy with a sensitive column, 300 rows logged two days ago (version 3) and
    simulated outcomes for them, through the verbs a team runs."""
    edit_setting(settings.root, "sensitive_attributes", '["segment"]')
    edit_setting(settings.root, "run_cost_per_month", "300")
    project = config.load(settings.root)
    synthetic.rows(project, count=300, seed=5).to_csv(project.data_path, index=False)
    rows = tables.read(project.data_path).drop(columns=[project.target])
    score = np.random.default_rng(5).uniform(0, 1, len(rows))
    rows = rows.assign(score=score, decision=score >= 0.5, model_version="3")
    when = datetime.now(UTC) - timedelta(days=2)
    prediction_log.append(
        prediction_log.entries(rows, project, 0.5, when), project.operate.prediction_log
    )
    file = project.root / "outcomes.csv"
    assert cli.main(["simulate-outcomes", "--output", str(file)]) == 0
    assert cli.main(["outcomes", str(file)]) == 0
    return project


def test_the_verb_writes_the_three_reports_with_groups_from_the_data_file(rehearsed, capsys):
    assert cli.main(["performance", "--window", "1w"]) == 0
    assert "300 of 300 predictions of the last 7 days have an outcome" in capsys.readouterr().out
    report = json.loads((rehearsed.reports_dir / "performance.json").read_text(encoding="utf-8"))
    assert report["window"]["days"] == 7 and report["with_outcome"] == 300
    assert [e["model_version"] for e in report["by_version"]] == ["3"]
    assert report["overall"]["run_cost"] == pytest.approx(300 * 7 / 30)
    groups = report["by_group"]["segment"]
    assert sum(g["rows"] for g in groups) == 300
    assert performance.NOT_IN_GROUPS not in {g["group"] for g in groups}  # every id found
    joined, costs = outcomes.joined(rehearsed), rehearsed.business
    wrong = joined["decision"] != joined["outcome"]
    expected = (wrong & joined["decision"]).sum() * costs.cost_false_positive + (
        wrong & ~joined["decision"]
    ).sum() * costs.cost_false_negative
    assert report["overall"]["expected_cost_per_decision"] == pytest.approx(expected / 300)
    markdown = (rehearsed.reports_dir / "performance.md").read_text(encoding="utf-8")
    assert "## Per group of `segment`" in markdown and "Return on investment:" in markdown
    assert (rehearsed.reports_dir / "performance.png").stat().st_size > 0


def test_the_verb_refuses_a_window_without_outcomes_in_one_line(rehearsed, capsys):
    assert cli.main(["performance"]) == 0
    before = (rehearsed.reports_dir / "performance.json").read_bytes()
    capsys.readouterr()
    assert cli.main(["performance", "--window", "1d"]) == 1  # the rows were scored 2 days ago
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "no outcomes" in error
    assert (rehearsed.reports_dir / "performance.json").read_bytes() == before


def test_the_verb_names_a_groups_file_without_the_sensitive_column(rehearsed, tmp_path, capsys):
    file = tmp_path / "groups.csv"
    tables.read(rehearsed.data_path).drop(columns=["segment"]).to_csv(file, index=False)
    assert cli.main(["performance", "--groups", str(file)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and str(file) in error and "'segment'" in error


def test_predict_to_performance_on_the_champion(served, frame, tmp_path, capsys):
    """The loop as a team rehearses it: predict, simulate-outcomes, outcomes, performance."""
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.drop(columns=[served.target]).to_csv(source, index=False)
    simulated = tmp_path / "outcomes.csv"
    for argv in (["predict", str(source), str(output)],
                 ["simulate-outcomes", "--output", str(simulated)],
                 ["outcomes", str(simulated)], ["performance"]):  # fmt: skip
        assert cli.main(argv) == 0, capsys.readouterr().err
    report = json.loads((served.reports_dir / "performance.json").read_text(encoding="utf-8"))
    assert report["logged"] == report["with_outcome"] == len(frame)
    assert [e["model_version"] for e in report["by_version"]] == ["1"]
    assert report["overall"]["roi"] is None  # run_cost_per_month is 0 in a new project


@pytest.mark.integration  # the tool in a fresh process, importing pandas again: seconds
def test_the_benchmark_tool_runs_on_the_projects_settings(settings):
    """tools/bench_performance.py (the 1 M-row figure), on a few rows: every outcome counted."""
    tool = Path(__file__).resolve().parent.parent / "tools" / "bench_performance.py"
    argv = [sys.executable, str(tool), "--rows", "3000", "--repeat", "1", "--stores"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603 - the project's tool
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["with_outcome"] == figures["rows"] == 3000
    assert {"joined_seconds_median", "compute_seconds_median", "write_seconds_median"} <= set(
        figures
    )
