"""A rendered project's model lifecycle against a real `mlflow server` on 127.0.0.1.

Teams share a tracking server through MLFLOW_TRACKING_URI; the project's own tests use the
embedded SQLite registry. This test runs promote and rollback through the server's REST API
and its proxied artifact store (rollback includes the smoke test), and always stops the
server.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import render, run

TIMEOUT = 120  # seconds for any one command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:  # only 127.0.0.1
        return json.loads(response.read())


STARTUP_SECONDS = 180  # the server takes 90 s to start on a loaded 2-core machine


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, f"mlflow server exited:\n{log.read_text()}"
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"mlflow server did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.mark.e2e
def test_promote_and_rollback_against_a_tracking_server(tmp_path):
    project = render(tmp_path / "project")
    uv = shutil.which("uv")
    assert uv, "uv is part of the test dependencies"
    # The versions the render locked (no second resolution), the project only: no test tools.
    run([uv, "sync", "-q", "--locked", "--no-default-groups"], project, timeout=TIMEOUT)
    binaries = project / ".venv" / "bin"
    cli = str(binaries / "churn_guard")

    port, log = free_port(), tmp_path / "server.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                str(binaries / "mlflow"),
                "server",
                "--host=127.0.0.1",
                f"--port={port}",
                f"--backend-store-uri=sqlite:///{tmp_path / 'server.db'}",
                f"--artifacts-destination={tmp_path / 'server-artifacts'}",
                "--workers=1",
            ],
            env={**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the server's workers are its children: stop them all
        )
    try:
        wait_until_up(url, server, log)
        env = {"MLFLOW_TRACKING_URI": url}
        pyproject = project / "pyproject.toml"
        pyproject.write_text(
            pyproject.read_text().replace("promotion_margin = 0.01", "promotion_margin = 0.0")
        )
        for _ in range(2):
            run([cli, "retrain"], project, timeout=TIMEOUT, **env)
        run(
            [cli, "rollback", "--reason", "drill against the team server"],
            project,
            timeout=TIMEOUT,
            **env,
        )

        alias = get_json(
            f"{url}/api/2.0/mlflow/registered-models/alias?name=churn-guard&alias=champion"
        )
        assert alias["model_version"]["version"] == "1"
        model = get_json(f"{url}/api/2.0/mlflow/registered-models/get?name=churn-guard")
        tags = {t["key"]: t["value"] for t in model["registered_model"].get("tags", [])}
        audit = [json.loads(v)["action"] for k, v in tags.items() if k.startswith("audit.")]
        assert sorted(audit) == ["promote", "promote", "rollback"]
        assert not (project / "mlflow.db").exists() and not (project / "mlruns").exists()
        assert any((tmp_path / "server-artifacts").rglob("model.skops"))
        lines = (project / "governance/audit-log.jsonl").read_text().splitlines()
        assert [json.loads(line)["action"] for line in lines][-1] == "rollback"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)
