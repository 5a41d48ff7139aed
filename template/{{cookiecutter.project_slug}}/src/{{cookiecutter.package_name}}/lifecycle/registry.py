"""The model registry (MLflow): versions, the aliases champion and challenger, safe loading.

Embedded by default: a SQLite database (``mlflow.db``) and an artifact store (``mlruns/``) in
the project folder, both git-ignored, no server to start. ``MLFLOW_TRACKING_URI`` points the
project at a team's tracking server instead.

A version's artifacts are the skops model file, its metadata and a sample of its training
data (the monitoring reference); nothing is pickled. The model file's sha256 is recorded as a
version tag at registration and checked, with skops' trusted types, before every load.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from mlflow import MlflowClient
from mlflow.entities.model_registry import ModelVersion
from mlflow.exceptions import MlflowException

from ..config import Settings
from ..digest import sha256
from ..model import train

CHAMPION, CHALLENGER = "champion", "challenger"
SHA256_TAG = "model_sha256"
ARTIFACTS = "model"  # folder of a run's artifacts holding one model version
REFERENCE_FILE = "reference.csv"
EVALUATION_FILE = "evaluation.json"  # the version's evaluation report, read by the model card
DATABASE = "mlflow.db"
ARTIFACT_STORE = "mlruns"


class RegistryError(ValueError):
    """The registry cannot do what was asked (no such version or alias, server errors)."""


@dataclass(frozen=True)
class Registry:
    client: MlflowClient
    name: str  # the registered model's name

    def version(self, alias_or_number: str) -> ModelVersion | None:
        """A version by alias (champion, challenger) or number; None when the alias is unset."""
        alias_or_number = str(alias_or_number)
        with errors():
            if alias_or_number.isdigit():
                return self.client.get_model_version(self.name, alias_or_number)
            aliases = self.client.get_registered_model(self.name).aliases if self.exists() else {}
            if alias_or_number not in aliases:
                return None
            return self.client.get_model_version(self.name, aliases[alias_or_number])

    def exists(self) -> bool:
        return bool(self.client.search_registered_models(f"name = '{self.name}'"))

    def point(self, alias: str, version: ModelVersion) -> None:
        with errors():
            self.client.set_registered_model_alias(self.name, alias, version.version)

    def tag(self, version: ModelVersion | None, tags: dict[str, object]) -> None:
        """Tags on a version, or on the registered model when ``version`` is None."""
        with errors():
            for key, value in tags.items():
                text = value if isinstance(value, str) else json.dumps(value)
                if version is None:
                    self.client.set_registered_model_tag(self.name, key, text[:5000])
                else:
                    self.client.set_model_version_tag(self.name, version.version, key, text[:5000])


@dataclass(frozen=True)
class Loaded:
    """A registered version, loaded after its hash and types were checked."""

    version: ModelVersion
    model: train.TrainedModel
    reference: pd.DataFrame  # training features and scores, for monitoring

    @property
    def number(self) -> str:
        return str(self.version.version)


@contextmanager
def errors():
    """MLflow's exceptions as RegistryError, which the command line reports as a failure."""
    try:
        yield
    except MlflowException as error:
        raise RegistryError(f"model registry: {error.message}") from error


def tracking_uri(settings: Settings) -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{settings.root / DATABASE}"


def connect(settings: Settings) -> Registry:
    uri = tracking_uri(settings)
    return Registry(MlflowClient(tracking_uri=uri, registry_uri=uri), settings.registry.model_name)


def _experiment_id(registry: Registry, settings: Settings) -> str:
    found = registry.client.get_experiment_by_name(registry.name)
    if found:
        return found.experiment_id
    # The embedded store keeps artifacts in the project; a server decides for itself.
    local = "MLFLOW_TRACKING_URI" not in os.environ
    location = (settings.root / ARTIFACT_STORE).as_uri() if local else None
    return registry.client.create_experiment(registry.name, artifact_location=location)


def register(
    registry: Registry,
    settings: Settings,
    model: train.TrainedModel,
    reference: pd.DataFrame,
    evaluation: dict | None = None,
) -> ModelVersion:
    """A new version: skops file, metadata, reference sample and evaluation report logged,
    sha256 as a tag."""
    client = registry.client
    with errors(), tempfile.TemporaryDirectory() as folder:
        path = train.save(model, Path(folder))
        reference.to_csv(Path(folder) / REFERENCE_FILE, index=False)
        if evaluation is not None:
            text = json.dumps(evaluation, indent=2, sort_keys=True) + "\n"
            (Path(folder) / EVALUATION_FILE).write_text(text, encoding="utf-8")
        metadata = json.loads((Path(folder) / train.METADATA_FILE).read_text(encoding="utf-8"))
        run = client.create_run(_experiment_id(registry, settings), run_name="train")
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
                "data_sha256": metadata["data_sha256"],
                "threshold": str(metadata["threshold"]),
            },
        )


def load(registry: Registry, alias_or_number: str) -> Loaded:
    """Download a version's artifacts and load them, refusing a tampered or unsafe model."""
    version = registry.version(alias_or_number)
    if version is None:
        raise RegistryError(f"no model version has the alias {alias_or_number!r} yet")
    expected = version.tags.get(SHA256_TAG)
    if not expected:
        raise train.ModelError(f"version {version.version} has no recorded sha256: refusing it")
    with errors(), tempfile.TemporaryDirectory() as folder:
        registry.client.download_artifacts(version.run_id, ARTIFACTS, folder)
        files = Path(folder) / ARTIFACTS
        try:
            model = train.load(files, expected_sha256=expected)
        except train.ModelError as error:
            raise train.ModelError(f"version {version.version}: {error}") from error
        reference = pd.read_csv(files / REFERENCE_FILE)
    return Loaded(version, model, reference)
