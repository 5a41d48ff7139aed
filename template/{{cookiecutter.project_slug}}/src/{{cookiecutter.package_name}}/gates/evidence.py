"""Read what the gate criteria judge: Markdown sections, pyproject settings and JSON reports.

Every reader reports template text (the ``placeholders`` patterns of gates.toml) as a
problem naming the file and the field, so nothing passes on a file that was not filled in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeGuard

from ..config import Settings
from ..digest import sha256

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
RERUN = "run `nox -s pipeline`"


@dataclass(frozen=True)
class Project:
    """What a criterion may read, and the day it is judged on."""

    settings: Settings
    pyproject: dict
    placeholders: re.Pattern[str]
    today: date

    def path(self, relative: str) -> Path:
        return self.settings.root / relative

    def is_placeholder(self, text: str) -> bool:
        return bool(self.placeholders.search(text))

    def placeholders_in(self, value: object, where: str = "") -> list[str]:
        """Dotted paths (or '' for ``value`` itself) of every string that is template text."""
        items: Iterable[tuple[object, object]]
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            return [where] if isinstance(value, str) and self.is_placeholder(value) else []
        return [
            found
            for key, item in items
            for found in self.placeholders_in(item, f"{where}.{key}" if where else str(key))
        ]


@dataclass
class Finding:
    """What one check found: problems naming the file and field to fix, evidence for the
    table when it passes, and warnings that do not fail the gate."""

    problems: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def merged(cls, findings: list[Finding]) -> Finding:
        """One finding from several, each line once."""

        def lines(part: str) -> list[str]:
            return list(dict.fromkeys(line for f in findings for line in getattr(f, part)))

        return cls(lines("problems"), lines("evidence"), lines("warnings"))


@dataclass(frozen=True)
class Section:
    file: str
    heading: str
    line: int  # line number of the heading
    lines: list[str]


def sections(project: Project, file: str, headings: list[str]) -> tuple[list[Section], list[str]]:
    """The named sections of a Markdown file (heading to the next heading of its level or above),
    and a problem for each one that is missing."""
    path = project.path(file)
    if not path.is_file():
        return [], [f"{file} not found"]
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [(n, len(m[1]), m[2]) for n, line in enumerate(lines) if (m := HEADING.match(line))]
    found: dict[str, Section] = {}
    for index, (start, level, heading) in enumerate(starts):
        end = next((n for n, lvl, _ in starts[index + 1 :] if lvl <= level), len(lines))
        found.setdefault(heading, Section(file, heading, start + 1, lines[start + 1 : end]))
    missing = [h for h in headings if h not in found]
    problems = [f"{file}: section '{h}' not found (keep the heading)" for h in missing]
    return [found[h] for h in headings if h in found], problems


def unfilled(project: Project, section: Section) -> str | None:
    """One problem listing every field of the section that is still template text."""
    if not any(line.strip() for line in section.lines):
        return f"{section.file}:{section.line} § {section.heading}: empty"
    fields = [
        (section.line + offset, field_name(line))
        for offset, line in enumerate(section.lines, start=1)
        if project.is_placeholder(line)
    ]
    if not fields:
        return None
    names = ", ".join(f'"{name}"' for _, name in fields)
    return f"{section.file}:{fields[0][0]} § {section.heading}: fill in {names}"


def field_name(line: str) -> str:
    """The label a reader would call the field on this line (table row or `- Label: value`)."""
    text = re.sub(r"\\(.)", r"\1", line).strip().lstrip("->*").strip()
    if text.startswith("|"):
        text = text.strip("|").split("|")[0].strip()
    elif ":" in text and not text.startswith("["):
        text = text.split(":")[0]
    return text if len(text) <= 48 else text[:47] + "…"


def lookup(tree: dict, dotted: str) -> object:
    """A value by dotted path (``tool.phasegate.data.min_rows``, ``business.beats_baseline``)."""
    value: object = tree
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def setting_name(key: str) -> str:
    table, _, name = key.rpartition(".")
    return f"pyproject.toml [{table}] {name}"


def report(project: Project, file: str, same_data: bool = True) -> tuple[dict | None, list[str]]:
    """A JSON report of the pipeline, with problems when it is missing, holds template text
    (it was written before phase 1 was filled in) or describes another data file."""
    path = project.path(file)
    if not path.is_file():
        return None, [f"{file} not found: {RERUN}"]
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None, [f"{file} is not valid JSON: {RERUN}"]
    problems = []
    if stale := project.placeholders_in(content):
        fields = ", ".join(stale[:3])
        problems.append(f"{file} holds template text ({fields}): fill it in, then {RERUN}")
    data = project.settings.data_path
    if same_data and content.get("data_sha256") != (sha256(data) if data.is_file() else None):
        problems.append(f"{file} is not for the current data file {data.name}: {RERUN}")
    return content, problems


def is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)
