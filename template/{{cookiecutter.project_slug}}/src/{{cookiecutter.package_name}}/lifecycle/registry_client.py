"""The connection to MLflow's model registry: ``connect``, and the ``Registry`` handle it returns
(versions by alias or number, aliases, tags), every call's MLflow errors as ``RegistryError``.

Embedded by default: a SQLite database (``mlflow.db``) and an artifact store (``mlruns/``) in
the project folder, both git-ignored, no server to start. ``MLFLOW_TRACKING_URI`` points the
project at a team's tracking server instead.

Calls to a tracking server are bounded: ``connect`` sets MLflow's HTTP timeout, retries and
backoff from ``[tool.phasegate.registry]`` unless the environment already sets them, and a
call that gives up names the server and what to check.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from mlflow import MlflowClient
from mlflow.entities.model_registry import ModelVersion, RegisteredModel
from mlflow.exceptions import MlflowException

from ..config import Settings

CHAMPION, CHALLENGER = "champion", "challenger"
DATABASE = "mlflow.db"
ARTIFACT_STORE = "mlruns"
# MLflow's settings for calls to a tracking server, and the [tool.phasegate.registry] key of each.
HTTP_SETTINGS = {
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "http_timeout",
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "http_retries",
    "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "http_backoff_factor",
    "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER": "http_backoff_jitter",
}
QUIET_LOGGERS = ("mlflow", "alembic")  # their INFO lines ("Creating initial MLflow database …")
# What MLflow says when it gave up on a server (its retries exhausted or no answer in time).
UNREACHABLE = ("max retries exceeded", "timed out", "timeout", "connection", "api request to")


class RegistryError(ValueError):
    """The registry cannot do what was asked (no such version or alias, server errors)."""


class RegistryUnavailable(RegistryError):
    """The tracking server did not answer within the configured timeout and retries."""


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
            registered = self.registered()
            aliases = registered.aliases if registered is not None else {}
            if alias_or_number not in aliases:
                return None
            return self.client.get_model_version(self.name, aliases[alias_or_number])

    def registered(self) -> RegisteredModel | None:
        """The registered model, None while nothing is registered. One lookup by name: a
        search parses a filter expression first, four times slower on the embedded store,
        and the gates and every lifecycle verb ask this several times."""
        with errors(self.uri):
            try:
                return self.client.get_registered_model(self.name)
            except MlflowException as error:
                if error.error_code == "RESOURCE_DOES_NOT_EXIST":
                    return None
                raise

    def exists(self) -> bool:
        return self.registered() is not None

    def point(self, alias: str, version: ModelVersion | str) -> None:
        number = version if isinstance(version, str) else version.version
        with errors(self.uri):
            self.client.set_registered_model_alias(self.name, alias, number)

    def tags(self) -> dict[str, str]:
        """The registered model's tags ({} while nothing is registered)."""
        registered = self.registered()
        return dict(registered.tags) if registered is not None else {}

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


def experiment_id(registry: Registry, settings: Settings, name: str = "") -> str:
    """The experiment ``name`` (default: the registered model's), created if missing."""
    found = registry.client.get_experiment_by_name(name := name or registry.name)
    if found:
        return found.experiment_id
    # The embedded store keeps artifacts in the project; a server decides for itself.
    local = "MLFLOW_TRACKING_URI" not in os.environ
    location = (settings.root / ARTIFACT_STORE).as_uri() if local else None
    return registry.client.create_experiment(name, artifact_location=location)
