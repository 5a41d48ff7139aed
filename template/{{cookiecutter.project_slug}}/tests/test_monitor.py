"""Monitoring and the loop it closes: drift found → retraining requested → new champion."""

from __future__ import annotations

import json

import pytest
import tomlkit
from registry_project import champion

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.data import synthetic
from {{ cookiecutter.package_name }}.lifecycle import drift, registry_client


@pytest.fixture
def monitored(lifecycle, tmp_path):
    """A champion, and drifted data: rows whose target follows other rules (new synthetic
    rows), with a few inputs moved by ``simulate-drift``."""
    set_thresholds(lifecycle, LOOP)  # the test's own: the team may tune the project's
    assert cli.main(["retrain"]) == 0
    new_rules = tmp_path / "new-rules.csv"
    synthetic.rows(lifecycle, seed=lifecycle.seed + 1).to_csv(new_rules, index=False)
    drifted = tmp_path / "drifted.parquet"
    assert cli.main(["simulate-drift", "--data", str(new_rules), str(drifted)]) == 0
    return lifecycle, drifted


LOOP = [
    {"metric": "max_feature_psi", "above": 0.1, "action": "warn"},
    {"metric": "max_feature_psi", "above": 0.25, "action": "retrain"},
    {"metric": "prediction_psi", "above": 0.25, "action": "retrain"},
]


def set_thresholds(settings, thresholds: list[dict]) -> None:
    path = settings.root / "pyproject.toml"
    document = tomlkit.parse(path.read_text())
    document["tool"]["phasegate"]["monitoring"]["thresholds"] = thresholds  # type: ignore[index]
    path.write_text(tomlkit.dumps(document))


def result(settings) -> dict:
    return json.loads((settings.reports_dir / "monitoring.json").read_text())


def test_drift_requests_retraining_and_retraining_closes_the_loop(monitored, frame):
    settings, drifted = monitored
    _, moved = drift.simulate(frame, settings.contract)
    assert cli.main(["monitor"]) == 0
    assert result(settings)["status"] == "ok"

    assert cli.main(["monitor", "--data", str(drifted)]) == cli.EXIT_ACTION_NEEDED
    found = result(settings)
    assert found["status"] == "retrain" and found["retraining_requested"]
    assert {name for name, f in found["features"].items() if f["drifted"]} == set(moved)
    assert (settings.reports_dir / "drift.png").read_bytes().startswith(b"\x89PNG")
    report = (settings.reports_dir / "monitoring.md").read_text()
    assert "# Monitoring: RETRAIN" in report and "drift.png" in report

    assert cli.main(["retrain", "--data", str(drifted)]) == 0
    assert champion() == "2"  # the old champion does worse on the new data
    assert cli.main(["monitor", "--data", str(drifted)]) == 0


def test_a_block_threshold_stops_promotion(monitored, capsys):
    settings, drifted = monitored
    set_thresholds(settings, [{"metric": "drifted_feature_share", "above": 0.0, "action": "block"}])
    assert cli.main(["monitor", "--data", str(drifted)]) == cli.EXIT_ACTION_NEEDED
    assert result(settings)["blocks_promotion"].startswith("drifted_feature_share ")

    assert cli.main(["retrain", "--data", str(drifted)]) == 0
    assert "monitoring blocks promotion" in capsys.readouterr().out
    assert champion() == "1"
    assert cli.main(["promote", "--data", str(drifted), "--reason", "r"]) == cli.EXIT_FAILED
    assert champion() == "1"
    client = registry_client.connect(settings).client
    assert client.get_registered_model(settings.registry.model_name).aliases["challenger"] == 2


def test_unknown_monitoring_metric_is_a_configuration_error(monitored):
    settings, _ = monitored
    pyproject = settings.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"prediction_psi"', '"prediction_drift"'))
    assert cli.main(["monitor"]) == cli.EXIT_USAGE
