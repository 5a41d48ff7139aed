"""Tracked runs (`train`, `retrain`, `experiment`) and `retrain --candidate NAME`."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.data.tables import held_out
from {{ cookiecutter.package_name }}.digest import sha256
from {{ cookiecutter.package_name }}.lifecycle import tracking
from {{ cookiecutter.package_name }}.model import baseline, candidates, train
from {{ cookiecutter.package_name }}.model.evaluate import evaluate, group_metrics
from {{ cookiecutter.package_name }}.model.experiment import LEADERBOARD

KEPT = ("expected_cost_per_decision", "baseline_cost_per_decision", "saving_per_decision",
        "roc_auc", "precision", "recall", "threshold")  # fmt: skip


def runs(settings, experiment: str) -> list:
    from mlflow import MlflowClient

    from {{ cookiecutter.package_name }}.lifecycle import registry_client

    client = MlflowClient(tracking_uri=registry_client.tracking_uri(settings))
    found = client.get_experiment_by_name(experiment)
    return client.search_runs([found.experiment_id]) if found else []


def test_a_tracked_run_has_the_figures_of_every_sensitive_group(settings):
    split = held_out(settings)
    model = train.fit(split, settings, sha256(settings.data_path))
    report = evaluate(model, split, settings)
    test = split.test.assign(region=np.where(np.arange(len(split.test)) % 2, "north", "south+east"))
    grouped = dataclasses.replace(settings, sensitive_attributes=("region",))
    acted = train.scores(model, test) >= model.metadata["threshold"]
    report["groups"] = group_metrics(test, acted, baseline.decide(test, settings), grouped)
    metrics = tracking.metrics(report)
    assert set(KEPT) <= set(metrics)
    assert metrics["expected_cost_per_decision"] == report["model"]["expected_cost_per_decision"]
    for group in ("north", "south_east"):  # "+" is not allowed in a metric's name
        assert f"group.region.{group}.expected_cost_per_decision" in metrics
        assert f"group.region.{group}.baseline_cost_per_decision" in metrics
    params = tracking.params(settings, model)
    assert params["family"] == train.FAMILY and params["data_sha256"] == sha256(settings.data_path)
    assert {"seed", "contract_sha256", "template_version", "model.C"} <= set(params)


def test_train_logs_its_parameters_metrics_and_reports(lifecycle):
    assert cli.main(["train"]) == 0
    assert cli.main(["evaluate"]) == 0
    (run,) = runs(lifecycle, lifecycle.registry.model_name)
    evaluation = json.loads((lifecycle.reports_dir / "evaluation.json").read_text())
    assert set(KEPT) <= set(run.data.metrics)
    cost = run.data.metrics["expected_cost_per_decision"]
    assert cost == pytest.approx(evaluation["model"]["expected_cost_per_decision"])
    assert run.data.params["data_sha256"] == sha256(lifecycle.data_path)
    assert run.data.params["family"] == train.FAMILY and run.info.run_name == "train"
    from mlflow import MlflowClient

    from {{ cookiecutter.package_name }}.lifecycle import registry_client

    client = MlflowClient(tracking_uri=registry_client.tracking_uri(lifecycle))
    files = {f.path for f in client.list_artifacts(run.info.run_id, tracking.REPORTS)}
    assert {"reports/explanation.json", "reports/evaluation.json"} <= files
    assert cli.main(["train", "--no-track"]) == 0
    assert len(runs(lifecycle, lifecycle.registry.model_name)) == 1


def test_pipeline_tracks_its_training_run_with_the_evaluation_and_cost_chart(lifecycle):
    assert cli.main(["pipeline"]) == 0
    (run,) = runs(lifecycle, lifecycle.registry.model_name)  # one run: train's, logged last
    evaluation = json.loads((lifecycle.reports_dir / "evaluation.json").read_text())
    cost = run.data.metrics["expected_cost_per_decision"]
    assert cost == pytest.approx(evaluation["model"]["expected_cost_per_decision"])
    assert run.info.run_name == "train" and run.info.status == "FINISHED"
    from mlflow import MlflowClient

    from {{ cookiecutter.package_name }}.lifecycle import registry_client

    client = MlflowClient(tracking_uri=registry_client.tracking_uri(lifecycle))
    files = {f.path: f.file_size for f in client.list_artifacts(run.info.run_id, tracking.REPORTS)}
    chart = lifecycle.reports_dir / "cost-curve.png"
    assert files["reports/cost-curve.png"] == chart.stat().st_size > 10_000
    assert "reports/evaluation.json" in files


def test_retrain_a_candidate_of_the_leaderboard_through_the_usual_checks(lifecycle, tmp_path):
    other = candidates.FAMILIES[-1].name  # gradient boosting unless the team changed the list
    assert cli.main(["experiment", "--family", other, "--no-track"]) == 0
    assert cli.main(["retrain", "--candidate", other]) == 0  # no champion yet: promoted
    from {{ cookiecutter.package_name }}.lifecycle import registry, registry_client

    champion = registry.load(registry_client.connect(lifecycle), registry_client.CHAMPION)
    board = json.loads((lifecycle.reports_dir / f"{LEADERBOARD}.json").read_text())
    (entry,) = board["candidates"]
    assert champion.model.metadata["family"] == other
    assert champion.model.metadata["params"] == entry["params"]
    assert champion.model.metadata["threshold"] == entry["threshold"]
    (run,) = runs(lifecycle, lifecycle.registry.model_name)  # the version's own run
    assert run.info.run_id == champion.version.run_id and run.data.params["family"] == other
    assert "expected_cost_per_decision" in run.data.metrics
    output = tmp_path / "scored.csv"
    assert cli.main(["predict", str(lifecycle.data_path), str(output)]) == 0
    assert output.stat().st_size > 0


@pytest.mark.integration  # the retrain verb imports the registry, so MLflow: seconds
def test_a_candidate_not_on_the_leaderboard_is_refused(settings, capsys):
    assert cli.main(["retrain", "--candidate", train.FAMILY]) == cli.EXIT_FAILED
    assert "run `nox -s experiment` first" in capsys.readouterr().err
    assert cli.main(["experiment", "--family", train.FAMILY, "--no-track"]) == 0
    capsys.readouterr()
    assert cli.main(["retrain", "--candidate", "deep_magic"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "'deep_magic' is not on the leaderboard" in err
    assert f"the candidates are {train.FAMILY}" in err
    assert not (settings.root / "mlflow.db").exists()  # nothing was registered
