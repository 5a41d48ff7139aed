"""The whole pipeline on rows made from the data contract, run through the CLI as a user runs it."""

import json

import pytest

from {{ cookiecutter.package_name }} import cli, config
from {{ cookiecutter.package_name }}.model import train


def test_pipeline_beats_the_baseline_and_writes_reports(settings):
    assert cli.main(["pipeline", "--fail-if-worse", "--no-track"]) == 0
    reports = settings.reports_dir
    evaluation = json.loads((reports / "evaluation.json").read_text())
    assert evaluation["threshold_chosen_on"] == "validation"
    assert evaluation["business"]["beats_baseline"] is True
    assert evaluation["model"]["roc_auc"] > 0.6  # the inputs explain the synthetic target
    assert (reports / "cost-curve.png").read_bytes().startswith(b"\x89PNG")
    assert "cost-curve.png" in (reports / "evaluation.md").read_text()
    assert json.loads((reports / "validation.json").read_text())["passed"] is True


def test_tampered_model_is_refused(settings):
    assert cli.main(["train", "--no-track"]) == 0
    model_file = settings.models_dir / train.MODEL_FILE
    model_file.write_bytes(model_file.read_bytes() + b"\0")
    with pytest.raises(train.ModelError, match="hash"):
        train.load(settings.models_dir)
    assert cli.main(["evaluate"]) == cli.EXIT_FAILED


def test_a_model_is_evaluated_only_beside_the_data_it_was_trained_on(settings, frame, capsys):
    assert cli.main(["train", "--no-track"]) == 0
    frame.iloc[::-1].to_csv(settings.data_path, index=False)  # the same rows, another file
    assert cli.main(["evaluate"]) == cli.EXIT_FAILED
    assert "the data changed since the model was trained" in capsys.readouterr().err


def test_invalid_data_stops_training(settings, frame):
    first_input = settings.contract.inputs[0].name
    frame.drop(columns=[first_input]).to_csv(settings.data_path, index=False)
    assert cli.main(["validate"]) == cli.EXIT_FAILED
    assert cli.main(["train"]) == cli.EXIT_FAILED
    assert not (settings.models_dir / train.MODEL_FILE).exists()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_pointing_at_another_data_file(settings, frame, tmp_path, monkeypatch, how):
    if settings.min_rows < 2:
        pytest.skip("min_rows is 1: no table is too small")
    cli.main(["validate"])  # the project's own report, which a run on other data must not touch
    project_report = settings.reports_dir / "validation.json"
    before = project_report.read_bytes()
    own = tmp_path / "own.csv"
    frame.head(settings.min_rows - 1).to_csv(own, index=False)  # fewer rows than min_rows
    args = ["validate", "--data", str(own)] if how == "option" else ["validate"]
    if how == "environment":
        monkeypatch.setenv(config.DATA_ENV_VAR, str(own))
    assert cli.main(args) == cli.EXIT_FAILED
    report = json.loads((tmp_path / "own.reports" / "validation.json").read_text())
    assert report["data_path"] == str(own) and report["rows"] == settings.min_rows - 1
    assert project_report.read_bytes() == before
    frame.to_csv(own, index=False)
    assert cli.main(args) == 0


def test_help_for_every_verb(capsys):
    for verb in cli.VERBS:
        with pytest.raises(SystemExit) as exit_info:
            cli.main([verb, "--help"])
        assert exit_info.value.code == 0
        assert verb in capsys.readouterr().out


def test_missing_configuration_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["validate"]) == cli.EXIT_USAGE
