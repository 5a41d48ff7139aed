"""Is this repository still following its template? (standard library only)

Fails when
- the template version (.copier-answers.yml) is below the platform team's minimum,
  $PHASEGATE_MIN_TEMPLATE_VERSION (an organisation CI variable; empty counts as unset, as
  GitHub passes an undefined one), or [tool.phasegate.platform] min_template_version,
  which may raise it and fails the check if it is lower. Both take v0.3, 0.3, 0.3.0 or
  v0.3.0 (no patch means .0; spaces around it and "V" are tolerated); any other value
  stops the check (exit 2, nothing written);
- an update left *.rej files, or conflict markers (the lines `git diff --check` reports)
  in a tracked or new text file: reported with their lines, and such files are not parsed;
- catalog-info.yaml disagrees with the claimed phase or template version, or the business
  answers in .copier-answers.yml with [tool.phasegate.business] (`--fix` writes both; see
  tools/owned_values.py for why the tooling, not the template, owns these values).
Run by pre-commit, `nox -s template-check` and CI; hooks/post_gen_project.py imports it
from the template after `copier update`, so it stays plain Python (no Jinja).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # owned_values, beside this file
from owned_values import (
    ANSWERS,
    CATALOG,
    PYPROJECT,
    SettingError,
    align_answers,
    align_catalog,
    catalog_lines,
    claimed_phase,
    settings,
    template_version,
)

ROOT = Path(__file__).resolve().parent.parent
MIN_VERSION_ENV = "PHASEGATE_MIN_TEMPLATE_VERSION"
PROJECT_MINIMUM = "[tool.phasegate.platform] min_template_version"
RELEASE = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")  # copier's _commit: v0.3.0 or v0.3.0-4-gabc1234
MINIMUM = re.compile(r"[vV]?(\d+)\.(\d+)(?:\.(\d+))?")
ACCEPTED = "use v0.3, 0.3, 0.3.0 or v0.3.0 (a missing patch means .0)"
MARKER = re.compile(r"([<=>|])\1{6}(\s|$)")
RESOLVE = "keep the lines you want, delete the markers, then commit"
SKIPPED_DIRS = {".git", ".nox", ".venv", "venv", "node_modules", "__pycache__", "mlruns"}

Version = tuple[int, int, int]


def shown(version: Version) -> str:
    return "v" + ".".join(map(str, version))


def minimum(value: object, source: str) -> Version:
    found = MINIMUM.fullmatch(value.strip()) if isinstance(value, str) else None
    if not found:
        raise SettingError(f"{source} = {value!r} is not a template version; {ACCEPTED}")
    major, minor, patch = found.groups()
    return int(major), int(minor), int(patch or 0)


def project_files(root: Path) -> list[Path]:
    """Tracked and new (not ignored) files; every file outside SKIPPED_DIRS without git."""
    git = shutil.which("git")
    listed = git and subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if listed and listed.returncode == 0:
        names = dict.fromkeys(os.fsdecode(name) for name in listed.stdout.split(b"\0") if name)
        return [root / name for name in names]
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        files += [Path(folder, name) for name in sorted(names)]
    return files


def marker_lines(path: Path) -> list[int]:
    data = path.read_bytes() if path.is_file() else b""
    if b"\0" in data:  # binary
        return []
    lines = data.decode("utf-8", errors="replace").split("\n")
    return [number for number, line in enumerate(lines, 1) if MARKER.match(line)]


def leftovers(root: Path) -> dict[str, list[int]]:
    """Files an update left unfinished: conflict marker lines, or [] for a .rej file."""
    found = {}
    for path in project_files(root):
        name = path.relative_to(root).as_posix()
        lines = [] if name.endswith(".rej") else marker_lines(path)
        if lines or (name.endswith(".rej") and path.is_file()):
            found[name] = lines
    return found


def describe(name: str, lines: list[int]) -> str:
    if not lines:
        return (
            f"{name}: rejected update hunk: apply it to {name.removesuffix('.rej')} by hand "
            "(or drop it), delete this file, then commit"
        )
    where = f" (lines {', '.join(map(str, lines))})" if len(lines) > 1 else ""
    return f"{name}:{lines[0]}: conflict markers from an update{where}: {RESOLVE}"


def check_version(config: dict, platform: Version | None) -> list[str]:
    problems, floors = [], [platform] if platform else []
    table = config.get("platform", {})
    if not isinstance(table, dict):
        raise SettingError(f"{PYPROJECT}: [tool.phasegate.platform] must be a table")
    value = table.get("min_template_version")
    if value is not None:
        project = minimum(value, f"{PYPROJECT} {PROJECT_MINIMUM}")
        floors.append(project)
        if platform and project < platform:
            problems.append(
                f"{PROJECT_MINIMUM} = {value!r} would lower the platform minimum "
                f"{shown(platform)} ({MIN_VERSION_ENV}): a project may raise it, never "
                "lower it; raise the setting or delete it"
            )
    if not floors:
        return problems
    current, required = template_version(ROOT), shown(max(floors))
    found = RELEASE.match(current or "")
    if found is None:
        problems.append(
            f"template version unknown ({ANSWERS} has no release in _commit); "
            f"the platform requires {required}: run `copier update --trust`"
        )
    elif tuple(map(int, found.groups())) < max(floors):
        problems.append(
            f"template version {current} is older than the required {required}: "
            "run `copier update --trust`"
        )
    return problems


def check_catalog(config: dict, fix: bool) -> list[str]:
    expected = catalog_lines(claimed_phase(config), template_version(ROOT))
    return align_catalog(ROOT, expected, fix)


def check(fix: bool) -> list[str]:
    variable = os.environ.get(MIN_VERSION_ENV, "")
    platform = minimum(variable, MIN_VERSION_ENV) if variable else None
    found = leftovers(ROOT)
    problems = [describe(name, lines) for name, lines in found.items()]
    blocked = [name for name in (PYPROJECT, ANSWERS, CATALOG) if found.get(name)]
    if blocked:
        waiting = ", ".join(blocked)
        return [*problems, f"version and catalog checks wait until {waiting} is resolved"]
    config = settings(ROOT)
    problems += check_version(config, platform)  # may stop the check: then nothing is written
    return problems + check_catalog(config, fix) + align_answers(ROOT, config.get("business"), fix)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fix", action="store_true", help="rewrite the catalog's and answers' owned values"
    )
    args = parser.parse_args(argv)
    try:
        problems = check(args.fix)
    except SettingError as error:
        print(f"template-check: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"template-check: {problem}", file=sys.stderr)
    if not problems:
        print(f"template-check: OK (template {template_version(ROOT) or 'version unknown'})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
