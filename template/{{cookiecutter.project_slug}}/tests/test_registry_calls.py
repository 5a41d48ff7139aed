"""Calls to a tracking server are bounded by [tool.phasegate.registry] (MLflow's own variables
win when set); a command that gives up names the server, without its password, and what to
check; governance files are left untouched when the registry cannot be reached."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator

import pytest
from gate_project import edit_setting

from {{ cookiecutter.package_name }} import cli, config
from {{ cookiecutter.package_name }}.lifecycle import registry_client, registry_settings


@pytest.fixture
def bounded(lifecycle, monkeypatch):
    """One attempt of at most a second, one retry, no backoff."""
    for variable in registry_client.HTTP_SETTINGS:
        monkeypatch.delenv(variable, raising=False)
    limits = {"http_timeout": "1", "http_retries": "1", "http_backoff_factor": "0"}
    for key, value in limits.items():
        edit_setting(lifecycle.root, key, value)
    return config.load(lifecycle.root)


@pytest.fixture
def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: nothing listens there


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A server that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


def test_settings_become_mlflows_variables_unless_set(bounded, monkeypatch):
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "5")  # the environment wins
    registry_client.connect(bounded)
    assert os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] == "1"
    assert os.environ["MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"] == "0"
    assert os.environ["MLFLOW_HTTP_REQUEST_BACKOFF_JITTER"] == "0.5"
    assert os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] == "5"
    defaults = registry_settings.RegistrySettings("m", 0.01)
    assert defaults.http_timeout * 3 + 1 + 2 + 0.5 * 2 < 30


@pytest.mark.parametrize("server", ["dead_port", "silent_port"])
def test_a_silent_registry_is_given_up_on(bounded, monkeypatch, capsys, request, server):
    port = request.getfixturevalue(server)
    address = f"http://team:s3cret@127.0.0.1:{port}"  # pragma: allowlist secret (a test's)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", address)
    started = time.monotonic()
    assert cli.main(["smoke"]) == cli.EXIT_FAILED
    assert time.monotonic() - started < 15  # two attempts of 1 s; the defaults stay below 30 s
    err = capsys.readouterr().err.strip()
    assert f"model registry at http://127.0.0.1:{port} did not answer" in err
    assert "MLFLOW_TRACKING_URI" in err and "http_timeout" in err
    assert "s3cret" not in err and len(err.splitlines()) == 1


def test_governance_writes_nothing_without_the_registry(served, monkeypatch, capsys, silent_port):
    assert cli.main(["validate"]) == 0
    assert cli.main(["governance"]) == 0
    records = sorted((served.root / "governance").glob("*.md"))
    before = {path: path.read_bytes() for path in records}
    cli.main(["validate"])  # new figures for the datasheet: it would change if written
    for variable in registry_client.HTTP_SETTINGS:
        monkeypatch.delenv(variable, raising=False)
    edit_setting(served.root, "http_timeout", "1")
    edit_setting(served.root, "http_retries", "0")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://127.0.0.1:{silent_port}")
    capsys.readouterr()
    assert cli.main(["governance"]) == cli.EXIT_FAILED
    assert "did not answer" in capsys.readouterr().err
    assert {path: path.read_bytes() for path in records} == before
    assert not list((served.root / "governance").glob(".*"))  # no temporary file left


def test_mlflows_info_lines_are_silenced(lifecycle, monkeypatch, capfd):
    monkeypatch.delenv("MLFLOW_LOGGING_LEVEL", raising=False)
    (lifecycle.root / registry_client.DATABASE).unlink()  # MLflow creates its tables again
    assert cli.main(["retrain"]) == 0
    err = capfd.readouterr().err
    assert "Creating initial MLflow database tables" not in err and " INFO " not in err
