"""Model versions in the registry: ``register`` a trained model, ``load`` a version safely.

A version's artifacts are the skops model file, its metadata (with the decision threshold),
its evaluation report and a sample of its training data (the monitoring reference); nothing is
pickled. ``register`` records the manifest of their hashes and the tags ``integrity.py``
checks; every ``load`` downloads the files to a temporary folder and refuses the version, with
one line and changing nothing, unless ``integrity.verify`` accepts them and skops trusts every
type in the model. The connection itself (bounded calls, aliases, tags) is
``registry_client.py``.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from mlflow.entities.model_registry import ModelVersion

from ..config import Settings
from ..digest import sha256
from ..model import candidates, train
from ..model.report_types import EvaluationReport
from .integrity import MANIFEST_TAG, SHA256_TAG, TamperedError, manifest, verify
from .registry_client import Registry, RegistryError, errors, experiment_id

ARTIFACTS = "model"  # folder of a run's artifacts holding one model version
REFERENCE_FILE = "reference.csv"
EVALUATION_FILE = "evaluation.json"  # the version's evaluation report, read by the model card


@dataclass(frozen=True)
class Loaded:
    """A registered version, loaded after its hash and types were checked."""

    version: ModelVersion
    model: train.TrainedModel
    reference: pd.DataFrame  # training features and scores, for monitoring
    evaluation: EvaluationReport | None = None  # only when the manifest covers it

    @property
    def number(self) -> str:
        return str(self.version.version)


def register(
    registry: Registry,
    settings: Settings,
    model: train.TrainedModel,
    reference: pd.DataFrame,
    evaluation: EvaluationReport | None = None,
) -> ModelVersion:
    """A new version: skops file, metadata, reference sample and evaluation report logged;
    the manifest of their hashes and the model's sha256, data sha256 and threshold as tags."""
    client = registry.client
    with errors(registry.uri), tempfile.TemporaryDirectory() as folder:
        path = train.save(model, Path(folder))
        reference.to_csv(Path(folder) / REFERENCE_FILE, index=False)
        if evaluation is not None:
            text = json.dumps(evaluation, indent=2, sort_keys=True) + "\n"
            (Path(folder) / EVALUATION_FILE).write_text(text, encoding="utf-8")
        metadata = json.loads((Path(folder) / train.METADATA_FILE).read_text(encoding="utf-8"))
        files = manifest(Path(folder))
        run = client.create_run(experiment_id(registry, settings), run_name="train")
        client.log_artifacts(run.info.run_id, folder, ARTIFACTS)
        client.set_terminated(run.info.run_id)
        if not registry.exists():
            client.create_registered_model(registry.name)
        return client.create_model_version(
            registry.name,
            f"{run.info.artifact_uri}/{ARTIFACTS}",
            run_id=run.info.run_id,
            tags={
                SHA256_TAG: sha256(path),
                MANIFEST_TAG: json.dumps(files, sort_keys=True),
                "data_sha256": metadata["data_sha256"],
                "threshold": str(metadata["threshold"]),
            },
        )


def load(registry: Registry, alias_or_number: str) -> Loaded:
    """Download a version's artifacts and load them, refusing a tampered or unsafe model."""
    version = registry.version(alias_or_number)
    if version is None:
        raise RegistryError(f"no model version has the alias {alias_or_number!r} yet")
    if not version.tags.get(SHA256_TAG):
        raise TamperedError(f"version {version.version} has no recorded sha256: refusing it")
    if version.run_id is None:
        raise RegistryError(f"version {version.version} has no run: its files cannot be found")
    with errors(registry.uri), tempfile.TemporaryDirectory() as folder:
        registry.client.download_artifacts(version.run_id, ARTIFACTS, folder)
        files = Path(folder) / ARTIFACTS
        covered = verify(version, files)
        try:
            model = train.load(files, version.tags[SHA256_TAG], candidates.trusted_types)
        except train.ModelError as error:
            raise train.ModelError(f"version {version.version}: {error}") from error
        except zipfile.BadZipFile:  # a pickle, say, with every hash and tag rewritten to match
            raise TamperedError(
                f"version {version.version}: {train.MODEL_FILE} is not a skops file: refusing it"
            ) from None
        reference = pd.read_csv(files / REFERENCE_FILE)
        report = files / EVALUATION_FILE
        evaluation: EvaluationReport | None = (
            json.loads(report.read_text(encoding="utf-8")) if covered and report.is_file() else None
        )
    return Loaded(version, model, reference, evaluation)
