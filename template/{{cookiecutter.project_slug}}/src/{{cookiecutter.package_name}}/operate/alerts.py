"""`alerts`: the thresholds the latest reports cross, each an issue for the people it names.

Reads reports/monitoring.json (drift, `monitor`) and reports/performance.json (performance on
real outcomes, `performance`), judges every threshold of [tool.phasegate.monitoring] and
[tool.phasegate.operate], and writes reports/alerts.json: one issue payload per crossed
threshold, with a key that stays the same while the threshold does (an open issue is updated,
never duplicated), the thresholds judged and not crossed (their open issues are closed), and the
response CI starts (a rollback before a retraining). Standard library only.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from ..config import ConfigError, Settings
from ..thresholds import Action, Threshold, most_serious

ALERTS = "alerts.json"
LABEL = "phasegate-alert"  # every alert issue carries it; tools/open_alert_issues.py finds them
KEY_MARK = "phasegate-alert-key"  # the key, hidden in the body
# Each report, the part holding its figures, and the verb that writes it.
SOURCES = {
    "monitoring": ("monitoring.json", "summary", "monitor"),
    "performance": ("performance.json", "overall", "performance"),
}
WHAT_HAPPENS = {
    Action.WARN: "Nothing automatic: the people named look at the figures.",
    Action.RETRAIN: "CI starts a retraining; the challenger is promoted only if it is better.",
    Action.ROLLBACK: "CI rolls the champion back to the version it replaced; the audit log names "
    "this alert as the reason.",
    Action.BLOCK: "Promotions are refused until this figure is fine again.",
}
RESPONSES = (Action.ROLLBACK, Action.RETRAIN)  # the moves CI starts, the first one found wins


class AlertError(ValueError):
    """No report to judge, or one that cannot be read."""


def read(settings: Settings, source: str) -> dict | None:
    """One report (None when it does not exist)."""
    path = settings.reports_dir / SOURCES[source][0]
    if not path.is_file():
        return None
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise AlertError(
            f"{path} is not valid JSON ({error}): run `{SOURCES[source][2]}`"
        ) from None
    if not isinstance(report, dict) or not isinstance(report.get(SOURCES[source][1]), dict):
        raise AlertError(
            f"{path} has no {SOURCES[source][1]!r} figures: run `{SOURCES[source][2]}`"
        )
    return report


def judge(settings: Settings, now: datetime | None = None) -> dict:
    """Every threshold against its report: the alerts, what could not be judged, the response."""
    thresholds = {"monitoring": settings.monitoring.thresholds}
    thresholds["performance"] = settings.operate.thresholds
    reports = {source: read(settings, source) for source in SOURCES}
    if not any(reports.values()):
        raise AlertError(
            f"neither {settings.reports_dir / 'monitoring.json'} nor "
            f"{settings.reports_dir / 'performance.json'} exists: run `monitor` or `performance`"
        )
    alerts, cleared, not_judged = [], [], []
    for source, report in reports.items():
        file, part, verb = SOURCES[source]
        for threshold in thresholds[source]:
            where = {"key": key(source, threshold), "source": source, "metric": threshold.metric}
            where["limit"] = threshold.limit
            if report is None:
                not_judged.append({**where, "why": f"reports/{file} not found: run `{verb}`"})
                continue
            if threshold.metric not in report[part]:
                known = ", ".join(sorted(report[part]))
                raise ConfigError(f"{source} metric {threshold.metric!r} unknown; known: {known}")
            value = report[part][threshold.metric]
            if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
                not_judged.append({**where, "why": f"no figure in reports/{file} (null)"})
            elif threshold.crossed(float(value)):
                alerts.append(payload(settings, source, report, threshold, float(value)))
            else:
                cleared.append({**where, "value": float(value)})
    response = next((a for a in RESPONSES if any(x["action"] == a for x in alerts)), None)
    reasons = [f"alert: {a['metric']} {a['limit']}" for a in alerts if a["action"] == response]
    return {
        "generated_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "sources": {s: _stamp(r) for s, r in reports.items()},
        "alerts": alerts,
        "cleared": cleared,
        "not_judged": not_judged,
        "most_serious": most_serious({a["action"] for a in alerts}) or "ok",
        "response": response or "none",
        "reason": "; ".join(reasons),
    }


def key(source: str, threshold: Threshold) -> str:
    """The same for one threshold from run to run (the figure is not part of it)."""
    return f"{source}/{threshold.metric}/{threshold.limit.replace(' ', '-')}"


def payload(
    settings: Settings, source: str, report: dict, threshold: Threshold, value: float
) -> dict:
    """One crossed threshold as an issue: stable title and key, the figures, who is told."""
    project = settings.registry.model_name
    title = f"[{project}] {threshold.metric} {threshold.limit}: {threshold.action}"
    told = ", ".join(threshold.notify) or "nobody named: add `notify` or CODEOWNERS"
    file, part, _ = SOURCES[source]
    window = report.get("window") or {}
    period = f"{window.get('start')} to {window.get('end')}" if window else "the latest run"
    body = [
        f"`{threshold.metric}` is **{value:.4g}**, {threshold.limit} "
        f"(`[tool.phasegate.{'operate' if source == 'performance' else 'monitoring'}]`).",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| {threshold.metric} (now) | {value:.4g} |",
        f"| threshold | {threshold.limit} |",
        f"| action | {threshold.action} |",
        f"| report | reports/{file} ({part}, {period}) |",
        f"| champion version | {report.get('champion_version', _versions(report))} |",
        f"| report written | {_stamp(report)} |",
        "",
        f"What happens: {WHAT_HAPPENS[threshold.action]}",
        "",
        f"Who is told: {told}",
        "",
        "This issue is updated by every scheduled run while the threshold stays crossed, and "
        "closed by the first run that finds the figure within its limit.",
        "",
        f"<!-- {KEY_MARK}: {key(source, threshold)} -->",
    ]
    return {
        "key": key(source, threshold),
        "title": title,
        "source": source,
        "metric": threshold.metric,
        "limit": threshold.limit,
        "value": value,
        "action": threshold.action,
        "assignees": list(threshold.notify),
        "labels": [LABEL, f"alert:{threshold.action}"],
        "body": "\n".join(body),
    }


def write(result: dict, settings: Settings) -> Path:
    """reports/alerts.json, replaced whole (a temporary file, then a rename)."""
    path = settings.reports_dir / ALERTS
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(json.dumps(result, indent=2, sort_keys=True, allow_nan=False) + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def latest(settings: Settings) -> dict:
    """reports/alerts.json as `alerts` last wrote it (AlertError when there is none)."""
    path = settings.reports_dir / ALERTS
    if not path.is_file():
        raise AlertError(f"{path} not found: run `alerts` first")
    found: dict = json.loads(path.read_text(encoding="utf-8"))
    return found


def blocks(settings: Settings) -> str | None:
    """Why the latest alerts refuse promotion (a crossed performance threshold whose action is
    block), or None; drift blocks are read from reports/monitoring.json by promotion itself."""
    path = settings.reports_dir / ALERTS
    found = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    shown = [
        f"{a['metric']} {a['value']:.3g} {a['limit']}"
        for a in found.get("alerts", [])
        if a.get("action") == Action.BLOCK and a.get("source") == "performance"
    ]
    return "; ".join(shown) or None


def _stamp(report: dict | None) -> str | None:
    return None if report is None else report.get("generated_at") or report.get("monitored_at")


def _versions(report: dict) -> str:
    versions = [str(v.get("model_version")) for v in report.get("by_version", [])]
    return ", ".join(versions) or "unknown"
