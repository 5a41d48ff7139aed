"""Render the template the way users do: with the real copier, from this repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import copier
import pytest

REPO = Path(__file__).resolve().parent.parent
# Answers a fresh user gives at the prompt; everything else keeps its default.
DEFAULT_ANSWERS = {"project_name": "Churn Guard"}


def render(destination: Path, *, tasks: bool = True, **answers: object) -> Path:
    """`copier copy --trust --defaults` of the working tree (HEAD plus uncommitted changes).

    ``tasks=False`` skips the task that writes uv.lock, for tests that only read files.
    """
    copier.run_copy(
        str(REPO),
        destination,
        data={**DEFAULT_ANSWERS, **answers},
        defaults=True,
        unsafe=True,
        vcs_ref="HEAD",
        quiet=True,
        skip_tasks=not tasks,
    )
    return destination


def run(
    command: list[str], cwd: Path, timeout: float | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run a command in a rendered project; fail the test with its output if it fails."""
    result = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        pytest.fail(
            f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def git_init(project: Path) -> None:
    """A rendered project as a user has it after `git init && git add -A && git commit`."""
    for command in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "commit",
            "-qm",
            "init",
        ],
    ):
        run(command, project)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """End-to-end tests first, so that the quick ones fill the gaps at the end.

    `nox` runs the suite on every core with pytest-xdist (`--dist loadgroup`): each worker
    takes the next test as it frees up, so starting with the longest ones shortens the
    whole run. Modules stay whole (their module-scoped fixtures are made once) and the
    sort is stable: modules with an end-to-end test first, each in its collected order.
    """
    slow = {item.path for item in items if item.get_closest_marker("e2e")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture(scope="session")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("default") / "project")
