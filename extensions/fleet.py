"""Fleet report for platform teams: which repositories follow which template version.

    python -m extensions.fleet PATH... [--format table|json|markdown] [--gate]
    (or: nox -s fleet -- …)

Reads what a clone of each repository has: .copier-answers.yml (copier) or
.cookiecutter-answers.json (cookiecutter), pyproject.toml, and the gate result: with
--gate the project's own `<package> gate` is run in the clone (from committed files;
reports/ is not committed, so criteria that need the pipeline's reports fail there),
otherwise reports/gate.json when the pipeline saved it in that working copy. A path that
is not a generated repository is a row that says so.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import yaml

from extensions.frontends import RECORD, RELEASE_KEY
from extensions.releases import releases, version_key

COLUMNS = [
    "repository",
    "template",
    "behind",
    "phase",
    "gate",
    "business_owner",
    "ml_owner",
    "risk",
]
COPIER_ANSWERS = ".copier-answers.yml"


class NotAProject(Exception):
    """The path cannot be read as a generated repository; the message says why."""


def answers_of(repo: Path) -> tuple[dict, str | None, str]:
    """(answers, template release, how it was generated)."""
    try:
        if (repo / COPIER_ANSWERS).is_file():
            answers = yaml.safe_load((repo / COPIER_ANSWERS).read_text("utf-8")) or {}
            return answers, answers.get("_commit"), "copier"
        if (repo / RECORD).is_file():
            answers = json.loads((repo / RECORD).read_text("utf-8"))["cookiecutter"]
            return answers, answers.get(RELEASE_KEY), "cookiecutter"
    except (ValueError, KeyError, TypeError, AttributeError, yaml.YAMLError) as error:
        raise NotAProject(
            f"answers unreadable ({type(error).__name__}): resolve the file"
        ) from None
    return {}, None, "unknown front end"


def gate_from_report(result: dict, source: str) -> str:
    if result.get("passed"):
        return f"passed ({source})"
    failing = [c for c in result.get("criteria", []) if c.get("status") == "fail"]
    return f"failed: {len(failing)} criteria ({source})" if failing else f"failed ({source})"


def run_gate(repo: Path, package: str) -> str:
    """The project's own gate, run in the clone with its locked dependencies."""
    uv = shutil.which("uv")
    if uv is None:
        return "not run (uv not found)"
    command = [uv, "run", "--locked", "--quiet", "--no-default-groups", "python", "-m", package]
    command += ["gate", "--format", "json"]
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False)
    try:
        return gate_from_report(json.loads(result.stdout), "computed")
    except ValueError:
        lines = (result.stderr or result.stdout).strip().splitlines() or ["no output"]
        return f"error: {lines[-1][:120]}"


def describe(repo: Path, known: list[str], run: bool = False) -> dict[str, object]:
    """One repository's row; missing evidence is reported as such, never guessed."""
    if not repo.is_dir():
        raise NotAProject("no such folder")
    if not (repo / "pyproject.toml").is_file():
        raise NotAProject("not a generated repository (no pyproject.toml)")
    answers, version, front_end = answers_of(repo)
    try:
        pyproject = tomllib.loads((repo / "pyproject.toml").read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise NotAProject(f"pyproject.toml unreadable ({error}): resolve it") from None
    current = version_key(version)
    behind = None if current is None else sum((version_key(t) or current) > current for t in known)
    project = pyproject.get("project", {})
    package = answers.get("package_name") or str(project.get("name", "")).replace("-", "_")
    gate_file = repo / "reports" / "gate.json"
    gate = "not run (--gate computes it)"
    if run:
        gate = run_gate(repo, package)
    elif gate_file.is_file():
        gate = gate_from_report(json.loads(gate_file.read_text("utf-8")), "saved")
    maintainers = project.get("maintainers") or [{}]
    return {
        "repository": answers.get("project_slug") or repo.name,
        "path": str(repo),
        "template": f"{version} ({front_end})" if version else f"none ({front_end})",
        "behind": behind,
        "phase": pyproject.get("tool", {}).get("phasegate", {}).get("phase"),
        "gate": gate,
        "business_owner": answers.get("business_owner_email") or maintainers[0].get("email"),
        "ml_owner": answers.get("ml_owner"),
        "risk": answers.get("risk_tier", "not set"),
    }


def row(repo: Path, known: list[str], run: bool) -> dict[str, object]:
    try:
        return describe(repo, known, run)
    except (NotAProject, OSError) as error:
        blank = dict.fromkeys(COLUMNS, "-")
        return {
            **blank,
            "repository": repo.name or str(repo),
            "path": str(repo),
            "template": str(error),
        }


def cell(value: object) -> str:
    return "unknown" if value is None else str(value)


def table(rows: list[dict]) -> str:
    widths = {c: max(len(c), *(len(cell(r[c])) for r in rows)) for c in COLUMNS}
    lines = ["  ".join(c.ljust(widths[c]) for c in COLUMNS)]
    lines += ["  ".join(cell(r[c]).ljust(widths[c]) for c in COLUMNS) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def markdown(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += [
        "| " + " | ".join(cell(r[c]).replace("|", "\\|") for c in COLUMNS) + " |" for r in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path, help="generated repositories")
    parser.add_argument("--format", choices=["table", "json", "markdown"], default="table")
    parser.add_argument("--gate", action="store_true", help="run each project's own gate")
    args = parser.parse_args(argv)
    known = list(releases())
    rows = [row(repo, known, args.gate) for repo in args.repos]
    render: dict[str, Callable[[list[dict]], str]] = {
        "table": table,
        "markdown": markdown,
        "json": lambda r: json.dumps(r, indent=2),
    }
    print(render[args.format](rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
