"""End to end: render like a user, then run the generated project's own nox and pre-commit
(whose hooks include the package's strict type check). ci_provider changes no Python.

A GitLab project with long names is checked the same way in tests/test_gitlab_local.py, where
its pipeline's jobs run its nox sessions; a BSD-licensed GitHub project is the team's in
tests/test_team_journey.py, which runs the same sessions and more."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import git_init, render, run, run_commit_hooks

PROJECTS = {
    "default": {},
    "both-apache-quoted-answers": {
        "project_name": 'Fraud "Watch"',
        "description": "Flags $(risky) claims for O'Brien's team — naïvely \\ carefully",
        "ci_provider": "both",
        "license": "Apache-2.0",
        "cost_false_positive": 0.75,
        "cost_false_negative": 1200,
    },
}


@pytest.mark.e2e
@pytest.mark.parametrize("answers", PROJECTS.values(), ids=PROJECTS.keys())
def test_generated_project_passes_its_own_checks(tmp_path, answers):
    project = render(tmp_path / "project", **answers)
    git_init(project)

    # tests/test_spark.py checks the same on the render with every optional module.
    run_commit_hooks(project)
    run([sys.executable, "-m", "nox"], project)  # lint and the fast tests: the team's loop
    # The pipeline (CI runs it as its steps) and, once, the registry drills and the other
    # integration tests, as CI runs them.
    sessions = ["pipeline"] if answers else ["pipeline", "integration"]
    run([sys.executable, "-m", "nox", "-s", *sessions], project)

    evaluation = json.loads((project / "reports/evaluation.json").read_text())
    assert evaluation["business"]["beats_baseline"] is True
    assert evaluation["model"]["roc_auc"] > 0.9  # a fact of the bundled demo data
    assert (project / "reports/cost-curve.png").stat().st_size > 10_000
    status = run(["git", "status", "--porcelain"], project).stdout
    assert status == "", f"nox or pre-commit changed tracked files:\n{status}"
