"""End to end: render like a user, then run the generated project's own nox and pre-commit
(whose hooks include the package's strict type check). ci_provider changes no Python.

Other answers are checked the same way where a test runs the same sessions and more: a GitLab
project with long names in tests/test_gitlab_local.py, whose pipeline's jobs run its nox
sessions; quoted answers, both CI providers and the BSD licence in the team journey
(tests/test_team_journey.py); the Apache licence in the team's updates (tests/test_update.py)."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import git_init, render, run, run_commit_hooks


@pytest.mark.e2e
def test_generated_project_passes_its_own_checks(tmp_path):
    project = render(tmp_path / "project")
    git_init(project)

    # tests/test_spark.py checks the same on the render with every optional module.
    run_commit_hooks(project)
    run([sys.executable, "-m", "nox"], project)  # lint and the fast tests: the team's loop
    # The pipeline (CI runs it as its steps), the registry drills and the other integration
    # tests, as CI runs them.
    run([sys.executable, "-m", "nox", "-s", "pipeline", "integration"], project)

    evaluation = json.loads((project / "reports/evaluation.json").read_text())
    assert evaluation["business"]["beats_baseline"] is True
    assert evaluation["model"]["roc_auc"] > 0.9  # a fact of the bundled demo data
    assert (project / "reports/cost-curve.png").stat().st_size > 10_000
    status = run(["git", "status", "--porcelain"], project).stdout
    assert status == "", f"nox or pre-commit changed tracked files:\n{status}"
