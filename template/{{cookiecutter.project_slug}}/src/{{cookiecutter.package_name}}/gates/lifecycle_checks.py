"""Kinds of check for the production criteria whose evidence the model lifecycle records:
a registered champion, monitoring with a retraining trigger, a recent rollback drill."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..lifecycle import audit_verification
from ..thresholds import Action
from .evidence import Finding, Project

RETRAIN = "`nox -s retrain`"


def registry_champion(params: dict, project: Project) -> Finding:
    """The registry (embedded, or the server of MLFLOW_TRACKING_URI) has a champion whose
    sha256 was recorded at registration (a warning when no manifest covers its other files)."""
    # imports MLflow: only when phase 4 is judged
    from ..lifecycle.integrity import MANIFEST_TAG, SHA256_TAG
    from ..lifecycle.registry_client import CHAMPION, DATABASE, RegistryError, connect, tracking_uri

    settings = project.settings
    uri, name = tracking_uri(settings), settings.registry.model_name
    where = "the embedded registry" if uri.endswith(DATABASE) else "MLFLOW_TRACKING_URI"
    if uri.startswith("sqlite:///") and not Path(uri.removeprefix("sqlite:///")).is_file():
        return Finding([f"no model registry in {DATABASE}: run {RETRAIN}"])
    try:
        champion = connect(settings).version(CHAMPION)
    except RegistryError as error:
        return Finding([f"{where}: {error}"])
    if champion is None:
        return Finding([f"{where} has no champion of {name!r}: run {RETRAIN}"])
    if not champion.tags.get(SHA256_TAG):
        return Finding([f"champion version {champion.version} has no recorded sha256"])
    found = Finding(evidence=[f"champion: {name} version {champion.version} in {where}"])
    if not champion.tags.get(MANIFEST_TAG):
        found.warnings.append(
            f"champion version {champion.version} was registered before manifests: only its "
            f"model file is verified; {RETRAIN} registers a version whose every file is"
        )
    return found


def monitoring_configured(params: dict, project: Project) -> Finding:
    """[tool.phasegate.monitoring] lists thresholds, at least one requesting retraining."""
    thresholds = project.settings.monitoring.thresholds
    table = "pyproject.toml [tool.phasegate.monitoring]"
    retrain = [t for t in thresholds if t.action == Action.RETRAIN]
    if not retrain:
        return Finding([f'{table}: no threshold with action = "retrain" (the retraining trigger)'])
    triggers = ", ".join(f"{t.metric} > {t.above:g}" for t in retrain)
    return Finding(
        evidence=[f"{len(thresholds)} monitoring thresholds; retraining when {triggers}"]
    )


def rollback_drill(params: dict, project: Project) -> Finding:
    """The verified part of the audit log (its hash chain, and its copies in the registry where
    one exists) records a rollback at most ``max_age_days`` ago."""
    log = project.settings.audit_log
    shown = log.relative_to(project.settings.root).as_posix()
    try:
        trail = audit_verification.trail(project.settings)
    except ValueError as error:  # not JSON Lines, or the registry cannot be read
        return Finding([f"{shown}: {error}"])
    problems = [f"{shown} fails verification: {trail.problem}"] if trail.problem else []
    rollbacks = [e for e in trail.verified if e.get("action") == "rollback"]
    if not rollbacks:
        drill = '`nox -s rollback -- --reason "rollback drill"`'
        verified = "no verified rollback" if trail.problem else "no rollback"
        return Finding([*problems, f"{shown} records {verified}: rehearse one with {drill}"])
    if problems:
        return Finding(problems)
    latest = max(rollbacks, key=lambda entry: entry["when"])
    day = datetime.fromisoformat(latest["when"]).date()
    age, limit = (project.today - day).days, params["max_age_days"]
    if age > limit:
        return Finding([f"the last rollback drill was on {day}, {age} days ago (limit {limit})"])
    moved = f"version {latest['from_version']} → {latest['to_version']}"
    return Finding(evidence=[f"rollback drill on {day} by {latest['who']}: {moved}"])
