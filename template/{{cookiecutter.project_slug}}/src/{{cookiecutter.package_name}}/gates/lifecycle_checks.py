"""Kinds of check for the production criteria whose evidence the model lifecycle records:
a registered champion, monitoring with a retraining trigger, a recent rollback drill."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..lifecycle import audit
from .evidence import Finding, Project

RETRAIN = "`nox -s retrain`"


def registry_champion(params: dict, project: Project) -> Finding:
    """The registry (embedded, or the server of MLFLOW_TRACKING_URI) has a champion whose
    sha256 was recorded at registration."""
    from ..lifecycle import registry  # imports MLflow: only when phase 4 is judged

    settings = project.settings
    uri, name = registry.tracking_uri(settings), settings.registry.model_name
    where = "the embedded registry" if uri.endswith(registry.DATABASE) else "MLFLOW_TRACKING_URI"
    if uri.startswith("sqlite:///") and not Path(uri.removeprefix("sqlite:///")).is_file():
        return Finding([f"no model registry in {registry.DATABASE}: run {RETRAIN}"])
    try:
        champion = registry.connect(settings).version(registry.CHAMPION)
    except registry.RegistryError as error:
        return Finding([f"{where}: {error}"])
    if champion is None:
        return Finding([f"{where} has no champion of {name!r}: run {RETRAIN}"])
    if not champion.tags.get(registry.SHA256_TAG):
        return Finding([f"champion version {champion.version} has no recorded sha256"])
    return Finding(evidence=[f"champion: {name} version {champion.version} in {where}"])


def monitoring_configured(params: dict, project: Project) -> Finding:
    """[tool.phasegate.monitoring] lists thresholds, at least one requesting retraining."""
    thresholds = project.settings.monitoring.thresholds
    table = "pyproject.toml [tool.phasegate.monitoring]"
    retrain = [t for t in thresholds if t.action == "retrain"]
    if not retrain:
        return Finding([f'{table}: no threshold with action = "retrain" (the retraining trigger)'])
    triggers = ", ".join(f"{t.metric} > {t.above:g}" for t in retrain)
    return Finding(
        evidence=[f"{len(thresholds)} monitoring thresholds; retraining when {triggers}"]
    )


def rollback_drill(params: dict, project: Project) -> Finding:
    """The audit log records a rollback at most ``max_age_days`` ago."""
    log = project.settings.audit_log
    shown = log.relative_to(project.settings.root).as_posix()
    try:
        rollbacks = [e for e in audit.read(log) if e.get("action") == "rollback"]
    except ValueError as error:
        return Finding([f"{shown} is not JSON Lines: {error}"])
    if not rollbacks:
        drill = '`nox -s rollback -- --reason "rollback drill"`'
        return Finding([f"{shown} records no rollback: rehearse one with {drill}"])
    latest = max(rollbacks, key=lambda entry: entry["when"])
    day = datetime.fromisoformat(latest["when"]).date()
    age, limit = (project.today - day).days, params["max_age_days"]
    if age > limit:
        return Finding([f"the last rollback drill was on {day}, {age} days ago (limit {limit})"])
    moved = f"version {latest['from_version']} → {latest['to_version']}"
    return Finding(evidence=[f"rollback drill on {day} by {latest['who']}: {moved}"])
