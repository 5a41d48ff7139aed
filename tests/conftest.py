"""Render the template the way users do: with the real copier, from this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import copier
import pytest

REPO = Path(__file__).resolve().parent.parent
# Answers a fresh user gives at the prompt; everything else keeps its default.
DEFAULT_ANSWERS = {"project_name": "Churn Guard"}
# The environment a rendered project's tests and verbs share (its noxfile makes it), and its Python.
PROJECT_ENVIRONMENT = Path(".nox/project")
PROJECT_PYTHON = PROJECT_ENVIRONMENT / "bin/python"


def render(
    destination: Path, *, tasks: bool = True, source: Path = REPO, **answers: object
) -> Path:
    """`copier copy --trust --defaults` of the working tree (HEAD plus uncommitted changes).

    ``tasks=False`` skips the task that writes uv.lock, for tests that only read files.
    ``source`` is the repository, or ``template_files``: the same files in a plain folder.
    """
    copier.run_copy(
        str(source),
        destination,
        data={**DEFAULT_ANSWERS, **answers},
        defaults=True,
        unsafe=True,
        vcs_ref="HEAD" if source == REPO else None,
        quiet=True,
        skip_tasks=not tasks,
    )
    return destination


@pytest.fixture(scope="session")
def template_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree's files (tracked ones, and new ones git does not ignore) in a folder
    that is not a repository: copier renders such a folder in place, where it clones a
    repository first (0.3 s against 0.2 s a render alone, for the many renders of the option
    matrix). The answers file then names no commit: a test of versions renders the repository."""
    folder = tmp_path_factory.mktemp("template-files")
    listed = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    names = subprocess.run(listed, cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, names.decode().split("\0")):
        if (REPO / name).is_file():  # not a tracked file deleted in the working tree
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, folder / name)
    return folder


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


def run_commit_hooks(project: Path) -> subprocess.CompletedProcess[str]:
    """Every commit hook on every file of a git-initialised render; they include the package's
    type check (`nox -s typecheck`), whose mypy settings must be strict and pass."""
    settings = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["mypy"]
    assert settings["strict"] is True
    assert "ignore_missing_imports" not in settings  # only per module, for untyped libraries
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--show-diff-on-failure"]
    hooks = run([*command, "-v"], project)
    assert "- hook id: typecheck" in hooks.stdout, hooks.stdout[-3000:]
    assert "Success: no issues found" in hooks.stdout, hooks.stdout[-3000:]
    return hooks


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


# Modules whose tests take minutes (a Spark project's own Spark tests, the team's journey, an
# update from the oldest release, the GitLab pipeline, the generated projects' own nox).
LONGEST_FIRST = (
    "test_spark.py",
    "test_team_journey.py",
    "test_update.py",
    "test_gitlab_local.py",
    "test_generated_project.py",
)


def pytest_report_header(config: pytest.Config) -> str:
    """Free disk where the rendered projects go: a full disk fails every later test at once."""
    where = Path(tempfile.gettempdir())
    return f"disk: {shutil.disk_usage(where).free / 1e9:.1f} GB free in {where}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first, so that the quick ones fill the gaps at the end.

    `nox` runs the suite on every core with pytest-xdist (`--dist loadgroup`): each worker
    takes the next tests as it frees up, so starting with the longest ones shortens the
    whole run. Then the other modules with an end-to-end test, then the rest. Modules stay
    whole (a module-scoped fixture is made once per worker) and the sort is stable.
    """
    slow = {item.path for item in items if item.get_closest_marker("e2e")}

    def rank(item: pytest.Item) -> int:
        if item.path.name in LONGEST_FIRST:
            return LONGEST_FIRST.index(item.path.name)
        return len(LONGEST_FIRST) + (item.path not in slow)

    items.sort(key=rank)


# What nox sets for the session that runs this suite: uv's project environment and Python, and
# VIRTUAL_ENV, all naming the session's own environment.
NOX_SESSION_VARIABLES = ("UV_PROJECT_ENVIRONMENT", "UV_PYTHON", "VIRTUAL_ENV")


@pytest.fixture(scope="session", autouse=True)
def a_users_shell() -> Iterator[None]:
    """Rendered projects run as in a user's shell, without the variables of the nox session
    that runs this suite. Otherwise a project's `uv run` and `uv sync` would install the
    project into this suite's environment, and the project's locked versions (its own
    pytest among them) in place of the suite's, while the suite runs."""
    with pytest.MonkeyPatch.context() as patch:
        for name in NOX_SESSION_VARIABLES:
            patch.delenv(name, raising=False)
        yield


@pytest.fixture(scope="session", autouse=True)
def shared_mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One mypy cache for every project this worker type-checks (`nox -s typecheck`, also run
    by the commit hooks): the libraries' types are checked once, not once per render.

    mypy's incremental mode keeps a cached module only while its source hashes the same,
    wherever the file now is (each render has its own .nox/typecheck). One cache per xdist
    worker (the base temporary folder is the worker's): mypy's cache is SQLite, and two runs
    writing it at once could find it locked.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MYPY_CACHE_DIR", str(tmp_path_factory.mktemp("mypy-cache")))
        yield


@pytest.fixture(scope="session")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("default") / "project")
