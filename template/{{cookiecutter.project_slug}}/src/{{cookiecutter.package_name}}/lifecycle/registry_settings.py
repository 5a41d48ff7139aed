"""``[tool.phasegate.registry]``: the model's name in the registry, the promotion margin and the
bounds on every call to a tracking server. Standard library only: read with the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bounds on every call to a tracking server (see RegistrySettings).
HTTP_DEFAULTS = {
    "http_timeout": 8,
    "http_retries": 2,
    "http_backoff_factor": 1,
    "http_backoff_jitter": 0.5,
}


@dataclass(frozen=True)
class RegistrySettings:
    model_name: str
    promotion_margin: float  # share of the champion's expected cost a challenger must save
    # Calls to a tracking server (MLflow's MLFLOW_HTTP_REQUEST_* variables win when set): each
    # attempt waits at most http_timeout seconds, and http_retries more attempts follow after
    # backoff_factor * 2**n seconds (plus up to backoff_jitter). The defaults give up within 30 s.
    http_timeout: int = 8
    http_retries: int = 2
    http_backoff_factor: int = 1
    http_backoff_jitter: float = 0.5


def from_table(table: dict, pyproject: dict) -> RegistrySettings:
    """The table's settings, checked (a ValueError says which); the model is named after the
    project unless ``model_name`` says otherwise."""
    name = str(table.get("model_name") or pyproject.get("project", {}).get("name", "model"))
    margin = float(table.get("promotion_margin", 0.01))
    if not 0 <= margin < 1:
        raise ValueError("registry promotion_margin must be at least 0 and below 1")
    calls = {key: table.get(key, default) for key, default in HTTP_DEFAULTS.items()}
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in calls.values()):
        raise ValueError("registry http_timeout, http_retries and http_backoff_* must be numbers")
    if calls["http_timeout"] < 1 or not 0 <= calls["http_retries"] <= 10:
        raise ValueError("registry http_timeout must be at least 1 and http_retries 0 to 10")
    # MLflow reads the timeout, retries and backoff factor as whole numbers.
    jitter = float(calls.pop("http_backoff_jitter"))
    whole = {key: int(value) for key, value in calls.items()}
    return RegistrySettings(name, margin, **whole, http_backoff_jitter=jitter)
