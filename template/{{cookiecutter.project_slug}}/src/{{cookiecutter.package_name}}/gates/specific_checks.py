"""Kinds of check made for one criterion each: the KPI, data age, sensitive groups, timebox,
the experiment leaderboard."""

from __future__ import annotations

import operator
import re
from datetime import date, datetime

from ..model.simplicity import recommend
from . import evidence
from .evidence import Finding, Project, is_number, lookup, setting_name
from .generic_checks import settings_filled

DATE = r"(\d\d\d\d-\d\d-\d\d)"


def kpi(params: dict, project: Project) -> Finding:
    """The business KPI: named, numeric baseline and target, target beyond the baseline."""
    key = "tool.phasegate.business"
    finding = settings_filled({"keys": [f"{key}.kpi_name", f"{key}.kpi_unit"]}, project)
    table = _table(project, key)
    baseline, target = table.get("kpi_baseline"), table.get("kpi_target")
    direction = table.get("kpi_direction")
    for name, value in (("kpi_baseline", baseline), ("kpi_target", target)):
        if not is_number(value):
            finding.problems.append(f"{setting_name(f'{key}.{name}')} = {value!r}: not a number")
    beyond = {"increase": operator.gt, "decrease": operator.lt}.get(str(direction))
    if beyond is None:
        finding.problems.append(f"{setting_name(f'{key}.kpi_direction')} must be increase/decrease")
    elif is_number(baseline) and is_number(target) and not beyond(target, baseline):
        finding.problems.append(
            f"{setting_name(f'{key}.kpi_target')} = {target} does not {direction} "
            f"the baseline {baseline}"
        )
    finding.evidence = [f"{direction} from {baseline} to {target} {table.get('kpi_unit', '')}"]
    return finding


def data_age(params: dict, project: Project) -> Finding:
    """The data in the validation ``report`` is at most ``max_age_days`` old. Its age is that
    of the newest record when [tool.phasegate.data] timestamp_column is set; otherwise the data
    file's modification time stands in (weak: a fresh clone looks new), with a warning."""
    file, column = params["report"], project.settings.timestamp_column
    content, problems = evidence.report(project, file)
    stamp = (content or {}).get("newest_record_at" if column else "data_modified_at")
    what = f"newest {column}" if column else "data file's modification time"
    if not stamp:
        missing = [f"{file} has no {what}: {evidence.RERUN}"] if content is not None else []
        return Finding(problems + missing)
    age = (project.today - datetime.fromisoformat(stamp).date()).days
    finding = Finding(problems, [f"{what}: {stamp[:10]}, {age} days ago"])
    if age > params["max_age_days"]:
        finding.problems.append(
            f"{file}: {what} {stamp[:10]} is {age} days old, more than "
            f"{params['max_age_days']}: refresh the data, then {evidence.RERUN}"
        )
    if not column:
        name = setting_name("tool.phasegate.data.timestamp_column")
        finding.warnings.append(f"{name} is not set: the file's date stands in for the data's")
    return finding


def sensitive_groups(params: dict, project: Project) -> Finding:
    """Sensitive attributes stated in pyproject.toml ("none", or columns whose per-group
    metrics are in the evaluation ``report``)."""
    attributes = project.settings.sensitive_attributes
    name = setting_name("tool.phasegate.data.sensitive_attributes")
    if attributes is None:
        return Finding([f'{name} = []: list the sensitive columns, or write "none"'])
    if not attributes:
        return Finding(evidence=[f'{name} = "none"'])
    content, problems = evidence.report(project, params["report"])
    groups = (content or {}).get("groups", {})
    problems += [
        f"{params['report']} has no per-group metrics for {a!r}: {evidence.RERUN}"
        for a in attributes
        if content is not None and not groups.get(a)
    ]
    shown = [f"{a}: {len(groups.get(a, {}))} groups compared" for a in attributes]
    return Finding(problems, shown)


def timebox(params: dict, project: Project) -> Finding:
    """``Start:`` and ``End:`` dates in the first of ``sections``, ``min_weeks`` to
    ``max_weeks`` apart; a warning (not a failure) once the end date has passed."""
    found, problems = evidence.sections(project, params["file"], params["sections"][:1])
    if problems or any(project.is_placeholder(line) for line in found[0].lines):
        return Finding(problems)  # the sections check names the fields to fill in
    where = f"{params['file']} § {found[0].heading}"
    text = "\n".join(found[0].lines)
    start, end = _date("Start", text), _date("End", text)
    if start is None or end is None:
        missing = [label for label, day in (("Start", start), ("End", end)) if day is None]
        return Finding([f"{where}: no {label} date (YYYY-MM-DD)" for label in missing])
    weeks = (end - start).days / 7
    finding = Finding(evidence=[f"{start} to {end}: {weeks:.1f} weeks"])
    if not params["min_weeks"] <= weeks <= params["max_weeks"]:
        limits = f"{params['min_weeks']} to {params['max_weeks']}"
        finding.problems.append(f"{where}: {weeks:.1f} weeks from Start to End, not {limits}")
    if project.today > end:
        finding.warnings.append(f"{where}: the timebox ended on {end}: decide go / no-go")
    return finding


def _table(project: Project, key: str) -> dict:
    """The pyproject.toml table at dotted ``key`` ({} when it is missing)."""
    table = lookup(project.pyproject, key)
    return table if isinstance(table, dict) else {}


def _date(label: str, text: str) -> date | None:
    match = re.search(label + r":\s*" + DATE, text)
    try:
        return date.fromisoformat(match[1]) if match else None
    except ValueError:
        return None


def experiment(params: dict, project: Project) -> Finding:
    """The experiment leaderboard (``report``) for the current data: the baseline measured on
    the same rows, the recommended family beats it, and the simplicity rule was applied."""
    content, problems = evidence.report(project, params["report"])
    if content is None:
        return Finding(problems)
    try:
        entries, recommended = content["candidates"], content["recommended"]
        rule, reason = recommend(entries, float(content["margin"]))
        chosen = next(e for e in entries if e["family"] == recommended)
    except (KeyError, TypeError, ValueError, IndexError, StopIteration):
        return Finding(
            [*problems, f"{params['report']} is not a leaderboard: run `nox -s experiment`"]
        )
    if rule != recommended:
        problems.append(f"recommends {recommended}, the simplicity rule {rule} ({reason})")
    if not chosen["beats_baseline"]:
        problems.append(f"the recommended {recommended} does not beat the baseline")
    cost, base = chosen["expected_cost_per_decision"], chosen["baseline_cost_per_decision"]
    shown = f"{len(entries)} families on {content.get('held_out_rows')} held-out rows"
    return Finding(
        problems, [f"{shown}; {recommended}: {cost:.4f} against the baseline's {base:.4f}"]
    )
