"""`experiment`: candidate families on the business metric, the simplest that wins recommended."""

from __future__ import annotations

import json

import pytest
import skops.io

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.data.tables import features, held_out
from {{ cookiecutter.package_name }}.model import candidates, train
from {{ cookiecutter.package_name }}.model.experiment import LEADERBOARD, recommend


def entry(family: str, complexity: int, cost: float, beats: bool = True) -> dict:
    return {
        "family": family,
        "complexity": complexity,
        "expected_cost_per_decision": cost,
        "beats_baseline": beats,
    }


def test_the_simplest_family_wins_unless_another_saves_the_margin():
    simple, close = entry("simple", 1, 10.0), entry("complex", 2, 9.95)
    assert recommend([close, simple], margin=0.01)[0] == "simple"  # 0.5 % saved, below 1 %
    name, reason = recommend([simple, entry("complex", 2, 8.0)], margin=0.01)
    assert name == "complex" and "saves 20.0%" in reason and "at least the margin" in reason
    name, reason = recommend([entry("simple", 1, 10.0, beats=False)], margin=0.01)
    assert name == "simple" and "does not beat the baseline" in reason


@pytest.mark.integration  # fits every family: seconds
def test_every_family_loads_with_the_types_it_declares(settings):
    split = held_out(settings)
    x, y = features(split.train, settings)
    x = train.inputs(x, list(x.columns), train.categorical_inputs(settings))
    for family in candidates.FAMILIES:
        pipeline = family.build(settings, family.search[0]).fit(x, y)
        untrusted = skops.io.get_untrusted_types(data=skops.io.dumps(pipeline))
        assert set(untrusted) <= set(family.trusted_types), family.name


def test_the_leaderboard_ranks_every_family_on_the_same_rows(lifecycle):
    from mlflow import MlflowClient

    from {{ cookiecutter.package_name }}.lifecycle import registry_client

    assert cli.main(["experiment"]) == 0
    board = json.loads((lifecycle.reports_dir / f"{LEADERBOARD}.json").read_text())
    families = [e["family"] for e in board["candidates"]]
    assert families == [f.name for f in candidates.FAMILIES]
    assert board["recommended"] in families and board["reason"]
    assert len({e["baseline_cost_per_decision"] for e in board["candidates"]}) == 1
    assert all(
        e["tried"] == len(candidates.family(e["family"]).search) for e in board["candidates"]
    )
    assert (lifecycle.reports_dir / "leaderboard.png").stat().st_size > 5_000
    client = MlflowClient(tracking_uri=registry_client.tracking_uri(lifecycle))
    experiment = client.get_experiment_by_name(f"{lifecycle.registry.model_name}-experiments")
    runs = client.search_runs([experiment.experiment_id])
    assert sorted(r.data.params["family"] for r in runs) == sorted(families)
    assert all("expected_cost_per_decision" in r.data.metrics for r in runs)


def test_an_unknown_family_is_refused(settings, capsys):
    assert cli.main(["experiment", "--family", "deep_magic", "--no-track"]) == cli.EXIT_FAILED
    assert "no model family 'deep_magic'" in capsys.readouterr().err


@pytest.mark.integration  # fits gradient boosting: a second or two
def test_a_saved_model_loads_with_its_own_familys_trusted_types_only(settings):
    from {{ cookiecutter.package_name }}.digest import sha256

    split = held_out(settings)
    boosting = candidates.fit(settings, split, sha256(settings.data_path), "gradient_boosting", {})
    train.save(boosting, settings.models_dir)
    with pytest.raises(train.ModelError, match="untrusted types"):
        train.load(settings.models_dir)  # the logistic regression's types only
    loaded = train.load(settings.models_dir, trusted_types=candidates.trusted_types)
    assert loaded.metadata["family"] == "gradient_boosting"
    assert (train.scores(loaded, split.test) == train.scores(boosting, split.test)).all()
    metadata = settings.models_dir / train.METADATA_FILE
    claimed = json.loads(metadata.read_text())
    for family, refusal in ((train.FAMILY, "untrusted types"), ("deep_magic", "no model family")):
        metadata.write_text(json.dumps({**claimed, "family": family}))
        with pytest.raises(train.ModelError, match=refusal):
            train.load(settings.models_dir, trusted_types=candidates.trusted_types)
