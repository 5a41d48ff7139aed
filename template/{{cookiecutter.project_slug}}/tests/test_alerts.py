"""Thresholds tied to actions and people: which are crossed, the issue each becomes, the exit
code CI acts on. The reports are the test's own (the form `monitor` and `performance` write)."""

from __future__ import annotations

import json

import pytest
import tomlkit
from gate_project import edit_setting, write_performance
from registry_project import champion

from {{ cookiecutter.package_name }} import cli, config
from {{ cookiecutter.package_name }}.lifecycle import audit, audit_verification
from {{ cookiecutter.package_name }}.operate import alerts
from {{ cookiecutter.package_name }}.thresholds import Threshold, owners

THRESHOLDS = [
    {"metric": "saving_per_decision", "below": 0, "action": "rollback", "notify": ["@dana"]},
    {"metric": "adoption_rate", "below": 0.5, "action": "warn", "notify": ["@acme/ops"]},
    {"metric": "calibration_error", "above": 0.1, "action": "retrain"},
]


def set_operate(settings, thresholds: list[dict], drift: list[dict] = []) -> config.Settings:  # noqa: B006
    """The test's own thresholds (the team may tune the project's)."""
    path = settings.root / "pyproject.toml"
    document = tomlkit.parse(path.read_text())
    phasegate = document["tool"]["phasegate"]  # type: ignore[index]
    phasegate.setdefault("operate", {})["thresholds"] = thresholds  # type: ignore[union-attr]
    phasegate["monitoring"]["thresholds"] = drift  # type: ignore[index]
    path.write_text(tomlkit.dumps(document))
    return config.load(settings.root)


def written(settings) -> dict:
    return json.loads((settings.reports_dir / alerts.ALERTS).read_text())


def test_a_threshold_is_crossed_beyond_its_limit_only():
    below = Threshold("saving_per_decision", "rollback", below=0.0)
    above = Threshold("calibration_error", "retrain", above=0.1)
    assert below.crossed(-0.01) and not below.crossed(0.0) and not below.crossed(2.0)
    assert above.crossed(0.11) and not above.crossed(0.1)
    assert (below.limit, above.limit) == ("below 0", "above 0.1")


def test_nothing_crossed_writes_no_alert_and_exits_0(settings):
    settings = set_operate(settings, THRESHOLDS)
    write_performance(settings.root)
    assert cli.main(["alerts"]) == 0
    found = written(settings)
    assert (found["alerts"], found["most_serious"], found["response"]) == ([], "ok", "none")


def test_a_crossed_rollback_threshold_becomes_an_issue_for_the_people_named(settings, capsys):
    settings = set_operate(settings, THRESHOLDS)
    write_performance(settings.root, saving_per_decision=-1.25, adoption_rate=0.3)
    assert cli.main(["alerts"]) == cli.EXIT_ACTION_NEEDED
    found = written(settings)
    by_metric = {a["metric"]: a for a in found["alerts"]}
    assert set(by_metric) == {"saving_per_decision", "adoption_rate"}
    rollback = by_metric["saving_per_decision"]
    assert rollback["assignees"] == ["@dana"] and rollback["action"] == "rollback"
    assert rollback["labels"] == [alerts.LABEL, "alert:rollback"]
    assert "-1.25" in rollback["body"] and "below 0" in rollback["body"]
    assert f"<!-- {alerts.KEY_MARK}: {rollback['key']} -->" in rollback["body"]
    assert (found["response"], found["reason"]) == (
        "rollback",
        "alert: saving_per_decision below 0",
    )
    assert "rollback: saving_per_decision = -1.25, below 0 (told: @dana)" in capsys.readouterr().out


def test_the_key_and_title_stay_while_the_figure_moves(settings):
    settings = set_operate(settings, THRESHOLDS)
    write_performance(settings.root, saving_per_decision=-1.0)
    alerts.write(alerts.judge(settings), settings)
    first = written(settings)["alerts"][0]
    write_performance(settings.root, saving_per_decision=-3.0)
    alerts.write(alerts.judge(settings), settings)
    second = written(settings)["alerts"][0]
    assert (first["key"], first["title"]) == (second["key"], second["title"])
    assert first["body"] != second["body"]  # the figures are updated in the same issue
    assert first["key"] == "performance/saving_per_decision/below-0"


def test_a_null_figure_or_a_missing_report_is_listed_not_judged(settings):
    settings = set_operate(settings, THRESHOLDS)
    write_performance(settings.root, adoption_rate=None)
    assert cli.main(["alerts"]) == 0
    not_judged = written(settings)["not_judged"]
    assert [(n["metric"], n["why"]) for n in not_judged] == [
        ("adoption_rate", "no figure in reports/performance.json (null)")
    ]


def test_drift_thresholds_are_judged_on_the_monitoring_report(settings):
    drift = [
        {"metric": "max_feature_psi", "above": 0.25, "action": "retrain"},
        {"metric": "prediction_psi", "above": 0.25, "action": "warn"},
    ]
    settings = set_operate(settings, THRESHOLDS, drift)
    monitoring = {"monitored_at": "2026-11-30T04:00:00+00:00", "champion_version": "2"}
    monitoring["summary"] = {"max_feature_psi": 0.4, "prediction_psi": 0.1}
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    (settings.reports_dir / "monitoring.json").write_text(json.dumps(monitoring))
    assert cli.main(["alerts"]) == cli.EXIT_ACTION_NEEDED
    found = written(settings)
    assert [(a["metric"], a["action"]) for a in found["alerts"]] == [("max_feature_psi", "retrain")]
    assert found["alerts"][0]["key"] == "monitoring/max_feature_psi/above-0.25"
    assert found["response"] == "retrain"
    assert {n["source"] for n in found["not_judged"]} == {"performance"}  # no report yet


def test_no_report_at_all_is_one_clear_error(settings, capsys):
    assert cli.main(["alerts"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert "monitoring.json nor" in err and len(err.strip().splitlines()) == 1
    assert not (settings.reports_dir / alerts.ALERTS).exists()


def test_an_unknown_metric_is_a_usage_error(settings, capsys):
    settings = set_operate(settings, [{"metric": "savings", "below": 0, "action": "warn"}])
    write_performance(settings.root)
    assert cli.main(["alerts"]) == cli.EXIT_USAGE
    assert "metric 'savings' unknown" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"metric": "roi", "below": 0, "action": "page"}, "action 'page' unknown"),
        ({"metric": "roi", "action": "warn"}, "needs one of `above` or `below`"),
        ({"metric": "roi", "below": 0, "action": "warn", "notfy": ["@a"]}, "keys ['notfy']"),
        ({"metric": "roi", "below": 0, "action": "warn", "notify": "@a"}, "notify must list"),
    ],
)
def test_unusable_thresholds_are_refused(settings, capsys, entry, message):
    set_operate(settings, [])
    path = settings.root / "pyproject.toml"
    document = tomlkit.parse(path.read_text())
    document["tool"]["phasegate"]["operate"]["thresholds"] = [entry]  # type: ignore[index]
    path.write_text(tomlkit.dumps(document))
    assert cli.main(["alerts"]) == cli.EXIT_USAGE
    assert message in capsys.readouterr().err


def test_without_notify_the_codeowners_are_told(settings):
    (settings.root / "CODEOWNERS").write_text(
        "# owners\n/phases/ @acme/ml bo@acme.eu\n* @acme/ml\n"
    )
    settings = set_operate(settings, [{"metric": "roi", "below": 0, "action": "warn"}])
    assert owners(settings.root) == ("@acme/ml", "bo@acme.eu")
    assert settings.operate.thresholds[0].notify == ("@acme/ml", "bo@acme.eu")
    assert all(t.notify == owners(settings.root) for t in settings.monitoring.thresholds)


def test_a_crossed_block_threshold_refuses_promotion(settings):
    from {{ cookiecutter.package_name }}.lifecycle.challenger_checks import blocked

    block = [{"metric": "calibration_error", "above": 0.1, "action": "block"}]
    settings = set_operate(settings, block)
    write_performance(settings.root, calibration_error=0.2)
    assert cli.main(["alerts"]) == cli.EXIT_ACTION_NEEDED
    assert blocked(settings) == "calibration_error 0.2 above 0.1"
    write_performance(settings.root, calibration_error=0.05)
    assert cli.main(["alerts"]) == 0
    assert blocked(settings) is None


def test_respond_does_nothing_unless_the_alerts_ask_for_it(settings, capsys):
    settings = set_operate(settings, THRESHOLDS)
    write_performance(settings.root, calibration_error=0.3)
    assert cli.main(["alerts"]) == cli.EXIT_ACTION_NEEDED  # asks for retraining only
    assert cli.main(["alerts", "--respond", "rollback"]) == 0
    assert "No alert asks for rollback (response: retrain)" in capsys.readouterr().out


def test_a_rollback_alert_moves_the_champion_back_and_is_audited(lifecycle, capsys):
    settings = set_operate(lifecycle, THRESHOLDS)
    edit_setting(settings.root, "promotion_margin", "0.0")  # so that an equal retrain is promoted
    assert cli.main(["retrain"]) == 0 and cli.main(["retrain"]) == 0
    assert champion() == "2"
    write_performance(settings.root, version="2", saving_per_decision=-0.8)
    assert cli.main(["alerts"]) == cli.EXIT_ACTION_NEEDED
    assert cli.main(["alerts", "--respond", "retrain"]) == 0  # the alerts ask for a rollback
    assert champion() == "2"
    assert cli.main(["alerts", "--respond", "rollback"]) == 0
    assert champion() == "1"
    last = audit.read(settings.audit_log)[-1]
    assert (last["action"], last["from_version"], last["to_version"]) == ("rollback", "2", "1")
    assert last["reason"] == "alert: saving_per_decision below 0"
    assert audit_verification.trail(settings).problem is None  # verified like every other move
    assert "Rolled back (alert: saving_per_decision below 0)" in capsys.readouterr().out


def test_the_loop_from_logged_predictions_to_an_audited_rollback(lifecycle, tmp_path):
    """Predictions logged, outcomes (rehearsed, decaying), performance measured, a threshold
    crossed, the champion rolled back through the audited path: no report made by hand."""
    rollback = {"metric": "expected_cost_per_decision", "above": 0, "action": "rollback"}
    settings = set_operate(lifecycle, [{**rollback, "notify": ["@dana"]}])
    edit_setting(settings.root, "promotion_margin", "0.0")  # so that an equal retrain is promoted
    assert cli.main(["retrain"]) == 0 and cli.main(["retrain"]) == 0
    assert cli.main(["predict", str(settings.data_path), str(tmp_path / "scored.csv")]) == 0
    assert cli.main(["simulate-outcomes", "--seed", "3", "--decay", "2000-01-01"]) == 0
    assert cli.main(["outcomes", "data/simulated-outcomes.csv"]) == 0
    assert cli.main(["performance"]) == 0
    measured = json.loads((settings.reports_dir / "performance.json").read_text())
    assert measured["with_outcome"] == measured["logged"] > 0
    assert cli.main(["alerts"]) == cli.EXIT_ACTION_NEEDED
    (issue,) = written(settings)["alerts"]
    assert (issue["action"], issue["assignees"]) == ("rollback", ["@dana"])
    assert cli.main(["alerts", "--respond", "rollback"]) == 0
    assert champion() == "1"
    last = audit.read(settings.audit_log)[-1]
    assert (last["action"], last["reason"]) == ("rollback", f"alert: {issue['metric']} above 0")
    assert audit_verification.trail(settings).problem is None
