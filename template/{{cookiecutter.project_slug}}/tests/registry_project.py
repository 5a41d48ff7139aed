"""What the lifecycle tests read from a project's embedded registry and audit log."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from {{ cookiecutter.package_name }} import config
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


def copy_registry(source: Path, settings) -> None:
    """The embedded registry of the project copy at ``source`` (its database, artifacts and
    audit log) into the project of ``settings``: a model trained once serves many tests.

    The database names its artifacts by absolute path: those paths are moved to the new
    project, so that the copy reads (and a test may tamper with) its own artifacts only.
    """
    from {{ cookiecutter.package_name }}.lifecycle import registry_client

    root = settings.root
    shutil.copytree(source / registry_client.ARTIFACT_STORE, root / registry_client.ARTIFACT_STORE)
    settings.audit_log.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / settings.audit_log.relative_to(root), settings.audit_log)
    database = shutil.copy(source / registry_client.DATABASE, root / registry_client.DATABASE)
    moves = [(f"{source.as_uri()}/", f"{root.as_uri()}/"), (f"{source}/", f"{root}/")]
    with closing(sqlite3.connect(database)) as connection, connection:
        for table, column in text_columns(connection):
            # Names from the database's own schema; the paths are bound values.
            update = f'UPDATE "{table}" SET "{column}" = replace("{column}", ?, ?)'  # noqa: S608
            for old, new in moves:
                connection.execute(update, (old, new))


def text_columns(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every (table, column) of a SQLite database that holds text."""
    found = []
    tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    for (table,) in tables.fetchall():
        for column in connection.execute(f'PRAGMA table_info("{table}")').fetchall():
            if "CHAR" in column[2].upper() or "TEXT" in column[2].upper():
                found.append((table, column[1]))
    return found
