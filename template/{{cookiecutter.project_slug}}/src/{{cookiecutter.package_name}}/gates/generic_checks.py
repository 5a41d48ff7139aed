"""The generic kinds of check a gate criterion can use (``kind`` in gates.toml).

Each kind reads its parameters from the criterion and the evidence from the project,
and returns a Finding. Teams add criteria with these kinds; the kinds made for one
particular criterion are in ``specific_checks.py``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from . import evidence
from .evidence import Finding, Project, is_number, lookup, setting_name

# Any: gates.toml and pyproject.toml values of any type; == and != compare them all.
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
}
OPERATORS |= {"<=": operator.le, "<": operator.lt}


def sections_filled(params: dict, project: Project) -> Finding:
    """``file`` + ``sections``: each section exists and holds no template text;
    ``contains`` (pattern, meaning): the sections also contain text matching the pattern."""
    found, problems = evidence.sections(project, params["file"], params["sections"])
    problems += [p for section in found if (p := evidence.unfilled(project, section))]
    if (contains := params.get("contains")) and found:
        text = "\n".join(line for section in found for line in section.lines)
        if not re.search(contains["pattern"], text):
            problems.append(f"{params['file']} § {found[0].heading}: no {contains['meaning']}")
    if problems:
        return Finding(problems)
    shown = f" § {found[0].heading}" if len(found) == 1 else f": {len(found)} sections"
    return Finding(evidence=[f"{params['file']}{shown} filled"])


def document(params: dict, project: Project) -> Finding:
    """Nothing beyond the sections check, which every criterion naming sections gets."""
    return Finding()


def settings_filled(params: dict, project: Project) -> Finding:
    """``keys``: pyproject.toml values that are set and hold no template text."""
    finding = Finding()
    for key in params["keys"]:
        value = lookup(project.pyproject, key)
        if value in (None, "", [], {}):
            finding.problems.append(f"{setting_name(key)} is not set")
        elif where := project.placeholders_in(value):
            what = f" ({', '.join(where)})" if where != [""] else ""
            finding.problems.append(f"{setting_name(key)}{what} is still template text")
        else:
            finding.evidence.append(f"{setting_name(key)} set")
    return finding


def settings_compared(params: dict, project: Project) -> Finding:
    """``keys`` are numbers in pyproject.toml that compare with ``value`` by ``op``."""
    finding = Finding()
    for key in params["keys"]:
        value = lookup(project.pyproject, key)
        claim = f"{setting_name(key)} = {value!r}"
        if is_number(value) and OPERATORS[params["op"]](value, params["value"]):
            finding.evidence.append(claim)
        else:
            finding.problems.append(f"{claim}: must be a number {params['op']} {params['value']}")
    return finding


def report_field(params: dict, project: Project) -> Finding:
    """``report`` (JSON) ``field`` compares with ``value``, or with pyproject's ``setting``, by
    ``op``; with ``same_data`` (default) the report must be for the current data file."""
    file, name, op = params["report"], params["field"], params["op"]
    content, problems = evidence.report(project, file, params.get("same_data", True))
    setting = params.get("setting")
    limit = lookup(project.pyproject, setting) if setting else params["value"]
    source = setting_name(setting) if setting else "gates.toml"
    actual = lookup(content or {}, name)
    if content is not None and actual is None:
        problems.append(f"{file} has no field {name}: {evidence.RERUN}")
    elif content is not None and not _compares(actual, op, limit):
        problems.append(f"{file} {name} = {_shown(actual)}: needs {op} {_shown(limit)} ({source})")
    if problems:
        return Finding(problems)
    return Finding(evidence=[f"{file} {name} = {_shown(actual)} ({op} {_shown(limit)})"])


def files_exist(params: dict, project: Project) -> Finding:
    """``paths`` exist and hold no template text; ``contains``: each matches the pattern."""
    finding, contains = Finding(), params.get("contains")
    for path in params["paths"]:
        file = project.path(path)
        text = file.read_text(encoding="utf-8") if file.is_file() else None
        if text is None:
            finding.problems.append(f"{path} not found")
        elif project.is_placeholder(text):
            finding.problems.append(f"{path} still holds template text")
        elif contains and not re.search(contains["pattern"], text):
            finding.problems.append(f"{path} has no {contains['meaning']}")
        else:
            finding.evidence.append(f"{path} present")
    return finding


def pending(params: dict, project: Project) -> Finding:
    """Evidence that a later feature provides (``waits_for``): fails until that exists.
    Other parameters are the thresholds the real check will use."""
    later = {k: v for k, v in params.items() if k not in ("waits_for", "file", "sections")}
    limits = "; to be judged with " + ", ".join(f"{k} = {v}" for k, v in later.items())
    message = f"cannot pass yet: the evidence comes with {params['waits_for']}"
    return Finding([message + (limits if later else "")])


def _compares(actual: object, op: str, limit: object) -> bool:
    numbers = is_number(actual) and is_number(limit)
    return (numbers or op in ("==", "!=")) and OPERATORS[op](actual, limit)


def _shown(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else repr(value)
