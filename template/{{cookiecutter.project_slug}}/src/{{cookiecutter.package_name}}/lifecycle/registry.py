"""The model registry (MLflow): versions, the aliases champion and challenger, safe loading.

Embedded by default: a SQLite database (``mlflow.db``) and an artifact store (``mlruns/``) in
the project folder, both git-ignored, no server to start. ``MLFLOW_TRACKING_URI`` points the
project at a team's tracking server instead.

A version's artifacts are the skops model file, its metadata (with the decision threshold),
its evaluation report and a sample of its training data (the monitoring reference); nothing is
pickled. At registration one manifest of their sha256 hashes is recorded as a version tag
(``manifest``), beside the ``model_sha256``, ``data_sha256`` and ``threshold`` tags. Every load
downloads the files to a temporary folder and refuses the version, with one line and changing
nothing, unless the files are exactly the manifest's (none missing, none added, every hash
equal), the tags agree with the metadata, and skops trusts every type in the model. Versions
registered before manifests (0.5 and older) have only ``model_sha256``: they load after that
hash and the tags are checked, but their evaluation report counts as unverified.

Calls to a tracking server are bounded: ``connect`` sets MLflow's HTTP timeout, retries and
backoff from ``[tool.phasegate.registry]`` unless the environment already sets them, and a
call that gives up names the server and what to check.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
from mlflow import MlflowClient
from mlflow.entities.model_registry import ModelVersion
from mlflow.exceptions import MlflowException

from ..config import Settings
from ..digest import sha256
from ..model import candidates, train

CHAMPION, CHALLENGER = "champion", "challenger"
SHA256_TAG = "model_sha256"
MANIFEST_TAG = "manifest"  # {file name: sha256} of every artifact of the version
ARTIFACTS = "model"  # folder of a run's artifacts holding one model version
REFERENCE_FILE = "reference.csv"
EVALUATION_FILE = "evaluation.json"  # the version's evaluation report, read by the model card
DATABASE = "mlflow.db"
LOCK = "mlflow.db.lock"  # serialises the moves of the champion on this machine
ARTIFACT_STORE = "mlruns"
LOCK_WAIT_SECONDS = 60.0
# MLflow's settings for calls to a tracking server, and the [tool.phasegate.registry] key of each.
HTTP_SETTINGS = {
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "http_timeout",
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "http_retries",
    "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "http_backoff_factor",
    "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER": "http_backoff_jitter",
}
QUIET_LOGGERS = ("mlflow", "alembic")  # their INFO lines ("Creating initial MLflow database …")


class RegistryError(ValueError):
    """The registry cannot do what was asked (no such version or alias, server errors)."""


class RegistryUnavailable(RegistryError):
    """The tracking server did not answer within the configured timeout and retries."""


class TamperedError(train.ModelError):
    """A version's files or tags differ from what was recorded at registration."""


@dataclass(frozen=True)
class Registry:
    client: MlflowClient
    name: str  # the registered model's name
    uri: str = ""  # where it is, for messages (no password)

    def version(self, alias_or_number: str) -> ModelVersion | None:
        """A version by alias (champion, challenger) or number; None when the alias is unset."""
        alias_or_number = str(alias_or_number)
        with errors(self.uri):
            if alias_or_number.isdigit():
                return self.client.get_model_version(self.name, alias_or_number)
            aliases = self.client.get_registered_model(self.name).aliases if self.exists() else {}
            if alias_or_number not in aliases:
                return None
            return self.client.get_model_version(self.name, aliases[alias_or_number])

    def exists(self) -> bool:
        with errors(self.uri):
            return bool(self.client.search_registered_models(f"name = '{self.name}'"))

    def point(self, alias: str, version: ModelVersion | str) -> None:
        number = version if isinstance(version, str) else version.version
        with errors(self.uri):
            self.client.set_registered_model_alias(self.name, alias, number)

    def tags(self) -> dict[str, str]:
        """The registered model's tags ({} while nothing is registered)."""
        with errors(self.uri):
            return dict(self.client.get_registered_model(self.name).tags) if self.exists() else {}

    def untag(self, version: ModelVersion | None, key: str) -> None:
        """Remove a tag (of a version, or of the registered model) if it is there."""
        with errors(self.uri):
            if version is None:
                if key in self.tags():
                    self.client.delete_registered_model_tag(self.name, key)
            elif key in self.client.get_model_version(self.name, version.version).tags:
                self.client.delete_model_version_tag(self.name, version.version, key)

    def tag(self, version: ModelVersion | None, tags: dict[str, object]) -> None:
        """Tags on a version, or on the registered model when ``version`` is None."""
        with errors(self.uri):
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
    evaluation: dict | None = None  # its evaluation report, only when the manifest covers it

    @property
    def number(self) -> str:
        return str(self.version.version)


# What MLflow says when it gave up on a server (its retries exhausted or no answer in time).
UNREACHABLE = ("max retries exceeded", "timed out", "timeout", "connection", "api request to")


@contextmanager
def errors(uri: str = "") -> Iterator[None]:
    """MLflow's exceptions as RegistryError, which the command line reports as a failure; a
    server that did not answer as RegistryUnavailable, naming it and what to check."""
    try:
        yield
    except MlflowException as error:
        message = str(error.message).splitlines()[0] if error.message else repr(error)
        if uri and not uri.startswith("sqlite") and any(w in message.lower() for w in UNREACHABLE):
            timeout = os.environ.get("MLFLOW_HTTP_REQUEST_TIMEOUT", "?")
            retries = os.environ.get("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "?")
            raise RegistryUnavailable(
                f"model registry at {uri} did not answer ({timeout} s timeout, {retries} "
                "retries): check that the server runs and is reachable from here, and "
                "MLFLOW_TRACKING_URI; [tool.phasegate.registry] http_timeout and http_retries "
                "set the limits"
            ) from error
        raise RegistryError(f"model registry: {message}") from error


def tracking_uri(settings: Settings) -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{settings.root / DATABASE}"


def shown(uri: str) -> str:
    """A tracking URI without its user name and password."""
    parts = urlsplit(uri)
    if not parts.netloc or "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def bound_calls(settings: Settings) -> None:
    """MLflow's HTTP timeout, retries and backoff from the settings, unless already set, and
    MLflow's INFO lines silenced unless MLFLOW_LOGGING_LEVEL asks for them."""
    for variable, key in HTTP_SETTINGS.items():
        os.environ.setdefault(variable, str(getattr(settings.registry, key)))
    if "MLFLOW_LOGGING_LEVEL" not in os.environ:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)


def connect(settings: Settings) -> Registry:
    bound_calls(settings)
    uri = tracking_uri(settings)
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    return Registry(client, settings.registry.model_name, shown(uri))


@contextmanager
def locked(settings: Settings, wait: float | None = None) -> Iterator[None]:
    """One move of the champion at a time on this machine: an exclusive lock on mlflow.db.lock
    (the operating system releases it when the process ends, however it ends). Across machines
    sharing a tracking server, CI's one concurrency group serialises the moves and the
    compare-and-set in promotion catches the rest."""
    path = settings.root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise RegistryError(
                    f"another promote, rollback or retrain holds {path} (waited {wait:g} s): "
                    "let it finish, or find the process that holds it"
                )
            time.sleep(0.2)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _try_lock(handle: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def experiment_id(registry: Registry, settings: Settings, name: str = "") -> str:
    found = registry.client.get_experiment_by_name(name := name or registry.name)
    if found:
        return found.experiment_id
    # The embedded store keeps artifacts in the project; a server decides for itself.
    local = "MLFLOW_TRACKING_URI" not in os.environ
    location = (settings.root / ARTIFACT_STORE).as_uri() if local else None
    return registry.client.create_experiment(name, artifact_location=location)


def register(
    registry: Registry,
    settings: Settings,
    model: train.TrainedModel,
    reference: pd.DataFrame,
    evaluation: dict | None = None,
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


def manifest(folder: Path) -> dict[str, str]:
    """{file name relative to ``folder``: sha256} of every file in it."""
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): sha256(p) for p in paths}


def verify(version: ModelVersion, files: Path) -> bool:
    """Raise TamperedError unless the downloaded ``files`` are those recorded for ``version``
    and its tags agree with the metadata; False for a version registered before manifests."""
    number, tags = version.version, version.tags
    where = f"version {number}"
    found = manifest(files)
    recorded = tags.get(MANIFEST_TAG)
    if recorded is not None:
        try:
            expected = json.loads(recorded)
        except ValueError:
            raise TamperedError(f"{where}: its manifest tag is not JSON: refusing it") from None
        if not isinstance(expected, dict) or not expected:
            raise TamperedError(f"{where}: its manifest tag lists no files: refusing it")
        for name in sorted(expected.keys() | found.keys()):
            if name not in found:
                raise TamperedError(f"{where}: {name} is missing from its artifacts: refusing it")
            if name not in expected:
                raise TamperedError(f"{where}: {name} is not in its manifest: refusing it")
            if found[name] != expected[name]:
                raise TamperedError(
                    f"{where}: {name} does not match the hash recorded at registration "
                    "(manifest tag): refusing it"
                )
        if expected.get(train.MODEL_FILE) != tags.get(SHA256_TAG):
            raise TamperedError(f"{where}: its {SHA256_TAG} tag differs from its manifest")
    elif found.get(train.MODEL_FILE) != tags.get(SHA256_TAG) or not tags.get(SHA256_TAG):
        raise TamperedError(
            f"{where}: {train.MODEL_FILE} does not match the hash recorded at registration: "
            "refusing it"
        )
    try:
        metadata = json.loads((files / train.METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise TamperedError(f"{where}: {train.METADATA_FILE} is unreadable: refusing it") from None
    for key in ("threshold", "data_sha256"):
        if key in tags and str(metadata.get(key)) != tags[key]:
            raise TamperedError(
                f"{where}: {key} {metadata.get(key)!r} in {train.METADATA_FILE} differs from "
                f"the registry's tag {tags[key]!r}: refusing it"
            )
    return recorded is not None


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
        evaluation = (
            json.loads(report.read_text(encoding="utf-8")) if covered and report.is_file() else None
        )
    return Loaded(version, model, reference, evaluation)
