"""Kinds of check for the operate criteria whose evidence is measured on real outcomes:
reports/performance.json (`performance`) against the targets set in phase 1."""

from __future__ import annotations

import json
from datetime import datetime

from .evidence import Finding, Project, is_number, lookup, setting_name
from .generic_checks import OPERATORS

RERUN = "run `nox -s performance` once outcomes are recorded"
# Why a figure can be null, and what makes it measurable.
NULL = {
    "adoption_rate": "record whether people acted (`acted`) with the outcomes",
    "roi": "set run_cost_per_month in pyproject.toml [tool.phasegate.operate]",
}


def measured(params: dict, project: Project) -> Finding:
    """The overall ``metric`` of the performance ``report`` compares with the pyproject setting
    ``target`` by ``op``; the report is at most ``max_age_days`` (45) old and counts at least
    ``min_rows`` (30) decisions with an outcome."""
    file, metric, op = params["report"], params["metric"], params["op"]
    path = project.path(file)
    try:
        content = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        return Finding([f"{file} is not valid JSON: {RERUN}"])
    if not isinstance(content, dict) or not isinstance(content.get("overall"), dict):
        return Finding([f"{file} not found (or has no overall figures): {RERUN}"])
    overall, problems = content["overall"], []
    stamp, window = str(content.get("generated_at", "")), content.get("window") or {}
    try:
        age = (project.today - datetime.fromisoformat(stamp).date()).days
    except ValueError:
        return Finding([f"{file} has no generated_at date: {RERUN}"])
    oldest, fewest = params.get("max_age_days", 45), params.get("min_rows", 30)
    if age > oldest:
        problems.append(f"{file} is {age} days old (limit {oldest}): {RERUN}")
    rows = overall.get("rows") or 0
    if rows < fewest:
        problems.append(f"{file}: {rows} decisions with an outcome, fewer than {fewest}")
    target = lookup(project.pyproject, params["target"])
    if target is None:  # a project from before the setting: its default
        target = getattr(project.settings.business, params["target"].rpartition(".")[2], None)
    source, value = setting_name(params["target"]), overall.get(metric)
    if not is_number(target):
        problems.append(f"{source} = {target!r}: not a number")
    elif not is_number(value):
        problems.append(f"{file} measures no {metric} (null): {NULL.get(metric, RERUN)}")
    elif not OPERATORS[op](value, target):
        problems.append(f"{file} {metric} = {value:.4g}: needs {op} {target:g} ({source})")
    if problems:
        return Finding(problems)
    period = f"{str(window.get('start'))[:10]} to {str(window.get('end'))[:10]}"
    return Finding(
        evidence=[f"{metric} {value:.3g} {op} {target:g} ({source}): {rows} decisions, {period}"]
    )
