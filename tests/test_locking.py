"""Generated projects are locked: uv.lock is written at generation; nox sessions install it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import PROJECT_ENVIRONMENT, REPO, git_init, render, run
from template_releases import USER, commit_all, copy_at, edit, git, template_copy, update_to
from uv import find_uv_bin

UV = find_uv_bin()


def locked_versions(project) -> dict[str, set[str]]:
    """Each package's versions in uv.lock (a universal lock may fork by Python version)."""
    versions: dict[str, set[str]] = {}
    for package in tomllib.loads((project / "uv.lock").read_text())["package"]:
        versions.setdefault(package["name"], set()).add(package["version"])
    return versions


def installed_versions(venv) -> dict[str, str]:
    listing = run([UV, "pip", "list", "--python", str(venv), "--format", "json"], venv).stdout
    return {item["name"].lower(): item["version"] for item in json.loads(listing)}


@pytest.fixture(scope="module")
def locked_project(tmp_path_factory):
    project = render(tmp_path_factory.mktemp("locked") / "project")
    git_init(project)
    return project


def test_generation_writes_a_current_lock(locked_project):
    assert {"pandera", "scikit-learn", "mlflow", "ruff"} <= set(locked_versions(locked_project))
    run([UV, "lock", "--check"], locked_project)


@pytest.mark.e2e
def test_sessions_install_exactly_the_locked_versions(locked_project):
    # An older release than a resolver would pick today, so only the lock can explain it.
    run([UV, "lock", "--quiet", "--upgrade-package", "rich==13.7.1"], locked_project)
    run([sys.executable, "-m", "nox", "-s", "lint", "validate"], locked_project)
    locked = locked_versions(locked_project)
    # lint has an environment of its own; validate runs in the one the tests and verbs share.
    shared = {"pandera", "scikit-learn", "pytest"}
    for environment, expected in ((Path(".nox/lint"), {"ruff"}), (PROJECT_ENVIRONMENT, shared)):
        installed = installed_versions(locked_project / environment)
        assert expected <= set(installed)
        differing = {name: v for name, v in installed.items() if v not in locked.get(name, ())}
        assert differing == {}, f"{environment} has versions that uv.lock does not pin"
    assert installed_versions(locked_project / PROJECT_ENVIRONMENT)["rich"] == "13.7.1"
    assert not (locked_project / ".nox" / "validate").exists()  # no environment of its own


@pytest.mark.e2e
def test_a_stale_lock_stops_sessions_and_the_commit_hook(locked_project, tmp_path):
    project = tmp_path / "stale"
    run(["git", "clone", "-q", str(locked_project), str(project)], tmp_path)
    edit(project / "pyproject.toml", '"rich>=13.7",', '"rich>=13.7",\n  "tabulate>=0.9",')
    session = subprocess.run(
        [sys.executable, "-m", "nox", "-s", "lint"], cwd=project, capture_output=True, text=True
    )
    assert session.returncode != 0
    assert "run `uv lock`" in session.stdout + session.stderr
    hook = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "uv-lock", "--files", "pyproject.toml"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert hook.returncode != 0, hook.stdout


def test_without_uv_the_project_is_kept_and_the_message_says_what_to_do(tmp_path):
    """`python -S` cannot import the uv package and PATH has no uv: no lock, a clear message."""
    env = {**os.environ, "PATH": str(tmp_path / "empty")}
    result = subprocess.run(
        [sys.executable, "-S", str(REPO / "hooks" / "post_gen_project.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "uv was not found" in result.stderr and "run `uv lock`" in result.stderr.lower()
    assert not (tmp_path / "uv.lock").exists()


@pytest.mark.parametrize(
    ("requires", "uv_python", "expected"),
    [
        (">=3.11", None, ["--python", sys.executable]),  # uv need not search for a Python
        (">=3.99", None, []),  # this Python is outside the range: uv finds one itself
        (">=3.11", "3.12", []),  # the user's UV_PYTHON wins
        ("not a range", None, []),
    ],
)
def test_the_lock_names_this_python_only_when_it_fits(
    tmp_path, monkeypatch, requires, uv_python, expected
):
    sys.path.insert(0, str(REPO / "hooks"))
    from post_gen_project import this_python

    (tmp_path / "pyproject.toml").write_text(f'[project]\nrequires-python = "{requires}"\n')
    if uv_python:
        monkeypatch.setenv("UV_PYTHON", uv_python)
    else:
        monkeypatch.delenv("UV_PYTHON", raising=False)
    assert this_python(tmp_path) == expected
    assert this_python(tmp_path / "missing") == []


@pytest.mark.e2e
def test_update_relocks_after_merging_the_teams_dependencies(tmp_path):
    """Team and template each add a dependency; the update leaves one current lock with both."""
    template = template_copy(tmp_path / "template")
    git("add", "-A", cwd=template)
    git(*USER, "commit", "-qm", "work in progress", "--allow-empty", cwd=template)
    git("tag", "v98.0.0", cwd=template)
    project = copy_at(template, "v98.0.0", tmp_path / "project")
    edit(project / "pyproject.toml", '"rich>=13.7",', '"rich>=13.7",\n  "tabulate>=0.9",')
    run([UV, "lock", "--quiet"], project)
    commit_all(project, "Team adds tabulate")
    source = template / "template" / "{{cookiecutter.project_slug}}" / "pyproject.toml"
    edit(source, '"scipy>=1.11",', '"scipy>=1.11",\n  "tomlkit>=0.12",')
    git(*USER, "commit", "-qam", "Template adds tomlkit", cwd=template)
    git("tag", "v99.0.0", cwd=template)

    update_to(project, "v99.0.0")

    assert {"tabulate", "tomlkit"} <= set(locked_versions(project))
    run([UV, "lock", "--check"], project)
    assert "<<<<<<<" not in (project / "uv.lock").read_text()
    assert not list(project.rglob("*.rej"))
