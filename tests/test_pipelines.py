"""Rendered CI pipelines lint clean and call only sessions the project has."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import git_init, render, run

WORKFLOWS = [f".github/workflows/{name}.yml" for name in ("ci", "retrain", "monitor", "rollback")]
SETUP_ACTION = ".github/actions/setup/action.yml"
PIPELINES = {
    "github": WORKFLOWS,
    "gitlab": [".gitlab-ci.yml", ".gitlab-respond.yml"],
    "both": [*WORKFLOWS, ".gitlab-ci.yml", ".gitlab-respond.yml"],
}
NOX_CALL = re.compile(r"nox -s ([\w-]+)")
# Actions a workflow may use, pinned to a full commit SHA with the version as a comment.
PINNED = re.compile(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is part of the template's test dependencies"
    return found


def sessions_called(project: Path, files: list[str]) -> set[str]:
    called = set()
    for name in files:
        text = (project / name).read_text()
        called |= set(NOX_CALL.findall(text))
        pipeline = yaml.safe_load(text)
        for job in (pipeline.get("jobs") or {}).values():
            called |= set(job.get("strategy", {}).get("matrix", {}).get("session", []))
        called |= {
            job["variables"]["SESSION"]
            for job in pipeline.values()
            if isinstance(job, dict) and "SESSION" in job.get("variables", {})
        }
    return called


@pytest.mark.parametrize("compute", ["local", "spark"])
@pytest.mark.parametrize("provider", PIPELINES)
def test_pipelines_lint_clean(tmp_path, provider, compute):
    project = render(tmp_path / "project", tasks=False, ci_provider=provider, compute=compute)
    files = PIPELINES[provider]
    workflows = [f for f in files if f.startswith(".github/")]
    checks = []
    if workflows:
        checks += [
            [tool("actionlint"), *workflows],
            # with the project's .github/zizmor.yml, as zizmor runs in the project
            [tool("zizmor"), "--offline", "--min-severity", "informational", *workflows],
            [tool("zizmor"), "--offline", "--min-severity", "informational", SETUP_ACTION],
            [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows],
            [tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", SETUP_ACTION],
        ]
    if gitlab := [f for f in files if f.startswith(".gitlab")]:
        checks.append([tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", *gitlab])
    for command in checks:
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{command[0]}:\n{result.stdout}\n{result.stderr}"

    listed = subprocess.run(
        [sys.executable, "-m", "nox", "--list"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    existing = set(re.findall(r"^[*-] ([\w-]+) ->", listed.stdout, re.MULTILINE))
    called = sessions_called(project, files)
    ran = {"lint", "tests", "integration", "security", "validate", "train", "evaluate", "gate"}
    assert ran <= called  # the fast tests and the integration tests both run in CI
    assert ("spark" in called) is (compute == "spark")  # the Spark tests run in a job of their own
    assert called <= existing, f"pipelines call missing sessions: {called - existing}"
    for workflow in [*workflows, *([SETUP_ACTION] if workflows else [])]:
        uses = [line.strip() for line in (project / workflow).read_text().splitlines()]
        remote = [u for u in uses if u.startswith("- uses:") and "uses: ./" not in u]
        assert [u for u in remote if not PINNED.search(u)] == []


@pytest.mark.e2e
def test_security_session_finds_a_planted_secret(tmp_path):
    project = render(tmp_path / "project")
    git_init(project)
    run([sys.executable, "-m", "nox", "-s", "security", "--", "--skip-audit"], project)
    sbom = json.loads((project / "reports/sbom.cdx.json").read_text())
    assert any(c["name"] == "scikit-learn" for c in sbom["components"])

    (project / "settings.py").write_text('AWS_ACCESS_KEY_ID = "AKIAZ7QX3EXAMPLEKEY9"\n')
    run(["git", "add", "settings.py"], project)
    found = subprocess.run(
        [sys.executable, "-m", "nox", "-R", "-s", "security", "--", "--skip-audit"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode != 0
    assert "settings.py" in found.stdout + found.stderr
