"""Every served file is verified: a version's manifest of hashes, recorded in the registry at
registration, and its tags are checked on every load; a mismatch is refused with one line and
changes nothing. Each row of TAMPERING is one way to alter a registered version."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable

import pytest
from registry_project import artifact, audit_log, champion

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.digest import sha256
from {{ cookiecutter.package_name }}.lifecycle import integrity, registry, registry_client
from {{ cookiecutter.package_name }}.model import train

METADATA, EVALUATION = train.METADATA_FILE, registry.EVALUATION_FILE


def edit_json(name: str, change: Callable[[dict], None]) -> Callable:
    def tamper(settings) -> None:
        path = artifact(settings, "1", name)
        data = json.loads(path.read_text())
        change(data)
        path.write_text(json.dumps(data, indent=2) + "\n")

    return tamper


def replace_bytes(name: str, content: bytes) -> Callable:
    return lambda settings: artifact(settings, "1", name).write_bytes(content)


def add_file(settings) -> None:
    (artifact(settings, "1").parent / "extra.pkl").write_bytes(b"\x80\x04K\x01.")


def delete_file(settings) -> None:
    artifact(settings, "1", EVALUATION).unlink()


def set_tag(key: str, value: str) -> Callable:
    def tamper(settings) -> None:
        reg = registry_client.connect(settings)
        reg.client.set_model_version_tag(reg.name, "1", key, value)

    return tamper


def threshold_and_manifest(settings) -> None:
    """Someone who can write the files and the manifest tag, but not the threshold tag."""
    edit_json(METADATA, lambda m: m.update(threshold=1.01))(settings)
    files = integrity.manifest(artifact(settings, "1").parent)
    set_tag(integrity.MANIFEST_TAG, json.dumps(files))(settings)


def pickle_and_every_hash(settings) -> None:
    """A pickle in place of the model file, with its metadata, manifest and tags rewritten."""
    model = artifact(settings, "1")
    model.write_bytes(pickle.dumps({"not": "a model"}))
    edit_json(METADATA, lambda m: m.update(model_sha256=sha256(model)))(settings)
    set_tag(integrity.MANIFEST_TAG, json.dumps(integrity.manifest(model.parent)))(settings)
    set_tag(integrity.SHA256_TAG, sha256(model))(settings)


def raise_threshold(metadata: dict) -> None:
    metadata["threshold"] = 1.01


def cheaper(evaluation: dict) -> None:
    evaluation["model"]["expected_cost_per_decision"] = 0.01


TAMPERING = [  # (what was done, how, the refusal)
    ("model file replaced", replace_bytes(train.MODEL_FILE, b"x"), "model.skops does not match"),
    ("threshold raised in model.json", edit_json(METADATA, raise_threshold), "model.json does not"),
    ("cost lowered in evaluation.json", edit_json(EVALUATION, cheaper), "evaluation.json does not"),
    ("training sample edited", replace_bytes(registry.REFERENCE_FILE, b"a\n1\n"), "reference.csv"),
    ("file added", add_file, "extra.pkl is not in its manifest"),
    ("evaluation report deleted", delete_file, "evaluation.json is missing from its artifacts"),
    ("threshold tag changed", set_tag("threshold", "1.01"), "differs from the registry's tag"),
    ("manifest rewritten too", threshold_and_manifest, "threshold 1.01 in model.json differs"),
    ("manifest tag not JSON", set_tag(integrity.MANIFEST_TAG, "{"), "manifest tag is not JSON"),
    ("model hash tag changed", set_tag(integrity.SHA256_TAG, "0" * 64), "tag differs from its"),
    ("pickle, every hash rewritten", pickle_and_every_hash, "model.skops is not a skops file"),
]


@pytest.mark.parametrize(
    ("tamper", "refusal"), [row[1:] for row in TAMPERING], ids=[row[0] for row in TAMPERING]
)
def test_a_tampered_version_is_refused_with_one_line(served, capsys, tamper, refusal):
    assert cli.main(["validate"]) == 0  # the datasheet's figures
    assert cli.main(["governance"]) == 0  # the model card of the untampered champion
    card = (served.root / "governance/model-card.md").read_text()
    entries = audit_log(served)
    capsys.readouterr()

    tamper(served)
    predict = ["predict", str(served.data_path), str(served.root / "scored.csv")]
    for command in (["smoke"], predict, ["monitor"]):
        assert cli.main(command) == cli.EXIT_FAILED, command
        err = capsys.readouterr().err.strip()
        assert refusal in err and "version 1" in err and len(err.splitlines()) == 1, err
    assert cli.main(["governance", "--check"]) == cli.EXIT_FAILED
    assert refusal in capsys.readouterr().err
    assert cli.main(["governance"]) == cli.EXIT_FAILED
    assert (served.root / "governance/model-card.md").read_text() == card  # not rewritten
    assert champion() == "1" and audit_log(served) == entries
    assert not (served.root / "scored.csv").exists()


def test_the_manifest_covers_every_artifact(served):
    version = registry_client.connect(served).version(registry_client.CHAMPION)
    recorded = json.loads(version.tags[integrity.MANIFEST_TAG])
    files = integrity.manifest(artifact(served, "1").parent)
    assert recorded == files
    assert set(files) == {train.MODEL_FILE, METADATA, EVALUATION, registry.REFERENCE_FILE}
    loaded = registry.load(registry_client.connect(served), registry_client.CHAMPION)
    assert loaded.evaluation == json.loads(artifact(served, "1", EVALUATION).read_text())
    assert version.tags["threshold"] == str(loaded.model.metadata["threshold"])


def test_a_version_from_before_manifests_still_loads(served):
    """Registered by 0.5 or older: only the model's hash; its evaluation report is unverified."""
    reg = registry_client.connect(served)
    reg.client.delete_model_version_tag(reg.name, "1", integrity.MANIFEST_TAG)
    loaded = registry.load(reg, registry_client.CHAMPION)
    assert loaded.number == "1" and loaded.evaluation is None
    edit_json(METADATA, raise_threshold)(served)
    with pytest.raises(integrity.TamperedError, match="differs from the registry's tag"):
        registry.load(reg, registry_client.CHAMPION)
