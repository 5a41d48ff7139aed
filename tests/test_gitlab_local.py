"""Run the rendered GitLab pipeline's offline jobs with gitlab-ci-local in shell mode.

gitlab-ci-local (from the npm registry; the `tests` nox session installs it
when npm is available) emulates a GitLab runner. The `security` job is left
out: its pip-audit step needs the vulnerability database online.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git_init, render, run, run_commit_hooks
from uv import find_uv_bin

GITLAB_CI_LOCAL = os.environ.get("GITLAB_CI_LOCAL") or shutil.which("gitlab-ci-local")
OFFLINE_JOBS = ["lint", "tests", "template-check", "data-validation", "model-evaluation"]

pytestmark = pytest.mark.e2e
# Long names, a KPI to decrease: the jobs below are this project's own nox, and with its commit
# hooks it is checked as tests/test_generated_project.py checks its renders.
ANSWERS = {
    "project_name": "Demand Forecast Quality For The Northern European Retail Division",
    "package_name": "demand_forecast_quality_nordic",
    "ci_provider": "gitlab",
    "license": "MIT",
    "kpi_direction": "decrease",
    "kpi_baseline": 12.5,
    "kpi_target": 10,
}


@pytest.fixture
def runner_python(tmp_path: Path) -> Path:
    """A Python with pip, as the pipeline's image has (its before_script pip-installs nox).

    uv seeds pip from its cache: `python -m venv` takes seconds more to install its own pip."""
    venv = tmp_path / "runner-python"
    run([find_uv_bin(), "venv", "-q", "--seed", "--python", sys.executable, str(venv)], tmp_path)
    return venv / "bin"


def test_gitlab_pipeline_runs_locally(tmp_path, runner_python):
    if not (GITLAB_CI_LOCAL and shutil.which("rsync")):
        if os.environ.get("CI"):
            pytest.fail("CI must provide gitlab-ci-local and rsync (see .ci/run and noxfile.py)")
        pytest.skip("gitlab-ci-local or rsync is not installed")
    project = render(tmp_path / "project", **ANSWERS)
    git_init(project)
    run_commit_hooks(project)
    run(["git", "remote", "add", "origin", "https://gitlab.example.com/acme/p.git"], project)
    run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], project)
    run(["git", "remote", "set-head", "origin", "main"], project)
    path = f"{runner_python}{os.pathsep}{os.environ['PATH']}"
    # The pipeline keeps uv's cache in the project (.cache/uv, which GitLab keeps between
    # pipelines); in shell mode nothing restores it, so every run would download each
    # package again: the jobs use this machine's cache instead.
    cache = run([find_uv_bin(), "cache", "dir"], project).stdout.strip()

    def pipeline(*jobs: str) -> subprocess.CompletedProcess[str]:
        # One job at a time: in shell mode the jobs share one Python (on GitLab, one image each).
        command = [GITLAB_CI_LOCAL, "--force-shell-executor", "--concurrency", "1", "--no-color"]
        command += ["--variable", f"UV_CACHE_DIR={cache}", *jobs]
        return subprocess.run(
            command, cwd=project, env={**os.environ, "PATH": path}, capture_output=True, text=True
        )

    passed = pipeline(*OFFLINE_JOBS)
    assert passed.returncode == 0, passed.stdout[-4000:] + passed.stderr[-2000:]
    for job in OFFLINE_JOBS:
        assert f"PASS  {job}" in passed.stdout

    # The phase gate blocks: a fresh project has not filled in phase 1.
    gate = pipeline("phase-gate")
    assert gate.returncode != 0
    assert "FAIL  phase-gate" in gate.stdout and "define.decision" in gate.stdout

    # Which jobs each kind of pipeline runs (listed, not run: they need the team's registry).
    def jobs(*variables: str) -> set[str]:
        args = [arg for variable in variables for arg in ("--variable", variable)]
        listed = pipeline("--list", *args).stdout.splitlines()
        return {line.split()[0] for line in listed[listed.index(_header(listed)) + 1 :]}

    assert {"deploy-staging", "deploy-production", "rollback-after-failed-deploy"} <= jobs()
    assert jobs("PIPELINE=monitor") == {
        "monitor",
        "performance",
        "alerts",
        "alert-issues",
        "respond-plan",
        "respond",  # a child pipeline holding only the move an alert asks for
    }
    assert jobs("PIPELINE=retrain") == {"retrain"}
    assert jobs("ROLLBACK_REASON=bad model") == {"rollback"}


def _header(lines: list[str]) -> str:
    return next(line for line in lines if line.startswith("name "))
