"""The lifecycle tests' embedded registries: prepared once and copied into each test's project,
and what the tests read from them and from the audit log."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from gate_project import copy_project, edit_setting

from {{ cookiecutter.package_name }} import cli, config
from {{ cookiecutter.package_name }}.lifecycle import audit

# registry_client imports MLflow (seconds): inside the functions, so that the fast tests that
# import this module (nox -s tests) do not pay for it.


def champion() -> str | None:
    from {{ cookiecutter.package_name }}.lifecycle import registry_client

    found = registry_client.connect(config.load()).version(registry_client.CHAMPION)
    return None if found is None else str(found.version)


def audit_log(settings) -> list[dict]:
    return audit.read(settings.audit_log)


def artifact(settings, version: str, name: str | None = None) -> Path:
    """A file of a version (the model file by default) in the embedded artifact store."""
    from {{ cookiecutter.package_name }}.lifecycle import registry, registry_client
    from {{ cookiecutter.package_name }}.model import train

    name = name or train.MODEL_FILE
    run_id = registry_client.connect(settings).version(version).run_id
    return next(settings.root.glob(f"mlruns/{run_id}/artifacts/{registry.ARTIFACTS}/{name}"))


def copy_state(source: Path, destination: Path) -> None:
    """Everything in the project copy at ``source`` (settings, data, reports, documents, the
    embedded registry and the audit log) into ``destination``: a registry prepared once serves
    many tests.

    The database names its artifacts by absolute path: those paths are moved to the new
    project, so that the copy reads (and a test may tamper with) its own artifacts only.
    """
    from {{ cookiecutter.package_name }}.lifecycle import registry_client

    shutil.copytree(source, destination, dirs_exist_ok=True)
    moves = [(f"{source.as_uri()}/", f"{destination.as_uri()}/"), (f"{source}/", f"{destination}/")]
    with closing(sqlite3.connect(destination / registry_client.DATABASE)) as connection, connection:
        for table, column in text_columns(connection):
            # Names from the database's own schema; the paths are bound values.
            update = f'UPDATE "{table}" SET "{column}" = replace("{column}", ?, ?)'  # noqa: S608
            for old, new in moves:
                connection.execute(update, (old, new))


def prepared(directory: Path, empty_registry: Path, *steps: list[str], **edits: str) -> Path:
    """A project copy as the ``settings`` fixture makes it, with an empty embedded registry,
    ``edits`` made to its settings and each of ``steps`` run as a command: made once by a
    fixture, then copied into each test's project with ``copy_state``."""
    project = copy_project(directory / "project", files=["pyproject.toml"])
    shutil.copy(empty_registry, project / empty_registry.name)
    for name, value in edits.items():
        edit_setting(project, name, value)
    with working_in(project):
        for step in steps:
            assert cli.main(step) == 0, step
    return project


@contextmanager
def working_in(project: Path) -> Iterator[None]:
    """The project copy as the cwd, as the fixtures use theirs: no other data file named in the
    environment, and tracking in the copy (never a team's tracking server)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(config.DATA_ENV_VAR, raising=False)
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        patch.chdir(project)
        yield


def text_columns(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every (table, column) of a SQLite database that holds text."""
    found = []
    tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    for (table,) in tables.fetchall():
        for column in connection.execute(f'PRAGMA table_info("{table}")').fetchall():
            if "CHAR" in column[2].upper() or "TEXT" in column[2].upper():
                found.append((table, column[1]))
    return found
