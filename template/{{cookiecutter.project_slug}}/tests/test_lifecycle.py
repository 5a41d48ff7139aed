"""The model lifecycle as a team runs it: retrain, promote, roll back, with an audit trail."""

from __future__ import annotations

import json

import pytest
from gate_project import edit_setting
from registry_project import artifact, audit_log, champion
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import make_pipeline

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.data import tables
from {{ cookiecutter.package_name }}.lifecycle import registry, registry_client
from {{ cookiecutter.package_name }}.model import train


class Doubler(TransformerMixin, BaseEstimator):
    """A type skops does not trust: loading it could run this module's code."""

    def fit(self, x, y=None):
        return self

    def transform(self, x):
        return x * 2


def test_rollback_drill(lifecycle, capsys):
    settings = lifecycle
    edit_setting(settings.root, "promotion_margin", "0.0")  # an equal challenger may replace
    assert cli.main(["retrain"]) == 0
    assert cli.main(["retrain"]) == 0
    assert champion() == "2"

    assert cli.main(["rollback", "--reason", "drill: v2 misbehaves"]) == 0
    assert champion() == "1"
    assert cli.main(["smoke"]) == 0
    assert "champion (version 1) scored" in capsys.readouterr().out

    artifact(settings, "2").write_bytes(b"not the registered model")
    entries = audit_log(settings)
    assert cli.main(["rollback", "--to", "2", "--reason", "onto a corrupted model"]) == 1
    assert "does not match the hash" in capsys.readouterr().err
    assert champion() == "1" and audit_log(settings) == entries

    actions = [(e["action"], e["from_version"], e["to_version"]) for e in entries]
    assert actions == [("promote", None, "1"), ("promote", "1", "2"), ("rollback", "2", "1")]
    assert entries[-1]["reason"] == "drill: v2 misbehaves"
    assert all(e["who"] and e["when"].endswith("+00:00") for e in entries)
    tags = (
        registry_client.connect(settings)
        .client.get_registered_model(settings.registry.model_name)
        .tags
    )
    logged = sorted(json.loads(v)["action"] for k, v in tags.items() if k.startswith("audit."))
    assert logged == ["promote", "promote", "rollback"]


def test_challenger_must_beat_the_champion_by_the_margin(lifecycle, capsys):
    assert cli.main(["retrain"]) == 0
    assert cli.main(["retrain"]) == 0  # the same data: the challenger is no better
    assert "Champion kept" in capsys.readouterr().out
    assert champion() == "1"
    kept = audit_log(lifecycle)[-1]
    assert kept["action"] == "keep-champion" and kept["challenger"] == "2"
    assert "below the margin 1.0%" in kept["reason"]

    assert cli.main(["promote", "--reason", "try anyway"]) == 1
    assert "not promoted" in capsys.readouterr().err and champion() == "1"
    assert len(audit_log(lifecycle)) == 2

    assert cli.main(["retrain", "--no-promote"]) == 0
    assert champion() == "1" and len(audit_log(lifecycle)) == 2
    challenger = registry_client.connect(lifecycle).version(registry_client.CHALLENGER)
    assert str(challenger.version) == "3"


def test_a_failing_retrain_never_moves_the_champion(lifecycle, frame):
    assert cli.main(["retrain"]) == 0
    text = lifecycle.data_path.read_text()
    frame.drop(columns=[lifecycle.contract.inputs[0].name]).to_csv(lifecycle.data_path, index=False)
    assert cli.main(["retrain"]) == 1  # validation fails first: nothing registered
    client = registry_client.connect(lifecycle).client
    assert len(client.search_model_versions(f"name = '{lifecycle.registry.model_name}'")) == 1

    lifecycle.data_path.write_text(text)
    artifact(lifecycle, "1").write_bytes(b"tampered")
    assert cli.main(["retrain"]) == 1  # the champion cannot be checked: stop
    assert cli.main(["smoke"]) == 1
    assert champion() == "1" and len(audit_log(lifecycle)) == 1


def test_a_model_with_untrusted_types_is_refused(lifecycle, capsys):
    edit_setting(lifecycle.root, "promotion_margin", "0.0")
    assert cli.main(["retrain"]) == 0
    split = tables.split(tables.load_valid(lifecycle), lifecycle)
    fitted = train.fit(split, lifecycle, tables.sha256(lifecycle.data_path))
    unsafe = train.TrainedModel(make_pipeline(Doubler(), fitted.pipeline), fitted.metadata)
    reg = registry_client.connect(lifecycle)
    version = registry.register(reg, lifecycle, unsafe, split.train.head())
    with pytest.raises(train.ModelError, match="untrusted types"):
        registry.load(reg, str(version.version))
    assert cli.main(["promote", "--version", str(version.version), "--reason", "x"]) == 1
    assert "untrusted types" in capsys.readouterr().err
    assert champion() == "1" and len(audit_log(lifecycle)) == 1


def test_nothing_to_roll_back_to(lifecycle, capsys):
    assert cli.main(["rollback", "--reason", "no champion yet"]) == 1
    assert cli.main(["retrain"]) == 0
    assert cli.main(["rollback", "--reason", "first version"]) == 1
    assert "name one with --to" in capsys.readouterr().err
