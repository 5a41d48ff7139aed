"""Is this repository still following its template? (standard library only)

Fails when
- the template version in .copier-answers.yml is older than the minimum the
  platform team sets (environment variable PHASEGATE_MIN_TEMPLATE_VERSION, for
  example an organisation-wide CI variable; a project may raise it with
  [tool.phasegate.platform] min_template_version, never lower it);
- an update left conflict markers or *.rej files behind (in any text file);
- catalog-info.yaml disagrees with the claimed phase or the template version
  (`--fix` rewrites those two lines).
Run by pre-commit, `nox -s template-check` and CI.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / ".copier-answers.yml"
CATALOG = ROOT / "catalog-info.yaml"
MIN_VERSION_ENV = "PHASEGATE_MIN_TEMPLATE_VERSION"
VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")
CONFLICT = re.compile(r"^(<<<<<<<|>>>>>>>)( |$)", re.MULTILINE)
# Backstage lifecycle of each phase: production engineering onwards is "production".
LIFECYCLE = {phase: "production" if phase >= 4 else "experimental" for phase in range(1, 6)}
SKIPPED_DIRS = {".git", ".nox", ".venv", "venv", "node_modules", "__pycache__", "mlruns"}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".yml", ".yaml", ".txt", ".cfg", ".json", ".csv"}


def version(text: str | None) -> tuple[int, int, int] | None:
    found = VERSION.match(text or "")
    return tuple(int(part) for part in found.groups()) if found else None  # type: ignore[return-value]


def template_version() -> str | None:
    if not ANSWERS.is_file():
        return None
    found = re.search(r"^_commit:\s*['\"]?([^'\"\s]+)", ANSWERS.read_text("utf-8"), re.MULTILINE)
    return found.group(1) if found else None


def settings() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["phasegate"]


def minimum_version() -> str | None:
    candidates = [os.environ.get(MIN_VERSION_ENV, "")]
    candidates.append(settings().get("platform", {}).get("min_template_version", ""))
    valid = [c for c in candidates if version(c)]
    return max(valid, key=version) if valid else None  # type: ignore[arg-type]


def check_version() -> list[str]:
    current, minimum = template_version(), minimum_version()
    if minimum is None:
        return []
    if version(current) is None:
        return [
            f"template version unknown ({ANSWERS.name} has no release in _commit); "
            f"the platform requires {minimum}: run `copier update --trust`"
        ]
    if version(current) < version(minimum):  # type: ignore[operator]
        return [
            f"template version {current} is older than the required {minimum}: "
            "run `copier update --trust`"
        ]
    return []


def check_leftovers() -> list[str]:
    problems = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
        for name in files:
            path = Path(folder, name)
            shown = path.relative_to(ROOT)
            if name.endswith(".rej"):
                problems.append(f"{shown}: rejected update hunk; apply it by hand, then delete it")
            elif path.suffix in TEXT_SUFFIXES and CONFLICT.search(
                path.read_text("utf-8", errors="replace")
            ):
                problems.append(f"{shown}: conflict markers left by an update; resolve them")
    return problems


def expected_catalog_lines() -> dict[str, str]:
    phase = int(settings()["phase"])
    return {
        "phasegate/phase": f'    phasegate/phase: "{phase}"',
        "phasegate/template-version": (
            f'    phasegate/template-version: "{template_version() or "none"}"'
        ),
        "lifecycle": f"  lifecycle: {LIFECYCLE[phase]}",
    }


def check_catalog(fix: bool) -> list[str]:
    text = CATALOG.read_text("utf-8")
    problems = []
    for key, wanted in expected_catalog_lines().items():
        pattern = re.compile(rf"^ *{re.escape(key)}:.*$", re.MULTILINE)
        if not pattern.search(text):
            problems.append(f"{CATALOG.name}: no `{key}` line")
        elif wanted not in text.splitlines():
            text = pattern.sub(wanted, text, count=1)
            problems.append(f"{CATALOG.name}: `{key}` should read `{wanted.strip()}`")
    if fix and problems:
        CATALOG.write_text(text, "utf-8")
        return []
    return [p + " (run with --fix)" for p in problems]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="rewrite catalog-info.yaml's lines")
    args = parser.parse_args(argv)
    problems = check_version() + check_leftovers() + check_catalog(args.fix)
    for problem in problems:
        print(f"template-check: {problem}", file=sys.stderr)
    if not problems:
        print(f"template-check: OK (template {template_version() or 'version unknown'})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
