"""What the lifecycle tests read from a project's embedded registry and audit log."""

from __future__ import annotations

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
