"""Monitoring and the loop it closes: drift found → retraining requested → new champion."""

from __future__ import annotations

import json
import re

import pytest
from registry_project import champion

from {{ cookiecutter.package_name }} import cli, drift, registry


@pytest.fixture
def monitored(lifecycle, tmp_path):
    """A champion, and a drifted copy of the data."""
    assert cli.main(["retrain"]) == 0
    drifted = tmp_path / "drifted.parquet"
    assert cli.main(["simulate-drift", str(drifted)]) == 0
    return lifecycle, drifted


def result(settings) -> dict:
    return json.loads((settings.reports_dir / "monitoring.json").read_text())


def test_drift_requests_retraining_and_retraining_closes_the_loop(monitored):
    settings, drifted = monitored
    assert cli.main(["monitor"]) == 0
    assert result(settings)["status"] == "ok"

    assert cli.main(["monitor", "--data", str(drifted)]) == cli.EXIT_ACTION_NEEDED
    found = result(settings)
    assert found["status"] == "retrain" and found["retraining_requested"]
    assert {name for name, f in found["features"].items() if f["drifted"]} == set(drift.SHIFTED)
    assert (settings.reports_dir / "drift.png").read_bytes().startswith(b"\x89PNG")
    report = (settings.reports_dir / "monitoring.md").read_text()
    assert "# Monitoring: RETRAIN" in report and "drift.png" in report

    assert cli.main(["retrain", "--data", str(drifted)]) == 0
    assert champion() == "2"  # the old champion does worse on the new data
    assert cli.main(["monitor", "--data", str(drifted)]) == 0


def test_a_block_threshold_stops_promotion(monitored, capsys):
    settings, drifted = monitored
    pyproject = settings.root / "pyproject.toml"
    block = '[{ metric = "drifted_feature_share", above = 0.2, action = "block" }]'
    text = re.sub(r"(?ms)^thresholds = \[.*?^\]", f"thresholds = {block}", pyproject.read_text())
    pyproject.write_text(text)
    assert cli.main(["monitor", "--data", str(drifted)]) == cli.EXIT_ACTION_NEEDED
    assert result(settings)["blocks_promotion"].startswith("drifted_feature_share 0.4")

    assert cli.main(["retrain", "--data", str(drifted)]) == 0
    assert "monitoring blocks promotion" in capsys.readouterr().out
    assert champion() == "1"
    assert cli.main(["promote", "--data", str(drifted), "--reason", "r"]) == cli.EXIT_FAILED
    assert champion() == "1"
    client = registry.connect(settings).client
    assert client.get_registered_model(settings.registry.model_name).aliases["challenger"] == 2


def test_unknown_monitoring_metric_is_a_configuration_error(monitored):
    settings, _ = monitored
    pyproject = settings.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"prediction_psi"', '"prediction_drift"'))
    assert cli.main(["monitor"]) == cli.EXIT_USAGE
