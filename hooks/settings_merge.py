"""After `copier update`: a setting only one side changed is not a conflict (standard library).

`adopt` and the team rewrite values in pyproject.toml ([tool.phasegate.data], the baseline
rule, thresholds); a release rewords the comments beside them (a moved module's path, say).
Line by line those are two changes side by side, so copier leaves conflict markers although
nothing disagrees. Copier records the file the old release rendered as the conflict's base
(index stage 1); against it, each line of a conflict block is settled when one side left it
as it was: a setting keeps the value of the side that changed it, with the release's comment,
other lines (table headers, comments) take the changed side. Lines both sides changed stay
a conflict, now only those lines, for the team to resolve; the update summary lists them.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

PYPROJECT = "pyproject.toml"
OURS, SPLIT, THEIRS = "<<<<<<< before updating", "=======", ">>>>>>> after updating"
HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*$")
MISSING = object()
SETTLED = "lines only one side changed are merged (your values, the release's comments)"


def split_comment(line: str) -> tuple[str, str]:
    """``key = "a # b"  # note`` → (``key = "a # b"``, ``  # note``): strings kept whole."""
    quote, escaped = "", False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif quote == '"' and char == "\\":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            code = line[:index].rstrip()
            return code, line[len(code) :]
    return line.rstrip(), ""


def setting(code: str) -> tuple[str, Any] | None:
    """``key = value`` → (key, value); None for anything else (a value over several lines)."""
    try:
        parsed = tomllib.loads(code)
    except tomllib.TOMLDecodeError:
        return None
    return next(iter(parsed.items())) if len(parsed) == 1 and "=" in code else None


class Base:
    """The file the old release rendered: its lines, and each table's settings."""

    def __init__(self, text: str) -> None:
        self.lines = set(text.splitlines())
        self.tables = tomllib.loads(text)

    def value(self, table: str, key: str) -> object:
        found: Any = self.tables
        for part in [*filter(None, table.split(".")), key]:
            if not isinstance(found, dict) or part not in found:
                return MISSING
            found = found[part]
        return found


def settled(team: str, release: str, table: str, base: Base) -> str | None:
    """One line of a conflict block: the side that changed it wins; None if both did."""
    (team_code, _), (release_code, comment) = split_comment(team), split_comment(release)
    ours, theirs = setting(team_code), setting(release_code)
    if ours is None or theirs is None or ours[0] != theirs[0]:
        if ours is not None or theirs is not None:  # a setting against another line
            return None
        return release if team in base.lines else team if release in base.lines else None
    was = base.value(table, ours[0])
    if ours[1] == was:
        return release
    return team_code + comment if theirs[1] == was else None


def merged(ours: list[str], theirs: list[str], table: str, base: Base) -> list[str] | None:
    """The block settled line by line (both sides the same length), the lines both sides
    changed left as smaller conflicts; None when no line could be settled."""
    if len(ours) != len(theirs):
        return None
    lines: list[str] = []
    left: list[tuple[str, str]] = []  # consecutive lines both sides changed
    for team, release in zip(ours, theirs, strict=True):
        if found := HEADER.match(split_comment(release)[0]):
            table = found[1]
        line = settled(team, release, table, base)
        if line is None:
            left.append((team, release))
            continue
        lines += [*conflict(left), line]
        left = []
    if len(left) == len(ours):  # not one line settled
        return None
    return lines + conflict(left)


def conflict(pairs: list[tuple[str, str]]) -> list[str]:
    if not pairs:
        return []
    return [OURS, *(team for team, _ in pairs), SPLIT, *(release for _, release in pairs), THEIRS]


def base_of(project: Path) -> Base | None:
    shown = subprocess.run(
        ["git", "show", f":1:{PYPROJECT}"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    try:
        return Base(shown.stdout) if shown.returncode == 0 else None
    except tomllib.TOMLDecodeError:
        return None


def resolve(project: Path) -> list[str]:
    """Settle pyproject.toml's conflict blocks that are no disagreement; a note for each."""
    path = project / PYPROJECT
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    base = base_of(project) if OURS in text else None
    if base is None:
        return []
    lines, out, notes = text.splitlines(), list[str](), list[str]()
    table, index = "", 0
    while index < len(lines):
        if lines[index] != OURS:
            if found := HEADER.match(split_comment(lines[index])[0]):
                table = found[1]
            out.append(lines[index])
            index += 1
            continue
        marks = [i for i in range(index, len(lines)) if lines[i] in (SPLIT, THEIRS)]
        if len(marks) < 2 or lines[marks[0]] != SPLIT:
            out.extend(lines[index:])
            break
        middle, end = marks[0], marks[1]
        block = merged(lines[index + 1 : middle], lines[middle + 1 : end], table, base)
        if block is None:
            out.extend(lines[index : end + 1])
        else:
            notes.append(f"{PYPROJECT}:{len(out) + 1}: {SETTLED}")
            out.extend(block)
            for line in block:
                if found := HEADER.match(split_comment(line)[0]):
                    table = found[1]
        index = end + 1
    if notes:
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
        if OURS not in out:  # no conflict left in the file: no longer unmerged
            for args in (["add"], ["reset", "-q"]):
                subprocess.run(["git", *args, "--", PYPROJECT], cwd=project, check=False)
    return notes
