"""The template's single entry point: `nox` runs lint, typecheck and the whole test suite.

Sessions: lint, typecheck (mypy on extensions, hooks and this file), tests (everything,
including rendering projects and running their own nox and pre-commit); not run by default:
bench (speed figures), fleet (the platform team's report over many generated repositories)
and release (cut a release, or re-create the release tags a clone lacks, from CHANGELOG.md).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv"
nox.options.sessions = ["lint", "typecheck", "tests"]


def sync(session: nox.Session, group: str) -> None:
    """One dependency group at the versions in uv.lock (fails while the lock is out of date)."""
    venv = session.virtualenv.location
    session.run_install(
        *("uv", "sync", "--quiet", "--locked", "--only-group", group, f"--python={venv}"),
        env={"UV_PROJECT_ENVIRONMENT": venv},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff on the template's own code (the generated project is linted by its own nox)."""
    sync(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy, strict, on the template's own code: extensions, hooks and this file."""
    sync(session, "typecheck")
    session.run("mypy")


GITLAB_CI_LOCAL = "gitlab-ci-local@4.72.0"  # the newest release that runs on Node.js 20


@nox.session
def tests(session: nox.Session) -> None:
    """Render with copier, check the trees, run the generated projects' nox and pre-commit."""
    sync(session, "test")
    # Python keeps the bytecode of what it imports, as on a developer's machine or a CI runner:
    # where the environment forbids it (PYTHONDONTWRITEBYTECODE, set on some build machines),
    # every process of every generated project compiles pandas, scikit-learn and MLflow anew
    # (`train` 5.7 s instead of 2.5 s). An empty value turns the setting off.
    env = {"PYTHONDONTWRITEBYTECODE": ""}
    if shutil.which("npm"):  # GitLab runner emulator for tests/test_gitlab_local.py
        prefix = Path(session.cache_dir).resolve() / "npm"
        session.run(
            "npm", "install", "--silent", "--prefix", str(prefix), GITLAB_CI_LOCAL, external=True
        )
        env["GITLAB_CI_LOCAL"] = str(prefix / "node_modules" / ".bin" / "gitlab-ci-local")
    # One worker per core; tests that share an expensive module fixture carry an
    # xdist_group mark and stay on one worker. `nox -s tests -- -n 0` runs them in one process.
    # On CI a failure takes one line, so that a log kept only in part still says what failed.
    brief = ["--tb=line"] if os.environ.get("CI") else []
    session.run("pytest", "-n", "auto", "--dist", "loadgroup", *brief, *session.posargs, env=env)


EXTENSIONS_NEED = ["pyyaml", "jinja2"]  # what extensions/ imports (copier.yml, cookiecutter.json)


@nox.session
def fleet(session: nox.Session) -> None:
    """Which repositories follow which template version: nox -s fleet -- PATH... [--format]."""
    session.install(*EXTENSIONS_NEED, "uv")  # uv runs each project's own gate with --gate
    session.run("python", "-m", "extensions.fleet", *session.posargs)


@nox.session
def release(session: nox.Session) -> None:
    """Cut a release from CHANGELOG's Unreleased notes (`-- 0.4.0`); `-- tags` re-creates tags."""
    session.install(*EXTENSIONS_NEED)
    session.run("python", "-m", "extensions.cut_release", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Median wall times: copier copy, the generated nox (warm and fresh), 1 M-row validation."""
    sync(session, "test")
    session.run("python", "tests/bench.py", *session.posargs)
